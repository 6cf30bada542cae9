/*
 * xgboost_json.c: reads XGBoost >= 1.0 JSON models (Booster.save_model with
 * a .json name): gbtree boosters with numerical splits, objectives
 * reg:squarederror and binary:logistic, single output.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json_fields.h"
#include "kernel.h"
#include "model_json.h"

#define MAX_NODES_PER_TREE (1 << 24)

static int
read_count(json_t *object, const char *path, const char *key, long max, long *out, char *error)
{
	char		where[JSON_PATH_LEN];
	json_t	   *value = json_object_get(object, key);
	double		number;

	json_path_key(where, path, key);
	if (value == NULL)
	{
		snprintf(error, MODEL_ERROR_LEN, "%s: missing", where);
		return 0;
	}
	if (!json_number_value_at(value, where, &number, error))
		return 0;
	if (number < 0 || number > max || number != floor(number))
	{
		snprintf(error, MODEL_ERROR_LEN, "%s: %g is not a count in [0, %ld]", where, number, max);
		return 0;
	}
	*out = (long) number;
	return 1;
}

static int
read_link(json_t *learner, ModelLink *link, char *error)
{
	json_t	   *objective = json_field(learner, "learner", "objective", JSON_OBJECT, error);
	json_t	   *name;

	if (objective == NULL ||
		(name = json_field(objective, "learner.objective", "name", JSON_STRING, error)) == NULL)
		return 0;
	if (strcmp(json_string_value(name), "reg:squarederror") == 0)
		*link = MODEL_LINK_IDENTITY;
	else if (strcmp(json_string_value(name), "binary:logistic") == 0)
		*link = MODEL_LINK_LOGISTIC;
	else
	{
		snprintf(error, MODEL_ERROR_LEN,
				 "learner.objective.name: unsupported objective \"%.40s\" (supported: reg:squarederror, binary:logistic)",
				 json_string_value(name));
		return 0;
	}
	return 1;
}

/* base_score is stored as a probability for binary:logistic; the margin is its logit (in float32, as XGBoost). */
static int
read_base_margin(json_t *learner, ModelLink link, float *base_margin, char *error)
{
	const char *path = "learner.learner_model_param";
	json_t	   *param = json_field(learner, "learner", "learner_model_param", JSON_OBJECT, error);
	json_t	   *value;
	double		base_score;
	int			ok;

	if (param == NULL)
		return 0;
	value = json_object_get(param, "base_score");
	if (value == NULL)
	{
		snprintf(error, MODEL_ERROR_LEN, "%s.base_score: missing", path);
		return 0;
	}
	if (json_is_string(value) && json_string_length(value) > 2 && json_string_value(value)[0] == '[')
	{
		/* XGBoost >= 2.1 writes a one-element vector: "[5E-1]" */
		const char *text = json_string_value(value);
		size_t		len = json_string_length(value);
		char		inner[64];

		if (text[len - 1] != ']' || len - 2 >= sizeof(inner) || memchr(text, ',', len) != NULL)
		{
			snprintf(error, MODEL_ERROR_LEN, "%s.base_score: \"%.40s\" is not a single number", path, text);
			return 0;
		}
		memcpy(inner, text + 1, len - 2);
		inner[len - 2] = '\0';
		value = json_string(inner);
		ok = json_number_value_at(value, "learner.learner_model_param.base_score", &base_score, error);
		json_decref(value);
	}
	else
		ok = json_number_value_at(value, "learner.learner_model_param.base_score", &base_score, error);
	if (!ok || !json_fits_float32(base_score, "learner.learner_model_param.base_score", error))
		return 0;
	if (link == MODEL_LINK_LOGISTIC)
	{
		float		p = (float) base_score;

		/* a denormal p would give an infinite margin */
		if (!(p > 0 && p < 1 && isfinite(1.0f / p)))
		{
			snprintf(error, MODEL_ERROR_LEN, "%s.base_score: %g is not a probability in (0, 1)", path, base_score);
			return 0;
		}
		*base_margin = -logf(1.0f / p - 1.0f);
	}
	else
		*base_margin = (float) base_score;
	return 1;
}

static int
read_feature_names(json_t *learner, Model *model, long n_columns, char *error)
{
	const char *path = "learner.feature_names";
	int			failed;
	json_t	   *names = json_optional_field(learner, "learner", "feature_names", JSON_ARRAY, error, &failed);
	char	  **texts;
	char		where[JSON_PATH_LEN];
	int			ok;

	if (failed)
		return 0;
	if (names != NULL && json_array_size(names) > 0 && (long) json_array_size(names) != n_columns)
	{
		snprintf(error, MODEL_ERROR_LEN, "%s: %zu names for %ld features", path, json_array_size(names), n_columns);
		return 0;
	}
	texts = kernel_alloc_array(n_columns > 0 ? n_columns : 1, sizeof(char *));
	for (long i = 0; i < n_columns; i++)
	{
		json_t	   *name = names && json_array_size(names) > 0 ? json_array_get(names, i) : NULL;

		texts[i] = kernel_alloc(32);
		if (name == NULL)
			snprintf(texts[i], 32, "f%ld", i);	/* XGBoost's own default names */
		else if (!json_is_string(name) || json_string_length(name) == 0)
		{
			json_path_index(where, path, i);
			snprintf(error, MODEL_ERROR_LEN, "%s: expected a non-empty string", where);
			for (long k = 0; k <= i; k++)
				kernel_free(texts[k]);
			kernel_free(texts);
			return 0;
		}
		else
		{
			kernel_free(texts[i]);
			texts[i] = kernel_alloc(json_string_length(name) + 1);
			memcpy(texts[i], json_string_value(name), json_string_length(name) + 1);
		}
	}
	ok = model_features_from_names(model, texts, (int) n_columns, path, error);
	for (long i = 0; i < n_columns; i++)
		kernel_free(texts[i]);
	kernel_free(texts);
	return ok;
}

typedef struct NodeArrays
{
	json_t	   *left;
	json_t	   *right;
	json_t	   *split_index;
	json_t	   *split_condition;
	json_t	   *default_left;
	json_t	   *split_type;		/* optional: non-zero means a categorical split */
} NodeArrays;

static int
tree_arrays(json_t *tree, const char *path, long n_nodes, NodeArrays *arrays, char *error)
{
	static const char *const keys[] = {"left_children", "right_children", "split_indices",
	"split_conditions", "default_left"};
	json_t	  **slots[] = {&arrays->left, &arrays->right, &arrays->split_index,
	&arrays->split_condition, &arrays->default_left};
	char		where[JSON_PATH_LEN];
	int			failed;

	for (int k = 0; k < 5; k++)
	{
		if ((*slots[k] = json_field(tree, path, keys[k], JSON_ARRAY, error)) == NULL)
			return 0;
		if ((long) json_array_size(*slots[k]) != n_nodes)
		{
			json_path_key(where, path, keys[k]);
			snprintf(error, MODEL_ERROR_LEN, "%s: %zu elements, tree_param.num_nodes says %ld",
					 where, json_array_size(*slots[k]), n_nodes);
			return 0;
		}
	}
	arrays->split_type = json_optional_field(tree, path, "split_type", JSON_ARRAY, error, &failed);
	return !failed;
}

static int
node_integer(json_t *array, const char *path, const char *key, long node, long min, long max,
			 long *out, char *error)
{
	json_t	   *value = json_array_get(array, node);
	char		at[JSON_PATH_LEN];
	double		number;

	json_path_element(at, path, key, node);
	/* numbers are read as doubles (MODEL_JSON_DECODE_FLAGS) */
	if (json_is_boolean(value))
		number = json_is_true(value);
	else if (json_is_number(value) && json_number_value(value) == floor(json_number_value(value)))
		number = json_number_value(value);
	else
	{
		snprintf(error, MODEL_ERROR_LEN, "%s: expected an integer", at);
		return 0;
	}
	if (number < min || number > max)
	{
		snprintf(error, MODEL_ERROR_LEN, "%s: %.17g is out of range [%ld, %ld]", at, number, min, max);
		return 0;
	}
	*out = (long) number;
	return 1;
}

static int
read_tree(json_t *tree, const char *path, TreeEnsemble *trees, int32_t first_node,
		  long n_nodes, long n_columns, char *error)
{
	NodeArrays	arrays;
	char		where[JSON_PATH_LEN];

	if (!tree_arrays(tree, path, n_nodes, &arrays, error))
		return 0;
	for (long n = 0; n < n_nodes; n++)
	{
		int32_t		node = first_node + (int32_t) n;
		long		left,
					right,
					split_index,
					default_left,
					split_type = 0;
		double		condition;

		if (!node_integer(arrays.left, path, "left_children", n, -1, n_nodes - 1, &left, error) ||
			!node_integer(arrays.right, path, "right_children", n, -1, n_nodes - 1, &right, error) ||
			!node_integer(arrays.default_left, path, "default_left", n, 0, 1, &default_left, error))
			return 0;
		if (arrays.split_type && n < (long) json_array_size(arrays.split_type) &&
			!node_integer(arrays.split_type, path, "split_type", n, 0, 1, &split_type, error))
			return 0;
		json_path_element(where, path, "split_conditions", n);
		if (!json_number_value_at(json_array_get(arrays.split_condition, n), where, &condition, error) ||
			!json_fits_float32(condition, where, error))
			return 0;
		if ((left < 0) != (right < 0))
		{
			json_path_element(where, path, "right_children", n);
			snprintf(error, MODEL_ERROR_LEN, "%s: a node has either two children or none", where);
			return 0;
		}
		trees->left[node] = left < 0 ? -1 : first_node + (int32_t) left;
		trees->right[node] = right < 0 ? -1 : first_node + (int32_t) right;
		trees->default_left[node] = (uint8_t) default_left;
		if (left < 0)
		{
			/* a leaf keeps its value in split_conditions */
			trees->feature[node] = 0;
			trees->threshold[node] = 0;
			trees->leaf_value[node] = (float) condition;
			continue;
		}
		if (split_type != 0)
		{
			json_path_element(where, path, "split_type", n);
			snprintf(error, MODEL_ERROR_LEN, "%s: categorical splits are not supported (one-hot encode instead)", where);
			return 0;
		}
		if (!node_integer(arrays.split_index, path, "split_indices", n, 0, n_columns - 1, &split_index, error))
			return 0;
		trees->feature[node] = (int32_t) split_index;
		trees->threshold[node] = (float) condition;
		trees->leaf_value[node] = 0;
	}
	return 1;
}

static int
read_trees(json_t *booster_model, Model *model, long n_columns, char *error)
{
	const char *path = "learner.gradient_booster.model";
	json_t	   *trees = json_field(booster_model, path, "trees", JSON_ARRAY, error);
	json_t	   *tree_info;
	long	   *sizes;
	long		total = 0;
	char		where[JSON_PATH_LEN];
	char		param_path[JSON_PATH_LEN];
	size_t		n_trees;
	int			failed;

	if (trees == NULL)
		return 0;
	n_trees = json_array_size(trees);
	if (n_trees == 0)
	{
		snprintf(error, MODEL_ERROR_LEN, "%s.trees: the model has no trees", path);
		return 0;
	}
	tree_info = json_optional_field(booster_model, path, "tree_info", JSON_ARRAY, error, &failed);
	if (failed)
		return 0;
	for (size_t t = 0; tree_info && t < json_array_size(tree_info); t++)
	{
		json_t	   *group = json_array_get(tree_info, t);

		if (!json_is_number(group) || json_number_value(group) != 0)
		{
			snprintf(error, MODEL_ERROR_LEN, "%s.tree_info[%zu]: only single-output models are supported", path, t);
			return 0;
		}
	}
	sizes = kernel_alloc_array(n_trees, sizeof(long));
	for (size_t t = 0; t < n_trees; t++)
	{
		json_t	   *tree = json_array_get(trees, t);
		json_t	   *param;

		snprintf(where, JSON_PATH_LEN, "%s.trees[%zu]", path, t);
		json_path_key(param_path, where, "tree_param");
		if (!json_is_object(tree))
		{
			snprintf(error, MODEL_ERROR_LEN, "%s: expected an object", where);
			kernel_free(sizes);
			return 0;
		}
		if ((param = json_field(tree, where, "tree_param", JSON_OBJECT, error)) == NULL ||
			!read_count(param, param_path, "num_nodes", MAX_NODES_PER_TREE, &sizes[t], error))
		{
			kernel_free(sizes);
			return 0;
		}
		if (sizes[t] == 0)
		{
			snprintf(error, MODEL_ERROR_LEN, "%s.num_nodes: a tree needs at least one node", param_path);
			kernel_free(sizes);
			return 0;
		}
		total += sizes[t];
		if (total > INT32_MAX / 2)
		{
			snprintf(error, MODEL_ERROR_LEN, "%s: too many nodes in the model", where);
			kernel_free(sizes);
			return 0;
		}
	}
	tree_ensemble_allocate(&model->trees, (int) n_trees, (int) total);
	total = 0;
	for (size_t t = 0; t < n_trees; t++)
	{
		snprintf(where, JSON_PATH_LEN, "%s.trees[%zu]", path, t);
		model->trees.tree_root[t] = (int32_t) total;
		if (!read_tree(json_array_get(trees, t), where, &model->trees, (int32_t) total, sizes[t], n_columns, error))
		{
			kernel_free(sizes);
			return 0;
		}
		kernel_check_interrupts();
		total += sizes[t];
	}
	kernel_free(sizes);
	if (!tree_ensemble_validate(&model->trees, model->n_columns, "learner.gradient_booster.model.trees", error))
		return 0;
	tree_ensemble_pack(&model->trees);
	return 1;
}

Model *
model_from_xgboost_json(json_t *root, char *error)
{
	Model	   *model = model_new();
	json_t	   *learner,
			   *booster,
			   *booster_name,
			   *booster_model,
			   *param;
	long		n_columns;

	model->algorithm = MODEL_XGBOOST;
	if (!json_is_object(root))
	{
		snprintf(error, MODEL_ERROR_LEN, "$: expected an XGBoost model object");
		goto fail;
	}
	if ((learner = json_field(root, "", "learner", JSON_OBJECT, error)) == NULL ||
		!read_link(learner, &model->link, error) ||
		!read_base_margin(learner, model->link, &model->trees.base_margin, error) ||
		(param = json_field(learner, "learner", "learner_model_param", JSON_OBJECT, error)) == NULL ||
		!read_count(param, "learner.learner_model_param", "num_feature", 1 << 20, &n_columns, error))
		goto fail;
	if (n_columns == 0)
	{
		snprintf(error, MODEL_ERROR_LEN, "learner.learner_model_param.num_feature: the model has no features");
		goto fail;
	}
	if (json_object_get(param, "num_class") != NULL)
	{
		long		n_classes;

		if (!read_count(param, "learner.learner_model_param", "num_class", 1 << 20, &n_classes, error))
			goto fail;
		if (n_classes > 1)
		{
			snprintf(error, MODEL_ERROR_LEN, "learner.learner_model_param.num_class: multi-class models are not supported");
			goto fail;
		}
	}
	if ((booster = json_field(learner, "learner", "gradient_booster", JSON_OBJECT, error)) == NULL ||
		(booster_name = json_field(booster, "learner.gradient_booster", "name", JSON_STRING, error)) == NULL)
		goto fail;
	if (strcmp(json_string_value(booster_name), "gbtree") != 0)
	{
		snprintf(error, MODEL_ERROR_LEN, "learner.gradient_booster.name: unsupported booster \"%.40s\" (supported: gbtree)",
				 json_string_value(booster_name));
		goto fail;
	}
	if ((booster_model = json_field(booster, "learner.gradient_booster", "model", JSON_OBJECT, error)) == NULL ||
		!read_feature_names(learner, model, n_columns, error) ||
		!read_trees(booster_model, model, n_columns, error))
		goto fail;
	return model;

fail:
	model_free(model);
	return NULL;
}
