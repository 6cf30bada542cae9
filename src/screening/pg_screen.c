/*
 * pg_screen.c: chemeco.screen(features, suspects, adducts, ppm, ...), suspect
 * screening of LC-HRMS features (docs/reference/screening.md).
 *
 * Both queries run through SPI with the caller's rights, must be plain
 * SELECTs and run in a read-only transaction state, so that neither they
 * nor the functions they call can write.  The suspects' ions (formula x adduct)
 * are sorted by m/z once; each feature finds its candidates by binary search
 * (ion_match.c), never by a scan of all ions.  Per candidate: mass error,
 * retention time error, the isotope score of the feature's MS1 cluster
 * against the ion's pattern (isotope.c, computed once per ion), the weighted
 * entropy similarity of the MS/MS spectra (entropy.c), the Schymanski level
 * of the feature's candidates (confidence_level.c) and, when a model is
 * named, its probability (the model catalogue, as predict() reads it).
 */
#include "postgres.h"

#include <math.h>

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/plancache.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"

#include "confidence_level.h"
#include "entropy.h"
#include "ion_match.h"
#include "isotope.h"
#include "pg_model.h"
#include "pg_numeric.h"
#include "pg_progress.h"
#include "pg_screening.h"
#include "pg_spectrum.h"

PG_FUNCTION_INFO_V1(screen_sql);

#define SCREEN_FETCH 1000
#define SCREEN_PROGRESS_EVERY 10000
#define SCREEN_MAX_ADDUCTS 1000
#define SCREEN_MAX_PPM 1000
/* the pattern of a candidate ion, as isotope_pattern() computes it by default */
#define SCREEN_PATTERN_MERGE_MZ 0.005
#define SCREEN_PATTERN_MIN_INTENSITY 1e-4

typedef struct Suspect
{
	char	   *id;
	char	   *formula;
	double		rt;				/* NaN when NULL */
	Peak	   *ms2;			/* prepared for the entropy similarity; NULL when none */
	int			n_ms2;
} Suspect;

typedef struct Ion
{
	int			suspect;
	int			adduct;
	Peak	   *pattern;		/* computed at the first candidate, NULL until then */
	int			n_pattern;
} Ion;

/* What a confidence model may take as input, by feature name. */
typedef enum CandidateInput
{
	INPUT_MZ,
	INPUT_MZ_ERROR_PPM,
	INPUT_ABS_MZ_ERROR_PPM,
	INPUT_RT_ERROR,
	INPUT_ABS_RT_ERROR,
	INPUT_ISOTOPE_SCORE,
	INPUT_MS2_SCORE,
	INPUT_INTENSITY,
	INPUT_LEVEL,				/* categorical */
	INPUT_ADDUCT,				/* categorical */
	N_INPUTS
} CandidateInput;

static const char *const input_names[N_INPUTS] = {
	"mz", "mz_error_ppm", "abs_mz_error_ppm", "rt_error", "abs_rt_error", "isotope_score", "ms2_score",
	"intensity", "level", "adduct"
};

typedef struct Candidate
{
	int			ion;
	double		inputs[INPUT_LEVEL];	/* the numeric inputs; NaN is missing (NULL) */
} Candidate;

typedef struct Screen
{
	/* parameters */
	double		ppm;
	double		rt_window;		/* NaN: no retention time filter */
	double		intensity_error;
	double		ms2_tolerance;
	LevelThresholds thresholds;
	const Model *model;
	CandidateInput *model_inputs;	/* per model feature */
	double	   *model_columns;
	/* adducts */
	int			n_adducts;
	char	  **adduct_names;
	Adduct	   *adducts;
	/* suspects and their ions, sorted by m/z */
	int			n_suspects;
	Suspect    *suspects;
	int			n_ions;
	Ion		   *ions;
	double	   *ion_mz;
	Oid			spectrum_type;
} Screen;

static void
check_number(double value, double low, double high, bool low_open, const char *name)
{
	if (!isfinite(value) || value > high || value < low || (low_open && value == low))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("screen: %s must be %s %g%s, not %g", name, low_open ? ">" : ">=", low,
						isinf(high) ? " and finite" : psprintf(" and <= %g", high), value)));
}

static void
require_argument(FunctionCallInfo fcinfo, int n, const char *name)
{
	if (PG_ARGISNULL(n))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("screen: %s must not be NULL", name)));
}

/* A non-NULL float8 argument. */
static double
float_argument(FunctionCallInfo fcinfo, int n, const char *name)
{
	require_argument(fcinfo, n, name);
	return PG_GETARG_FLOAT8(n);
}

/* A non-NULL text argument, as a C string. */
static char *
text_argument(FunctionCallInfo fcinfo, int n, const char *name)
{
	require_argument(fcinfo, n, name);
	return text_to_cstring(PG_GETARG_TEXT_PP(n));
}

/*
 * Opens query as a read-only cursor: one plain SELECT (no data-modifying
 * WITH, no FOR UPDATE/SHARE, no utility command); ERROR otherwise.
 */
static Portal
open_read_only(const char *what, const char *query)
{
	SPIPlanPtr	plan = SPI_prepare(query, 0, NULL);
	List	   *sources;
	ListCell   *lc;

	if (plan == NULL)
		elog(ERROR, "screen: SPI_prepare failed for the %s query: %s", what, SPI_result_code_string(SPI_result));
	sources = SPI_plan_get_plan_sources(plan);
	if (list_length(sources) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("screen: %s must be a single query, got %d statements", what, list_length(sources))));
	foreach(lc, ((CachedPlanSource *) linitial(sources))->query_list)
	{
		Query	   *q = lfirst_node(Query, lc);

		if (q->commandType != CMD_SELECT || q->hasModifyingCTE || q->rowMarks != NIL || q->utilityStmt != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_READ_ONLY_SQL_TRANSACTION),
					 errmsg("screen: %s must be a read-only query (a SELECT)", what),
					 errdetail("Data-modifying statements, SELECT ... FOR UPDATE/SHARE and utility commands are not allowed.")));
	}
	return SPI_cursor_open(NULL, plan, NULL, NULL, true);
}

typedef enum ColumnKind
{
	COLUMN_ANY,					/* an id: any type, read through its output function */
	COLUMN_TEXT,				/* anything with a text form of its own; RDKit's mol_formula gives cstring */
	COLUMN_NUMBER,
	COLUMN_SPECTRUM
} ColumnKind;

/* The columns a query must return, by position. */
typedef struct QueryShape
{
	const char *what;
	int			n;
	const char *names[6];
	ColumnKind	kinds[6];
} QueryShape;

static const QueryShape suspects_shape = {
	"suspects", 5, {"suspect_id", "name", "formula", "rt", "ms2"},
	{COLUMN_ANY, COLUMN_ANY, COLUMN_TEXT, COLUMN_NUMBER, COLUMN_SPECTRUM}
};
static const QueryShape features_shape = {
	"features", 6, {"feature_id", "mz", "rt", "intensity", "ms1", "ms2"},
	{COLUMN_ANY, COLUMN_NUMBER, COLUMN_NUMBER, COLUMN_NUMBER, COLUMN_SPECTRUM, COLUMN_SPECTRUM}
};

static bool
column_fits(Oid type, ColumnKind kind, Oid spectrum_type)
{
	switch (kind)
	{
		case COLUMN_TEXT:
			return type == TEXTOID || type == VARCHAROID || type == BPCHAROID || type == NAMEOID ||
				type == CSTRINGOID;
		case COLUMN_NUMBER:
			return chemeco_is_number_type(type) && type != BOOLOID;
		case COLUMN_SPECTRUM:
			return type == spectrum_type;
		default:
			return true;
	}
}

/*
 * Fetches the next batch of the cursor into SPI_tuptable and checks its
 * columns against shape (even for an empty result); returns the row count.
 */
static uint64
fetch_checked(Portal portal, const QueryShape *shape, Oid spectrum_type)
{
	static const char *const kind_names[] = {"any type", "text", "a number", "chemeco.spectrum"};
	TupleDesc	desc;

	SPI_cursor_fetch(portal, true, SCREEN_FETCH);
	desc = SPI_tuptable->tupdesc;
	if (desc->natts != shape->n)
	{
		StringInfoData names;

		initStringInfo(&names);
		for (int i = 0; i < shape->n; i++)
			appendStringInfo(&names, i ? ", %s" : "%s", shape->names[i]);
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("screen: %s must return %d columns (%s), got %d", shape->what, shape->n, names.data,
						desc->natts)));
	}
	for (int i = 0; i < shape->n; i++)
	{
		Oid			type = TupleDescAttr(desc, i)->atttypid;

		if (!column_fits(type, shape->kinds[i], spectrum_type))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("screen: column %d (%s) of %s must be %s, not %s", i + 1, shape->names[i], shape->what,
							kind_names[shape->kinds[i]], format_type_be(type)),
					 errhint("Cast it in the query, e.g. NULL::%s.",
							 shape->kinds[i] == COLUMN_SPECTRUM ? "chemeco.spectrum" :
							 shape->kinds[i] == COLUMN_TEXT ? "text" : "float8")));
	}
	return SPI_processed;
}

/* A numeric column as double, NaN when NULL. */
static double
number_or_nan(HeapTuple tuple, TupleDesc desc, int attno)
{
	bool		isnull;
	Datum		value = SPI_getbinval(tuple, desc, attno, &isnull);

	return isnull ? NAN : chemeco_datum_number(value, TupleDescAttr(desc, attno - 1)->atttypid);
}

/* A spectrum column, NULL when NULL (detoasted in the current context). */
static Spectrum *
spectrum_or_null(HeapTuple tuple, TupleDesc desc, int attno)
{
	bool		isnull;
	Datum		value = SPI_getbinval(tuple, desc, attno, &isnull);

	return isnull ? NULL : DatumGetSpectrumP(value);
}

static void
read_adducts(Screen *screen, ArrayType *array, const char *ion_mode, const char *schema)
{
	Datum	   *elements;
	bool	   *nulls;
	int			n;

	if (array == NULL)
	{
		/* the ion mode's common adducts from the catalogue */
		char	   *sql = psprintf("SELECT adduct FROM %s.adduct WHERE common AND ion_mode = $1 ORDER BY adduct", schema);

		if (SPI_execute_with_args(sql, 1, (Oid[]) {TEXTOID}, (Datum[]) {CStringGetTextDatum(ion_mode)},
								  NULL, true, 0) != SPI_OK_SELECT)
			elog(ERROR, "screen: reading the adduct catalogue failed");
		n = (int) SPI_processed;
		elements = palloc(sizeof(Datum) * (n + 1));
		for (int i = 0; i < n; i++)
			elements[i] = PointerGetDatum(cstring_to_text(SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1)));
		if (n == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("screen: the adduct catalogue has no common %s adducts", ion_mode),
					 errhint("Pass adducts, or mark rows of chemeco.adduct as common.")));
	}
	else
	{
		if (ARR_NDIM(array) > 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("screen: adducts must be a one-dimensional array")));
		deconstruct_array(array, TEXTOID, -1, false, TYPALIGN_INT, &elements, &nulls, &n);
		for (int i = 0; i < n; i++)
			if (nulls[i])
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("screen: adducts must not contain NULL")));
		if (n == 0 || n > SCREEN_MAX_ADDUCTS)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("screen: adducts must hold 1 to %d adducts, got %d", SCREEN_MAX_ADDUCTS, n)));
	}
	screen->n_adducts = n;
	screen->adduct_names = palloc(sizeof(char *) * n);
	screen->adducts = palloc(sizeof(Adduct) * n);
	for (int i = 0; i < n; i++)
	{
		screen->adduct_names[i] = text_to_cstring(DatumGetTextPP(elements[i]));
		screening_adduct(DatumGetTextPP(elements[i]), &screen->adducts[i]);
	}
}

/* The ion of suspect s under adduct a; false when the adduct cannot apply (e.g. [M-H2O+H]+ without O). */
static bool
suspect_ion(const Screen *screen, const Suspect *suspect, int a, Formula *ion)
{
	Formula		m;
	FormulaError error;

	screening_formula(cstring_to_text(suspect->formula), &m);
	return adduct_ion(&m, &screen->adducts[a], ion, &error);
}

/* Suspect ions as they are built, in suspect order, with their m/z apart. */
typedef struct IonBuffer
{
	Ion		   *ions;
	double	   *mz;
	int			n;
	int			capacity;
} IonBuffer;

/* Appends the ions of suspect s: one per adduct that applies to its formula m. */
static void
append_ions(const Screen *screen, int s, const Formula *m, IonBuffer *buffer)
{
	for (int a = 0; a < screen->n_adducts; a++)
	{
		Formula		ion;
		FormulaError error;

		if (!adduct_ion(m, &screen->adducts[a], &ion, &error))
			continue;			/* the adduct does not apply to this formula */
		if (buffer->n == buffer->capacity)
		{
			if (buffer->capacity > INT_MAX / 4)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("screen: too many suspect ions")));
			buffer->capacity *= 2;
			buffer->ions = repalloc_huge(buffer->ions, sizeof(Ion) * buffer->capacity);
			buffer->mz = repalloc_huge(buffer->mz, sizeof(double) * buffer->capacity);
		}
		buffer->ions[buffer->n].suspect = s;
		buffer->ions[buffer->n].adduct = a;
		buffer->ions[buffer->n].pattern = NULL;
		buffer->ions[buffer->n].n_pattern = 0;
		buffer->mz[buffer->n++] = formula_mz(&ion);
	}
}

/* screen->ions and screen->ion_mz: the buffer's ions in m/z order (allocated in work; the buffer is freed). */
static void
sort_ions(Screen *screen, IonBuffer *buffer, MemoryContext work)
{
	int			n_ions = buffer->n;
	int		   *order = MemoryContextAlloc(work, sizeof(int) * (n_ions + 1));
	MemoryContext old = MemoryContextSwitchTo(work);

	ion_sort(buffer->mz, n_ions, order);
	MemoryContextSwitchTo(old);
	screen->n_ions = n_ions;
	screen->ions = MemoryContextAllocHuge(work, sizeof(Ion) * (n_ions + 1));
	screen->ion_mz = MemoryContextAllocHuge(work, sizeof(double) * (n_ions + 1));
	for (int i = 0; i < n_ions; i++)
	{
		screen->ions[i] = buffer->ions[order[i]];
		screen->ion_mz[i] = buffer->mz[order[i]];
	}
	pfree(buffer->ions);
	pfree(buffer->mz);
	pfree(order);
}

/* Reads the suspects and builds their ions, sorted by m/z. */
static void
read_suspects(Screen *screen, const char *query, MemoryContext work)
{
	Portal		portal = open_read_only("suspects", query);
	int			capacity = 1024,
				skipped = 0;
	IonBuffer	buffer;

	screen->suspects = MemoryContextAlloc(work, sizeof(Suspect) * capacity);
	buffer.capacity = 1024;
	buffer.n = 0;
	buffer.ions = MemoryContextAlloc(work, sizeof(Ion) * buffer.capacity);
	buffer.mz = MemoryContextAlloc(work, sizeof(double) * buffer.capacity);
	while (fetch_checked(portal, &suspects_shape, screen->spectrum_type) > 0)
	{
		TupleDesc	desc = SPI_tuptable->tupdesc;

		for (uint64 r = 0; r < SPI_processed; r++)
		{
			HeapTuple	tuple = SPI_tuptable->vals[r];
			MemoryContext old = MemoryContextSwitchTo(work);
			Suspect    *suspect;
			Spectrum   *ms2;
			Formula		m;
			char	   *formula = SPI_getvalue(tuple, desc, 3);

			CHECK_FOR_INTERRUPTS();
			if (formula == NULL)
			{
				skipped++;
				MemoryContextSwitchTo(old);
				continue;
			}
			if (screen->n_suspects == capacity)
			{
				capacity *= 2;
				screen->suspects = repalloc_huge(screen->suspects, sizeof(Suspect) * capacity);
			}
			suspect = &screen->suspects[screen->n_suspects];
			suspect->id = SPI_getvalue(tuple, desc, 1);
			suspect->formula = formula;
			suspect->rt = number_or_nan(tuple, desc, 4);
			ms2 = spectrum_or_null(tuple, desc, 5);
			suspect->ms2 = NULL;
			suspect->n_ms2 = 0;
			if (ms2 != NULL && ms2->npeaks > 0)
				suspect->n_ms2 = entropy_prepare_for_matching(ms2->peaks, ms2->npeaks, screen->ms2_tolerance, &suspect->ms2);
			PG_TRY();
			{
				screening_formula(cstring_to_text(formula), &m);
			}
			PG_CATCH();
			{
				MemoryContextSwitchTo(old);
				errcontext("suspect %s", suspect->id ? suspect->id : "NULL");
				PG_RE_THROW();
			}
			PG_END_TRY();
			append_ions(screen, screen->n_suspects, &m, &buffer);
			screen->n_suspects++;
			MemoryContextSwitchTo(old);
		}
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_cursor_close(portal);
	if (skipped > 0)
		ereport(NOTICE, (errmsg("screen: %d suspects without a formula skipped", skipped)));
	sort_ions(screen, &buffer, work);
}

/* Maps the named model's features to candidate inputs; ERROR for a feature screen cannot provide. */
static void
prepare_model(Screen *screen, text *name, MemoryContext work)
{
	const Model *model = model_lookup(name, 0);

	screen->model = model;
	screen->model_inputs = MemoryContextAlloc(work, sizeof(CandidateInput) * (model->n_features + 1));
	screen->model_columns = MemoryContextAlloc(work, sizeof(double) * (model->n_columns + 1));
	for (int f = 0; f < model->n_features; f++)
	{
		const ModelFeature *feature = &model->features[f];
		int			input = 0;

		while (input < N_INPUTS && strcmp(input_names[input], feature->name) != 0)
			input++;
		if (input == N_INPUTS)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("screen: model \"%s\" takes feature \"%s\", which screen does not provide",
							text_to_cstring(name), feature->name),
					 errhint("Screen provides mz, mz_error_ppm, abs_mz_error_ppm, rt_error, abs_rt_error, isotope_score, "
							 "ms2_score, intensity (numeric), level and adduct (categorical).")));
		if ((input >= INPUT_LEVEL) != (feature->kind == FEATURE_CATEGORICAL))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("screen: feature \"%s\" of model \"%s\" must be %s", feature->name, text_to_cstring(name),
							input >= INPUT_LEVEL ? "categorical" : "numeric")));
		screen->model_inputs[f] = (CandidateInput) input;
	}
}

static double
candidate_probability(const Screen *screen, const Candidate *c, const char *level)
{
	const Model *model = screen->model;

	for (int f = 0; f < model->n_features; f++)
	{
		CandidateInput input = screen->model_inputs[f];
		const char *category = input == INPUT_LEVEL ? level :
			input == INPUT_ADDUCT ? screen->adduct_names[screen->ions[c->ion].adduct] : NULL;

		if (category != NULL)
			model_encode_category(model, f, category, strlen(category), screen->model_columns);
		else if (isnan(c->inputs[input]))
			model_encode_missing(model, f, screen->model_columns);
		else
			model_encode_number(model, f, c->inputs[input], screen->model_columns);
	}
	return model_predict_columns(model, screen->model_columns);
}

/* The ion's isotope pattern, computed on first use in the work context. */
static const Ion *
ion_with_pattern(Screen *screen, int i, MemoryContext work)
{
	Ion		   *ion = &screen->ions[i];

	if (ion->pattern == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(work);
		Formula		formula;

		if (!suspect_ion(screen, &screen->suspects[ion->suspect], ion->adduct, &formula))
			elog(ERROR, "screen: the ion of a candidate no longer builds");
		ion->n_pattern = isotope_pattern(&formula, SCREEN_PATTERN_MERGE_MZ, SCREEN_PATTERN_MIN_INTENSITY, &ion->pattern);
		MemoryContextSwitchTo(old);
	}
	return ion;
}

static Datum
float_or_null(double value, bool *isnull)
{
	*isnull = isnan(value);
	return Float8GetDatum(*isnull ? 0 : value);
}

/* Scores the candidates of one feature row and appends them to the result. */
static long
screen_feature(Screen *screen, HeapTuple tuple, TupleDesc desc, ReturnSetInfo *rsinfo, MemoryContext work)
{
	char	   *feature_id = SPI_getvalue(tuple, desc, 1);
	double		feature_mz = number_or_nan(tuple, desc, 2);
	double		feature_rt = number_or_nan(tuple, desc, 3);
	double		intensity = number_or_nan(tuple, desc, 4);
	Spectrum   *ms1 = spectrum_or_null(tuple, desc, 5);
	Spectrum   *feature_ms2 = spectrum_or_null(tuple, desc, 6);
	Peak	   *prepared_ms2 = NULL;
	Candidate  *candidates;
	double	   *isotope,
			   *ms2;
	int		   *suspect;
	ConfidenceLevel *levels;
	int			n_prepared = 0,
				first,
				last,
				n = 0;

	if (!(isfinite(feature_mz) && feature_mz > 0))
	{
		bool		isnull;

		(void) SPI_getbinval(tuple, desc, 2, &isnull);
		ereport(ERROR,
				(errcode(isnull ? ERRCODE_NULL_VALUE_NOT_ALLOWED : ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("screen: feature %s has m/z %s: it must be a finite number > 0",
						feature_id ? feature_id : "NULL", isnull ? "NULL" : psprintf("%g", feature_mz))));
	}
	ion_window(screen->ion_mz, screen->n_ions, feature_mz, screen->ppm, &first, &last);
	candidates = palloc(sizeof(Candidate) * (last - first + 1));
	isotope = palloc(sizeof(double) * (last - first + 1));
	ms2 = palloc(sizeof(double) * (last - first + 1));
	suspect = palloc(sizeof(int) * (last - first + 1));
	levels = palloc(sizeof(ConfidenceLevel) * (last - first + 1));
	if (feature_ms2 != NULL && feature_ms2->npeaks > 0 && first < last)
		n_prepared = entropy_prepare_for_matching(feature_ms2->peaks, feature_ms2->npeaks, screen->ms2_tolerance,
												  &prepared_ms2);
	for (int i = first; i < last; i++)
	{
		const Ion  *ion = &screen->ions[i];
		const Suspect *s = &screen->suspects[ion->suspect];
		Candidate  *c = &candidates[n];
		double		rt_error = feature_rt - s->rt;
		int			matches;

		if (!isnan(screen->rt_window) && fabs(rt_error) > screen->rt_window)
			continue;
		c->ion = i;
		c->inputs[INPUT_MZ] = screen->ion_mz[i];
		c->inputs[INPUT_MZ_ERROR_PPM] = mass_error_ppm(feature_mz, screen->ion_mz[i]);
		c->inputs[INPUT_ABS_MZ_ERROR_PPM] = fabs(c->inputs[INPUT_MZ_ERROR_PPM]);
		c->inputs[INPUT_RT_ERROR] = rt_error;
		c->inputs[INPUT_ABS_RT_ERROR] = fabs(rt_error);
		c->inputs[INPUT_ISOTOPE_SCORE] = NAN;
		if (ms1 != NULL && ms1->npeaks > 0)
		{
			const Ion  *patterned = ion_with_pattern(screen, i, work);

			if (patterned->n_pattern > 0)
				c->inputs[INPUT_ISOTOPE_SCORE] = isotope_score(ms1->peaks, ms1->npeaks, patterned->pattern,
															   patterned->n_pattern, screen->ppm, screen->intensity_error);
		}
		c->inputs[INPUT_MS2_SCORE] = n_prepared > 0 && s->n_ms2 > 0 ?
			entropy_similarity_prepared(prepared_ms2, n_prepared, s->ms2, s->n_ms2,
										mz_tolerance_da(screen->ms2_tolerance), &matches) : NAN;
		c->inputs[INPUT_INTENSITY] = intensity;
		isotope[n] = c->inputs[INPUT_ISOTOPE_SCORE];
		ms2[n] = c->inputs[INPUT_MS2_SCORE];
		suspect[n] = ion->suspect;
		n++;
	}
	candidate_levels(isotope, ms2, suspect, n, &screen->thresholds, levels);
	for (int k = 0; k < n; k++)
	{
		const Candidate *c = &candidates[k];
		const Ion  *ion = &screen->ions[c->ion];
		const char *level = confidence_level_name(levels[k]);
		Datum		values[10];
		bool		nulls[10] = {false};

		values[0] = CStringGetTextDatum(feature_id ? feature_id : "");
		nulls[0] = feature_id == NULL;
		values[1] = CStringGetTextDatum(screen->suspects[ion->suspect].id ? screen->suspects[ion->suspect].id : "");
		nulls[1] = screen->suspects[ion->suspect].id == NULL;
		values[2] = CStringGetTextDatum(screen->adduct_names[ion->adduct]);
		values[3] = Float8GetDatum(c->inputs[INPUT_MZ]);
		values[4] = Float8GetDatum(c->inputs[INPUT_MZ_ERROR_PPM]);
		values[5] = float_or_null(c->inputs[INPUT_RT_ERROR], &nulls[5]);
		values[6] = float_or_null(c->inputs[INPUT_ISOTOPE_SCORE], &nulls[6]);
		values[7] = float_or_null(c->inputs[INPUT_MS2_SCORE], &nulls[7]);
		values[8] = CStringGetTextDatum(level);
		values[9] = screen->model ? Float8GetDatum(candidate_probability(screen, c, level)) : (Datum) 0;
		nulls[9] = screen->model == NULL;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return n;
}

/* Streams the features and screens each against the sorted ions. */
static void
run_features(Screen *screen, const char *query, ReturnSetInfo *rsinfo, MemoryContext work)
{
	Portal		portal = open_read_only("features", query);
	MemoryContext row_context = AllocSetContextCreate(work, "screen feature", ALLOCSET_DEFAULT_SIZES);
	long		n_features = 0,
				n_candidates = 0;

	while (fetch_checked(portal, &features_shape, screen->spectrum_type) > 0)
	{
		TupleDesc	desc = SPI_tuptable->tupdesc;

		for (uint64 r = 0; r < SPI_processed; r++)
		{
			MemoryContext old = MemoryContextSwitchTo(row_context);

			CHECK_FOR_INTERRUPTS();
			n_candidates += screen_feature(screen, SPI_tuptable->vals[r], desc, rsinfo, work);
			MemoryContextSwitchTo(old);
			MemoryContextReset(row_context);
			if (++n_features % SCREEN_PROGRESS_EVERY == 0)
			{
				ereport(NOTICE, (errmsg("screen: %ld features, %ld candidates", n_features, n_candidates)));
				chemeco_progress("screen", "%ld features, %ld candidates", n_features, n_candidates);
			}
		}
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_cursor_close(portal);
}

/*
 * screen(features text, suspects text, adducts text[], ppm float8, ion_mode text,
 *        rt_window float8, model text, ms2_match float8, ms2_evidence float8,
 *        isotope_threshold float8, intensity_error float8, ms2_tolerance float8)
 */
Datum
screen_sql(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *features = text_argument(fcinfo, 0, "features");
	char	   *suspects = text_argument(fcinfo, 1, "suspects");
	char	   *ion_mode = text_argument(fcinfo, 4, "ion_mode");
	Oid			schema_oid = get_func_namespace(fcinfo->flinfo->fn_oid);
	const char *schema = quote_identifier(get_namespace_name(schema_oid));
	Screen	   *screen = palloc0(sizeof(Screen));
	MemoryContext work;
	volatile bool was_read_only;

	screen->ppm = float_argument(fcinfo, 3, "ppm");
	check_number(screen->ppm, 0, SCREEN_MAX_PPM, true, "ppm");
	screen->rt_window = PG_ARGISNULL(5) ? NAN : PG_GETARG_FLOAT8(5);
	if (!PG_ARGISNULL(5))
		check_number(screen->rt_window, 0, HUGE_VAL, false, "rt_window");
	screen->thresholds.ms2_match = float_argument(fcinfo, 7, "ms2_match");
	screen->thresholds.ms2_evidence = float_argument(fcinfo, 8, "ms2_evidence");
	screen->thresholds.isotope = float_argument(fcinfo, 9, "isotope_threshold");
	check_number(screen->thresholds.ms2_match, 0, 1, false, "ms2_match");
	check_number(screen->thresholds.ms2_evidence, 0, screen->thresholds.ms2_match, false, "ms2_evidence");
	check_number(screen->thresholds.isotope, 0, 1, false, "isotope_threshold");
	screen->intensity_error = float_argument(fcinfo, 10, "intensity_error");
	check_number(screen->intensity_error, 0, HUGE_VAL, true, "intensity_error");
	screen->ms2_tolerance = float_argument(fcinfo, 11, "ms2_tolerance");
	check_number(screen->ms2_tolerance, 0, 1, true, "ms2_tolerance");
	if (strcmp(ion_mode, "positive") != 0 && strcmp(ion_mode, "negative") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("screen: ion_mode must be 'positive' or 'negative', not \"%s\"", ion_mode)));
	screen->spectrum_type = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum("spectrum"),
											ObjectIdGetDatum(schema_oid));

	InitMaterializedSRF(fcinfo, 0);
	work = AllocSetContextCreate(CurrentMemoryContext, "screen", ALLOCSET_DEFAULT_SIZES);

	/*
	 * The queries, and whatever they call, see a read-only transaction.  The
	 * flag behind transaction_read_only is set directly and restored on every
	 * exit (PostgreSQL 18 refuses the setting inside a function); an ERROR
	 * that escapes aborts the transaction, which resets it anyway.
	 */
	was_read_only = XactReadOnly;
	XactReadOnly = true;
	PG_TRY();
	{
		SPI_connect();
		{
			MemoryContext spi = MemoryContextSwitchTo(work);

			read_adducts(screen, PG_ARGISNULL(2) ? NULL : PG_GETARG_ARRAYTYPE_P(2), ion_mode, schema);
			MemoryContextSwitchTo(spi);
		}
		if (!PG_ARGISNULL(6))
			prepare_model(screen, PG_GETARG_TEXT_PP(6), work);
		read_suspects(screen, suspects, work);
		if (screen->n_ions > 0)
			run_features(screen, features, rsinfo, work);
		SPI_finish();
	}
	PG_FINALLY();
	{
		XactReadOnly = was_read_only;
	}
	PG_END_TRY();
	chemeco_progress_done();
	MemoryContextDelete(work);
	PG_RETURN_NULL();
}
