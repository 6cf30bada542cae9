/*
 * prng.h: small, portable pseudo-random generators, so that random starts,
 * resamples, hold-out splits and subsamples are bit-identical on every
 * machine: xoshiro256** seeded by splitmix64 (NMF starts, bootstrap), and
 * splitmix64 alone where one 64-bit state is enough (model training).
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

/* The next splitmix64 output modulo bound: an integer in [0, bound). */
extern uint64_t splitmix64_below(uint64_t *state, uint64_t bound);

/* Uniform on [0, 1) with the 53 high bits of the next splitmix64 output. */
extern double splitmix64_uniform(uint64_t *state);

extern void prng_seed(Prng *rng, uint64_t seed);
extern uint64_t prng_next(Prng *rng);

/* Uniform on [0, 1) with 53 random bits. */
extern double prng_uniform(Prng *rng);

/* Standard normal (Marsaglia polar method; only sqrt and log, no trigonometry). */
extern double prng_normal(Prng *rng);

#endif
