// SPDX-License-Identifier: MIT
/* test_sched.c - the heap of link heads against sorting and brute force */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "emu/plane/sched.h"

#define NLINKS 500
#define NPKTS 20000

static struct link links[NLINKS];
static struct link_pkt pkts[NPKTS];

static void init_links(int n, uint64_t rate)
{
	struct linkparams lp = { .rate_bps = rate,
				 .qkind = LINKPARAMS_Q_PACKETS,
				 .qlimit = UINT64_MAX,
				 .loss = { .kind = LINKPARAMS_LOSS_NONE } };

	for (int i = 0; i < n; i++)
		link_init(&links[i], (uint32_t)i, &lp, 1);
}

static struct link_pkt *new_pkt(int i, uint32_t bytes)
{
	memset(&pkts[i], 0, sizeof(pkts[i]));
	pkts[i].wire_bytes = bytes;
	pkts[i].segments = 1;
	return &pkts[i];
}

/* Every link in the heap knows its place; the heap property holds. */
static void check_heap(const struct sched *s)
{
	for (uint32_t i = 0; i < s->n; i++) {
		const struct link *l = s->heap[i];

		cr_assert_eq(l->sched_idx, i);
		cr_assert_not_null(l->head);
		if (i > 0) {
			const struct link *up = s->heap[(i - 1) / 2];

			cr_assert(link_next_due(up) < link_next_due(l) ||
				  (link_next_due(up) == link_next_due(l) &&
				   up->id < l->id));
		}
	}
}

static int64_t brute_next_due(int n)
{
	int64_t m = INT64_MAX;

	for (int i = 0; i < n; i++)
		if (link_next_due(&links[i]) < m)
			m = link_next_due(&links[i]);
	return m;
}

struct key {
	int64_t due;
	uint32_t id;
};

static int key_cmp(const void *a, const void *b)
{
	const struct key *x = a, *y = b;

	if (x->due != y->due)
		return x->due < y->due ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

Test(sched, empty)
{
	struct sched s;

	cr_assert_eq(sched_init(&s, 0), 0);
	cr_expect_eq(sched_next_due(&s), INT64_MAX);
	cr_expect_null(sched_peek_due(&s, INT64_MAX));
	cr_expect_null(sched_pop_due(&s, INT64_MAX));
	init_links(1, 0);
	/* An empty link is not inserted. */
	cr_expect_eq(sched_update(&s, &links[0]), 0);
	cr_expect_eq(sched_len(&s), 0);
	cr_expect_eq(links[0].sched_idx, LINK_SCHED_NONE);
	sched_destroy(&s);
}

/*
 * Many links, random packets and delays, all queued first, then drained
 * one packet at a time: the release order is the sorted (due, id) order.
 */
Test(sched, drain_matches_sort)
{
	static struct key want[NPKTS], got[NPKTS];
	struct sched s;
	struct rng r;
	struct link *l;
	int n = 0;

	rng_seed(&r, 11, 0);
	init_links(NLINKS, 1000000000);
	cr_assert_eq(sched_init(&s, 0), 0);	/* grows from nothing */
	for (int i = 0; i < NPKTS; i++) {
		struct link *to = &links[rng_u64(&r) % NLINKS];
		int64_t t = (int64_t)(rng_u64(&r) % 1000000);
		int64_t prop = (int64_t)(rng_u64(&r) % 5000000);
		/* Coarse dues make ties between links common. */
		prop -= prop % 100000;
		t -= t % 100000;

		cr_assert_eq(link_enqueue(to, new_pkt(i, 1500), t, prop),
			     LINK_QUEUED);
		want[i] = (struct key){ pkts[i].due_ns, to->id };
		cr_assert_eq(sched_update(&s, to), 0);
	}
	check_heap(&s);
	cr_expect_eq(sched_next_due(&s), brute_next_due(NLINKS));
	qsort(want, NPKTS, sizeof(want[0]), key_cmp);

	while ((l = sched_peek_due(&s, INT64_MAX))) {
		struct link_pkt *p = link_pop_due(l, INT64_MAX);

		cr_assert_not_null(p);
		got[n++] = (struct key){ p->due_ns, l->id };
		cr_assert_eq(sched_update(&s, l), 0);
	}
	cr_assert_eq(n, NPKTS);
	for (int i = 0; i < NPKTS; i++) {
		cr_assert_eq(got[i].due, want[i].due, "release %d", i);
		cr_assert_eq(got[i].id, want[i].id, "release %d", i);
	}
	cr_expect_eq(sched_len(&s), 0);
	sched_destroy(&s);
}

/*
 * An event loop with a fake clock: packets arrive over time, each wake-up
 * releases what is due. Nothing due is left behind, nothing early is
 * released, releases are in due order, and next_due is the true minimum.
 */
Test(sched, event_loop_fake_clock)
{
	struct sched s;
	struct rng r;
	struct link *l;
	int64_t now = 0, last = INT64_MIN;
	int sent = 0, got = 0;

	rng_seed(&r, 12, 0);
	init_links(64, 100000000);
	cr_assert_eq(sched_init(&s, 8), 0);
	while (sent < NPKTS || sched_len(&s)) {
		for (int k = 0; k < 4 && sent < NPKTS; k++) {
			struct link *to = &links[rng_u64(&r) % 64];
			int64_t prop = 1000 + (int64_t)(rng_u64(&r) % 200000);
			int v = link_enqueue(to, new_pkt(sent++, 1500), now,
					     prop);

			cr_assert_eq(v, LINK_QUEUED);
			cr_assert_eq(sched_update(&s, to), 0);
		}
		cr_assert_eq(sched_next_due(&s), brute_next_due(64));
		/* Wake at the next due or after a random pause. */
		now += 1 + (int64_t)(rng_u64(&r) % 50000);
		while ((l = sched_peek_due(&s, now))) {
			struct link_pkt *p = link_pop_due(l, now);

			cr_assert_not_null(p);
			cr_assert_leq(p->due_ns, now);
			cr_assert_geq(p->due_ns, last);
			last = p->due_ns;
			got++;
			cr_assert_eq(sched_update(&s, l), 0);
		}
		cr_assert_gt(brute_next_due(64), now);
		check_heap(&s);
	}
	cr_expect_eq(got, NPKTS);
	sched_destroy(&s);
}

/* pop removes, update puts back, a flushed link leaves, remove is safe. */
Test(sched, pop_update_flush_remove)
{
	struct sched s;
	struct link *l;

	init_links(4, 0);
	cr_assert_eq(sched_init(&s, 2), 0);
	for (int i = 0; i < 4; i++) {
		/* Link i gets dues 100 - 10 i and 200 - 10 i. */
		link_enqueue(&links[i], new_pkt(2 * i, 100), 0, 100 - 10 * i);
		link_enqueue(&links[i], new_pkt(2 * i + 1, 100), 100,
			     100 - 10 * i);
		cr_assert_eq(sched_update(&s, &links[i]), 0);
	}
	cr_expect_eq(sched_len(&s), 4);
	cr_expect_eq(sched_next_due(&s), 70);
	cr_expect_null(sched_pop_due(&s, 69));
	l = sched_pop_due(&s, 70);
	cr_assert_eq(l, &links[3]);
	cr_expect_eq(l->sched_idx, LINK_SCHED_NONE);
	cr_expect_eq(sched_len(&s), 3);
	cr_expect_eq(sched_next_due(&s), 80);
	cr_assert_not_null(link_pop_due(l, 70));
	cr_assert_eq(sched_update(&s, l), 0);	/* back, head due 170 */
	cr_expect_eq(sched_len(&s), 4);
	check_heap(&s);

	link_flush(&links[2], NULL, NULL);
	cr_assert_eq(sched_update(&s, &links[2]), 0);
	cr_expect_eq(sched_len(&s), 3);
	cr_expect_eq(links[2].sched_idx, LINK_SCHED_NONE);
	cr_expect_eq(sched_next_due(&s), 90);
	sched_remove(&s, &links[1]);
	sched_remove(&s, &links[1]);	/* twice is harmless */
	sched_remove(&s, &links[2]);	/* not in: harmless */
	cr_expect_eq(sched_len(&s), 2);
	cr_expect_eq(sched_next_due(&s), 100);
	check_heap(&s);
	/* After a flush a new, earlier head moves the link up. */
	link_flush(&links[3], NULL, NULL);
	link_enqueue(&links[3], new_pkt(9, 100), 0, 5);
	cr_assert_eq(sched_update(&s, &links[3]), 0);
	cr_expect_eq(sched_peek_due(&s, 5), &links[3]);
	check_heap(&s);
	sched_destroy(&s);
	cr_expect_eq(links[3].sched_idx, LINK_SCHED_NONE);
}

/* Equal due times come out by link id, whatever the insertion order. */
Test(sched, ties_by_id)
{
	static const int order[] = { 5, 2, 7, 0, 3, 6, 1, 4 };
	struct sched s;
	struct link *l;
	uint32_t prev = 0;
	int n = 0;

	init_links(8, 0);
	cr_assert_eq(sched_init(&s, 0), 0);
	for (int i = 0; i < 8; i++) {
		link_enqueue(&links[order[i]], new_pkt(i, 100), 0, 1000);
		cr_assert_eq(sched_update(&s, &links[order[i]]), 0);
	}
	while ((l = sched_pop_due(&s, 1000))) {
		if (n++)
			cr_expect_gt(l->id, prev);
		prev = l->id;
	}
	cr_expect_eq(n, 8);
	sched_destroy(&s);
}
