/* SPDX-License-Identifier: MIT */
/* rng.h - a small fast seeded random stream per link, so runs repeat exactly */
#ifndef EMU_RNG_H
#define EMU_RNG_H

#include <stdint.h>

/*
 * xoshiro256** (Blackman and Vigna, "Scrambled linear pseudorandom number
 * generators", ACM TOMS 2021). The state is public so that tests can load
 * the reference state; everyone else goes through rng_seed().
 */
struct rng {
	uint64_t s[4];
};

/*
 * Seed one stream from (seed, stream): the run's seed and, for a link, its
 * id. Different streams of one seed are independent for all practical
 * purposes; the same (seed, stream) always gives the same sequence.
 */
void rng_seed(struct rng *r, uint64_t seed, uint64_t stream);

/* SplitMix64 (Steele, Lea, Flood 2014): advance *x and return the output. */
uint64_t rng_splitmix64(uint64_t *x);

/* The next 64 random bits. */
uint64_t rng_u64(struct rng *r);

/* A uniform double in [0, 1) with 53 random bits. */
double rng_double(struct rng *r);

#endif
