/*
 * chemeco_json_read.c: reads chemeco-json, chemeco's own model format
 * (documented in docs/reference/model.md): a feature spec plus either a
 * linear model or a tree ensemble over the encoded columns.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json_fields.h"
#include "kernel.h"
#include "model_json.h"

#define MAX_COLUMNS (1 << 20)
#define MAX_NODES (1 << 28)

static char *
copy_string(json_t *value)
{
	char	   *copy = kernel_alloc(json_string_length(value) + 1);

	memcpy(copy, json_string_value(value), json_string_length(value) + 1);
	return copy;
}

static int
read_feature(json_t *spec, const char *path, Model *model, ModelFeature *feature, char *error)
{
	json_t	   *name,
			   *type,
			   *categories;
	char		where[JSON_PATH_LEN];

	if (!json_is_object(spec))
	{
		snprintf(error, MODEL_ERROR_LEN, "%s: expected an object", path);
		return 0;
	}
	if ((name = json_field(spec, path, "name", JSON_STRING, error)) == NULL ||
		(type = json_field(spec, path, "type", JSON_STRING, error)) == NULL)
		return 0;
	if (json_string_length(name) == 0 || model_feature_index(model, json_string_value(name)) >= 0)
	{
		snprintf(error, MODEL_ERROR_LEN, "%s.name: feature names must be non-empty and distinct", path);
		return 0;
	}
	feature->first_column = model->n_columns;
	if (strcmp(json_string_value(type), "numeric") == 0)
	{
		feature->kind = FEATURE_NUMERIC;
		model->n_columns++;
	}
	else if (strcmp(json_string_value(type), "categorical") == 0)
	{
		feature->kind = FEATURE_CATEGORICAL;
		if ((categories = json_field(spec, path, "categories", JSON_ARRAY, error)) == NULL)
			return 0;
		if (json_array_size(categories) == 0 || json_array_size(categories) > MAX_COLUMNS)
		{
			snprintf(error, MODEL_ERROR_LEN, "%s.categories: expected 1 to %d categories", path, MAX_COLUMNS);
			return 0;
		}
		feature->categories = kernel_alloc_array(json_array_size(categories), sizeof(char *));
		for (size_t k = 0; k < json_array_size(categories); k++)
		{
			json_t	   *category = json_array_get(categories, k);

			if (!json_is_string(category))
			{
				json_path_element(where, path, "categories", k);
				snprintf(error, MODEL_ERROR_LEN, "%s: expected a string", where);
				return 0;
			}
			feature->categories[feature->n_categories++] = copy_string(category);
		}
		model->n_columns += feature->n_categories;
	}
	else
	{
		snprintf(error, MODEL_ERROR_LEN, "%s.type: expected \"numeric\" or \"categorical\"", path);
		return 0;
	}
	feature->name = copy_string(name);
	if (model->n_columns > MAX_COLUMNS)
	{
		snprintf(error, MODEL_ERROR_LEN, "%s: more than %d encoded columns", path, MAX_COLUMNS);
		return 0;
	}
	return 1;
}

static int
read_features(json_t *root, Model *model, char *error)
{
	json_t	   *features = json_field(root, "", "features", JSON_ARRAY, error);
	char		where[JSON_PATH_LEN];

	if (features == NULL)
		return 0;
	if (json_array_size(features) == 0 || json_array_size(features) > MAX_COLUMNS)
	{
		snprintf(error, MODEL_ERROR_LEN, "features: expected 1 to %d features", MAX_COLUMNS);
		return 0;
	}
	model->features = kernel_alloc_array(json_array_size(features), sizeof(ModelFeature));
	memset(model->features, 0, json_array_size(features) * sizeof(ModelFeature));
	for (size_t i = 0; i < json_array_size(features); i++)
	{
		json_path_index(where, "features", i);
		/* count the feature first so model_free releases what it holds */
		model->n_features++;
		if (!read_feature(json_array_get(features, i), where, model, &model->features[i], error))
			return 0;
	}
	return 1;
}

static int
read_linear(json_t *root, Model *model, char *error)
{
	json_t	   *linear = json_field(root, "", "linear", JSON_OBJECT, error);
	json_t	   *intercept,
			   *coefficients,
			   *means;

	if (linear == NULL ||
		(intercept = json_field(linear, "linear", "intercept", JSON_REAL, error)) == NULL ||
		(coefficients = json_field(linear, "linear", "coefficients", JSON_ARRAY, error)) == NULL ||
		(means = json_field(linear, "linear", "column_means", JSON_ARRAY, error)) == NULL ||
		!json_number_value_at(intercept, "linear.intercept", &model->linear.intercept, error))
		return 0;
	model->linear.coefficients = kernel_alloc_array(model->n_columns, sizeof(double));
	model->linear.column_means = kernel_alloc_array(model->n_columns, sizeof(double));
	return json_number_array(coefficients, "linear.coefficients", model->n_columns,
							 model->linear.coefficients, error) &&
		json_number_array(means, "linear.column_means", model->n_columns,
						  model->linear.column_means, error);
}

static const char *const node_keys[] = {"feature", "threshold", "left", "right", "default_left", "value"};
#define N_NODE_KEYS 6

static int
read_tree(json_t *tree, const char *path, TreeEnsemble *trees, int32_t first, size_t n_nodes, char *error)
{
	json_t	   *arrays[N_NODE_KEYS];
	char		where[JSON_PATH_LEN];

	for (int k = 0; k < N_NODE_KEYS; k++)
	{
		if ((arrays[k] = json_field(tree, path, node_keys[k], JSON_ARRAY, error)) == NULL)
			return 0;
		if (json_array_size(arrays[k]) != n_nodes)
		{
			json_path_key(where, path, node_keys[k]);
			snprintf(error, MODEL_ERROR_LEN, "%s: %zu elements, expected %zu like \"left\"",
					 where, json_array_size(arrays[k]), n_nodes);
			return 0;
		}
	}
	for (size_t n = 0; n < n_nodes; n++)
	{
		double		values[N_NODE_KEYS];
		int32_t		node = first + (int32_t) n;

		for (int k = 0; k < N_NODE_KEYS; k++)
		{
			json_path_element(where, path, node_keys[k], n);
			if (!json_is_number(json_array_get(arrays[k], n)))
			{
				snprintf(error, MODEL_ERROR_LEN, "%s: expected a number", where);
				return 0;
			}
			if (!json_number_value_at(json_array_get(arrays[k], n), where, &values[k], error) ||
				((k == 1 || k == 5) && !json_fits_float32(values[k], where, error)))
				return 0;
			/* every field but threshold and value is an index or a flag */
			if (k != 1 && k != 5 && (values[k] != floor(values[k]) || values[k] < -1 || values[k] >= (double) MAX_NODES))
			{
				snprintf(error, MODEL_ERROR_LEN, "%s: expected an integer index", where);
				return 0;
			}
		}
		trees->feature[node] = (int32_t) values[0];
		trees->threshold[node] = (float) values[1];
		trees->left[node] = values[2] < 0 ? -1 : first + (int32_t) values[2];
		trees->right[node] = values[3] < 0 ? -1 : first + (int32_t) values[3];
		trees->default_left[node] = values[4] != 0;
		trees->leaf_value[node] = (float) values[5];
		if ((values[2] < 0) != (values[3] < 0))
		{
			json_path_element(where, path, "right", n);
			snprintf(error, MODEL_ERROR_LEN, "%s: a node has either two children or none", where);
			return 0;
		}
	}
	return 1;
}

static int
read_trees(json_t *root, Model *model, char *error)
{
	json_t	   *ensemble = json_field(root, "", "trees", JSON_OBJECT, error);
	json_t	   *trees,
			   *base;
	char		where[JSON_PATH_LEN];
	double		base_margin;
	size_t		total = 0;

	if (ensemble == NULL ||
		(base = json_field(ensemble, "trees", "base_margin", JSON_REAL, error)) == NULL ||
		!json_number_value_at(base, "trees.base_margin", &base_margin, error) ||
		!json_fits_float32(base_margin, "trees.base_margin", error) ||
		(trees = json_field(ensemble, "trees", "trees", JSON_ARRAY, error)) == NULL)
		return 0;
	if (json_array_size(trees) == 0)
	{
		snprintf(error, MODEL_ERROR_LEN, "trees.trees: the model has no trees");
		return 0;
	}
	for (size_t t = 0; t < json_array_size(trees); t++)
	{
		json_t	   *tree = json_array_get(trees, t);
		json_t	   *left;

		json_path_index(where, "trees.trees", t);
		if (!json_is_object(tree) || (left = json_field(tree, where, "left", JSON_ARRAY, error)) == NULL)
		{
			if (!json_is_object(tree))
				snprintf(error, MODEL_ERROR_LEN, "%s: expected an object", where);
			return 0;
		}
		if (json_array_size(left) == 0)
		{
			snprintf(error, MODEL_ERROR_LEN, "%s.left: a tree needs at least one node", where);
			return 0;
		}
		total += json_array_size(left);
		if (total > MAX_NODES)
		{
			snprintf(error, MODEL_ERROR_LEN, "%s: more than %d nodes in the model", where, MAX_NODES);
			return 0;
		}
	}
	tree_ensemble_allocate(&model->trees, (int) json_array_size(trees), (int) total);
	model->trees.base_margin = (float) base_margin;
	total = 0;
	for (size_t t = 0; t < json_array_size(trees); t++)
	{
		json_t	   *tree = json_array_get(trees, t);
		size_t		n_nodes = json_array_size(json_object_get(tree, "left"));

		json_path_index(where, "trees.trees", t);
		model->trees.tree_root[t] = (int32_t) total;
		if (!read_tree(tree, where, &model->trees, (int32_t) total, n_nodes, error))
			return 0;
		kernel_check_interrupts();
		total += n_nodes;
	}
	if (!tree_ensemble_validate(&model->trees, model->n_columns, "trees.trees", error))
		return 0;
	tree_ensemble_pack(&model->trees);
	return 1;
}

Model *
model_from_chemeco_json(json_t *root, char *error)
{
	Model	   *model = model_new();
	json_t	   *format,
			   *algorithm,
			   *link;

	if (!json_is_object(root))
	{
		snprintf(error, MODEL_ERROR_LEN, "$: expected a chemeco-json object");
		goto fail;
	}
	if ((format = json_field(root, "", "format", JSON_STRING, error)) == NULL)
		goto fail;
	if (strcmp(json_string_value(format), "chemeco-json") != 0)
	{
		snprintf(error, MODEL_ERROR_LEN, "format: expected \"chemeco-json\"");
		goto fail;
	}
	if ((algorithm = json_field(root, "", "algorithm", JSON_STRING, error)) == NULL)
		goto fail;
	if (!model_algorithm_from_name(json_string_value(algorithm), &model->algorithm))
	{
		snprintf(error, MODEL_ERROR_LEN,
				 "algorithm: unknown algorithm \"%.40s\" (linear, logistic, gradient_boosting, random_forest, xgboost)",
				 json_string_value(algorithm));
		goto fail;
	}
	if ((link = json_field(root, "", "link", JSON_STRING, error)) == NULL)
		goto fail;
	if (strcmp(json_string_value(link), "identity") == 0)
		model->link = MODEL_LINK_IDENTITY;
	else if (strcmp(json_string_value(link), "logistic") == 0)
		model->link = MODEL_LINK_LOGISTIC;
	else
	{
		snprintf(error, MODEL_ERROR_LEN, "link: expected \"identity\" or \"logistic\"");
		goto fail;
	}
	if (model->algorithm == MODEL_LOGISTIC && model->link != MODEL_LINK_LOGISTIC)
	{
		snprintf(error, MODEL_ERROR_LEN, "link: a logistic model has the \"logistic\" link");
		goto fail;
	}
	if (!read_features(root, model, error))
		goto fail;
	if (model_is_linear(model) ? !read_linear(root, model, error) : !read_trees(root, model, error))
		goto fail;
	return model;

fail:
	model_free(model);
	return NULL;
}
