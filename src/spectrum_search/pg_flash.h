/*
 * pg_flash.h: the chemeco_flash index access method (PostgreSQL glue).
 *
 * Pages, all WAL-logged with generic WAL:
 *   block 0        meta page (FlashMeta)
 *   peak pages     the library's prepared peaks sorted by m/z, as four
 *                  arrays (mz, intensity, flash_intensity_term of the
 *                  intensity, spectrum number) per page; written once by
 *                  the build and never changed
 *   directory      one FlashDirectoryEntry per indexed row, numbered in heap
 *                  TID order: spectrum number n is entry n
 *   summary        the first m/z of every peak page, so that a search finds
 *                  its windows in memory (cached in the relcache entry)
 *   pending pages  rows inserted after the build: a stream of 16-byte units,
 *                  each row a header unit followed by its prepared peaks;
 *                  searched linearly until REINDEX folds them in.
 */
#ifndef CHEMECO_PG_FLASH_H
#define CHEMECO_PG_FLASH_H

#include "postgres.h"

#include "access/amapi.h"
#include "access/generic_xlog.h"
#include "storage/bufmgr.h"
#include "storage/itemptr.h"
#include "utils/relcache.h"

#include "flash.h"

#define FLASH_MAGIC 0x464C5348	/* "FLSH" */
#define FLASH_VERSION 2		/* 2: peak pages hold the intensity terms */
#define FLASH_META_BLOCK 0

/* Page kinds, in FlashPageOpaque.kind */
#define FLASH_PAGE_META 1
#define FLASH_PAGE_PEAKS 2
#define FLASH_PAGE_DIRECTORY 3
#define FLASH_PAGE_PENDING 4
/* FLASH_PAGE_SUMMARY 5 is defined with the summary layout below */

typedef struct FlashPageOpaque
{
	uint16		kind;
	uint16		unused;
	BlockNumber next;			/* pending pages: the next one, or InvalidBlockNumber */
} FlashPageOpaque;

#define FlashPageGetOpaque(page) ((FlashPageOpaque *) PageGetSpecialPointer(page))
#define FLASH_PAGE_CONTENT_SIZE \
	(BLCKSZ - MAXALIGN(SizeOfPageHeaderData) - MAXALIGN(sizeof(FlashPageOpaque)))

typedef struct FlashMeta
{
	uint32		magic;
	uint32		version;
	double		tolerance;		/* of entropy_prepare and matching, Da */
	uint32		nspectra;		/* directory entries */
	uint64		npeaks;			/* sorted peaks */
	BlockNumber peak_start;
	BlockNumber directory_start;
	BlockNumber summary_start;
	BlockNumber pending_head;	/* InvalidBlockNumber when nothing is pending */
	BlockNumber pending_tail;
	uint32		pending_tail_units; /* units in use on the tail page */
	uint64		pending_units;	/* units of complete rows */
} FlashMeta;

#define FlashPageGetMeta(page) ((FlashMeta *) PageGetContents(page))

/* Peak pages: struct-of-arrays so a window is read as plain arrays. */
#define FLASH_PEAK_BYTES (3 * sizeof(double) + sizeof(uint32))
#define FLASH_PEAKS_PER_PAGE ((int) (FLASH_PAGE_CONTENT_SIZE / FLASH_PEAK_BYTES))
#define FlashPagePeakMz(page) ((double *) PageGetContents(page))
#define FlashPagePeakIntensity(page) (FlashPagePeakMz(page) + FLASH_PEAKS_PER_PAGE)
#define FlashPagePeakIntensityTerm(page) (FlashPagePeakIntensity(page) + FLASH_PEAKS_PER_PAGE)
#define FlashPagePeakRow(page) ((uint32 *) (FlashPagePeakIntensityTerm(page) + FLASH_PEAKS_PER_PAGE))

/* Directory entry flags */
#define FLASH_ENTRY_DEAD 0x1	/* removed by VACUUM */
#define FLASH_ENTRY_NULL 0x2	/* the indexed value is NULL */

typedef struct FlashDirectoryEntry
{
	ItemPointerData tid;
	uint16		flags;
} FlashDirectoryEntry;

#define FLASH_SUMMARY_PER_PAGE ((int) (FLASH_PAGE_CONTENT_SIZE / sizeof(double)))
#define FlashPageSummary(page) ((double *) PageGetContents(page))
#define FLASH_PAGE_SUMMARY 5

#define FLASH_ENTRIES_PER_PAGE ((int) (FLASH_PAGE_CONTENT_SIZE / sizeof(FlashDirectoryEntry)))
#define FlashPageEntries(page) ((FlashDirectoryEntry *) PageGetContents(page))

/* Pending pages: a header unit then npeaks Peak units per row. */
typedef struct FlashPendingHeader
{
	ItemPointerData tid;
	uint16		flags;
	int32		npeaks;
	int32		unused;
} FlashPendingHeader;

typedef union FlashUnit
{
	FlashPendingHeader header;
	Peak		peak;
} FlashUnit;

StaticAssertDecl(sizeof(FlashUnit) == 16, "a pending unit is 16 bytes");

#define FLASH_UNITS_PER_PAGE ((int) (FLASH_PAGE_CONTENT_SIZE / sizeof(FlashUnit)))
#define FlashPageUnits(page) ((FlashUnit *) PageGetContents(page))

/* Build subphases reported in pg_stat_progress_create_index */
#define FLASH_PHASE_PREPARE 2
#define FLASH_PHASE_SORT 3
#define FLASH_PHASE_WRITE 4

/* pg_flash.c */
extern double flash_index_tolerance_option(Relation index);
extern void flash_init_page(Page page, uint16 kind, Size content_bytes);
extern Buffer flash_new_buffer(Relation index);
extern FlashMeta flash_read_meta(Relation index);

/* pg_flash_build.c */
extern IndexBuildResult *flash_build(Relation heap, Relation index, struct IndexInfo *info);
extern void flash_build_empty(Relation index);

/* pg_flash_insert.c */
extern bool flash_insert(Relation index, Datum *values, bool *isnull, ItemPointer heap_tid,
						 Relation heap, IndexUniqueCheck check_unique, bool index_unchanged,
						 struct IndexInfo *info);

/* pg_flash_vacuum.c */
extern IndexBulkDeleteResult *flash_bulk_delete(IndexVacuumInfo *info, IndexBulkDeleteResult *stats,
												IndexBulkDeleteCallback callback, void *callback_state);
extern IndexBulkDeleteResult *flash_vacuum_cleanup(IndexVacuumInfo *info, IndexBulkDeleteResult *stats);

/* pg_flash_pages.c */

/* The first m/z of every peak page, read once per backend into the relcache entry. */
typedef struct FlashPeakSummary
{
	uint64		npeaks;			/* of the index it was read from */
	BlockNumber summary_start;
	uint64		nblocks;
	double		first_mz[FLEXIBLE_ARRAY_MEMBER];
} FlashPeakSummary;

/* Directory entry position; *pinned: the page of the last entry read (or InvalidBuffer), kept pinned. */
extern FlashDirectoryEntry flash_directory_entry(Relation index, const FlashMeta *meta, uint32 position,
												 Buffer *pinned);
extern const FlashPeakSummary *flash_peak_summary(Relation index, const FlashMeta *meta);
extern int	flash_peaks_on_block(const FlashMeta *meta, uint64 block_number);

/* The first block whose first m/z is >= mz, or > mz when after (nblocks if none). */
extern uint64 flash_first_block_from(const FlashPeakSummary *summary, double mz, bool after);

/* The first position whose m/z is >= low (npeaks if none). */
extern uint64 flash_lower_bound(Relation index, const FlashMeta *meta, const FlashPeakSummary *summary,
								double low);

/* pg_flash_scan.c */
extern IndexScanDesc flash_begin_scan(Relation index, int nkeys, int norderbys);
extern void flash_rescan(IndexScanDesc scan, ScanKey keys, int nkeys, ScanKey orderbys, int norderbys);
extern bool flash_get_tuple(IndexScanDesc scan, ScanDirection direction);
extern void flash_end_scan(IndexScanDesc scan);

/* The prepared peaks of an indexed value, palloc'd. */
extern int	flash_prepare_value(Datum value, double tolerance, Peak **prepared);

#endif
