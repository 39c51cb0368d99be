/* SPDX-License-Identifier: MIT */
/* sched.h - which link releases a packet next: a min-heap of link heads */
#ifndef EMU_SCHED_H
#define EMU_SCHED_H

#include <stdint.h>

#include "emu/plane/link.h"

/*
 * A binary min-heap of the links whose FIFO is not empty, keyed by the
 * due time of their head packet (ties by link id, so runs repeat). Each
 * link stores its position (link.sched_idx), so updating one is O(log n).
 */
struct sched {
	struct link **heap;
	uint32_t n, cap;
};

/* Start empty with room for cap links (0 is fine; it grows). */
int sched_init(struct sched *s, uint32_t cap);

/* Free the heap; the links are not touched except their sched_idx. */
void sched_destroy(struct sched *s);

/*
 * Put l where its head says: insert it if it has a head and is not in the
 * heap, move it if its head changed, remove it if its FIFO is empty. Call
 * after every link_enqueue() that queued, link_pop_due() and link_flush().
 * Returns 0, or -ENOMEM when the heap could not grow (l is then not in).
 */
int sched_update(struct sched *s, struct link *l);

/* Take l out of the heap if it is in (before freeing l, say). */
void sched_remove(struct sched *s, struct link *l);

/* Earliest head due time, INT64_MAX when nothing is queued: arm the timer. */
int64_t sched_next_due(const struct sched *s);

/* The link with the earliest head if that head is due at now_ns, else NULL;
 * the link stays in the heap (call sched_update() after popping from it). */
struct link *sched_peek_due(const struct sched *s, int64_t now_ns);

/*
 * Like sched_peek_due() but also takes the link out of the heap; put it
 * back with sched_update() once its due packets are popped. To release
 * packets in global due order (what the next hops need), pop one packet
 * per call:
 *	while ((l = sched_peek_due(s, now))) {
 *		p = link_pop_due(l, now);
 *		sched_update(s, l);
 *		forward(p);		(may enqueue and sched_update others)
 *	}
 */
struct link *sched_pop_due(struct sched *s, int64_t now_ns);

/* Number of links in the heap. */
static inline uint32_t sched_len(const struct sched *s)
{
	return s->n;
}

#endif
