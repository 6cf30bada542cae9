/*
 * pg_pmf_solver.c: what nmf(), pmf_fit() and the error estimates share around
 * the solver: the fit options checked, a bad input cell reported, and the
 * multi-start fit run on chemeco_threads() threads with cancel handling.
 */
#include "pg_pmf.h"

#include <math.h>

NmfParams
pmf_fit_params(int factors, const char *method, bool robust, int max_iter,
			   double converge_delta, int converge_n, int reweight_after, int runs)
{
	/* every option not set below off (hold, g_lower, screening) */
	NmfParams	params = {0};

	if (strcmp(method, "ls-nmf") == 0)
		params.method = NMF_LS;
	else if (strcmp(method, "ws-nmf") == 0)
		params.method = NMF_WS;
	else if (strcmp(method, "anls") == 0 || strcmp(method, "pmf5") == 0)
	{
		params.method = NMF_ANLS;
		if (runs <= 100000 / NMF_ANLS_SCREEN_FACTOR)
		{
			params.screen_starts = NMF_ANLS_SCREEN_FACTOR * runs;
			params.screen_iter = NMF_ANLS_SCREEN_ITER;
		}
		if (strcmp(method, "pmf5") == 0)
		{
			/* EPA PMF 5.0's problem: contributions bounded, robust fit */
			params.g_lower = NMF_PMF5_G_LOWER;
			if (robust && reweight_after == 0)
				reweight_after = 1;
		}
	}
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown method \"%s\"", method),
				 errhint("Use 'ls-nmf', 'ws-nmf', 'anls' or 'pmf5'.")));
	if (factors < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("factors must be >= 1, got %d", factors)));
	if (runs < 1 || runs > 100000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("runs must be between 1 and 100000, got %d", runs)));
	if (max_iter < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_iter must be >= 1, got %d", max_iter)));
	if (!isfinite(converge_delta) || converge_delta < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("converge_delta must be a finite number >= 0, got %g", converge_delta)));
	if (converge_n < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("converge_n must be >= 1, got %d", converge_n)));
	if (reweight_after < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("reweight_after must be >= 0, got %d", reweight_after),
				 errhint("0 fits with the given uncertainties throughout; n >= 1 down-weights outliers from iteration n on.")));
	params.factors = factors;
	params.robust = robust;
	params.max_iter = max_iter;
	params.converge_delta = converge_delta;
	params.converge_n = converge_n;
	params.reweight_after = reweight_after;
	return params;
}

void
pmf_report_bad_cell(NmfInputStatus status, int row, int col, const double *x,
					const double *u, int n, PmfCellName name, void *context)
{
	const char *row_name;
	const char *col_name;
	double		xv,
				uv;

	if (status == NMF_INPUT_OK)
		return;
	row_name = name(context, true, row);
	col_name = name(context, false, col);
	xv = x[(size_t) row * n + col];
	uv = u[(size_t) row * n + col];
	switch (status)
	{
		case NMF_INPUT_OK:
			return;
		case NMF_CONC_NOT_FINITE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("concentration at %s, %s is %g", row_name, col_name, xv),
					 errdetail("Concentrations must be finite numbers.")));
			break;
		case NMF_UNC_NOT_POSITIVE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("uncertainty at %s, %s is %g", row_name, col_name, uv),
					 errdetail("Uncertainties must be finite and > 0."),
					 errhint("chemeco.pmf_uncertainty(conc, mdl, error_fraction) gives EPA PMF 5.0 uncertainties.")));
			break;
		case NMF_CONC_NEGATIVE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("concentration at %s, %s is negative (%g)", row_name, col_name, xv),
					 errdetail("Method 'ls-nmf' needs concentrations >= 0."),
					 errhint("Use method 'ws-nmf', or set values below detection to a small positive number.")));
			break;
	}
}

int
pmf_fit_runs(const NmfProblem *problem, const NmfParams *params, int runs, int64 seed,
			 NmfProgress progress, double *best_w, double *best_h, NmfRun *results, double *run_h)
{
	int			best;

	switch (nmf_fit(problem, params, runs, (uint64) seed, chemeco_threads(), chemeco_cancel_pending,
					progress, NULL, best_w, best_h, results, &best, run_h))
	{
		case NMF_FIT_OK:
			break;
		case NMF_FIT_STOPPED:
			chemeco_raise_cancel();
			break;
		case NMF_FIT_ALL_DIVERGED:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("every run diverged (Q is NaN)"),
					 errhint("Check the scale of the concentrations and uncertainties.")));
			break;
	}
	return best;
}
