/*
 * pg_flash_build.c: CREATE INDEX ... USING chemeco_flash.
 *
 * Every row's spectrum is prepared (entropy_prepare at the index tolerance);
 * rows are numbered in heap TID order, all peaks are sorted by m/z and
 * written to peak pages, then the directory and the meta page.
 */
#include "postgres.h"

#include "access/tableam.h"
#include "catalog/index.h"
#include "commands/progress.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "utils/memutils.h"

#include "pg_flash.h"

typedef struct FlashBuildState
{
	double		tolerance;
	MemoryContext row_context;	/* reset after every row */
	ItemPointerData *tids;		/* per row, in heap scan order */
	uint16	   *flags;
	uint32		nrows;
	uint32		row_capacity;
	FlashPeak  *peaks;			/* spectrum = row number in scan order, until renumbered */
	Size		npeaks;
	Size		peak_capacity;
} FlashBuildState;

static void *
grow_huge(void *array, Size element_size, Size *capacity, Size needed)
{
	Size		new_capacity = Max(*capacity * 2, Max(needed, 1024));

	if (new_capacity * element_size > MaxAllocHugeSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("chemeco_flash index is too large to build")));
	*capacity = new_capacity;
	if (array == NULL)
		return palloc_extended(new_capacity * element_size, MCXT_ALLOC_HUGE);
	return repalloc_huge(array, new_capacity * element_size);
}

static void
build_callback(Relation index, ItemPointer tid, Datum *values, bool *isnull,
			   bool alive, void *state_pointer)
{
	FlashBuildState *state = state_pointer;
	MemoryContext old_context;
	Peak	   *prepared = NULL;
	int			n = 0;

	if (state->nrows == PG_UINT32_MAX - 1)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("chemeco_flash index cannot hold more than %u rows", PG_UINT32_MAX - 1)));
	if (state->nrows == state->row_capacity)
	{
		Size		capacity = state->row_capacity;

		state->tids = grow_huge(state->tids, sizeof(ItemPointerData), &capacity, state->nrows + 1);
		capacity = state->row_capacity;
		state->flags = grow_huge(state->flags, sizeof(uint16), &capacity, state->nrows + 1);
		state->row_capacity = (uint32) Min(capacity, PG_UINT32_MAX - 1);
	}
	state->tids[state->nrows] = *tid;
	state->flags[state->nrows] = isnull[0] ? FLASH_ENTRY_NULL : 0;

	if (!isnull[0])
	{
		old_context = MemoryContextSwitchTo(state->row_context);
		n = flash_prepare_value(values[0], state->tolerance, &prepared);
		MemoryContextSwitchTo(old_context);
		if (state->npeaks + n > state->peak_capacity)
			state->peaks = grow_huge(state->peaks, sizeof(FlashPeak), &state->peak_capacity,
									 state->npeaks + n);
		for (int i = 0; i < n; i++)
		{
			FlashPeak  *peak = &state->peaks[state->npeaks++];

			peak->mz = prepared[i].mz;
			peak->intensity = prepared[i].intensity;
			peak->row = state->nrows;
		}
		MemoryContextReset(state->row_context);
	}
	state->nrows++;
	if (state->nrows % 1024 == 0)
		pgstat_progress_update_param(PROGRESS_CREATEIDX_TUPLES_DONE, state->nrows);
}

static int
by_tid(const void *x, const void *y, void *tids)
{
	return ItemPointerCompare(&((ItemPointerData *) tids)[*(const uint32 *) x],
							  &((ItemPointerData *) tids)[*(const uint32 *) y]);
}

/* Renumber rows in TID order, so that spectrum number order is TID order. */
static uint32 *
rows_in_tid_order(FlashBuildState *state)
{
	uint32	   *order = palloc_extended(sizeof(uint32) * Max(state->nrows, 1), MCXT_ALLOC_HUGE);
	uint32	   *rank = palloc_extended(sizeof(uint32) * Max(state->nrows, 1), MCXT_ALLOC_HUGE);

	for (uint32 i = 0; i < state->nrows; i++)
		order[i] = i;
	qsort_arg(order, state->nrows, sizeof(uint32), by_tid, state->tids);
	for (uint32 i = 0; i < state->nrows; i++)
		rank[order[i]] = i;
	for (Size k = 0; k < state->npeaks; k++)
		state->peaks[k].row = rank[state->peaks[k].row];
	pfree(rank);
	return order;
}

/* Write a fresh page at the end of the index with one generic WAL record. */
static BlockNumber
write_new_page(Relation index, ForkNumber fork, uint16 kind, Size content_bytes,
			   void (*fill) (Page page, void *arg), void *arg)
{
	Buffer		buffer;
	GenericXLogState *xlog;
	Page		page;
	BlockNumber block;

	if (fork == MAIN_FORKNUM)
		buffer = flash_new_buffer(index);
	else
	{
		buffer = ReadBufferExtended(index, fork, P_NEW, RBM_NORMAL, NULL);
		LockBuffer(buffer, BUFFER_LOCK_EXCLUSIVE);
	}
	block = BufferGetBlockNumber(buffer);
	xlog = GenericXLogStart(index);
	page = GenericXLogRegisterBuffer(xlog, buffer, GENERIC_XLOG_FULL_IMAGE);
	flash_init_page(page, kind, content_bytes);
	fill(page, arg);
	GenericXLogFinish(xlog);
	UnlockReleaseBuffer(buffer);
	return block;
}

static void
fill_meta(Page page, void *arg)
{
	*FlashPageGetMeta(page) = *(FlashMeta *) arg;
}

typedef struct PeakChunk
{
	const FlashPeak *peaks;
	int			n;
} PeakChunk;

static void
fill_peaks(Page page, void *arg)
{
	PeakChunk  *chunk = arg;
	double	   *mz = FlashPagePeakMz(page);
	double	   *intensity = FlashPagePeakIntensity(page);
	double	   *intensity_term = FlashPagePeakIntensityTerm(page);
	uint32	   *row = FlashPagePeakRow(page);

	for (int i = 0; i < chunk->n; i++)
	{
		mz[i] = chunk->peaks[i].mz;
		intensity[i] = chunk->peaks[i].intensity;
		intensity_term[i] = flash_intensity_term(chunk->peaks[i].intensity);
		row[i] = chunk->peaks[i].row;
	}
}

typedef struct SummaryChunk
{
	const FlashPeak *peaks;
	Size		first_block;
	int			n;
} SummaryChunk;

static void
fill_summary(Page page, void *arg)
{
	SummaryChunk *chunk = arg;
	double	   *first_mz = FlashPageSummary(page);

	for (int i = 0; i < chunk->n; i++)
		first_mz[i] = chunk->peaks[(chunk->first_block + i) * FLASH_PEAKS_PER_PAGE].mz;
}

typedef struct EntryChunk
{
	const FlashBuildState *state;
	const uint32 *order;
	uint32		first;
	int			n;
} EntryChunk;

static void
fill_entries(Page page, void *arg)
{
	EntryChunk *chunk = arg;
	FlashDirectoryEntry *entries = FlashPageEntries(page);

	for (int i = 0; i < chunk->n; i++)
	{
		uint32		row = chunk->order[chunk->first + i];

		entries[i].tid = chunk->state->tids[row];
		entries[i].flags = chunk->state->flags[row];
	}
}

static void
init_meta(FlashMeta *meta, double tolerance)
{
	memset(meta, 0, sizeof(*meta));
	meta->magic = FLASH_MAGIC;
	meta->version = FLASH_VERSION;
	meta->tolerance = tolerance;
	meta->peak_start = FLASH_META_BLOCK + 1;
	meta->directory_start = FLASH_META_BLOCK + 1;
	meta->summary_start = FLASH_META_BLOCK + 1;
	meta->pending_head = InvalidBlockNumber;
	meta->pending_tail = InvalidBlockNumber;
}

static void
rewrite_meta(Relation index, const FlashMeta *meta)
{
	Buffer		buffer = ReadBuffer(index, FLASH_META_BLOCK);
	GenericXLogState *xlog;
	Page		page;

	LockBuffer(buffer, BUFFER_LOCK_EXCLUSIVE);
	xlog = GenericXLogStart(index);
	page = GenericXLogRegisterBuffer(xlog, buffer, GENERIC_XLOG_FULL_IMAGE);
	flash_init_page(page, FLASH_PAGE_META, sizeof(FlashMeta));
	*FlashPageGetMeta(page) = *meta;
	GenericXLogFinish(xlog);
	UnlockReleaseBuffer(buffer);
}

static void
write_index(Relation index, FlashBuildState *state, const uint32 *order)
{
	FlashMeta	meta;
	const int	peak_content = FLASH_PEAKS_PER_PAGE * FLASH_PEAK_BYTES;
	Size		npeak_blocks = (state->npeaks + FLASH_PEAKS_PER_PAGE - 1) / FLASH_PEAKS_PER_PAGE;
	int64		done = 0;

	pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, FLASH_PHASE_WRITE);
	pgstat_progress_update_param(PROGRESS_CREATEIDX_TUPLES_TOTAL, state->npeaks + state->nrows);
	pgstat_progress_update_param(PROGRESS_CREATEIDX_TUPLES_DONE, 0);

	init_meta(&meta, state->tolerance);
	write_new_page(index, MAIN_FORKNUM, FLASH_PAGE_META, sizeof(FlashMeta), fill_meta, &meta);

	for (Size k = 0; k < state->npeaks; k += FLASH_PEAKS_PER_PAGE)
	{
		PeakChunk	chunk = {state->peaks + k, (int) Min(state->npeaks - k, FLASH_PEAKS_PER_PAGE)};

		CHECK_FOR_INTERRUPTS();
		write_new_page(index, MAIN_FORKNUM, FLASH_PAGE_PEAKS, peak_content, fill_peaks, &chunk);
		done += chunk.n;
		pgstat_progress_update_param(PROGRESS_CREATEIDX_TUPLES_DONE, done);
	}
	meta.npeaks = state->npeaks;
	meta.directory_start = RelationGetNumberOfBlocks(index);

	for (uint32 first = 0; first < state->nrows; first += FLASH_ENTRIES_PER_PAGE)
	{
		EntryChunk	chunk = {state, order, first, (int) Min(state->nrows - first, FLASH_ENTRIES_PER_PAGE)};

		CHECK_FOR_INTERRUPTS();
		write_new_page(index, MAIN_FORKNUM, FLASH_PAGE_DIRECTORY,
					   chunk.n * sizeof(FlashDirectoryEntry), fill_entries, &chunk);
		done += chunk.n;
		pgstat_progress_update_param(PROGRESS_CREATEIDX_TUPLES_DONE, done);
	}
	meta.nspectra = state->nrows;
	meta.summary_start = RelationGetNumberOfBlocks(index);

	for (Size block = 0; block < npeak_blocks; block += FLASH_SUMMARY_PER_PAGE)
	{
		SummaryChunk chunk = {state->peaks, block, (int) Min(npeak_blocks - block, FLASH_SUMMARY_PER_PAGE)};

		CHECK_FOR_INTERRUPTS();
		write_new_page(index, MAIN_FORKNUM, FLASH_PAGE_SUMMARY, chunk.n * sizeof(double), fill_summary, &chunk);
	}
	rewrite_meta(index, &meta);
}

IndexBuildResult *
flash_build(Relation heap, Relation index, IndexInfo *info)
{
	FlashBuildState state;
	IndexBuildResult *result;
	MemoryContext build_context;
	MemoryContext old_context;
	double		heap_tuples;
	uint32	   *order;

	if (RelationGetNumberOfBlocks(index) != 0)
		elog(ERROR, "index \"%s\" already contains data", RelationGetRelationName(index));

	build_context = AllocSetContextCreate(CurrentMemoryContext, "chemeco_flash build",
										  ALLOCSET_DEFAULT_SIZES);
	old_context = MemoryContextSwitchTo(build_context);
	memset(&state, 0, sizeof(state));
	state.tolerance = flash_index_tolerance_option(index);
	state.row_context = AllocSetContextCreate(build_context, "chemeco_flash build row",
											  ALLOCSET_DEFAULT_SIZES);

	pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, FLASH_PHASE_PREPARE);
	heap_tuples = table_index_build_scan(heap, index, info, true, true, build_callback, &state, NULL);

	pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, FLASH_PHASE_SORT);
	order = rows_in_tid_order(&state);
	flash_sort_peaks(state.peaks, state.npeaks);

	write_index(index, &state, order);

	MemoryContextSwitchTo(old_context);
	MemoryContextDelete(build_context);

	result = palloc(sizeof(IndexBuildResult));
	result->heap_tuples = heap_tuples;
	result->index_tuples = state.nrows;
	return result;
}

void
flash_build_empty(Relation index)
{
	FlashMeta	meta;

	init_meta(&meta, flash_index_tolerance_option(index));
	write_new_page(index, INIT_FORKNUM, FLASH_PAGE_META, sizeof(FlashMeta), fill_meta, &meta);
}
