/*
 * nnls.h: non-negative least squares (Lawson and Hanson 1974, algorithm NNLS)
 * and its use for chemical mass balance.
 */
#ifndef CHEMECO_NNLS_H
#define CHEMECO_NNLS_H

typedef enum NnlsStatus
{
	NNLS_OK,
	NNLS_MAX_ITER				/* the active-set loop did not terminate */
} NnlsStatus;

/*
 * min ||A x - b||_2 subject to x >= 0.  A is m x n row-major; x has n
 * entries.  A and b are not modified.
 */
extern NnlsStatus nnls_solve(const double *a, const double *b, int m, int n, double *x);

typedef struct CmbResult
{
	double		residual_norm;	/* sqrt(sum(((b - A x)/u)^2)) */
	double		r2;				/* 1 - SS_res / SS_tot, both weighted by 1/u^2; NaN if SS_tot = 0 */
} CmbResult;

/*
 * Chemical mass balance: sample (m species) ~ profiles (m species x n
 * sources, row-major) . contribution, contribution >= 0, each species
 * weighted by 1/unc^2 (unc NULL: unit weights).
 */
extern NnlsStatus cmb_solve(const double *sample, const double *profiles, const double *unc,
							int m, int n, double *contribution, CmbResult *result);

#endif
