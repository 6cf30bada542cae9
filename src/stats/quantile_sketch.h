/*
 * quantile_sketch.h: a mergeable quantile sketch with a relative value
 * error bound (DDSketch: Masson, Rim, Lee, VLDB 2019).
 *
 * Why DDSketch for impact data: footprints are positive, skewed and heavy
 * tailed (log-normal-like, spanning orders of magnitude).  A rank-error
 * sketch (KLL, Spark's GK) bounds |rank(estimate) - q n| <= eps n, which in
 * a heavy tail still allows an estimate of p99 off by a factor of two or
 * more; DDSketch bounds the value itself, relative to the true quantile:
 * every order statistic x is estimated within relative_error * |x|, at
 * every probability, tails included.  It is also deterministic (no random
 * compaction) and its merge adds bucket counts, so the state is a function
 * of the multiset of values only: any split into parallel workers or shards,
 * in any order, gives the same state content and the same results.
 *
 * Buckets: with gamma = (1 + a) / (1 - a) (a = relative_error), a value
 * x != 0 goes to bucket i = ceil(log_gamma |x|) of its sign's store, which
 * covers (gamma^(i-1), gamma^i]; the bucket's estimate 2 gamma^i / (gamma + 1)
 * is within a of every value in it.  Zeros are counted apart.  A store keeps
 * at most QSKETCH_MAX_BUCKETS consecutive buckets below its highest one:
 * counts of smaller magnitudes are folded into the lowest kept bucket, where
 * the bound is lost (only for values more than gamma^4095 times smaller
 * than the largest of their sign: 35 decades below it at a = 0.01, 17.8
 * at the smallest a allowed, 0.005).  A store is thus at most 4096 (+ 64
 * spare) counts of 8 bytes whatever the number of values; log-normal data
 * at a = 0.01 needs a few hundred.
 *
 * Quantiles interpolate between the estimates of the order statistics
 * x[floor(h)] and x[ceil(h)], h = p (n - 1), like percentile_cont: the
 * result q' of the exact q = x_lo + f (x_hi - x_lo) satisfies
 * |q' - q| <= a ((1 - f) |x_lo| + f |x_hi|)  (= a |q| when x_lo, x_hi have
 * the same sign), up to rounding; rank 0 and rank n - 1 are the exact min
 * and max.  Count, min, max and exact sums of x and of x^2 (each square
 * added exactly, as its rounded value and rounding error) ride along: the
 * mean is correctly rounded and the standard deviation accurate to a few
 * ulps, both independent of the order and split of the values.
 *
 * The sketch is one contiguous buffer (a PostgreSQL bytea: the first four
 * bytes are the container's and never read by the kernel):
 *   header | nprobs probabilities | len[0] negative, len[1] positive counts
 */
#ifndef CHEMECO_QUANTILE_SKETCH_H
#define CHEMECO_QUANTILE_SKETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exact_sum.h"
#include "summary.h"

#define QSKETCH_MAGIC 0x31534451u	/* "QDS1": layout version 1 */
#define QSKETCH_MAX_BUCKETS 4096
#define QSKETCH_SLACK 32		/* spare buckets added when a store grows */
#define QSKETCH_MIN_ERROR 0.005
#define QSKETCH_MAX_ERROR 0.5
#define QSKETCH_DEFAULT_ERROR 0.01

typedef union QSketchSlot
{
	double		prob;
	int64_t		count;
} QSketchSlot;

typedef struct QuantileSketch
{
	uint32_t	container_header;	/* the varlena length word: not the kernel's */
	uint32_t	magic;
	double		relative_error;
	int64_t		count;			/* values added */
	int64_t		zeros;			/* of which equal to 0 */
	double		min;
	double		max;
	int32_t		nprobs;
	int32_t		low[2];			/* store s holds buckets low[s] .. low[s] + len[s] - 1 */
	int32_t		len[2];			/* store 0: negative values (by |x|), 1: positive */
	int32_t		reserved;		/* zero */
	ExactSum	sum;
	ExactSum	sum_squares;
	QSketchSlot slots[];		/* nprobs probabilities, len[0] + len[1] counts */
} QuantileSketch;

typedef enum QSketchCheck
{
	QSKETCH_OK,
	QSKETCH_MALFORMED,			/* not a sketch of this layout: sizes, counts, sums */
	QSKETCH_BAD_PARAMETER		/* relative_error or a probability out of range */
} QSketchCheck;

extern bool qsketch_valid_error(double relative_error);

/* Bytes of a sketch with these lengths. */
extern size_t qsketch_size(int32_t nprobs, int32_t neg_len, int32_t pos_len);
extern size_t qsketch_total_size(const QuantileSketch *s);

/* A new empty sketch (kernel_alloc'd); relative_error valid, probs in [0, 1]. */
extern QuantileSketch *qsketch_create(double relative_error, const double *probs, int32_t nprobs);

/* Whether x can be added: finite, and x * x finite (|x| < 1.3e154). */
extern bool qsketch_accepts(double x);

/*
 * Add x (qsketch_accepts).  Returns s, or a new larger sketch when a store
 * grows (s is then left as it was, for the caller to free).
 */
extern QuantileSketch *qsketch_add(QuantileSketch *s, double x);

/* Same relative_error and probabilities. */
extern bool qsketch_compatible(const QuantileSketch *a, const QuantileSketch *b);

/* into += from (compatible, both checked); returns into or a new sketch like qsketch_add. */
extern QuantileSketch *qsketch_merge(QuantileSketch *into, const QuantileSketch *from);

/* out[i] = estimate of quantile probs[i] (clamped to [0, 1]); s->count >= 1. */
extern void qsketch_quantiles(const QuantileSketch *s, const double *probs, size_t nprobs, double *out);

/* n, mean, stddev from the sums; min, max exact; quartiles, iqr, fences from the sketch. */
extern SummaryStatus qsketch_summary(const QuantileSketch *s, Summary *out);

/*
 * Check bytes[0..size) (8-byte aligned) as a sketch.  full = false checks
 * what qsketch_add needs to stay inside the state (magic, lengths, size,
 * window bounds: O(1)); full = true also the exact sums, every count, the
 * total, min and max, the probabilities.  Only a fully checked sketch may be merged or queried.
 */
extern QSketchCheck qsketch_check(const void *bytes, size_t size, bool full);

#endif
