/*
 * exact_sum.c: fixed-point accumulator for exact sums of doubles.
 *
 * A finite double is m * 2^(p - 1074) with an integer 0 <= m < 2^53 and
 * 0 <= p <= 2045, read straight from its IEEE 754 bits.  m shifted by p lands
 * in at most three 32-bit digits.  Digits are int64, so 2^30 additions fit
 * before the carries must be propagated.  72 digits (2304 bits) hold any sum
 * of up to 2^63 doubles.
 */
#include "exact_sum.h"

#include <math.h>
#include <string.h>

#define DIGIT_BITS 32
#define DIGIT_MASK ((int64_t) 0xffffffff)
#define MAX_PENDING ((int64_t) 1 << 30)

void
exact_sum_init(ExactSum *sum)
{
	memset(sum, 0, sizeof(*sum));
}

/* Bring every digit but the top one into [0, 2^32); the top one keeps the sign. */
static void
propagate_carries(ExactSum *sum)
{
	for (int i = 0; i < EXACT_SUM_DIGITS - 1; i++)
	{
		int64_t		carry = sum->digit[i] >> DIGIT_BITS;	/* floor division */

		sum->digit[i] &= DIGIT_MASK;
		sum->digit[i + 1] = (int64_t) ((uint64_t) sum->digit[i + 1] + (uint64_t) carry);
	}
	sum->pending = 0;
}

void
exact_sum_add(ExactSum *sum, double value)
{
	uint64_t	bits;
	uint64_t	biased_exponent;
	uint64_t	mantissa;
	int			position;
	unsigned __int128 shifted;
	int64_t    *d;

	memcpy(&bits, &value, sizeof(bits));
	biased_exponent = (bits >> 52) & 0x7ff;
	mantissa = bits & (((uint64_t) 1 << 52) - 1);
	if (biased_exponent == 0)
		position = 0;			/* zero or subnormal: m * 2^-1074 */
	else
	{
		mantissa |= (uint64_t) 1 << 52;
		position = (int) biased_exponent - 1;
	}
	if (mantissa == 0)
		return;

	shifted = (unsigned __int128) mantissa << (position % DIGIT_BITS);
	d = &sum->digit[position / DIGIT_BITS];
	/* in uint64: a forged sum (checked only where consumed) wraps, never overflows */
	if (bits >> 63)
	{
		d[0] = (int64_t) ((uint64_t) d[0] - (uint64_t) (shifted & DIGIT_MASK));
		d[1] = (int64_t) ((uint64_t) d[1] - (uint64_t) ((shifted >> 32) & DIGIT_MASK));
		d[2] = (int64_t) ((uint64_t) d[2] - (uint64_t) (shifted >> 64));
	}
	else
	{
		d[0] = (int64_t) ((uint64_t) d[0] + (uint64_t) (shifted & DIGIT_MASK));
		d[1] = (int64_t) ((uint64_t) d[1] + (uint64_t) ((shifted >> 32) & DIGIT_MASK));
		d[2] = (int64_t) ((uint64_t) d[2] + (uint64_t) (shifted >> 64));
	}
	sum->pending = (int64_t) ((uint64_t) sum->pending + 1);
	if (sum->pending >= MAX_PENDING || sum->pending < 0)
		propagate_carries(sum);
}

void
exact_sum_merge(ExactSum *sum, const ExactSum *other)
{
	ExactSum	normalized = *other;

	propagate_carries(sum);
	propagate_carries(&normalized);
	for (int i = 0; i < EXACT_SUM_DIGITS; i++)
		sum->digit[i] += normalized.digit[i];
	propagate_carries(sum);
}

/*
 * Between propagations a digit moves by less than 2^32 per addition, at most
 * MAX_PENDING of them: below 2^62 it stays clear of overflow.
 */
#define MAX_DIGIT_MAGNITUDE ((int64_t) 1 << 62)

bool
exact_sum_is_well_formed(const ExactSum *sum)
{
	ExactSum	normalized = *sum;
	int64_t		top;

	if (sum->pending < 0 || sum->pending >= MAX_PENDING)
		return false;
	for (int i = 0; i < EXACT_SUM_DIGITS; i++)
		if (sum->digit[i] <= -MAX_DIGIT_MAGNITUDE || sum->digit[i] >= MAX_DIGIT_MAGNITUDE)
			return false;
	propagate_carries(&normalized);
	/* the top digit only carries the sign: no sum of doubles reaches it */
	top = normalized.digit[EXACT_SUM_DIGITS - 1];
	return top == 0 || top == -1;
}

int
exact_sum_sign(const ExactSum *sum)
{
	ExactSum	normalized = *sum;

	propagate_carries(&normalized);
	if (normalized.digit[EXACT_SUM_DIGITS - 1] < 0)
		return -1;
	for (int i = 0; i < EXACT_SUM_DIGITS; i++)
		if (normalized.digit[i] != 0)
			return 1;
	return 0;
}

int
exact_sum_divided(const ExactSum *sum, double divisor, double *result)
{
	ExactSum	s = *sum;
	int			negative;
	int			top;
	int			base;
	unsigned __int128 leading = 0;
	int			divisor_exponent;
	double		divisor_fraction = frexp(divisor, &divisor_exponent);
	double		value;

	propagate_carries(&s);
	negative = s.digit[EXACT_SUM_DIGITS - 1] < 0;
	if (negative)
	{
		for (int i = 0; i < EXACT_SUM_DIGITS; i++)
			s.digit[i] = -s.digit[i];
		propagate_carries(&s);
	}
	for (top = EXACT_SUM_DIGITS - 1; top >= 0 && s.digit[top] == 0; top--)
		;
	if (top < 0)
	{
		*result = 0.0;
		return 0;
	}

	/*
	 * The leading three digits (at least 65 significant bits once top >= 2),
	 * with any non-zero digit below them folded into the lowest bit as a
	 * sticky bit: converting that to double rounds exactly like the full
	 * number.  When top < 2 all digits are taken, exactly.
	 */
	base = top >= 2 ? top - 2 : 0;
	for (int i = top; i >= base; i--)
		leading = (leading << DIGIT_BITS) | (uint64_t) s.digit[i];
	for (int i = 0; i < base; i++)
		if (s.digit[i] != 0)
		{
			leading |= 1;
			break;
		}

	/*
	 * Divide by the divisor's fraction (in [0.5, 1), so nothing overflows)
	 * and apply all powers of two at the end.  With divisor 1, below 2^-1021
	 * the exact value has fewer than 53 bits and every step is exact; above,
	 * ldexp only moves the exponent.
	 */
	value = ldexp((double) leading / divisor_fraction,
				  base * DIGIT_BITS - 1074 - divisor_exponent);
	if (!isfinite(value))
		return -1;
	*result = negative ? -value : value;
	return 0;
}
