/*
 * pg_pmf_run.c: a stored pmf_fit run read back for pmf_bootstrap and
 * pmf_disp: its fit options, its data (the stored query run again with the
 * caller's rights) and its base W and H.
 */
#include "pg_pmf.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"

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
		elog(ERROR, "reading pmf run " INT64_FORMAT " failed: %s", run_id, SPI_result_code_string(ret));
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
					 errhint("Re-using a run needs the data it was fitted on.")));
		if (contributions)
			out[(size_t) index * k + factor] = value;
		else
			out[(size_t) factor * data->n + index] = value;
	}
}

void
pmf_load_run(const char *schema, const char *caller, int64 run_id, PmfStoredRun *run)
{
	Oid			types[1] = {INT8OID};
	Datum		key[1] = {Int64GetDatum(run_id)};
	HeapTuple	tuple;
	TupleDesc	desc;
	bool		isnull;
	int		   *species_column;
	int			ret;

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
		elog(ERROR, "reading pmf_run failed: %s", SPI_result_code_string(ret));
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
					 errhint("Re-using a run needs the data query and fit options pmf_fit records.")));
	}
	run->nmf = pmf_fit_params(DatumGetInt32(SPI_getbinval(tuple, desc, 2, &isnull)),
							  SPI_getvalue(tuple, desc, 3),
							  DatumGetBool(SPI_getbinval(tuple, desc, 4, &isnull)),
							  DatumGetInt32(SPI_getbinval(tuple, desc, 5, &isnull)),
							  DatumGetFloat8(SPI_getbinval(tuple, desc, 6, &isnull)),
							  DatumGetInt32(SPI_getbinval(tuple, desc, 7, &isnull)),
							  DatumGetInt32(SPI_getbinval(tuple, desc, 8, &isnull)), 1);

	pmf_read_data(SPI_getvalue(tuple, desc, 1), caller, run->nmf.method, &run->data);
	species_column = palloc(sizeof(int) * run->data.species.count);
	for (int sp = 0; sp < run->data.species.count; sp++)
		species_column[sp] = -1;
	for (int j = 0; j < run->data.n; j++)
		species_column[run->data.column_species[j]] = j;
	run->w = palloc(sizeof(double) * run->data.m * run->nmf.factors);
	run->h = palloc(sizeof(double) * run->nmf.factors * run->data.n);
	load_matrix(schema, run_id, true, &run->data, species_column, run->nmf.factors, run->w);
	load_matrix(schema, run_id, false, &run->data, species_column, run->nmf.factors, run->h);
	pfree(species_column);
}
