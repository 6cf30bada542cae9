/*
 * sort.c: radix sort of doubles, and the ascending runs of an array.
 */
#include "sort.h"

#include <stdint.h>
#include <string.h>

#include "kernel.h"

#define RADIX_BITS 11
#define RADIX_BUCKETS (1 << RADIX_BITS)
#define RADIX_PASSES 6			/* ceil(64 / 11) */
#define INSERTION_SORT_MAX 64
#define INTERRUPT_INTERVAL 1048576

/* An unsigned key ordered like the double (negatives reversed, sign flipped). */
static inline uint64_t
key_of(double x)
{
	uint64_t	bits;

	memcpy(&bits, &x, sizeof bits);
	return (bits >> 63) ? ~bits : bits | UINT64_C(0x8000000000000000);
}

static inline double
double_of(uint64_t key)
{
	uint64_t	bits = (key >> 63) ? key & ~UINT64_C(0x8000000000000000) : ~key;
	double		x;

	memcpy(&x, &bits, sizeof x);
	return x;
}

static void
insertion_sort_keys(uint64_t *k, size_t n)
{
	for (size_t i = 1; i < n; i++)
	{
		uint64_t	x = k[i];
		size_t		j = i;

		for (; j > 0 && k[j - 1] > x; j--)
			k[j] = k[j - 1];
		k[j] = x;
	}
}

void
sort_values(double *values, double *scratch, size_t n)
{
	/* doubles and their keys share storage: both arrays are 8-byte slots */
	uint64_t   *from = (uint64_t *) (void *) values;
	uint64_t   *to = (uint64_t *) (void *) scratch;
	size_t	   *counts;

	for (size_t i = 0; i < n; i++)
	{
		double		x;

		memcpy(&x, &from[i], sizeof x);
		from[i] = key_of(x);
	}
	if (n <= INSERTION_SORT_MAX)
		insertion_sort_keys(from, n);
	else
	{
		counts = kernel_alloc_array((size_t) RADIX_PASSES * RADIX_BUCKETS, sizeof(size_t));
		memset(counts, 0, (size_t) RADIX_PASSES * RADIX_BUCKETS * sizeof(size_t));
		for (size_t i = 0; i < n; i++)
			for (int p = 0; p < RADIX_PASSES; p++)
				counts[p * RADIX_BUCKETS + ((from[i] >> (p * RADIX_BITS)) & (RADIX_BUCKETS - 1))]++;
		for (int p = 0; p < RADIX_PASSES; p++)
		{
			size_t	   *count = counts + p * RADIX_BUCKETS;
			size_t		offset = 0;
			int			shift = p * RADIX_BITS;
			uint64_t   *t;

			/* every value has the same digit: the pass would not move anything */
			if (count[(from[0] >> shift) & (RADIX_BUCKETS - 1)] == n)
				continue;
			kernel_check_interrupts();
			for (int b = 0; b < RADIX_BUCKETS; b++)
			{
				size_t		c = count[b];

				count[b] = offset;
				offset += c;
			}
			for (size_t i = 0; i < n; i++)
				to[count[(from[i] >> shift) & (RADIX_BUCKETS - 1)]++] = from[i];
			t = from;
			from = to;
			to = t;
		}
		kernel_free(counts);
	}
	for (size_t i = 0; i < n; i++)
	{
		double		x = double_of(from[i]);

		memcpy(&values[i], &x, sizeof x);
	}
}

bool
values_sorted(const void *values, size_t n)
{
	const char *v = values;
	double		previous;

	if (n == 0)
		return true;
	memcpy(&previous, v, sizeof previous);
	if (previous != previous)
		return false;
	for (size_t i = 1; i < n; i++)
	{
		double		x;

		memcpy(&x, v + i * sizeof(double), sizeof x);
		if (!(previous <= x))
			return false;
		previous = x;
	}
	return true;
}

size_t
ascending_runs(const void *values, size_t n, size_t *starts, size_t max_runs)
{
	const char *v = values;
	size_t		nruns = 1;
	double		previous;

	if (n == 0 || max_runs == 0)
		return 0;
	starts[0] = 0;
	memcpy(&previous, v, sizeof previous);
	for (size_t i = 1; i < n; i++)
	{
		double		x;

		if ((i & (INTERRUPT_INTERVAL - 1)) == 0)
			kernel_check_interrupts();
		memcpy(&x, v + i * sizeof(double), sizeof x);
		if (x < previous)
		{
			if (nruns == max_runs)
				return 0;
			starts[nruns++] = i;
		}
		previous = x;
	}
	return nruns;
}
