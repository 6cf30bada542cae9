/*
 * flash.c: exact Flash-entropy search kernel (see flash.h).
 */
#include "flash.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "entropy.h"
#include "kernel.h"

/*
 * Windows are found by m/z comparisons, the match itself by the walk's test
 * on the rounded difference; this margin makes the window a safe superset.
 */
#define FLASH_WINDOW_SLACK 1e-6

#define FLASH_PREFETCH_DISTANCE 32

/* Slices ahead whose columns are prefetched (a slice takes a few microseconds). */
#define FLASH_SLICE_PREFETCH 2

/* Library peaks whose pair terms are computed before their state is updated. */
#define FLASH_CHUNK 64

/*
 * A search whose windows hold fewer peaks gains nothing from threads
 * (measured: at 10^5 spectra, ~46,000 peaks per query, one thread is as
 * fast), and with many sessions searching at once they would only cost CPU.
 */
#define FLASH_THREADED_SEARCH_PEAKS 65536

/*
 * Below this many peaks in a batch (or touched spectra in a hit stream), a
 * threaded search works in the calling thread: starting and joining two
 * threads takes ~70 us, ~4,000 peak visits.
 */
#define FLASH_THREAD_MIN_WORK 4096

/* Hits in the first batch of a stream (LIMIT 10 needs one batch). */
#define FLASH_FIRST_BATCH 64
#ifdef __GNUC__
#define PREFETCH(address) __builtin_prefetch(address)
#else
#define PREFETCH(address) ((void) 0)
#endif

struct FlashCollected
{
	uint32_t	spectrum;
	uint64_t	position;
	Peak		peak;
};

double
flash_intensity_term(double intensity)
{
	return x_log2_x(intensity);
}

/*
 * +0.0 if zero, else x; without a branch, which would be mispredicted
 * whenever a spectrum's first hit follows another's.
 */
static inline double
zero_if(bool zero, double x)
{
	uint64_t	bits;

	memcpy(&bits, &x, sizeof(bits));
	bits &= (uint64_t) zero - 1;
	memcpy(&x, &bits, sizeof(bits));
	return x;
}

/* The walk's test: library peak at mz matches query peak at query_mz. */
static inline bool
within_tolerance(double mz, double query_mz, double tolerance)
{
	double		difference = mz - query_mz;

	return !(difference < -tolerance) && !(difference > tolerance);
}

void
flash_window(double mz, double tolerance, double *low, double *high)
{
	*low = mz - tolerance - FLASH_WINDOW_SLACK;
	*high = mz + tolerance + FLASH_WINDOW_SLACK;
}

int
flash_search_parts(uint64_t window_peaks, int threads)
{
	return window_peaks >= FLASH_THREADED_SEARCH_PEAKS ? threads : 1;
}

/* Splits [0, nspectra) into up to nparts ranges starting at multiples of 64. */
static void
split_parts(FlashSearch *search, int nparts)
{
	uint64_t	nspectra = search->nspectra;
	uint64_t	width;

	if (nparts < 1)
		nparts = 1;
	if (nparts > FLASH_MAX_PARTS)
		nparts = FLASH_MAX_PARTS;
	width = (nspectra + (uint64_t) nparts - 1) / (uint64_t) nparts;
	width = width > 0 ? (width + 63) / 64 * 64 : 64;
	search->nparts = 0;
	for (uint64_t first = 0; search->nparts == 0 || first < nspectra; first += width)
	{
		FlashPart  *part = &search->parts[search->nparts];

		part->first = (uint32_t) first;
		part->end = (uint32_t) (nspectra - first < width ? nspectra : first + width);
		/* each list has one entry more than its part's spectra (the branch-free append) */
		part->touched = search->touched + first + search->nparts;
		part->ntouched = 0;
		part->nambiguous = 0;
		search->nparts++;
		if (nspectra - first <= width)
			break;
	}
}

void
flash_search_begin(FlashSearch *search, const Peak *query, int nquery,
				   double tolerance, uint32_t nspectra, FlashWorkspace *workspace, int parts)
{
	size_t		count = nspectra > 0 ? nspectra : 1;

	memset(search, 0, sizeof(*search));
	search->query = query;
	search->nquery = nquery;
	search->tolerance = tolerance;
	search->nspectra = nspectra;
	search->thread_min_work = FLASH_THREAD_MIN_WORK;
	search->first_overlap = kernel_alloc_array((size_t) (nquery > 0 ? nquery : 1), sizeof(int));
	for (int i = 0; i < nquery; i++)
	{
		int			j = i;

		while (j > 0 && query[i].mz - query[j - 1].mz <= 2 * (tolerance + FLASH_WINDOW_SLACK))
			j--;
		search->first_overlap[i] = j;
	}
	if (workspace)
	{
		/* out of stamps (after ~10^7 searches): start again from zero */
		if (workspace->stamps_used > UINT32_MAX - 1 - (uint32_t) nquery)
		{
			memset(workspace->state, 0, workspace->capacity * sizeof(FlashSpectrumState));
			workspace->stamps_used = 0;
		}
		search->stamp_base = workspace->stamps_used;
		workspace->stamps_used += (uint32_t) nquery;
		search->state = workspace->state;
		search->touched = workspace->touched;
		search->ambiguous = workspace->ambiguous;
	}
	else
	{
		search->own_memory = true;
		search->state = kernel_alloc_array(count, sizeof(FlashSpectrumState));
		search->touched = kernel_alloc_array(count + FLASH_MAX_PARTS, sizeof(uint32_t));
		search->ambiguous = kernel_alloc_array(count / 64 + 1, sizeof(uint64_t));
		memset(search->state, 0, count * sizeof(FlashSpectrumState));
	}
	/* a bitmap stays in cache where the state would not (125 KB for 10^6 spectra) */
	memset(search->ambiguous, 0, (count / 64 + 1) * sizeof(uint64_t));
	split_parts(search, parts);
}

static inline bool
is_ambiguous(const FlashSearch *search, uint32_t s)
{
	return (search->ambiguous[s / 64] >> (s % 64)) & 1;
}

/* Writes only the part's own words of the bitmap (parts start at multiples of 64). */
static void
mark_ambiguous(FlashSearch *search, uint32_t *nambiguous, uint32_t s)
{
	if (!is_ambiguous(search, s))
	{
		search->ambiguous[s / 64] |= (uint64_t) 1 << (s % 64);
		(*nambiguous)++;
	}
}

/* Does the library peak at mz also match an earlier query peak? */
static bool
matches_earlier_query_peak(const FlashSearch *search, int query_index, double mz)
{
	for (int j = search->first_overlap[query_index]; j < query_index; j++)
		if (within_tolerance(mz, search->query[j].mz, search->tolerance))
			return true;
	return false;
}

/* The part's spectra in one slice; arithmetic only, so it may run on a thread. */
static void
search_slice_part(FlashSearch *search, FlashPart *part, const FlashSlice *slice)
{
	int			query_index = slice->query_index;
	double		query_mz = search->query[query_index].mz;
	double		y = search->query[query_index].intensity;
	double		f_y = x_log2_x(y);
	double		tolerance = search->tolerance;
	uint32_t	base = search->stamp_base;
	uint32_t	stamp = base + 1 + (uint32_t) query_index;
	bool		may_overlap = search->first_overlap[query_index] < query_index;
	FlashSpectrumState *state = search->state;
	uint32_t   *touched = part->touched;
	/* counted here, stored once: parts are neighbours in memory, written by other threads */
	uint32_t	ntouched = part->ntouched;
	uint32_t	nambiguous = part->nambiguous;
	uint32_t	part_first = part->first;
	uint32_t	part_width = part->end - part->first;
	const double *mz = slice->mz;
	const uint32_t *spectrum_of = slice->row;
	int			begin = 0,
				end = slice->n;

	/* m/z ascend, so the peaks within tolerance are one run: trim the slack */
	while (begin < end && !within_tolerance(mz[begin], query_mz, tolerance))
		begin++;
	while (end > begin && !within_tolerance(mz[end - 1], query_mz, tolerance))
		end--;
	/*
	 * In chunks: first the part's peaks (branch-free), then their pair terms
	 * (libm calls, while the hit spectra's state is prefetched), then the
	 * updates of random state, a tight loop.
	 */
	for (int first = begin; first < end; first += FLASH_CHUNK)
	{
		int			n = end - first < FLASH_CHUNK ? end - first : FLASH_CHUNK;
		int			mine[FLASH_CHUNK];
		int			nmine = 0;
		double		term[FLASH_CHUNK];

		for (int j = first; j < first + n; j++)
		{
			mine[nmine] = j;
			nmine += spectrum_of[j] - part_first < part_width;
		}
		for (int k = 0; k < nmine; k++)
		{
			int			j = mine[k];

			PREFETCH(&state[spectrum_of[j]]);
			/* the walk's expression, term by term, so the sum is the same double */
			term[k] = x_log2_x(slice->intensity[j] + y) - slice->intensity_term[j] - f_y;
		}
		for (int k = 0; k < nmine; k++)
		{
			int			j = mine[k];
			uint32_t	s = spectrum_of[j];
			FlashSpectrumState *spectrum = &state[s];
			bool		first_hit = spectrum->last_query <= base;

			/* append (branch-free; touched has room for one more) */
			touched[ntouched] = s;
			ntouched += first_hit;
			if (spectrum->last_query == stamp ||
				(may_overlap && matches_earlier_query_peak(search, query_index, mz[j])))
				mark_ambiguous(search, &nambiguous, s);
			spectrum->last_query = stamp;
			/* 0 + term: what the walk's sum, starting at 0, holds after the first pair */
			spectrum->sum = zero_if(first_hit, spectrum->sum) + term[k];
		}
	}
	part->ntouched = ntouched;
	part->nambiguous = nambiguous;
}

/*
 * Asks the caches for a slice's columns (m/z is read only at the window's
 * edges): index pages lie scattered in memory, where the hardware's own
 * prefetcher, which follows one page, ramps up too late for a short slice.
 */
static void
prefetch_slice(const FlashSlice *slice)
{
	const char *row = (const char *) slice->row;
	const char *intensity = (const char *) slice->intensity;
	const char *intensity_term = (const char *) slice->intensity_term;

	for (size_t offset = 0; offset < (size_t) slice->n * sizeof(uint32_t); offset += 64)
		PREFETCH(row + offset);
	for (size_t offset = 0; offset < (size_t) slice->n * sizeof(double); offset += 64)
	{
		PREFETCH(intensity + offset);
		PREFETCH(intensity_term + offset);
	}
}

/*
 * On a thread (stop set): whether the caller asked it to stop.  In the
 * calling thread (stop NULL): polls for interrupts, which may throw.
 */
static bool
asked_to_stop(const volatile int *stop)
{
	if (stop)
		return *stop != 0;
	kernel_check_interrupts();
	return false;
}

/* parallel_run's task: part number index over the whole batch. */
static void
search_part(void *worker, int index, const volatile int *stop)
{
	FlashSearch *search = worker;
	FlashPart  *part = &search->parts[index];

	for (int i = 0; i < FLASH_SLICE_PREFETCH && i < search->nbatch; i++)
		prefetch_slice(&search->batch[i]);
	for (int i = 0; i < search->nbatch; i++)
	{
		if ((i & 63) == 0 && asked_to_stop(stop))
			return;
		if (i + FLASH_SLICE_PREFETCH < search->nbatch)
			prefetch_slice(&search->batch[i + FLASH_SLICE_PREFETCH]);
		search_slice_part(search, part, &search->batch[i]);
	}
}

bool
flash_search_slices(FlashSearch *search, const FlashSlice *slices, int nslices,
					ParallelStopRequested stop_requested)
{
	void	   *workers[FLASH_MAX_PARTS];
	size_t		peaks = 0;
	bool		completed;

	for (int i = 0; i < nslices; i++)
		peaks += (size_t) slices[i].n;
	for (int t = 0; t < search->nparts; t++)
		workers[t] = search;
	search->batch = slices;
	search->nbatch = nslices;
	completed = parallel_run(search->nparts, workers,
							 peaks >= search->thread_min_work ? search->nparts : 1,
							 search_part, stop_requested, NULL, NULL);
	search->batch = NULL;
	search->nbatch = 0;
	return completed;
}

uint32_t
flash_search_ambiguous(const FlashSearch *search)
{
	uint32_t	n = 0;

	for (int t = 0; t < search->nparts; t++)
		n += search->parts[t].nambiguous;
	return n;
}

void
flash_search_collect(FlashSearch *search, const FlashSlice *slice)
{
	double		query_mz = search->query[slice->query_index].mz;

	for (int k = 0; k < slice->n; k++)
	{
		uint32_t	s = slice->row[k];
		FlashCollected *c;

		if (!is_ambiguous(search, s) || !within_tolerance(slice->mz[k], query_mz, search->tolerance))
			continue;
		if (search->ncollected == search->collected_capacity)
		{
			size_t		capacity = search->collected_capacity ? 2 * search->collected_capacity : 256;
			FlashCollected *grown = kernel_alloc_array(capacity, sizeof(FlashCollected));

			if (search->ncollected > 0)
				memcpy(grown, search->collected, search->ncollected * sizeof(FlashCollected));
			kernel_free(search->collected);
			search->collected = grown;
			search->collected_capacity = capacity;
		}
		c = &search->collected[search->ncollected++];
		c->spectrum = s;
		c->position = slice->position + (uint64_t) k;
		c->peak.mz = slice->mz[k];
		c->peak.intensity = slice->intensity[k];
	}
}

static int
by_spectrum_position(const void *x, const void *y)
{
	const FlashCollected *p = x;
	const FlashCollected *q = y;

	if (p->spectrum != q->spectrum)
		return p->spectrum < q->spectrum ? -1 : 1;
	if (p->position != q->position)
		return p->position < q->position ? -1 : 1;
	return 0;
}

/*
 * The walk over the whole spectrum gives the same pairs, in the same order,
 * as the walk over its peaks within tolerance of some query peak: a peak with
 * no partner never stops either pointer from reaching its own partner.
 */
static void
walk_ambiguous_spectra(FlashSearch *search)
{
	Peak	   *peaks;
	size_t		start = 0;

	if (search->ncollected == 0)
		return;
	qsort(search->collected, search->ncollected, sizeof(FlashCollected), by_spectrum_position);
	peaks = kernel_alloc_array(search->ncollected, sizeof(Peak));
	while (start < search->ncollected)
	{
		uint32_t	s = search->collected[start].spectrum;
		size_t		end = start;
		int			n = 0;

		kernel_check_interrupts();
		for (; end < search->ncollected && search->collected[end].spectrum == s; end++)
			if (end == start || search->collected[end].position != search->collected[end - 1].position)
				peaks[n++] = search->collected[end].peak;
		search->state[s].sum = entropy_walk(peaks, n, search->query, search->nquery,
											mz_tolerance_da(search->tolerance), NULL, NULL, NULL);
		start = end;
	}
	kernel_free(peaks);
}

static inline bool
hit_less(const FlashHit *a, const FlashHit *b)
{
	return a->distance < b->distance ||
		(a->distance == b->distance && a->spectrum < b->spectrum);
}

/* Max-heap on (distance, spectrum): the root is the worst hit kept so far. */
static void
sift_down_max(FlashHit *heap, uint32_t n, uint32_t i)
{
	for (;;)
	{
		uint32_t	largest = i,
					left = 2 * i + 1,
					right = left + 1;
		FlashHit	swap;

		if (left < n && hit_less(&heap[largest], &heap[left]))
			largest = left;
		if (right < n && hit_less(&heap[largest], &heap[right]))
			largest = right;
		if (largest == i)
			return;
		swap = heap[i];
		heap[i] = heap[largest];
		heap[largest] = swap;
		i = largest;
	}
}

void
flash_hit_stream_begin(FlashHitStream *stream, const FlashSearch *search,
					   ParallelStopRequested stop_requested)
{
	memset(stream, 0, sizeof(*stream));
	stream->search = search;
	stream->stop_requested = stop_requested;
}

/* The distance <~> gives for a pair-term sum. */
static inline double
distance_of_sum(double sum)
{
	return 1.0 - entropy_similarity_from_sum(sum);
}

/* Keeps the capacity smallest hits offered in a max-heap of *n (heapified once full). */
static inline void
offer_hit(FlashHit *heap, uint32_t *n, uint32_t capacity, FlashHit hit)
{
	if (*n < capacity)
	{
		heap[(*n)++] = hit;
		if (*n == capacity)
			for (uint32_t k = *n / 2; k-- > 0;)
				sift_down_max(heap, *n, k);
	}
	else if (hit_less(&hit, &heap[0]))
	{
		heap[0] = hit;
		sift_down_max(heap, *n, 0);
	}
}

/*
 * parallel_run's task: part number index's smallest hits after the last one
 * returned.  One pass over the part's touched spectra; most are rejected by
 * one comparison with the heap's root.
 */
static void
best_of_part(void *worker, int index, const volatile int *stop)
{
	FlashHitStream *stream = worker;
	const FlashPart *part = &stream->search->parts[index];
	const FlashSpectrumState *state = stream->search->state;
	FlashHit   *heap = stream->part_best + stream->part_offset[index];
	uint32_t	n = 0;

	for (uint32_t t = 0; t < part->ntouched; t++)
	{
		FlashHit	hit;

		if ((t & 65535) == 0 && t > 0 && asked_to_stop(stop))
			return;
		if (t + FLASH_PREFETCH_DISTANCE < part->ntouched)
			PREFETCH(&state[part->touched[t + FLASH_PREFETCH_DISTANCE]]);
		hit.spectrum = part->touched[t];
		hit.distance = distance_of_sum(state[hit.spectrum].sum);
		/* no pair term was positive: not a hit */
		if (!(hit.distance < 1.0))
			continue;
		/* hits are distinct (one per spectrum): not after last = returned already */
		if (stream->have_last && !hit_less(&stream->last, &hit))
			continue;
		offer_hit(heap, &n, stream->part_capacity[index], hit);
	}
	stream->part_count[index] = n;
}

/*
 * The next batch: the smallest batch_capacity hits after the last one
 * returned, from the union of the parts' own smallest, then sorted.  Batches
 * double, so returning every hit costs O(n log n) and the first few O(n),
 * and no array of all hits is ever written.
 */
static void
next_batch(FlashHitStream *stream)
{
	const FlashSearch *search = stream->search;
	void	   *workers[FLASH_MAX_PARTS];
	uint32_t	ntouched = 0;
	uint32_t	found = 0;
	uint32_t	n = 0;
	size_t		part_hits = 0;

	for (int p = 0; p < search->nparts; p++)
	{
		ntouched += search->parts[p].ntouched;
		workers[p] = stream;
	}
	if (stream->batch == NULL || stream->batch_capacity < ntouched)
	{
		uint32_t	capacity = stream->batch ? 2 * stream->batch_capacity : FLASH_FIRST_BATCH;

		stream->batch_capacity = capacity < ntouched ? capacity : (ntouched > 0 ? ntouched : 1);
		kernel_free(stream->batch);
		kernel_free(stream->part_best);
		stream->batch = kernel_alloc_array(stream->batch_capacity, sizeof(FlashHit));
		/* a part never holds more hits than it touched: all parts together at most ntouched */
		for (int p = 0; p < search->nparts; p++)
		{
			stream->part_capacity[p] = search->parts[p].ntouched < stream->batch_capacity ?
				search->parts[p].ntouched : stream->batch_capacity;
			stream->part_offset[p] = part_hits;
			part_hits += stream->part_capacity[p];
		}
		stream->part_best = kernel_alloc_array(part_hits > 0 ? part_hits : 1, sizeof(FlashHit));
	}
	stream->batch_size = 0;
	stream->batch_next = 0;
	if (!parallel_run(search->nparts, workers, ntouched >= search->thread_min_work ? search->nparts : 1,
					  best_of_part, stream->stop_requested, NULL, NULL))
	{
		stream->stopped = true;
		return;
	}
	for (int p = 0; p < search->nparts; p++)
	{
		const FlashHit *best = stream->part_best + stream->part_offset[p];

		found += stream->part_count[p];
		for (uint32_t i = 0; i < stream->part_count[p]; i++)
			offer_hit(stream->batch, &n, stream->batch_capacity, best[i]);
	}
	/*
	 * Fewer than a batch in all: every part gave all it had left (a part
	 * gives min(hits left, batch_capacity)), so this is all.
	 */
	stream->exhausted = found < stream->batch_capacity;
	if (n < stream->batch_capacity)
		for (uint32_t k = n / 2; k-- > 0;)
			sift_down_max(stream->batch, n, k);
	/* heap sort: ascending */
	for (uint32_t end = n; end > 1; end--)
	{
		FlashHit	top = stream->batch[0];

		stream->batch[0] = stream->batch[end - 1];
		stream->batch[end - 1] = top;
		sift_down_max(stream->batch, end - 1, 0);
	}
	stream->batch_size = n;
}

bool
flash_hit_stream_next(FlashHitStream *stream, FlashHit *hit)
{
	if (stream->batch_next == stream->batch_size)
	{
		if (stream->exhausted || stream->stopped)
			return false;
		next_batch(stream);
		if (stream->batch_size == 0)
			return false;
	}
	*hit = stream->batch[stream->batch_next++];
	stream->last = *hit;
	stream->have_last = true;
	return true;
}

void
flash_hit_stream_end(FlashHitStream *stream)
{
	kernel_free(stream->batch);
	kernel_free(stream->part_best);
	memset(stream, 0, sizeof(*stream));
}

void
flash_search_finish(FlashSearch *search)
{
	walk_ambiguous_spectra(search);
}

double
flash_search_distance(const FlashSearch *search, uint32_t s)
{
	return search->state[s].last_query > search->stamp_base ? distance_of_sum(search->state[s].sum) : 1.0;
}

void
flash_search_end(FlashSearch *search)
{
	kernel_free(search->first_overlap);
	kernel_free(search->collected);
	if (search->own_memory)
	{
		kernel_free(search->state);
		kernel_free(search->touched);
		kernel_free(search->ambiguous);
	}
	memset(search, 0, sizeof(*search));
}

double
flash_distance_prepared(const Peak *library, int nlibrary, const Peak *query, int nquery,
						double tolerance)
{
	return 1.0 - entropy_similarity_prepared(library, nlibrary, query, nquery, mz_tolerance_da(tolerance), NULL);
}

static inline bool
peak_less(const FlashPeak *a, const FlashPeak *b)
{
	return a->mz < b->mz || (a->mz == b->mz && a->row < b->row);
}

static inline void
swap_peaks(FlashPeak *a, FlashPeak *b)
{
	FlashPeak	t = *a;

	*a = *b;
	*b = t;
}

static void
insertion_sort(FlashPeak *peaks, size_t n)
{
	for (size_t i = 1; i < n; i++)
	{
		FlashPeak	p = peaks[i];
		size_t		j = i;

		for (; j > 0 && peak_less(&p, &peaks[j - 1]); j--)
			peaks[j] = peaks[j - 1];
		peaks[j] = p;
	}
}

static void
heap_sift(FlashPeak *peaks, size_t n, size_t i)
{
	for (;;)
	{
		size_t		largest = i,
					left = 2 * i + 1,
					right = left + 1;

		if (left < n && peak_less(&peaks[largest], &peaks[left]))
			largest = left;
		if (right < n && peak_less(&peaks[largest], &peaks[right]))
			largest = right;
		if (largest == i)
			return;
		swap_peaks(&peaks[i], &peaks[largest]);
		i = largest;
	}
}

static void
heap_sort(FlashPeak *peaks, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		heap_sift(peaks, n, i);
	for (size_t end = n; end-- > 1;)
	{
		kernel_check_interrupts();
		swap_peaks(&peaks[0], &peaks[end]);
		heap_sift(peaks, end, 0);
	}
}

/*
 * Introsort: quicksort (median of three) recursing into the smaller part,
 * heapsort when too deep, insertion sort for short runs.  In place, and it
 * polls for interrupts, which qsort cannot (10^8 peaks take a while).
 */
static void
intro_sort(FlashPeak *peaks, size_t n, int depth)
{
	while (n > 16)
	{
		size_t		mid = n / 2,
					i = 0,
					j = n - 1;
		FlashPeak	pivot;

		kernel_check_interrupts();
		if (depth-- == 0)
		{
			heap_sort(peaks, n);
			return;
		}
		if (peak_less(&peaks[mid], &peaks[0]))
			swap_peaks(&peaks[mid], &peaks[0]);
		if (peak_less(&peaks[n - 1], &peaks[0]))
			swap_peaks(&peaks[n - 1], &peaks[0]);
		if (peak_less(&peaks[n - 1], &peaks[mid]))
			swap_peaks(&peaks[n - 1], &peaks[mid]);
		pivot = peaks[mid];
		/* Hoare partition: [0, j] <= pivot <= [j + 1, n) */
		for (;;)
		{
			while (peak_less(&peaks[i], &pivot))
				i++;
			while (peak_less(&pivot, &peaks[j]))
				j--;
			if (i >= j)
				break;
			swap_peaks(&peaks[i++], &peaks[j--]);
		}
		if (j + 1 < n - j - 1)
		{
			intro_sort(peaks, j + 1, depth);
			peaks += j + 1;
			n -= j + 1;
		}
		else
		{
			intro_sort(peaks + j + 1, n - j - 1, depth);
			n = j + 1;
		}
	}
	insertion_sort(peaks, n);
}

void
flash_sort_peaks(FlashPeak *peaks, size_t n)
{
	int			depth = 0;

	for (size_t m = n; m > 1; m >>= 1)
		depth += 2;
	intro_sort(peaks, n, depth);
}
