/* SPDX-License-Identifier: MIT */
/* fwd.h - the forwarder: frames in from TAPs, hop by hop over directed links, frames out */
#ifndef EMU_FWD_H
#define EMU_FWD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emu/plane/hist.h"
#include "emu/plane/link.h"
#include "emu/plane/linkparams.h"
#include "emu/plane/linktab.h"
#include "emu/net/pkt.h"
#include "emu/plane/pool.h"
#include "emu/plane/sched.h"
#include "topo/ring.h"

/*
 * Counters of the whole data plane. Drops are split by cause: modelled ones
 * (queue, loss, link down) are what the emulated network did; the others
 * are frames the emulator refused (hostile, unsupported, unroutable).
 */
enum fwd_drop {
	FWD_D_PARSE,		/* refused by pkt_parse (see reason[]) */
	FWD_D_NOT_ANSWERED,	/* ARP/NDP/MLD we do not answer */
	FWD_D_SRC,		/* source address outside the mesh */
	FWD_D_SPOOF,		/* source address of another node */
	FWD_D_DST,		/* destination address outside the mesh */
	FWD_D_SELF,		/* addressed to its own sender */
	FWD_D_NO_ROUTE,		/* destination unreachable now */
	FWD_D_TTL,		/* TTL / hop limit expired */
	FWD_D_UNTAPPED,		/* non-echo traffic to a node without a TAP */
	FWD_D_QUEUE,		/* drop-tail on a link's backlog */
	FWD_D_LOSS,		/* random loss on a link */
	FWD_D_LINK_DOWN,	/* queued on a link that went down */
	FWD_D_NODE_DOWN,	/* to, from or through a node down by fault */
	FWD_D_TAP_WRITE,	/* the destination TAP refused the write */
	FWD_D_NOMEM,
	FWD_D__COUNT
};

struct fwd_stats {
	uint64_t rx_frames, rx_bytes;	/* read from TAPs */
	uint64_t tx_frames, tx_bytes;	/* written to TAPs */
	uint64_t forwarded;		/* hops taken (one per link) */
	uint64_t delivered;		/* frames that reached their node */
	uint64_t arp_replies, nd_replies, echo_replies, icmp_errors;
	uint64_t drop[FWD_D__COUNT];
	uint64_t reason[PKT_R__COUNT];	/* why frames were refused */
	uint64_t route_changes;		/* (tapped node, destination) paths
					 * that changed at a step */
	uint64_t link_flushes;		/* links that went down with traffic */
	uint64_t gso_split;		/* super-frames cut into segments */
	uint64_t links_freed;		/* idle links taken out of the table */
	uint64_t cut_sent;		/* frames handed to another shard */
	uint64_t cut_received;		/* frames taken from another shard */
};

/*
 * Per tapped node: its address and counters. Port i is the caller's port i
 * (the glue keeps its TAP at the same index): the output callback and
 * fwd_ingress() name ports by that index.
 */
struct fwd_port {
	uint32_t node;			/* node index */
	uint8_t mac[6];			/* the TAP interface's MAC */
	uint64_t rx_frames, rx_bytes, tx_frames, tx_bytes, drops;
};

struct fwd;
/*
 * Write a frame (virtio-net header first) to port pi. Returns 0 or -errno.
 * The forwarder counts the result; the glue does the I/O and captures.
 */
typedef int (*fwd_output_fn)(struct fwd *f, size_t pi, const uint8_t *buf,
			     size_t len, int64_t now);

struct fwd_pkt;

/*
 * A frame crossing a cut link v -> w, from the shard that owns v to the
 * one that owns w (fwd_shard.c): the Ethernet frame, its virtio-net
 * header apart, and when its last bit reaches w (data-plane clock).
 */
struct fwd_cut {
	uint32_t v, w;
	uint32_t ingress;		/* node where it entered the mesh */
	bool ttl_done;			/* fabric mode: the mesh took its hop */
	uint8_t vnet[PKT_VNET_LEN];
	const uint8_t *frame;
	size_t len;
	int64_t due_ns;
};

/* What fwd_step noticed, for a log (struct fwd.notify). */
enum fwd_note_kind {
	FWD_NOTE_ROUTE,		/* the path port -> dest changed */
	FWD_NOTE_LINK,		/* a link in the table went up or down */
};

struct fwd_note {
	enum fwd_note_kind kind;
	size_t port;		/* ROUTE: the port the path starts at */
	uint32_t a, b;		/* ROUTE: from, to; LINK: the link a -> b */
	bool up;		/* LINK: its new state */
	uint64_t flushed;	/* LINK: frames it held when it went down */
	uint64_t carried;	/* LINK: frames it ever carried */
};

/*
 * A link unused for this long (data-plane time) and empty leaves the link
 * table at the next step: the table holds the links of the recent past,
 * not every link ever used.
 */
#define FWD_LINK_IDLE_NS INT64_C(10000000000)

struct fwd {
	const struct ring *ring;		/* the geometry, read only */
	const struct constel *constel;
	struct linkparams isl_lp, gsl_lp;
	uint64_t seed;
	struct fwd_port *port;		/* one per tapped node */
	size_t nports;
	int32_t *port_of;		/* node -> port index, or -1 */
	struct sched sched;
	struct linktab links;		/* the directed links in use */
	uint64_t *path_hash;		/* ports x destinations, last step */
	int64_t step_seen;		/* ring step the tables reflect */
	uint64_t faults_seen;		/* fault version the links reflect */
	int64_t now;			/* latest time given to the forwarder */
	bool source_check;		/* drop frames with another's source
					 * address (fwd_init: true) */
	bool ttl_fabric;		/* the mesh is one router hop (MPLS-
					 * like), not one per satellite */
	const uint64_t *isl_rate;	/* per node, or NULL: isl_lp's; a
					 * laser link runs at the lower of its
					 * ends' rates (0: unlimited) */
	int64_t link_idle_ns;		/* free links idle this long
					 * (fwd_init: FWD_LINK_IDLE_NS) */
	struct pool pool;		/* packet buffers */
	struct fwd_pkt *spare;		/* big buffer the next read goes to */
	fwd_output_fn output;
	void *arg;			/* for the output function */
	/* told of route changes and link changes at each step, or NULL */
	void (*notify)(struct fwd *f, const struct fwd_note *n);
	/*
	 * Called for every packet as it leaves link a -> b, at its logical
	 * departure due_ns (its last bit at b: what the link's sent counters
	 * count), before b handles it; buf holds the frame as it crossed the
	 * link (virtio-net header first, TTL as a left it). NULL: nothing.
	 */
	void (*on_hop)(struct fwd *f, uint32_t a, uint32_t b,
		       const uint8_t *buf, size_t len, int64_t due_ns);
	/*
	 * Shards (fwd_shard.c): the shard of each node and ours; NULL: the
	 * whole mesh is here. A frame put on a link to another shard's node
	 * goes to cut_send at once (its copy stays in the link's FIFO for
	 * the queue model and is freed when due).
	 */
	const uint16_t *shard_of;
	uint16_t shard_self;
	void (*cut_send)(struct fwd *f, const struct fwd_cut *c);
	struct fwd_stats st;
	struct hist late;		/* real release - logical due time */
};

/* Is node v another shard's? */
static inline bool fwd_remote(const struct fwd *f, uint32_t v)
{
	return f->shard_of && f->shard_of[v] != f->shard_self;
}

/*
 * A frame from another shard (c->v its node, c->w ours), read at now: it
 * waits on the link v -> w here (unlimited: the sender modelled its queue,
 * rate and loss) and reaches w at c->due_ns, or at once if that is past.
 * 0, or -EINVAL (the frame is refused: f->st says why), -ENETDOWN (the
 * link is not up at our step), -ENOMEM.
 */
int fwd_shard_ingress(struct fwd *f, const struct fwd_cut *c, int64_t now);

/*
 * Set up a forwarder over the ring's nodes for the tapped nodes ports (node
 * and mac filled by the caller; the mac may change later), with the source
 * address check on. 0 or -ENOMEM.
 */
int fwd_init(struct fwd *f, const struct ring *ring, const struct constel *c,
	     const struct fwd_port *ports, size_t nports,
	     const struct linkparams *isl, const struct linkparams *gsl,
	     uint64_t seed, fwd_output_fn output, void *arg);
void fwd_free(struct fwd *f);

/*
 * A buffer of PKT_BUF_MAX bytes to read the next frame into (NULL when out
 * of memory). Passing it to fwd_ingress() hands it over without a copy; it
 * stays valid until then.
 */
uint8_t *fwd_rx_buffer(struct fwd *f);

/*
 * A frame read from port pi's TAP at time now (the data plane's clock,
 * CLOCK_MONOTONIC ns). ARP and neighbour solicitations are answered at
 * once; IP packets start their way through the mesh. With source_check,
 * a frame must carry the node's own addresses: an IP source of another
 * node, an ARP sender address other than the node's (or 0.0.0.0), an NDP
 * source other than the node's, :: or link-local is dropped as spoofed.
 */
void fwd_ingress(struct fwd *f, size_t pi, const uint8_t *buf, size_t len,
		 int64_t now);

/*
 * Release every packet due by now: each either reaches its node (written
 * to its TAP, or answered there) or goes on to its next link with its
 * logical time, so the lateness of now never accumulates over hops.
 * Returns the next due time (INT64_MAX if nothing waits).
 */
int64_t fwd_release(struct fwd *f, int64_t now);

/*
 * Take the ring's current step: links that went down drop what they hold
 * (counted as node down when their far end failed); route changes are
 * counted; links empty and unused for FWD_LINK_IDLE_NS leave the table (a
 * later use creates them afresh); `set link` faults in force give their
 * links the loss, rate and added delay they set (for packets offered from
 * now on). Call after the ring's cur moved.
 */
void fwd_step(struct fwd *f);

/* Is node v down by fault at the current step? */
static inline bool fwd_node_down(const struct fwd *f, uint32_t v)
{
	const struct fault_state *fs = &ring_current(f->ring)->faults;

	return fs->nodes_down && fs->node[v];
}

static inline int64_t fwd_next_due(const struct fwd *f)
{
	return sched_next_due(&f->sched);
}

/* The name of a drop cause for statistics. */
const char *fwd_drop_name(enum fwd_drop d);

/*
 * Visit every directed link in the table: those that carried traffic in
 * the last FWD_LINK_IDLE_NS or still hold some (for summaries).
 */
void fwd_links_foreach(const struct fwd *f,
		       void (*fn)(uint32_t a, uint32_t b, const struct link *l,
				  void *arg),
		       void *arg);

#endif
