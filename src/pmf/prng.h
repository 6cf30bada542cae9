/*
 * prng.h: a small, portable pseudo-random generator (xoshiro256** seeded by
 * splitmix64) so that NMF random starts are bit-identical on every machine.
 */
#ifndef CHEMECO_PRNG_H
#define CHEMECO_PRNG_H

#include <stdint.h>

typedef struct Prng
{
	uint64_t	s[4];
} Prng;

/* Advances *state and returns the next splitmix64 output. */
extern uint64_t splitmix64_next(uint64_t *state);

extern void prng_seed(Prng *rng, uint64_t seed);
extern uint64_t prng_next(Prng *rng);

/* Uniform on [0, 1) with 53 random bits. */
extern double prng_uniform(Prng *rng);

/* Standard normal (Marsaglia polar method; only sqrt and log, no trigonometry). */
extern double prng_normal(Prng *rng);

#endif
