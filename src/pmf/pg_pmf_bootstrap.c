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
#include "pg_progress.h"

PG_FUNCTION_INFO_V1(pmf_bootstrap_sql);

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
	PmfStoredRun run;
	BootstrapParams params;
	BootstrapResult result;
	int			k;
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
	pmf_load_run(schema, "pmf_bootstrap", run_id, &run);
	k = run.nmf.factors;

	params.nmf = run.nmf;
	params.resamples = resamples;
	params.block_size = PG_ARGISNULL(2) ? (int) ceil(sqrt((double) run.data.m)) : PG_GETARG_INT32(2);
	params.seed = (uint64) PG_GETARG_INT64(3);
	params.threshold = 0.6;
	result.percentiles = palloc(sizeof(double) * k * run.data.n * BOOTSTRAP_PERCENTILES);
	result.mapped = palloc(sizeof(int) * k);
	chemeco_progress("pmf_bootstrap", "%d resamples of %d samples x %d species, %d factors",
					 resamples, run.data.m, run.data.n, k);
	if (!pmf_bootstrap(run.data.x, run.data.u, run.data.m, run.data.n, run.w, run.h, &params, chemeco_threads(),
					   chemeco_cancel_pending, &result))
		chemeco_raise_cancel();

	initStringInfo(&mapped_text);
	for (int f = 0; f < k; f++)
		appendStringInfo(&mapped_text, "%s%d", f > 0 ? ", " : "", result.mapped[f]);
	ereport(NOTICE,
			(errmsg("pmf_bootstrap: %d resamples in blocks of %d samples; base factors matched %s times; "
					"%d bootstrap factors unmapped (contribution r < 0.6)",
					resamples, params.block_size, mapped_text.data, result.unmapped)));

	for (int f = 0; f < k; f++)
		for (int j = 0; j < run.data.n; j++)
		{
			Datum		values[9];
			bool		nulls[9] = {false};
			const double *p = result.percentiles + ((size_t) f * run.data.n + j) * BOOTSTRAP_PERCENTILES;

			values[0] = Int32GetDatum(f + 1);
			values[1] = CStringGetTextDatum(run.data.species.names[run.data.column_species[j]]);
			values[2] = Float8GetDatum(run.h[(size_t) f * run.data.n + j]);
			for (int q = 0; q < BOOTSTRAP_PERCENTILES; q++)
			{
				nulls[3 + q] = isnan(p[q]);
				values[3 + q] = Float8GetDatum(nulls[3 + q] ? 0 : p[q]);
			}
			values[8] = Int32GetDatum(result.mapped[f]);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	SPI_finish();
	chemeco_progress_done();
	return (Datum) 0;
}
