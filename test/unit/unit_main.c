/*
 * unit_main.c: runs every registered unit test and prints the tally.
 */
#include "unit.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TESTS 4096

static struct
{
	const char *name;
	unit_fn		fn;
}			tests[MAX_TESTS];
static int	n_tests;
static int	current_failures;

/* deterministic pseudo-random numbers (xorshift64) */
static uint64_t rng_state = 88172645463325252ULL;

double
uniform01(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (double) (rng_state >> 11) / 9007199254740992.0;
}

void
unit_register(const char *name, unit_fn fn)
{
	if (n_tests == MAX_TESTS)
	{
		fprintf(stderr, "too many unit tests\n");
		exit(2);
	}
	tests[n_tests].name = name;
	tests[n_tests].fn = fn;
	n_tests++;
}

void
unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list		ap;

	fprintf(stderr, "    %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	current_failures++;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

int
main(int argc, char **argv)
{
	int			passed = 0,
				failed = 0;

	/* registration order depends on the linker; run in name order */
	qsort(tests, n_tests, sizeof(tests[0]), by_name);
	for (int i = 0; i < n_tests; i++)
	{
		if (argc > 1 && strstr(tests[i].name, argv[1]) == NULL)
			continue;
		current_failures = 0;
		tests[i].fn();
		if (current_failures == 0)
			passed++;
		else
		{
			failed++;
			fprintf(stderr, "FAIL %s\n", tests[i].name);
		}
	}
	printf("unit: %d passed, %d failed\n", passed, failed);
	return failed == 0 && passed > 0 ? 0 : 1;
}
