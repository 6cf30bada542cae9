/*
 * pg_train.c: chemeco.train_document(algorithm, data, target, params), the
 * engine of chemeco.train(): runs the data query through SPI with the
 * caller's rights, encodes its columns, trains, evaluates on a seeded
 * hold-out and returns the chemeco-json document with its metrics
 * (regression metrics, or log-loss, ROC AUC and Brier score for 'logistic').
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

#include "model_json.h"
#include "pg_data_query.h"
#include "pg_model.h"
#include "pg_numeric.h"
#include "pg_progress.h"
#include "train.h"

PG_FUNCTION_INFO_V1(model_train_document);

typedef struct TrainOptions
{
	TreeParams	trees;
	double		lambda;
	double		test_fraction;
	bool		max_features_given;
} TrainOptions;

static double
option_number(JsonbValue *value, const char *key)
{
	if (value->type != jbvNumeric)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("parameter \"%s\" must be a number", key)));
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(value->val.numeric)));
}

static int
option_integer(double value, const char *key, int min, int max)
{
	if (!(value >= min && value <= max && value == floor(value)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("parameter \"%s\" must be an integer in [%d, %d], got %g", key, min, max, value)));
	return (int) value;
}

static double
option_fraction(double value, const char *key, double min, bool min_inclusive, double max)
{
	if (!((min_inclusive ? value >= min : value > min) && value <= max))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("parameter \"%s\" must be in %s%g, %g], got %g", key, min_inclusive ? "[" : "(", min, max, value)));
	return value;
}

static TrainOptions
read_options(Jsonb *params, ModelAlgorithm algorithm)
{
	TrainOptions options;
	JsonbIterator *it;
	JsonbValue	key,
				value;
	JsonbIteratorToken token;

	memset(&options, 0, sizeof(options));
	options.trees.n_trees = 100;
	options.trees.max_depth = 6;
	options.trees.min_samples_leaf = 1;
	options.trees.learning_rate = 0.1;
	options.trees.subsample = 1.0;
	options.trees.max_features = 1.0;
	options.trees.lambda = 1.0;
	options.trees.seed = 42;
	options.trees.progress_every = 10;
	options.lambda = 1.0;
	options.test_fraction = 0.25;

	if (!JB_ROOT_IS_OBJECT(params))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("params must be a jsonb object")));
	it = JsonbIteratorInit(&params->root);
	while ((token = JsonbIteratorNext(&it, &key, false)) != WJB_DONE)
	{
		char	   *name;
		double		number;

		if (token != WJB_KEY)
			continue;
		name = pnstrdup(key.val.string.val, key.val.string.len);
		token = JsonbIteratorNext(&it, &value, true);
		number = option_number(&value, name);
		if (strcmp(name, "n_trees") == 0)
			options.trees.n_trees = option_integer(number, name, 1, 100000);
		else if (strcmp(name, "max_depth") == 0)
			options.trees.max_depth = option_integer(number, name, 1, TRAIN_MAX_DEPTH);
		else if (strcmp(name, "min_samples_leaf") == 0)
			options.trees.min_samples_leaf = option_integer(number, name, 1, INT_MAX);
		else if (strcmp(name, "learning_rate") == 0)
			options.trees.learning_rate = option_fraction(number, name, 0, false, 1);
		else if (strcmp(name, "subsample") == 0)
			options.trees.subsample = option_fraction(number, name, 0, false, 1);
		else if (strcmp(name, "max_features") == 0)
		{
			options.trees.max_features = option_fraction(number, name, 0, false, 1);
			options.max_features_given = true;
		}
		else if (strcmp(name, "lambda") == 0)
		{
			if (!(number >= 0 && isfinite(number)))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("parameter \"lambda\" must be a finite number >= 0, got %g", number)));
			options.lambda = options.trees.lambda = number;
		}
		else if (strcmp(name, "seed") == 0)
			options.trees.seed = (uint64_t) option_integer(number, name, 0, INT_MAX);
		else if (strcmp(name, "test_fraction") == 0)
			options.test_fraction = option_fraction(number, name, 0, true, 0.9);
		else if (strcmp(name, "progress_every") == 0)
			options.trees.progress_every = option_integer(number, name, 1, INT_MAX);
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown training parameter \"%s\"", name),
					 errhint("Known parameters: n_trees, max_depth, learning_rate, min_samples_leaf, subsample, "
							 "max_features, lambda, seed, test_fraction, progress_every.")));
	}
	/* a forest decorrelates its trees by trying a third of the columns per split */
	if (algorithm == MODEL_RANDOM_FOREST && !options.max_features_given)
		options.trees.max_features = 1.0 / 3.0;
	return options;
}

static bool
is_text_type(Oid type)
{
	return type == TEXTOID || type == VARCHAROID || type == BPCHAROID || type == NAMEOID;
}

static int
compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The categories of a text column: sorted distinct non-null values of the training rows. */
static void
collect_categories(ModelFeature *feature, int attno, const uint8_t *is_test)
{
	char	  **values = palloc(sizeof(char *) * (SPI_processed + 1));
	int			n = 0;

	for (uint64 r = 0; r < SPI_processed; r++)
	{
		char	   *value;

		if (is_test[r])
			continue;
		value = SPI_getvalue(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, attno);
		if (value != NULL)
			values[n++] = value;
	}
	qsort(values, n, sizeof(char *), compare_strings);
	feature->categories = palloc(sizeof(char *) * (n + 1));
	feature->n_categories = 0;
	for (int i = 0; i < n; i++)
		if (i == 0 || strcmp(values[i], values[i - 1]) != 0)
			feature->categories[feature->n_categories++] = values[i];
	if (feature->n_categories == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("column \"%s\" has no values in the training rows", feature->name)));
}

/* Encodes row r into columns (stride apart, so both row- and column-major layouts work). */
static void
encode_row(const Model *model, const int *attnos, const Oid *types, uint64 r, double *columns, size_t stride)
{
	HeapTuple	tuple = SPI_tuptable->vals[r];
	TupleDesc	desc = SPI_tuptable->tupdesc;

	for (int f = 0; f < model->n_features; f++)
	{
		const ModelFeature *feature = &model->features[f];
		bool		isnull;
		Datum		datum = SPI_getbinval(tuple, desc, attnos[f], &isnull);

		if (isnull)
		{
			int			width = feature->kind == FEATURE_NUMERIC ? 1 : feature->n_categories;

			for (int k = 0; k < width; k++)
				columns[(feature->first_column + k) * stride] = NAN;
		}
		else if (feature->kind == FEATURE_NUMERIC)
			columns[feature->first_column * stride] = chemeco_datum_number(datum, types[f]);
		else
		{
			char	   *value = SPI_getvalue(tuple, desc, attnos[f]);

			for (int k = 0; k < feature->n_categories; k++)
				columns[(feature->first_column + k) * stride] = strcmp(value, feature->categories[k]) == 0;
			pfree(value);
		}
	}
}

/* A metric as JSON: null when it is not finite (r2 of a constant target, overflowed sums). */
static const char *
json_number(double value)
{
	return isfinite(value) ? psprintf("%.17g", value) : "null";
}

/* The "metrics" member: regression metrics, or classification metrics of a logistic model. */
static char *
metrics_json(const Model *model, const double *y, const double *predicted, int n,
			 int n_train, int n_test, Jsonb *params)
{
	StringInfoData json;

	initStringInfo(&json);
	appendStringInfo(&json, "{\"evaluated_on\": \"%s\", \"n_train\": %d, \"n_test\": %d, ",
					 n_test ? "holdout" : "training", n_train, n_test);
	if (model->algorithm == MODEL_LOGISTIC)
	{
		ClassificationMetrics metrics = classification_metrics(y, predicted, n);

		appendStringInfo(&json, "\"log_loss\": %s, \"roc_auc\": %s, \"brier\": %s, ",
						 json_number(metrics.log_loss), json_number(metrics.roc_auc), json_number(metrics.brier));
	}
	else
	{
		RegressionMetrics metrics = regression_metrics(y, predicted, n);

		appendStringInfo(&json, "\"rmse\": %s, \"mae\": %s, \"r2\": %s, ",
						 json_number(metrics.rmse), json_number(metrics.mae), json_number(metrics.r2));
	}
	appendStringInfo(&json, "\"params\": %s}", JsonbToCString(NULL, &params->root, VARSIZE(params)));
	return json.data;
}

static void
report_progress(int trees_done, int n_trees, void *arg)
{
	ereport(NOTICE, (errmsg("chemeco.train: %d of %d trees", trees_done, n_trees)));
	chemeco_progress("train", "%d of %d trees", trees_done, n_trees);
}

/*
 * The training set read from the data query's result (SPI_tuptable), built
 * up by the steps of model_train_document in order.
 */
typedef struct TrainingSet
{
	Model	   *model;
	int		   *attnos;			/* per feature: its column in the result */
	Oid		   *types;			/* per feature: its column's type */
	int			target_attno;
	int			n_rows;			/* rows with a target */
	uint64	   *row_of;			/* per row with a target: its result row */
	double	   *y;				/* per row with a target: its target */
	uint8_t    *is_test;		/* per row with a target: held out */
	int			n_train;
	int			n_test;
	double	   *x;				/* training rows, column-major */
	double	   *test_y;			/* targets of the held-out rows */
} TrainingSet;

/* Features: every column but the target, numeric or categorical by type. */
static void
read_columns(TrainingSet *set, TupleDesc desc, const char *target, ModelAlgorithm algorithm)
{
	Model	   *model = model_new();

	model->algorithm = algorithm;
	model->link = algorithm == MODEL_LOGISTIC ? MODEL_LINK_LOGISTIC : MODEL_LINK_IDENTITY;
	model->features = palloc0(sizeof(ModelFeature) * desc->natts);
	set->model = model;
	set->attnos = palloc(sizeof(int) * desc->natts);
	set->types = palloc(sizeof(Oid) * desc->natts);
	set->target_attno = 0;
	for (int a = 1; a <= desc->natts; a++)
	{
		Form_pg_attribute attr = TupleDescAttr(desc, a - 1);
		ModelFeature *feature;

		if (attr->attisdropped)
			continue;
		if (strcmp(NameStr(attr->attname), target) == 0)
		{
			if (!chemeco_is_number_type(attr->atttypid) || (attr->atttypid == BOOLOID && algorithm != MODEL_LOGISTIC))
				ereport(ERROR,
						(errcode(ERRCODE_DATATYPE_MISMATCH),
						 errmsg("target column \"%s\" must be numeric%s", target,
								algorithm == MODEL_LOGISTIC ? " or boolean" : "")));
			set->target_attno = a;
			continue;
		}
		if (!chemeco_is_number_type(attr->atttypid) && !is_text_type(attr->atttypid))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("column \"%s\" of type %s can be neither a numeric nor a categorical feature",
							NameStr(attr->attname), format_type_be(attr->atttypid)),
					 errhint("Cast it to float8 or text in the query.")));
		if (model_feature_index(model, NameStr(attr->attname)) >= 0)
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_COLUMN),
					 errmsg("column \"%s\" appears twice in the data query", NameStr(attr->attname))));
		feature = &model->features[model->n_features];
		feature->name = pstrdup(NameStr(attr->attname));
		feature->kind = is_text_type(attr->atttypid) ? FEATURE_CATEGORICAL : FEATURE_NUMERIC;
		set->attnos[model->n_features] = a;
		set->types[model->n_features] = attr->atttypid;
		model->n_features++;
	}
	if (set->target_attno == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("target column \"%s\" is not in the result of the data query", target)));
	if (model->n_features == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the data query has no feature columns besides the target")));
}

/* The rows with a target, and their targets; the hold-out split is over them. */
static void
read_targets(TrainingSet *set, TupleDesc desc, const char *target, ModelAlgorithm algorithm)
{
	Oid			target_type = TupleDescAttr(desc, set->target_attno - 1)->atttypid;

	set->row_of = palloc(sizeof(uint64) * (SPI_processed + 1));
	set->y = palloc(sizeof(double) * (SPI_processed + 1));
	set->n_rows = 0;
	for (uint64 r = 0; r < SPI_processed; r++)
	{
		bool		isnull;
		Datum		datum = SPI_getbinval(SPI_tuptable->vals[r], desc, set->target_attno, &isnull);
		double		value;

		if (isnull)
			continue;
		value = chemeco_datum_number(datum, target_type);
		if (!isfinite(value))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("target \"%s\" is not finite in row %llu", target, (unsigned long long) r + 1)));
		if (algorithm == MODEL_LOGISTIC && value != 0 && value != 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("target \"%s\" of a logistic model must be 0 or 1, got %g in row %llu",
							target, value, (unsigned long long) r + 1),
					 errhint("Use a boolean target or a 0/1 column.")));
		set->row_of[set->n_rows] = r;
		set->y[set->n_rows++] = value;
	}
	if (set->n_rows < (int) SPI_processed)
		ereport(NOTICE, (errmsg("chemeco.train: %d rows with a null target skipped", (int) SPI_processed - set->n_rows)));
}

/* Marks the held-out rows (seeded) and counts both sides. */
static void
split_holdout(TrainingSet *set, const TrainOptions *options)
{
	set->is_test = palloc0(set->n_rows + 1);
	holdout_split(set->n_rows, options->test_fraction, options->trees.seed, set->is_test);
	set->n_test = 0;
	for (int i = 0; i < set->n_rows; i++)
		set->n_test += set->is_test[i];
	set->n_train = set->n_rows - set->n_test;
	if (set->n_train < 2 || (options->test_fraction > 0 && set->n_test < 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("not enough rows: %d training and %d hold-out rows", set->n_train, set->n_test)));
}

/*
 * The encoded columns: one per numeric feature, one per category of a
 * categorical one; categories come from the training rows only, like a
 * fitted encoder.  Then the limits on their number.
 */
static void
lay_out_columns(TrainingSet *set, const char *algorithm_name)
{
	Model	   *model = set->model;
	uint8_t    *spi_row_is_test = palloc(SPI_processed + 1);

	memset(spi_row_is_test, 1, SPI_processed + 1);
	for (int i = 0; i < set->n_rows; i++)
		spi_row_is_test[set->row_of[i]] = set->is_test[i];
	for (int f = 0; f < model->n_features; f++)
	{
		model->features[f].first_column = model->n_columns;
		if (model->features[f].kind == FEATURE_CATEGORICAL)
		{
			collect_categories(&model->features[f], set->attnos[f], spi_row_is_test);
			model->n_columns += model->features[f].n_categories;
		}
		else
			model->n_columns++;
	}
	if (model->n_columns > (1 << 20) || (double) model->n_columns * set->n_train > (double) (MaxAllocHugeSize / sizeof(double)))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many encoded columns (%d) for %d rows", model->n_columns, set->n_train)));

	if ((model->algorithm == MODEL_LINEAR && model->n_columns > TRAIN_MAX_LINEAR_COLUMNS) ||
		(model->algorithm == MODEL_LOGISTIC && model->n_columns > TRAIN_MAX_LOGISTIC_COLUMNS))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("'%s' takes at most %d encoded columns, the query gives %d", algorithm_name,
						model->algorithm == MODEL_LINEAR ? TRAIN_MAX_LINEAR_COLUMNS : TRAIN_MAX_LOGISTIC_COLUMNS,
						model->n_columns),
				 errhint("Each category of a text column is one column: group rare categories, or use 'gradient_boosting'.")));
}

/* x: the training rows encoded; y compacted to their targets; test_y the held-out ones. */
static void
encode_training_rows(TrainingSet *set)
{
	Model	   *model = set->model;

	set->x = palloc_extended(sizeof(double) * (size_t) model->n_columns * set->n_train, MCXT_ALLOC_HUGE);
	set->test_y = palloc(sizeof(double) * (set->n_test + 1));
	for (int i = 0, t = 0, k = 0; i < set->n_rows; i++)
	{
		if (set->is_test[i])
		{
			set->test_y[k++] = set->y[i];
			continue;
		}
		encode_row(model, set->attnos, set->types, set->row_of[i], set->x + t, set->n_train);
		set->y[t++] = set->y[i];	/* compacting in place: t <= i */
		if (t % 4096 == 0)
			CHECK_FOR_INTERRUPTS();
	}
}

/* Runs the algorithm's kernel on the training rows; the model must come out finite. */
static void
fit_model(TrainingSet *set, TrainOptions *options)
{
	Model	   *model = set->model;
	TrainData	data;
	char		error[MODEL_ERROR_LEN];
	bool		ok;

	data.n_rows = set->n_train;
	data.n_columns = model->n_columns;
	data.x = set->x;
	data.y = set->y;
	options->trees.progress = report_progress;
	if (model->algorithm == MODEL_LINEAR)
		ok = train_ridge(&data, options->lambda, &model->linear, error);
	else if (model->algorithm == MODEL_LOGISTIC)
		ok = train_logistic(&data, options->lambda, &model->linear, error);
	else if (model->algorithm == MODEL_GRADIENT_BOOSTING)
		ok = train_gradient_boosting(&data, &options->trees, &model->trees, error);
	else
		ok = train_random_forest(&data, &options->trees, &model->trees, error);
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("training failed: %s", error)));
	if (!model_is_finite(model))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("training gave a model with numbers out of range"),
				 errdetail("Tree models store thresholds and leaves as float32 (up to 3.4e38); "
						   "linear models overflow double when the target or features approach 1e308."),
				 errhint("Scale the target column (and large features) down, e.g. divide by a power of 10.")));
}

/* Predictions for the hold-out rows, or for the training rows when there are none. */
static double *
evaluation_predictions(const TrainingSet *set)
{
	const Model *model = set->model;
	double	   *row = palloc(sizeof(double) * model->n_columns);
	double	   *predicted = palloc(sizeof(double) * (set->n_rows + 1));

	if (set->n_test == 0)
	{
		for (int t = 0; t < set->n_train; t++)
		{
			for (int j = 0; j < model->n_columns; j++)
				row[j] = set->x[(size_t) j * set->n_train + t];
			predicted[t] = model_predict_columns(model, row);
		}
	}
	else
	{
		for (int i = 0, k = 0; i < set->n_rows; i++)
			if (set->is_test[i])
			{
				encode_row(model, set->attnos, set->types, set->row_of[i], row, 1);
				predicted[k++] = model_predict_columns(model, row);
			}
	}
	return predicted;
}

Datum
model_train_document(PG_FUNCTION_ARGS)
{
	char	   *algorithm_name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	char	   *query = text_to_cstring(PG_GETARG_TEXT_PP(1));
	char	   *target = text_to_cstring(PG_GETARG_TEXT_PP(2));
	Jsonb	   *params = PG_GETARG_JSONB_P(3);
	ModelAlgorithm algorithm;
	TrainOptions options;
	TrainingSet set;
	double	   *predicted;
	char	   *document;
	Datum		result;

	if (!model_algorithm_from_name(algorithm_name, &algorithm) || algorithm == MODEL_XGBOOST)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown training algorithm \"%s\"", algorithm_name),
				 errhint("Use 'linear', 'logistic', 'gradient_boosting' or 'random_forest'.")));
	options = read_options(params, algorithm);

	SPI_connect();
	chemeco_run_data_query(query, "train", 0);
	if (SPI_processed > INT_MAX / 2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many training rows: %llu", (unsigned long long) SPI_processed)));
	read_columns(&set, SPI_tuptable->tupdesc, target, algorithm);
	read_targets(&set, SPI_tuptable->tupdesc, target, algorithm);
	split_holdout(&set, &options);
	lay_out_columns(&set, algorithm_name);
	encode_training_rows(&set);
	fit_model(&set, &options);
	predicted = evaluation_predictions(&set);

	document = model_to_chemeco_json(set.model,
									 metrics_json(set.model, set.n_test ? set.test_y : set.y, predicted,
												  set.n_test ? set.n_test : set.n_train,
												  set.n_train, set.n_test, params));
	result = DirectFunctionCall1(jsonb_in, CStringGetDatum(document));
	result = SPI_datumTransfer(result, false, -1);
	SPI_finish();
	chemeco_progress_done();
	PG_RETURN_DATUM(result);
}
