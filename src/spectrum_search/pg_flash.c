/*
 * pg_flash.c: the chemeco_flash access method's handler, options, planner
 * costs and page helpers.  Build, insert, vacuum and scan live in
 * pg_flash_build.c, pg_flash_insert.c, pg_flash_vacuum.c and pg_flash_scan.c.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "access/genam.h"
#include "access/reloptions.h"
#include "catalog/pg_type_d.h"
#include "commands/vacuum.h"
#include "commands/progress.h"
#include "optimizer/cost.h"
#include "optimizer/optimizer.h"
#include "storage/lmgr.h"
#include "utils/float.h"
#include "utils/rel.h"
#include "utils/selfuncs.h"

#include "entropy.h"
#include "pg_flash.h"
#include "pg_spectrum.h"

PG_FUNCTION_INFO_V1(flash_handler);

typedef struct FlashOptions
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	double		tolerance;
} FlashOptions;

static relopt_kind flash_relopt_kind;

/*
 * Registered on first use: the options belong to this access method alone,
 * and amoptions is called before any of them is parsed.
 */
static void
register_options(void)
{
	if (flash_relopt_kind != 0)
		return;
	flash_relopt_kind = add_reloption_kind();
	add_real_reloption(flash_relopt_kind, "tolerance",
					   "m/z tolerance (Da) for cleaning and peak matching; <~> uses 0.02",
					   FLASH_OPERATOR_TOLERANCE, 1e-6, 1.0, AccessExclusiveLock);
}

static bytea *
flash_options(Datum reloptions, bool validate)
{
	static const relopt_parse_elt table[] = {
		{"tolerance", RELOPT_TYPE_REAL, offsetof(FlashOptions, tolerance)},
	};

	register_options();
	return (bytea *) build_reloptions(reloptions, validate, flash_relopt_kind,
									  sizeof(FlashOptions), table, lengthof(table));
}

double
flash_index_tolerance_option(Relation index)
{
	FlashOptions *options = (FlashOptions *) index->rd_options;

	return options ? options->tolerance : FLASH_OPERATOR_TOLERANCE;
}

void
flash_init_page(Page page, uint16 kind, Size content_bytes)
{
	FlashPageOpaque *opaque;

	PageInit(page, BLCKSZ, sizeof(FlashPageOpaque));
	opaque = FlashPageGetOpaque(page);
	opaque->kind = kind;
	opaque->next = InvalidBlockNumber;
	/* generic WAL leaves out the hole between pd_lower and pd_upper */
	((PageHeader) page)->pd_lower = MAXALIGN(SizeOfPageHeaderData) + content_bytes;
}

/* A new page at the end of the index, pinned and exclusively locked. */
Buffer
flash_new_buffer(Relation index)
{
	Buffer		buffer;
	bool		need_lock = !RELATION_IS_LOCAL(index);

	if (need_lock)
		LockRelationForExtension(index, ExclusiveLock);
	buffer = ReadBuffer(index, P_NEW);
	LockBuffer(buffer, BUFFER_LOCK_EXCLUSIVE);
	if (need_lock)
		UnlockRelationForExtension(index, ExclusiveLock);
	return buffer;
}

FlashMeta
flash_read_meta(Relation index)
{
	Buffer		buffer = ReadBuffer(index, FLASH_META_BLOCK);
	FlashMeta	meta;

	LockBuffer(buffer, BUFFER_LOCK_SHARE);
	meta = *FlashPageGetMeta(BufferGetPage(buffer));
	UnlockReleaseBuffer(buffer);
	if (meta.magic != FLASH_MAGIC || meta.version != FLASH_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INDEX_CORRUPTED),
				 errmsg("index \"%s\" is not a chemeco_flash index of version %d",
						RelationGetRelationName(index), FLASH_VERSION),
				 meta.magic == FLASH_MAGIC ? errhint("Rebuild it with REINDEX.") : 0));
	return meta;
}

int
flash_prepare_value(Datum value, double tolerance, Peak **prepared)
{
	Spectrum   *spectrum = DatumGetSpectrumP(value);
	int			n = entropy_prepare_for_matching(spectrum->peaks, spectrum->npeaks, tolerance, prepared);

	if ((Pointer) spectrum != DatumGetPointer(value))
		pfree(spectrum);
	return n;
}

/*
 * The index only serves ORDER BY spectrum <~> query, and only when it was
 * built with the operator's tolerance.  A search reads the peak pages in the
 * query's windows (a small fraction of the index) and yields rows in order,
 * so LIMIT k pays the startup cost and little more.
 */
static void
flash_cost_estimate(PlannerInfo *root, IndexPath *path, double loop_count,
					Cost *startup_cost, Cost *total_cost, Selectivity *selectivity,
					double *correlation, double *index_pages)
{
	IndexOptInfo *index = path->indexinfo;
	double		tuples = Max(index->tuples, 1);
	double		pages = Max(index->pages, 1);
	Relation	relation;
	bool		usable;

	*selectivity = 1.0;
	*correlation = 0.0;
	*index_pages = pages;

	relation = index_open(index->indexoid, NoLock);
	usable = path->indexorderbys != NIL &&
		RelationGetNumberOfBlocks(relation) > 0 &&
		flash_read_meta(relation).tolerance == FLASH_OPERATOR_TOLERANCE;
	index_close(relation, NoLock);
	if (!usable)
	{
		*startup_cost = *total_cost = disable_cost;
		return;
	}
	/* about 100 query peaks x 0.04 Da windows over a 1000 Da range */
	*startup_cost = 0.05 * pages * random_page_cost + tuples * cpu_operator_cost;
	*total_cost = *startup_cost + tuples * (cpu_index_tuple_cost + cpu_tuple_cost);
}

static char *
flash_build_phase_name(int64 phase)
{
	switch (phase)
	{
		case PROGRESS_CREATEIDX_SUBPHASE_INITIALIZE:
			return "initializing";
		case FLASH_PHASE_PREPARE:
			return "preparing spectra";
		case FLASH_PHASE_SORT:
			return "sorting peaks";
		case FLASH_PHASE_WRITE:
			return "writing index pages";
		default:
			return NULL;
	}
}

/* The operator class holds one ordering operator and no support function. */
static bool
flash_validate(Oid opclass_oid)
{
	return true;
}

Datum
flash_handler(PG_FUNCTION_ARGS)
{
	IndexAmRoutine *am = makeNode(IndexAmRoutine);

	am->amstrategies = 1;
	am->amsupport = 0;
	am->amoptsprocnum = 0;
	am->amcanorder = false;
	am->amcanorderbyop = true;
	am->amcanbackward = false;
	am->amcanunique = false;
	am->amcanmulticol = false;
	am->amoptionalkey = true;
	am->amsearcharray = false;
	am->amsearchnulls = false;
	am->amstorage = false;
	am->amclusterable = false;
	am->ampredlocks = false;
	am->amcanparallel = false;
	am->amcaninclude = false;
	am->amusemaintenanceworkmem = false;
	am->amparallelvacuumoptions = VACUUM_OPTION_PARALLEL_BULKDEL;
	am->amkeytype = InvalidOid;

	am->ambuild = flash_build;
	am->ambuildempty = flash_build_empty;
	am->aminsert = flash_insert;
	am->ambulkdelete = flash_bulk_delete;
	am->amvacuumcleanup = flash_vacuum_cleanup;
	am->amcanreturn = NULL;
	am->amcostestimate = flash_cost_estimate;
	am->amoptions = flash_options;
	am->amproperty = NULL;
	am->ambuildphasename = flash_build_phase_name;
	am->amvalidate = flash_validate;
	am->amadjustmembers = NULL;
	am->ambeginscan = flash_begin_scan;
	am->amrescan = flash_rescan;
	am->amgettuple = flash_get_tuple;
	am->amgetbitmap = NULL;
	am->amendscan = flash_end_scan;
	am->ammarkpos = NULL;
	am->amrestrpos = NULL;
	am->amestimateparallelscan = NULL;
	am->aminitparallelscan = NULL;
	am->amparallelrescan = NULL;

	PG_RETURN_POINTER(am);
}
