// SPDX-License-Identifier: MIT
/* bench_link.c - CPU cost per packet of the pure data-plane models */

/*
 * Drives links, the scheduler and the histogram with a fake clock, as the
 * forwarder will: each packet is enqueued on a random link (rate 10 Gbit/s,
 * 1 to 20 ms of light time, a 1,000-packet backlog limit) and released by
 * the sched_peek_due / link_pop_due / sched_update loop, and the release is
 * recorded in a histogram. Prints ns of CPU per packet (enqueue + release
 * + histogram) for a few link counts, and the cost of hist_add alone.
 * No I/O, so this is the model's share of the per-frame budget
 * (design.md: about 7.6 us per frame for read()/write() of a TAP).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "emu/plane/hist.h"
#include "emu/plane/link.h"
#include "emu/plane/sched.h"

#define NPKT 1000000

static double bench_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int bench_links(uint32_t nlinks)
{
	struct linkparams lp = { .rate_bps = 10000000000ULL,
				 .qkind = LINKPARAMS_Q_PACKETS,
				 .qlimit = 1000,
				 .loss = { .kind = LINKPARAMS_LOSS_RANDOM,
					   .p = 0.001 } };
	struct link_pkt *pool, *free_list = NULL, *p;
	struct link *links, *l;
	struct sched s = { 0 };
	struct hist h;
	struct rng r;
	int64_t now = 0;
	uint64_t released = 0, dropped = 0;
	double t0, t1;
	int ret = 1;

	pool = calloc(NPKT, sizeof(*pool));
	links = calloc(nlinks, sizeof(*links));
	if (!pool || !links || sched_init(&s, nlinks))
		goto out;
	for (uint32_t i = 0; i < nlinks; i++)
		link_init(&links[i], i, &lp, 1);
	for (int i = 0; i < NPKT; i++) {
		pool[i].next = free_list;
		free_list = &pool[i];
	}
	hist_init(&h);
	rng_seed(&r, 2, 0);

	t0 = bench_now_s();
	for (int i = 0; i < 4 * NPKT; i++) {
		/* One packet every 500 ns on average: 2 M packets/s. */
		now += (int64_t)(rng_u64(&r) % 1000);
		if (free_list) {
			uint64_t x = rng_u64(&r);
			int64_t prop = 1000000 + (int64_t)(x >> 40) % 19000000;

			p = free_list;
			free_list = p->next;
			p->wire_bytes = 1514;
			p->segments = 1;
			l = &links[x % nlinks];
			if (link_enqueue(l, p, now, prop) == LINK_QUEUED) {
				if (sched_update(&s, l))
					goto out;
			} else {
				p->next = free_list;
				free_list = p;
				dropped++;
			}
		}
		while ((l = sched_peek_due(&s, now))) {
			p = link_pop_due(l, now);
			if (sched_update(&s, l))
				goto out;
			hist_add(&h, now - p->due_ns);
			p->next = free_list;
			free_list = p;
			released++;
		}
	}
	t1 = bench_now_s();
	printf("links %6u: %.0f ns per packet offered (enqueue, release, "
	       "histogram); %lu released, %lu dropped, %u links queued\n",
	       nlinks, (t1 - t0) * 1e9 / (4.0 * NPKT),
	       (unsigned long)released, (unsigned long)dropped, sched_len(&s));
	ret = 0;
out:
	if (ret)
		fprintf(stderr, "bench_link: out of memory\n");
	sched_destroy(&s);
	free(links);
	free(pool);
	return ret;
}

static void bench_hist(void)
{
	struct hist h;
	struct rng r;
	double t0, t1;
	int64_t v[4096];

	rng_seed(&r, 3, 0);
	for (int i = 0; i < 4096; i++)
		v[i] = (int64_t)(rng_u64(&r) % 2000000);
	hist_init(&h);
	t0 = bench_now_s();
	for (int i = 0; i < 10 * NPKT; i++)
		hist_add(&h, v[i & 4095]);
	t1 = bench_now_s();
	printf("hist_add: %.1f ns per value (p50 %ld ns, p99 %ld ns)\n",
	       (t1 - t0) * 1e9 / (10.0 * NPKT), (long)hist_percentile(&h, 50),
	       (long)hist_percentile(&h, 99));
}

int main(void)
{
	static const uint32_t counts[] = { 16, 256, 4096, 40000 };

	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		if (bench_links(counts[i]))
			return 1;
	bench_hist();
	return 0;
}
