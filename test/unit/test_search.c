/*
 * Unit tests of the Flash-entropy search kernel: on random libraries its
 * distances must be exactly (bit for bit) 1 - entropy_similarity of the
 * brute-force two-pointer walk, including libraries on a 0.01 Da grid, where
 * peaks sit exactly on window edges and the walk's greedy choice matters.
 */
#include <stdint.h>
#include <string.h>

#include "entropy.h"
#include "flash.h"
#include "search_score.h"
#include "kernel.h"
#include "unit.h"

static uint64_t rng_state;

/* f(x + y) - f(x) - f(y), f(x) = x log2 x, written out independently of the kernels */
static double
pair_term_reference(double x, double y)
{
	return (x + y) * log2(x + y) - x * log2(x) - y * log2(y);
}

static double
uniform(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (double) (rng_state >> 11) / 9007199254740992.0;
}

/* n peaks in [50, 1000]; on a grid of `grid` Da when grid > 0. */
static int
random_spectrum(Peak *peaks, int max_peaks, double grid)
{
	int			n = 1 + (int) (uniform() * max_peaks);

	for (int i = 0; i < n; i++)
	{
		double		mz = 50 + uniform() * 950;

		peaks[i].mz = grid > 0 ? grid * (double) (long) (mz / grid) : mz;
		peaks[i].intensity = uniform() < 0.1 ? 0.0 : 1 + uniform() * 999;
	}
	peaks_sort_by_mz(peaks, n);
	return n;
}

static void
normalize(Peak *peaks, int n)
{
	double		total = 0;

	for (int i = 0; i < n; i++)
		total += peaks[i].intensity;
	for (int i = 0; i < n && total > 0; i++)
		peaks[i].intensity /= total;
}

typedef struct Library
{
	int			nspectra;
	Peak	  **raw;
	int		   *nraw;
	FlashPeak  *peaks;			/* prepared, sorted by m/z */
	size_t		npeaks;
	/* the same peaks as the index pages store them */
	double	   *mz;
	double	   *intensity;
	double	   *intensity_term;
	uint32_t   *row;
} Library;

/* Library spectra share fragments with the query so that windows collide. */
static void
make_library(Library *lib, int nspectra, int max_peaks, double grid, double tolerance,
			 bool prepare, const Peak *query, int nquery)
{
	size_t		capacity = 0;

	lib->nspectra = nspectra;
	lib->raw = kernel_alloc_array(nspectra, sizeof(Peak *));
	lib->nraw = kernel_alloc_array(nspectra, sizeof(int));
	for (int s = 0; s < nspectra; s++)
	{
		lib->raw[s] = kernel_alloc_array(max_peaks + 2 * nquery, sizeof(Peak));
		lib->nraw[s] = random_spectrum(lib->raw[s], max_peaks, grid);
		for (int q = 0; q < nquery; q++)
		{
			double		shift = grid > 0 ? grid * (int) (uniform() * 5 - 2) : (uniform() - 0.5) * 3 * tolerance;

			if (uniform() < 0.3)
			{
				lib->raw[s][lib->nraw[s]].mz = query[q].mz + shift;
				lib->raw[s][lib->nraw[s]++].intensity = 1 + uniform() * 999;
			}
			/* on a grid: a second peak 2 x tolerance away, both on the window's edges */
			if (grid > 0 && uniform() < 0.1)
			{
				lib->raw[s][lib->nraw[s]].mz = query[q].mz + shift + 2 * tolerance;
				lib->raw[s][lib->nraw[s]++].intensity = 1 + uniform() * 999;
			}
		}
		peaks_sort_by_mz(lib->raw[s], lib->nraw[s]);
		/* the kernel's contract: m/z strictly increasing within a library spectrum */
		{
			int			kept = 1;

			for (int i = 1; i < lib->nraw[s]; i++)
				if (lib->raw[s][i].mz > lib->raw[s][kept - 1].mz)
					lib->raw[s][kept++] = lib->raw[s][i];
			lib->nraw[s] = kept;
		}
		normalize(lib->raw[s], lib->nraw[s]);
		capacity += (size_t) lib->nraw[s];
	}
	lib->peaks = kernel_alloc_array(capacity + 1, sizeof(FlashPeak));
	lib->npeaks = 0;
	for (int s = 0; s < nspectra; s++)
	{
		Peak	   *prepared = lib->raw[s];
		int			n = lib->nraw[s];

		if (prepare)
			n = entropy_prepare_for_matching(lib->raw[s], lib->nraw[s], tolerance, &prepared);

		for (int i = 0; i < n; i++)
		{
			lib->peaks[lib->npeaks].mz = prepared[i].mz;
			lib->peaks[lib->npeaks].intensity = prepared[i].intensity;
			lib->peaks[lib->npeaks++].row = (uint32_t) s;
		}
		if (prepare)
			kernel_free(prepared);
	}
	flash_sort_peaks(lib->peaks, lib->npeaks);
	lib->mz = kernel_alloc_array(lib->npeaks + 1, sizeof(double));
	lib->intensity = kernel_alloc_array(lib->npeaks + 1, sizeof(double));
	lib->intensity_term = kernel_alloc_array(lib->npeaks + 1, sizeof(double));
	lib->row = kernel_alloc_array(lib->npeaks + 1, sizeof(uint32_t));
	for (size_t i = 0; i < lib->npeaks; i++)
	{
		lib->mz[i] = lib->peaks[i].mz;
		lib->intensity[i] = lib->peaks[i].intensity;
		/* as the index stores it, computed here from the walk's own definition */
		lib->intensity_term[i] = lib->intensity[i] > 0 ? lib->intensity[i] * log2(lib->intensity[i]) : 0.0;
		lib->row[i] = lib->peaks[i].row;
	}
}

static void
free_library(Library *lib)
{
	for (int s = 0; s < lib->nspectra; s++)
		kernel_free(lib->raw[s]);
	kernel_free(lib->raw);
	kernel_free(lib->nraw);
	kernel_free(lib->peaks);
	kernel_free(lib->mz);
	kernel_free(lib->intensity);
	kernel_free(lib->intensity_term);
	kernel_free(lib->row);
}

static bool
never_stop(void)
{
	return false;
}

/* How a test hands the windows to the kernel. */
typedef struct Feeding
{
	int			max_slice;		/* peaks per slice, as a page would cut them */
	int			batch;			/* slices per flash_search_slices call */
	int			parts;			/* of flash_search_begin */
	bool		threads;		/* run the parts on threads, however small the batch */
} Feeding;

/* Every query peak's window in slices and batches, as the index scan does. */
static void
feed_windows(FlashSearch *search, const Library *lib, bool collect, const Feeding *feeding)
{
	FlashSlice *slices = kernel_alloc_array((size_t) feeding->batch, sizeof(FlashSlice));
	int			nslices = 0;

	for (int q = 0; q < search->nquery; q++)
	{
		double		low,
					high;
		size_t		start = 0,
					end;

		flash_window(search->query[q].mz, search->tolerance, &low, &high);
		while (start < lib->npeaks && lib->mz[start] < low)
			start++;
		for (end = start; end < lib->npeaks && lib->mz[end] <= high; end++)
			;
		/* a superset of the window is allowed: include one neighbour each side */
		if (start > 0)
			start--;
		if (end < lib->npeaks)
			end++;
		while (start < end)
		{
			FlashSlice *slice = &slices[nslices++];
			int			n = (int) (end - start < (size_t) feeding->max_slice ? end - start : (size_t) feeding->max_slice);

			slice->mz = lib->mz + start;
			slice->intensity = lib->intensity + start;
			slice->intensity_term = lib->intensity_term + start;
			slice->row = lib->row + start;
			slice->n = n;
			slice->query_index = q;
			slice->position = start;
			start += (size_t) n;
			if (nslices == feeding->batch || (q == search->nquery - 1 && start == end))
			{
				if (collect)
					for (int i = 0; i < nslices; i++)
						flash_search_collect(search, &slices[i]);
				else
					CHECK(flash_search_slices(search, slices, nslices, never_stop));
				nslices = 0;
			}
		}
	}
	kernel_free(slices);
}

/* Varies slices, batches, parts and threads from round to round. */
static Feeding
feeding_for(int round, int max_slice)
{
	static const int parts[] = {1, 2, 3, FLASH_MAX_PARTS};
	Feeding		feeding;

	feeding.max_slice = max_slice;
	feeding.batch = 1 + (round * 13) % 40;
	feeding.parts = parts[round % 4];
	feeding.threads = round % 3 != 0;
	return feeding;
}

/*
 * Returns the number of ambiguous spectra seen; fails on any difference.
 * Without prepare, spectra are searched as they are (peaks closer than the
 * tolerance, as entropy_prepare never leaves them), to exercise the walk.
 */
static int
compare_with_brute_force(int nspectra, int max_peaks, double grid, double tolerance,
						 bool prepare, Feeding feeding, FlashWorkspace *workspace)
{
	Peak		raw_query[128];
	int			nraw_query = random_spectrum(raw_query, 60, grid);
	Peak	   *query;
	int			nquery;

	/* on a grid: query peaks 2 x tolerance apart, so one library peak can sit in two windows */
	if (grid > 0)
	{
		for (int i = 0, n = nraw_query; i < n && i < 60; i += 3)
		{
			raw_query[nraw_query].mz = raw_query[i].mz + 2 * tolerance;
			raw_query[nraw_query++].intensity = 1 + uniform() * 999;
		}
		peaks_sort_by_mz(raw_query, nraw_query);
	}
	normalize(raw_query, nraw_query);
	if (prepare)
		nquery = entropy_prepare_for_matching(raw_query, nraw_query, tolerance, &query);
	else
	{
		query = kernel_alloc_array(nraw_query, sizeof(Peak));
		memcpy(query, raw_query, nraw_query * sizeof(Peak));
		nquery = nraw_query;
	}
	Library		lib;
	FlashSearch search;
	FlashHit	hit;
	FlashHitStream stream;
	int			returned = 0;
	double	   *expected = kernel_alloc_array(nspectra, sizeof(double));
	double		previous = -1;
	uint32_t	previous_spectrum = 0;
	int			expected_hits = 0,
				nambiguous;

	make_library(&lib, nspectra, max_peaks, grid, tolerance, prepare, raw_query, nraw_query);
	for (int s = 0; s < nspectra; s++)
	{
		if (prepare)
			expected[s] = 1.0 - entropy_similarity(lib.raw[s], lib.nraw[s], raw_query, nraw_query,
												   mz_tolerance_da(tolerance), true, true);
		else
			expected[s] = flash_distance_prepared(lib.raw[s], lib.nraw[s], query, nquery, tolerance);
		expected_hits += expected[s] < 1.0;
	}

	flash_search_begin(&search, query, nquery, tolerance, (uint32_t) nspectra, workspace, feeding.parts);
	if (feeding.threads)
		search.thread_min_work = 0;
	feed_windows(&search, &lib, false, &feeding);
	nambiguous = (int) flash_search_ambiguous(&search);
	if (nambiguous > 0)
		feed_windows(&search, &lib, true, &feeding);
	flash_search_finish(&search);

	for (int s = 0; s < nspectra; s++)
		if (flash_search_distance(&search, (uint32_t) s) != expected[s])
			CHECK_NEAR(flash_search_distance(&search, (uint32_t) s), expected[s], 0);
	flash_hit_stream_begin(&stream, &search, never_stop);
	while (flash_hit_stream_next(&stream, &hit))
	{
		returned++;
		/* exactly the brute-force double, in (distance, spectrum) order */
		if (hit.distance != expected[hit.spectrum])
			CHECK_NEAR(hit.distance, expected[hit.spectrum], 0);
		CHECK(hit.distance > previous || (hit.distance == previous && hit.spectrum > previous_spectrum));
		previous = hit.distance;
		previous_spectrum = hit.spectrum;
		expected[hit.spectrum] = 2;	/* seen */
	}
	CHECK(!stream.stopped);
	flash_hit_stream_end(&stream);
	CHECK_INT(returned, expected_hits);
	for (int s = 0; s < nspectra; s++)
		CHECK(expected[s] == 2 || expected[s] == 1.0);

	flash_search_end(&search);
	free_library(&lib);
	kernel_free(query);
	kernel_free(expected);
	return nambiguous;
}

UNIT_TEST(flash_equals_brute_force_continuous_mz)
{
	rng_state = 0x9E3779B97F4A7C15ULL;
	for (int round = 0; round < 40; round++)
		compare_with_brute_force(300, 80, 0, 0.02, true, feeding_for(round, 1 + round * 7), NULL);
}

/* A workspace reused by every search, as the index scan does (never cleared between searches). */
static FlashWorkspace *
test_workspace(uint32_t capacity)
{
	static FlashWorkspace workspace;

	if (workspace.capacity < capacity)
	{
		kernel_free(workspace.state);
		kernel_free(workspace.touched);
		kernel_free(workspace.ambiguous);
		workspace.capacity = capacity;
		workspace.state = kernel_alloc_array(capacity, sizeof(FlashSpectrumState));
		workspace.touched = kernel_alloc_array(capacity + FLASH_MAX_PARTS, sizeof(uint32_t));
		workspace.ambiguous = kernel_alloc_array(capacity / 64 + 1, sizeof(uint64_t));
		memset(workspace.state, 0, capacity * sizeof(FlashSpectrumState));
		workspace.stamps_used = 0;
	}
	return &workspace;
}

UNIT_TEST(flash_equals_brute_force_on_grid)
{
	rng_state = 0xD1B54A32D192ED03ULL;
	for (int round = 0; round < 40; round++)
		compare_with_brute_force(round % 2 ? 300 : 30, 80, 0.01, 0.02, true, feeding_for(round, 3 + round * 11), test_workspace(300));
}

/* Stale sums and stamps of earlier searches count for nothing, also when the stamps run out. */
UNIT_TEST(flash_workspace_reuse_and_stamp_wraparound)
{
	FlashWorkspace *workspace = test_workspace(300);

	rng_state = 0x243F6A8885A308D3ULL;
	compare_with_brute_force(300, 80, 0, 0.02, true, feeding_for(1, 50), workspace);
	CHECK(workspace->stamps_used > 0);
	/* the next search's stamps would pass UINT32_MAX: the state is cleared first */
	workspace->stamps_used = UINT32_MAX - 5;
	compare_with_brute_force(300, 80, 0, 0.02, true, feeding_for(2, 50), workspace);
	CHECK(workspace->stamps_used < 1000);
	/* and the search after that */
	compare_with_brute_force(300, 80, 0, 0.02, true, feeding_for(3, 50), workspace);
}

UNIT_TEST(flash_equals_walk_on_unprepared_spectra_with_ambiguous_windows)
{
	int			ambiguous = 0;

	rng_state = 7;
	for (int round = 0; round < 40; round++)
		ambiguous += compare_with_brute_force(300, 80, round % 2 ? 0.01 : 0, 0.02, false,
											 feeding_for(round, 2 + round * 13),
											 round % 3 ? test_workspace(300) : NULL);
	/* peaks closer than 2 x tolerance share windows: the fallback must have run */
	CHECK(ambiguous > 100);
}

UNIT_TEST(flash_equals_brute_force_other_tolerances)
{
	rng_state = 42;
	for (int round = 0; round < 20; round++)
	{
		compare_with_brute_force(200, 40, 0.005, 0.01, true, feeding_for(round, 64), NULL);
		compare_with_brute_force(200, 40, 0.05, 0.05, true, feeding_for(round + 1, 17), test_workspace(300));
	}
}

/* Parts start at multiples of 64 (their own bitmap words) and cover the library once. */
UNIT_TEST(flash_parts_split_the_library)
{
	const uint32_t sizes[] = {0, 1, 63, 64, 65, 300, 1000003};
	const int	parts[] = {1, 2, 3, 8, 20};

	for (int i = 0; i < (int) (sizeof(sizes) / sizeof(sizes[0])); i++)
		for (int j = 0; j < (int) (sizeof(parts) / sizeof(parts[0])); j++)
		{
			FlashSearch search;
			uint32_t	covered = 0;

			flash_search_begin(&search, NULL, 0, 0.02, sizes[i], NULL, parts[j]);
			CHECK(search.nparts >= 1 && search.nparts <= (parts[j] < FLASH_MAX_PARTS ? parts[j] : FLASH_MAX_PARTS));
			for (int t = 0; t < search.nparts; t++)
			{
				CHECK(search.parts[t].first == covered);
				CHECK(search.parts[t].first % 64 == 0);
				CHECK(t == 0 || search.parts[t].end > search.parts[t].first);
				/* each touched list ends before the next begins */
				CHECK(search.parts[t].touched + (search.parts[t].end - search.parts[t].first) + 1 <=
					  search.touched + sizes[i] + FLASH_MAX_PARTS);
				CHECK(t == 0 || search.parts[t].touched >
					  search.parts[t - 1].touched + (search.parts[t - 1].end - search.parts[t - 1].first));
				covered = search.parts[t].end;
			}
			CHECK(covered == sizes[i]);
			flash_search_end(&search);
		}
}

static bool
always_stop(void)
{
	return true;
}

/* A stop request ends the threaded first pass and the threaded hit stream with nothing. */
UNIT_TEST(flash_search_and_stream_stop_when_asked)
{
	Peak		query[2] = {{100, 0.5}, {200, 0.5}};
	double		mz[3] = {100, 100.01, 200};
	double		intensity[3] = {1, 0.5, 0.5};
	double		intensity_term[3] = {0, -0.5, -0.5};
	uint32_t	spectrum[3] = {0, 150, 150};	/* one in each part */
	FlashSlice	slices[2] = {{mz, intensity, intensity_term, spectrum, 2, 0, 0},
							 {mz + 2, intensity + 2, intensity_term + 2, spectrum + 2, 1, 1, 2}};
	FlashSearch search;
	FlashHitStream stream;
	FlashHit	hit;

	flash_search_begin(&search, query, 2, 0.02, 200, NULL, 2);
	CHECK_INT(search.nparts, 2);
	search.thread_min_work = 0;
	CHECK(!flash_search_slices(&search, slices, 2, always_stop));
	flash_search_end(&search);

	flash_search_begin(&search, query, 2, 0.02, 200, NULL, 2);
	search.thread_min_work = 0;
	CHECK(flash_search_slices(&search, slices, 2, never_stop));
	flash_search_finish(&search);
	flash_hit_stream_begin(&stream, &search, always_stop);
	CHECK(!flash_hit_stream_next(&stream, &hit));
	CHECK(stream.stopped);
	flash_hit_stream_end(&stream);
	/* not stopped: both spectra, the identical one first */
	flash_hit_stream_begin(&stream, &search, never_stop);
	CHECK(flash_hit_stream_next(&stream, &hit) && hit.spectrum == 150 && hit.distance == 0.0);
	CHECK(flash_hit_stream_next(&stream, &hit) && hit.spectrum == 0);
	CHECK(!flash_hit_stream_next(&stream, &hit) && !stream.stopped);
	flash_hit_stream_end(&stream);
	flash_search_end(&search);
}

/* Threads only for searches that visit many peaks. */
UNIT_TEST(flash_search_parts_by_size)
{
	CHECK_INT(flash_search_parts(0, 4), 1);
	CHECK_INT(flash_search_parts(46000, 2), 1);
	CHECK_INT(flash_search_parts(500000, 2), 2);
	CHECK_INT(flash_search_parts(500000, 1), 1);
}

UNIT_TEST(flash_empty_query_and_library)
{
	FlashSearch search;
	FlashHitStream stream;
	FlashHit	hit;
	Peak		one = {100, 1};

	flash_search_begin(&search, NULL, 0, 0.02, 0, NULL, 2);
	flash_search_finish(&search);
	flash_hit_stream_begin(&stream, &search, NULL);
	CHECK(!flash_hit_stream_next(&stream, &hit));
	flash_hit_stream_end(&stream);
	flash_search_end(&search);
	CHECK(flash_distance_prepared(&one, 1, &one, 1, 0.02) == 0.0);
	CHECK(flash_distance_prepared(&one, 1, NULL, 0, 0.02) == 1.0);
}

/* The term the index stores per peak is the walk's own double: x log2 x, and 0 at 0. */
UNIT_TEST(flash_intensity_term_is_x_log2_x)
{
	const double x[] = {1e-300, 1e-4, 0.0123456789, 0.25, 0.5, 0.999999, 1.0};

	for (int i = 0; i < (int) (sizeof(x) / sizeof(x[0])); i++)
		CHECK(flash_intensity_term(x[i]) == x[i] * log2(x[i]));
	CHECK(flash_intensity_term(0.25) == -0.5);
	CHECK(flash_intensity_term(0.0) == 0.0);
}

UNIT_TEST(flash_hand_computed_pair)
{
	/* a = {100: 0.5, 200: 0.5}, b = {100: 1}: one pair, (f(1.5) - f(.5) - f(1)) / 2 = 0.6887218755 */
	Peak		a[2] = {{100, 0.5}, {200, 0.5}};
	Peak		b[1] = {{100.01, 1}};
	double		expected = 1 - (1.5 * log2(1.5) - 0.5 * log2(0.5)) / 2;

	CHECK_NEAR(flash_distance_prepared(a, 2, b, 1, 0.02), expected, 1e-15);
	CHECK_NEAR(expected, 1 - 0.6887218755408672, 1e-12);
}

UNIT_TEST(hybrid_matches_shifted_spectrum_by_neutral_loss)
{
	/* b is a shifted by +14.0157 Da (a CH2 homologue): no direct pair, all losses pair */
	Peak		a[3] = {{100, 0.2}, {150, 0.3}, {250, 0.5}};
	Peak		b[3] = {{114.0157, 0.2}, {164.0157, 0.3}, {264.0157, 0.5}};
	int			matches;

	CHECK_NEAR(entropy_similarity_prepared(a, 3, b, 3, mz_tolerance_da(0.02), NULL), 0, 0);
	CHECK_NEAR(search_similarity(SCORE_HYBRID, a, 3, 300, b, 3, 314.0157, mz_tolerance_da(0.02), &matches), 1, 1e-12);
	CHECK_INT(matches, 3);
}

UNIT_TEST(hybrid_prefers_direct_pairs_and_uses_each_peak_once)
{
	/* 100 pairs directly; 200 (loss 100) pairs with 210 (loss 100) by loss; 300 stays alone */
	Peak		a[3] = {{100, 0.25}, {200, 0.25}, {300, 0.5}};
	Peak		b[2] = {{100, 0.5}, {210, 0.5}};
	int			matches;
	double		expected = (pair_term_reference(0.25, 0.5) + pair_term_reference(0.25, 0.5)) / 2;

	CHECK_NEAR(search_similarity(SCORE_HYBRID, a, 3, 300, b, 2, 310, mz_tolerance_da(0.02), &matches), expected, 1e-15);
	CHECK_INT(matches, 2);
	/* equal precursors: losses pair exactly the direct pairs, nothing is added */
	CHECK_NEAR(search_similarity(SCORE_HYBRID, a, 3, 300, a, 3, 300, mz_tolerance_da(0.02), &matches), 1, 1e-12);
	CHECK_INT(matches, 3);
}

UNIT_TEST(hybrid_is_at_least_the_direct_similarity)
{
	rng_state = 99;
	for (int round = 0; round < 200; round++)
	{
		Peak		a[40],
					b[40];
		int			na = random_spectrum(a, 39, 0.01),
					nb = random_spectrum(b, 39, 0.01);
		Peak	   *pa,
				   *pb;

		na = entropy_prepare_for_matching(a, na, 0.02, &pa);
		nb = entropy_prepare_for_matching(b, nb, 0.02, &pb);
		CHECK(search_similarity(SCORE_HYBRID, pa, na, 1000, pb, nb, 1000 + uniform() * 50, mz_tolerance_da(0.02), NULL) >=
			  entropy_similarity_prepared(pa, na, pb, nb, mz_tolerance_da(0.02), NULL));
		kernel_free(pa);
		kernel_free(pb);
	}
}

UNIT_TEST(neutral_loss_scores_losses_only)
{
	/* b: a's losses (200, 150, 50) from precursor 314.0157, fragments shifted by 14.0157; 300
	 * in a has loss 0 and 260 in b loss 54.0157: neither pairs */
	Peak		a[4] = {{100, 0.2}, {150, 0.3}, {250, 0.4}, {300, 0.1}};
	Peak		b[4] = {{114.0157, 0.2}, {164.0157, 0.3}, {260, 0.1}, {264.0157, 0.4}};
	int			matches;
	double		expected = (pair_term_reference(0.2, 0.2) + pair_term_reference(0.3, 0.3) +
							pair_term_reference(0.4, 0.4)) / 2;

	CHECK_NEAR(search_similarity(SCORE_NEUTRAL_LOSS, a, 4, 300, b, 4, 314.0157, mz_tolerance_da(0.02), &matches), expected, 1e-15);
	CHECK_INT(matches, 3);
	/* direct scoring sees no shared fragment */
	CHECK_NEAR(search_similarity(SCORE_DIRECT, a, 4, 300, b, 4, 314.0157, mz_tolerance_da(0.02), &matches), 0, 0);
	CHECK_INT(matches, 0);
}

UNIT_TEST(ppm_window_is_relative_to_the_first_spectrum)
{
	/* 10 ppm of 1000 is 0.01: 1000.009 pairs, 1000.011 does not; at 100 the window is 0.001 */
	Peak		q[2] = {{100, 0.5}, {1000, 0.5}};
	Peak		near[2] = {{100.0009, 0.5}, {1000.009, 0.5}};
	Peak		far[2] = {{100.0011, 0.5}, {1000.011, 0.5}};
	int			matches;

	CHECK_NEAR(search_similarity(SCORE_DIRECT, q, 2, 0, near, 2, 0, (MzTolerance) {10, true}, &matches), 1, 1e-12);
	CHECK_INT(matches, 2);
	CHECK_NEAR(search_similarity(SCORE_DIRECT, q, 2, 0, far, 2, 0, (MzTolerance) {10, true}, &matches), 0, 0);
	CHECK_INT(matches, 0);
	/* the Da tolerance applies when tolerance_ppm is 0 */
	CHECK_NEAR(search_similarity(SCORE_DIRECT, q, 2, 0, far, 2, 0, mz_tolerance_da(0.02), &matches), 1, 1e-12);
}

UNIT_TEST(search_prepare_removes_precursor_peaks)
{
	/* precursor 300, removal 1.6: 298.4 and above go (298.39 stays); then merge and normalise */
	Peak		peaks[5] = {{100, 10}, {100.03, 10}, {298.39, 20}, {298.4, 30}, {300, 40}};
	Peak	   *out;
	int			n = search_prepare(peaks, 5, 300, 1.6, 0.05, &out);

	CHECK_INT(n, 2);
	CHECK_NEAR(out[0].mz, 100.015, 1e-12);	/* 100 and 100.03 merged within 0.05 */
	CHECK_NEAR(out[1].mz, 298.39, 0);
	kernel_free(out);
	/* without removal, and merging within 0.005, all five stay apart */
	n = search_prepare(peaks, 5, 300, -1, 0.005, &out);
	CHECK_INT(n, 5);
	kernel_free(out);
}

UNIT_TEST(flash_sort_peaks_orders_by_mz_then_spectrum)
{
	size_t		n = 200000;
	FlashPeak  *peaks = kernel_alloc_array(n, sizeof(FlashPeak));

	rng_state = 5;
	for (size_t i = 0; i < n; i++)
	{
		/* many equal m/z (and runs of equal keys) to stress the partition */
		peaks[i].mz = i % 3 == 0 ? 500.0 : (double) (long) (uniform() * 1000);
		peaks[i].row = (uint32_t) (uniform() * 50);
		peaks[i].intensity = (double) i;
	}
	flash_sort_peaks(peaks, n);
	for (size_t i = 1; i < n; i++)
		if (peaks[i].mz < peaks[i - 1].mz ||
			(peaks[i].mz == peaks[i - 1].mz && peaks[i].row < peaks[i - 1].row))
		{
			CHECK(!"sorted");
			break;
		}
	/* sorted input and a single element */
	flash_sort_peaks(peaks, n);
	flash_sort_peaks(peaks, 1);
	CHECK(peaks[0].mz <= peaks[n - 1].mz);
	kernel_free(peaks);
}
