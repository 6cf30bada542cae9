/*
 * pg_nmf.c: chemeco.nmf(), the array form of the PMF factorisation for
 * programs (no catalog rows; see pg_pmf_fit.c for pmf_fit).
 */
#include "pg_pmf.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(pmf_nmf);

static const char *
array_cell_name(void *context, bool row, int index)
{
	return psprintf(row ? "row %d" : "column %d", index + 1);
}

/*
 * nmf(x, u, factors, runs, seed, method, robust, max_iter, converge_delta,
 *     converge_n, reweight_after) -> (w, h, q_true, q_robust) of the best run.
 */
Datum
pmf_nmf(PG_FUNCTION_ARGS)
{
	int			m,
				n,
				um,
				un;
	double	   *x = pmf_matrix_arg(PG_GETARG_ARRAYTYPE_P(0), "x", &m, &n);
	double	   *u = pmf_matrix_arg(PG_GETARG_ARRAYTYPE_P(1), "u", &um, &un);
	int			runs = PG_GETARG_INT32(3);
	int64		seed = PG_GETARG_INT64(4);
	NmfParams	params = pmf_fit_params(PG_GETARG_INT32(2), text_to_cstring(PG_GETARG_TEXT_PP(5)),
										PG_GETARG_BOOL(6), PG_GETARG_INT32(7),
										PG_GETARG_FLOAT8(8), PG_GETARG_INT32(9), PG_GETARG_INT32(10), runs);
	NmfInputStatus status;
	NmfProblem	problem;
	NmfRun	   *results;
	double	   *w,
			   *h;
	int			bad_row,
				bad_col,
				best;
	TupleDesc	tupdesc;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "nmf: return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	if (um != m || un != n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("x is %d x %d but u is %d x %d", m, n, um, un),
				 errhint("u holds one uncertainty per value of x.")));
	if (params.factors > n || params.factors > m)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("factors (%d) must not exceed the number of rows (%d) or columns (%d)",
						params.factors, m, n)));
	status = nmf_check_input(x, u, m, n, params.method, &bad_row, &bad_col);
	pmf_report_bad_cell(status, bad_row, bad_col, x, u, n, array_cell_name, NULL);

	nmf_problem_init(&problem, x, u, m, n);
	w = palloc(sizeof(double) * m * params.factors);
	h = palloc(sizeof(double) * params.factors * n);
	results = palloc(sizeof(NmfRun) * runs);
	best = pmf_fit_runs(&problem, &params, runs, seed, NULL, w, h, results, NULL);

	values[0] = PointerGetDatum(pmf_matrix_result(w, m, params.factors));
	values[1] = PointerGetDatum(pmf_matrix_result(h, params.factors, n));
	values[2] = Float8GetDatum(results[best].q_true);
	values[3] = Float8GetDatum(results[best].q_robust);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
