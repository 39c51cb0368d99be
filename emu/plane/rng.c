// SPDX-License-Identifier: MIT
/* rng.c - xoshiro256** seeded by SplitMix64: one repeatable stream per link */

/*
 * Model. Every random decision of the data plane (loss, today) draws from
 * the stream of the link it happens on, so a run with the same seed and
 * the same packets takes the same decisions, whatever the other links do.
 *
 * The generator is xoshiro256** [1]: 256 bits of state, period 2^256 - 1,
 * about 1 ns per draw, passes BigCrush. Its authors recommend filling the
 * state from SplitMix64 [2], which is what rng_seed() does: the SplitMix64
 * counter starts at a hash of (seed, stream), so two streams of one seed
 * start from unrelated states (a collision of the 64-bit hash of two
 * different (seed, stream) pairs is the only way two streams can overlap).
 *
 * [1] D. Blackman, S. Vigna, "Scrambled linear pseudorandom number
 *     generators", ACM Trans. Math. Softw. 47(4), 2021;
 *     https://prng.di.unimi.it/xoshiro256starstar.c
 * [2] G. Steele, D. Lea, C. Flood, "Fast splittable pseudorandom number
 *     generators", OOPSLA 2014; https://prng.di.unimi.it/splitmix64.c
 */
#include <stdint.h>

#include "emu/plane/rng.h"

static inline uint64_t rng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t rng_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed;
	uint64_t y = stream ^ 0x6a09e667f3bcc909ULL;

	/* Hash the stream number, then mix it into the hashed seed. */
	x = rng_splitmix64(&x) ^ rng_splitmix64(&y);
	for (int i = 0; i < 4; i++)
		r->s[i] = rng_splitmix64(&x);
	/* All-zero is the one state xoshiro cannot leave. */
	if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))
		r->s[0] = 1;
}

uint64_t rng_u64(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rng_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rng_rotl(s[3], 45);
	return out;
}

double rng_double(struct rng *r)
{
	return (double)(rng_u64(r) >> 11) * 0x1.0p-53;
}
