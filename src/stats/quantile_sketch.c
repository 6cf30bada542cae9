/*
 * quantile_sketch.c: DDSketch with exact min, max and sums (see quantile_sketch.h).
 */
#include "quantile_sketch.h"

#include <math.h>
#include <string.h>

#include "kernel.h"

#define NEGATIVE 0
#define POSITIVE 1
/* |log x| <= 745 for every finite x != 0: bucket indexes stay within this */
#define MAX_LOG_MAGNITUDE 745.2

typedef struct Window
{
	int64_t		low;
	int64_t		high;			/* inclusive; high < low when empty */
} Window;

bool
qsketch_valid_error(double relative_error)
{
	return relative_error >= QSKETCH_MIN_ERROR && relative_error <= QSKETCH_MAX_ERROR;
}

static double
log_gamma(double relative_error)
{
	return log1p(2.0 * relative_error / (1.0 - relative_error));
}

/* The largest |bucket index| of a valid sketch with this error. */
static int64_t
index_bound(double relative_error)
{
	return (int64_t) ceil(MAX_LOG_MAGNITUDE / log_gamma(relative_error)) + 1;
}

size_t
qsketch_size(int32_t nprobs, int32_t neg_len, int32_t pos_len)
{
	return sizeof(QuantileSketch) + ((size_t) nprobs + neg_len + pos_len) * sizeof(QSketchSlot);
}

size_t
qsketch_total_size(const QuantileSketch *s)
{
	return qsketch_size(s->nprobs, s->len[NEGATIVE], s->len[POSITIVE]);
}

static int64_t *
store_counts(QuantileSketch *s, int store)
{
	return &s->slots[s->nprobs + (store == POSITIVE ? s->len[NEGATIVE] : 0)].count;
}

static const int64_t *
store_counts_const(const QuantileSketch *s, int store)
{
	return &s->slots[s->nprobs + (store == POSITIVE ? s->len[NEGATIVE] : 0)].count;
}

/* The buckets of a store holding values (nonzero counts). */
static Window
occupied(const QuantileSketch *s, int store)
{
	const int64_t *c = store_counts_const(s, store);
	Window		w = {0, -1};
	int32_t		first = 0;
	int32_t		last = s->len[store] - 1;

	while (last >= 0 && c[last] == 0)
		last--;
	if (last < 0)
		return w;
	while (c[first] == 0)
		first++;
	w.low = s->low[store] + first;
	w.high = s->low[store] + last;
	return w;
}

QuantileSketch *
qsketch_create(double relative_error, const double *probs, int32_t nprobs)
{
	QuantileSketch *s = kernel_alloc(qsketch_size(nprobs, 0, 0));

	memset(s, 0, sizeof(QuantileSketch));
	s->magic = QSKETCH_MAGIC;
	s->relative_error = relative_error;
	s->nprobs = nprobs;
	exact_sum_init(&s->sum);
	exact_sum_init(&s->sum_squares);
	for (int32_t i = 0; i < nprobs; i++)
		s->slots[i].prob = probs[i];
	return s;
}

bool
qsketch_accepts(double x)
{
	return isfinite(x) && isfinite(x * x);
}

/*
 * A copy of s whose store `store` spans window w (which holds every
 * occupied bucket at or above w.low); counts below w.low are folded into
 * it.  The other store is copied as it is.
 */
static QuantileSketch *
reshaped(const QuantileSketch *s, int store, Window w)
{
	int32_t		len[2] = {s->len[0], s->len[1]};
	QuantileSketch *r;
	const int64_t *from;
	int64_t    *to;

	len[store] = (int32_t) (w.high - w.low + 1);
	r = kernel_alloc(qsketch_size(s->nprobs, len[0], len[1]));
	memcpy(r, s, sizeof(QuantileSketch) + s->nprobs * sizeof(QSketchSlot));
	r->len[0] = len[0];
	r->len[1] = len[1];
	r->low[store] = (int32_t) w.low;
	memcpy(store_counts(r, 1 - store), store_counts_const(s, 1 - store),
		   s->len[1 - store] * sizeof(int64_t));
	to = store_counts(r, store);
	memset(to, 0, len[store] * sizeof(int64_t));
	from = store_counts_const(s, store);
	for (int32_t j = 0; j < s->len[store]; j++)
	{
		int64_t		index = (int64_t) s->low[store] + j;

		int64_t    *c = &to[(index < w.low ? w.low : index) - w.low];

		if (from[j] != 0)
			*c = (int64_t) ((uint64_t) *c + (uint64_t) from[j]);
	}
	return r;
}

/*
 * Make room in a store for counts at buckets of `incoming` (occupied), and
 * fold so that no occupied bucket is more than QSKETCH_MAX_BUCKETS - 1
 * below the highest.  Returns s or a reshaped copy, and the fold bucket
 * (counts at lower indexes go there).
 */
static QuantileSketch *
make_room(QuantileSketch *s, int store, Window incoming, int64_t *fold)
{
	Window		have = occupied(s, store);
	int64_t		low = s->low[store];
	int64_t		high = low + s->len[store] - 1;
	int64_t		top = have.high >= have.low ? (have.high > incoming.high ? have.high : incoming.high) : incoming.high;
	Window		need;
	Window		w;

	*fold = top - QSKETCH_MAX_BUCKETS + 1;
	need.low = incoming.low;
	if (have.high >= have.low && have.low < need.low)
		need.low = have.low;
	if (need.low < *fold)
		need.low = *fold;
	need.high = top;
	if (s->len[store] > 0 && need.low >= low && need.high <= high &&
		(have.high < have.low || have.low >= *fold))
		return s;
	/* grow with some slack in the direction of growth, never below the fold */
	w.low = need.low;
	w.high = need.high;
	if (s->len[store] > 0)
	{
		if (w.low >= low)
			w.low = low > *fold ? low : *fold;
		else
			w.low = w.low - QSKETCH_SLACK > *fold ? w.low - QSKETCH_SLACK : *fold;
		if (w.high <= high)
			w.high = high;
		else
			w.high += QSKETCH_SLACK;
	}
	return reshaped(s, store, w);
}

static int64_t
bucket_index(double magnitude, double inverse_log_gamma)
{
	return (int64_t) ceil(log(magnitude) * inverse_log_gamma);
}

QuantileSketch *
qsketch_add(QuantileSketch *s, double x)
{
	QuantileSketch *r = s;

	/* counts wrap rather than overflow in a forged state (the full check rejects it) */
	if (x == 0.0)
		r->zeros = (int64_t) ((uint64_t) r->zeros + 1);
	else
	{
		int			store = x < 0.0 ? NEGATIVE : POSITIVE;
		int64_t		index = bucket_index(fabs(x), 1.0 / log_gamma(s->relative_error));
		Window		incoming = {index, index};
		int64_t		fold;
		int64_t    *c;

		/*
		 * Most values land inside a window of at most QSKETCH_MAX_BUCKETS:
		 * nothing can fold there (make_room would return s), so count it.
		 */
		if (index >= s->low[store] && index < (int64_t) s->low[store] + s->len[store] &&
			s->len[store] <= QSKETCH_MAX_BUCKETS)
			c = &store_counts(s, store)[index - s->low[store]];
		else
		{
			r = make_room(s, store, incoming, &fold);
			c = &store_counts(r, store)[(index < fold ? fold : index) - r->low[store]];
		}
		*c = (int64_t) ((uint64_t) *c + 1);
	}
	if (r->count == 0 || x < r->min)
		r->min = x;
	if (r->count == 0 || x > r->max)
		r->max = x;
	r->count = (int64_t) ((uint64_t) r->count + 1);
	exact_sum_add(&r->sum, x);
	/* x * x exactly, as the rounded square and its rounding error */
	exact_sum_add(&r->sum_squares, x * x);
	exact_sum_add(&r->sum_squares, fma(x, x, -(x * x)));
	return r;
}

bool
qsketch_compatible(const QuantileSketch *a, const QuantileSketch *b)
{
	return a->relative_error == b->relative_error && a->nprobs == b->nprobs &&
		memcmp(a->slots, b->slots, a->nprobs * sizeof(QSketchSlot)) == 0;
}

QuantileSketch *
qsketch_merge(QuantileSketch *into, const QuantileSketch *from)
{
	QuantileSketch *r = into;

	if (from->count == 0)
		return into;
	for (int store = 0; store < 2; store++)
	{
		Window		incoming = occupied(from, store);
		const int64_t *c = store_counts_const(from, store);
		int64_t		fold;
		int64_t    *to;
		QuantileSketch *grown;

		if (incoming.high < incoming.low)
			continue;
		grown = make_room(r, store, incoming, &fold);
		/* a copy made for the first store is replaced by one for the second */
		if (grown != r && r != into)
			kernel_free(r);
		r = grown;
		to = store_counts(r, store);
		for (int32_t j = 0; j < from->len[store]; j++)
		{
			int64_t		index = (int64_t) from->low[store] + j;

			if (c[j] != 0)
				to[(index < fold ? fold : index) - r->low[store]] += c[j];
		}
		kernel_check_interrupts();
	}
	if (r->count == 0 || from->min < r->min)
		r->min = from->min;
	if (r->count == 0 || from->max > r->max)
		r->max = from->max;
	r->count += from->count;
	r->zeros += from->zeros;
	exact_sum_merge(&r->sum, &from->sum);
	exact_sum_merge(&r->sum_squares, &from->sum_squares);
	return r;
}

/* The estimate of the value of rank `rank` (0-based, < count), within [min, max]. */
static double
value_at_rank(const QuantileSketch *s, int64_t rank)
{
	double		lg = log_gamma(s->relative_error);
	double		scale = 2.0 / (exp(lg) + 1.0);
	const int64_t *neg = store_counts_const(s, NEGATIVE);
	const int64_t *pos = store_counts_const(s, POSITIVE);
	int64_t		seen = 0;
	double		estimate = s->max;

	if (rank <= 0)
		return s->min;
	if (rank >= s->count - 1)
		return s->max;
	for (int32_t j = s->len[NEGATIVE] - 1; j >= 0 && seen <= rank; j--)
		if ((seen += neg[j]) > rank)
			estimate = -scale * exp((s->low[NEGATIVE] + j) * lg);
	if (seen <= rank && (seen += s->zeros) > rank)
		estimate = 0.0;
	for (int32_t j = 0; j < s->len[POSITIVE] && seen <= rank; j++)
		if ((seen += pos[j]) > rank)
			estimate = scale * exp((s->low[POSITIVE] + j) * lg);
	return fmin(fmax(estimate, s->min), s->max);
}

void
qsketch_quantiles(const QuantileSketch *s, const double *probs, size_t nprobs, double *out)
{
	for (size_t i = 0; i < nprobs; i++)
	{
		double		position = fmin(fmax(probs[i], 0.0), 1.0) * (double) (s->count - 1);
		double		first_rank = floor(position);
		double		low = value_at_rank(s, (int64_t) first_rank);
		double		high = value_at_rank(s, (int64_t) ceil(position));

		out[i] = low + (position - first_rank) * (high - low);
	}
}

/* sum -= a * b, exactly (the product as its rounded value and rounding error). */
static bool
subtract_product(ExactSum *sum, double a, double b)
{
	double		p = a * b;

	if (!isfinite(p))
		return false;
	exact_sum_add(sum, -p);
	exact_sum_add(sum, -fma(a, b, -p));
	return true;
}

/*
 * The sum of squared deviations from the (rounded) mean m, from the exact
 * sums S1 = sum x and S2 = sum x^2:  with r = S1 - n m (exact),
 * sum (x - m)^2 = S2 - n m^2 - 2 m r, each product subtracted exactly, so
 * only r is rounded (a relative error of order 2^-53 squared): no
 * cancellation however large the mean is against the spread.
 */
static int
squared_deviations(const QuantileSketch *s, double m, double *result)
{
	ExactSum	residual = s->sum;
	ExactSum	total = s->sum_squares;
	double		n = (double) s->count;
	double		r;
	double		m2 = m * m;

	if (!subtract_product(&residual, n, m) || exact_sum_divided(&residual, 1.0, &r) != 0 ||
		!subtract_product(&total, n, m2) || !subtract_product(&total, n, fma(m, m, -m2)) ||
		!subtract_product(&total, 2.0 * m, r))
		return -1;
	return exact_sum_divided(&total, n - 1.0, result);
}

SummaryStatus
qsketch_summary(const QuantileSketch *s, Summary *out)
{
	static const double quartile_probs[3] = {0.25, 0.5, 0.75};
	double		quartiles[3];
	double		variance;

	out->n = (size_t) s->count;
	if (exact_sum_divided(&s->sum, (double) s->count, &out->mean) != 0)
		return SUMMARY_MEAN_OVERFLOW;
	out->has_stddev = s->count >= 2;
	out->stddev = 0.0;
	if (out->has_stddev)
	{
		if (squared_deviations(s, out->mean, &variance) != 0)
			return SUMMARY_VARIANCE_OVERFLOW;
		out->stddev = sqrt(fmax(0.0, variance));
	}
	qsketch_quantiles(s, quartile_probs, 3, quartiles);
	out->min = s->min;
	out->q1 = quartiles[0];
	out->median = quartiles[1];
	out->q3 = quartiles[2];
	out->max = s->max;
	out->iqr = out->q3 - out->q1;
	out->lower_fence = out->q1 - 1.5 * out->iqr;
	out->upper_fence = out->q3 + 1.5 * out->iqr;
	return SUMMARY_OK;
}

/* Every count >= 0, the occupied span within the limit; adds them to *total. */
static bool
store_well_formed(const QuantileSketch *s, int store, uint64_t *total)
{
	const int64_t *c = store_counts_const(s, store);
	Window		w;

	for (int32_t j = 0; j < s->len[store]; j++)
	{
		if (c[j] < 0 || (uint64_t) c[j] > (uint64_t) INT64_MAX - *total)
			return false;
		*total += (uint64_t) c[j];
	}
	w = occupied(s, store);
	return w.high < w.low || w.high - w.low < QSKETCH_MAX_BUCKETS;
}

QSketchCheck
qsketch_check(const void *bytes, size_t size, bool full)
{
	const QuantileSketch *s = bytes;
	uint64_t	total;
	int64_t		bound;

	if (size < sizeof(QuantileSketch) || s->magic != QSKETCH_MAGIC || s->nprobs < 0 ||
		s->reserved != 0 || (size_t) s->nprobs > size / sizeof(QSketchSlot))
		return QSKETCH_MALFORMED;
	for (int store = 0; store < 2; store++)
		if (s->len[store] < 0 || s->len[store] > QSKETCH_MAX_BUCKETS + 2 * QSKETCH_SLACK)
			return QSKETCH_MALFORMED;
	if (size != qsketch_total_size(s))
		return QSKETCH_MALFORMED;
	/* NaN fails too; the window bounds keep index arithmetic in range */
	if (!qsketch_valid_error(s->relative_error))
		return QSKETCH_BAD_PARAMETER;
	bound = index_bound(s->relative_error);
	for (int store = 0; store < 2; store++)
		if (s->low[store] < -bound - QSKETCH_SLACK || (int64_t) s->low[store] + s->len[store] > bound + QSKETCH_SLACK)
			return QSKETCH_MALFORMED;
	/*
	 * Adding a value touches three digits of each sum, within their bounds
	 * by construction; forged sums are caught where a state is consumed
	 * (combine, final: full), as weighted_mean does, not on every row.
	 */
	if (!full)
		return QSKETCH_OK;
	if (!exact_sum_is_well_formed(&s->sum) || !exact_sum_is_well_formed(&s->sum_squares))
		return QSKETCH_MALFORMED;
	if (s->count < 0 || s->zeros < 0)
		return QSKETCH_MALFORMED;
	total = (uint64_t) s->zeros;
	if (!store_well_formed(s, NEGATIVE, &total) || !store_well_formed(s, POSITIVE, &total) ||
		total != (uint64_t) s->count)
		return QSKETCH_MALFORMED;
	if (s->count > 0 && !(isfinite(s->min) && isfinite(s->max) && s->min <= s->max))
		return QSKETCH_MALFORMED;
	for (int32_t i = 0; i < s->nprobs; i++)
		if (!(s->slots[i].prob >= 0.0 && s->slots[i].prob <= 1.0))
			return QSKETCH_BAD_PARAMETER;
	return QSKETCH_OK;
}
