// SPDX-License-Identifier: MIT
/* test_link.c - one directed link, fake clock: rate, delay, queue, loss */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "emu/plane/link.h"

#define US 1000LL
#define MS 1000000LL

static struct linkparams params(uint64_t rate, enum linkparams_qlimit kind,
				uint64_t limit)
{
	return (struct linkparams){ .rate_bps = rate, .qkind = kind,
				    .qlimit = limit,
				    .loss = { .kind = LINKPARAMS_LOSS_NONE } };
}

static struct linkparams unlimited(void)
{
	return params(0, LINKPARAMS_Q_PACKETS, UINT64_MAX);
}

/* A caller's buffer with the link's record embedded, as the forwarder does. */
struct buf {
	int seq;
	struct link_pkt lp;
};

static struct buf *buf_of(struct link_pkt *p)
{
	return (struct buf *)((char *)p - offsetof(struct buf, lp));
}

static struct buf bufs[4096];

static struct link_pkt *pkt(int i, uint32_t bytes)
{
	memset(&bufs[i], 0, sizeof(bufs[i]));
	bufs[i].seq = i;
	bufs[i].lp.wire_bytes = bytes;
	bufs[i].lp.segments = 1;
	return &bufs[i].lp;
}

/* Packets in the FIFO that have not started by the link's clock. */
static uint64_t brute_backlog(const struct link *l, uint64_t *bytes)
{
	uint64_t n = 0, b = 0;

	for (const struct link_pkt *p = l->head; p; p = p->next) {
		if (p->start_ns > l->clock_ns) {
			n++;
			b += p->wire_bytes;
		}
	}
	if (bytes)
		*bytes = b;
	return n;
}

/* 1500 B at 100 Mbit/s is 120 us exactly; back-to-back packets queue. */
Test(link, serialisation)
{
	struct linkparams lp = params(100000000, LINKPARAMS_Q_PACKETS, 100);
	struct link l;
	struct link_pkt *a = pkt(0, 1500), *b = pkt(1, 1500), *c = pkt(2, 1500);

	link_init(&l, 1, &lp, 0);
	cr_expect_eq(link_tx_ns(&l, 1500), 120 * US);
	cr_assert_eq(link_enqueue(&l, a, 0, 0), LINK_QUEUED);
	cr_assert_eq(link_enqueue(&l, b, 0, 0), LINK_QUEUED);
	cr_expect_eq(a->start_ns, 0);
	cr_expect_eq(a->finish_ns, 120 * US);
	cr_expect_eq(a->due_ns, 120 * US);
	cr_expect_eq(b->start_ns, 120 * US);
	cr_expect_eq(b->finish_ns, 240 * US);
	/* After the link went idle, a packet starts when it arrives. */
	cr_assert_eq(link_enqueue(&l, c, 500 * US, 0), LINK_QUEUED);
	cr_expect_eq(c->start_ns, 500 * US);
	cr_expect_eq(c->finish_ns, 620 * US);
	cr_expect_eq(link_finish_ns(&l, 600 * US, 1500), 740 * US);
	cr_expect_eq(l.stats.max_wait_ns, 120 * US);
}

/* bits * 1e9 / rate is rounded up to the next ns, without overflow. */
Test(link, tx_time_rounding)
{
	struct linkparams lp = params(3, LINKPARAMS_Q_PACKETS, 1);
	struct link l;

	link_init(&l, 1, &lp, 0);
	cr_expect_eq(link_tx_ns(&l, 1), 2666666667LL);	/* 8e9 / 3 */
	lp.rate_bps = 10000000000ULL;
	link_set_params(&l, &lp);
	cr_expect_eq(link_tx_ns(&l, 1500), 1200);
	cr_expect_eq(link_tx_ns(&l, 1), 1);		/* 0.8 ns -> 1 */
	lp.rate_bps = 1;
	link_set_params(&l, &lp);
	/* 2^32 - 1 bytes at 1 bit/s: 3.4e19 ns, clamped, not wrapped. */
	cr_expect_gt(link_tx_ns(&l, UINT32_MAX), 0);
}

/* Unlimited rate: finish = start = arrival, even back to back. */
Test(link, unlimited_rate)
{
	struct linkparams lp = unlimited();
	struct link l;

	link_init(&l, 1, &lp, 0);
	for (int i = 0; i < 10; i++) {
		struct link_pkt *p = pkt(i, 9000);
		int64_t t = 1000 + i / 2;	/* pairs at the same instant */

		cr_assert_eq(link_enqueue(&l, p, t, 5 * US), LINK_QUEUED);
		cr_expect_eq(p->start_ns, t);
		cr_expect_eq(p->finish_ns, t);
		cr_expect_eq(p->due_ns, t + 5 * US);
	}
	cr_expect_eq(l.stats.max_backlog_pkts, 0);
}

/* The light time is added after serialisation; pop releases when due. */
Test(link, propagation_and_pop)
{
	struct linkparams lp = params(1000000000, LINKPARAMS_Q_PACKETS, 10);
	struct link l;
	struct link_pkt *a = pkt(0, 1000), *b = pkt(1, 1000);
	const int64_t prop = 3335641;	/* 1,000 km at c, in ns */

	link_init(&l, 1, &lp, 0);
	cr_assert_eq(link_enqueue(&l, a, 10 * US, prop), LINK_QUEUED);
	cr_assert_eq(link_enqueue(&l, b, 10 * US, prop), LINK_QUEUED);
	cr_expect_eq(a->due_ns, 10 * US + 8 * US + prop);
	cr_expect_eq(b->due_ns, 10 * US + 16 * US + prop);
	cr_expect_eq(link_next_due(&l), a->due_ns);
	cr_expect_null(link_pop_due(&l, a->due_ns - 1));
	cr_expect_eq(link_pop_due(&l, a->due_ns), a);
	cr_expect_eq(link_peek(&l), b);
	cr_expect_null(link_pop_due(&l, b->due_ns - 1));
	cr_expect_eq(link_pop_due(&l, b->due_ns + 5), b);
	cr_expect_null(link_pop_due(&l, INT64_MAX));
	cr_expect_eq(link_next_due(&l), INT64_MAX);
	cr_expect_eq(l.stats.sent_pkts, 2);
	cr_expect_eq(l.stats.sent_bytes, 2000);
	cr_expect_eq(l.qlen, 0);
	cr_expect_eq(l.backlog_pkts, 0);
	/* The embedding: the caller finds its buffer again. */
	cr_expect_eq(buf_of(b)->seq, 1);
}

/* A light time that shrinks faster than packets are spaced never reorders. */
Test(link, shrinking_delay_clamped)
{
	struct linkparams lp = unlimited();
	struct link l;
	struct link_pkt *a = pkt(0, 100), *b = pkt(1, 100), *c = pkt(2, 100);

	link_init(&l, 1, &lp, 0);
	cr_assert_eq(link_enqueue(&l, a, 0, 10 * MS), LINK_QUEUED);
	cr_assert_eq(link_enqueue(&l, b, 1 * US, 5 * MS), LINK_QUEUED);
	cr_assert_eq(link_enqueue(&l, c, 20 * MS, 5 * MS), LINK_QUEUED);
	cr_expect_eq(a->due_ns, 10 * MS);
	cr_expect_eq(b->due_ns, 10 * MS);	/* not 5.001 ms */
	cr_expect_eq(c->due_ns, 25 * MS);
	cr_expect_eq(l.stats.clamped, 1);
	cr_expect_eq(link_pop_due(&l, 10 * MS), a);
	cr_expect_eq(link_pop_due(&l, 10 * MS), b);
	/* A negative delay from a caller's rounding counts as 0. */
	cr_assert_eq(link_enqueue(&l, pkt(3, 100), 30 * MS, -5), LINK_QUEUED);
	cr_expect_eq(bufs[3].lp.due_ns, 30 * MS);
}

/*
 * The packet limit counts the transmit backlog only. At line rate with a
 * 10 ms light time, about 83 packets are in flight and none waits: no drop
 * with a limit of 2. A burst then fills exactly 2 waiting places.
 */
Test(link, packet_limit_counts_backlog_only)
{
	struct linkparams lp = params(100000000, LINKPARAMS_Q_PACKETS, 2);
	struct link l;
	int i, n = 0;
	int64_t t = 0;

	link_init(&l, 1, &lp, 0);
	for (i = 0; i < 1000; i++, t += 120 * US) {
		cr_assert_eq(link_enqueue(&l, pkt(n++, 1500), t, 10 * MS),
			     LINK_QUEUED, "paced packet %d", i);
		if (i == 500)
			cr_expect_geq(l.qlen, 83);
		while (link_pop_due(&l, t))
			;
	}
	cr_expect_eq(l.stats.drop_queue_pkts, 0);
	cr_expect_eq(l.stats.max_backlog_pkts, 0);

	/* Burst of 5 at t: one on the wire, two wait, two dropped. */
	t += 1 * MS;
	int verdict[5];

	for (i = 0; i < 5; i++)
		verdict[i] = link_enqueue(&l, pkt(n++, 1500), t, 10 * MS);
	cr_expect_eq(verdict[0], LINK_QUEUED);
	cr_expect_eq(verdict[1], LINK_QUEUED);
	cr_expect_eq(verdict[2], LINK_QUEUED);
	cr_expect_eq(verdict[3], LINK_DROP_QUEUE);
	cr_expect_eq(verdict[4], LINK_DROP_QUEUE);
	cr_expect_eq(l.backlog_pkts, 2);
	cr_expect_gt(l.qlen, 2);	/* in flight still */
	/* 120 us later the second starts: one place is free again. */
	cr_expect_eq(link_enqueue(&l, pkt(n++, 1500), t + 120 * US, 10 * MS),
		     LINK_QUEUED);
	cr_expect_eq(link_enqueue(&l, pkt(n++, 1500), t + 120 * US, 10 * MS),
		     LINK_DROP_QUEUE);
	cr_expect_eq(l.stats.drop_queue_pkts, 3);
	cr_expect_eq(l.stats.drop_queue_bytes, 4500);
	cr_expect_eq(l.stats.max_backlog_pkts, 2);
	cr_expect_eq(brute_backlog(&l, NULL), l.backlog_pkts);
}

/* A limit of 0 packets: only a packet that finds the transmitter idle. */
Test(link, packet_limit_zero)
{
	struct linkparams lp = params(100000000, LINKPARAMS_Q_PACKETS, 0);
	struct link l;

	link_init(&l, 1, &lp, 0);
	cr_expect_eq(link_enqueue(&l, pkt(0, 1500), 0, 0), LINK_QUEUED);
	cr_expect_eq(link_enqueue(&l, pkt(1, 1500), 119 * US, 0),
		     LINK_DROP_QUEUE);
	cr_expect_eq(link_enqueue(&l, pkt(2, 1500), 120 * US, 0), LINK_QUEUED);
}

/* Byte limit: the waiting bytes plus the newcomer must fit. */
Test(link, byte_limit)
{
	struct linkparams lp = params(100000000, LINKPARAMS_Q_BYTES, 3000);
	struct link l;

	link_init(&l, 1, &lp, 0);
	cr_expect_eq(link_enqueue(&l, pkt(0, 1500), 0, MS), LINK_QUEUED);
	cr_expect_eq(link_enqueue(&l, pkt(1, 1500), 0, MS), LINK_QUEUED);
	cr_expect_eq(link_enqueue(&l, pkt(2, 1500), 0, MS), LINK_QUEUED);
	cr_expect_eq(link_enqueue(&l, pkt(3, 1500), 0, MS), LINK_DROP_QUEUE);
	cr_expect_eq(link_enqueue(&l, pkt(4, 1000), 0, MS), LINK_DROP_QUEUE);
	cr_expect_eq(l.backlog_bytes, 3000);
	/* At 120 us packet 1 is on the wire: 1500 waiting, 1000 more fit. */
	cr_expect_eq(link_enqueue(&l, pkt(5, 1000), 120 * US, MS),
		     LINK_QUEUED);
	cr_expect_eq(link_enqueue(&l, pkt(6, 600), 120 * US, MS),
		     LINK_DROP_QUEUE);
	cr_expect_eq(link_enqueue(&l, pkt(7, 500), 120 * US, MS), LINK_QUEUED);
	cr_expect_eq(l.backlog_bytes, 3000);
	cr_expect_eq(l.stats.max_backlog_bytes, 3000);
	cr_expect_eq(l.stats.drop_queue_pkts, 3);
	cr_expect_eq(l.stats.drop_queue_bytes, 1500 + 1000 + 600);
}

/* Time limit: drop when start - arrival > limit (equal is kept). */
Test(link, time_limit)
{
	struct linkparams lp = params(100000000, LINKPARAMS_Q_TIME, 240 * US);
	struct link l;
	int v[5];

	link_init(&l, 1, &lp, 0);
	for (int i = 0; i < 5; i++)
		v[i] = link_enqueue(&l, pkt(i, 1500), 0, 0);
	cr_expect_eq(v[0], LINK_QUEUED);	/* waits 0 */
	cr_expect_eq(v[1], LINK_QUEUED);	/* 120 us */
	cr_expect_eq(v[2], LINK_QUEUED);	/* 240 us */
	cr_expect_eq(v[3], LINK_DROP_QUEUE);	/* 360 us */
	cr_expect_eq(v[4], LINK_DROP_QUEUE);	/* dropped ones take no time */
	cr_expect_eq(l.stats.max_wait_ns, 240 * US);
	cr_expect_eq(link_enqueue(&l, pkt(5, 1500), 121 * US, 0), LINK_QUEUED);
	cr_expect_eq(bufs[5].lp.start_ns, 360 * US);
}

/* Down: offered packets are dropped and counted, queued ones stay. */
Test(link, down_drops_by_reason)
{
	struct linkparams lp = params(100000000, LINKPARAMS_Q_PACKETS, 1);
	struct link l;

	link_init(&l, 1, &lp, 0);
	cr_expect(l.up);
	cr_expect_eq(link_enqueue(&l, pkt(0, 1500), 0, MS), LINK_QUEUED);
	cr_expect_eq(link_enqueue(&l, pkt(1, 1500), 0, MS), LINK_QUEUED);
	cr_expect_eq(link_enqueue(&l, pkt(2, 1500), 0, MS), LINK_DROP_QUEUE);
	link_set_up(&l, false);
	cr_expect_eq(link_enqueue(&l, pkt(3, 700), 0, MS), LINK_DROP_DOWN);
	cr_expect_eq(link_enqueue(&l, pkt(4, 800), 0, MS), LINK_DROP_DOWN);
	cr_expect_eq(l.stats.enq_pkts, 2);
	cr_expect_eq(l.stats.enq_bytes, 3000);
	cr_expect_eq(l.stats.drop_queue_pkts, 1);
	cr_expect_eq(l.stats.drop_down_pkts, 2);
	cr_expect_eq(l.stats.drop_down_bytes, 1500);
	cr_expect_eq(l.stats.drop_loss_pkts, 0);
	cr_expect_eq(l.qlen, 2);
}

static int freed[4096];
static int nfreed;

static void free_buf(struct link_pkt *p, void *arg)
{
	cr_assert_eq(arg, &nfreed);
	freed[buf_of(p)->seq]++;
	nfreed++;
}

/* Flush: every queued packet (waiting or in flight) freed once, counted. */
Test(link, flush_on_down)
{
	struct linkparams lp = params(100000000, LINKPARAMS_Q_PACKETS, 1000);
	struct link l;
	const int n = 50;

	memset(freed, 0, sizeof(freed));
	nfreed = 0;
	link_init(&l, 1, &lp, 0);
	for (int i = 0; i < n; i++)
		cr_assert_eq(link_enqueue(&l, pkt(i, 1500), i * 10 * US, MS),
			     LINK_QUEUED);
	cr_assert_eq(link_pop_due(&l, INT64_MAX), &bufs[0].lp);
	link_set_up(&l, false);
	cr_expect_eq(link_flush(&l, free_buf, &nfreed), (uint64_t)n - 1);
	cr_expect_eq(nfreed, n - 1);
	cr_expect_eq(freed[0], 0);
	for (int i = 1; i < n; i++)
		cr_expect_eq(freed[i], 1, "packet %d freed %d times", i,
			     freed[i]);
	cr_expect_eq(l.stats.drop_flush_pkts, (uint64_t)n - 1);
	cr_expect_eq(l.stats.drop_flush_bytes, (uint64_t)(n - 1) * 1500);
	cr_expect_null(link_peek(&l));
	cr_expect_eq(l.qlen, 0);
	cr_expect_eq(l.backlog_pkts, 0);
	cr_expect_eq(l.backlog_bytes, 0);
	/* Up again at 1 ms: the flushed packets do not hold the transmitter
	 * (they would have kept it busy until 6 ms). */
	link_set_up(&l, true);
	cr_expect_eq(link_enqueue(&l, pkt(n, 1500), MS, MS), LINK_QUEUED);
	cr_expect_eq(bufs[n].lp.start_ns, MS);
	cr_expect_eq(link_flush(&l, NULL, NULL), 1);
}

/* Loss: the same seed and id give the same verdicts; another id does not. */
Test(link, loss_seeded_repeats)
{
	struct linkparams lp = params(1000000000, LINKPARAMS_Q_PACKETS, 100000);
	struct link a, b, c;
	int va, vb, vc, lost = 0, differ = 0;

	lp.loss.kind = LINKPARAMS_LOSS_RANDOM;
	lp.loss.p = 0.1;
	link_init(&a, 7, &lp, 99);
	link_init(&b, 7, &lp, 99);
	link_init(&c, 8, &lp, 99);
	for (int i = 0; i < 2000; i++) {
		int64_t t = i * 20 * US;

		va = link_enqueue(&a, pkt(0, 1500), t, 0);
		vb = link_enqueue(&b, pkt(1, 1500), t, 0);
		vc = link_enqueue(&c, pkt(2, 1500), t, 0);
		cr_assert_eq(va, vb, "packet %d", i);
		cr_assert(va == LINK_QUEUED || va == LINK_DROP_LOSS);
		lost += va == LINK_DROP_LOSS;
		differ += va != vc;
		link_flush(&a, NULL, NULL);
		link_flush(&b, NULL, NULL);
		link_flush(&c, NULL, NULL);
	}
	cr_expect_eq(a.stats.drop_loss_pkts, (uint64_t)lost);
	cr_expect_eq(a.stats.drop_loss_bytes, (uint64_t)lost * 1500);
	cr_expect(lost > 100 && lost < 300, "lost %d of 2000 at 10 %%", lost);
	cr_expect_gt(differ, 0);
}

/*
 * A lost packet was sent: it holds the transmitter. A super-frame's
 * segments each draw; it is lost whole.
 */
Test(link, lost_packet_uses_transmitter)
{
	struct linkparams lp = params(100000000, LINKPARAMS_Q_PACKETS, 10);
	struct link l;

	lp.loss.kind = LINKPARAMS_LOSS_RANDOM;
	lp.loss.p = 1.0;
	link_init(&l, 1, &lp, 0);
	cr_expect_eq(link_enqueue(&l, pkt(0, 1500), 0, MS), LINK_DROP_LOSS);
	lp.loss.p = 0.0;
	link_set_params(&l, &lp);
	cr_expect_eq(link_enqueue(&l, pkt(1, 1500), 0, MS), LINK_QUEUED);
	cr_expect_eq(bufs[1].lp.start_ns, 120 * US);
	cr_expect_eq(l.stats.drop_loss_pkts, 1);
	cr_expect_eq(l.stats.enq_pkts, 1);
}

/* A super-frame: the caller's wire bytes and segments; sent_segs counts. */
Test(link, superframe_segments)
{
	struct linkparams lp = params(1000000000, LINKPARAMS_Q_PACKETS, 10);
	struct link l;
	struct link_pkt *p = pkt(0, 4 * (1448 + 66));

	p->segments = 4;
	link_init(&l, 1, &lp, 0);
	cr_assert_eq(link_enqueue(&l, p, 0, 0), LINK_QUEUED);
	cr_expect_eq(p->finish_ns, 4 * (1448 + 66) * 8);
	cr_expect_eq(link_pop_due(&l, p->due_ns), p);
	cr_expect_eq(l.stats.sent_segs, 4);
}

/*
 * An arrival earlier than one already queued (an upstream hop's logical
 * time after a TAP frame's real time) still queues behind it, in FIFO.
 */
Test(link, earlier_arrival_stays_fifo)
{
	struct linkparams lp = params(100000000, LINKPARAMS_Q_PACKETS, 10);
	struct link l;
	struct link_pkt *a = pkt(0, 1500), *b = pkt(1, 1500);

	link_init(&l, 1, &lp, 0);
	cr_assert_eq(link_enqueue(&l, a, 1000 * US, 0), LINK_QUEUED);
	cr_assert_eq(link_enqueue(&l, b, 950 * US, 0), LINK_QUEUED);
	cr_expect_eq(b->arrival_ns, 950 * US);
	cr_expect_eq(b->start_ns, 1120 * US);
	cr_expect_eq(l.stats.max_wait_ns, 170 * US);
	cr_expect_eq(link_pop_due(&l, INT64_MAX), a);
	cr_expect_eq(link_pop_due(&l, INT64_MAX), b);
}

/*
 * Random traffic against brute force: times consistent, due never
 * decreasing, the incremental backlog equal to a count over the FIFO, and
 * with a packet limit never more than the limit waiting at any arrival.
 */
Test(link, random_traffic_invariants)
{
	static struct link_pkt p[200000];
	const uint64_t limit = 5;
	struct linkparams lp = params(50000000, LINKPARAMS_Q_PACKETS, limit);
	struct link l;
	struct rng r;
	int64_t t = 0, last_due = INT64_MIN, prop = 2 * MS;
	uint64_t accepted = 0, popped = 0, bytes;
	struct link_pkt *q;

	lp.loss.kind = LINKPARAMS_LOSS_RANDOM;
	lp.loss.p = 0.01;
	rng_seed(&r, 5, 5);
	link_init(&l, 3, &lp, 5);
	for (size_t i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		int v;

		t += (int64_t)(rng_u64(&r) % (300 * US));
		prop += (int64_t)(rng_u64(&r) % 2001) - 1000;
		if (prop < 0)
			prop = 0;
		memset(&p[i], 0, sizeof(p[i]));
		p[i].wire_bytes = 64 + rng_u64(&r) % 1450;
		p[i].segments = 1;
		v = link_enqueue(&l, &p[i], t, prop);
		if (v == LINK_QUEUED) {
			accepted++;
			cr_assert_geq(p[i].start_ns, t);
			cr_assert_eq(p[i].finish_ns - p[i].start_ns,
				     link_tx_ns(&l, p[i].wire_bytes));
			cr_assert_geq(p[i].due_ns, p[i].finish_ns + prop);
		}
		cr_assert_leq(brute_backlog(&l, &bytes), limit);
		cr_assert_eq(brute_backlog(&l, &bytes), l.backlog_pkts);
		cr_assert_eq(bytes, l.backlog_bytes);
		/* Pop at a real time a little after the arrival. */
		while ((q = link_pop_due(&l, t + 50 * US))) {
			cr_assert_geq(q->due_ns, last_due);
			last_due = q->due_ns;
			popped++;
		}
		cr_assert_eq(brute_backlog(&l, &bytes), l.backlog_pkts);
	}
	while ((q = link_pop_due(&l, INT64_MAX)))
		popped++;
	cr_expect_eq(popped, accepted);
	cr_expect_eq(l.stats.enq_pkts, accepted);
	cr_expect_gt(l.stats.drop_queue_pkts, 0);
	cr_expect_gt(l.stats.drop_loss_pkts, 0);
	cr_expect_eq(l.stats.max_backlog_pkts, limit);
	cr_expect_eq(l.backlog_pkts, 0);
	cr_expect_eq(l.backlog_bytes, 0);
}
