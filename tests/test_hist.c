// SPDX-License-Identifier: MIT
/* test_hist.c - lateness histogram: edges, percentiles vs sorting, merge */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "emu/plane/hist.h"
#include "emu/plane/rng.h"

/* Buckets tile [0, inf) without gaps; each is at most 10 % of its edge. */
Test(hist, bucket_edges)
{
	cr_expect_eq(hist_bucket(-5), 0);
	cr_expect_eq(hist_bucket(0), 0);
	cr_expect_eq(hist_bucket(99), 0);
	cr_expect_eq(hist_bucket(100), 1);
	cr_expect_eq(hist_bucket(109), 1);
	cr_expect_eq(hist_bucket(110), 2);
	cr_expect_eq(hist_bucket(9999999999LL), HIST_NBUCKETS - 2);
	cr_expect_eq(hist_bucket(10000000000LL), HIST_NBUCKETS - 1);
	cr_expect_eq(hist_bucket(INT64_MAX), HIST_NBUCKETS - 1);
	cr_expect_eq(hist_bucket_lo(1), 100);
	cr_expect_eq(hist_bucket_hi(0), 100);
	cr_expect_eq(hist_bucket_lo(HIST_NBUCKETS - 1), 10000000000LL);

	for (size_t i = 1; i < HIST_NBUCKETS - 1; i++) {
		int64_t lo = hist_bucket_lo(i), hi = hist_bucket_hi(i);

		cr_assert_lt(lo, hi, "bucket %zu", i);
		cr_assert_eq(hist_bucket(lo), i, "lo of %zu", i);
		cr_assert_eq(hist_bucket(hi - 1), i, "hi-1 of %zu", i);
		cr_assert_eq(hist_bucket(hi), i + 1, "hi of %zu", i);
		cr_assert_leq((double)(hi - lo), 0.1 * (double)lo + 1e-9,
			      "bucket %zu is [%ld, %ld)", i, (long)lo,
			      (long)hi);
		cr_assert_eq(hist_bucket_lo(i + 1), hi);
	}
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/*
 * Log-uniform values from 100 ns to 1 s: each percentile is the exact
 * order statistic or at most 10 % above it; p100 is the exact max.
 */
Test(hist, percentiles_match_sorting)
{
	enum { N = 100000 };
	static int64_t v[N];
	static const double pcts[] = { 1, 10, 50, 90, 99, 99.9, 99.99 };
	struct hist h;
	struct rng r;
	double sum = 0;

	hist_init(&h);
	rng_seed(&r, 21, 0);
	for (int i = 0; i < N; i++) {
		v[i] = (int64_t)(100.0 * pow(10.0, 7.0 * rng_double(&r)));
		hist_add(&h, v[i]);
		sum += (double)v[i];
	}
	qsort(v, N, sizeof(v[0]), cmp64);
	cr_expect_eq(h.count, N);
	cr_expect_eq(h.min, v[0]);
	cr_expect_eq(h.max, v[N - 1]);
	cr_expect(fabs(hist_mean(&h) - sum / N) < 1e-6 * sum / N);
	for (size_t k = 0; k < sizeof(pcts) / sizeof(pcts[0]); k++) {
		size_t rank = (size_t)ceil(pcts[k] / 100.0 * N);
		int64_t exact = v[rank - 1], got = hist_percentile(&h, pcts[k]);

		cr_expect_geq(got, exact, "p%g: %ld < exact %ld", pcts[k],
			      (long)got, (long)exact);
		cr_expect_leq((double)got, 1.1 * (double)exact,
			      "p%g: %ld vs %ld", pcts[k], (long)got,
			      (long)exact);
	}
	cr_expect_eq(hist_percentile(&h, 100), v[N - 1]);
}

/* Two halves merged give the histogram of the whole. */
Test(hist, merge)
{
	struct hist whole, a, b;
	struct rng r;

	hist_init(&whole);
	hist_init(&a);
	hist_init(&b);
	rng_seed(&r, 22, 0);
	for (int i = 0; i < 50000; i++) {
		int64_t x = (int64_t)(rng_u64(&r) % 20000000) - 1000;

		hist_add(&whole, x);
		hist_add(i % 3 ? &a : &b, x);
	}
	hist_merge(&a, &b);
	cr_expect_eq(a.count, whole.count);
	cr_expect_eq(a.negative, whole.negative);
	cr_expect_eq(a.min, whole.min);
	cr_expect_eq(a.max, whole.max);
	cr_expect(fabs(a.sum - whole.sum) <= 1e-9 * fabs(whole.sum));
	cr_expect(!memcmp(a.bucket, whole.bucket, sizeof(a.bucket)));
	cr_expect_eq(hist_percentile(&a, 99), hist_percentile(&whole, 99));

	/* Into an empty histogram: a copy; from an empty one: nothing. */
	hist_init(&b);
	hist_merge(&b, &whole);
	cr_expect_eq(b.min, whole.min);
	cr_expect_eq(b.max, whole.max);
	hist_init(&a);
	hist_merge(&b, &a);
	cr_expect_eq(b.count, whole.count);
}

Test(hist, empty_small_negative_overflow)
{
	struct hist h;

	hist_init(&h);
	cr_expect_eq(hist_percentile(&h, 50), 0);
	cr_expect_eq(hist_mean(&h), 0.0);

	/* Below 100 ns one bucket, clamped to the exact extremes. */
	for (int i = 0; i < 10; i++)
		hist_add(&h, 50);
	cr_expect_eq(hist_percentile(&h, 50), 50);
	cr_expect_eq(hist_percentile(&h, 99), 50);

	hist_add(&h, -300);
	cr_expect_eq(h.negative, 1);
	cr_expect_eq(h.min, -300);
	/* -300 shares the lowest bucket with the 50s: its top, clamped. */
	cr_expect_eq(hist_percentile(&h, 1), 50);
	cr_expect(fabs(hist_mean(&h) - (500.0 - 300.0) / 11) < 1e-9);

	hist_init(&h);
	hist_add(&h, 1000);
	hist_add(&h, 20000000000LL);	/* 20 s */
	hist_add(&h, 30000000000LL);
	/* 1000 is in [1000, 1100): reported as that bucket's top. */
	cr_expect_eq(hist_percentile(&h, 30), 1099);
	cr_expect_eq(hist_percentile(&h, 50), 30000000000LL);
	cr_expect_eq(hist_percentile(&h, 100), 30000000000LL);
}
