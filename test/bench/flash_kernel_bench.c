/*
 * flash_kernel_bench.c: the Flash-entropy search kernel alone, outside the
 * server, over an in-memory synthetic library shaped like bench_search.sh's
 * (uniform m/z 50-1000, ~105 peaks per spectrum), cut into page-sized
 * slices as the index scan feeds it.  Prints the mean wall-clock time per
 * query of each phase (wall clock, as the first pass may run on threads: run
 * it on an idle machine), so that a change to the kernel can be measured
 * without a cluster.
 *
 * Build: make -s kernels && cc -O2 -Isrc/common -Isrc/spectrum -Isrc/spectrum_search \
 *          test/bench/flash_kernel_bench.c -Ltest -lchemeco_kernels -lgsl -lgslcblas -ljansson -lm -lpthread
 * Usage: a.out [SPECTRA (1000000)] [QUERIES (20)] [PARTS (1): threads of the first pass]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "entropy.h"
#include "flash.h"
#include "kernel.h"
#include "prng.h"

#define PEAKS_PER_SPECTRUM 105
#define SLICE_PEAKS 291			/* peaks per index page (FLASH_PEAKS_PER_PAGE) */
#define TOP_K 10
#define BATCH_SLICES 1024		/* pages pinned at a time by the scan */

static Prng rng;

static double
uniform(void)
{
	return prng_uniform(&rng);
}

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + 1e-9 * t.tv_nsec;
}

typedef struct Library
{
	size_t		npeaks;
	uint32_t	nspectra;
	double	   *mz;
	double	   *intensity;
	uint32_t   *row;
	double	   *intensity_term;
} Library;

static uint64_t
gcd(uint64_t a, uint64_t b)
{
	while (b)
	{
		uint64_t	r = a % b;

		a = b;
		b = r;
	}
	return a;
}

/*
 * Peaks in m/z order; each run of nspectra peaks holds one peak of every
 * spectrum, in the order of a random affine permutation, so that spectra are
 * mixed at random while a spectrum's peaks are far apart and increasing (as
 * prepared spectra's are).
 */
static void
make_library(Library *lib, uint32_t nspectra)
{
	double		gap = 950.0 / ((double) nspectra * PEAKS_PER_SPECTRUM);
	double		mz = 50;
	uint64_t	multiplier = 1,
				offset = 0;

	lib->nspectra = nspectra;
	lib->npeaks = (size_t) nspectra * PEAKS_PER_SPECTRUM;
	lib->mz = malloc(sizeof(double) * lib->npeaks);
	lib->intensity = malloc(sizeof(double) * lib->npeaks);
	lib->row = malloc(sizeof(uint32_t) * lib->npeaks);
	lib->intensity_term = malloc(sizeof(double) * lib->npeaks);
	for (size_t i = 0; i < lib->npeaks; i++)
	{
		mz += 2 * gap * uniform();
		lib->mz[i] = mz;
		lib->intensity[i] = (0.05 + 1.9 * uniform()) / PEAKS_PER_SPECTRUM;
		lib->intensity_term[i] = flash_intensity_term(lib->intensity[i]);
		if (i % nspectra == 0)
		{
			do
				multiplier = 1 + (uint64_t) (uniform() * (nspectra - 1));
			while (gcd(multiplier, nspectra) != 1);
			offset = (uint64_t) (uniform() * nspectra);
		}
		lib->row[i] = (uint32_t) ((i * multiplier + offset) % nspectra);
	}
}

/* A prepared query: a noisy library spectrum (odd) or random peaks (even). */
static int
make_query(const Library *lib, int q, Peak **prepared)
{
	Peak		raw[256];
	int			n = 0;

	if (q % 2)
	{
		size_t		first = (size_t) (uniform() * lib->nspectra);

		for (size_t i = first; i < lib->npeaks && n < 256; i += lib->nspectra)
		{
			raw[n].mz = lib->mz[i] + (uniform() - 0.5) * 0.01;
			raw[n++].intensity = lib->intensity[i] * (0.8 + 0.4 * uniform());
		}
	}
	else
	{
		n = 10 + (int) (uniform() * 190);
		for (int i = 0; i < n; i++)
		{
			raw[i].mz = 50 + uniform() * 950;
			raw[i].intensity = 1 + uniform() * 999;
		}
	}
	peaks_sort_by_mz(raw, n);
	return entropy_prepare_for_matching(raw, n, FLASH_OPERATOR_TOLERANCE, prepared);
}

static size_t
lower_bound(const Library *lib, double low)
{
	size_t		lo = 0,
				hi = lib->npeaks;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (lib->mz[mid] < low)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool
never_stop(void)
{
	return false;
}

/*
 * Every query peak's window, cut at page boundaries, handed over in batches
 * of up to BATCH_SLICES slices as the index scan does; returns the peaks fed.
 */
static size_t
feed(FlashSearch *search, const Library *lib, const size_t *starts, bool collect)
{
	static FlashSlice slices[BATCH_SLICES];
	int			nslices = 0;
	size_t		fed = 0;

	for (int q = 0; q < search->nquery; q++)
	{
		double		low,
					high;
		size_t		position = starts[q];

		flash_window(search->query[q].mz, search->tolerance, &low, &high);
		while (position < lib->npeaks)
		{
			size_t		page_end = (position / SLICE_PEAKS + 1) * SLICE_PEAKS;
			size_t		end = position;
			FlashSlice *slice = &slices[nslices++];

			if (page_end > lib->npeaks)
				page_end = lib->npeaks;
			while (end < page_end && lib->mz[end] <= high)
				end++;
			slice->mz = lib->mz + position;
			slice->intensity = lib->intensity + position;
			slice->row = lib->row + position;
			slice->intensity_term = lib->intensity_term + position;
			slice->n = (int) (end - position);
			slice->query_index = q;
			slice->position = position;
			fed += end - position;
			if (nslices == BATCH_SLICES)
			{
				if (collect)
					for (int i = 0; i < nslices; i++)
						flash_search_collect(search, &slices[i]);
				else
					flash_search_slices(search, slices, nslices, never_stop);
				nslices = 0;
			}
			if (end < page_end)
				break;
			position = page_end;
		}
	}
	if (collect)
		for (int i = 0; i < nslices; i++)
			flash_search_collect(search, &slices[i]);
	else
		flash_search_slices(search, slices, nslices, never_stop);
	return fed;
}

int
main(int argc, char **argv)
{
	uint32_t	nspectra = argc > 1 ? (uint32_t) atol(argv[1]) : 1000000;
	int			nqueries = argc > 2 ? atoi(argv[2]) : 20;
	int			parts = argc > 3 ? atoi(argv[3]) : 1;
	Library		lib;
	FlashWorkspace workspace;
	double		t_window = 0,
				t_slice = 0,
				t_collect = 0,
				t_finish = 0,
				t_stream = 0,
				t_end = 0;
	size_t		visits = 0,
				touched = 0;
	int			collects = 0;
	double		checksum = 0;

	prng_seed(&rng, 1);
	make_library(&lib, nspectra);
	workspace.capacity = nspectra;
	workspace.stamps_used = 0;
	workspace.state = calloc(nspectra, sizeof(FlashSpectrumState));
	workspace.touched = calloc((size_t) nspectra + FLASH_MAX_PARTS, sizeof(uint32_t));
	workspace.ambiguous = calloc((size_t) nspectra / 64 + 1, sizeof(uint64_t));
	for (int q = 0; q < nqueries; q++)
	{
		Peak	   *query;
		int			nquery = make_query(&lib, q, &query);
		size_t	   *starts = malloc(sizeof(size_t) * (nquery + 1));
		FlashSearch search;
		FlashHitStream stream;
		FlashHit	hit;
		double		t0 = now(),
					t1,
					t2,
					t3,
					t4,
					t5,
					t6;

		flash_search_begin(&search, query, nquery, FLASH_OPERATOR_TOLERANCE, nspectra, &workspace, parts);
		for (int i = 0; i < nquery; i++)
		{
			double		low,
						high;

			flash_window(query[i].mz, FLASH_OPERATOR_TOLERANCE, &low, &high);
			starts[i] = lower_bound(&lib, low);
		}
		t1 = now();
		visits += feed(&search, &lib, starts, false);
		t2 = now();
		if (flash_search_ambiguous(&search) > 0)
		{
			collects++;
			feed(&search, &lib, starts, true);
		}
		t3 = now();
		flash_search_finish(&search);
		flash_hit_stream_begin(&stream, &search, never_stop);
		t4 = now();
		for (int k = 0; k < TOP_K && flash_hit_stream_next(&stream, &hit); k++)
			checksum += hit.distance;
		t5 = now();
		for (int p = 0; p < search.nparts; p++)
			touched += search.parts[p].ntouched;
		flash_hit_stream_end(&stream);
		flash_search_end(&search);
		t6 = now();
		t_window += t1 - t0;
		t_slice += t2 - t1;
		t_collect += t3 - t2;
		t_finish += t4 - t3;
		t_stream += t5 - t4;
		t_end += t6 - t5;
		free(starts);
		kernel_free(query);
	}
	printf("spectra %u, peaks %zu, queries %d (%d needed the collect pass), parts %d\n",
		   nspectra, lib.npeaks, nqueries, collects, parts);
	printf("per query: %.0f peaks visited, %.0f spectra touched\n",
		   (double) visits / nqueries, (double) touched / nqueries);
	printf("ms/query: windows %.3f  slices %.3f (%.1f ns/visit)  collect %.3f  finish %.3f  top-%d %.3f  end %.3f  total %.3f\n",
		   1e3 * t_window / nqueries, 1e3 * t_slice / nqueries, 1e9 * t_slice / visits,
		   1e3 * t_collect / nqueries, 1e3 * t_finish / nqueries, TOP_K, 1e3 * t_stream / nqueries,
		   1e3 * t_end / nqueries,
		   1e3 * (t_window + t_slice + t_collect + t_finish + t_stream + t_end) / nqueries);
	printf("checksum %.17g\n", checksum);
	return 0;
}
