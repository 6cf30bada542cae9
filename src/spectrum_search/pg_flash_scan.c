/*
 * pg_flash_scan.c: ORDER BY spectrum <~> query through a chemeco_flash index.
 *
 * amrescan runs the Flash search over the sorted peaks (flash.c) and scores
 * the pending rows exactly; amgettuple then returns every row of the index:
 *   1. rows sharing a peak with the query (distance < 1) by (distance, TID),
 *      merging the sorted part's heap of hits with the sorted pending hits;
 *   2. the other rows (distance 1) in TID order;
 *   3. rows whose spectrum is NULL, in TID order;
 * where TID is the index entry's: the TID of the row's first version, which
 * a HOT update keeps while the row's ctid moves.  So this is the order of a
 * sequential ORDER BY spectrum <~> query, ctid except among ties after HOT
 * updates (docs/reference/search.md; identify breaks such ties by ctid).
 * The distances are the operator's own doubles, so no recheck is needed.
 */
#include "postgres.h"

#include <sys/mman.h>
#include <unistd.h>

#include "access/genam.h"
#include "access/relscan.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "entropy.h"
#include "pg_flash.h"
#include "pg_spectrum.h"
#include "pg_threads.h"

typedef struct PendingHit
{
	ItemPointerData tid;
	double		distance;
} PendingHit;

typedef struct TidList
{
	ItemPointerData *tids;
	int			n;
	int			next;
} TidList;

typedef enum FlashScanPhase
{
	PHASE_HITS,
	PHASE_OTHERS,
	PHASE_NULLS,
	PHASE_DONE
} FlashScanPhase;

typedef struct FlashScanOpaqueData
{
	MemoryContext context;		/* everything of one rescan */
	FlashMeta	meta;
	bool		query_is_null;
	Peak	   *query;
	int			nquery;
	FlashSearch search;			/* the sorted part's search */
	FlashHitStream hits;		/* the sorted part's hits, in order */
	bool		have_hit;		/* hit and hit_tid hold the next sorted-part hit */
	FlashHit	hit;
	ItemPointerData hit_tid;
	PendingHit *pending_hits;
	int			npending_hits;
	int			next_pending_hit;
	TidList		pending_others;
	TidList		pending_nulls;
	FlashScanPhase phase;
	uint32		next_entry;		/* directory position in PHASE_OTHERS / PHASE_NULLS */
	Buffer		directory_buffer;	/* pinned page of the last entry read */
} FlashScanOpaqueData;

typedef FlashScanOpaqueData *FlashScanOpaque;

/*
 * The backend's search workspace, kept between scans (for the backend's life) so
 * that a search does not fault in fresh per-spectrum memory.  One scan at a
 * time borrows it; the others (nested or concurrent scans) allocate their own.
 * The borrow ends with the scan's memory context, also on ERROR; the state
 * never needs clearing (see FlashWorkspace).
 */
static FlashWorkspace backend_workspace;
static bool workspace_in_use;

#define HUGE_PAGE_BYTES ((Size) 2 * 1024 * 1024)

static Size
state_mapping_bytes(uint32 nspectra)
{
	return TYPEALIGN(sysconf(_SC_PAGESIZE), sizeof(FlashSpectrumState) * (Size) nspectra);
}

/*
 * The state in a mapping of its own, 2 MB aligned and asking for transparent
 * huge pages: a new backend's first search then faults in the state (16 MB at
 * 10^6 rows, every page of which a search touches) a few 2 MB pages at a
 * time, not 4 096 pages one by one (each fault is costly, under
 * virtualization even more), and the random updates of a search miss the TLB
 * less.  Fresh anonymous pages are zero, as the state must start.  NULL when
 * out of memory.
 */
static FlashSpectrumState *
map_state(uint32 nspectra)
{
	Size		bytes = state_mapping_bytes(nspectra);
	Size		reserved = bytes + HUGE_PAGE_BYTES;
	char	   *base = mmap(NULL, reserved, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char	   *start;

	if (base == MAP_FAILED)
		return NULL;
	start = (char *) TYPEALIGN(HUGE_PAGE_BYTES, base);
	/* give back the slack on both sides */
	if (start > base)
		munmap(base, start - base);
	if (base + reserved > start + bytes)
		munmap(start + bytes, base + reserved - (start + bytes));
#ifdef MADV_HUGEPAGE
	/* only a hint: without transparent huge pages the state is in 4 kB pages as before */
	(void) madvise(start, bytes, MADV_HUGEPAGE);
#endif
	return (FlashSpectrumState *) start;
}

static void
return_workspace(void *arg)
{
	workspace_in_use = false;
}

static FlashWorkspace *
borrow_workspace(MemoryContext scan_context, uint32 nspectra)
{
	MemoryContextCallback *callback;

	if (workspace_in_use)
		return NULL;
	if (backend_workspace.capacity < nspectra)
	{
		FlashWorkspace grown = {0};

		/* all or nothing: an allocation failure leaves the old workspace as it was */
		grown.state = map_state(nspectra);
		grown.touched = MemoryContextAllocExtended(TopMemoryContext,
												   sizeof(uint32) * ((Size) nspectra + FLASH_MAX_PARTS),
												   MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
		grown.ambiguous = MemoryContextAllocExtended(TopMemoryContext, sizeof(uint64) * ((Size) nspectra / 64 + 1),
													 MCXT_ALLOC_NO_OOM);
		if (grown.state == NULL || grown.touched == NULL || grown.ambiguous == NULL)
		{
			if (grown.state)
				munmap(grown.state, state_mapping_bytes(nspectra));
			if (grown.touched)
				pfree(grown.touched);
			if (grown.ambiguous)
				pfree(grown.ambiguous);
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory"),
					 errdetail("A chemeco_flash search over %u rows needs about %zu bytes.", nspectra,
							   (sizeof(FlashSpectrumState) + sizeof(uint32)) * (Size) nspectra)));
		}
		grown.capacity = nspectra;
		if (backend_workspace.state)
		{
			munmap(backend_workspace.state, state_mapping_bytes(backend_workspace.capacity));
			pfree(backend_workspace.touched);
			pfree(backend_workspace.ambiguous);
		}
		backend_workspace = grown;
	}
	workspace_in_use = true;
	callback = MemoryContextAlloc(scan_context, sizeof(MemoryContextCallback));
	callback->func = return_workspace;
	callback->arg = NULL;
	MemoryContextRegisterResetCallback(scan_context, callback);
	return &backend_workspace;
}

IndexScanDesc
flash_begin_scan(Relation index, int nkeys, int norderbys)
{
	IndexScanDesc scan = RelationGetIndexScan(index, nkeys, norderbys);
	FlashScanOpaque so = palloc0(sizeof(FlashScanOpaqueData));

	so->context = AllocSetContextCreate(CurrentMemoryContext, "chemeco_flash scan",
										ALLOCSET_DEFAULT_SIZES);
	so->directory_buffer = InvalidBuffer;
	so->phase = PHASE_DONE;
	scan->opaque = so;
	scan->xs_orderbyvals = palloc0(sizeof(Datum) * Max(norderbys, 1));
	scan->xs_orderbynulls = palloc(sizeof(bool) * Max(norderbys, 1));
	return scan;
}

static void
release_directory_buffer(FlashScanOpaque so)
{
	if (BufferIsValid(so->directory_buffer))
		ReleaseBuffer(so->directory_buffer);
	so->directory_buffer = InvalidBuffer;
}

/* ---------------------------------------------------------------- sorted part */

/*
 * Slices for the kernel and the peak pages they point into, pinned.  Peak
 * pages are written once, by the build, before the index can be scanned, and
 * never change: a pin (which keeps the page in its buffer) is all a reader
 * needs, so the kernel's threads can read many pages while no content lock,
 * of which a backend may hold only a few, is held.
 */
typedef struct SliceBatch
{
	FlashSlice *slices;
	Buffer	   *buffers;		/* buffers[i] holds slices[i] */
	int			n;
	int			capacity;
} SliceBatch;

/*
 * Pages pinned at a time: many, for few thread starts, but no more than this
 * backend's fair share of shared_buffers (as PostgreSQL 17's
 * LimitAdditionalPins reckons it), so that every backend searching at once
 * still leaves buffers unpinned.
 */
static int
batch_capacity(void)
{
	return Max(1, Min(1024, NBuffers / (MaxBackends + NUM_AUXILIARY_PROCS)));
}

/* Hands the batch to the kernel and unpins its pages. */
static void
flush_batch(FlashScanOpaque so, SliceBatch *batch, bool collect)
{
	if (collect)
		for (int i = 0; i < batch->n; i++)
			flash_search_collect(&so->search, &batch->slices[i]);
	else if (!flash_search_slices(&so->search, batch->slices, batch->n, chemeco_cancel_pending))
		chemeco_raise_cancel();	/* the resource owner unpins the pages */
	for (int i = 0; i < batch->n; i++)
		ReleaseBuffer(batch->buffers[i]);
	batch->n = 0;
}

/* Add the pages of query peak q's window, from position start, to the batch. */
static void
visit_window(Relation index, FlashScanOpaque so, const FlashPeakSummary *summary, SliceBatch *batch, int q,
			 uint64 start, bool collect)
{
	double		low,
				high;
	uint64		position = start;

	flash_window(so->query[q].mz, so->meta.tolerance, &low, &high);
	while (position < so->meta.npeaks)
	{
		uint64		block_number = position / FLASH_PEAKS_PER_PAGE;
		Buffer		buffer = ReadBuffer(index, so->meta.peak_start + (BlockNumber) block_number);
		Page		page = BufferGetPage(buffer);
		const double *mz = FlashPagePeakMz(page);
		int			offset = (int) (position % FLASH_PEAKS_PER_PAGE);
		int			n = flash_peaks_on_block(&so->meta, block_number);
		int			end = offset;
		FlashSlice *slice;

		/*
		 * Most pages lie inside the window, as the summary tells without
		 * touching them (their first touch, in a new backend a page fault,
		 * then happens on the kernel's threads); search only the one where
		 * the window ends.
		 */
		if ((block_number + 1 < summary->nblocks && summary->first_mz[block_number + 1] <= high) ||
			mz[n - 1] <= high)
			end = n;
		else
		{
			int			above = n - 1;	/* mz[above] > high */

			while (end < above)
			{
				int			mid = end + (above - end) / 2;

				if (mz[mid] <= high)
					end = mid + 1;
				else
					above = mid;
			}
		}
		slice = &batch->slices[batch->n];
		slice->mz = mz + offset;
		slice->intensity = FlashPagePeakIntensity(page) + offset;
		slice->intensity_term = FlashPagePeakIntensityTerm(page) + offset;
		slice->row = FlashPagePeakRow(page) + offset;
		slice->n = end - offset;
		slice->query_index = q;
		slice->position = position;
		batch->buffers[batch->n++] = buffer;
		if (batch->n == batch->capacity)
			flush_batch(so, batch, collect);
		/* the window ends on this page, or with it (the next page starts above it) */
		if (end < n || (block_number + 1 < summary->nblocks && summary->first_mz[block_number + 1] > high))
			break;
		position = (block_number + 1) * FLASH_PEAKS_PER_PAGE;
	}
}

/* Both passes over the windows; the kernel's parts run on up to chemeco_threads() threads. */
static void
search_sorted_part(Relation index, FlashScanOpaque so)
{
	uint64	   *starts = palloc(sizeof(uint64) * Max(so->nquery, 1));
	const FlashPeakSummary *summary = flash_peak_summary(index, &so->meta);
	SliceBatch	batch;
	uint64		window_peaks = 0;

	batch.capacity = batch_capacity();
	batch.slices = palloc(sizeof(FlashSlice) * batch.capacity);
	batch.buffers = palloc(sizeof(Buffer) * batch.capacity);
	batch.n = 0;
	/* where the windows start, and at most how many peaks they hold (to the end of their last page) */
	for (int q = 0; q < so->nquery; q++)
	{
		double		low,
					high;
		uint64		end;

		CHECK_FOR_INTERRUPTS();
		flash_window(so->query[q].mz, so->meta.tolerance, &low, &high);
		starts[q] = flash_lower_bound(index, &so->meta, summary, low);
		end = Min(so->meta.npeaks, flash_first_block_from(summary, high, true) * FLASH_PEAKS_PER_PAGE);
		window_peaks += end > starts[q] ? end - starts[q] : 0;
	}
	flash_search_begin(&so->search, so->query, so->nquery, so->meta.tolerance, so->meta.nspectra,
					   so->meta.nspectra > 0 ? borrow_workspace(so->context, so->meta.nspectra) : NULL,
					   flash_search_parts(window_peaks, chemeco_threads()));
	for (int q = 0; q < so->nquery; q++)
	{
		CHECK_FOR_INTERRUPTS();
		visit_window(index, so, summary, &batch, q, starts[q], false);
	}
	flush_batch(so, &batch, false);
	if (flash_search_ambiguous(&so->search) > 0)
	{
		for (int q = 0; q < so->nquery; q++)
		{
			CHECK_FOR_INTERRUPTS();
			visit_window(index, so, summary, &batch, q, starts[q], true);
		}
		flush_batch(so, &batch, true);
	}
	flash_search_finish(&so->search);
	flash_hit_stream_begin(&so->hits, &so->search, chemeco_cancel_pending);
}

/* ---------------------------------------------------------------- pending rows */

static FlashUnit *
read_pending_units(Relation index, const FlashMeta *meta)
{
	FlashUnit  *units = palloc_extended(sizeof(FlashUnit) * Max(meta->pending_units, 1), MCXT_ALLOC_HUGE);
	uint64		copied = 0;
	BlockNumber block = meta->pending_head;

	while (block != InvalidBlockNumber && copied < meta->pending_units)
	{
		Buffer		buffer = ReadBuffer(index, block);
		Page		page;
		int			n = block == meta->pending_tail ? (int) meta->pending_tail_units : FLASH_UNITS_PER_PAGE;

		CHECK_FOR_INTERRUPTS();
		LockBuffer(buffer, BUFFER_LOCK_SHARE);
		page = BufferGetPage(buffer);
		n = (int) Min((uint64) n, meta->pending_units - copied);
		memcpy(units + copied, FlashPageUnits(page), sizeof(FlashUnit) * n);
		copied += n;
		block = block == meta->pending_tail ? InvalidBlockNumber : FlashPageGetOpaque(page)->next;
		UnlockReleaseBuffer(buffer);
	}
	return units;
}

static int
pending_hit_cmp(const void *x, const void *y)
{
	const PendingHit *a = x;
	const PendingHit *b = y;

	if (a->distance != b->distance)
		return a->distance < b->distance ? -1 : 1;
	return ItemPointerCompare((ItemPointer) &a->tid, (ItemPointer) &b->tid);
}

static int
tid_cmp(const void *x, const void *y)
{
	return ItemPointerCompare((ItemPointer) x, (ItemPointer) y);
}

static void
search_pending_rows(Relation index, FlashScanOpaque so)
{
	FlashUnit  *units = read_pending_units(index, &so->meta);
	uint64		nunits = so->meta.pending_units;
	int			capacity = 16;
	int			nothers = 0,
				nnulls = 0;

	so->pending_hits = palloc(sizeof(PendingHit) * capacity);
	so->pending_others.tids = palloc(sizeof(ItemPointerData) * capacity);
	so->pending_nulls.tids = palloc(sizeof(ItemPointerData) * capacity);
	for (uint64 i = 0; i < nunits; i += 1 + units[i].header.npeaks)
	{
		FlashPendingHeader *header = &units[i].header;
		bool		is_null = (header->flags & FLASH_ENTRY_NULL) != 0;
		double		distance = 1.0;

		CHECK_FOR_INTERRUPTS();
		if (header->flags & FLASH_ENTRY_DEAD)
			continue;
		if (so->npending_hits == capacity || nothers == capacity || nnulls == capacity)
		{
			capacity *= 2;
			so->pending_hits = repalloc_huge(so->pending_hits, sizeof(PendingHit) * capacity);
			so->pending_others.tids = repalloc_huge(so->pending_others.tids, sizeof(ItemPointerData) * capacity);
			so->pending_nulls.tids = repalloc_huge(so->pending_nulls.tids, sizeof(ItemPointerData) * capacity);
		}
		if (!is_null && !so->query_is_null)
			distance = flash_distance_prepared((const Peak *) &units[i + 1], header->npeaks,
											   so->query, so->nquery, so->meta.tolerance);
		if (distance < 1.0)
		{
			so->pending_hits[so->npending_hits].tid = header->tid;
			so->pending_hits[so->npending_hits++].distance = distance;
		}
		else if (is_null && !so->query_is_null)
			so->pending_nulls.tids[nnulls++] = header->tid;
		else
			so->pending_others.tids[nothers++] = header->tid;
	}
	qsort(so->pending_hits, so->npending_hits, sizeof(PendingHit), pending_hit_cmp);
	qsort(so->pending_others.tids, nothers, sizeof(ItemPointerData), tid_cmp);
	qsort(so->pending_nulls.tids, nnulls, sizeof(ItemPointerData), tid_cmp);
	so->pending_others.n = nothers;
	so->pending_nulls.n = nnulls;
	pfree(units);
}

/* ---------------------------------------------------------------- rescan */

void
flash_rescan(IndexScanDesc scan, ScanKey keys, int nkeys, ScanKey orderbys, int norderbys)
{
	FlashScanOpaque so = (FlashScanOpaque) scan->opaque;
	Relation	index = scan->indexRelation;
	MemoryContext old_context;

	release_directory_buffer(so);
	/* the search's memory is the context's (or the backend workspace's) */
	MemoryContextReset(so->context);
	memset(&so->search, 0, sizeof(so->search));
	memset(&so->hits, 0, sizeof(so->hits));
	so->have_hit = false;
	so->npending_hits = so->next_pending_hit = 0;
	memset(&so->pending_others, 0, sizeof(TidList));
	memset(&so->pending_nulls, 0, sizeof(TidList));
	so->next_entry = 0;
	so->phase = PHASE_HITS;

	if (norderbys != 1 || orderbys == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("a chemeco_flash index scan needs ORDER BY spectrum <~> query")));
	if (orderbys && scan->numberOfOrderBys > 0)
		memmove(scan->orderByData, orderbys, scan->numberOfOrderBys * sizeof(ScanKeyData));

	so->meta = flash_read_meta(index);
	if (so->meta.tolerance != FLASH_OPERATOR_TOLERANCE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("chemeco_flash index \"%s\" was built with tolerance %g; <~> needs %g",
						RelationGetRelationName(index), so->meta.tolerance, FLASH_OPERATOR_TOLERANCE),
				 errhint("Rebuild it WITH (tolerance = %g).", FLASH_OPERATOR_TOLERANCE)));

	old_context = MemoryContextSwitchTo(so->context);
	so->query_is_null = (orderbys[0].sk_flags & SK_ISNULL) != 0;
	if (!so->query_is_null)
	{
		so->nquery = flash_prepare_value(orderbys[0].sk_argument, so->meta.tolerance, &so->query);
		search_sorted_part(index, so);
	}
	search_pending_rows(index, so);
	MemoryContextSwitchTo(old_context);
}

/* ---------------------------------------------------------------- gettuple */

static bool
next_sorted_hit(Relation index, FlashScanOpaque so)
{
	FlashHit	hit;
	MemoryContext old_context = MemoryContextSwitchTo(so->context);	/* the stream's batches */

	while (!so->have_hit && so->hits.search != NULL && flash_hit_stream_next(&so->hits, &hit))
	{
		FlashDirectoryEntry entry = flash_directory_entry(index, &so->meta, hit.spectrum, &so->directory_buffer);

		if (entry.flags & FLASH_ENTRY_DEAD)
			continue;
		so->hit = hit;
		so->hit_tid = entry.tid;
		so->have_hit = true;
	}
	if (so->hits.stopped)
		chemeco_raise_cancel();
	MemoryContextSwitchTo(old_context);
	return so->have_hit;
}

/* Was directory entry s returned among the hits? */
static bool
was_hit(const FlashScanOpaque so, uint32 s)
{
	return !so->query_is_null && flash_search_distance(&so->search, s) < 1.0;
}

/* The next live directory entry at or after next_entry wanted by the phase. */
static bool
next_directory_entry(Relation index, FlashScanOpaque so, bool nulls, FlashDirectoryEntry *out)
{
	while (so->next_entry < so->meta.nspectra)
	{
		FlashDirectoryEntry entry = flash_directory_entry(index, &so->meta, so->next_entry, &so->directory_buffer);
		bool		is_null = (entry.flags & FLASH_ENTRY_NULL) != 0;

		if ((so->next_entry & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!(entry.flags & FLASH_ENTRY_DEAD) &&
			(so->query_is_null ? !nulls : is_null == nulls) &&
			(is_null || !was_hit(so, so->next_entry)))
		{
			*out = entry;
			return true;
		}
		so->next_entry++;
	}
	return false;
}

static void
emit(IndexScanDesc scan, ItemPointer tid, double distance, bool distance_is_null)
{
	scan->xs_heaptid = *tid;
	scan->xs_recheck = false;
	scan->xs_recheckorderby = false;
	scan->xs_orderbyvals[0] = Float8GetDatum(distance);
	scan->xs_orderbynulls[0] = distance_is_null;
}

/* Merge the directory entries of the phase with a sorted pending TID list. */
static bool
emit_in_tid_order(IndexScanDesc scan, FlashScanOpaque so, bool nulls, TidList *pending)
{
	FlashDirectoryEntry entry;
	bool		have_entry = next_directory_entry(scan->indexRelation, so, nulls, &entry);
	bool		have_pending = pending->next < pending->n;
	bool		null_distance = nulls || so->query_is_null;

	if (have_entry && (!have_pending ||
					   ItemPointerCompare(&entry.tid, &pending->tids[pending->next]) < 0))
	{
		emit(scan, &entry.tid, 1.0, null_distance);
		so->next_entry++;
		return true;
	}
	if (have_pending)
	{
		emit(scan, &pending->tids[pending->next++], 1.0, null_distance);
		return true;
	}
	return false;
}

bool
flash_get_tuple(IndexScanDesc scan, ScanDirection direction)
{
	FlashScanOpaque so = (FlashScanOpaque) scan->opaque;

	if (!ScanDirectionIsForward(direction))
		elog(ERROR, "chemeco_flash index scans go forward only");
	CHECK_FOR_INTERRUPTS();
	for (;;)
	{
		switch (so->phase)
		{
			case PHASE_HITS:
				{
					bool		have_hit = next_sorted_hit(scan->indexRelation, so);
					bool		have_pending = so->next_pending_hit < so->npending_hits;
					PendingHit *pending = &so->pending_hits[so->next_pending_hit];

					if (have_hit && (!have_pending || so->hit.distance < pending->distance ||
									 (so->hit.distance == pending->distance &&
									  ItemPointerCompare(&so->hit_tid, &pending->tid) < 0)))
					{
						emit(scan, &so->hit_tid, so->hit.distance, false);
						so->have_hit = false;
						return true;
					}
					if (have_pending)
					{
						emit(scan, &pending->tid, pending->distance, false);
						so->next_pending_hit++;
						return true;
					}
					so->phase = PHASE_OTHERS;
					so->next_entry = 0;
					break;
				}
			case PHASE_OTHERS:
				if (emit_in_tid_order(scan, so, false, &so->pending_others))
					return true;
				so->phase = PHASE_NULLS;
				so->next_entry = 0;
				break;
			case PHASE_NULLS:
				if (!so->query_is_null && emit_in_tid_order(scan, so, true, &so->pending_nulls))
					return true;
				so->phase = PHASE_DONE;
				break;
			case PHASE_DONE:
				return false;
		}
	}
}

void
flash_end_scan(IndexScanDesc scan)
{
	FlashScanOpaque so = (FlashScanOpaque) scan->opaque;

	release_directory_buffer(so);
	MemoryContextDelete(so->context);
	pfree(so);
	scan->opaque = NULL;
}
