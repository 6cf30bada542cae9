/*
 * prng.c: splitmix64 and xoshiro256** (public-domain algorithms by Vigna),
 * written from their published definitions.
 */
#include "prng.h"

#include <math.h>

uint64_t
splitmix64_next(uint64_t *state)
{
	uint64_t	z = (*state += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

uint64_t
splitmix64_below(uint64_t *state, uint64_t bound)
{
	return splitmix64_next(state) % bound;
}

/* 53 random bits as a double in [0, 1): exact, the same on every machine */
static inline double
unit_interval(uint64_t bits)
{
	return (double) (bits >> 11) * 0x1.0p-53;
}

double
splitmix64_uniform(uint64_t *state)
{
	return unit_interval(splitmix64_next(state));
}

void
prng_seed(Prng *rng, uint64_t seed)
{
	uint64_t	state = seed;

	for (int i = 0; i < 4; i++)
		rng->s[i] = splitmix64_next(&state);
}

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
prng_next(Prng *rng)
{
	uint64_t   *s = rng->s;
	uint64_t	result = rotl(s[1] * 5, 7) * 9;
	uint64_t	t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double
prng_uniform(Prng *rng)
{
	return unit_interval(prng_next(rng));
}

double
prng_normal(Prng *rng)
{
	double		u,
				v,
				s;

	do
	{
		u = 2.0 * prng_uniform(rng) - 1.0;
		v = 2.0 * prng_uniform(rng) - 1.0;
		s = u * u + v * v;
	} while (s >= 1.0 || s == 0.0);
	/* the polar method yields two deviates; one is enough here */
	return u * sqrt(-2.0 * log(s) / s);
}
