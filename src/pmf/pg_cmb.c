/*
 * pg_cmb.c: chemical mass balance and profile similarity in SQL
 * (arithmetic in cmb.c, nnls.c, similarity.c).
 */
#include "pg_pmf.h"

#include <math.h>

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"

#include "nnls.h"
#include "pg_arrays.h"
#include "similarity.h"

PG_FUNCTION_INFO_V1(pmf_cmb);
PG_FUNCTION_INFO_V1(pmf_profile_similarity);

static void
require_finite_values(const double *values, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!isfinite(values[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s[%d] is %g; values must be finite", name, i + 1, values[i])));
}

/*
 * cmb(sample float8[], profiles float8[][], sample_unc float8[] DEFAULT NULL):
 * profiles has one row per source and one column per species.  Not STRICT
 * because sample_unc may be NULL; a NULL sample or profiles gives NULL.
 */
Datum
pmf_cmb(PG_FUNCTION_ARGS)
{
	double	   *sample,
			   *profiles,
			   *species_by_source,
			   *unc = NULL,
			   *contribution;
	int			m,
				sources,
				species;
	TupleDesc	tupdesc;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	CmbResult	result;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "cmb: return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);

	sample = float8_vector_arg(PG_GETARG_ARRAYTYPE_P(0), "sample", &m);
	profiles = pmf_matrix_arg(PG_GETARG_ARRAYTYPE_P(1), "profiles", &sources, &species);
	if (m == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sample must not be empty")));
	if (species != m)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("profiles has %d columns (species) but sample has %d elements", species, m),
				 errhint("profiles holds one row per source and one column per species, in the order of sample.")));
	require_finite_values(sample, m, "sample");
	require_finite_values(profiles, sources * species, "profiles");
	if (!PG_ARGISNULL(2))
	{
		int			n_unc;

		unc = float8_vector_arg(PG_GETARG_ARRAYTYPE_P(2), "sample_unc", &n_unc);
		if (n_unc != m)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sample_unc has %d elements but sample has %d", n_unc, m)));
		for (int i = 0; i < m; i++)
			if (!isfinite(unc[i]) || unc[i] <= 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("sample_unc[%d] is %g; uncertainties must be finite and > 0", i + 1, unc[i])));
	}

	species_by_source = palloc(sizeof(double) * m * sources);
	for (int s = 0; s < sources; s++)
		for (int j = 0; j < m; j++)
			species_by_source[(size_t) j * sources + s] = profiles[(size_t) s * m + j];
	contribution = palloc(sizeof(double) * sources);
	if (cmb_solve(sample, species_by_source, unc, m, sources, contribution, &result) != NNLS_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cmb: the non-negative least-squares iteration did not converge"),
				 errhint("Check for (nearly) collinear source profiles.")));

	values[0] = PointerGetDatum(pmf_vector_result(contribution, sources));
	values[1] = Float8GetDatum(result.residual_norm);
	if (isnan(result.r2))
		nulls[2] = true;
	else
		values[2] = Float8GetDatum(result.r2);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

Datum
pmf_profile_similarity(PG_FUNCTION_ARGS)
{
	int			na,
				nb;
	double	   *a = float8_vector_arg(PG_GETARG_ARRAYTYPE_P(0), "a", &na);
	double	   *b = float8_vector_arg(PG_GETARG_ARRAYTYPE_P(1), "b", &nb);
	char	   *method = text_to_cstring(PG_GETARG_TEXT_PP(2));
	ProfileSimilarity kind;
	double		result;

	if (strcmp(method, "cosine") == 0)
		kind = PROFILE_COSINE;
	else if (strcmp(method, "pearson") == 0)
		kind = PROFILE_PEARSON;
	else if (strcmp(method, "euclidean") == 0)
		kind = PROFILE_EUCLIDEAN;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown similarity method \"%s\"", method),
				 errhint("Use 'cosine', 'pearson' or 'euclidean'.")));
	if (na != nb)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("profiles differ in length (%d and %d)", na, nb)));
	require_finite_values(a, na, "a");
	require_finite_values(b, nb, "b");
	result = profile_similarity(a, b, na, kind);
	/* undefined (zero or constant profile): NULL rather than NaN */
	if (isnan(result))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(result);
}
