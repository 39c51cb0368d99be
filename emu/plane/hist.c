// SPDX-License-Identifier: MIT
/* hist.c - a histogram of lateness (or delay error) in ns, 100 ns to 10 s */

/*
 * Model. The event loop releases a packet at its logical due time plus
 * some lateness (timerfd latency, spin, other work); the benchmarks compare
 * emulated delays to geometric ones. Both want p50, p90, p99 and max over
 * millions of samples at a few ns per sample, and histograms from several
 * sources merged. A log-linear histogram does that in fixed memory, like
 * HdrHistogram (G. Tene) with two significant decimal digits: each decade
 * from 100 ns to 10 s is cut into 90 equal buckets (10..99 times a tenth of
 * the decade), so a bucket's width is at most 10 % of its lower edge and
 * 1 % at the top of the decade. Below 100 ns the clock readings themselves
 * are not meaningful, and one bucket holds [0, 100 ns). Exact min, max and
 * sum are kept beside the buckets.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "emu/plane/hist.h"

/* 10^0 .. 10^10 */
static const int64_t hist_pow10[] = {
	1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
	100000000LL, 1000000000LL, 10000000000LL,
};

#define HIST_LOW_EXP 2		/* first decade starts at 10^2 ns */

void hist_init(struct hist *h)
{
	memset(h, 0, sizeof(*h));
}

size_t hist_bucket(int64_t ns)
{
	int d;

	if (ns < hist_pow10[HIST_LOW_EXP])
		return 0;
	if (ns >= hist_pow10[HIST_LOW_EXP + HIST_DECADES])
		return HIST_NBUCKETS - 1;
	d = HIST_LOW_EXP;
	while (ns >= hist_pow10[d + 1])
		d++;
	/* ns / 10^(d-1) is the two leading digits, 10..99. */
	return 1 + (size_t)(d - HIST_LOW_EXP) * HIST_PER_DECADE +
	       (size_t)(ns / hist_pow10[d - 1] - 10);
}

int64_t hist_bucket_lo(size_t i)
{
	size_t d, k;

	if (i == 0)
		return 0;
	if (i >= HIST_NBUCKETS - 1)
		return hist_pow10[HIST_LOW_EXP + HIST_DECADES];
	d = (i - 1) / HIST_PER_DECADE;
	k = (i - 1) % HIST_PER_DECADE;
	return (int64_t)(10 + k) * hist_pow10[HIST_LOW_EXP + d - 1];
}

int64_t hist_bucket_hi(size_t i)
{
	if (i >= HIST_NBUCKETS - 1)
		return INT64_MAX;
	return hist_bucket_lo(i + 1);
}

void hist_add(struct hist *h, int64_t ns)
{
	if (!h->count || ns < h->min)
		h->min = ns;
	if (!h->count || ns > h->max)
		h->max = ns;
	h->count++;
	h->sum += (double)ns;
	if (ns < 0)
		h->negative++;
	h->bucket[hist_bucket(ns)]++;
}

void hist_merge(struct hist *dst, const struct hist *src)
{
	if (!src->count)
		return;
	if (!dst->count || src->min < dst->min)
		dst->min = src->min;
	if (!dst->count || src->max > dst->max)
		dst->max = src->max;
	dst->count += src->count;
	dst->negative += src->negative;
	dst->sum += src->sum;
	for (size_t i = 0; i < HIST_NBUCKETS; i++)
		dst->bucket[i] += src->bucket[i];
}

int64_t hist_percentile(const struct hist *h, double pct)
{
	uint64_t rank, seen = 0;
	int64_t v;
	size_t i;

	if (!h->count)
		return 0;
	if (pct >= 100.0)
		return h->max;
	if (!(pct > 0.0))
		return h->min;
	/* The smallest rank with at least pct % of the values at or below. */
	rank = (uint64_t)(pct / 100.0 * (double)h->count);
	if ((double)rank < pct / 100.0 * (double)h->count)
		rank++;
	if (rank < 1)
		rank = 1;
	if (rank > h->count)
		rank = h->count;
	for (i = 0; i < HIST_NBUCKETS; i++) {
		seen += h->bucket[i];
		if (seen >= rank)
			break;
	}
	if (i >= HIST_NBUCKETS - 1)
		return h->max;
	v = hist_bucket_hi(i) - 1;
	if (v > h->max)
		v = h->max;
	if (v < h->min)
		v = h->min;
	return v;
}

double hist_mean(const struct hist *h)
{
	return h->count ? h->sum / (double)h->count : 0.0;
}
