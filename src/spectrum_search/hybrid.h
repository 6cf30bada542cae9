/*
 * hybrid.h: hybrid entropy similarity (Flash entropy's hybrid search, Li et
 * al. 2023): peaks match directly (|m/z difference| <= tolerance) or, failing
 * that, as neutral losses (|(P_a - mz_a) - (P_b - mz_b)| <= tolerance), each
 * peak at most once.
 */
#ifndef CHEMECO_HYBRID_H
#define CHEMECO_HYBRID_H

#include "peak.h"

/*
 * a and b prepared by entropy_prepare.  Direct pairs come from the same
 * two-pointer walk as entropy_similarity_prepared; the peaks left over are
 * then walked in neutral-loss order.  The similarity is half the sum of the
 * pair terms over both kinds, clamped to [0, 1].
 */
extern double entropy_hybrid_similarity_prepared(const Peak *a, int na, double precursor_a,
												 const Peak *b, int nb, double precursor_b,
												 double tolerance, int *matches);

#endif
