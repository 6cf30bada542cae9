/*
 * model.c: feature encoding and scoring of a Model.
 */
#include "model.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kernel.h"

static const char *const algorithm_names[] = {
	[MODEL_LINEAR] = "linear",
	[MODEL_GRADIENT_BOOSTING] = "gradient_boosting",
	[MODEL_RANDOM_FOREST] = "random_forest",
	[MODEL_XGBOOST] = "xgboost",
	[MODEL_LOGISTIC] = "logistic",
};

const char *
model_algorithm_name(ModelAlgorithm algorithm)
{
	return algorithm_names[algorithm];
}

int
model_algorithm_from_name(const char *name, ModelAlgorithm *algorithm)
{
	for (int i = 0; i < (int) (sizeof(algorithm_names) / sizeof(algorithm_names[0])); i++)
		if (strcmp(name, algorithm_names[i]) == 0)
		{
			*algorithm = (ModelAlgorithm) i;
			return 1;
		}
	return 0;
}

/*
 * XGBoost converts features to float32, compares them with float32
 * thresholds and accumulates float32 leaves one tree at a time onto the
 * base margin; doing the same reproduces its predictions to the last bit.
 */
float
tree_ensemble_margin(const TreeEnsemble *trees, const double *columns)
{
	const PackedNode *nodes = trees->packed;
	float		margin = trees->base_margin;

	for (int t = 0; t < trees->n_trees; t++)
	{
		const PackedNode *node = &nodes[trees->packed_root[t]];

		while (node->feature >= 0)
		{
			float		value = (float) columns[node->feature];
			int			goes_right = isnan(value) ? node->default_right : !(value < node->value);

			node = &nodes[node->left + goes_right];
		}
		margin += node->value;
	}
	return margin;
}

void
tree_ensemble_pack(TreeEnsemble *trees)
{
	int32_t    *order = kernel_alloc_array(trees->n_nodes, sizeof(int32_t));
	int32_t		base = 0;

	trees->packed = kernel_alloc_array(trees->n_nodes, sizeof(PackedNode));
	trees->packed_root = kernel_alloc_array(trees->n_trees, sizeof(int32_t));
	for (int t = 0; t < trees->n_trees; t++)
	{
		int32_t		end = t + 1 < trees->n_trees ? trees->tree_root[t + 1] : trees->n_nodes;
		int32_t		size = end - trees->tree_root[t];
		int32_t		count = 1;

		/* breadth-first: order[k] is the original node placed at base + k */
		order[0] = trees->tree_root[t];
		trees->packed_root[t] = base;
		for (int32_t k = 0; k < count; k++)
		{
			int32_t		n = order[k];
			PackedNode *node = &trees->packed[base + k];

			/*
			 * A validated tree places exactly size nodes; the bound only keeps
			 * an unvalidated one (shared children) from writing past it.
			 */
			if (trees->left[n] < 0 || count + 2 > size)
			{
				node->value = trees->left[n] < 0 ? trees->leaf_value[n] : 0;
				node->feature = -1;
				node->left = base + k;
				node->default_right = 0;
				continue;
			}
			node->value = trees->threshold[n];
			node->feature = trees->feature[n];
			node->left = base + count;
			node->default_right = !trees->default_left[n];
			order[count++] = trees->left[n];
			order[count++] = trees->right[n];
		}
		base += count;
	}
	kernel_free(order);
}

static double
linear_predict(const LinearModel *linear, int n_columns, const double *columns)
{
	double		sum = linear->intercept;

	for (int j = 0; j < n_columns; j++)
		sum += linear->coefficients[j] *
			(isnan(columns[j]) ? linear->column_means[j] : columns[j]);
	return sum;
}

double
model_predict_columns(const Model *model, const double *columns)
{
	if (model_is_linear(model))
	{
		double		margin = linear_predict(&model->linear, model->n_columns, columns);

		return model->link == MODEL_LINK_LOGISTIC ? 1.0 / (1.0 + exp(-margin)) : margin;
	}
	else
	{
		float		margin = tree_ensemble_margin(&model->trees, columns);

		/* XGBoost's sigmoid is computed in float32 too */
		return model->link == MODEL_LINK_LOGISTIC ? 1.0f / (1.0f + expf(-margin)) : margin;
	}
}

int
model_is_finite(const Model *model)
{
	if (model->algorithm == MODEL_LINEAR)
	{
		if (!isfinite(model->linear.intercept))
			return 0;
		for (int j = 0; j < model->n_columns; j++)
			if (!isfinite(model->linear.coefficients[j]) || !isfinite(model->linear.column_means[j]))
				return 0;
		return 1;
	}
	if (!isfinite(model->trees.base_margin))
		return 0;
	for (int n = 0; n < model->trees.n_nodes; n++)
		if (!isfinite(model->trees.threshold[n]) || !isfinite(model->trees.leaf_value[n]))
			return 0;
	return 1;
}

int
model_feature_index(const Model *model, const char *name)
{
	for (int i = 0; i < model->n_features; i++)
		if (model->features[i].name != NULL && strcmp(model->features[i].name, name) == 0)
			return i;
	return -1;
}

void
model_encode_missing(const Model *model, int feature, double *columns)
{
	const ModelFeature *f = &model->features[feature];
	int			width = f->kind == FEATURE_NUMERIC ? 1 : f->n_categories;

	for (int k = 0; k < width; k++)
		columns[f->first_column + k] = NAN;
}

void
model_encode_number(const Model *model, int feature, double value, double *columns)
{
	columns[model->features[feature].first_column] = value;
}

/* One-hot; an unseen category sets no column (scikit-learn's handle_unknown='ignore'). */
void
model_encode_category(const Model *model, int feature, const char *category,
					  size_t len, double *columns)
{
	const ModelFeature *f = &model->features[feature];

	for (int k = 0; k < f->n_categories; k++)
		columns[f->first_column + k] =
			(strlen(f->categories[k]) == len && memcmp(f->categories[k], category, len) == 0) ? 1.0 : 0.0;
}

void
tree_ensemble_allocate(TreeEnsemble *trees, int n_trees, int n_nodes)
{
	trees->n_trees = n_trees;
	trees->n_nodes = n_nodes;
	trees->tree_root = kernel_alloc_array(n_trees, sizeof(int32_t));
	trees->feature = kernel_alloc_array(n_nodes, sizeof(int32_t));
	trees->threshold = kernel_alloc_array(n_nodes, sizeof(float));
	trees->left = kernel_alloc_array(n_nodes, sizeof(int32_t));
	trees->right = kernel_alloc_array(n_nodes, sizeof(int32_t));
	trees->default_left = kernel_alloc_array(n_nodes, sizeof(uint8_t));
	trees->leaf_value = kernel_alloc_array(n_nodes, sizeof(float));
}

/*
 * Every tree must be a proper binary tree inside its own node range: child
 * indices point forward within the tree (so walking always terminates and
 * the root has no parent), no node has two parents (a shared subtree would be
 * packed once per parent, beyond the tree's node count), and inner nodes test
 * an existing column.  An unreachable node (no parent) is allowed: XGBoost
 * keeps pruned nodes in its arrays, and packing skips them.
 */
int
tree_ensemble_validate(const TreeEnsemble *trees, int n_columns, const char *trees_path, char *error)
{
	int32_t    *parents = kernel_alloc_array(trees->n_nodes > 0 ? trees->n_nodes : 1, sizeof(int32_t));
	int			ok = 0;

	for (int t = 0; t < trees->n_trees; t++)
	{
		int32_t		begin = trees->tree_root[t];
		int32_t		end = t + 1 < trees->n_trees ? trees->tree_root[t + 1] : trees->n_nodes;

		if (begin < 0 || end <= begin || end > trees->n_nodes)
		{
			snprintf(error, MODEL_ERROR_LEN, "%s[%d]: the tree has no nodes", trees_path, t);
			goto done;
		}
		memset(parents + begin, 0, (size_t) (end - begin) * sizeof(int32_t));
		for (int32_t n = begin; n < end; n++)
		{
			if (trees->left[n] < 0)
			{
				if (!isfinite(trees->leaf_value[n]))
				{
					snprintf(error, MODEL_ERROR_LEN, "%s[%d] node %d: leaf value is not finite", trees_path, t, n - begin);
					goto done;
				}
				continue;
			}
			if (trees->left[n] <= n || trees->left[n] >= end || trees->right[n] <= n || trees->right[n] >= end)
			{
				snprintf(error, MODEL_ERROR_LEN, "%s[%d] node %d: a child index does not point forward inside the tree", trees_path, t, n - begin);
				goto done;
			}
			if (trees->feature[n] < 0 || trees->feature[n] >= n_columns)
			{
				snprintf(error, MODEL_ERROR_LEN, "%s[%d] node %d: feature %d is not one of the %d columns",
						 trees_path, t, n - begin, trees->feature[n], n_columns);
				goto done;
			}
			if (isnan(trees->threshold[n]))
			{
				snprintf(error, MODEL_ERROR_LEN, "%s[%d] node %d: threshold is NaN", trees_path, t, n - begin);
				goto done;
			}
			parents[trees->left[n]]++;
			parents[trees->right[n]]++;
		}
		for (int32_t n = begin; n < end; n++)
			if (parents[n] > 1)
			{
				snprintf(error, MODEL_ERROR_LEN, "%s[%d] node %d: %d parents, but a tree node has only one",
						 trees_path, t, n - begin, parents[n]);
				goto done;
			}
	}
	ok = 1;
done:
	kernel_free(parents);
	return ok;
}

Model *
model_new(void)
{
	Model	   *model = kernel_alloc(sizeof(Model));

	memset(model, 0, sizeof(Model));
	return model;
}

void
model_free(Model *model)
{
	if (model == NULL)
		return;
	for (int i = 0; i < model->n_features; i++)
	{
		for (int k = 0; k < model->features[i].n_categories; k++)
			kernel_free(model->features[i].categories[k]);
		kernel_free(model->features[i].categories);
		kernel_free(model->features[i].name);
	}
	kernel_free(model->features);
	kernel_free(model->linear.coefficients);
	kernel_free(model->linear.column_means);
	tree_ensemble_free(&model->trees);
	kernel_free(model);
}

void
tree_ensemble_free(TreeEnsemble *trees)
{
	kernel_free(trees->tree_root);
	kernel_free(trees->feature);
	kernel_free(trees->threshold);
	kernel_free(trees->left);
	kernel_free(trees->right);
	kernel_free(trees->default_left);
	kernel_free(trees->leaf_value);
	kernel_free(trees->packed_root);
	kernel_free(trees->packed);
	memset(trees, 0, sizeof(*trees));
}
