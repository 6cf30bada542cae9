/*
 * pg_flash_vacuum.c: VACUUM marks the entries of removed heap tuples dead
 * (in the directory and in the pending rows), so that a heap TID reused by a
 * later insert is never returned for the old spectrum.  Dead entries stay in
 * the pages until REINDEX.
 */
#include "postgres.h"

#include "commands/vacuum.h"
#include "miscadmin.h"
#include "utils/rel.h"

#include "pg_compat.h"
#include "pg_flash.h"

typedef struct VacuumCounts
{
	double		removed;
	double		remaining;
} VacuumCounts;

static void
bulk_delete_directory(Relation index, const FlashMeta *meta, IndexBulkDeleteCallback callback,
					  void *callback_state, VacuumCounts *counts)
{
	for (uint32 first = 0; first < meta->nspectra; first += FLASH_ENTRIES_PER_PAGE)
	{
		Buffer		buffer;
		GenericXLogState *xlog = NULL;
		FlashDirectoryEntry *entries;
		int			n = (int) Min(meta->nspectra - first, FLASH_ENTRIES_PER_PAGE);

		chemeco_vacuum_delay_point();
		buffer = ReadBuffer(index, meta->directory_start + first / FLASH_ENTRIES_PER_PAGE);
		LockBuffer(buffer, BUFFER_LOCK_EXCLUSIVE);
		entries = FlashPageEntries(BufferGetPage(buffer));
		for (int i = 0; i < n; i++)
		{
			if (entries[i].flags & FLASH_ENTRY_DEAD)
				continue;
			if (!callback(&entries[i].tid, callback_state))
			{
				counts->remaining++;
				continue;
			}
			if (xlog == NULL)
			{
				xlog = GenericXLogStart(index);
				entries = FlashPageEntries(GenericXLogRegisterBuffer(xlog, buffer, 0));
			}
			entries[i].flags |= FLASH_ENTRY_DEAD;
			counts->removed++;
		}
		if (xlog)
			GenericXLogFinish(xlog);
		UnlockReleaseBuffer(buffer);
	}
}

static void
bulk_delete_pending(Relation index, const FlashMeta *meta, IndexBulkDeleteCallback callback,
					void *callback_state, VacuumCounts *counts)
{
	BlockNumber block = meta->pending_head;
	int64		peaks_to_skip = 0;

	while (block != InvalidBlockNumber)
	{
		Buffer		buffer;
		Page		page;
		GenericXLogState *xlog = NULL;
		FlashUnit  *units;
		int			n = block == meta->pending_tail ? (int) meta->pending_tail_units : FLASH_UNITS_PER_PAGE;

		chemeco_vacuum_delay_point();
		buffer = ReadBuffer(index, block);
		LockBuffer(buffer, BUFFER_LOCK_EXCLUSIVE);
		page = BufferGetPage(buffer);
		units = FlashPageUnits(page);
		for (int i = 0; i < n; i++)
		{
			FlashPendingHeader *header;

			if (peaks_to_skip > 0)
			{
				int			skip = (int) Min(peaks_to_skip, n - i);

				peaks_to_skip -= skip;
				i += skip - 1;
				continue;
			}
			header = &units[i].header;
			peaks_to_skip = header->npeaks;
			if (header->flags & FLASH_ENTRY_DEAD)
				continue;
			if (!callback(&header->tid, callback_state))
			{
				counts->remaining++;
				continue;
			}
			if (xlog == NULL)
			{
				xlog = GenericXLogStart(index);
				units = FlashPageUnits(GenericXLogRegisterBuffer(xlog, buffer, 0));
				header = &units[i].header;
			}
			header->flags |= FLASH_ENTRY_DEAD;
			counts->removed++;
		}
		block = block == meta->pending_tail ? InvalidBlockNumber : FlashPageGetOpaque(page)->next;
		if (xlog)
			GenericXLogFinish(xlog);
		UnlockReleaseBuffer(buffer);
	}
}

IndexBulkDeleteResult *
flash_bulk_delete(IndexVacuumInfo *info, IndexBulkDeleteResult *stats,
				  IndexBulkDeleteCallback callback, void *callback_state)
{
	Relation	index = info->index;
	FlashMeta	meta = flash_read_meta(index);
	VacuumCounts counts = {0, 0};

	if (stats == NULL)
		stats = palloc0(sizeof(IndexBulkDeleteResult));
	bulk_delete_directory(index, &meta, callback, callback_state, &counts);
	bulk_delete_pending(index, &meta, callback, callback_state, &counts);
	stats->tuples_removed += counts.removed;
	stats->num_index_tuples = counts.remaining;
	stats->num_pages = RelationGetNumberOfBlocks(index);
	return stats;
}

IndexBulkDeleteResult *
flash_vacuum_cleanup(IndexVacuumInfo *info, IndexBulkDeleteResult *stats)
{
	if (info->analyze_only)
		return stats;
	if (stats == NULL)
	{
		/* no bulk delete ran: count the live entries without a callback */
		stats = palloc0(sizeof(IndexBulkDeleteResult));
		stats->num_index_tuples = info->num_heap_tuples;
		stats->estimated_count = info->estimated_count;
	}
	stats->num_pages = RelationGetNumberOfBlocks(info->index);
	return stats;
}
