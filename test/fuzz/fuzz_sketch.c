/*
 * fuzz_sketch.c: libFuzzer target for the quantile sketch state
 * (quantile_sketch.h), the bytea that quantiles_approx and
 * impact_summary_approx read back from anywhere (a partial state from a
 * worker or a shard, a forged argument, an initial condition).
 *
 * Input: the bytea's content (what follows the varlena header), placed
 * after a 4-byte container header in 8-byte aligned memory, as the glue
 * does.  A state that passes the addressing check (what a transition
 * function requires before each row) has values added to it as long as it
 * keeps passing it (a forged state may stop passing, as the next row would
 * find); one that passes the full check (final and combine functions) is
 * also queried, summarised and merged with itself: the estimates must lie
 * in [min, max].
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "quantile_sketch.h"

static QuantileSketch *
replaced(QuantileSketch *old, QuantileSketch *new_sketch)
{
	if (new_sketch != old)
		kernel_free(old);
	return new_sketch;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t		total = size + 4;
	QuantileSketch *s = kernel_alloc(total < sizeof(QuantileSketch) ? sizeof(QuantileSketch) : total);
	const double values[] = {0.0, 1.5, -2.25e-300, 7e153, -3.0, 1e-10};
	double		probs[] = {0, 1e-9, 0.25, 0.5, 0.999, 1};
	double		out[6];

	memset(s, 0, 4);
	memcpy((char *) s + 4, data, size);
	if (qsketch_check(s, total, false) != QSKETCH_OK)
	{
		kernel_free(s);
		return 0;
	}
	if (qsketch_check(s, total, true) == QSKETCH_OK && s->count > 0)
	{
		QuantileSketch *copy = kernel_alloc(total);
		Summary		summary;

		qsketch_quantiles(s, probs, 6, out);
		for (int i = 0; i < 6; i++)
			if (!(out[i] >= s->min && out[i] <= s->max))
				abort();
		(void) qsketch_summary(s, &summary);
		memcpy(copy, s, total);
		if ((uint64_t) s->count <= (uint64_t) INT64_MAX / 2)
			copy = replaced(copy, qsketch_merge(copy, s));
		(void) qsketch_check(copy, qsketch_total_size(copy), true);
		kernel_free(copy);
	}
	for (size_t i = 0; i < sizeof values / sizeof values[0] &&
		 qsketch_check(s, qsketch_total_size(s), false) == QSKETCH_OK; i++)
		s = replaced(s, qsketch_add(s, values[i]));
	kernel_free(s);
	return 0;
}
