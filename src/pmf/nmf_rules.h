/*
 * nmf_rules.h: the NMF update rules, one row each in a table (nmf_rules.c):
 * how much working memory a run takes and the function that iterates it.
 * nmf.c only dispatches through the table; a new rule is a new file and a
 * new row.
 */
#ifndef CHEMECO_NMF_RULES_H
#define CHEMECO_NMF_RULES_H

#include "nmf_run_state.h"

/*
 * Doubles of arena one run of the rule takes from nmf_arena_take (the
 * convergence ring's converge_n not included); reweight: robust weights
 * are kept (NmfParams.reweight_after > 0).
 */
typedef size_t (*NmfArenaDoubles) (int m, int n, int k, bool reweight);

/*
 * Iterates from the given W and H; fills result's Q, iterations and
 * converged.  stop NULL: poll kernel_check_interrupts() every iteration;
 * otherwise end the run (not converged) as soon as *stop is set.
 */
typedef void (*NmfIterate) (const NmfProblem *problem, const NmfParams *params,
							double *w, double *h, NmfRun *result,
							NmfArena *arena, const volatile int *stop);

typedef struct NmfRule
{
	NmfArenaDoubles arena_doubles;
	NmfIterate	iterate;
} NmfRule;

/* The row of method. */
extern const NmfRule *nmf_rule(NmfMethod method);

/* ls_nmf.c */
extern size_t ls_nmf_arena_doubles(int m, int n, int k, bool reweight);
extern void ls_nmf_iterate(const NmfProblem *problem, const NmfParams *params,
						   double *w, double *h, NmfRun *result,
						   NmfArena *arena, const volatile int *stop);

/* ws_nmf.c */
extern size_t ws_nmf_arena_doubles(int m, int n, int k, bool reweight);
extern void ws_nmf_iterate(const NmfProblem *problem, const NmfParams *params,
						   double *w, double *h, NmfRun *result,
						   NmfArena *arena, const volatile int *stop);

/* anls_nmf.c */
extern size_t anls_nmf_arena_doubles(int m, int n, int k, bool reweight);
extern void anls_nmf_iterate(const NmfProblem *problem, const NmfParams *params,
							 double *w, double *h, NmfRun *result,
							 NmfArena *arena, const volatile int *stop);

#endif
