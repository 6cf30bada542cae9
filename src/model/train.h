/*
 * train.h: in-database training kernels: ridge regression and histogram
 * regression-tree ensembles (gradient boosting, random forest), logistic
 * regression, plus the seeded hold-out split and the evaluation metrics.
 */
#ifndef CHEMECO_TRAIN_H
#define CHEMECO_TRAIN_H

#include <stdint.h>

#include "model.h"

/* Training rows: x is column-major (x[column * n_rows + row]); NaN is missing. */
typedef struct TrainData
{
	int			n_rows;
	int			n_columns;
	const double *x;
	const double *y;
} TrainData;

typedef struct TreeParams
{
	int			n_trees;
	int			max_depth;
	int			min_samples_leaf;
	double		learning_rate;	/* gradient boosting */
	double		subsample;		/* row fraction per tree: without replacement (boosting), bootstrap size (forest) */
	double		max_features;	/* column fraction tried per split (forest; 1 for boosting) */
	double		lambda;			/* L2 penalty on leaf values (boosting) */
	uint64_t	seed;
	int			progress_every; /* call progress every this many trees */
	void		(*progress) (int trees_done, int n_trees, void *arg);
	void	   *progress_arg;
} TreeParams;

#define TRAIN_MAX_DEPTH 16
#define TRAIN_MAX_LINEAR_COLUMNS 4000
/* each Newton step factorizes a (columns + 1)^2 matrix in one GSL call, which cannot poll */
#define TRAIN_MAX_LOGISTIC_COLUMNS 1000

/* Fill trees (allocated here) from data; 0 and error on failure. */
extern int	train_gradient_boosting(const TrainData *data, const TreeParams *params,
									TreeEnsemble *trees, char *error);
extern int	train_random_forest(const TrainData *data, const TreeParams *params,
								TreeEnsemble *trees, char *error);

/*
 * Ridge regression on standardized columns (missing values take the column
 * mean): minimizes sum (y - b - sum w_j z_j)^2 + lambda sum w_j^2, then maps
 * w back to the raw columns.  Fills linear (allocated here).
 */
extern int	train_ridge(const TrainData *data, double lambda, LinearModel *linear, char *error);

/*
 * Binary logistic regression (y is 0 or 1) on standardized columns: Newton's
 * method on sum log-loss + lambda/2 sum w_j^2 (scikit-learn's C = 1/lambda),
 * then w mapped back to the raw columns.  Fills linear (allocated here).
 */
extern int	train_logistic(const TrainData *data, double lambda, LinearModel *linear, char *error);

/*
 * The standardized design (kernel_alloc'd, column-major): column j centred on
 * means[j] and divided by sds[j] (population), missing and constant columns 0.
 */
extern double *standardize_columns(const TrainData *data, double *means, double *sds);

/* At least 2 rows, 1 to max_columns columns, lambda finite and >= 0; else 0 and error. */
extern int	linear_training_checks(const TrainData *data, double lambda, int max_columns, const char *name,
								   char *error);

/*
 * Maps weights w of standardized columns and their intercept to raw-column
 * coefficients (linear->column_means already filled); 0 if not finite.
 */
extern int	unstandardize_weights(LinearModel *linear, int p, const double *sds, const double *w, double intercept);

/* Marks round(fraction * n) rows, chosen by seed, as held out (is_test[i] = 1). */
extern void holdout_split(int n, double fraction, uint64_t seed, uint8_t *is_test);

typedef struct RegressionMetrics
{
	double		rmse;
	double		mae;
	double		r2;
} RegressionMetrics;

extern RegressionMetrics regression_metrics(const double *y, const double *predicted, int n);

typedef struct ClassificationMetrics
{
	double		log_loss;		/* mean, probabilities clipped to [1e-15, 1 - 1e-15] */
	double		roc_auc;		/* ties count 1/2; NaN with a single class */
	double		brier;
} ClassificationMetrics;

/* Metrics of probabilities p for 0/1 labels y. */
extern ClassificationMetrics classification_metrics(const double *y, const double *p, int n);

#endif
