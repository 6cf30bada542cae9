/*
 * pg_isotope.c: isotope_pattern, isotope_score and ppm_error; the
 * computation is isotope.c.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "utils/builtins.h"

#include "isotope.h"
#include "kernel.h"
#include "pg_screening.h"
#include "pg_spectrum.h"

PG_FUNCTION_INFO_V1(isotope_pattern_sql);
PG_FUNCTION_INFO_V1(isotope_score_sql);
PG_FUNCTION_INFO_V1(ppm_error_sql);

/* Argument n of a non-strict function: an ERROR when NULL. */
static void
require_arg(FunctionCallInfo fcinfo, int n, const char *function, const char *name)
{
	if (PG_ARGISNULL(n))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: %s must not be NULL", function, name)));
}

static void
check_range(double value, double low, double high, bool low_open, const char *function, const char *name)
{
	if (!isfinite(value) || value > high || value < low || (low_open && value == low))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s must be %s %g%s, not %g", function, name, low_open ? ">" : ">=", low,
						isinf(high) ? " and finite" : psprintf(" and <= %g", high), value)));
}

/* isotope_pattern(formula text, adduct text, merge_mz float8, min_intensity float8) */
Datum
isotope_pattern_sql(PG_FUNCTION_ARGS)
{
	Formula		ion;
	Peak	   *peaks;
	int			n;
	double		merge_mz,
				min_intensity;
	Spectrum   *result;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	require_arg(fcinfo, 2, "isotope_pattern", "merge_mz");
	require_arg(fcinfo, 3, "isotope_pattern", "min_intensity");
	merge_mz = PG_GETARG_FLOAT8(2);
	min_intensity = PG_GETARG_FLOAT8(3);
	check_range(merge_mz, 0, HUGE_VAL, false, "isotope_pattern", "merge_mz");
	check_range(min_intensity, 0, 1, false, "isotope_pattern", "min_intensity");
	if (PG_ARGISNULL(1))
		screening_formula(PG_GETARG_TEXT_PP(0), &ion);
	else
		screening_ion(PG_GETARG_TEXT_PP(0), PG_GETARG_TEXT_PP(1), &ion);
	n = isotope_pattern(&ion, merge_mz, min_intensity, &peaks);
	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("isotope_pattern: the pattern of \"%s\" needs more than %d configurations at merge_mz %g",
						text_to_cstring(PG_GETARG_TEXT_PP(0)), ISOTOPE_MAX_PRODUCTS, merge_mz),
				 errhint("Use a larger merge_mz (0.5 gives the nominal cluster).")));
	result = spectrum_from_sorted_peaks(peaks, n);
	kernel_free(peaks);
	PG_RETURN_SPECTRUM_P(result);
}

/* isotope_score(observed spectrum, theoretical spectrum, ppm float8, intensity_error float8) */
Datum
isotope_score_sql(PG_FUNCTION_ARGS)
{
	Spectrum   *observed,
			   *theoretical;
	double		ppm,
				intensity_error;

	require_arg(fcinfo, 0, "isotope_score", "the observed spectrum");
	require_arg(fcinfo, 1, "isotope_score", "the theoretical spectrum");
	require_arg(fcinfo, 2, "isotope_score", "ppm");
	require_arg(fcinfo, 3, "isotope_score", "intensity_error");
	ppm = PG_GETARG_FLOAT8(2);
	intensity_error = PG_GETARG_FLOAT8(3);
	check_range(ppm, 0, HUGE_VAL, true, "isotope_score", "ppm");
	check_range(intensity_error, 0, HUGE_VAL, true, "isotope_score", "intensity_error");
	observed = PG_GETARG_SPECTRUM_P(0);
	theoretical = PG_GETARG_SPECTRUM_P(1);
	if (theoretical->npeaks == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("isotope_score: the theoretical spectrum has no peaks")));
	PG_RETURN_FLOAT8(isotope_score(observed->peaks, observed->npeaks, theoretical->peaks,
								   theoretical->npeaks, ppm, intensity_error));
}

/* ppm_error(observed float8, theoretical float8) */
Datum
ppm_error_sql(PG_FUNCTION_ARGS)
{
	double		observed = PG_GETARG_FLOAT8(0);
	double		theoretical = PG_GETARG_FLOAT8(1);

	check_range(observed, 0, HUGE_VAL, true, "ppm_error", "observed");
	check_range(theoretical, 0, HUGE_VAL, true, "ppm_error", "theoretical");
	PG_RETURN_FLOAT8(mass_error_ppm(observed, theoretical));
}
