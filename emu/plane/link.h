/* SPDX-License-Identifier: MIT */
/* link.h - one directed laser link: rate, queue, loss, logical time */
#ifndef EMU_LINK_H
#define EMU_LINK_H

#include <stdbool.h>
#include <stdint.h>

#include "emu/plane/linkparams.h"
#include "emu/plane/loss.h"
#include "emu/plane/rng.h"

/*
 * What the link knows of a packet. The caller embeds it in its own buffer
 * struct and gets back to the buffer with container_of(); the link never
 * allocates, copies or frees packets (link_flush() hands them back through
 * a callback). wire_bytes and segments are set by the caller before
 * link_enqueue(); the times are set by link_enqueue().
 */
struct link_pkt {
	struct link_pkt *next;	/* the link's, while the packet is queued */
	uint32_t wire_bytes;	/* bytes serialised, every segment's headers */
	uint32_t segments;	/* segments of a super-frame; 0 counts as 1 */
	int64_t arrival_ns;	/* reached this link's transmit queue */
	int64_t start_ns;	/* first bit on the wire */
	int64_t finish_ns;	/* last bit on the wire */
	int64_t due_ns;		/* last bit at the far end: release it then */
};

/* What link_enqueue() did with a packet; on a drop the caller frees it. */
enum link_verdict {
	LINK_QUEUED = 0,
	LINK_DROP_QUEUE,	/* the transmit backlog is full (drop-tail) */
	LINK_DROP_LOSS,		/* lost on the wire (random loss model) */
	LINK_DROP_DOWN,		/* the link is down */
};

/* Counters since link_init(); packets and bytes are wire_bytes. */
struct link_stats {
	uint64_t enq_pkts, enq_bytes;		/* accepted, will arrive */
	uint64_t sent_pkts, sent_bytes, sent_segs;	/* popped when due */
	uint64_t drop_queue_pkts, drop_queue_bytes;
	uint64_t drop_loss_pkts, drop_loss_bytes;
	uint64_t drop_down_pkts, drop_down_bytes;	/* offered while down */
	uint64_t drop_flush_pkts, drop_flush_bytes;	/* queued at a flush */
	uint64_t clamped;	/* due raised to the previous due: no reorder */
	uint64_t max_backlog_pkts, max_backlog_bytes;
	int64_t max_wait_ns;	/* longest start - arrival of an accepted pkt */
};

#define LINK_SCHED_NONE UINT32_MAX

/*
 * One directed link a -> b. One FIFO holds both the transmit backlog
 * (packets whose start_ns is still ahead) and the packets in flight; they
 * leave in order because due times never decrease along the FIFO.
 * Fields are read-only outside link.c (and sched_idx belongs to sched.c).
 */
struct link {
	uint32_t id;		/* the caller's number; seeds the rng stream */
	bool up;
	struct linkparams params;
	struct loss_state loss;
	struct rng rng;

	struct link_pkt *head, *tail;
	uint64_t qlen;		/* packets in the FIFO */
	struct link_pkt *wait;	/* first packet still in the backlog */
	uint64_t backlog_pkts, backlog_bytes;	/* wait .. tail */
	int64_t clock_ns;	/* the backlog is as of this (latest arrival) */
	int64_t free_ns;	/* the transmitter is free from then */
	int64_t last_due_ns;	/* due of the last packet accepted */

	uint32_t sched_idx;	/* position in a struct sched, or NONE */
	struct link_stats stats;
};

/*
 * Set up an empty link, up, with its own loss state and the random stream
 * (seed, id). Must not be in a struct sched.
 */
void link_init(struct link *l, uint32_t id, const struct linkparams *params,
	       uint64_t seed);

/*
 * New rate, queue limit or loss model for the packets offered from now on;
 * queued packets keep their times. A new loss kind restarts the loss state
 * in the good state.
 */
void link_set_params(struct link *l, const struct linkparams *params);

/* Mark the link up or down; going down does not flush (see link_flush). */
void link_set_up(struct link *l, bool up);

/* Serialisation time of wire_bytes at the link's rate, in ns rounded up. */
int64_t link_tx_ns(const struct link *l, uint32_t wire_bytes);

/*
 * When a packet of wire_bytes arriving at arrival_ns would finish
 * serialisation: for callers that want the propagation delay at that
 * moment rather than at arrival.
 */
int64_t link_finish_ns(const struct link *l, int64_t arrival_ns,
		       uint32_t wire_bytes);

/*
 * Offer p to the link at logical time now_ns (the time it reached this
 * hop: the due time on the previous link, or the read time from a TAP).
 * prop_delay_ns is the light time of the link (negative counts as 0).
 * Sets p's times and queues it (LINK_QUEUED: the link holds p until it is
 * popped or flushed) or returns why it was dropped (the caller keeps p).
 */
enum link_verdict link_enqueue(struct link *l, struct link_pkt *p,
			       int64_t now_ns, int64_t prop_delay_ns);

/* The oldest packet (the next to arrive), or NULL. */
static inline struct link_pkt *link_peek(const struct link *l)
{
	return l->head;
}

/* Due time of the head packet, INT64_MAX when the link is empty. */
static inline int64_t link_next_due(const struct link *l)
{
	return l->head ? l->head->due_ns : INT64_MAX;
}

/* Remove and return the head if it is due at now_ns, else NULL. */
struct link_pkt *link_pop_due(struct link *l, int64_t now_ns);

/*
 * Drop every queued packet (backlog and in flight), counting them as
 * drop_flush, and hand each to free_pkt(p, arg) if free_pkt is not NULL.
 * The transmitter is idle afterwards. Returns the number of packets.
 * Call sched_update() for the link afterwards.
 */
uint64_t link_flush(struct link *l, void (*free_pkt)(struct link_pkt *p,
						     void *arg),
		    void *arg);

#endif
