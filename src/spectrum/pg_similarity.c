/*
 * pg_similarity.c: SQL wrappers for spectral similarity and cleaning.
 * The arithmetic lives in cosine.c, entropy.c and clean.c.
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

static CosineParams
cosine_params(FunctionCallInfo fcinfo, int first_arg)
{
	CosineParams params;

	params.tolerance = PG_GETARG_FLOAT8(first_arg);
	params.mz_power = PG_GETARG_FLOAT8(first_arg + 1);
	params.intensity_power = PG_GETARG_FLOAT8(first_arg + 2);
	require_finite_at_least(params.tolerance, 0, "tolerance");
	require_finite(params.mz_power, "mz_power");
	require_finite_at_least(params.intensity_power, 0, "intensity_power");
	return params;
}

static CosineResult
cosine_of_args(FunctionCallInfo fcinfo)
{
	Spectrum   *a = PG_GETARG_SPECTRUM_P(0);
	Spectrum   *b = PG_GETARG_SPECTRUM_P(1);
	CosineParams params = cosine_params(fcinfo, 2);

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

Datum
spectrum_modified_cosine(PG_FUNCTION_ARGS)
{
	Spectrum   *a = PG_GETARG_SPECTRUM_P(0);
	Spectrum   *b = PG_GETARG_SPECTRUM_P(1);
	double		precursor_a = PG_GETARG_FLOAT8(2);
	double		precursor_b = PG_GETARG_FLOAT8(3);
	CosineParams params = cosine_params(fcinfo, 4);

	require_positive(precursor_a, "precursor_a");
	require_positive(precursor_b, "precursor_b");
	PG_RETURN_FLOAT8(cosine_modified(a->peaks, a->npeaks, precursor_a,
									 b->peaks, b->npeaks, precursor_b, &params).score);
}

Datum
spectrum_entropy_similarity(PG_FUNCTION_ARGS)
{
	Spectrum   *a = PG_GETARG_SPECTRUM_P(0);
	Spectrum   *b = PG_GETARG_SPECTRUM_P(1);
	double		tolerance = PG_GETARG_FLOAT8(2);

	require_finite_at_least(tolerance, 0, "tolerance");
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

/* Not STRICT because max_mz defaults to NULL; any other NULL gives NULL. */
Datum
spectrum_clean(PG_FUNCTION_ARGS)
{
	Spectrum   *s;
	Spectrum   *result;
	CleanParams params;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(4))
		PG_RETURN_NULL();
	s = PG_GETARG_SPECTRUM_P(0);
	params.min_intensity_ratio = PG_GETARG_FLOAT8(1);
	params.merge_tolerance = PG_GETARG_FLOAT8(2);
	params.max_mz = PG_ARGISNULL(3) ? 0 : PG_GETARG_FLOAT8(3);
	params.normalization = normalization_from_name(text_to_cstring(PG_GETARG_TEXT_PP(4)));
	if (!isfinite(params.min_intensity_ratio) || params.min_intensity_ratio < 0 ||
		params.min_intensity_ratio > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("min_intensity_ratio must be between 0 and 1, got %g", params.min_intensity_ratio)));
	require_finite_at_least(params.merge_tolerance, 0, "merge_tolerance");
	if (!PG_ARGISNULL(3))
		require_positive(params.max_mz, "max_mz");

	result = spectrum_from_sorted_peaks(s->peaks, s->npeaks);
	result->npeaks = peaks_clean(result->peaks, result->npeaks, &params);
	SET_VARSIZE(result, SPECTRUM_SIZE(result->npeaks));
	PG_RETURN_SPECTRUM_P(result);
}
