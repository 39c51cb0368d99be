// SPDX-License-Identifier: MIT
/* test_rng.c - xoshiro256** and SplitMix64 against their reference outputs */
#include <math.h>
#include <stdint.h>

#include <criterion/criterion.h>

#include "emu/plane/rng.h"

/*
 * Reference outputs of xoshiro256** from the state {1, 2, 3, 4}, as
 * published with the rand_xoshiro crate's tests (and recomputed here
 * independently in Python from Vigna's reference C code).
 */
Test(rng, xoshiro_reference_vector)
{
	static const uint64_t want[] = {
		11520ULL, 0ULL, 1509978240ULL, 1215971899390074240ULL,
		1216172134540287360ULL, 607988272756665600ULL,
		16172922978634559625ULL, 8476171486693032832ULL,
		10595114339597558777ULL, 2904607092377533576ULL,
	};
	struct rng r = { .s = { 1, 2, 3, 4 } };

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		cr_expect_eq(rng_u64(&r), want[i], "output %zu", i);
}

/* SplitMix64 from 0: the first outputs of Vigna's splitmix64.c. */
Test(rng, splitmix_reference_vector)
{
	uint64_t x = 0;

	cr_expect_eq(rng_splitmix64(&x), 0xe220a8397b1dcdafULL);
	cr_expect_eq(rng_splitmix64(&x), 0x6e789e6aa1b965f4ULL);
	cr_expect_eq(rng_splitmix64(&x), 0x06c45d188009454fULL);
}

Test(rng, same_seed_same_stream_repeats)
{
	struct rng a, b;

	rng_seed(&a, 42, 7);
	rng_seed(&b, 42, 7);
	for (int i = 0; i < 1000; i++)
		cr_assert_eq(rng_u64(&a), rng_u64(&b), "draw %d", i);
}

/* Streams of neighbouring links and neighbouring seeds do not coincide. */
Test(rng, streams_and_seeds_differ)
{
	enum { N = 64, K = 16 };
	uint64_t first[2 * N][K];
	struct rng r;

	for (int i = 0; i < 2 * N; i++) {
		if (i < N)
			rng_seed(&r, 1, (uint64_t)i);	/* streams of seed 1 */
		else
			rng_seed(&r, (uint64_t)(i - N + 2), 0);	/* seeds */
		for (int k = 0; k < K; k++)
			first[i][k] = rng_u64(&r);
	}
	/* No 64-bit output of one is any output of another. */
	for (int i = 0; i < 2 * N; i++)
		for (int j = i + 1; j < 2 * N; j++)
			for (int k = 0; k < K; k++)
				for (int m = 0; m < K; m++)
					cr_assert_neq(first[i][k], first[j][m],
						      "%d[%d] == %d[%d]", i, k,
						      j, m);
}

/*
 * rng_double: in [0, 1), mean 1/2 and variance 1/12 within 5 sigma of
 * their sampling error, every output bit set about half the time.
 */
Test(rng, double_uniform)
{
	enum { N = 1000000 };
	struct rng r;
	double sum = 0, sum2 = 0, mean, var;
	uint64_t ones[64] = { 0 };

	rng_seed(&r, 12345, 3);
	for (int i = 0; i < N; i++) {
		double x = rng_double(&r);

		cr_assert(x >= 0.0 && x < 1.0, "draw %d = %g", i, x);
		sum += x;
		sum2 += x * x;
	}
	mean = sum / N;
	var = sum2 / N - mean * mean;
	/* sd of the mean: sqrt(1/12/N); of the variance: sqrt(1/180/N). */
	cr_expect(fabs(mean - 0.5) < 5 * sqrt(1.0 / 12 / N), "mean %g", mean);
	cr_expect(fabs(var - 1.0 / 12) < 5 * sqrt(1.0 / 180 / N), "var %g",
		  var);

	for (int i = 0; i < N; i++) {
		uint64_t x = rng_u64(&r);

		for (int b = 0; b < 64; b++)
			ones[b] += (x >> b) & 1;
	}
	for (int b = 0; b < 64; b++)
		cr_expect(fabs((double)ones[b] - N / 2.0) < 5 * sqrt(N / 4.0),
			  "bit %d set %lu times", b, (unsigned long)ones[b]);
}
