/*
 * model.h: a predictive model as the kernels see it: a feature spec that
 * encodes named inputs into a numeric column vector, and either a linear
 * model or an ensemble of binary regression trees over those columns.
 *
 * Trees are flat node arrays (one entry per node, all trees concatenated),
 * with XGBoost's semantics: a node goes left when float(x) < threshold,
 * a missing (NaN) value follows default_left, leaf values are summed in
 * float32 onto base_margin.  Random forests fold 1/n_trees into their leaves,
 * gradient boosting its learning rate, so every ensemble is a plain sum.
 */
#ifndef CHEMECO_MODEL_H
#define CHEMECO_MODEL_H

#include <stddef.h>
#include <stdint.h>

#define MODEL_ERROR_LEN 512

typedef enum ModelAlgorithm
{
	MODEL_LINEAR,
	MODEL_GRADIENT_BOOSTING,
	MODEL_RANDOM_FOREST,
	MODEL_XGBOOST,
	MODEL_LOGISTIC				/* a linear model with the logistic link */
} ModelAlgorithm;

typedef enum ModelLink
{
	MODEL_LINK_IDENTITY,		/* regression: the margin is the prediction */
	MODEL_LINK_LOGISTIC			/* binary:logistic: 1 / (1 + exp(-margin)) */
} ModelLink;

typedef enum FeatureKind
{
	FEATURE_NUMERIC,
	FEATURE_CATEGORICAL
} FeatureKind;

/*
 * One named input.  A numeric feature fills one column; a categorical one
 * fills n_categories one-hot columns starting at first_column (an unknown
 * category gives all zeros, a missing one all NaN).
 */
typedef struct ModelFeature
{
	char	   *name;
	FeatureKind kind;
	int			first_column;
	int			n_categories;
	char	  **categories;
} ModelFeature;

/*
 * The scoring layout of a node: 16 bytes, children adjacent (right = left + 1)
 * so a step is "node = left + goes_right" without a branch on the split.
 */
typedef struct PackedNode
{
	float		value;			/* threshold of an inner node, value of a leaf */
	int32_t		feature;		/* -1 marks a leaf */
	int32_t		left;
	int32_t		default_right;	/* where a missing value goes */
} PackedNode;

typedef struct TreeEnsemble
{
	int			n_trees;
	int			n_nodes;
	int32_t    *tree_root;		/* n_trees node indices */
	int32_t    *feature;		/* column tested by an inner node */
	float	   *threshold;
	int32_t    *left;			/* absolute node index, -1 for a leaf */
	int32_t    *right;
	uint8_t    *default_left;
	float	   *leaf_value;
	float		base_margin;
	/* built from the arrays above by tree_ensemble_pack(); used for scoring */
	int32_t    *packed_root;
	PackedNode *packed;
} TreeEnsemble;

typedef struct LinearModel
{
	double		intercept;
	double	   *coefficients;	/* n_columns */
	double	   *column_means;	/* a missing column takes its training mean */
} LinearModel;

typedef struct Model
{
	ModelAlgorithm algorithm;
	ModelLink	link;
	int			n_features;
	ModelFeature *features;
	int			n_columns;
	LinearModel linear;			/* when model_is_linear() */
	TreeEnsemble trees;			/* otherwise */
} Model;

/* Linear and logistic models keep their weights in linear, the others in trees. */
static inline int
model_is_linear(const Model *model)
{
	return model->algorithm == MODEL_LINEAR || model->algorithm == MODEL_LOGISTIC;
}

extern const char *model_algorithm_name(ModelAlgorithm algorithm);
extern int	model_algorithm_from_name(const char *name, ModelAlgorithm *algorithm);

/* Prediction (after the link) for one encoded row of n_columns values. */
extern double model_predict_columns(const Model *model, const double *columns);

/* Whether every number of the model is finite (a trained model may overflow float32 or double). */
extern int	model_is_finite(const Model *model);

/* Raw margin of a tree ensemble: base_margin + leaves, summed in float32. */
extern float tree_ensemble_margin(const TreeEnsemble *trees, const double *columns);

/* Index of the feature called name, or -1. */
extern int	model_feature_index(const Model *model, const char *name);

/* Encoding of one feature into its columns. */
extern void model_encode_missing(const Model *model, int feature, double *columns);
extern void model_encode_number(const Model *model, int feature, double value, double *columns);
extern void model_encode_category(const Model *model, int feature, const char *category,
								  size_t len, double *columns);

/*
 * Checks node indices, features and that every tree is a tree (acyclic, no
 * shared subtrees); on failure fills error with
 * "<trees_path>[tree] node <n>: <problem>".
 */
extern int	tree_ensemble_validate(const TreeEnsemble *trees, int n_columns, const char *trees_path, char *error);

/* Builds the scoring layout (breadth-first, children adjacent); needs a validated ensemble. */
extern void tree_ensemble_pack(TreeEnsemble *trees);

/* Allocates the node arrays for n_trees trees and n_nodes nodes in total. */
extern void tree_ensemble_allocate(TreeEnsemble *trees, int n_trees, int n_nodes);

/* A zeroed Model; release with model_free. */
extern Model *model_new(void);
extern void model_free(Model *model);
extern void tree_ensemble_free(TreeEnsemble *trees);

#endif
