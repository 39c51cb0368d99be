// SPDX-License-Identifier: MIT
/* link.c - one directed laser link: rate, queue, loss, logical time */

/*
 * Model. A directed link a -> b is a transmitter of a fixed rate in front
 * of a path of a given light time, with a drop-tail queue in front of the
 * transmitter and a random loss process on the path. Everything happens in
 * logical time: the caller says when a packet reached the link, and the
 * link says when it reaches the far end. Nothing here reads a clock.
 *
 * Logical time (docs: design.md, "The data plane"). For a packet that
 * arrives at the transmit queue at t_a:
 *	start  = max(t_a, free)		free = finish of the previous packet
 *	finish = start + ceil(wire_bits * 1e9 / rate) ns   (rate 0: finish =
 *		 start, an unlimited link)
 *	due    = max(finish + propagation delay, due of the previous packet)
 * The clamp keeps the link FIFO when the light time shrinks faster than
 * packets are spaced (it only ever moves a packet later, by at most the
 * shrink of the delay between two packets). The forwarder offers a packet
 * to the next hop at its due time on this hop, not at the real time the
 * process woke up, so wake-up lateness does not add up over hops.
 *
 * The propagation delay is the caller's value. Evaluating it at arrival
 * rather than at finish errs by (finish - arrival) * |d delay / dt|; range
 * rates of laser and ground links stay under about 10 km/s, so the error
 * is below 3.4e-5 of the wait: 34 ns for a 1 ms queue. link_finish_ns()
 * gives the finish time for callers that want it exact.
 *
 * Queue limit. The limit (packets, bytes or ns, linkparams) applies to the
 * transmit backlog only: the packets that reached the link but have not
 * started serialisation (start > t_a). The packet on the transmitter and
 * the packets in flight do not count, unlike netem, whose limit counts
 * every packet it holds, so a long light time fills it. A packet that
 * finds the transmitter idle never waits and is never dropped by the
 * limit. Packet and byte limits drop the newcomer when it would wait and
 * the backlog with it would exceed the limit; the time limit drops it when
 * start - t_a > limit. The backlog is the FIFO's suffix from the first
 * packet whose start is after the latest arrival seen (start times grow
 * along the FIFO), so it is kept incrementally; when arrivals come out of
 * order (a frame from a TAP at real time, then one from an upstream hop at
 * an earlier logical time) it is evaluated at the latest arrival, which
 * errs by at most the wake-up lateness.
 *
 * Loss. Decided per packet once the queue has accepted it, by the link's
 * loss model (emu/loss.c, netem's meanings) on the link's own seeded
 * random stream. A lost packet has been sent: it occupies the transmitter
 * (later packets wait for it, so goodput cannot exceed rate * (1 - loss))
 * but it is handed back to the caller at once and does not count in a
 * packet or byte backlog afterwards. A GSO super-frame of k segments
 * advances the loss chain k times and is lost whole if any segment is
 * (for Bernoulli loss, with probability 1 - (1 - p)^k): a TCP sender then
 * loses k segments where a real link would lose about one, so the
 * forwarder cuts super-frames into segments before a lossy link and
 * offers them one by one (fwd.c, gso.c; design.md: "Loss per segment").
 *
 * Serialisation of a super-frame counts every segment with its own
 * headers; the caller computes wire_bytes that way and passes segments.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "emu/plane/link.h"

void link_init(struct link *l, uint32_t id, const struct linkparams *params,
	       uint64_t seed)
{
	memset(l, 0, sizeof(*l));
	l->id = id;
	l->up = true;
	l->params = *params;
	loss_init(&l->loss);
	rng_seed(&l->rng, seed, id);
	l->clock_ns = INT64_MIN;
	l->free_ns = INT64_MIN;
	l->last_due_ns = INT64_MIN;
	l->sched_idx = LINK_SCHED_NONE;
}

void link_set_params(struct link *l, const struct linkparams *params)
{
	if (params->loss.kind != l->params.loss.kind)
		loss_init(&l->loss);
	l->params = *params;
}

void link_set_up(struct link *l, bool up)
{
	l->up = up;
}

int64_t link_tx_ns(const struct link *l, uint32_t wire_bytes)
{
	unsigned __int128 num;
	uint64_t rate = l->params.rate_bps;

	if (!rate)
		return 0;
	num = (unsigned __int128)wire_bytes * 8u * 1000000000u;
	/* At most 2^35 * 1e9 / 1 < 2^65: clamp the absurd 1 bit/s case. */
	num = (num + rate - 1) / rate;
	return num > INT64_MAX / 4 ? INT64_MAX / 4 : (int64_t)num;
}

static int64_t link_max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

int64_t link_finish_ns(const struct link *l, int64_t arrival_ns,
		       uint32_t wire_bytes)
{
	return link_max64(arrival_ns, l->free_ns) + link_tx_ns(l, wire_bytes);
}

/* Move the backlog to time t: packets that started by t have left it. */
static void link_advance(struct link *l, int64_t t)
{
	struct link_pkt *p;

	if (t <= l->clock_ns)
		return;
	l->clock_ns = t;
	while ((p = l->wait) && p->start_ns <= t) {
		l->backlog_pkts--;
		l->backlog_bytes -= p->wire_bytes;
		l->wait = p->next;
	}
}

/* Would the backlog refuse a packet that waits (start > arrival)? */
static bool link_over_limit(const struct link *l, const struct link_pkt *p,
			    int64_t wait_ns)
{
	const struct linkparams *lp = &l->params;

	if (wait_ns <= 0)
		return false;
	switch (lp->qkind) {
	case LINKPARAMS_Q_PACKETS:
		return l->backlog_pkts + 1 > lp->qlimit;
	case LINKPARAMS_Q_BYTES:
		return l->backlog_bytes + p->wire_bytes > lp->qlimit;
	case LINKPARAMS_Q_TIME:
		return (uint64_t)wait_ns > lp->qlimit;
	}
	return false;
}

enum link_verdict link_enqueue(struct link *l, struct link_pkt *p,
			       int64_t now_ns, int64_t prop_delay_ns)
{
	struct link_stats *st = &l->stats;
	int64_t start, finish, due, wait_ns;

	if (!l->up) {
		st->drop_down_pkts++;
		st->drop_down_bytes += p->wire_bytes;
		return LINK_DROP_DOWN;
	}
	link_advance(l, now_ns);

	start = link_max64(now_ns, l->free_ns);
	wait_ns = start - now_ns;
	if (link_over_limit(l, p, wait_ns)) {
		st->drop_queue_pkts++;
		st->drop_queue_bytes += p->wire_bytes;
		return LINK_DROP_QUEUE;
	}
	finish = start + link_tx_ns(l, p->wire_bytes);
	p->arrival_ns = now_ns;
	p->start_ns = start;
	p->finish_ns = finish;

	if (loss_drop_segments(&l->loss, &l->params.loss, &l->rng,
			       p->segments)) {
		l->free_ns = finish;	/* it was sent, then lost */
		p->due_ns = INT64_MAX;
		st->drop_loss_pkts++;
		st->drop_loss_bytes += p->wire_bytes;
		return LINK_DROP_LOSS;
	}

	due = finish + (prop_delay_ns > 0 ? prop_delay_ns : 0);
	if (due < l->last_due_ns) {
		due = l->last_due_ns;
		st->clamped++;
	}
	p->due_ns = due;
	l->free_ns = finish;
	l->last_due_ns = due;

	p->next = NULL;
	if (l->tail)
		l->tail->next = p;
	else
		l->head = p;
	l->tail = p;
	l->qlen++;
	if (start > l->clock_ns) {
		if (!l->wait)
			l->wait = p;
		l->backlog_pkts++;
		l->backlog_bytes += p->wire_bytes;
		if (l->backlog_pkts > st->max_backlog_pkts)
			st->max_backlog_pkts = l->backlog_pkts;
		if (l->backlog_bytes > st->max_backlog_bytes)
			st->max_backlog_bytes = l->backlog_bytes;
	}
	if (wait_ns > st->max_wait_ns)
		st->max_wait_ns = wait_ns;
	st->enq_pkts++;
	st->enq_bytes += p->wire_bytes;
	return LINK_QUEUED;
}

/*
 * The head leaves the FIFO. It may still count in the backlog when the
 * caller pops at a real time later than every arrival seen (the clock only
 * follows arrivals): then it leaves the backlog too, and since start times
 * grow along the FIFO the rest of the backlog is unchanged.
 */
static struct link_pkt *link_unlink_head(struct link *l)
{
	struct link_pkt *p = l->head;

	l->head = p->next;
	if (!l->head)
		l->tail = NULL;
	if (l->wait == p) {
		l->wait = p->next;
		l->backlog_pkts--;
		l->backlog_bytes -= p->wire_bytes;
	}
	l->qlen--;
	p->next = NULL;
	return p;
}

struct link_pkt *link_pop_due(struct link *l, int64_t now_ns)
{
	struct link_pkt *p = l->head;

	if (!p || p->due_ns > now_ns)
		return NULL;
	link_unlink_head(l);
	l->stats.sent_pkts++;
	l->stats.sent_bytes += p->wire_bytes;
	l->stats.sent_segs += p->segments ? p->segments : 1;
	return p;
}

uint64_t link_flush(struct link *l, void (*free_pkt)(struct link_pkt *p,
						     void *arg),
		    void *arg)
{
	uint64_t n = 0;
	struct link_pkt *p;

	while (l->head) {
		p = link_unlink_head(l);
		l->stats.drop_flush_pkts++;
		l->stats.drop_flush_bytes += p->wire_bytes;
		n++;
		if (free_pkt)
			free_pkt(p, arg);
	}
	/* Nothing is on the transmitter or the path any more. */
	l->free_ns = INT64_MIN;
	l->last_due_ns = INT64_MIN;
	return n;
}
