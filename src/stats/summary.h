/*
 * summary.h: the distribution summary of impact_summary() and Tukey fences.
 */
#ifndef CHEMECO_SUMMARY_H
#define CHEMECO_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>

typedef struct Summary
{
	size_t		n;
	double		mean;
	double		stddev;			/* sample (n - 1); meaningless when n == 1 */
	bool		has_stddev;		/* n >= 2 */
	double		min;
	double		q1;
	double		median;
	double		q3;
	double		max;
	double		iqr;			/* q3 - q1 */
	double		lower_fence;	/* q1 - 1.5 iqr (Tukey) */
	double		upper_fence;	/* q3 + 1.5 iqr */
} Summary;

typedef enum SummaryStatus
{
	SUMMARY_OK,
	SUMMARY_MEAN_OVERFLOW,		/* cannot happen for finite input; kept for safety */
	SUMMARY_VARIANCE_OVERFLOW	/* squared deviations beyond double range */
} SummaryStatus;

/*
 * Summary of values[0..n), n >= 1, all finite.  values is permuted, unless
 * sorted says that it ascends already (quartiles are then read by index).
 * Mean and variance are two-pass with exact sums (exact_sum.h), so the
 * result does not depend on the order of values.
 */
extern SummaryStatus summarize(double *values, size_t n, bool sorted, Summary *out);

#endif
