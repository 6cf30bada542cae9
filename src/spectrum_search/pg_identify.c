/*
 * pg_identify.c: chemeco.identify(query, query_precursor, library, k,
 * precursor_tolerance, mode, ms2_tolerance_ppm, precursor_removal,
 * merge_tolerance, key_column): the k best library rows by entropy
 * similarity.  The same C function serves 0.1's six-argument identify.
 *
 * The library is read with SPI, with the caller's rights (SECURITY INVOKER):
 *   open, identity with the default preparation (0.02 Da, merging within
 *             0.04 Da, no precursor removal): rows in ORDER BY spectrum <~>
 *             query order (a chemeco_flash index answers it), read until the
 *             distance exceeds the k-th best one, so that ties at the cut are
 *             all seen; identity adds |precursor_mz - query_precursor| <= tolerance
 *   otherwise (ppm, precursor removal, another merge distance, hybrid,
 *             neutral_loss): every row scored (search_score.c), top k kept
 * Ties: by ctid for tables and materialized views, else by key_column.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_class.h"
#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "flash.h"
#include "pg_spectrum.h"
#include "search_score.h"

PG_FUNCTION_INFO_V1(spectrum_identify);

/* chemeco's own preparation, the one <~> and the index use */
#define DEFAULT_MERGE_TOLERANCE (2 * FLASH_OPERATOR_TOLERANCE)

typedef struct Candidate
{
	ItemPointerData tid;
	char	   *key;			/* key_column as text, or NULL */
	double		score;
	int			matches;
} Candidate;

typedef struct IdentifyOptions
{
	SearchScoring scoring;
	bool		identity;
	double		tolerance_ppm;	/* 0: FLASH_OPERATOR_TOLERANCE Da */
	double		precursor_removal;	/* < 0: keep precursor peaks */
	double		merge_tolerance;
	bool		by_ctid;		/* ties by ctid, else by key */
} IdentifyOptions;

static AttrNumber
require_column(Oid relid, const char *column)
{
	AttrNumber	attnum = get_attnum(relid, column);

	if (attnum == InvalidAttrNumber)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("library \"%s\" has no column \"%s\"", get_rel_name(relid), column),
				 errhint("identify() needs columns spectrum (chemeco.spectrum) and precursor_mz (a number).")));
	return attnum;
}

/* spectrum must be chemeco.spectrum, precursor_mz a number (else SQL would fail obscurely). */
static void
check_library_columns(Oid relid, Oid spectrum_type)
{
	Oid			precursor_type = getBaseType(get_atttype(relid, require_column(relid, "precursor_mz")));

	if (get_atttype(relid, require_column(relid, "spectrum")) != spectrum_type)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("column \"spectrum\" of library \"%s\" must be of type %s",
						get_rel_name(relid), format_type_be(spectrum_type))));
	if (precursor_type != FLOAT8OID && precursor_type != FLOAT4OID && precursor_type != NUMERICOID &&
		precursor_type != INT2OID && precursor_type != INT4OID && precursor_type != INT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("column \"precursor_mz\" of library \"%s\" is of type %s, not a number",
						get_rel_name(relid), format_type_be(precursor_type)),
				 errhint("Convert the column (ALTER TABLE ... ALTER precursor_mz TYPE float8 USING precursor_mz::float8), "
						 "or search a view that casts it and pass key_column.")));
}

/* True when a ranks before b: higher score, then lower ctid or key (NULL keys last). */
static bool
ranks_before(const Candidate *a, const Candidate *b, bool by_ctid)
{
	if (a->score != b->score)
		return a->score > b->score;
	if (by_ctid)
		return ItemPointerCompare((ItemPointer) &a->tid, (ItemPointer) &b->tid) < 0;
	if (a->key == NULL || b->key == NULL)
		return a->key != NULL && b->key == NULL;
	return strcmp(a->key, b->key) < 0;
}

/*
 * Insert c into the k best so far, copying its key into the caller's memory
 * context; returns false when c does not make the k best.
 */
static bool
keep_best(Candidate *best, int *n, int k, Candidate *c, bool by_ctid)
{
	int			i;

	if (*n == k && !ranks_before(c, &best[k - 1], by_ctid))
		return false;
	if (*n == k && best[k - 1].key)
		pfree(best[k - 1].key);
	i = *n < k ? (*n)++ : k - 1;
	while (i > 0 && ranks_before(c, &best[i - 1], by_ctid))
	{
		best[i] = best[i - 1];
		i--;
	}
	best[i] = *c;
	best[i].key = c->key ? pstrdup(c->key) : NULL;
	return true;
}

static double
option_float8(FunctionCallInfo fcinfo, int arg, double if_null)
{
	return PG_NARGS() > arg && !PG_ARGISNULL(arg) ? PG_GETARG_FLOAT8(arg) : if_null;
}

static void
read_options(FunctionCallInfo fcinfo, Oid relid, IdentifyOptions *options, char **key_column)
{
	char	   *mode = text_to_cstring(PG_GETARG_TEXT_PP(5));
	char		relkind = get_rel_relkind(relid);

	options->identity = strcmp(mode, "identity") == 0;
	if (options->identity || strcmp(mode, "open") == 0)
		options->scoring = SCORE_DIRECT;
	else if (strcmp(mode, "hybrid") == 0)
		options->scoring = SCORE_HYBRID;
	else if (strcmp(mode, "neutral_loss") == 0)
		options->scoring = SCORE_NEUTRAL_LOSS;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown identify mode \"%s\"", mode),
				 errhint("Use 'identity', 'open', 'hybrid' or 'neutral_loss'.")));
	options->tolerance_ppm = option_float8(fcinfo, 6, 0);
	if (PG_NARGS() > 6 && !PG_ARGISNULL(6) && !(options->tolerance_ppm > 0 && options->tolerance_ppm <= 1000))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ms2_tolerance_ppm must be > 0 and <= 1000, got %g", options->tolerance_ppm),
				 errhint("Pass NULL for the default window of %g Da.", FLASH_OPERATOR_TOLERANCE)));
	options->precursor_removal = option_float8(fcinfo, 7, -1);
	if (PG_NARGS() > 7 && !PG_ARGISNULL(7) && !(options->precursor_removal >= 0 && isfinite(options->precursor_removal)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("precursor_removal must be a finite number >= 0, got %g", options->precursor_removal),
				 errhint("FlashEntropySearch removes peaks 1.6 Da below the precursor and above; NULL keeps them.")));
	options->merge_tolerance = option_float8(fcinfo, 8, NAN);
	if (PG_NARGS() <= 8)
		options->merge_tolerance = DEFAULT_MERGE_TOLERANCE;
	if (!(options->merge_tolerance >= 0 && options->merge_tolerance <= 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("merge_tolerance must be between 0 and 1 Da, got %g", options->merge_tolerance)));
	*key_column = PG_NARGS() > 9 && !PG_ARGISNULL(9) ? text_to_cstring(PG_GETARG_TEXT_PP(9)) : NULL;
	if (*key_column && get_attnum(relid, *key_column) == InvalidAttrNumber)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("library \"%s\" has no column \"%s\" (key_column)", get_rel_name(relid), *key_column)));
	/* views, partitioned and foreign tables have no ctid that names one row */
	options->by_ctid = relkind == RELKIND_RELATION || relkind == RELKIND_MATVIEW;
	if (!options->by_ctid && *key_column == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("library \"%s\" is a view, a partitioned or a foreign table: it has no ctid that identifies its rows",
						get_rel_name(relid)),
				 errhint("Pass key_column => 'a column that identifies each row' (e.g. the base table's primary key); "
						 "identify returns it as key and breaks ties by it.")));
}

/* The SPI query; $1 query, $2 query_precursor, $3 precursor_tolerance. */
static char *
library_query(Oid relid, const char *schema, const IdentifyOptions *options, const char *key_column,
			  bool ordered)
{
	StringInfoData sql;

	initStringInfo(&sql);
	appendStringInfo(&sql, "SELECT %s, %s, spectrum, precursor_mz::float8 FROM %s WHERE spectrum IS NOT NULL",
					 options->by_ctid ? "ctid" : "NULL::tid",
					 key_column ? psprintf("(%s)::text", quote_identifier(key_column)) : "NULL::text",
					 quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)), get_rel_name(relid)));
	if (options->identity)
		appendStringInfoString(&sql, " AND precursor_mz BETWEEN $2 - $3 AND $2 + $3"
							   " AND abs(precursor_mz - $2) <= $3");
	else if (options->scoring != SCORE_DIRECT || options->precursor_removal >= 0)
		appendStringInfoString(&sql, " AND precursor_mz IS NOT NULL");
	/* OPERATOR(schema.<~>): the caller's search_path need not include chemeco */
	if (ordered)
		appendStringInfo(&sql, " ORDER BY spectrum OPERATOR(%s.<~>) $1", schema);
	return sql.data;
}

/* One identify() call: its arguments, the prepared query and the k best rows so far. */
typedef struct IdentifySearch
{
	Spectrum   *query;
	double		query_precursor;
	Oid			relid;
	int32		k;
	double		precursor_tolerance;
	IdentifyOptions options;
	char	   *key_column;
	bool		ordered;		/* rows come in <~> order, so the scan may stop early */
	Peak	   *prepared_query;
	int			nquery;
	Candidate  *best;
	int			nbest;
} IdentifySearch;

/* The arguments (none NULL), checked; then the library's columns and the options. */
static void
read_arguments(FunctionCallInfo fcinfo, Oid spectrum_type, IdentifySearch *search)
{
	search->query = PG_GETARG_SPECTRUM_P(0);
	search->query_precursor = PG_GETARG_FLOAT8(1);
	search->relid = PG_GETARG_OID(2);
	search->k = PG_GETARG_INT32(3);
	search->precursor_tolerance = PG_GETARG_FLOAT8(4);
	if (search->k < 1 || search->k > 10000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("k must be between 1 and 10000, got %d", search->k)));
	if (!isfinite(search->precursor_tolerance) || search->precursor_tolerance < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("precursor_tolerance must be a finite number >= 0, got %g", search->precursor_tolerance)));
	if (!isfinite(search->query_precursor) || search->query_precursor <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("query_precursor must be a finite number > 0, got %g", search->query_precursor)));
	if (get_rel_name(search->relid) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("library relation with OID %u does not exist", search->relid)));
	check_library_columns(search->relid, spectrum_type);
	read_options(fcinfo, search->relid, &search->options, &search->key_column);
}

/* Scores one library row (columns: ctid, key, spectrum, precursor_mz) into c. */
static void
score_row(const IdentifySearch *search, HeapTuple tuple, TupleDesc desc, Candidate *c)
{
	const IdentifyOptions *options = &search->options;
	bool		isnull;
	Spectrum   *library;
	double		precursor;
	Peak	   *prepared;
	int			n;

	if (options->by_ctid)
		c->tid = *(ItemPointer) DatumGetPointer(SPI_getbinval(tuple, desc, 1, &isnull));
	c->key = search->key_column ? SPI_getvalue(tuple, desc, 2) : NULL;
	library = DatumGetSpectrumP(SPI_getbinval(tuple, desc, 3, &isnull));
	precursor = DatumGetFloat8(SPI_getbinval(tuple, desc, 4, &isnull));
	if (isnull)					/* open and identity only: no use for it */
		precursor = 0;
	n = search_prepare(library->peaks, library->npeaks, precursor,
					   options->precursor_removal, options->merge_tolerance, &prepared);
	/* ppm windows come from the query's peaks (ms_entropy's peaks_a) */
	if (options->tolerance_ppm > 0)
		c->score = search_similarity(options->scoring, search->prepared_query, search->nquery,
									 search->query_precursor, prepared, n, precursor,
									 (MzTolerance) {options->tolerance_ppm, true}, &c->matches);
	else
		c->score = search_similarity(options->scoring, prepared, n, precursor,
									 search->prepared_query, search->nquery, search->query_precursor,
									 mz_tolerance_da(FLASH_OPERATOR_TOLERANCE), &c->matches);
	pfree(prepared);
}

/*
 * Reads the library through SPI (with the caller's rights), keeping the k
 * best rows in search->best, in the caller's memory context.
 */
static void
scan_library(IdentifySearch *search, Oid spectrum_type, const char *schema)
{
	Oid			argtypes[3] = {spectrum_type, FLOAT8OID, FLOAT8OID};
	Datum		args[3];
	MemoryContext outer = CurrentMemoryContext;
	MemoryContext row_context = AllocSetContextCreate(outer, "identify row", ALLOCSET_DEFAULT_SIZES);
	bool		done = false;
	Portal		portal;

	args[0] = PointerGetDatum(search->query);
	args[1] = Float8GetDatum(search->query_precursor);
	args[2] = Float8GetDatum(search->precursor_tolerance);
	SPI_connect();
	portal = SPI_cursor_open_with_args(NULL,
									   library_query(search->relid, schema, &search->options,
													 search->key_column, search->ordered),
									   3, argtypes, args, NULL, true,
									   search->ordered ? CURSOR_OPT_FAST_PLAN : 0);
	while (!done)
	{
		SPI_cursor_fetch(portal, true, search->ordered ? 64 : 1000);
		if (SPI_processed == 0)
			break;
		for (uint64 row = 0; row < SPI_processed && !done; row++)
		{
			Candidate	c;
			MemoryContext caller;

			CHECK_FOR_INTERRUPTS();
			caller = MemoryContextSwitchTo(row_context);
			score_row(search, SPI_tuptable->vals[row], SPI_tuptable->tupdesc, &c);
			MemoryContextSwitchTo(outer);
			/*
			 * Ordered rows come by ascending distance 1 - score (the <~>
			 * doubles): once the distance exceeds the k-th best one, no
			 * later row can enter or tie.
			 */
			if (search->ordered && search->nbest == search->k &&
				1.0 - c.score > 1.0 - search->best[search->k - 1].score)
				done = true;
			else
				keep_best(search->best, &search->nbest, search->k, &c, search->options.by_ctid);
			MemoryContextSwitchTo(caller);
			MemoryContextReset(row_context);
		}
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_cursor_close(portal);
	SPI_finish();
}

/* The k best rows as the result set: ctid (NULL for views), score, matched_peaks, key. */
static void
return_best(ReturnSetInfo *rsinfo, const IdentifySearch *search)
{
	for (int i = 0; i < search->nbest; i++)
	{
		const Candidate *best = &search->best[i];
		Datum		values[4];
		bool		nulls[4] = {!search->options.by_ctid, false, false, best->key == NULL};
		ItemPointer tid = palloc(sizeof(ItemPointerData));

		*tid = best->tid;
		values[0] = PointerGetDatum(tid);
		values[1] = Float8GetDatum(best->score);
		values[2] = Int32GetDatum(best->matches);
		values[3] = best->key ? CStringGetTextDatum(best->key) : (Datum) 0;
		/* 0.1's identify returns the first three columns */
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
}

Datum
spectrum_identify(PG_FUNCTION_ARGS)
{
	Oid			spectrum_type = get_fn_expr_argtype(fcinfo->flinfo, 0);
	IdentifySearch search;

	InitMaterializedSRF(fcinfo, 0);
	/* NULL in the arguments 0.1 had: no rows, as when identify was STRICT */
	for (int i = 0; i < 6; i++)
		if (PG_ARGISNULL(i))
			PG_RETURN_NULL();
	read_arguments(fcinfo, spectrum_type, &search);

	/* the order of <~> is the ranking only with chemeco's own preparation */
	search.ordered = search.options.scoring == SCORE_DIRECT && search.options.tolerance_ppm == 0 &&
		search.options.precursor_removal < 0 && search.options.merge_tolerance == DEFAULT_MERGE_TOLERANCE;
	search.nquery = search_prepare(search.query->peaks, search.query->npeaks, search.query_precursor,
								   search.options.precursor_removal, search.options.merge_tolerance,
								   &search.prepared_query);
	search.best = palloc(sizeof(Candidate) * search.k);
	search.nbest = 0;
	/* identify()'s own schema, for OPERATOR(schema.<~>) in the library query */
	scan_library(&search, spectrum_type,
				 quote_identifier(get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid))));
	return_best((ReturnSetInfo *) fcinfo->resultinfo, &search);
	PG_RETURN_NULL();
}
