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
#include "common/hashfn.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "portability/instr_time.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "prep.h"

PG_FUNCTION_INFO_V1(pmf_fit);

/* Names in order of first appearance, with a hash for lookup. */
typedef struct NameEntry
{
	char	   *name;			/* hash key: the pointer; hashed and compared as a string */
	int			index;
} NameEntry;

typedef struct NameList
{
	HTAB	   *hash;
	char	  **names;
	int			count;
	int			capacity;
} NameList;

static uint32
name_hash(const void *key, Size keysize)
{
	const char *name = *(char *const *) key;

	return string_hash(name, strlen(name) + 1);
}

static int
name_compare(const void *a, const void *b, Size keysize)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

static void
name_list_init(NameList *list, const char *what)
{
	HASHCTL		ctl;

	ctl.keysize = sizeof(char *);
	ctl.entrysize = sizeof(NameEntry);
	ctl.hash = name_hash;
	ctl.match = name_compare;
	ctl.hcxt = CurrentMemoryContext;
	list->hash = hash_create(what, 256, &ctl, HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
	list->capacity = 256;
	list->names = palloc(sizeof(char *) * list->capacity);
	list->count = 0;
}

static int
name_list_index(NameList *list, char *name)
{
	bool		found;
	NameEntry  *entry = hash_search(list->hash, &name, HASH_ENTER, &found);

	if (!found)
	{
		if (list->count == list->capacity)
		{
			list->capacity *= 2;
			list->names = repalloc(list->names, sizeof(char *) * list->capacity);
		}
		entry->name = name;
		entry->index = list->count;
		list->names[list->count++] = name;
	}
	return entry->index;
}

/* The query's rows pivoted to samples x species. */
typedef struct PmfData
{
	NameList	samples;
	NameList	species;
	int		   *category;		/* per species; -1 = not given (strong) */
	int			m;				/* samples */
	int			n;				/* species kept (not bad) */
	int		   *column_species; /* species index of each kept column */
	double	   *x;				/* m x n */
	double	   *u;				/* m x n, weak species tripled */
	int			missing;		/* cells filled with the species median */
	int			weak;
	int			bad;
} PmfData;

static const char *
data_cell_name(void *context, bool row, int index)
{
	PmfData    *data = context;

	if (row)
		return psprintf("sample \"%s\"", data->samples.names[index]);
	return psprintf("species \"%s\"", data->species.names[data->column_species[index]]);
}

/* A numeric column value as double; other types are an error. */
static double
numeric_value(Datum value, Oid type, int column)
{
	switch (type)
	{
		case FLOAT8OID:
			return DatumGetFloat8(value);
		case FLOAT4OID:
			return DatumGetFloat4(value);
		case INT2OID:
			return DatumGetInt16(value);
		case INT4OID:
			return DatumGetInt32(value);
		case INT8OID:
			return (double) DatumGetInt64(value);
		case NUMERICOID:
			return DatumGetFloat8(DirectFunctionCall1(numeric_float8, value));
	}
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("column %d of the data query must be numeric, got type %s",
					column, format_type_be(type)),
			 errhint("The query returns (sample, species, conc, unc[, category]).")));
	pg_unreachable();
}

static char *
name_value(HeapTuple tuple, TupleDesc desc, int column, const char *what, uint64 row)
{
	char	   *value = SPI_getvalue(tuple, desc, column);

	if (value == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s is NULL in row %llu of the data query", what, (unsigned long long) row + 1)));
	return value;
}

static int
compare_doubles(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

/* EPA PMF 5.0 practice for missing values: species median, uncertainty 4 x median. */
static void
fill_missing(PmfData *data, const bool *present)
{
	int			m = data->m,
				n = data->n;
	double	   *column = palloc(sizeof(double) * m);

	data->missing = 0;
	for (int j = 0; j < n; j++)
	{
		int			count = 0;
		double		median;

		for (int i = 0; i < m; i++)
			if (present[(size_t) i * n + j])
				column[count++] = data->x[(size_t) i * n + j];
		if (count == m)
			continue;
		if (count == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("species \"%s\" has no values", data->species.names[data->column_species[j]]),
					 errhint("Mark it 'bad' in the category column to exclude it.")));
		qsort(column, count, sizeof(double), compare_doubles);
		median = count % 2 ? column[count / 2] : 0.5 * (column[count / 2 - 1] + column[count / 2]);
		if (!(median > 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot fill the missing values of species \"%s\": its median is %g",
							data->species.names[data->column_species[j]], median),
					 errhint("Missing values are replaced by the species median with uncertainty 4 x median, "
							 "which needs a median > 0; supply the values or mark the species 'bad'.")));
		for (int i = 0; i < m; i++)
			if (!present[(size_t) i * n + j])
			{
				data->x[(size_t) i * n + j] = median;
				data->u[(size_t) i * n + j] = 4 * median;
				data->missing++;
			}
	}
}

static void
read_data(const char *query, NmfMethod method, PmfData *data)
{
	int			ret = SPI_execute(query, false, 0);
	TupleDesc	desc;
	uint64		rows;
	int		   *row_sample,
			   *row_species;
	double	   *row_conc,
			   *row_unc;
	bool	   *row_missing;
	bool	   *present;
	bool	   *seen;
	int		   *species_column;
	int			all_species;

	if (ret < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("data query failed: %s", SPI_result_code_string(ret))));
	if (SPI_tuptable == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("data must be a query that returns rows")));
	desc = SPI_tuptable->tupdesc;
	rows = SPI_processed;
	if (desc->natts != 4 && desc->natts != 5)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the data query must return 4 or 5 columns, got %d", desc->natts),
				 errhint("Return (sample, species, conc, unc[, category]).")));
	if (rows == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the data query returned no rows")));
	if (rows > (uint64) (MaxAllocSize / sizeof(double)))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the data query returned too many rows (%llu)", (unsigned long long) rows)));

	name_list_init(&data->samples, "pmf samples");
	name_list_init(&data->species, "pmf species");
	row_sample = palloc(sizeof(int) * rows);
	row_species = palloc(sizeof(int) * rows);
	row_conc = palloc(sizeof(double) * rows);
	row_unc = palloc(sizeof(double) * rows);
	row_missing = palloc(sizeof(bool) * rows);
	data->category = palloc(sizeof(int) * rows);
	for (uint64 r = 0; r < rows; r++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[r];
		bool		conc_null,
					unc_null;
		Datum		conc = SPI_getbinval(tuple, desc, 3, &conc_null);
		Datum		unc = SPI_getbinval(tuple, desc, 4, &unc_null);
		int			s = name_list_index(&data->samples, name_value(tuple, desc, 1, "sample", r));
		int			sp = name_list_index(&data->species, name_value(tuple, desc, 2, "species", r));

		char	   *category_text = desc->natts == 5 ? SPI_getvalue(tuple, desc, 5) : NULL;

		CHECK_FOR_INTERRUPTS();
		row_sample[r] = s;
		row_species[r] = sp;
		/* a NULL value or uncertainty makes the cell missing (NaN here) */
		row_conc[r] = conc_null || unc_null ? NAN : numeric_value(conc, TupleDescAttr(desc, 2)->atttypid, 3);
		row_unc[r] = conc_null || unc_null ? NAN : numeric_value(unc, TupleDescAttr(desc, 3)->atttypid, 4);
		row_missing[r] = conc_null || unc_null;
		data->category[r] = -1;
		if (category_text != NULL)
		{
			data->category[r] = pmf_category_parse(category_text);
			if (data->category[r] < 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("unknown category \"%s\" for species \"%s\"",
								category_text, data->species.names[sp]),
						 errhint("Use 'strong', 'weak' or 'bad' (or NULL for strong).")));
		}
	}

	/* one category per species: the first given, and no contradiction */
	all_species = data->species.count;
	{
		int		   *species_category = palloc(sizeof(int) * all_species);

		for (int sp = 0; sp < all_species; sp++)
			species_category[sp] = -1;
		for (uint64 r = 0; r < rows; r++)
		{
			int			sp = row_species[r],
						c = data->category[r];

			if (c < 0)
				continue;
			if (species_category[sp] >= 0 && species_category[sp] != c)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("species \"%s\" is both '%s' and '%s'", data->species.names[sp],
								pmf_category_name(species_category[sp]), pmf_category_name(c))));
			species_category[sp] = c;
		}
		data->category = species_category;
	}

	species_column = palloc(sizeof(int) * all_species);
	data->column_species = palloc(sizeof(int) * all_species);
	data->n = data->weak = data->bad = 0;
	for (int sp = 0; sp < all_species; sp++)
	{
		if (data->category[sp] == PMF_BAD)
		{
			species_column[sp] = -1;
			data->bad++;
			continue;
		}
		data->weak += data->category[sp] == PMF_WEAK;
		species_column[sp] = data->n;
		data->column_species[data->n++] = sp;
	}
	data->m = data->samples.count;
	if (data->n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("every species is marked 'bad'")));
	if ((size_t) data->m * data->n > MaxAllocSize / sizeof(double))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%d samples x %d species is too large", data->m, data->n)));

	data->x = palloc0(sizeof(double) * data->m * data->n);
	data->u = palloc0(sizeof(double) * data->m * data->n);
	present = palloc0(sizeof(bool) * data->m * data->n);
	seen = palloc0(sizeof(bool) * data->m * data->n);
	for (uint64 r = 0; r < rows; r++)
	{
		int			i = row_sample[r];
		int			j = species_column[row_species[r]];
		size_t		cell;

		if (j < 0)
			continue;
		cell = (size_t) i * data->n + j;
		if (seen[cell])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sample \"%s\", species \"%s\" appears more than once",
							data->samples.names[i], data->species.names[row_species[r]])));
		seen[cell] = true;
		if (row_missing[r])
			continue;
		present[cell] = true;
		data->x[cell] = row_conc[r];
		data->u[cell] = row_unc[r];
	}

	/* check what was given before filling and weighting */
	for (int i = 0; i < data->m; i++)
		for (int j = 0; j < data->n; j++)
		{
			size_t		cell = (size_t) i * data->n + j;
			double		one_x,
						one_u;
			int			bad_row,
						bad_col;
			NmfInputStatus status;

			if (!present[cell])
				continue;
			one_x = data->x[cell];
			one_u = data->u[cell];
			status = nmf_check_input(&one_x, &one_u, 1, 1, method, &bad_row, &bad_col);
			if (status != NMF_INPUT_OK)
				pmf_report_bad_cell(status, i, j, data->x, data->u, data->n, data_cell_name, data);
		}
	fill_missing(data, present);
	for (int j = 0; j < data->n; j++)
		if (data->category[data->column_species[j]] == PMF_WEAK)
			for (int i = 0; i < data->m; i++)
				data->u[(size_t) i * data->n + j] *= PMF_WEAK_FACTOR;
}

static void
notice_run(void *context, int run, int runs, const NmfRun *result)
{
	ereport(NOTICE,
			(errmsg("pmf_fit: run %d/%d: Q(true) = %.1f, Q(robust) = %.1f, %d iterations%s",
					run + 1, runs, result->q_true, result->q_robust, result->iterations,
					result->converged ? "" : " (not converged)")));
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

/* The extension's schema, quoted, to qualify the catalog tables. */
static const char *result_schema;

/* Runs sql (with one %s for the schema) with the given arguments. */
static void
execute(const char *sql, int nargs, Oid *types, Datum *values, int expected)
{
	int			ret = SPI_execute_with_args(psprintf(sql, result_schema), nargs, types, values,
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
store_run(const PmfData *data, const NmfParams *params, const char *method, int runs, int64 seed,
		  const NmfRun *results, int best, double seconds)
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
					 "\"samples\": %d, \"species\": %d, \"missing_cells\": %d, \"best_model\": %d",
					 k, runs, seed, method, params->robust ? "true" : "false", params->max_iter,
					 params->converge_delta, params->converge_n, m, n, data->missing, best + 1);
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
		Oid			run_types[7] = {TEXTOID, FLOAT8OID, FLOAT8OID, FLOAT8OID, BOOLOID, INT4OID, FLOAT8OID};
		Datum		run_values[7];

		memcpy(run_values, values, sizeof(values));
		memcpy(run_types, types, sizeof(types));
		run_values[6] = Float8GetDatum(seconds);
		execute("INSERT INTO %s.pmf_run (parameters, q_true, q_robust, q_expected, converged, iterations, seconds) "
				"VALUES ($1::jsonb, $2, $3, $4, $5, $6, $7) RETURNING run_id",
				7, run_types, run_values, SPI_OK_INSERT_RETURNING);
	}
	run_id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));

	/* every model's Q */
	{
		Datum	   *seeds = palloc(sizeof(Datum) * runs);
		double	   *q_true = palloc(sizeof(double) * runs);
		double	   *q_robust = palloc(sizeof(double) * runs);
		Datum	   *converged = palloc(sizeof(Datum) * runs);
		Oid			model_types[5] = {INT8OID, INT8ARRAYOID, FLOAT8ARRAYOID, FLOAT8ARRAYOID, BOOLARRAYOID};
		Datum		model_values[5];

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
		execute("INSERT INTO %s.pmf_model (run_id, model, seed, q_true, q_robust, converged) "
				"SELECT $1, model::int, seed, q_true, q_robust, converged "
				"FROM unnest($2, $3, $4, $5) WITH ORDINALITY AS t(seed, q_true, q_robust, converged, model)",
				5, model_types, model_values, SPI_OK_INSERT);
	}
	return run_id;
}

static void
store_matrices(int64 run_id, const PmfData *data, int k, const double *w, const double *h)
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
			value[c] = h[(size_t) f * n + j];
			percent[c] = species_total > 0 ? 100 * h[(size_t) f * n + j] * factor_total[f] / species_total : NAN;
		}
	}
	values[1] = PointerGetDatum(int_array(factor, k * n));
	values[2] = PointerGetDatum(text_array(names, k * n));
	values[3] = PointerGetDatum(float8_array_nan_null(value, k * n));
	values[4] = PointerGetDatum(float8_array_nan_null(percent, k * n));
	execute("INSERT INTO %s.pmf_profile (run_id, factor, species, value, percent) "
			"SELECT $1, * FROM unnest($2, $3, $4, $5)", 5, types, values, SPI_OK_INSERT);

	/* contributions */
	for (int f = 0; f < k; f++)
		for (int i = 0; i < m; i++)
		{
			int			c = f * m + i;

			factor[c] = f + 1;
			names[c] = data->samples.names[i];
			value[c] = w[(size_t) i * k + f];
		}
	values[1] = PointerGetDatum(int_array(factor, k * m));
	values[2] = PointerGetDatum(text_array(names, k * m));
	values[3] = PointerGetDatum(float8_array_nan_null(value, k * m));
	execute("INSERT INTO %s.pmf_contribution (run_id, factor, sample, value) "
			"SELECT $1, * FROM unnest($2, $3, $4)", 4, types, values, SPI_OK_INSERT);
}

static void
store_residuals(int64 run_id, const PmfData *data, int k, const double *w, const double *h)
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
	execute("INSERT INTO %s.pmf_residual (run_id, sample, species, scaled_residual) "
			"SELECT $1, * FROM unnest($2, $3, $4)", 4, types, values, SPI_OK_INSERT);
}

Datum
pmf_fit(PG_FUNCTION_ARGS)
{
	char	   *query = text_to_cstring(PG_GETARG_TEXT_PP(0));
	int			runs = PG_GETARG_INT32(2);
	int64		seed = PG_GETARG_INT64(3);
	char	   *method = text_to_cstring(PG_GETARG_TEXT_PP(4));
	NmfParams	params = pmf_fit_params(PG_GETARG_INT32(1), method, PG_GETARG_BOOL(5),
										PG_GETARG_INT32(6), PG_GETARG_FLOAT8(7),
										PG_GETARG_INT32(8), runs);
	PmfData		data;
	NmfProblem	problem;
	NmfRun	   *results;
	double	   *w,
			   *h;
	int			best;
	int64		run_id;
	instr_time	start,
				duration;

	result_schema = quote_identifier(get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid)));
	SPI_connect();
	read_data(query, params.method, &data);
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
	nmf_problem_init(&problem, data.x, data.u, data.m, data.n);
	w = palloc(sizeof(double) * data.m * params.factors);
	h = palloc(sizeof(double) * params.factors * data.n);
	results = palloc(sizeof(NmfRun) * runs);
	best = nmf_fit(&problem, &params, runs, (uint64) seed, notice_run, NULL, w, h, results);
	if (best < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("pmf_fit: every run diverged (Q is NaN)"),
				 errhint("Check the scale of the concentrations and uncertainties.")));
	INSTR_TIME_SET_CURRENT(duration);
	INSTR_TIME_SUBTRACT(duration, start);

	run_id = store_run(&data, &params, method, runs, seed, results, best,
					   INSTR_TIME_GET_DOUBLE(duration));
	store_matrices(run_id, &data, params.factors, w, h);
	store_residuals(run_id, &data, params.factors, w, h);
	SPI_finish();
	PG_RETURN_INT64(run_id);
}
