/*
 * pg_similarity.c: SQL wrappers for spectral similarity and cleaning.
 * The arithmetic lives in cosine.c, entropy.c and clean.c.
 *
 * Version 0.2 added trailing parameters (tolerance units, clean's m/z and
 * peak-count limits); the 0.1 definitions still call these functions with
 * fewer arguments, so every added argument is read only when PG_NARGS()
 * says it was passed.
 */
#include "postgres.h"

#include <math.h>

#include "utils/builtins.h"

#include "clean.h"
#include "cosine.h"
#include "entropy.h"
#include "pg_compat.h"
#include "pg_spectrum.h"

PG_FUNCTION_INFO_V1(spectrum_cosine);
PG_FUNCTION_INFO_V1(spectrum_cosine_matches);
PG_FUNCTION_INFO_V1(spectrum_modified_cosine);
PG_FUNCTION_INFO_V1(spectrum_modified_cosine_matches);
PG_FUNCTION_INFO_V1(spectrum_entropy_similarity);
PG_FUNCTION_INFO_V1(spectrum_spectral_entropy);
PG_FUNCTION_INFO_V1(spectrum_clean);

static void
require_finite_at_least(double value, double lower_bound, const char *name)
{
	if (!isfinite(value) || value < lower_bound)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number >= %g, got %g", name, lower_bound, value)));
}

static void
require_finite(double value, const char *name)
{
	if (!isfinite(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number, got %g", name, value)));
}

static void
require_positive(double value, const char *name)
{
	if (!isfinite(value) || value <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number > 0, got %g", name, value)));
}

/* A tolerance and, when the call passed it, its unit ('Da' or 'ppm'). */
static MzTolerance
tolerance_arg(FunctionCallInfo fcinfo, int value_arg, int unit_arg, const char *name)
{
	MzTolerance t = mz_tolerance_da(PG_GETARG_FLOAT8(value_arg));

	require_finite_at_least(t.value, 0, name);
	if (PG_NARGS() > unit_arg && !PG_ARGISNULL(unit_arg))
	{
		char	   *unit = text_to_cstring(PG_GETARG_TEXT_PP(unit_arg));

		if (pg_strcasecmp(unit, "ppm") == 0)
			t.ppm = true;
		else if (pg_strcasecmp(unit, "Da") != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown %s unit \"%s\"", name, unit),
					 errhint("Use 'Da' or 'ppm'.")));
	}
	return t;
}

/* tolerance, mz_power, intensity_power from first_arg on; the unit at unit_arg */
static CosineParams
cosine_params(FunctionCallInfo fcinfo, int first_arg, int unit_arg)
{
	CosineParams params;

	params.tolerance = tolerance_arg(fcinfo, first_arg, unit_arg, "tolerance");
	params.mz_power = PG_GETARG_FLOAT8(first_arg + 1);
	params.intensity_power = PG_GETARG_FLOAT8(first_arg + 2);
	require_finite(params.mz_power, "mz_power");
	require_finite_at_least(params.intensity_power, 0, "intensity_power");
	return params;
}

static CosineResult
cosine_of_args(FunctionCallInfo fcinfo)
{
	Spectrum   *a = PG_GETARG_SPECTRUM_P(0);
	Spectrum   *b = PG_GETARG_SPECTRUM_P(1);
	CosineParams params = cosine_params(fcinfo, 2, 5);

	return cosine_greedy(a->peaks, a->npeaks, b->peaks, b->npeaks, &params);
}

Datum
spectrum_cosine(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(cosine_of_args(fcinfo).score);
}

Datum
spectrum_cosine_matches(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(cosine_of_args(fcinfo).matches);
}

static CosineResult
modified_cosine_of_args(FunctionCallInfo fcinfo)
{
	Spectrum   *a = PG_GETARG_SPECTRUM_P(0);
	Spectrum   *b = PG_GETARG_SPECTRUM_P(1);
	double		precursor_a = PG_GETARG_FLOAT8(2);
	double		precursor_b = PG_GETARG_FLOAT8(3);
	CosineParams params = cosine_params(fcinfo, 4, 7);

	require_positive(precursor_a, "precursor_a");
	require_positive(precursor_b, "precursor_b");
	return cosine_modified(a->peaks, a->npeaks, precursor_a, b->peaks, b->npeaks, precursor_b, &params);
}

Datum
spectrum_modified_cosine(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(modified_cosine_of_args(fcinfo).score);
}

Datum
spectrum_modified_cosine_matches(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(modified_cosine_of_args(fcinfo).matches);
}

Datum
spectrum_entropy_similarity(PG_FUNCTION_ARGS)
{
	Spectrum   *a = PG_GETARG_SPECTRUM_P(0);
	Spectrum   *b = PG_GETARG_SPECTRUM_P(1);
	MzTolerance tolerance = tolerance_arg(fcinfo, 2, 5, "tolerance");

	PG_RETURN_FLOAT8(entropy_similarity(a->peaks, a->npeaks, b->peaks, b->npeaks,
										tolerance, PG_GETARG_BOOL(3), PG_GETARG_BOOL(4)));
}

Datum
spectrum_spectral_entropy(PG_FUNCTION_ARGS)
{
	Spectrum   *s = PG_GETARG_SPECTRUM_P(0);

	PG_RETURN_FLOAT8(spectral_entropy(s->peaks, s->npeaks));
}

static PeakNormalization
normalization_from_name(const char *name)
{
	if (strcmp(name, "sum") == 0)
		return NORMALIZE_SUM;
	if (strcmp(name, "max") == 0)
		return NORMALIZE_MAX;
	if (strcmp(name, "none") == 0)
		return NORMALIZE_NONE;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown normalize method \"%s\"", name),
			 errhint("Use 'sum', 'max' or 'none'.")));
	pg_unreachable();
}

/* An optional float8 argument that 0.1 did not have: NULL when absent. */
static bool
optional_float8(FunctionCallInfo fcinfo, int arg, double *value)
{
	if (PG_NARGS() <= arg || PG_ARGISNULL(arg))
		return false;
	*value = PG_GETARG_FLOAT8(arg);
	return true;
}

/*
 * clean(s, min_intensity_ratio, merge_tolerance, max_mz, normalize,
 *       merge_tolerance_unit, min_mz, max_peak_num, precursor_mz,
 *       precursor_removal): not STRICT because max_mz, min_mz, max_peak_num
 * and precursor_mz default to NULL; NULL in any other argument gives NULL.
 */
Datum
spectrum_clean(PG_FUNCTION_ARGS)
{
	Spectrum   *s;
	Spectrum   *result;
	CleanParams params = {0};
	double		max_mz,
				min_mz,
				precursor_mz,
				removal;
	int			n;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(4) ||
		(PG_NARGS() > 5 && (PG_ARGISNULL(5) || PG_ARGISNULL(9))))
		PG_RETURN_NULL();
	s = PG_GETARG_SPECTRUM_P(0);
	params.min_intensity_ratio = PG_GETARG_FLOAT8(1);
	params.merge = tolerance_arg(fcinfo, 2, 5, "merge_tolerance");
	params.normalization = normalization_from_name(text_to_cstring(PG_GETARG_TEXT_PP(4)));
	if (!isfinite(params.min_intensity_ratio) || params.min_intensity_ratio < 0 ||
		params.min_intensity_ratio > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("min_intensity_ratio must be between 0 and 1, got %g", params.min_intensity_ratio)));
	if (optional_float8(fcinfo, 3, &max_mz))
	{
		require_positive(max_mz, "max_mz");
		params.max_mz = max_mz;
	}
	if (optional_float8(fcinfo, 6, &min_mz))
	{
		require_positive(min_mz, "min_mz");
		params.min_mz = min_mz;
	}
	if (PG_NARGS() > 7 && !PG_ARGISNULL(7))
	{
		params.max_peak_num = PG_GETARG_INT32(7);
		if (params.max_peak_num < 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("max_peak_num must be at least 1, got %d", params.max_peak_num)));
	}
	if (optional_float8(fcinfo, 8, &precursor_mz))
	{
		removal = PG_GETARG_FLOAT8(9);
		require_positive(precursor_mz, "precursor_mz");
		require_finite(removal, "precursor_removal");
		clean_params_remove_precursor(&params, precursor_mz, removal);
	}

	result = spectrum_from_sorted_peaks(s->peaks, s->npeaks);
	n = peaks_clean(result->peaks, result->npeaks, &params);
	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("merged peak intensity exceeds the double precision range"),
				 errhint("Use normalize => 'sum' or 'max', or scale the intensities down first.")));
	result->npeaks = n;
	SET_VARSIZE(result, SPECTRUM_SIZE(result->npeaks));
	PG_RETURN_SPECTRUM_P(result);
}
