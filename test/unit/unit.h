/*
 * unit.h: a minimal unit-test harness for the pure C kernels.
 *
 * A test is   UNIT_TEST(name) { CHECK(...); CHECK_NEAR(a, b, tol); }
 * Tests register themselves at load time; run_unit runs them all (or those
 * whose name contains argv[1]) and ends with "unit: N passed, M failed".
 */
#ifndef CHEMECO_UNIT_H
#define CHEMECO_UNIT_H

#include <math.h>
#include <stdio.h>

typedef void (*unit_fn) (void);

extern void unit_register(const char *name, unit_fn fn);
extern void unit_fail(const char *file, int line, const char *fmt, ...);

/* Deterministic pseudo-random numbers in [0, 1) (xorshift64, one sequence per run). */
extern double uniform01(void);

#define UNIT_TEST(name) \
	static void name(void); \
	__attribute__((constructor)) static void register_##name(void) \
	{ unit_register(#name, name); } \
	static void name(void)

#define CHECK(cond) \
	do { if (!(cond)) unit_fail(__FILE__, __LINE__, "CHECK(%s)", #cond); } while (0)

#define CHECK_NEAR(actual, expected, tol) \
	do { double a_ = (actual), e_ = (expected); \
		if (!(fabs(a_ - e_) <= (tol))) \
			unit_fail(__FILE__, __LINE__, "%s = %.17g, expected %.17g (tol %g)", \
					  #actual, a_, e_, (double) (tol)); } while (0)

#define CHECK_INT(actual, expected) \
	do { long long a_ = (actual), e_ = (expected); \
		if (a_ != e_) unit_fail(__FILE__, __LINE__, "%s = %lld, expected %lld", #actual, a_, e_); } while (0)

#endif
