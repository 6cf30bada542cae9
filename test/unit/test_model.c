/*
 * Unit tests of the model kernels: XGBoost semantics of tree scoring
 * (float32 comparisons and sums, default directions), JSON readers and their
 * error paths, the chemeco-json round trip, and the training kernels on data
 * whose answer is known in closed form.
 */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "kernel.h"
#include "json_fields.h"
#include "model_json.h"
#include "train.h"
#include "unit.h"

static Model *
parse_chemeco(const char *text, char *error)
{
	json_error_t json_error;
	json_t	   *root = json_loads(text, MODEL_JSON_DECODE_FLAGS, &json_error);
	Model	   *model;

	if (root == NULL)
	{
		strcpy(error, "invalid JSON");
		return NULL;
	}
	model = model_from_chemeco_json(root, error);
	json_decref(root);
	return model;
}

static Model *
parse_xgboost(const char *text, char *error)
{
	json_error_t json_error;
	json_t	   *root = json_loads(text, MODEL_JSON_DECODE_FLAGS, &json_error);
	Model	   *model;

	if (root == NULL)
	{
		strcpy(error, "invalid JSON");
		return NULL;
	}
	model = model_from_xgboost_json(root, error);
	json_decref(root);
	return model;
}

/* x < 0.1 -> 1 else 2 (missing right); a second stump adds 10 or 20 on column 1 (missing left) */
static const char *stumps =
"{\"format\": \"chemeco-json\", \"algorithm\": \"gradient_boosting\", \"link\": \"identity\","
" \"features\": [{\"name\": \"x\", \"type\": \"numeric\"}, {\"name\": \"z\", \"type\": \"numeric\"}],"
" \"trees\": {\"base_margin\": 0.5, \"trees\": ["
" {\"feature\": [0, 0, 0], \"threshold\": [0.1, 0, 0], \"left\": [1, -1, -1], \"right\": [2, -1, -1],"
"  \"default_left\": [0, 0, 0], \"value\": [0, 1, 2]},"
" {\"feature\": [1, 0, 0], \"threshold\": [5, 0, 0], \"left\": [1, -1, -1], \"right\": [2, -1, -1],"
"  \"default_left\": [1, 0, 0], \"value\": [0, 10, 20]}]}}";

UNIT_TEST(tree_scoring_follows_xgboost)
{
	char		error[MODEL_ERROR_LEN];
	Model	   *model = parse_chemeco(stumps, error);

	CHECK(model != NULL);
	if (!model)
		return;
	CHECK_NEAR(model_predict_columns(model, (double[]) {0.05, 1}), 11.5, 0);
	CHECK_NEAR(model_predict_columns(model, (double[]) {0.2, 7}), 22.5, 0);
	/* equal to the threshold goes right */
	CHECK_NEAR(model_predict_columns(model, (double[]) {0.2, 5}), 22.5, 0);
	/* 0.1 < (double) 0.1f, but 0.1f < 0.1f is false: float32 comparison goes right */
	CHECK(0.1 < (double) 0.1f);
	CHECK_NEAR(model_predict_columns(model, (double[]) {0.1, 1}), 12.5, 0);
	/* missing values take the default direction of each node */
	CHECK_NEAR(model_predict_columns(model, (double[]) {NAN, NAN}), 0.5 + 2 + 10, 0);
	model_free(model);
}

UNIT_TEST(float32_accumulation)
{
	/* 1e8 + 1 + 1 in float32 stays 1e8 (XGBoost sums leaves in float32) */
	char		error[MODEL_ERROR_LEN];
	const char *text =
		"{\"format\": \"chemeco-json\", \"algorithm\": \"xgboost\", \"link\": \"identity\","
		" \"features\": [{\"name\": \"x\", \"type\": \"numeric\"}], \"trees\": {\"base_margin\": 1e8, \"trees\": ["
		" {\"feature\": [0], \"threshold\": [0], \"left\": [-1], \"right\": [-1], \"default_left\": [0], \"value\": [1]},"
		" {\"feature\": [0], \"threshold\": [0], \"left\": [-1], \"right\": [-1], \"default_left\": [0], \"value\": [1]}]}}";
	Model	   *model = parse_chemeco(text, error);

	CHECK(model != NULL);
	if (model)
		CHECK_NEAR(model_predict_columns(model, (double[]) {0}), 1e8, 0);
	model_free(model);
}

/* found by test/fuzz/fuzz_model_json.c: such numbers became inf and the export "inf" was not JSON */
UNIT_TEST(float32_overflow_is_an_error)
{
	char		error[MODEL_ERROR_LEN] = "";
	char		text[1024];
	const char *tree =
		"{\"format\": \"chemeco-json\", \"algorithm\": \"xgboost\", \"link\": \"identity\","
		" \"features\": [{\"name\": \"x\", \"type\": \"numeric\"}], \"trees\": {\"base_margin\": %s, \"trees\": ["
		" {\"feature\": [0, 0, 0], \"threshold\": [%s, 0, 0], \"left\": [1, -1, -1], \"right\": [2, -1, -1],"
		" \"default_left\": [0, 0, 0], \"value\": [0, 1, %s]}]}}";
	Model	   *model;

	snprintf(text, sizeof(text), tree, "1e39", "0", "1");
	model = parse_chemeco(text, error);
	CHECK(model == NULL && strcmp(error, "trees.base_margin: 1e+39 is out of the float32 range") == 0);
	snprintf(text, sizeof(text), tree, "0", "-1e39", "1");
	model = parse_chemeco(text, error);
	CHECK(model == NULL && strstr(error, "trees.trees[0].threshold[0]: -1e+39 is out of") != NULL);
	snprintf(text, sizeof(text), tree, "0", "0", "3.5e38");
	model = parse_chemeco(text, error);
	CHECK(model == NULL && strstr(error, "trees.trees[0].value[2]: 3.5e+38 is out of") != NULL);
	/* FLT_MAX itself fits */
	snprintf(text, sizeof(text), tree, "3.40282347e38", "0", "1");
	model = parse_chemeco(text, error);
	CHECK(model != NULL);
	model_free(model);
}

UNIT_TEST(chemeco_json_round_trip)
{
	char		error[MODEL_ERROR_LEN];
	Model	   *model = parse_chemeco(stumps, error);
	char	   *text = model_to_chemeco_json(model, "{\"r2\": 1}");
	Model	   *again = parse_chemeco(text, error);

	CHECK(again != NULL);
	if (again)
	{
		CHECK_INT(again->trees.n_nodes, 6);
		CHECK(again->trees.threshold[0] == 0.1f);
		for (double x = -1; x < 1; x += 0.05)
			CHECK(model_predict_columns(model, (double[]) {x, x * 10}) ==
				  model_predict_columns(again, (double[]) {x, x * 10}));
	}
	CHECK(strstr(text, "\"metrics\": {\"r2\": 1}") != NULL);
	kernel_free(text);
	model_free(model);
	model_free(again);
}

UNIT_TEST(one_hot_encoding)
{
	char		error[MODEL_ERROR_LEN];
	const char *text =
		"{\"format\": \"chemeco-json\", \"algorithm\": \"linear\", \"link\": \"identity\","
		" \"features\": [{\"name\": \"c\", \"type\": \"categorical\", \"categories\": [\"a\", \"b\"]},"
		" {\"name\": \"x\", \"type\": \"numeric\"}],"
		" \"linear\": {\"intercept\": 1, \"coefficients\": [10, 20, 2], \"column_means\": [0.25, 0.75, 3]}}";
	Model	   *model = parse_chemeco(text, error);
	double		columns[3];

	CHECK(model != NULL);
	if (!model)
		return;
	CHECK_INT(model->n_columns, 3);
	model_encode_category(model, 0, "b", 1, columns);
	model_encode_number(model, 1, 4, columns);
	CHECK_NEAR(model_predict_columns(model, columns), 1 + 20 + 8, 1e-12);
	model_encode_category(model, 0, "bb", 2, columns);	/* unknown: all zeros */
	CHECK_NEAR(model_predict_columns(model, columns), 1 + 8, 1e-12);
	model_encode_missing(model, 0, columns);	/* missing: column means */
	model_encode_missing(model, 1, columns);
	CHECK_NEAR(model_predict_columns(model, columns), 1 + 2.5 + 15 + 6, 1e-12);
	model_free(model);
}

static const char *xgb_minimal =
"{\"learner\": {\"feature_names\": [\"a=x\", \"a=y\", \"m\"],"
" \"learner_model_param\": {\"base_score\": \"5E-1\", \"num_feature\": \"3\", \"num_class\": \"0\"},"
" \"objective\": {\"name\": \"binary:logistic\"},"
" \"gradient_booster\": {\"name\": \"gbtree\", \"model\": {\"tree_info\": [0], \"trees\": ["
" {\"tree_param\": {\"num_nodes\": \"3\"}, \"left_children\": [1, -1, -1], \"right_children\": [2, -1, -1],"
"  \"split_indices\": [2, 0, 0], \"split_conditions\": [1.5, -0.25, 0.75], \"default_left\": [1, 0, 0],"
"  \"split_type\": [0, 0, 0]}]}}}, \"version\": [1, 7, 4]}";

UNIT_TEST(xgboost_minimal_model)
{
	char		error[MODEL_ERROR_LEN];
	Model	   *model = parse_xgboost(xgb_minimal, error);

	CHECK(model != NULL);
	if (!model)
		return;
	CHECK_INT(model->n_features, 2);
	CHECK(strcmp(model->features[0].name, "a") == 0 && model->features[0].n_categories == 2);
	CHECK(strcmp(model->features[1].name, "m") == 0 && model->features[1].first_column == 2);
	/* base_score 0.5 is margin 0; leaves are the split_conditions of leaf nodes */
	CHECK_NEAR(model_predict_columns(model, (double[]) {0, 0, 1}), 1 / (1 + exp(0.25)), 1e-7);
	CHECK_NEAR(model_predict_columns(model, (double[]) {0, 0, NAN}), 1 / (1 + exp(0.25)), 1e-7);
	CHECK_NEAR(model_predict_columns(model, (double[]) {0, 0, 2}), 1 / (1 + exp(-0.75)), 1e-7);
	model_free(model);
}

static void
check_xgboost_error(const char *from, const char *to, const char *expected)
{
	char		error[MODEL_ERROR_LEN] = "";
	char		text[2048];
	const char *at = strstr(xgb_minimal, from);
	Model	   *model;

	CHECK(at != NULL);
	if (!at)
		return;
	snprintf(text, sizeof(text), "%.*s%s%s", (int) (at - xgb_minimal), xgb_minimal, to, at + strlen(from));
	model = parse_xgboost(text, error);
	CHECK(model == NULL);
	if (strstr(error, expected) == NULL)
		unit_fail(__FILE__, __LINE__, "error \"%s\" lacks \"%s\"", error, expected);
	model_free(model);
}

UNIT_TEST(xgboost_2_1_vector_base_score)
{
	char		error[MODEL_ERROR_LEN];
	char		text[2048];
	const char *at = strstr(xgb_minimal, "\"5E-1\"");
	Model	   *model;

	snprintf(text, sizeof(text), "%.*s\"[7.5E-1]\"%s", (int) (at - xgb_minimal), xgb_minimal, at + 6);
	model = parse_xgboost(text, error);
	CHECK(model != NULL);
	if (model)
		CHECK_NEAR(model->trees.base_margin, log(3.0), 1e-6);	/* logit(0.75) */
	model_free(model);
}

UNIT_TEST(xgboost_errors_name_the_path)
{
	check_xgboost_error("binary:logistic", "rank:pairwise", "learner.objective.name: unsupported objective");
	check_xgboost_error("\"split_indices\": [2,", "\"split_indices\": [3,",
						"learner.gradient_booster.model.trees[0].split_indices[0]: 3 is out of range");
	check_xgboost_error("\"default_left\": [1,", "\"default_left\": [2,",
						"learner.gradient_booster.model.trees[0].default_left[0]");
	check_xgboost_error("\"split_type\": [0,", "\"split_type\": [1,",
						"trees[0].split_type[0]: categorical splits are not supported");
	check_xgboost_error("\"num_nodes\": \"3\"", "\"num_nodes\": \"4\"",
						"trees[0].left_children: 3 elements, tree_param.num_nodes says 4");
	check_xgboost_error("\"left_children\": [1,", "\"left_children\": [0,", "trees[0] node 0");
	check_xgboost_error("\"num_class\": \"0\"", "\"num_class\": \"3\"", "num_class: multi-class");
	check_xgboost_error("\"5E-1\"", "\"1\"", "base_score: 1 is not a probability");
	check_xgboost_error("\"5E-1\"", "\"1E-45\"", "base_score: 1e-45 is not a probability");
	check_xgboost_error("[1.5, -0.25, 0.75]", "[1.5, -0.25, 1E39]",
						"trees[0].split_conditions[2]: 1e+39 is out of the float32 range");
	check_xgboost_error("\"5E-1\"", "\"[5E-1,1]\"", "base_score: \"[5E-1,1]\" is not a single number");
	check_xgboost_error("\"m\"]", "\"a\"]", "learner.feature_names[2]: feature \"a\"");
	/* found by test/fuzz/fuzz_model_json.c: an empty name made an export that did not read back */
	check_xgboost_error("\"m\"]", "\"=m\"]", "learner.feature_names[2]: \"=m\" has an empty feature name");
}

UNIT_TEST(ridge_recovers_exact_line)
{
	double		x[] = {1, 2, 3, 4, 5, NAN, 0.5, 1, 0, 2, 1, 0};
	double		y[6];
	TrainData	data = {6, 2, x, y};
	LinearModel linear;
	char		error[MODEL_ERROR_LEN];

	/* y = 1 + 2 x1 - 3 x2 on the complete rows; row 6 misses x1 (mean 3) */
	for (int i = 0; i < 6; i++)
		y[i] = 1 + 2 * (isnan(x[i]) ? 3 : x[i]) - 3 * x[6 + i];
	CHECK(train_ridge(&data, 0, &linear, error));
	CHECK_NEAR(linear.coefficients[0], 2, 1e-9);
	CHECK_NEAR(linear.coefficients[1], -3, 1e-9);
	CHECK_NEAR(linear.intercept, 1, 1e-9);
	CHECK_NEAR(linear.column_means[0], 3, 1e-12);
	kernel_free(linear.coefficients);
	kernel_free(linear.column_means);
	/* a penalty shrinks the slopes */
	CHECK(train_ridge(&data, 10, &linear, error));
	CHECK(fabs(linear.coefficients[0]) < 2 && fabs(linear.coefficients[1]) < 3);
	kernel_free(linear.coefficients);
	kernel_free(linear.column_means);
}

UNIT_TEST(ridge_singular_is_an_error)
{
	double		x[] = {1, 2, 3, 4, 1, 2, 3, 4};
	double		y[] = {1, 2, 3, 4};
	TrainData	data = {4, 2, x, y};
	LinearModel linear;
	char		error[MODEL_ERROR_LEN];

	CHECK(!train_ridge(&data, 0, &linear, error));
	CHECK(strstr(error, "singular") != NULL);
	kernel_free(linear.coefficients);
	kernel_free(linear.column_means);
}

static void
step_data(double *x, double *y, int n)
{
	for (int i = 0; i < n; i++)
	{
		x[i] = i % 10 == 0 ? NAN : (double) i / n;	/* missing rows have y = 5 */
		y[i] = isnan(x[i]) ? 5 : (x[i] < 0.5 ? 1 : 3);
	}
}

UNIT_TEST(boosting_fits_a_step_and_learns_missing_direction)
{
	enum
	{
		N = 200
	};
	double		x[N],
				y[N];
	TrainData	data = {N, 1, x, y};
	TreeParams	params = {.n_trees = 50, .max_depth = 2, .min_samples_leaf = 1, .learning_rate = 0.5,
	.subsample = 1, .max_features = 1, .lambda = 0, .seed = 1};
	TreeEnsemble trees,
				again;
	Model		model = {.algorithm = MODEL_GRADIENT_BOOSTING, .n_columns = 1};
	char		error[MODEL_ERROR_LEN];

	step_data(x, y, N);
	CHECK(train_gradient_boosting(&data, &params, &trees, error));
	CHECK(tree_ensemble_validate(&trees, 1, "trees", error));
	model.trees = trees;
	CHECK_NEAR(model_predict_columns(&model, (double[]) {0.2}), 1, 1e-4);
	CHECK_NEAR(model_predict_columns(&model, (double[]) {0.8}), 3, 1e-4);
	CHECK_NEAR(model_predict_columns(&model, (double[]) {NAN}), 5, 1e-4);
	tree_ensemble_free(&trees);
	/* deterministic: the same seed gives the same trees */
	params.subsample = 0.7;
	CHECK(train_gradient_boosting(&data, &params, &trees, error));
	CHECK(train_gradient_boosting(&data, &params, &again, error));
	CHECK_INT(trees.n_nodes, again.n_nodes);
	CHECK(memcmp(trees.leaf_value, again.leaf_value, trees.n_nodes * sizeof(float)) == 0);
	CHECK(memcmp(trees.threshold, again.threshold, trees.n_nodes * sizeof(float)) == 0);
	tree_ensemble_free(&trees);
	tree_ensemble_free(&again);
}

UNIT_TEST(forest_averages_trees)
{
	enum
	{
		N = 300
	};
	double		x[N],
				y[N];
	TrainData	data = {N, 1, x, y};
	TreeParams	params = {.n_trees = 20, .max_depth = 4, .min_samples_leaf = 5, .learning_rate = 0.1,
	.subsample = 1, .max_features = 1, .lambda = 1, .seed = 3};
	TreeEnsemble trees;
	Model		model = {.algorithm = MODEL_RANDOM_FOREST, .n_columns = 1};
	char		error[MODEL_ERROR_LEN];

	step_data(x, y, N);
	CHECK(train_random_forest(&data, &params, &trees, error));
	model.trees = trees;
	CHECK_NEAR(model_predict_columns(&model, (double[]) {0.1}), 1, 1e-5);
	CHECK_NEAR(model_predict_columns(&model, (double[]) {0.9}), 3, 1e-5);
	tree_ensemble_free(&trees);
	params.max_depth = 99;
	CHECK(!train_random_forest(&data, &params, &trees, error));
}

UNIT_TEST(holdout_and_metrics)
{
	uint8_t		a[100],
				b[100];
	int			n_test = 0;
	double		y[] = {1, 2, 3, 4};
	double		p[] = {1, 2, 3, 6};
	RegressionMetrics m = regression_metrics(y, p, 4);

	holdout_split(100, 0.25, 9, a);
	holdout_split(100, 0.25, 9, b);
	for (int i = 0; i < 100; i++)
		n_test += a[i];
	CHECK_INT(n_test, 25);
	CHECK(memcmp(a, b, 100) == 0);
	/* residuals 0, 0, 0, -2: RMSE 1, MAE 0.5, R² 1 - 4 / 5 */
	CHECK_NEAR(m.rmse, 1, 1e-12);
	CHECK_NEAR(m.mae, 0.5, 1e-12);
	CHECK_NEAR(m.r2, 0.2, 1e-12);
}

UNIT_TEST(packing_handles_any_node_order)
{
	/*
	 * Depth-first numbering with the right child first: root (x < 0) -> right 1, left 4;
	 * node 1 (x < 10) -> left 3 (value 2), right 2 (value 3); node 4 is a leaf (value 1).
	 * Expected: x < 0 -> 1, 0 <= x < 10 -> 2, x >= 10 -> 3, missing -> default of node 0 (right)
	 * then of node 1 (left) -> 2.
	 */
	char		error[MODEL_ERROR_LEN];
	const char *text =
		"{\"format\": \"chemeco-json\", \"algorithm\": \"gradient_boosting\", \"link\": \"identity\","
		" \"features\": [{\"name\": \"x\", \"type\": \"numeric\"}], \"trees\": {\"base_margin\": 0, \"trees\": ["
		" {\"feature\": [0, 0, 0, 0, 0], \"threshold\": [0, 10, 0, 0, 0], \"left\": [4, 3, -1, -1, -1],"
		"  \"right\": [1, 2, -1, -1, -1], \"default_left\": [0, 1, 0, 0, 0], \"value\": [0, 0, 3, 2, 1]}]}}";
	Model	   *model = parse_chemeco(text, error);

	CHECK(model != NULL);
	if (!model)
		return;
	CHECK_NEAR(model_predict_columns(model, (double[]) {-5}), 1, 0);
	CHECK_NEAR(model_predict_columns(model, (double[]) {5}), 2, 0);
	CHECK_NEAR(model_predict_columns(model, (double[]) {50}), 3, 0);
	CHECK_NEAR(model_predict_columns(model, (double[]) {NAN}), 2, 0);
	/* the packed layout puts children side by side */
	for (int n = 0; n < model->trees.n_nodes; n++)
		if (model->trees.packed[n].feature >= 0)
			CHECK(model->trees.packed[n].left > n && model->trees.packed[n].left + 1 < model->trees.n_nodes);
	model_free(model);
}

UNIT_TEST(shared_children_are_rejected)
{
	/*
	 * left = right at every level: a chain of 40 nodes that reaches 2^39
	 * paths; packing it would place nodes once per parent, past the 40 slots.
	 */
	char		error[MODEL_ERROR_LEN] = "";
	char		text[4096];
	char		children[512] = "",
				zeros[512] = "";
	Model	   *model;

	for (int n = 0; n < 40; n++)
	{
		snprintf(children + strlen(children), sizeof(children) - strlen(children), "%s%d", n ? ", " : "", n < 39 ? n + 1 : -1);
		snprintf(zeros + strlen(zeros), sizeof(zeros) - strlen(zeros), "%s0", n ? ", " : "");
	}
	snprintf(text, sizeof(text),
			 "{\"format\": \"chemeco-json\", \"algorithm\": \"gradient_boosting\", \"link\": \"identity\","
			 " \"features\": [{\"name\": \"x\", \"type\": \"numeric\"}], \"trees\": {\"base_margin\": 0, \"trees\": ["
			 " {\"feature\": [%s], \"threshold\": [%s], \"left\": [%s], \"right\": [%s],"
			 "  \"default_left\": [%s], \"value\": [%s]}]}}",
			 zeros, zeros, children, children, zeros, zeros);
	model = parse_chemeco(text, error);
	CHECK(model == NULL);
	CHECK(strstr(error, "trees.trees[0] node 1: 2 parents") != NULL);
	model_free(model);
}

static int interrupt_checks;

static void
count_interrupt_check(void)
{
	interrupt_checks++;
}

UNIT_TEST(ridge_factorization_is_interruptible)
{
	/*
	 * y = 7 + sum_j (j - 20) x_j over 40 pseudo-random columns, recovered
	 * exactly with lambda = 0.  Building the normal equations polls once per
	 * column; the factorization must poll per column too (it is the O(p^3)
	 * part), so at least 2p polls.
	 */
	enum
	{
		N = 300, P = 40
	};
	static double x[N * P],
				y[N];
	TrainData	data = {N, P, x, y};
	LinearModel linear;
	char		error[MODEL_ERROR_LEN];
	uint64_t	state = 12345;

	for (int i = 0; i < N * P; i++)
	{
		state = state * 6364136223846793005ULL + 1442695040888963407ULL;
		x[i] = (double) (state >> 11) / 9007199254740992.0;
	}
	for (int i = 0; i < N; i++)
	{
		y[i] = 7;
		for (int j = 0; j < P; j++)
			y[i] += (j - 20) * x[(size_t) j * N + i];
	}
	interrupt_checks = 0;
	kernel_set_hooks(&(KernelHooks) {.check_interrupts = count_interrupt_check});
	CHECK(train_ridge(&data, 0, &linear, error));
	kernel_set_hooks(&(KernelHooks) {0});
	CHECK(interrupt_checks >= 2 * P);
	for (int j = 0; j < P; j++)
		CHECK_NEAR(linear.coefficients[j], j - 20, 1e-8);
	CHECK_NEAR(linear.intercept, 7, 1e-8);
	kernel_free(linear.coefficients);
	kernel_free(linear.column_means);
}

/* The rows of test/reference/logistic_irls.py (x column-major, NaN missing). */
static void
logistic_rows(double *x, double *y, int n)
{
	for (int i = 0; i < n; i++)
	{
		double		x2 = i % 11 == 5 ? NAN : cos(3 * i) * 2 + 1;

		x[i] = sin(i);
		x[n + i] = x2;
		x[2 * n + i] = i % 4;
		y[i] = sin(7 * i) + x[i] - 0.5 * (isnan(x2) ? 0 : x2) > -0.6;
	}
}

UNIT_TEST(logistic_matches_numpy_irls)
{
	/* expected values: /usr/bin/python3 test/reference/logistic_irls.py (numpy IRLS) */
	static double x[3 * 60],
				y[60];
	TrainData	data = {60, 3, x, y};
	LinearModel linear;
	char		error[MODEL_ERROR_LEN];
	Model		model = {.algorithm = MODEL_LOGISTIC, .link = MODEL_LINK_LOGISTIC, .n_columns = 3};

	logistic_rows(x, y, 60);
	CHECK(train_logistic(&data, 1.0, &linear, error));
	CHECK_NEAR(linear.intercept, 1.1323471533723324, 1e-9);
	CHECK_NEAR(linear.coefficients[0], 1.507539152256256, 1e-9);
	CHECK_NEAR(linear.coefficients[1], -0.73801978757262188, 1e-9);
	CHECK_NEAR(linear.coefficients[2], 0.14132926875520646, 1e-9);
	/* predictions are probabilities: the logistic of the margin */
	model.linear = linear;
	CHECK_NEAR(model_predict_columns(&model, (double[]) {0, 0, 0}), 1 / (1 + exp(-1.1323471533723324)), 1e-9);
	kernel_free(linear.coefficients);
	kernel_free(linear.column_means);
	CHECK(train_logistic(&data, 0.1, &linear, error));
	CHECK_NEAR(linear.intercept, 1.2861548904763396, 1e-9);
	CHECK_NEAR(linear.coefficients[0], 1.7246770099243447, 1e-9);
	CHECK_NEAR(linear.coefficients[1], -0.85509520271979178, 1e-9);
	CHECK_NEAR(linear.coefficients[2], 0.15442251319710171, 1e-9);
	kernel_free(linear.coefficients);
	kernel_free(linear.column_means);
}

UNIT_TEST(logistic_errors)
{
	double		x[] = {1, 2, 3, 4};
	double		y[] = {0, 0, 1, 1};
	TrainData	data = {4, 1, x, y};
	LinearModel linear = {0};
	char		error[MODEL_ERROR_LEN];

	/* separable classes have no finite optimum without a penalty, and a finite one with it */
	CHECK(!train_logistic(&data, 0, &linear, error));
	CHECK(strstr(error, "did not converge") != NULL);
	kernel_free(linear.coefficients);
	kernel_free(linear.column_means);
	CHECK(train_logistic(&data, 1, &linear, error));
	CHECK(linear.coefficients[0] > 0);
	kernel_free(linear.coefficients);
	kernel_free(linear.column_means);
	y[3] = 2;
	CHECK(!train_logistic(&data, 1, &linear, error));
	CHECK(strstr(error, "0 or 1") != NULL);
	y[2] = y[3] = 0;
	CHECK(!train_logistic(&data, 1, &linear, error));
	CHECK(strstr(error, "only one class") != NULL);
}

UNIT_TEST(classification_metrics_match_numpy)
{
	/* expected values: /usr/bin/python3 test/reference/logistic_irls.py (pairwise AUC, ties 1/2) */
	double		y[] = {1, 0, 1, 1, 0, 0, 1, 0};
	double		p[] = {0.9, 0.2, 0.6, 0.6, 0.6, 0.1, 0.35, 0.5};
	ClassificationMetrics m = classification_metrics(y, p, 8);

	CHECK_NEAR(m.log_loss, 0.51434698338682772, 1e-12);
	CHECK_NEAR(m.roc_auc, 0.8125, 1e-12);
	CHECK_NEAR(m.brier, 0.17656250000000001, 1e-12);
	CHECK(isnan(classification_metrics(y, p, 1).roc_auc));
}

UNIT_TEST(logistic_chemeco_json_round_trip)
{
	static double x[3 * 60],
				y[60];
	TrainData	data = {60, 3, x, y};
	char		error[MODEL_ERROR_LEN];
	Model	   *model = model_new(),
			   *again;
	char	   *text;
	const char *names[] = {"a", "b", "c"};

	logistic_rows(x, y, 60);
	model->algorithm = MODEL_LOGISTIC;
	model->link = MODEL_LINK_LOGISTIC;
	model->n_columns = model->n_features = 3;
	model->features = kernel_alloc_array(3, sizeof(ModelFeature));
	for (int f = 0; f < 3; f++)
	{
		model->features[f] = (ModelFeature) {.kind = FEATURE_NUMERIC, .first_column = f};
		model->features[f].name = kernel_alloc(2);
		strcpy(model->features[f].name, names[f]);
	}
	CHECK(train_logistic(&data, 1.0, &model->linear, error));
	text = model_to_chemeco_json(model, NULL);
	again = parse_chemeco(text, error);
	CHECK(again != NULL);
	if (again)
	{
		CHECK(again->algorithm == MODEL_LOGISTIC && again->link == MODEL_LINK_LOGISTIC);
		for (int i = 0; i < 60; i++)
		{
			double		row[3] = {x[i], x[60 + i], x[120 + i]};

			CHECK(model_predict_columns(model, row) == model_predict_columns(again, row));
		}
	}
	model_free(again);
	/* a logistic model with the identity link is not a logistic model */
	{
		char	   *at = strstr(text, "\"logistic\", \"features\"");

		CHECK(at != NULL);
		if (at)
			memcpy(at, "\"identity\"", 10);
		CHECK(parse_chemeco(text, error) == NULL);
		CHECK(strstr(error, "logistic") != NULL);
	}
	kernel_free(text);
	model_free(model);
}
