/*
 * tree_train.c: histogram regression trees grown depth-first, assembled into
 * gradient boosting (squared error, XGBoost's gain and leaf formulas) or a
 * random forest (bootstrap rows, a random column subset per split).
 *
 * Every column is cut at up to 254 float32 values; a row's bin is the number
 * of cuts <= float(x), so "bin <= b" is exactly the scoring test
 * "float(x) < cut[b]" and the trained trees score the same in predict.
 * Missing values get their own bin and are sent to the side that gains more.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "prng.h"
#include "train.h"

#define MAX_CUTS 254
#define MISSING_BIN 255

typedef struct Binned
{
	int			n_rows;
	int			n_columns;
	uint8_t    *bins;			/* column-major like the data */
	int		   *n_cuts;
	float	   *cuts;			/* MAX_CUTS per column */
} Binned;

/* What a tree is fitted to: per-row sums g (target) and weights h. */
typedef struct Fit
{
	const Binned *binned;
	const TreeParams *params;
	const double *g;
	const double *h;
	double		lambda;
	double		leaf_scale;
	double		column_fraction;
	uint64_t   *random;
	/* the tree under construction */
	TreeEnsemble *trees;
	int32_t		next_node;
	/* scratch */
	double	   *histogram_g;
	double	   *histogram_h;
	int		   *columns;
	int		   *scratch;
} Fit;

static int
compare_floats(const void *a, const void *b)
{
	float		x = *(const float *) a,
				y = *(const float *) b;

	return (x > y) - (x < y);
}

static void
bin_column(const TrainData *data, Binned *binned, int j, float *sorted)
{
	const double *x = data->x + (size_t) j * data->n_rows;
	float	   *cuts = binned->cuts + (size_t) j * MAX_CUTS;
	int			count = 0,
				n_unique = 0,
				n_cuts = 0;

	for (int i = 0; i < data->n_rows; i++)
		if (!isnan(x[i]))
			sorted[count++] = (float) x[i];
	qsort(sorted, count, sizeof(float), compare_floats);
	for (int i = 0; i < count; i++)
		if (i == 0 || sorted[i] != sorted[n_unique - 1])
			sorted[n_unique++] = sorted[i];
	if (n_unique <= MAX_CUTS + 1)
		for (int k = 1; k < n_unique; k++)
			cuts[n_cuts++] = sorted[k];
	else
		for (int k = 1; k <= MAX_CUTS; k++)
		{
			float		cut = sorted[(size_t) k * n_unique / (MAX_CUTS + 1)];

			if (cut > sorted[0] && (n_cuts == 0 || cut > cuts[n_cuts - 1]))
				cuts[n_cuts++] = cut;
		}
	binned->n_cuts[j] = n_cuts;
	for (int i = 0; i < data->n_rows; i++)
	{
		uint8_t    *bin = &binned->bins[(size_t) j * data->n_rows + i];
		float		value = (float) x[i];
		int			low = 0,
					high = n_cuts;

		if (isnan(x[i]))
		{
			*bin = MISSING_BIN;
			continue;
		}
		while (low < high)		/* number of cuts <= value */
		{
			int			mid = (low + high) / 2;

			if (cuts[mid] <= value)
				low = mid + 1;
			else
				high = mid;
		}
		*bin = (uint8_t) low;
	}
}

static void
bin_data(const TrainData *data, Binned *binned)
{
	float	   *sorted = kernel_alloc_array(data->n_rows > 0 ? data->n_rows : 1, sizeof(float));

	binned->n_rows = data->n_rows;
	binned->n_columns = data->n_columns;
	binned->bins = kernel_alloc_array((size_t) data->n_rows * data->n_columns, 1);
	binned->n_cuts = kernel_alloc_array(data->n_columns, sizeof(int));
	binned->cuts = kernel_alloc_array((size_t) data->n_columns * MAX_CUTS, sizeof(float));
	for (int j = 0; j < data->n_columns; j++)
	{
		bin_column(data, binned, j, sorted);
		kernel_check_interrupts();
	}
	kernel_free(sorted);
}

static void
free_binned(Binned *binned)
{
	kernel_free(binned->bins);
	kernel_free(binned->n_cuts);
	kernel_free(binned->cuts);
}

static double
score(double g, double h, double lambda)
{
	return g * g / (h + lambda);
}

typedef struct Split
{
	double		gain;
	int			column;
	int			bin;			/* rows with bin <= this go left */
	int			missing_left;
} Split;

static void
best_split_of_column(Fit *fit, const int *rows, int n, int j, double g_total, double h_total, Split *best)
{
	const uint8_t *bins = fit->binned->bins + (size_t) j * fit->binned->n_rows;
	int			n_cuts = fit->binned->n_cuts[j];
	double	   *hg = fit->histogram_g,
			   *hh = fit->histogram_h;
	double		gl = 0,
				hl = 0,
				min_weight = fit->params->min_samples_leaf;
	double		parent = score(g_total, h_total, fit->lambda);

	if (n_cuts == 0)
		return;
	memset(hg, 0, 256 * sizeof(double));
	memset(hh, 0, 256 * sizeof(double));
	for (int r = 0; r < n; r++)
	{
		int			row = rows[r];

		hg[bins[row]] += fit->g[row];
		hh[bins[row]] += fit->h[row];
	}
	for (int b = 0; b < n_cuts; b++)
	{
		gl += hg[b];
		hl += hh[b];
		for (int missing_left = 1; missing_left >= 0; missing_left--)
		{
			double		g_left = gl + (missing_left ? hg[MISSING_BIN] : 0);
			double		h_left = hl + (missing_left ? hh[MISSING_BIN] : 0);
			double		g_right = g_total - g_left,
						h_right = h_total - h_left;
			double		gain;

			if (h_left < min_weight || h_right < min_weight)
				continue;
			gain = score(g_left, h_left, fit->lambda) + score(g_right, h_right, fit->lambda) - parent;
			if (gain > best->gain)
			{
				best->gain = gain;
				best->column = j;
				best->bin = b;
				best->missing_left = missing_left;
			}
		}
	}
}

/* The columns this split may use: all, or a seeded random subset (forest). */
static int
candidate_columns(Fit *fit)
{
	int			p = fit->binned->n_columns;
	int			k = (int) ceil(fit->column_fraction * p);

	if (k >= p)
	{
		for (int j = 0; j < p; j++)
			fit->columns[j] = j;
		return p;
	}
	if (k < 1)
		k = 1;
	for (int j = 0; j < p; j++)
		fit->columns[j] = j;
	for (int i = 0; i < k; i++)		/* partial Fisher-Yates */
	{
		int			pick = i + (int) splitmix64_below(fit->random, (uint64_t) (p - i));
		int			swap = fit->columns[i];

		fit->columns[i] = fit->columns[pick];
		fit->columns[pick] = swap;
	}
	return k;
}

static void
grow(Fit *fit, int32_t node, int *rows, int n, int depth)
{
	TreeEnsemble *trees = fit->trees;
	double		g_total = 0,
				h_total = 0;
	Split		best = {1e-10, -1, 0, 0};

	kernel_check_interrupts();
	for (int r = 0; r < n; r++)
	{
		g_total += fit->g[rows[r]];
		h_total += fit->h[rows[r]];
	}
	if (depth < fit->params->max_depth && h_total >= 2.0 * fit->params->min_samples_leaf)
	{
		int			n_candidates = candidate_columns(fit);

		for (int c = 0; c < n_candidates; c++)
			best_split_of_column(fit, rows, n, fit->columns[c], g_total, h_total, &best);
	}
	if (best.column < 0)
	{
		trees->left[node] = trees->right[node] = -1;
		trees->feature[node] = 0;
		trees->threshold[node] = 0;
		trees->default_left[node] = 0;
		trees->leaf_value[node] = (float) (fit->leaf_scale * g_total / (h_total + fit->lambda));
		return;
	}
	else
	{
		const uint8_t *bins = fit->binned->bins + (size_t) best.column * fit->binned->n_rows;
		int			n_left = 0;

		int			n_right = 0;

		/* stable partition: rows going left first, the others through scratch */
		for (int r = 0; r < n; r++)
		{
			uint8_t		bin = bins[rows[r]];
			int			goes_left = bin == MISSING_BIN ? best.missing_left : bin <= best.bin;

			if (goes_left)
				rows[n_left++] = rows[r];
			else
				fit->scratch[n_right++] = rows[r];
		}
		memcpy(rows + n_left, fit->scratch, (size_t) n_right * sizeof(int));
		trees->feature[node] = best.column;
		trees->threshold[node] = fit->binned->cuts[(size_t) best.column * MAX_CUTS + best.bin];
		trees->default_left[node] = (uint8_t) best.missing_left;
		trees->leaf_value[node] = 0;
		trees->left[node] = fit->next_node++;
		trees->right[node] = fit->next_node++;
		grow(fit, trees->left[node], rows, n_left, depth + 1);
		grow(fit, trees->right[node], rows + n_left, n - n_left, depth + 1);
	}
}

static int
check_params(const TrainData *data, const TreeParams *params, char *error)
{
	if (data->n_rows < 2 || data->n_columns < 1)
	{
		snprintf(error, MODEL_ERROR_LEN, "need at least 2 training rows and 1 column, got %d rows and %d columns",
				 data->n_rows, data->n_columns);
		return 0;
	}
	if (params->n_trees < 1 || params->max_depth < 1 || params->max_depth > TRAIN_MAX_DEPTH ||
		params->min_samples_leaf < 1 || !(params->learning_rate > 0 && params->learning_rate <= 1) ||
		!(params->subsample > 0 && params->subsample <= 1) ||
		!(params->max_features > 0 && params->max_features <= 1) || !(params->lambda >= 0 && isfinite(params->lambda)))
	{
		snprintf(error, MODEL_ERROR_LEN, "invalid tree parameters");
		return 0;
	}
	if ((double) params->n_trees * ((1 << (params->max_depth + 1)) - 1) > (double) (1 << 28))
	{
		snprintf(error, MODEL_ERROR_LEN, "n_trees * 2^(max_depth + 1) must stay below 2^28 nodes");
		return 0;
	}
	return 1;
}

/* Runs the tree loop shared by both ensembles; per_tree fills g, h and the row sample. */
typedef int (*PrepareTree) (Fit *fit, int t, int *rows, double *g, double *h, void *state);
typedef void (*FinishTree) (Fit *fit, int32_t root, void *state);

static int
train_ensemble(const TrainData *data, const TreeParams *params, TreeEnsemble *trees,
			   double lambda, double leaf_scale, double column_fraction,
			   PrepareTree prepare, FinishTree finish, void *state)
{
	Binned		binned;
	Fit			fit;
	int			nodes_per_tree = (1 << (params->max_depth + 1)) - 1;
	int		   *rows = kernel_alloc_array(data->n_rows, sizeof(int));
	double	   *g = kernel_alloc_array(data->n_rows, sizeof(double));
	double	   *h = kernel_alloc_array(data->n_rows, sizeof(double));
	uint64_t	random = params->seed;

	bin_data(data, &binned);
	memset(&fit, 0, sizeof(fit));
	fit.binned = &binned;
	fit.params = params;
	fit.g = g;
	fit.h = h;
	fit.lambda = lambda;
	fit.leaf_scale = leaf_scale;
	fit.column_fraction = column_fraction;
	fit.random = &random;
	fit.trees = trees;
	fit.histogram_g = kernel_alloc_array(256, sizeof(double));
	fit.histogram_h = kernel_alloc_array(256, sizeof(double));
	fit.columns = kernel_alloc_array(data->n_columns, sizeof(int));
	fit.scratch = kernel_alloc_array(data->n_rows, sizeof(int));
	/* room for full trees; n_nodes is trimmed to what was grown */
	tree_ensemble_allocate(trees, params->n_trees, params->n_trees * nodes_per_tree);
	for (int t = 0; t < params->n_trees; t++)
	{
		int			n = prepare(&fit, t, rows, g, h, state);
		int32_t		root = fit.next_node++;

		trees->tree_root[t] = root;
		grow(&fit, root, rows, n, 0);
		finish(&fit, root, state);
		if (params->progress && params->progress_every > 0 && (t + 1) % params->progress_every == 0)
			params->progress(t + 1, params->n_trees, params->progress_arg);
	}
	trees->n_nodes = fit.next_node;
	tree_ensemble_pack(trees);
	free_binned(&binned);
	kernel_free(fit.histogram_g);
	kernel_free(fit.histogram_h);
	kernel_free(fit.columns);
	kernel_free(fit.scratch);
	kernel_free(rows);
	kernel_free(g);
	kernel_free(h);
	return 1;
}

static float
tree_output(const TreeEnsemble *trees, int32_t node, const TrainData *data, int row)
{
	while (trees->left[node] >= 0)
	{
		double		value = data->x[(size_t) trees->feature[node] * data->n_rows + row];

		if (isnan(value))
			node = trees->default_left[node] ? trees->left[node] : trees->right[node];
		else
			node = (float) value < trees->threshold[node] ? trees->left[node] : trees->right[node];
	}
	return trees->leaf_value[node];
}

typedef struct BoostingState
{
	const TrainData *data;
	float	   *margin;			/* current prediction per row, float32 like scoring */
} BoostingState;

/* Residuals y - prediction with unit weights, over a subsample without replacement. */
static int
boosting_prepare(Fit *fit, int t, int *rows, double *g, double *h, void *arg)
{
	BoostingState *state = arg;
	int			n_rows = state->data->n_rows;
	int			n = 0;

	for (int i = 0; i < n_rows; i++)
	{
		g[i] = state->data->y[i] - state->margin[i];
		h[i] = 1;
		if (fit->params->subsample >= 1 ||
			splitmix64_uniform(fit->random) < fit->params->subsample)
			rows[n++] = i;
	}
	return n;
}

static void
boosting_finish(Fit *fit, int32_t root, void *arg)
{
	BoostingState *state = arg;

	for (int i = 0; i < state->data->n_rows; i++)
		state->margin[i] += tree_output(fit->trees, root, state->data, i);
}

int
train_gradient_boosting(const TrainData *data, const TreeParams *params, TreeEnsemble *trees, char *error)
{
	BoostingState state;
	double		mean = 0;
	int			ok;

	if (!check_params(data, params, error))
		return 0;
	for (int i = 0; i < data->n_rows; i++)
		mean += data->y[i];
	mean /= data->n_rows;
	state.data = data;
	state.margin = kernel_alloc_array(data->n_rows, sizeof(float));
	for (int i = 0; i < data->n_rows; i++)
		state.margin[i] = (float) mean;
	ok = train_ensemble(data, params, trees, params->lambda, params->learning_rate, 1.0,
						boosting_prepare, boosting_finish, &state);
	trees->base_margin = (float) mean;
	kernel_free(state.margin);
	return ok;
}

/* A bootstrap sample: g = y * multiplicity, h = multiplicity. */
static int
forest_prepare(Fit *fit, int t, int *rows, double *g, double *h, void *arg)
{
	const TrainData *data = arg;
	int			draws = (int) ceil(fit->params->subsample * data->n_rows);
	int			n = 0;

	memset(h, 0, (size_t) data->n_rows * sizeof(double));
	for (int d = 0; d < draws; d++)
		h[splitmix64_below(fit->random, (uint64_t) data->n_rows)] += 1;
	for (int i = 0; i < data->n_rows; i++)
	{
		g[i] = data->y[i] * h[i];
		if (h[i] > 0)
			rows[n++] = i;
	}
	return n;
}

static void
forest_finish(Fit *fit, int32_t root, void *arg)
{
}

int
train_random_forest(const TrainData *data, const TreeParams *params, TreeEnsemble *trees, char *error)
{
	int			ok;

	if (!check_params(data, params, error))
		return 0;
	/* mean of the trees: each leaf carries 1/n_trees of its average */
	ok = train_ensemble(data, params, trees, 0.0, 1.0 / params->n_trees, params->max_features,
						forest_prepare, forest_finish, (void *) data);
	trees->base_margin = 0;
	return ok;
}
