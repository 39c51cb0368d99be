/* SPDX-License-Identifier: MIT */
/* hist.h - a histogram of lateness (or delay error) in ns, 100 ns to 10 s */
#ifndef EMU_HIST_H
#define EMU_HIST_H

#include <stddef.h>
#include <stdint.h>

/*
 * Buckets: [0, 100 ns) (negative values too, see hist_add), then each
 * decade from 100 ns to 10 s in 90 linear steps of a tenth of its lower
 * edge (100, 110, ..., 990 ns, 1.0, 1.1, ... us), then [10 s, inf).
 */
#define HIST_DECADES 8		/* 1e2 .. 1e10 ns */
#define HIST_PER_DECADE 90
#define HIST_NBUCKETS (1 + HIST_DECADES * HIST_PER_DECADE + 1)

struct hist {
	uint64_t count;
	uint64_t negative;	/* how many of count were below 0 */
	int64_t min, max;	/* exact; 0 when count is 0 */
	double sum;		/* for the mean */
	uint64_t bucket[HIST_NBUCKETS];
};

void hist_init(struct hist *h);

/*
 * Count one value in ns. A negative value (a release earlier than due, a
 * measured delay shorter than the model) is counted in negative and in
 * the lowest bucket; min, max and the mean keep its sign.
 */
void hist_add(struct hist *h, int64_t ns);

/* Add src's counts to dst. */
void hist_merge(struct hist *dst, const struct hist *src);

/*
 * The pct-th percentile (0 < pct <= 100): the largest value of the bucket
 * holding that rank, clamped to [min, max], so within 10 % above the true
 * value from 100 ns to 10 s; hist_percentile(h, 100) is the exact max.
 * 0 when the histogram is empty.
 */
int64_t hist_percentile(const struct hist *h, double pct);

/* Mean of the values, 0 when empty. */
double hist_mean(const struct hist *h);

/* The bucket of a value, and the bucket's range [lo, hi) in ns. */
size_t hist_bucket(int64_t ns);
int64_t hist_bucket_lo(size_t i);
int64_t hist_bucket_hi(size_t i);

#endif
