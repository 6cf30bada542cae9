/*
 * pg_flash_pages.c: reading a chemeco_flash index's pages (the directory, the
 * page summary, the peak pages) for the scan.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/rel.h"

#include "pg_flash.h"

FlashDirectoryEntry
flash_directory_entry(Relation index, const FlashMeta *meta, uint32 position, Buffer *pinned)
{
	BlockNumber block = meta->directory_start + position / FLASH_ENTRIES_PER_PAGE;
	FlashDirectoryEntry entry;

	if (!BufferIsValid(*pinned) || BufferGetBlockNumber(*pinned) != block)
	{
		if (BufferIsValid(*pinned))
			ReleaseBuffer(*pinned);
		*pinned = ReadBuffer(index, block);
	}
	LockBuffer(*pinned, BUFFER_LOCK_SHARE);
	entry = FlashPageEntries(BufferGetPage(*pinned))[position % FLASH_ENTRIES_PER_PAGE];
	LockBuffer(*pinned, BUFFER_LOCK_UNLOCK);
	return entry;
}

const FlashPeakSummary *
flash_peak_summary(Relation index, const FlashMeta *meta)
{
	FlashPeakSummary *summary = (FlashPeakSummary *) index->rd_amcache;
	uint64		nblocks = (meta->npeaks + FLASH_PEAKS_PER_PAGE - 1) / FLASH_PEAKS_PER_PAGE;

	if (summary && summary->npeaks == meta->npeaks && summary->summary_start == meta->summary_start)
		return summary;
	if (index->rd_amcache)
		pfree(index->rd_amcache);
	index->rd_amcache = NULL;
	summary = MemoryContextAllocExtended(index->rd_indexcxt,
										 offsetof(FlashPeakSummary, first_mz) + sizeof(double) * Max(nblocks, 1),
										 MCXT_ALLOC_HUGE);
	summary->npeaks = meta->npeaks;
	summary->summary_start = meta->summary_start;
	summary->nblocks = nblocks;
	for (uint64 first = 0; first < nblocks; first += FLASH_SUMMARY_PER_PAGE)
	{
		Buffer		buffer = ReadBuffer(index, meta->summary_start + (BlockNumber) (first / FLASH_SUMMARY_PER_PAGE));
		int			n = (int) Min(nblocks - first, FLASH_SUMMARY_PER_PAGE);

		CHECK_FOR_INTERRUPTS();
		LockBuffer(buffer, BUFFER_LOCK_SHARE);
		memcpy(summary->first_mz + first, FlashPageSummary(BufferGetPage(buffer)), sizeof(double) * n);
		UnlockReleaseBuffer(buffer);
	}
	index->rd_amcache = summary;
	return summary;
}

int
flash_peaks_on_block(const FlashMeta *meta, uint64 block_number)
{
	return (int) Min(meta->npeaks - block_number * FLASH_PEAKS_PER_PAGE, FLASH_PEAKS_PER_PAGE);
}

uint64
flash_first_block_from(const FlashPeakSummary *summary, double mz, bool after)
{
	uint64		lo = 0,
				hi = summary->nblocks;

	while (lo < hi)
	{
		uint64		mid = lo + (hi - lo) / 2;

		if (summary->first_mz[mid] < mz || (after && summary->first_mz[mid] == mz))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

uint64
flash_lower_bound(Relation index, const FlashMeta *meta, const FlashPeakSummary *summary, double low)
{
	uint64		lo = flash_first_block_from(summary, low, false);
	Buffer		buffer;
	const double *mz;
	int			k = 0,
				n;

	if (lo == 0)
		return 0;
	buffer = ReadBuffer(index, meta->peak_start + (BlockNumber) (lo - 1));
	LockBuffer(buffer, BUFFER_LOCK_SHARE);
	mz = FlashPagePeakMz(BufferGetPage(buffer));
	n = flash_peaks_on_block(meta, lo - 1);
	/* binary search (a page holds 291 peaks): mz[0, k) < low <= mz[n, ...) */
	while (k < n)
	{
		int			mid = k + (n - k) / 2;

		if (mz[mid] < low)
			k = mid + 1;
		else
			n = mid;
	}
	UnlockReleaseBuffer(buffer);
	return (lo - 1) * FLASH_PEAKS_PER_PAGE + k;
}
