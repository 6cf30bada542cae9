/*
 * pg_identify.c: chemeco.identify(query, query_precursor, library, k,
 * precursor_tolerance, mode): the k best library rows by entropy similarity.
 *
 * The library is read with SPI, with the caller's rights (SECURITY INVOKER):
 *   open      ORDER BY spectrum <~> query LIMIT k (a chemeco_flash index
 *             answers it), ties by ctid
 *   identity  the same, restricted to |precursor_mz - query_precursor| <= tolerance
 *   hybrid    every row scored by the hybrid similarity (hybrid.c), top k kept
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/tuplestore.h"

#include "entropy.h"
#include "flash.h"
#include "hybrid.h"
#include "pg_spectrum.h"

PG_FUNCTION_INFO_V1(spectrum_identify);

typedef struct Candidate
{
	ItemPointerData tid;
	double		score;
	int			matches;
} Candidate;

static void
require_column(Oid relid, const char *column, Oid type)
{
	AttrNumber	attnum = get_attnum(relid, column);

	if (attnum == InvalidAttrNumber)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("library \"%s\" has no column \"%s\"", get_rel_name(relid), column),
				 errhint("identify() needs columns spectrum (chemeco.spectrum) and precursor_mz (float8).")));
	if (OidIsValid(type) && get_atttype(relid, attnum) != type)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("column \"%s\" of library \"%s\" must be of type %s",
						column, get_rel_name(relid), format_type_be(type))));
}

/* Insert c into the k best so far (score descending, then TID). */
static void
keep_best(Candidate *best, int *n, int k, const Candidate *c)
{
	int			i = *n < k ? (*n)++ : k;

	while (i > 0 && (best[i - 1].score < c->score ||
					 (best[i - 1].score == c->score && ItemPointerCompare(&best[i - 1].tid, (ItemPointer) &c->tid) > 0)))
	{
		if (i < k)
			best[i] = best[i - 1];
		i--;
	}
	if (i < k)
		best[i] = *c;
}

Datum
spectrum_identify(PG_FUNCTION_ARGS)
{
	Spectrum   *query = PG_GETARG_SPECTRUM_P(0);
	double		query_precursor = PG_GETARG_FLOAT8(1);
	Oid			relid = PG_GETARG_OID(2);
	int32		k = PG_GETARG_INT32(3);
	double		precursor_tolerance = PG_GETARG_FLOAT8(4);
	char	   *mode = text_to_cstring(PG_GETARG_TEXT_PP(5));
	bool		hybrid = strcmp(mode, "hybrid") == 0;
	bool		identity = strcmp(mode, "identity") == 0;
	Oid			spectrum_type = get_fn_expr_argtype(fcinfo->flinfo, 0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *relation;
	StringInfoData sql;
	Peak	   *prepared_query;
	CleanParams clean = clean_params_for_matching(mz_tolerance_da(FLASH_OPERATOR_TOLERANCE));
	int			nquery;
	Candidate  *best;
	int			nbest = 0;
	Oid			argtypes[4] = {spectrum_type, INT4OID, FLOAT8OID, FLOAT8OID};
	Datum		args[4];
	Portal		portal;

	if (!hybrid && !identity && strcmp(mode, "open") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown identify mode \"%s\"", mode),
				 errhint("Use 'identity', 'open' or 'hybrid'.")));
	if (k < 1 || k > 10000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("k must be between 1 and 10000, got %d", k)));
	if (!isfinite(precursor_tolerance) || precursor_tolerance < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("precursor_tolerance must be a finite number >= 0, got %g", precursor_tolerance)));
	if (!isfinite(query_precursor) || query_precursor <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("query_precursor must be a finite number > 0, got %g", query_precursor)));
	if (get_rel_name(relid) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("library relation with OID %u does not exist", relid)));
	require_column(relid, "spectrum", spectrum_type);
	require_column(relid, "precursor_mz", InvalidOid);

	InitMaterializedSRF(fcinfo, 0);
	relation = quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)), get_rel_name(relid));
	nquery = entropy_prepare(query->peaks, query->npeaks, &clean, true, &prepared_query);
	best = palloc(sizeof(Candidate) * (k + 1));

	initStringInfo(&sql);
	if (hybrid)
		appendStringInfo(&sql, "SELECT ctid, spectrum, precursor_mz::float8 FROM %s "
						 "WHERE spectrum IS NOT NULL AND precursor_mz IS NOT NULL", relation);
	else
	{
		/*
		 * The inner ORDER BY ... LIMIT is what a chemeco_flash index answers
		 * (its ties already in ctid order); the outer one orders ties by ctid
		 * without an index.  OPERATOR(schema.<~>): the caller's search_path
		 * need not include chemeco.
		 */
		const char *schema = quote_identifier(get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid)));

		appendStringInfo(&sql, "SELECT ctid, spectrum FROM (SELECT ctid, spectrum, spectrum OPERATOR(%s.<~>) $1 AS distance"
						 " FROM %s", schema, relation);
		if (identity)
			appendStringInfoString(&sql, " WHERE precursor_mz BETWEEN $3 - $4 AND $3 + $4"
								   " AND abs(precursor_mz - $3) <= $4");
		appendStringInfo(&sql, " ORDER BY spectrum OPERATOR(%s.<~>) $1 LIMIT $2) best"
						 " WHERE spectrum IS NOT NULL ORDER BY distance, ctid", schema);
	}
	args[0] = PointerGetDatum(query);
	args[1] = Int32GetDatum(k);
	args[2] = Float8GetDatum(query_precursor);
	args[3] = Float8GetDatum(precursor_tolerance);

	SPI_connect();
	portal = SPI_cursor_open_with_args(NULL, sql.data, 4, argtypes, args, NULL, true, 0);
	for (;;)
	{
		SPI_cursor_fetch(portal, true, 1000);
		if (SPI_processed == 0)
			break;
		for (uint64 row = 0; row < SPI_processed; row++)
		{
			HeapTuple	tuple = SPI_tuptable->vals[row];
			TupleDesc	desc = SPI_tuptable->tupdesc;
			bool		isnull;
			Candidate	c;
			Datum		value;
			Spectrum   *library;
			Peak	   *prepared;
			int			n;

			CHECK_FOR_INTERRUPTS();
			c.tid = *(ItemPointer) DatumGetPointer(SPI_getbinval(tuple, desc, 1, &isnull));
			value = SPI_getbinval(tuple, desc, 2, &isnull);
			library = DatumGetSpectrumP(value);
			n = entropy_prepare(library->peaks, library->npeaks, &clean, true, &prepared);
			if (hybrid)
				c.score = entropy_hybrid_similarity_prepared(prepared, n,
															 DatumGetFloat8(SPI_getbinval(tuple, desc, 3, &isnull)),
															 prepared_query, nquery, query_precursor,
															 FLASH_OPERATOR_TOLERANCE, &c.matches);
			else
				c.score = entropy_similarity_prepared(prepared, n, prepared_query, nquery,
													  mz_tolerance_da(FLASH_OPERATOR_TOLERANCE), &c.matches);
			pfree(prepared);
			if ((Pointer) library != DatumGetPointer(value))
				pfree(library);
			/* open and identity rows arrive in order already */
			if (hybrid)
				keep_best(best, &nbest, k, &c);
			else
				best[nbest++] = c;
		}
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_cursor_close(portal);
	SPI_finish();

	for (int i = 0; i < nbest; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};
		ItemPointer tid = palloc(sizeof(ItemPointerData));

		*tid = best[i].tid;
		values[0] = PointerGetDatum(tid);
		values[1] = Float8GetDatum(best[i].score);
		values[2] = Int32GetDatum(best[i].matches);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	PG_RETURN_NULL();
}
