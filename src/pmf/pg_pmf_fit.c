/*
 * pg_pmf_fit.c: chemeco.pmf_fit(data text, ...): runs the caller's query
 * (SECURITY INVOKER, through SPI), pivots its long rows (sample, species,
 * conc, unc[, category]) into matrices, fits with nmf_fit() and stores the
 * best model in the catalog tables pmf_run, pmf_model, pmf_profile,
 * pmf_contribution and pmf_residual.  Everything happens in the caller's
 * transaction, so an error or a cancel leaves no partial rows.
 */
#include "pg_pmf.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "portability/instr_time.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/lsyscache.h"

#include "kernel.h"
#include "pg_progress.h"
#include "prep.h"
#include "stability.h"

PG_FUNCTION_INFO_V1(pmf_fit);
PG_FUNCTION_INFO_V1(pmf_fit_0_2);

/* Called only while no worker thread runs (parallel.h), so it may throw. */
static void
notice_run(void *context, int run, int runs, const NmfRun *result)
{
	ereport(NOTICE,
			(errmsg("pmf_fit: run %d/%d: Q(true) = %.1f, Q(robust) = %.1f, %d iterations%s",
					run + 1, runs, result->q_true, result->q_robust, result->iterations,
					result->converged ? "" : " (not converged)")));
	chemeco_progress("pmf_fit", "run %d/%d done, Q(true) %.1f, Q(robust) %.1f",
					 run + 1, runs, result->q_true, result->q_robust);
}

static ArrayType *
int_array(const int *values, int n)
{
	Datum	   *datums = palloc(sizeof(Datum) * n);

	for (int i = 0; i < n; i++)
		datums[i] = Int32GetDatum(values[i]);
	return construct_array(datums, n, INT4OID, sizeof(int32), true, TYPALIGN_INT);
}

static ArrayType *
text_array(char **values, int n)
{
	Datum	   *datums = palloc(sizeof(Datum) * n);

	for (int i = 0; i < n; i++)
		datums[i] = CStringGetTextDatum(values[i]);
	return construct_array(datums, n, TEXTOID, -1, false, TYPALIGN_INT);
}

/* float8[] where NaN becomes NULL */
static ArrayType *
float8_array_nan_null(const double *values, int n)
{
	Datum	   *datums = palloc(sizeof(Datum) * n);
	bool	   *nulls = palloc(sizeof(bool) * n);
	int			dims[1] = {n};
	int			lbs[1] = {1};

	for (int i = 0; i < n; i++)
	{
		nulls[i] = isnan(values[i]);
		datums[i] = Float8GetDatum(nulls[i] ? 0 : values[i]);
	}
	return construct_md_array(datums, nulls, 1, dims, lbs, FLOAT8OID, sizeof(float8),
							  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

/*
 * Runs sql with the given arguments; its %s is schema, the extension's
 * schema, quoted.  (Passed down, not kept in a static: a pmf_fit nested in
 * the data query would overwrite it.)
 */
static void
execute(const char *schema, const char *sql, int nargs, Oid *types, Datum *values, int expected)
{
	int			ret = SPI_execute_with_args(psprintf(sql, schema), nargs, types, values,
											NULL, false, 0);

	if (ret != expected)
		elog(ERROR, "pmf_fit: storing results failed: %s", SPI_result_code_string(ret));
}

static void
append_json_names(StringInfo buf, const char *key, const PmfData *data, int category)
{
	bool		first = true;

	appendStringInfo(buf, ", \"%s\": [", key);
	for (int sp = 0; sp < data->species.count; sp++)
		if (data->category[sp] == category)
		{
			if (!first)
				appendStringInfoString(buf, ", ");
			escape_json(buf, data->species.names[sp]);
			first = false;
		}
	appendStringInfoChar(buf, ']');
}

static int64
store_run(const char *schema, const char *query, const PmfData *data, const NmfParams *params, const char *method,
		  int runs, int64 seed, const NmfRun *results, int best, const NmfStability *stability,
		  double seconds)
{
	int			m = data->m,
				n = data->n,
				k = params->factors,
				strong = n - data->weak;
	StringInfoData parameters;
	Oid			types[6] = {TEXTOID, FLOAT8OID, FLOAT8OID, FLOAT8OID, BOOLOID, INT4OID};
	Datum		values[6];
	bool		isnull;
	int64		run_id;

	initStringInfo(&parameters);
	appendStringInfo(&parameters,
					 "{\"factors\": %d, \"runs\": %d, \"seed\": " INT64_FORMAT ", \"method\": \"%s\", "
					 "\"robust\": %s, \"max_iter\": %d, \"converge_delta\": %.17g, \"converge_n\": %d, "
					 "\"reweight_after\": %d, \"samples\": %d, \"species\": %d, \"missing_cells\": %d, "
					 "\"best_model\": %d",
					 k, runs, seed, method, params->robust ? "true" : "false", params->max_iter,
					 params->converge_delta, params->converge_n, params->reweight_after, m, n, data->missing,
					 best + 1);
	/* the query, so that pmf_bootstrap can read the same data again */
	appendStringInfoString(&parameters, ", \"data\": ");
	escape_json(&parameters, query);
	append_json_names(&parameters, "weak_species", data, PMF_WEAK);
	append_json_names(&parameters, "bad_species", data, PMF_BAD);
	appendStringInfoChar(&parameters, '}');

	/* EPA PMF 5.0: Q expected = strong cells - factors x (samples + strong species) */
	values[0] = CStringGetTextDatum(parameters.data);
	values[1] = Float8GetDatum(results[best].q_true);
	values[2] = Float8GetDatum(results[best].q_robust);
	values[3] = Float8GetDatum((double) m * strong - (double) k * (m + strong));
	values[4] = BoolGetDatum(results[best].converged);
	values[5] = Int32GetDatum(results[best].iterations);
	{
		Oid			run_types[9] = {TEXTOID, FLOAT8OID, FLOAT8OID, FLOAT8OID, BOOLOID, INT4OID, FLOAT8OID,
								INT4OID, INT4OID};
		Datum		run_values[9];

		memcpy(run_values, values, sizeof(values));
		memcpy(run_types, types, sizeof(types));
		run_values[6] = Float8GetDatum(seconds);
		if (stability == NULL)
			execute(schema, "INSERT INTO %s.pmf_run (parameters, q_true, q_robust, q_expected, converged, iterations, "
					"seconds) VALUES ($1::jsonb, $2, $3, $4, $5, $6, $7) RETURNING run_id",
					7, run_types, run_values, SPI_OK_INSERT_RETURNING);
		else
		{
			run_values[7] = Int32GetDatum(stability->near_best);
			run_values[8] = Int32GetDatum(stability->other_solutions);
			execute(schema, "INSERT INTO %s.pmf_run (parameters, q_true, q_robust, q_expected, converged, iterations, "
					"seconds, near_best_runs, other_solutions) "
					"VALUES ($1::jsonb, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING run_id",
					9, run_types, run_values, SPI_OK_INSERT_RETURNING);
		}
	}
	run_id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	return run_id;
}

/* Every model's seed, Q and agreement with the kept one (stability.h). */
static void
store_models(const char *schema, int64 run_id, int runs, const NmfRun *results, const double *match)
{
	Datum	   *seeds = palloc(sizeof(Datum) * runs);
	double	   *q_true = palloc(sizeof(double) * runs);
	double	   *q_robust = palloc(sizeof(double) * runs);
	Datum	   *converged = palloc(sizeof(Datum) * runs);
	Oid			model_types[6] = {INT8OID, INT8ARRAYOID, FLOAT8ARRAYOID, FLOAT8ARRAYOID, BOOLARRAYOID,
								  FLOAT8ARRAYOID};
	Datum		model_values[6];

	for (int r = 0; r < runs; r++)
	{
		/* the 64-bit seed as the bigint with the same bits */
		seeds[r] = Int64GetDatum((int64) results[r].seed);
		q_true[r] = results[r].q_true;
		q_robust[r] = results[r].q_robust;
		converged[r] = BoolGetDatum(results[r].converged);
	}
	model_values[0] = Int64GetDatum(run_id);
	model_values[1] = PointerGetDatum(construct_array(seeds, runs, INT8OID, sizeof(int64),
													  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	model_values[2] = PointerGetDatum(float8_array_nan_null(q_true, runs));
	model_values[3] = PointerGetDatum(float8_array_nan_null(q_robust, runs));
	model_values[4] = PointerGetDatum(construct_array(converged, runs, BOOLOID, 1, true, TYPALIGN_CHAR));
	if (match == NULL)
		execute(schema, "INSERT INTO %s.pmf_model (run_id, model, seed, q_true, q_robust, converged) "
				"SELECT $1, model::int, seed, q_true, q_robust, converged "
				"FROM unnest($2, $3, $4, $5) WITH ORDINALITY AS t(seed, q_true, q_robust, converged, model)",
				5, model_types, model_values, SPI_OK_INSERT);
	else
	{
		model_values[5] = PointerGetDatum(float8_array_nan_null(match, runs));
		execute(schema, "INSERT INTO %s.pmf_model (run_id, model, seed, q_true, q_robust, converged, profile_match) "
				"SELECT $1, model::int, seed, q_true, q_robust, converged, profile_match "
				"FROM unnest($2, $3, $4, $5, $6) WITH ORDINALITY AS t(seed, q_true, q_robust, converged, "
				"profile_match, model)",
				6, model_types, model_values, SPI_OK_INSERT);
	}
}

static void
store_matrices(const char *schema, int64 run_id, const PmfData *data, int k, const double *w, const double *h)
{
	int			m = data->m,
				n = data->n;
	Oid			types[5] = {INT8OID, INT4ARRAYOID, TEXTARRAYOID, FLOAT8ARRAYOID, FLOAT8ARRAYOID};
	Datum		values[5];
	int		   *factor = palloc(sizeof(int) * k * (m > n ? m : n));
	char	  **names = palloc(sizeof(char *) * k * (m > n ? m : n));
	double	   *value = palloc(sizeof(double) * k * (m > n ? m : n));
	double	   *percent = palloc(sizeof(double) * k * n);
	double	   *factor_total = palloc0(sizeof(double) * k);

	values[0] = Int64GetDatum(run_id);

	/* profiles; percent = share of the species' modelled total over all samples */
	for (int i = 0; i < m; i++)
		for (int f = 0; f < k; f++)
			factor_total[f] += w[(size_t) i * k + f];
	for (int j = 0; j < n; j++)
	{
		double		species_total = 0;

		for (int f = 0; f < k; f++)
			species_total += h[(size_t) f * n + j] * factor_total[f];
		for (int f = 0; f < k; f++)
		{
			int			c = f * n + j;

			factor[c] = f + 1;
			names[c] = data->species.names[data->column_species[j]];
			value[c] = pmf_shown_value(h[(size_t) f * n + j]);
			percent[c] = species_total > 0 ?
				pmf_shown_value(100 * h[(size_t) f * n + j] * factor_total[f] / species_total) : NAN;
		}
	}
	values[1] = PointerGetDatum(int_array(factor, k * n));
	values[2] = PointerGetDatum(text_array(names, k * n));
	values[3] = PointerGetDatum(float8_array_nan_null(value, k * n));
	values[4] = PointerGetDatum(float8_array_nan_null(percent, k * n));
	execute(schema, "INSERT INTO %s.pmf_profile (run_id, factor, species, value, percent) "
			"SELECT $1, * FROM unnest($2, $3, $4, $5)", 5, types, values, SPI_OK_INSERT);

	/* contributions */
	for (int f = 0; f < k; f++)
		for (int i = 0; i < m; i++)
		{
			int			c = f * m + i;

			factor[c] = f + 1;
			names[c] = data->samples.names[i];
			value[c] = pmf_shown_value(w[(size_t) i * k + f]);
		}
	values[1] = PointerGetDatum(int_array(factor, k * m));
	values[2] = PointerGetDatum(text_array(names, k * m));
	values[3] = PointerGetDatum(float8_array_nan_null(value, k * m));
	execute(schema, "INSERT INTO %s.pmf_contribution (run_id, factor, sample, value) "
			"SELECT $1, * FROM unnest($2, $3, $4)", 4, types, values, SPI_OK_INSERT);
}

static void
store_residuals(const char *schema, int64 run_id, const PmfData *data, int k, const double *w, const double *h)
{
	int			m = data->m,
				n = data->n;
	size_t		cells = (size_t) m * n;
	char	  **samples = palloc(sizeof(char *) * cells);
	char	  **species = palloc(sizeof(char *) * cells);
	double	   *scaled = palloc(sizeof(double) * cells);
	Oid			types[4] = {INT8OID, TEXTARRAYOID, TEXTARRAYOID, FLOAT8ARRAYOID};
	Datum		values[4];

	for (int i = 0; i < m; i++)
		for (int j = 0; j < n; j++)
		{
			size_t		c = (size_t) i * n + j;
			double		fit = 0;

			for (int f = 0; f < k; f++)
				fit += w[(size_t) i * k + f] * h[(size_t) f * n + j];
			samples[c] = data->samples.names[i];
			species[c] = data->species.names[data->column_species[j]];
			scaled[c] = (data->x[c] - fit) / data->u[c];
		}
	values[0] = Int64GetDatum(run_id);
	values[1] = PointerGetDatum(text_array(samples, cells));
	values[2] = PointerGetDatum(text_array(species, cells));
	values[3] = PointerGetDatum(float8_array_nan_null(scaled, cells));
	execute(schema, "INSERT INTO %s.pmf_residual (run_id, sample, species, scaled_residual) "
			"SELECT $1, * FROM unnest($2, $3, $4)", 4, types, values, SPI_OK_INSERT);
}

/*
 * One fit, stored.  with_stability: the catalogue has 0.2's stability
 * columns (pmf_run.near_best_runs, other_solutions, pmf_model.profile_match).
 */
static int64
fit_and_store(FunctionCallInfo fcinfo, bool with_stability)
{
	char	   *query = text_to_cstring(PG_GETARG_TEXT_PP(0));
	int			runs = PG_GETARG_INT32(2);
	int64		seed = PG_GETARG_INT64(3);
	char	   *method = text_to_cstring(PG_GETARG_TEXT_PP(4));
	NmfParams	params = pmf_fit_params(PG_GETARG_INT32(1), method, PG_GETARG_BOOL(5),
										PG_GETARG_INT32(6), PG_GETARG_FLOAT8(7),
										PG_GETARG_INT32(8), PG_GETARG_INT32(9), runs);
	const char *schema = quote_identifier(get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid)));
	PmfData		data;
	NmfProblem	problem;
	NmfRun	   *results;
	double	   *w,
			   *h,
			   *run_h,
			   *match;
	NmfStability stability;
	int			best;
	int64		run_id;
	instr_time	start,
				duration;

	SPI_connect();
	pmf_read_data(query, "pmf_fit", params.method, &data);
	if (params.factors > data.n || params.factors > data.m)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("factors (%d) must not exceed the number of samples (%d) or used species (%d)",
						params.factors, data.m, data.n)));
	if (data.missing > 0)
		ereport(NOTICE,
				(errmsg("pmf_fit: %d missing values replaced by the species median (uncertainty 4 x median)",
						data.missing)));

	INSTR_TIME_SET_CURRENT(start);
	chemeco_progress("pmf_fit", "%d runs of %d factors on %d samples x %d species",
					 runs, params.factors, data.m, data.n);
	nmf_problem_init(&problem, data.x, data.u, data.m, data.n);
	w = palloc(sizeof(double) * data.m * params.factors);
	h = palloc(sizeof(double) * params.factors * data.n);
	results = palloc(sizeof(NmfRun) * runs);
	run_h = with_stability ? kernel_alloc_array((size_t) runs * params.factors * data.n, sizeof(double)) : NULL;
	best = pmf_fit_runs(&problem, &params, runs, seed, notice_run, w, h, results, run_h);
	match = with_stability ? palloc(sizeof(double) * runs) : NULL;
	if (with_stability)
		nmf_stability(run_h, results, runs, best, params.factors, data.n, params.robust, match, &stability);
	INSTR_TIME_SET_CURRENT(duration);
	INSTR_TIME_SUBTRACT(duration, start);

	run_id = store_run(schema, query, &data, &params, method, runs, seed, results, best,
					   with_stability ? &stability : NULL, INSTR_TIME_GET_DOUBLE(duration));
	store_models(schema, run_id, runs, results, match);
	store_matrices(schema, run_id, &data, params.factors, w, h);
	store_residuals(schema, run_id, &data, params.factors, w, h);
	SPI_finish();
	chemeco_progress_done();
	return run_id;
}

/* pmf_fit as 0.1's catalogue defines it: kept for databases not yet updated. */
Datum
pmf_fit(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(fit_and_store(fcinfo, false));
}

/* pmf_fit since 0.2: also stores the stability report (stability.h). */
Datum
pmf_fit_0_2(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(fit_and_store(fcinfo, true));
}
