/*
 * pg_pmf_prep.c: pmf_uncertainty, the signal_to_noise aggregate and
 * species_category (rules in prep.c).
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "prep.h"

PG_FUNCTION_INFO_V1(pmf_uncertainty_sql);
PG_FUNCTION_INFO_V1(pmf_signal_to_noise_accum);
PG_FUNCTION_INFO_V1(pmf_signal_to_noise_combine);
PG_FUNCTION_INFO_V1(pmf_signal_to_noise_final);
PG_FUNCTION_INFO_V1(pmf_species_category);

Datum
pmf_uncertainty_sql(PG_FUNCTION_ARGS)
{
	double		conc = PG_GETARG_FLOAT8(0);
	double		mdl = PG_GETARG_FLOAT8(1);
	double		error_fraction = PG_GETARG_FLOAT8(2);

	if (!isfinite(conc))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("conc must be a finite number, got %g", conc)));
	if (!isfinite(mdl) || mdl <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("mdl must be a finite number > 0, got %g", mdl)));
	if (!isfinite(error_fraction) || error_fraction < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("error_fraction must be a finite number >= 0, got %g", error_fraction)));
	PG_RETURN_FLOAT8(pmf_uncertainty(conc, mdl, error_fraction));
}

/*
 * The aggregate state is float8[2] = {sum of S/N terms, samples}: a concrete
 * type, so partial aggregates can be combined across parallel workers.
 */
static double *
state_values(ArrayType *state)
{
	double	   *s;

	if (ARR_NDIM(state) != 1 || ARR_DIMS(state)[0] != 2 || ARR_HASNULL(state) ||
		ARR_ELEMTYPE(state) != FLOAT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("signal_to_noise state must be float8[2] without NULLs")));
	s = (double *) ARR_DATA_PTR(state);

	/*
	 * A client can pass any array: only what the aggregate makes is a state
	 * (terms are >= 0, possibly summing to infinity; counts are whole).
	 */
	if (isnan(s[0]) || s[0] < 0 || !(s[1] >= 0 && s[1] <= 9007199254740992.0) || s[1] != floor(s[1]) ||
		(s[1] == 0 && s[0] != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("signal_to_noise state {%g,%g} is not one the aggregate makes", s[0], s[1]),
				 errdetail("A state is {sum of the S/N terms (>= 0), sample count (a whole number >= 0, "
						   "0 only with a sum of 0)}.")));
	return s;
}

static ArrayType *
new_state(double sum, double count)
{
	Datum		values[2] = {Float8GetDatum(sum), Float8GetDatum(count)};

	return construct_array(values, 2, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

/* STRICT: rows with a NULL concentration or uncertainty are skipped. */
Datum
pmf_signal_to_noise_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *state = PG_GETARG_ARRAYTYPE_P(0);
	double		conc = PG_GETARG_FLOAT8(1);
	double		unc = PG_GETARG_FLOAT8(2);
	double	   *s = state_values(state);

	if (!isfinite(conc))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("signal_to_noise: concentration must be finite, got %g", conc)));
	if (!isfinite(unc) || unc <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("signal_to_noise: uncertainty must be finite and > 0, got %g", unc)));
	/* inside an aggregate the state is our private copy: update it in place */
	if (AggCheckCallContext(fcinfo, NULL))
	{
		s[0] += pmf_signal_to_noise_term(conc, unc);
		s[1] += 1;
		PG_RETURN_ARRAYTYPE_P(state);
	}
	PG_RETURN_ARRAYTYPE_P(new_state(s[0] + pmf_signal_to_noise_term(conc, unc), s[1] + 1));
}

Datum
pmf_signal_to_noise_combine(PG_FUNCTION_ARGS)
{
	double	   *a = state_values(PG_GETARG_ARRAYTYPE_P(0));
	double	   *b = state_values(PG_GETARG_ARRAYTYPE_P(1));

	PG_RETURN_ARRAYTYPE_P(new_state(a[0] + b[0], a[1] + b[1]));
}

/* S/N = mean of the terms; NULL when no sample had both values. */
Datum
pmf_signal_to_noise_final(PG_FUNCTION_ARGS)
{
	double	   *s = state_values(PG_GETARG_ARRAYTYPE_P(0));

	if (s[1] == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(s[0] / s[1]);
}

Datum
pmf_species_category(PG_FUNCTION_ARGS)
{
	double		sn = PG_GETARG_FLOAT8(0);

	if (isnan(sn) || sn < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("signal-to-noise must be a number >= 0, got %g", sn)));
	PG_RETURN_TEXT_P(cstring_to_text(pmf_category_name(pmf_category_of(sn))));
}
