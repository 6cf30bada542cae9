/*
 * exact_sum.h: exact, order-independent summation of doubles.
 *
 * A fixed-point accumulator wide enough for every finite double (a Kulisch
 * accumulator): each addend is added without rounding, so the total does not
 * depend on the order of the additions, and the result is the correctly
 * rounded exact sum.  This is what makes the aggregates give bit-identical
 * results in serial and parallel plans, where rows arrive in a different order.
 */
#ifndef CHEMECO_EXACT_SUM_H
#define CHEMECO_EXACT_SUM_H

#include <stdbool.h>
#include <stdint.h>

/* 32-bit digits kept in int64 (carry-save); bit 0 is 2^-1074. */
#define EXACT_SUM_DIGITS 72

typedef struct ExactSum
{
	int64_t		digit[EXACT_SUM_DIGITS];
	int64_t		pending;		/* additions since the carries were last propagated */
} ExactSum;

extern void exact_sum_init(ExactSum *sum);

/* value must be finite. */
extern void exact_sum_add(ExactSum *sum, double value);

/* sum += other */
extern void exact_sum_merge(ExactSum *sum, const ExactSum *other);

/*
 * Whether sum could come from exact_sum_init/add/merge (a stored sum may be
 * forged): pending additions in range, no digit near overflow, and the total
 * within 71 digits.  Only a well-formed sum can be added to, merged and
 * divided without int64 overflow.
 */
extern bool exact_sum_is_well_formed(const ExactSum *sum);

/* -1, 0 or 1: the sign of a well-formed sum. */
extern int	exact_sum_sign(const ExactSum *sum);

/*
 * The exact sum divided by divisor (> 0), rounded to double (the division is
 * done before the scaling, so a mean never overflows when the sum would).
 * Returns 0, or -1 if the result is not finite.
 */
extern int	exact_sum_divided(const ExactSum *sum, double divisor, double *result);

#endif
