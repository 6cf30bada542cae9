/*
 * fuzz_model_json.c: libFuzzer target for the model document readers
 * (src/model/xgboost_json.c, src/model/chemeco_json_read.c) and the
 * chemeco-json writer.
 *
 * Every input is tried as both an XGBoost and a chemeco-json document.  A
 * model that parses is scored on a few rows (missing, NaN, huge and
 * ordinary values, known and unknown categories), written as chemeco-json,
 * and the export must read back and score exactly the same.
 */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "json_fields.h"
#include "model_json.h"

#define N_ROWS 5

/* Row r of a small fixed set of inputs, encoded as the server would. */
static void
encode_row(const Model *model, int row, double *columns)
{
	static const double numbers[N_ROWS] = {0.0, 0.5, -1e300, NAN, 1e30};

	for (int c = 0; c < model->n_columns; c++)
		columns[c] = NAN;
	for (int f = 0; f < model->n_features; f++)
	{
		const ModelFeature *feature = &model->features[f];

		if (feature->first_column < 0 || feature->first_column >= model->n_columns)
			abort();
		if (row == 0)
			model_encode_missing(model, f, columns);
		else if (feature->kind == FEATURE_NUMERIC)
			model_encode_number(model, f, numbers[row], columns);
		else
		{
			const char *category = "not a category";

			if (feature->n_categories < 1 ||
				feature->first_column + feature->n_categories > model->n_columns)
				abort();
			if (row % 2 == 1)
				category = feature->categories[(row / 2) % feature->n_categories];
			model_encode_category(model, f, category, strlen(category), columns);
		}
	}
}

static void
score(const Model *model, double *predictions)
{
	double	   *columns = kernel_alloc_array(model->n_columns > 0 ? model->n_columns : 1, sizeof(double));

	for (int r = 0; r < N_ROWS; r++)
	{
		encode_row(model, r, columns);
		predictions[r] = model_predict_columns(model, columns);
	}
	kernel_free(columns);
}

static Model *
parse(const char *text, size_t len, int xgboost)
{
	json_error_t json_error;
	json_t	   *root;
	Model	   *model;
	char		error[MODEL_ERROR_LEN];

	/* the flags of model_parse_document (src/model/pg_model_parse_document.c) */
	root = json_loadb(text, len, MODEL_JSON_DECODE_FLAGS, &json_error);
	if (root == NULL)
		return NULL;
	error[0] = '\0';
	model = xgboost ? model_from_xgboost_json(root, error) : model_from_chemeco_json(root, error);
	json_decref(root);
	/* a rejected document always says why, with its JSON path */
	if (model == NULL && (error[0] == '\0' || strnlen(error, MODEL_ERROR_LEN) == MODEL_ERROR_LEN))
		abort();
	return model;
}

static void
check_round_trip(const Model *model)
{
	double		before[N_ROWS];
	double		after[N_ROWS];
	char	   *exported;
	Model	   *reread;

	score(model, before);
	exported = model_to_chemeco_json(model, NULL);
	reread = parse(exported, strlen(exported), 0);
	if (reread == NULL)
		abort();
	if (reread->algorithm != model->algorithm || reread->link != model->link ||
		reread->n_features != model->n_features || reread->n_columns != model->n_columns)
		abort();
	score(reread, after);
	for (int r = 0; r < N_ROWS; r++)
		if (!(before[r] == after[r] || (isnan(before[r]) && isnan(after[r]))))
			abort();
	model_free(reread);
	kernel_free(exported);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int xgboost = 0; xgboost <= 1; xgboost++)
	{
		Model	   *model = parse((const char *) data, size, xgboost);

		if (model != NULL)
		{
			check_round_trip(model);
			model_free(model);
		}
	}
	return 0;
}
