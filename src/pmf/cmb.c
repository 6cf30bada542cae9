/*
 * cmb.c: chemical mass balance as weighted NNLS (rows scaled by 1/u).
 */
#include "nnls.h"

#include <math.h>

#include "kernel.h"

NnlsStatus
cmb_solve(const double *sample, const double *profiles, const double *unc,
		  int m, int n, double *contribution, CmbResult *result)
{
	double	   *a = kernel_alloc_array((size_t) m * n, sizeof(double));
	double	   *b = kernel_alloc_array(m, sizeof(double));
	double		weight_sum = 0,
				weighted_mean = 0,
				ss_res = 0,
				ss_tot = 0;
	NnlsStatus	status;

	for (int i = 0; i < m; i++)
	{
		double		w = unc ? 1.0 / unc[i] : 1.0;

		for (int j = 0; j < n; j++)
			a[(size_t) i * n + j] = profiles[(size_t) i * n + j] * w;
		b[i] = sample[i] * w;
		weight_sum += w * w;
		weighted_mean += w * w * sample[i];
	}
	status = nnls_solve(a, b, m, n, contribution);

	weighted_mean /= weight_sum;
	for (int i = 0; i < m; i++)
	{
		double		w = unc ? 1.0 / unc[i] : 1.0;
		double		fit = 0;

		for (int j = 0; j < n; j++)
			fit += profiles[(size_t) i * n + j] * contribution[j];
		ss_res += (sample[i] - fit) * (sample[i] - fit) * w * w;
		ss_tot += (sample[i] - weighted_mean) * (sample[i] - weighted_mean) * w * w;
	}
	result->residual_norm = sqrt(ss_res);
	result->r2 = ss_tot > 0 ? 1 - ss_res / ss_tot : NAN;
	kernel_free(a);
	kernel_free(b);
	return status;
}
