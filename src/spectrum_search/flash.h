/*
 * flash.h: exact Flash-entropy library search (Li et al. 2023, Nat. Methods
 * 20:1020) over an m/z-sorted array of library peaks.
 *
 * Library spectra and the query are prepared with entropy_prepare (clean and
 * weighted, at the index tolerance), which leaves the m/z of a library
 * spectrum strictly increasing, as the kernel requires.  Every query peak visits the library
 * peaks within tolerance and adds f(a + b) - f(a) - f(b), f(x) = x log2 x,
 * to their spectrum's sum, in query-peak order, i.e. in the order of
 * entropy_similarity_prepared's two-pointer walk, so the result is the same
 * double.  A spectrum where the walk's greedy choice matters (two of its peaks
 * in one query window, or one of its peaks in two windows) is recomputed by
 * that walk from the peaks seen in the windows, which is all the walk needs.
 * f(a) of a library peak comes precomputed (flash_intensity_term, the same
 * function and libm log2), so a visit costs one logarithm.
 *
 * The library array may live in pieces (index pages): the caller passes
 * slices that cover each query peak's window (see flash_window); peaks
 * outside the window are skipped by the exact test the walk uses.
 */
#ifndef CHEMECO_FLASH_H
#define CHEMECO_FLASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parallel.h"
#include "peak.h"

/* The tolerance of the <~> operator (Da). */
#define FLASH_OPERATOR_TOLERANCE 0.02

/* One library peak in m/z order, as stored by the index. */
typedef struct FlashPeak
{
	double		mz;
	double		intensity;
	uint32_t	row;			/* the spectrum's directory entry: its row number */
} FlashPeak;

/*
 * Consecutive library peaks, all or part of one query peak's window;
 * position is the index of the first in the whole array.
 */
typedef struct FlashSlice
{
	const double *mz;
	const double *intensity;
	const double *intensity_term;	/* flash_intensity_term(intensity), stored at build */
	const uint32_t *row;			/* FlashPeak.row */
	int			n;
	int			query_index;	/* the query peak whose window this is */
	uint64_t	position;
} FlashSlice;

/* A library spectrum that shares at least one peak with the query. */
typedef struct FlashHit
{
	double		distance;		/* 1 - similarity, < 1 */
	uint32_t	spectrum;
} FlashHit;

typedef struct FlashCollected FlashCollected;

/* Per library spectrum; one struct so that a hit touches one cache line. */
typedef struct FlashSpectrumState
{
	double		sum;			/* sum of the pair terms */
	uint32_t	last_query;		/* stamp of the last query peak that hit it */
} FlashSpectrumState;

/* Threads a search may use: one part of the library spectra each. */
#define FLASH_MAX_PARTS 8

/*
 * Library spectra [first, end) and what the search found among them.  Parts
 * share no memory a search writes (first is a multiple of 64, so not even a
 * word of the ambiguous bitmap), so each can be searched by its own thread.
 */
typedef struct FlashPart
{
	uint32_t	first;
	uint32_t	end;
	uint32_t   *touched;		/* spectra with any hit, end - first + 1 entries */
	uint32_t	ntouched;
	uint32_t	nambiguous;
} FlashPart;

/*
 * Per-spectrum memory a caller may keep between searches (a search over 10^6
 * spectra needs ~20 MB; fresh memory costs page faults every time).  Every
 * query peak of every search gets its own stamp, so a search needs no zeroed
 * state: a spectrum whose stamp is one of an earlier search's is untouched.
 * Set state to zero and stamps_used to 0 when (re)allocating.
 */
typedef struct FlashWorkspace
{
	uint32_t	capacity;		/* spectra */
	FlashSpectrumState *state;	/* capacity entries */
	uint32_t   *touched;		/* capacity + FLASH_MAX_PARTS entries */
	uint64_t   *ambiguous;		/* capacity / 64 + 1 words, cleared by each search */
	uint32_t	stamps_used;	/* the highest stamp given out */
} FlashWorkspace;

typedef struct FlashSearch
{
	const Peak *query;			/* prepared, sorted by m/z */
	int			nquery;
	double		tolerance;
	int		   *first_overlap;	/* first query peak whose window may overlap peak i's */
	uint32_t	nspectra;
	FlashSpectrumState *state;	/* per library spectrum */
	uint32_t	stamp_base;		/* query peak i has stamp stamp_base + 1 + i */
	FlashPart	parts[FLASH_MAX_PARTS];
	int			nparts;
	size_t		thread_min_work;	/* fewer peaks in a batch, or touched spectra in a
									 * hit stream, run in the calling thread */
	const FlashSlice *batch;	/* the slices being searched */
	int			nbatch;
	uint64_t   *ambiguous;		/* bitmap: spectra that need the two-pointer walk */
	FlashCollected *collected;	/* second pass: window peaks of ambiguous spectra */
	size_t		ncollected;
	size_t		collected_capacity;
	uint32_t   *touched;		/* the parts' touched lists, in one array */
	bool		own_memory;		/* state, touched and ambiguous are not a workspace's */
} FlashSearch;

/*
 * x log2 x, the walk's term of a peak of intensity x (the same double): the
 * index stores it per library peak, so a visit costs one logarithm, not two.
 */
extern double flash_intensity_term(double intensity);

/* [low, high]: a superset of the m/z that can lie within tolerance of mz. */
extern void flash_window(double mz, double tolerance, double *low, double *high);

/*
 * The parts (threads) for a search whose windows hold about window_peaks
 * peaks, given the threads the caller may use: 1 for a small search.
 */
extern int	flash_search_parts(uint64_t window_peaks, int threads);

/*
 * workspace: NULL, or one with capacity >= nspectra.  parts: how many
 * threads flash_search_slices may use (at most FLASH_MAX_PARTS; fewer for
 * a small library).
 */
extern void flash_search_begin(FlashSearch *search, const Peak *query, int nquery,
							   double tolerance, uint32_t nspectra, FlashWorkspace *workspace,
							   int parts);

/*
 * First pass: slices covering the query peaks' windows, each window's in m/z
 * order and the windows in query peak order (a search may take them in
 * several batches).  The parts run on threads (parallel.h) when the batch is
 * large enough to pay for them; the slices' memory must stay put and
 * unchanged meanwhile.  Returns false if stop_requested said so (the search
 * is then unusable but can still be ended); NULL: poll kernel_check_interrupts.
 */
extern bool flash_search_slices(FlashSearch *search, const FlashSlice *slices, int nslices,
								ParallelStopRequested stop_requested);

/*
 * Spectra the first pass found ambiguous; when any, a second pass over the
 * same slices, in the same order, with flash_search_collect is needed.
 */
extern uint32_t flash_search_ambiguous(const FlashSearch *search);

extern void flash_search_collect(FlashSearch *search, const FlashSlice *slice);

/* Completes the sums; then read the hits in order with a FlashHitStream. */
extern void flash_search_finish(FlashSearch *search);

/* After finish: the distance of library spectrum s (1 when it shares no peak). */
extern double flash_search_distance(const FlashSearch *search, uint32_t s);

/* Frees the search's memory (not a workspace's). */
extern void flash_search_end(FlashSearch *search);

/*
 * The spectra with distance < 1 of a finished search (valid until
 * flash_search_end) in ascending (distance, spectrum) order, a batch at a
 * time; each part's spectra are scanned on its own thread.  When
 * flash_hit_stream_next returns false, stopped tells whether the hits ran
 * out or stop_requested (NULL: kernel_check_interrupts is polled) said so.
 */
typedef struct FlashHitStream
{
	const FlashSearch *search;
	ParallelStopRequested stop_requested;	/* as for flash_search_slices */
	bool		stopped;		/* stop_requested said so: no more hits */
	FlashHit   *batch;			/* sorted */
	uint32_t	batch_capacity;
	uint32_t	batch_size;
	uint32_t	batch_next;
	bool		exhausted;		/* the current batch holds every hit left */
	bool		have_last;
	FlashHit	last;
	FlashHit   *part_best;		/* per part, its best hits: part_capacity[p] from part_offset[p] */
	size_t		part_offset[FLASH_MAX_PARTS];
	uint32_t	part_capacity[FLASH_MAX_PARTS];	/* min(batch_capacity, the part's touched) */
	uint32_t	part_count[FLASH_MAX_PARTS];
} FlashHitStream;

extern void flash_hit_stream_begin(FlashHitStream *stream, const FlashSearch *search,
								   ParallelStopRequested stop_requested);
extern bool flash_hit_stream_next(FlashHitStream *stream, FlashHit *hit);
extern void flash_hit_stream_end(FlashHitStream *stream);

/* The <~> distance of two prepared spectra (a from the library). */
extern double flash_distance_prepared(const Peak *library, int nlibrary,
									  const Peak *query, int nquery, double tolerance);

/* Sort library peaks by m/z (then row) for storage. */
extern void flash_sort_peaks(FlashPeak *peaks, size_t n);

#endif
