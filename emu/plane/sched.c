// SPDX-License-Identifier: MIT
/* sched.c - which link releases a packet next: a min-heap of link heads */

/*
 * Model. Packets leave a link in FIFO order (link.c never reorders), so the
 * next packet to release anywhere is the head of some link, and only heads
 * need ordering: a heap of the n non-empty links, not of every packet in
 * flight (design.md: "one FIFO per directed link and a small heap of link
 * heads"). Popping a packet changes one key, a new head due no earlier, so
 * one sift-down; a packet queued on an empty link inserts it. The earliest
 * key arms the single timerfd of the event loop.
 *
 * Ties between links with the same due time are broken by link id, so the
 * order of releases, and everything downstream of it, repeats exactly from
 * run to run.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "emu/plane/sched.h"

int sched_init(struct sched *s, uint32_t cap)
{
	s->n = 0;
	s->cap = 0;
	s->heap = NULL;
	if (cap) {
		s->heap = calloc(cap, sizeof(*s->heap));
		if (!s->heap)
			return -ENOMEM;
		s->cap = cap;
	}
	return 0;
}

void sched_destroy(struct sched *s)
{
	for (uint32_t i = 0; i < s->n; i++)
		s->heap[i]->sched_idx = LINK_SCHED_NONE;
	free(s->heap);
	s->heap = NULL;
	s->n = s->cap = 0;
}

static bool sched_before(const struct link *a, const struct link *b)
{
	int64_t da = link_next_due(a), db = link_next_due(b);

	return da < db || (da == db && a->id < b->id);
}

static void sched_place(struct sched *s, uint32_t i, struct link *l)
{
	s->heap[i] = l;
	l->sched_idx = i;
}

static void sched_sift_up(struct sched *s, uint32_t i)
{
	struct link *l = s->heap[i];

	while (i > 0) {
		uint32_t up = (i - 1) / 2;

		if (!sched_before(l, s->heap[up]))
			break;
		sched_place(s, i, s->heap[up]);
		i = up;
	}
	sched_place(s, i, l);
}

static void sched_sift_down(struct sched *s, uint32_t i)
{
	struct link *l = s->heap[i];

	for (;;) {
		uint32_t c = 2 * i + 1;

		if (c >= s->n)
			break;
		if (c + 1 < s->n && sched_before(s->heap[c + 1], s->heap[c]))
			c++;
		if (!sched_before(s->heap[c], l))
			break;
		sched_place(s, i, s->heap[c]);
		i = c;
	}
	sched_place(s, i, l);
}

static void sched_fix(struct sched *s, uint32_t i)
{
	if (i > 0 && sched_before(s->heap[i], s->heap[(i - 1) / 2]))
		sched_sift_up(s, i);
	else
		sched_sift_down(s, i);
}

void sched_remove(struct sched *s, struct link *l)
{
	uint32_t i = l->sched_idx;

	if (i == LINK_SCHED_NONE || i >= s->n || s->heap[i] != l)
		return;
	l->sched_idx = LINK_SCHED_NONE;
	s->n--;
	if (i == s->n)
		return;
	sched_place(s, i, s->heap[s->n]);
	sched_fix(s, i);
}

static int sched_grow(struct sched *s)
{
	uint32_t cap = s->cap ? s->cap * 2 : 64;
	struct link **heap;

	if (s->cap >= UINT32_MAX / 2)
		return -ENOMEM;
	heap = realloc(s->heap, (size_t)cap * sizeof(*heap));
	if (!heap)
		return -ENOMEM;
	s->heap = heap;
	s->cap = cap;
	return 0;
}

int sched_update(struct sched *s, struct link *l)
{
	uint32_t i = l->sched_idx;
	int ret;

	if (!l->head) {
		sched_remove(s, l);
		return 0;
	}
	if (i != LINK_SCHED_NONE) {
		sched_fix(s, i);
		return 0;
	}
	if (s->n == s->cap) {
		ret = sched_grow(s);
		if (ret)
			return ret;
	}
	sched_place(s, s->n, l);
	s->n++;
	sched_sift_up(s, s->n - 1);
	return 0;
}

int64_t sched_next_due(const struct sched *s)
{
	return s->n ? link_next_due(s->heap[0]) : INT64_MAX;
}

struct link *sched_peek_due(const struct sched *s, int64_t now_ns)
{
	if (!s->n || link_next_due(s->heap[0]) > now_ns)
		return NULL;
	return s->heap[0];
}

struct link *sched_pop_due(struct sched *s, int64_t now_ns)
{
	struct link *l = sched_peek_due(s, now_ns);

	if (l)
		sched_remove(s, l);
	return l;
}
