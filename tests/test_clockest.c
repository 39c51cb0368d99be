// SPDX-License-Identifier: MIT
/* test_clockest.c - offset and one-way latency from simulated probes, and the cut-link rule */
#include <stdint.h>

#include <criterion/criterion.h>

#include "emu/plane/clockest.h"
#include "emu/plane/rng.h"

/*
 * A probe over a simulated LAN: the peer's clock reads true time + off;
 * the way there takes base + q1, the way back base + q2 (queueing).
 */
static struct clock_probe probe(int64_t t, int64_t off, int64_t base,
				int64_t q1, int64_t q2, int64_t serve)
{
	struct clock_probe p;

	p.t1 = t;
	p.t2 = t + base + q1 + off;
	p.t3 = p.t2 + serve;
	p.t4 = t + base + q1 + serve + base + q2;
	return p;
}

/* clockest_add takes a pointer: keep the probe in a compound literal */
#define PROBE(...) ((struct clock_probe[]){ probe(__VA_ARGS__) })

/* Symmetric ways: offset exact, owd the one-way time. */
Test(clockest, symmetric_exact)
{
	struct clockest c;
	struct clockest_result r;

	clockest_init(&c);
	cr_assert(!clockest_get(&c, &r));
	clockest_add(&c, &(struct clock_probe){ 0 });
	clockest_init(&c);
	clockest_add(&c, PROBE(1000000, 5000000, 40000,
						    0, 0, 7000));
	cr_assert(clockest_get(&c, &r));
	cr_expect_eq(r.offset_ns, 5000000);
	cr_expect_eq(r.owd_ns, 40000);
	cr_expect_eq(r.rtt_ns, 80000);
	cr_expect_eq(r.samples, 1);
}

/* Negative offsets and a peer behind: the sign is the peer minus here. */
Test(clockest, peer_behind)
{
	struct clockest c;
	struct clockest_result r;

	clockest_init(&c);
	clockest_add(&c, PROBE(9000000000, -3000000,
						    25000, 0, 0, 1000));
	cr_assert(clockest_get(&c, &r));
	cr_expect_eq(r.offset_ns, -3000000);
	cr_expect_eq(r.owd_ns, 25000);
}

/*
 * Queueing on either way, random: the fastest probe of the window wins,
 * so the estimate is within the fastest probe's own asymmetry, and the
 * jitter is half the median extra.
 */
Test(clockest, queueing_filtered)
{
	struct clockest c;
	struct clockest_result r;
	struct rng g;

	rng_seed(&g, 42, 0);
	clockest_init(&c);
	for (int i = 0; i < 200; i++) {
		int64_t q1 = (int64_t)(rng_u64(&g) % 400000);
		int64_t q2 = (int64_t)(rng_u64(&g) % 400000);

		if (i == 180)
			q1 = q2 = 1000;	/* one nearly clean probe */
		clockest_add(&c, PROBE(
					 i * 1000000LL, 123456, 30000, q1, q2,
					 5000));
	}
	cr_assert(clockest_get(&c, &r));
	cr_expect_eq(r.samples, CLOCKEST_WINDOW);
	cr_expect_eq(r.rtt_ns, 62000);
	cr_expect_eq(r.offset_ns, 123456);
	cr_expect_eq(r.owd_ns, 31000);
	cr_expect_gt(r.jitter_ns, 100000);
	cr_expect_lt(r.jitter_ns, 300000);
}

/* A reply that came back before it left is refused, not averaged in. */
Test(clockest, impossible_refused)
{
	struct clockest c;
	struct clockest_result r;
	struct clock_probe bad = { .t1 = 100, .t2 = 50, .t3 = 60, .t4 = 90 };

	clockest_init(&c);
	clockest_add(&c, &bad);
	cr_expect_eq(c.refused, 1);
	cr_expect(!clockest_get(&c, &r));
}

/* Older probes leave the window: a clock that moved is followed. */
Test(clockest, window_follows)
{
	struct clockest c;
	struct clockest_result r;

	clockest_init(&c);
	for (int i = 0; i < CLOCKEST_WINDOW; i++)
		clockest_add(&c, PROBE(i * 1000LL, 0,
							    10000, 0, 0, 0));
	for (int i = 0; i < CLOCKEST_WINDOW; i++)
		clockest_add(&c, PROBE(i * 1000LL, 777,
							    20000, 0, 0, 0));
	cr_assert(clockest_get(&c, &r));
	cr_expect_eq(r.offset_ns, 777);
	cr_expect_eq(r.owd_ns, 20000);
}

/* The rule's three answers at their edges. */
Test(clockest, rule_edges)
{
	struct clockest_result r = { .offset_ns = -50000, .owd_ns = 200000,
				     .jitter_ns = 25000 };
	int64_t budget;

	/* late = 250 us; needed = 250 + 100 + margin 100 = 450 us */
	cr_expect_eq(clockest_rule(249999, &r, 100000, &budget),
		     CLOCKEST_REFUSE);
	cr_expect_eq(budget, 249999 - 450000);
	cr_expect_eq(clockest_rule(250000, &r, 100000, NULL), CLOCKEST_WARN);
	cr_expect_eq(clockest_rule(449999, &r, 100000, NULL), CLOCKEST_WARN);
	cr_expect_eq(clockest_rule(450000, &r, 100000, &budget), CLOCKEST_OK);
	cr_expect_eq(budget, 0);
	cr_expect_str_eq(clockest_verdict_name(CLOCKEST_WARN), "warn");
}

/* The wire format round-trips, and anything else is refused with a reason. */
Test(clockest, wire)
{
	struct clockest_msg m = { .kind = CLOCKEST_ANSWER, .rank = 513,
				  .seq = 0xdeadbeef, .t1 = -5,
				  .t2 = INT64_C(1764000000123456789),
				  .t3 = INT64_MAX }, back;
	uint8_t buf[CLOCKEST_MSG_LEN + 1];
	const char *why = NULL;

	clockest_encode(&m, buf);
	cr_assert(clockest_decode(buf, CLOCKEST_MSG_LEN, &back, &why));
	cr_expect_eq(back.kind, m.kind);
	cr_expect_eq(back.rank, 513);
	cr_expect_eq(back.seq, 0xdeadbeef);
	cr_expect_eq(back.t1, -5);
	cr_expect_eq(back.t2, m.t2);
	cr_expect_eq(back.t3, INT64_MAX);
	cr_expect(!clockest_decode(buf, CLOCKEST_MSG_LEN - 1, &back, &why));
	cr_expect_str_eq(why, "wrong length");
	buf[5] = 3;
	cr_expect(!clockest_decode(buf, CLOCKEST_MSG_LEN, &back, &why));
	cr_expect_str_eq(why, "unknown kind");
	buf[5] = 1;
	buf[4] = 2;
	cr_expect(!clockest_decode(buf, CLOCKEST_MSG_LEN, &back, &why));
	buf[4] = 1;
	buf[0] = 'X';
	cr_expect(!clockest_decode(buf, CLOCKEST_MSG_LEN, &back, &why));
	cr_expect_str_eq(why, "not a clock probe");
}
