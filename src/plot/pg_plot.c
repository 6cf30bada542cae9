/*
 * pg_plot.c: SQL functions returning SVG pictures (src/plot/plots.h).
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "pg_arrays.h"
#include "pg_spectrum.h"
#include "plots.h"

PG_FUNCTION_INFO_V1(plot_mirror_sql);
PG_FUNCTION_INFO_V1(plot_distribution_sql);
PG_FUNCTION_INFO_V1(plot_pmf_profiles_sql);
PG_FUNCTION_INFO_V1(plot_pmf_contributions_sql);

static text *
svg_result(Svg *svg)
{
	text	   *result = cstring_to_text_with_len(svg->data, svg->length);

	svg_free(svg);
	return result;
}

/* The peaks of a spectrum argument as plain arrays. */
static PlotSpectrum
plot_spectrum(Spectrum *s, const char *label)
{
	PlotSpectrum out;
	double	   *mz = palloc(sizeof(double) * (s->npeaks > 0 ? s->npeaks : 1)),
			   *intensity = palloc(sizeof(double) * (s->npeaks > 0 ? s->npeaks : 1));

	for (int i = 0; i < s->npeaks; i++)
	{
		mz[i] = s->peaks[i].mz;
		intensity[i] = s->peaks[i].intensity;
	}
	out.mz = mz;
	out.intensity = intensity;
	out.n = s->npeaks;
	out.label = label;
	return out;
}

/* plot_mirror(top, bottom, tolerance, title, top_label, bottom_label): also plot_isotope_pattern. */
Datum
plot_mirror_sql(PG_FUNCTION_ARGS)
{
	PlotSpectrum top = plot_spectrum(PG_GETARG_SPECTRUM_P(0), text_to_cstring(PG_GETARG_TEXT_PP(4)));
	PlotSpectrum bottom = plot_spectrum(PG_GETARG_SPECTRUM_P(1), text_to_cstring(PG_GETARG_TEXT_PP(5)));
	double		tolerance = PG_GETARG_FLOAT8(2);
	Svg			svg;

	if (!(tolerance > 0) || !isfinite(tolerance))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("tolerance must be a finite number > 0, got %g", tolerance)));
	plot_mirror(&svg, &top, &bottom, tolerance, text_to_cstring(PG_GETARG_TEXT_PP(3)));
	PG_RETURN_TEXT_P(svg_result(&svg));
}

Datum
plot_distribution_sql(PG_FUNCTION_ARGS)
{
	int			n;
	double	   *values = float8_vector_arg(PG_GETARG_ARRAYTYPE_P(0), "values", &n);
	double	   *scratch;
	Summary		summary;
	Svg			svg;

	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("values is empty: there is no distribution to draw")));
	for (int i = 0; i < n; i++)
		if (!isfinite(values[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("values[%d] is %g: only finite values can be drawn", i + 1, values[i])));
	scratch = palloc(sizeof(double) * n);
	memcpy(scratch, values, sizeof(double) * n);
	if (summarize(scratch, n, false, &summary) != SUMMARY_OK)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("the values' variance is beyond the range of float8")));
	plot_distribution(&svg, &summary, values, n, text_to_cstring(PG_GETARG_TEXT_PP(1)));
	PG_RETURN_TEXT_P(svg_result(&svg));
}

/*
 * A PMF run's factors x names matrix from one of its tables, read with the
 * caller's rights (row-level security: only the caller's own runs) in an
 * SPI session of its own: rows ordered by factor, then name in byte order.
 * The result lives in the caller's memory context.
 */
typedef struct RunMatrix
{
	int			factors;
	int			names;
	double	   *value;			/* factors x names */
	double	   *percent;		/* factors x names, or NULL */
	char	  **name;
} RunMatrix;

static void
read_run_matrix(FunctionCallInfo fcinfo, const char *table, const char *name_column, bool with_percent,
				RunMatrix *out)
{
	int64		run_id = PG_GETARG_INT64(0);
	const char *schema = quote_identifier(get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid)));
	Oid			types[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(run_id)};
	char	   *query;
	uint64		rows;
	bool		isnull;

	SPI_connect();
	query = psprintf("SELECT factor, %s::text, value::float8, %s FROM %s.%s WHERE run_id = $1 "
					 "ORDER BY factor, %s COLLATE \"C\"",
					 name_column, with_percent ? "percent::float8" : "NULL::float8", schema, table, name_column);
	if (SPI_execute_with_args(query, 1, types, values, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading %s failed", table);
	rows = SPI_processed;
	if (rows == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("PMF run " INT64_FORMAT " not found", run_id),
				 errhint("The run must be one of yours (row-level security shows each role its own runs).")));
	/* factors are numbered 1..k: the last row's is k */
	out->factors = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[rows - 1], SPI_tuptable->tupdesc, 1, &isnull));
	out->names = (int) (rows / out->factors);
	if ((uint64) out->names * out->factors != rows)
		elog(ERROR, "PMF run " INT64_FORMAT " has an incomplete %s", run_id, table);
	if (out->factors > PLOT_MAX_FACTORS || (with_percent && out->names > PLOT_MAX_SPECIES))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("PMF run " INT64_FORMAT " has %d factors and %d %ss, too many to draw",
						run_id, out->factors, out->names, name_column),
				 errdetail("A plot draws at most %d factors and %d species.", PLOT_MAX_FACTORS, PLOT_MAX_SPECIES)));
	out->value = SPI_palloc(sizeof(double) * rows);
	out->percent = with_percent ? SPI_palloc(sizeof(double) * rows) : NULL;
	out->name = SPI_palloc(sizeof(char *) * out->names);
	for (uint64 r = 0; r < rows; r++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[r];
		Datum		percent;

		out->value[r] = DatumGetFloat8(SPI_getbinval(tuple, SPI_tuptable->tupdesc, 3, &isnull));
		if (with_percent)
		{
			percent = SPI_getbinval(tuple, SPI_tuptable->tupdesc, 4, &isnull);
			out->percent[r] = isnull ? NAN : DatumGetFloat8(percent);
		}
		if (r < (uint64) out->names)
		{
			char	   *name = SPI_getvalue(tuple, SPI_tuptable->tupdesc, 2);

			out->name[r] = strcpy(SPI_palloc(strlen(name) + 1), name);
		}
	}
	SPI_finish();
}

static char *
run_title(FunctionCallInfo fcinfo, const char *what)
{
	return PG_ARGISNULL(1) ? psprintf("PMF run " INT64_FORMAT ": %s", PG_GETARG_INT64(0), what) :
		text_to_cstring(PG_GETARG_TEXT_PP(1));
}

Datum
plot_pmf_profiles_sql(PG_FUNCTION_ARGS)
{
	RunMatrix	run;
	Svg			svg;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	read_run_matrix(fcinfo, "pmf_profile", "species", true, &run);
	if (!plot_profiles(&svg, run.factors, run.names, run.value, run.percent, (const char *const *) run.name,
					   run_title(fcinfo, "factor profiles")))
		elog(ERROR, "PMF run has no profiles to draw");
	PG_RETURN_TEXT_P(svg_result(&svg));
}

Datum
plot_pmf_contributions_sql(PG_FUNCTION_ARGS)
{
	RunMatrix	run;
	double	   *w;
	Svg			svg;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	read_run_matrix(fcinfo, "pmf_contribution", "sample", false, &run);
	/* the table is factor-major; the kernel takes samples x factors */
	w = palloc(sizeof(double) * run.factors * run.names);
	for (int f = 0; f < run.factors; f++)
		for (int i = 0; i < run.names; i++)
			w[(size_t) i * run.factors + f] = run.value[(size_t) f * run.names + i];
	if (!plot_contributions(&svg, run.factors, run.names, w, (const char *const *) run.name,
							run_title(fcinfo, "factor contributions")))
		elog(ERROR, "PMF run has no contributions to draw");
	PG_RETURN_TEXT_P(svg_result(&svg));
}
