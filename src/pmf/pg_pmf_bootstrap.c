/*
 * pg_pmf_bootstrap.c: chemeco.pmf_bootstrap(run_id, ...): block-bootstrap
 * percentiles of a stored PMF run's profiles (arithmetic in bootstrap.c).
 * The run's data query is run again with the caller's rights.
 */
#include "pg_pmf.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "bootstrap.h"

PG_FUNCTION_INFO_V1(pmf_bootstrap_sql);

/* Loads the stored W (which = "contribution") or H ("profile") of run_id into out. */
static void
load_matrix(const char *schema, int64 run_id, bool contributions, const PmfData *data,
			const int *species_column, int k, double *out)
{
	Oid			types[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(run_id)};
	int			rows = contributions ? data->m : k;
	int			cols = contributions ? k : data->n;
	int			ret;

	/* the owner filter as in the run lookup: RLS does not bind superusers */
	ret = SPI_execute_with_args(psprintf(contributions ?
										 "SELECT c.factor, c.sample, c.value FROM %s.pmf_contribution c "
										 "JOIN %s.pmf_run r USING (run_id) WHERE run_id = $1 AND r.owner = current_user" :
										 "SELECT p.factor, p.species, p.value FROM %s.pmf_profile p "
										 "JOIN %s.pmf_run r USING (run_id) WHERE run_id = $1 AND r.owner = current_user",
										 schema, schema),
								1, types, values, NULL, true, 0);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "pmf_bootstrap: reading the stored run failed: %s", SPI_result_code_string(ret));
	if (SPI_processed != (uint64) rows * cols)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("pmf run " INT64_FORMAT " has %llu stored %s values, expected %d",
						run_id, (unsigned long long) SPI_processed,
						contributions ? "contribution" : "profile", rows * cols)));
	for (uint64 r = 0; r < SPI_processed; r++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[r];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		int			factor = DatumGetInt32(SPI_getbinval(tuple, desc, 1, &isnull)) - 1;
		char	   *name = SPI_getvalue(tuple, desc, 2);
		double		value = DatumGetFloat8(SPI_getbinval(tuple, desc, 3, &isnull));
		int			index;

		if (contributions)
			index = pmf_name_lookup(&data->samples, name);
		else
		{
			index = pmf_name_lookup(&data->species, name);
			index = index >= 0 ? species_column[index] : -1;
		}
		if (index < 0 || factor < 0 || factor >= k)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the data query of pmf run " INT64_FORMAT " no longer returns %s \"%s\"",
							run_id, contributions ? "sample" : "species", name),
					 errhint("pmf_bootstrap needs the data the run was fitted on.")));
		if (contributions)
			out[(size_t) index * k + factor] = value;
		else
			out[(size_t) factor * data->n + index] = value;
	}
}

/*
 * pmf_bootstrap(run_id bigint, resamples int, block_size int, seed bigint)
 * RETURNS TABLE (factor, species, base, p05, p25, p50, p75, p95, mapped).
 * Not STRICT: block_size NULL means ceil(sqrt(samples)).
 */
Datum
pmf_bootstrap_sql(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const char *schema;
	int64		run_id;
	int			resamples;
	Oid			types[1] = {INT8OID};
	Datum		key[1];
	HeapTuple	tuple;
	TupleDesc	desc;
	bool		isnull;
	char	   *query;
	char	   *method;
	NmfParams	nmf;
	BootstrapParams params;
	BootstrapResult result;
	PmfData		data;
	int		   *species_column;
	double	   *w_base,
			   *h_base;
	int			k;
	int			ret;
	StringInfoData mapped_text;

	for (int a = 0; a < 4; a++)
		if (a != 2 && PG_ARGISNULL(a))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("pmf_bootstrap: only block_size may be NULL")));
	run_id = PG_GETARG_INT64(0);
	resamples = PG_GETARG_INT32(1);
	if (resamples < 1 || resamples > 100000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("resamples must be between 1 and 100000, got %d", resamples)));
	if (!PG_ARGISNULL(2) && PG_GETARG_INT32(2) < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("block_size must be >= 1, got %d", PG_GETARG_INT32(2))));
	InitMaterializedSRF(fcinfo, 0);
	schema = quote_identifier(get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid)));

	SPI_connect();
	key[0] = Int64GetDatum(run_id);

	/*
	 * Only the caller's own runs: the stored data query runs with the
	 * caller's rights, and superusers and BYPASSRLS roles see every row, so
	 * without the owner filter a role could plant SQL for them to run.
	 */
	ret = SPI_execute_with_args(psprintf("SELECT parameters->>'data' AS data, (parameters->>'factors')::int AS factors, "
										 "parameters->>'method' AS method, (parameters->>'robust')::boolean AS robust, "
										 "(parameters->>'max_iter')::int AS max_iter, "
										 "(parameters->>'converge_delta')::float8 AS converge_delta, "
										 "(parameters->>'converge_n')::int AS converge_n, "
										 "coalesce((parameters->>'reweight_after')::int, 0) AS reweight_after FROM %s.pmf_run "
										 "WHERE run_id = $1 AND owner = current_user",
										 schema),
								1, types, key, NULL, true, 0);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "pmf_bootstrap: reading pmf_run failed: %s", SPI_result_code_string(ret));
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("pmf run " INT64_FORMAT " does not exist or belongs to another role", run_id)));
	tuple = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	for (int column = 1; column <= desc->natts; column++)
	{
		SPI_getbinval(tuple, desc, column, &isnull);
		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("pmf run " INT64_FORMAT " was not made by pmf_fit (its parameters lack \"%s\")",
							run_id, SPI_fname(desc, column)),
					 errhint("pmf_bootstrap needs the data query and fit options pmf_fit records.")));
	}
	query = SPI_getvalue(tuple, desc, 1);
	method = SPI_getvalue(tuple, desc, 3);
	nmf = pmf_fit_params(DatumGetInt32(SPI_getbinval(tuple, desc, 2, &isnull)), method,
						 DatumGetBool(SPI_getbinval(tuple, desc, 4, &isnull)),
						 DatumGetInt32(SPI_getbinval(tuple, desc, 5, &isnull)),
						 DatumGetFloat8(SPI_getbinval(tuple, desc, 6, &isnull)),
						 DatumGetInt32(SPI_getbinval(tuple, desc, 7, &isnull)),
						 DatumGetInt32(SPI_getbinval(tuple, desc, 8, &isnull)), 1);
	k = nmf.factors;

	pmf_read_data(query, nmf.method, &data);
	species_column = palloc(sizeof(int) * data.species.count);
	for (int sp = 0; sp < data.species.count; sp++)
		species_column[sp] = -1;
	for (int j = 0; j < data.n; j++)
		species_column[data.column_species[j]] = j;
	w_base = palloc(sizeof(double) * data.m * k);
	h_base = palloc(sizeof(double) * k * data.n);
	load_matrix(schema, run_id, true, &data, species_column, k, w_base);
	load_matrix(schema, run_id, false, &data, species_column, k, h_base);

	params.nmf = nmf;
	params.resamples = resamples;
	params.block_size = PG_ARGISNULL(2) ? (int) ceil(sqrt((double) data.m)) : PG_GETARG_INT32(2);
	params.seed = (uint64) PG_GETARG_INT64(3);
	params.threshold = 0.6;
	result.percentiles = palloc(sizeof(double) * k * data.n * BOOTSTRAP_PERCENTILES);
	result.mapped = palloc(sizeof(int) * k);
	if (!pmf_bootstrap(data.x, data.u, data.m, data.n, w_base, h_base, &params, pmf_threads(),
					   pmf_cancel_pending, &result))
		pmf_raise_cancel();

	initStringInfo(&mapped_text);
	for (int f = 0; f < k; f++)
		appendStringInfo(&mapped_text, "%s%d", f > 0 ? ", " : "", result.mapped[f]);
	ereport(NOTICE,
			(errmsg("pmf_bootstrap: %d resamples in blocks of %d samples; base factors matched %s times; "
					"%d bootstrap factors unmapped (contribution r < 0.6)",
					resamples, params.block_size, mapped_text.data, result.unmapped)));

	for (int f = 0; f < k; f++)
		for (int j = 0; j < data.n; j++)
		{
			Datum		values[9];
			bool		nulls[9] = {false};
			const double *p = result.percentiles + ((size_t) f * data.n + j) * BOOTSTRAP_PERCENTILES;

			values[0] = Int32GetDatum(f + 1);
			values[1] = CStringGetTextDatum(data.species.names[data.column_species[j]]);
			values[2] = Float8GetDatum(h_base[(size_t) f * data.n + j]);
			for (int q = 0; q < BOOTSTRAP_PERCENTILES; q++)
			{
				nulls[3 + q] = isnan(p[q]);
				values[3 + q] = Float8GetDatum(nulls[3 + q] ? 0 : p[q]);
			}
			values[8] = Int32GetDatum(result.mapped[f]);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	SPI_finish();
	return (Datum) 0;
}
