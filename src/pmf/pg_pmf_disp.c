/*
 * pg_pmf_disp.c: chemeco.pmf_disp(run_id, max_refits): DISP intervals of a
 * stored PMF run's profiles (arithmetic in disp.c).  The run's data query is
 * run again with the caller's rights.
 */
#include "pg_pmf.h"

#include <math.h>

#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "disp.h"
#include "pg_progress.h"

PG_FUNCTION_INFO_V1(pmf_disp_sql);

typedef struct DispProgress
{
	int			species;
	int			factors;
} DispProgress;

/* A NOTICE when the last profile value of a factor is done (elements go in factor order). */
static void
notice_factor(void *context, int element)
{
	DispProgress *progress = context;

	if (element % progress->species == progress->species - 1)
	{
		ereport(NOTICE,
				(errmsg("pmf_disp: factor %d/%d done", element / progress->species + 1,
						progress->factors)));
		chemeco_progress("pmf_disp", "factor %d/%d done", element / progress->species + 1,
						 progress->factors);
	}
}

/*
 * pmf_disp(run_id bigint, max_refits int) RETURNS TABLE (factor, species,
 * dq_max, base, low, high, swap_low, swap_high, q_drop).
 */
Datum
pmf_disp_sql(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int64		run_id = PG_GETARG_INT64(0);
	int			max_refits = PG_GETARG_INT32(1);
	const char *schema;
	PmfStoredRun run;
	NmfProblem	problem;
	DispParams	params;
	DispResult	result;
	DispProgress progress;
	double		largest_drop = 0;
	int			k,
				n,
				elements;

	if (max_refits < 1 || max_refits > 16)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_refits must be between 1 and 16, got %d", max_refits)));
	InitMaterializedSRF(fcinfo, 0);
	schema = quote_identifier(get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid)));

	SPI_connect();
	pmf_load_run(schema, "pmf_disp", run_id, &run);
	k = run.nmf.factors;
	n = run.data.n;
	elements = k * n;

	nmf_problem_init(&problem, run.data.x, run.data.u, run.data.m, n);
	params.nmf = run.nmf;
	params.max_refits = max_refits;
	result.low = palloc(sizeof(double) * elements * DISP_LEVELS);
	result.high = palloc(sizeof(double) * elements * DISP_LEVELS);
	result.swap_low = palloc(sizeof(bool) * elements * DISP_LEVELS);
	result.swap_high = palloc(sizeof(bool) * elements * DISP_LEVELS);
	result.q_drop = palloc(sizeof(double) * elements);
	progress.species = n;
	progress.factors = k;
	if (!pmf_disp(&problem, run.w, run.h, &params, chemeco_threads(), chemeco_cancel_pending,
				  notice_factor, &progress, &result))
		chemeco_raise_cancel();

	for (int e = 0; e < elements; e++)
		largest_drop = fmax(largest_drop, result.q_drop[e]);
	ereport(NOTICE,
			(errmsg("pmf_disp: Q of the base solution %.1f; largest Q decrease in a displaced fit %.3g (%.2f%%)",
					result.q_base, largest_drop, 100 * largest_drop / result.q_base),
			 largest_drop > 0.001 * result.q_base ?
			 errhint("A decrease above 0.1%% means the base run is not the global minimum: fit again with more runs.") : 0));

	for (int e = 0; e < elements; e++)
		for (int l = 0; l < DISP_LEVELS; l++)
		{
			size_t		c = (size_t) e * DISP_LEVELS + l;
			Datum		values[9];
			bool		nulls[9] = {false};

			values[0] = Int32GetDatum(e / n + 1);
			values[1] = CStringGetTextDatum(run.data.species.names[run.data.column_species[e % n]]);
			values[2] = Float8GetDatum(disp_dq_levels[l]);
			values[3] = Float8GetDatum(run.h[e]);
			values[4] = Float8GetDatum(result.low[c]);
			values[5] = Float8GetDatum(result.high[c]);
			values[6] = BoolGetDatum(result.swap_low[c]);
			values[7] = BoolGetDatum(result.swap_high[c]);
			values[8] = Float8GetDatum(result.q_drop[e]);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	nmf_problem_free(&problem);
	SPI_finish();
	chemeco_progress_done();
	return (Datum) 0;
}
