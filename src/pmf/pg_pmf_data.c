/*
 * pg_pmf_data.c: the data query of pmf_fit and pmf_bootstrap: run through
 * SPI read-only with the caller's rights, long rows (sample, species, conc, unc[,
 * category]) pivoted to samples x species matrices.
 */
#include "pg_pmf.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "pg_data_query.h"
#include "pg_numeric.h"
#include "prep.h"

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

typedef struct NamedIndex
{
	char	   *name;
	int			index;
} NamedIndex;

static int
compare_named_indexes(const void *a, const void *b)
{
	return strcmp(((const NamedIndex *) a)->name, ((const NamedIndex *) b)->name);
}

/*
 * Put the names in byte order (strcmp: neither the collation nor the order
 * of the query's rows matters) and renumber: remap[old index] = new index.
 * The result of a fit then depends on the data alone.
 */
static void
name_list_sort(NameList *list, int *remap)
{
	NamedIndex *order = palloc(sizeof(NamedIndex) * (list->count > 0 ? list->count : 1));

	for (int k = 0; k < list->count; k++)
	{
		order[k].name = list->names[k];
		order[k].index = k;
	}
	qsort(order, list->count, sizeof(NamedIndex), compare_named_indexes);
	for (int k = 0; k < list->count; k++)
	{
		NameEntry  *entry = hash_search(list->hash, &order[k].name, HASH_FIND, NULL);

		entry->index = k;
		remap[order[k].index] = k;
		list->names[k] = order[k].name;
	}
	pfree(order);
}

int
pmf_name_lookup(const NameList *list, const char *name)
{
	NameEntry  *entry = hash_search(list->hash, &name, HASH_FIND, NULL);

	return entry ? entry->index : -1;
}

static const char *
data_cell_name(void *context, bool row, int index)
{
	PmfData    *data = context;

	if (row)
		return psprintf("sample \"%s\"", data->samples.names[index]);
	return psprintf("species \"%s\"", data->species.names[data->column_species[index]]);
}

/* A number of column conc or unc (the rule of chemeco_is_number_type); other types are an error. */
static double
numeric_value(Datum value, Oid type, int column)
{
	if (!chemeco_is_number_type(type))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("column %d of the data query must be numeric, got type %s",
						column, format_type_be(type)),
				 errhint("The query returns (sample, species, conc, unc[, category]).")));
	return chemeco_datum_number(value, type);
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

/* The query's rows, names replaced by their list indexes. */
typedef struct DataRows
{
	uint64		count;
	int		   *sample;
	int		   *species;
	double	   *conc;			/* NaN where missing */
	double	   *unc;
	bool	   *missing;		/* conc or unc NULL */
	int		   *category;		/* -1: not given */
} DataRows;

/* Runs the data query; its rows stay in SPI_tuptable. */
static void
run_data_query(const char *query, const char *caller)
{
	TupleDesc	desc;
	uint64		rows;

	chemeco_run_data_query(query, caller, 0);
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
}

/* SPI_tuptable's rows into rows, sample and species names into data's lists. */
static void
read_rows(PmfData *data, DataRows *rows)
{
	TupleDesc	desc = SPI_tuptable->tupdesc;
	uint64		count = SPI_processed;

	name_list_init(&data->samples, "pmf samples");
	name_list_init(&data->species, "pmf species");
	rows->count = count;
	rows->sample = palloc(sizeof(int) * count);
	rows->species = palloc(sizeof(int) * count);
	rows->conc = palloc(sizeof(double) * count);
	rows->unc = palloc(sizeof(double) * count);
	rows->missing = palloc(sizeof(bool) * count);
	rows->category = palloc(sizeof(int) * count);
	for (uint64 r = 0; r < count; r++)
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
		rows->sample[r] = s;
		rows->species[r] = sp;
		/* a NULL value or uncertainty makes the cell missing (NaN here) */
		rows->conc[r] = conc_null || unc_null ? NAN : numeric_value(conc, TupleDescAttr(desc, 2)->atttypid, 3);
		rows->unc[r] = conc_null || unc_null ? NAN : numeric_value(unc, TupleDescAttr(desc, 3)->atttypid, 4);
		rows->missing[r] = conc_null || unc_null;
		rows->category[r] = -1;
		if (category_text != NULL)
		{
			rows->category[r] = pmf_category_parse(category_text);
			if (rows->category[r] < 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("unknown category \"%s\" for species \"%s\"",
								category_text, data->species.names[sp]),
						 errhint("Use 'strong', 'weak' or 'bad' (or NULL for strong).")));
		}
	}
}

/* Canonical order of samples and species: byte order of their names. */
static void
sort_names(PmfData *data, DataRows *rows)
{
	int		   *sample_remap = palloc(sizeof(int) * data->samples.count);
	int		   *species_remap = palloc(sizeof(int) * data->species.count);

	name_list_sort(&data->samples, sample_remap);
	name_list_sort(&data->species, species_remap);
	for (uint64 r = 0; r < rows->count; r++)
	{
		rows->sample[r] = sample_remap[rows->sample[r]];
		rows->species[r] = species_remap[rows->species[r]];
	}
}

/* data->category: one per species, the first given, and no contradiction. */
static void
species_categories(PmfData *data, const DataRows *rows)
{
	int			all_species = data->species.count;

	data->category = palloc(sizeof(int) * all_species);
	for (int sp = 0; sp < all_species; sp++)
		data->category[sp] = -1;
	for (uint64 r = 0; r < rows->count; r++)
	{
		int			sp = rows->species[r],
					c = rows->category[r];

		if (c < 0)
			continue;
		if (data->category[sp] >= 0 && data->category[sp] != c)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("species \"%s\" is both '%s' and '%s'", data->species.names[sp],
							pmf_category_name(data->category[sp]), pmf_category_name(c))));
		data->category[sp] = c;
	}
}

/*
 * A matrix column for every species not 'bad' (data->n, column_species);
 * returns each species' column, -1 for a bad one.
 */
static int *
assign_columns(PmfData *data)
{
	int			all_species = data->species.count;
	int		   *species_column = palloc(sizeof(int) * all_species);

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
	return species_column;
}

/* The rows into data->x and data->u; returns which cells were given. */
static bool *
pivot(PmfData *data, const DataRows *rows, const int *species_column)
{
	bool	   *present = palloc0(sizeof(bool) * data->m * data->n);
	bool	   *seen = palloc0(sizeof(bool) * data->m * data->n);

	data->x = palloc0(sizeof(double) * data->m * data->n);
	data->u = palloc0(sizeof(double) * data->m * data->n);
	for (uint64 r = 0; r < rows->count; r++)
	{
		int			i = rows->sample[r];
		int			j = species_column[rows->species[r]];
		size_t		cell;

		if (j < 0)
			continue;
		cell = (size_t) i * data->n + j;
		if (seen[cell])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sample \"%s\", species \"%s\" appears more than once",
							data->samples.names[i], data->species.names[rows->species[r]])));
		seen[cell] = true;
		if (rows->missing[r])
			continue;
		present[cell] = true;
		data->x[cell] = rows->conc[r];
		data->u[cell] = rows->unc[r];
	}
	pfree(seen);
	return present;
}

/* Checks what was given, before filling and weighting. */
static void
check_given_cells(PmfData *data, const bool *present, NmfMethod method)
{
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
}

/* EPA PMF 5.0: a weak species' uncertainties tripled. */
static void
weight_weak_species(PmfData *data)
{
	for (int j = 0; j < data->n; j++)
		if (data->category[data->column_species[j]] == PMF_WEAK)
			for (int i = 0; i < data->m; i++)
				data->u[(size_t) i * data->n + j] *= PMF_WEAK_FACTOR;
}

void
pmf_read_data(const char *query, const char *caller, NmfMethod method, PmfData *data)
{
	DataRows	rows;
	int		   *species_column;
	bool	   *present;

	run_data_query(query, caller);
	read_rows(data, &rows);
	sort_names(data, &rows);
	species_categories(data, &rows);
	species_column = assign_columns(data);
	present = pivot(data, &rows, species_column);
	check_given_cells(data, present, method);
	fill_missing(data, present);
	weight_weak_species(data);
}
