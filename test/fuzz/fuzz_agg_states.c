/*
 * fuzz_agg_states.c: libFuzzer target for the aggregate states a client can
 * forge (issue 15): the bytea of weighted_mean (a WeightedSum of exact
 * sums), the flat value state of impact_summary / quantiles (probabilities
 * and values) and signal_to_noise's float8[2] {sum, count} all come back as
 * plain bytes.  Each is read the way the glue reads it: a state the
 * well-formedness check accepts must be consumed (mean, merge, sign,
 * division, quantiles, summary) without a sanitizer report.  (It found that
 * merging two accepted weighted_mean states could overflow the count.)
 *
 * Input: the first byte picks the state kind; the rest is the state's bytes
 * (zero-padded to the struct size).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "quantile.h"
#include "summary.h"
#include "weighted_sum.h"

#define MAX_VALUES 4096

static void
weighted_state(const uint8_t *data, size_t size)
{
	WeightedSum s,
				merged;
	double		mean;

	memset(&s, 0, sizeof(s));
	memcpy(&s, data, size < sizeof(s) ? size : sizeof(s));
	if (!weighted_sum_is_well_formed(&s))
		return;
	(void) weighted_sum_mean(&s, &mean);
	(void) exact_sum_sign(&s.weights);
	(void) exact_sum_divided(&s.products, 3.0, &mean);
	/* combine: two accepted states merge without undefined behaviour; the result is checked again when read */
	merged = s;
	weighted_sum_merge(&merged, &s);
	if (weighted_sum_is_well_formed(&merged))
		(void) weighted_sum_mean(&merged, &mean);
}

/* int32 nprobs, int64 count, nprobs probabilities, count values (pg_value_buffer.c's check_flat) */
static void
flat_values_state(const uint8_t *data, size_t size)
{
	int32_t		nprobs;
	int64_t		count;
	size_t		doubles;
	double	   *probs,
			   *values,
			   *out;
	Summary		summary;

	if (size < 12 || (size - 12) % sizeof(double) != 0)
		return;
	memcpy(&nprobs, data, sizeof(nprobs));
	memcpy(&count, data + 4, sizeof(count));
	doubles = (size - 12) / sizeof(double);
	if (nprobs < 0 || count < 0 || (uint64_t) nprobs + (uint64_t) count > doubles || count > MAX_VALUES)
		return;
	probs = kernel_alloc_array((size_t) nprobs + 1, sizeof(double));
	values = kernel_alloc_array((size_t) count + 1, sizeof(double));
	out = kernel_alloc_array((size_t) nprobs + 1, sizeof(double));
	memcpy(probs, data + 12, sizeof(double) * nprobs);
	memcpy(values, data + 12 + sizeof(double) * nprobs, sizeof(double) * count);
	for (int32_t i = 0; i < nprobs; i++)
		if (!(probs[i] >= 0 && probs[i] <= 1))
			goto done;
	for (int64_t i = 0; i < count; i++)
		if (!isfinite(values[i]))
			goto done;
	if (count > 0)
	{
		quantiles(values, (size_t) count, probs, (size_t) nprobs, out);
		(void) summarize(values, (size_t) count, false, &summary);
	}
done:
	kernel_free(probs);
	kernel_free(values);
	kernel_free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] % 2 == 0)
		weighted_state(data + 1, size - 1);
	else
		flat_values_state(data + 1, size - 1);
	return 0;
}
