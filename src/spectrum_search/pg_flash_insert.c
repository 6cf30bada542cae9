/*
 * pg_flash_insert.c: rows inserted after the build go to the pending pages.
 *
 * A row is a header unit and its prepared peaks, appended to the unit stream
 * under the meta page's exclusive lock (inserts are serialised).  A row may
 * span pages; the meta page, which says where the stream ends, is updated in
 * the WAL record that writes the row's last unit, so a crash in the middle of
 * a row leaves the stream as it was (the half-written units are overwritten
 * by the next insert).
 */
#include "postgres.h"

#include "nodes/execnodes.h"
#include "utils/rel.h"

#include "pg_flash.h"

static void
init_pending_page(Page page)
{
	flash_init_page(page, FLASH_PAGE_PENDING, FLASH_UNITS_PER_PAGE * sizeof(FlashUnit));
}

/* Give an index without pending pages its first, empty one. */
static void
start_pending_stream(Relation index, Buffer meta_buffer)
{
	Buffer		buffer = flash_new_buffer(index);
	GenericXLogState *xlog = GenericXLogStart(index);
	Page		page = GenericXLogRegisterBuffer(xlog, buffer, GENERIC_XLOG_FULL_IMAGE);
	FlashMeta  *meta = FlashPageGetMeta(GenericXLogRegisterBuffer(xlog, meta_buffer, 0));

	init_pending_page(page);
	meta->pending_head = meta->pending_tail = BufferGetBlockNumber(buffer);
	meta->pending_tail_units = 0;
	GenericXLogFinish(xlog);
	UnlockReleaseBuffer(buffer);
}

static void
append_units(Relation index, Buffer meta_buffer, const FlashUnit *units, int nunits)
{
	FlashMeta	start = *FlashPageGetMeta(BufferGetPage(meta_buffer));
	Buffer		buffer = ReadBuffer(index, start.pending_tail);
	int			used = (int) start.pending_tail_units;
	int			written = 0;

	LockBuffer(buffer, BUFFER_LOCK_EXCLUSIVE);
	while (written < nunits)
	{
		GenericXLogState *xlog = GenericXLogStart(index);
		Page		page = GenericXLogRegisterBuffer(xlog, buffer, 0);
		Buffer		next = InvalidBuffer;
		int			n;

		if (used == FLASH_UNITS_PER_PAGE)
		{
			/* a page left over by a crashed insert is reused, else a new one linked */
			BlockNumber next_block = FlashPageGetOpaque(page)->next;
			Page		next_page;

			if (next_block != InvalidBlockNumber)
			{
				next = ReadBuffer(index, next_block);
				LockBuffer(next, BUFFER_LOCK_EXCLUSIVE);
			}
			else
				next = flash_new_buffer(index);
			next_page = GenericXLogRegisterBuffer(xlog, next, GENERIC_XLOG_FULL_IMAGE);
			init_pending_page(next_page);
			FlashPageGetOpaque(page)->next = BufferGetBlockNumber(next);
			page = next_page;
			used = 0;
		}
		n = Min(FLASH_UNITS_PER_PAGE - used, nunits - written);
		memcpy(FlashPageUnits(page) + used, units + written, n * sizeof(FlashUnit));
		used += n;
		written += n;
		if (written == nunits)
		{
			FlashMeta  *meta = FlashPageGetMeta(GenericXLogRegisterBuffer(xlog, meta_buffer, 0));

			meta->pending_tail = BufferIsValid(next) ? BufferGetBlockNumber(next) : BufferGetBlockNumber(buffer);
			meta->pending_tail_units = used;
			meta->pending_units += nunits;
		}
		GenericXLogFinish(xlog);
		if (BufferIsValid(next))
		{
			UnlockReleaseBuffer(buffer);
			buffer = next;
		}
	}
	UnlockReleaseBuffer(buffer);
}

bool
flash_insert(Relation index, Datum *values, bool *isnull, ItemPointer heap_tid,
			 Relation heap, IndexUniqueCheck check_unique, bool index_unchanged,
			 IndexInfo *info)
{
	FlashMeta	meta = flash_read_meta(index);
	Peak	   *prepared = NULL;
	int			npeaks = 0;
	FlashUnit  *units;
	Buffer		meta_buffer;

	if (!isnull[0])
		npeaks = flash_prepare_value(values[0], meta.tolerance, &prepared);
	units = palloc0(sizeof(FlashUnit) * (npeaks + 1));
	units[0].header.tid = *heap_tid;
	units[0].header.flags = isnull[0] ? FLASH_ENTRY_NULL : 0;
	units[0].header.npeaks = npeaks;
	for (int i = 0; i < npeaks; i++)
		units[i + 1].peak = prepared[i];

	meta_buffer = ReadBuffer(index, FLASH_META_BLOCK);
	LockBuffer(meta_buffer, BUFFER_LOCK_EXCLUSIVE);
	if (FlashPageGetMeta(BufferGetPage(meta_buffer))->pending_tail == InvalidBlockNumber)
		start_pending_stream(index, meta_buffer);
	append_units(index, meta_buffer, units, npeaks + 1);
	UnlockReleaseBuffer(meta_buffer);

	pfree(units);
	if (prepared)
		pfree(prepared);
	return false;
}
