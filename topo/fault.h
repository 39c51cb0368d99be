/* SPDX-License-Identifier: MIT */
/* fault.h - faults of the mesh: one event, and the state of every failure at one instant */
#ifndef TOPO_FAULT_H
#define TOPO_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A fault event says, at one orbital time, that something goes down,
 * comes back up, or has its link parameters changed:
 *
 *	down node s1-3-4 [freeze]	the satellite (or station) fails
 *	up   node s1-3-4
 *	down link s1-0-0 s1-0-1		one laser or ground link, both ways
 *	set  link s1-0-0 s1-0-1 loss 5% rate 100mbit delay +2ms
 *	down terminal s1-0-0 2		one laser terminal lost
 *
 * Events come from the events file (scheduled), from `lasermesh ctl`
 * (live), from the random fault model (random, flap) and from the eclipse
 * policy (eclipse). Whatever their source, they change one struct
 * fault_state, which the geometry step reads (topo/step.h): a node that is
 * down has no links and carries nothing; a link that is down is not a
 * candidate (and acquires again once up); a terminal lost takes its grid
 * link down, or one free terminal from the nearest assignment. Pure: no
 * clock, no I/O.
 */

enum fault_verb {
	FAULT_DOWN,
	FAULT_UP,
	FAULT_SET,		/* link parameters; only for links */
};

enum fault_target {
	FAULT_NODE,		/* a satellite or a ground station */
	FAULT_LINK,		/* the link between a and b, both ways */
	FAULT_TERMINAL,		/* terminal b of satellite a */
};

/* Where an event came from (the log and the summary count by this). */
enum fault_source {
	FAULT_SCHEDULED,	/* the events file */
	FAULT_LIVE,		/* lasermesh ctl */
	FAULT_RANDOM,		/* mtbf / mttr of a node */
	FAULT_FLAP,		/* a link's flap rate */
	FAULT_ECLIPSE,		/* the eclipse policy of a group */
	FAULT_NSOURCE,
};

/* The highest terminal index a `down terminal` event may name. */
#define FAULT_TERMINAL_MAX 63

/* What a `set link` changes (bits of fault_linkset.has). */
enum {
	FAULT_SET_LOSS = 1u << 0,
	FAULT_SET_RATE = 1u << 1,
	FAULT_SET_DELAY = 1u << 2,
};

/* Link parameters a `set link` overrides; the rest stay configured. */
struct fault_linkset {
	unsigned has;			/* FAULT_SET_* */
	double loss;			/* random loss probability, 0 to 1 */
	uint64_t rate_bps;		/* 0 = unlimited */
	int64_t delay_ns;		/* added to the propagation delay, >= 0 */
};

struct fault_event {
	int64_t t_ns;			/* orbital time, unix ns */
	uint8_t verb;			/* enum fault_verb */
	uint8_t target;			/* enum fault_target */
	uint8_t source;			/* enum fault_source */
	bool freeze;			/* down node ... freeze */
	uint32_t a;			/* node index */
	uint32_t b;			/* link: other node; terminal: index */
	struct fault_linkset set;	/* FAULT_SET only */
	unsigned line;			/* in the events file, 0 = none */
};

/* The spellings used by the events file, the log and ctl. */
const char *fault_verb_name(enum fault_verb v);
const char *fault_target_name(enum fault_target t);
const char *fault_source_name(enum fault_source s);

/* Why a node is down by fault (bits of fault_state.node[]). */
enum {
	FAULT_BY_EVENT = 1u << 0,	/* scheduled or live `down node` */
	FAULT_BY_RANDOM = 1u << 1,	/* mtbf: down until repaired */
	FAULT_BY_ECLIPSE = 1u << 2,	/* the eclipse policy */
};

/* Why a link is down by fault (bits of fault_link.down). */
enum {
	FAULT_LINK_BY_EVENT = 1u << 0,
	FAULT_LINK_BY_FLAP = 1u << 1,
};

/* A link with a fault: down, or with parameters set. Kept with a < b. */
struct fault_link {
	uint32_t a, b;
	uint8_t down;			/* FAULT_LINK_BY_* */
	struct fault_linkset set;	/* set.has == 0: nothing set */
};

/*
 * Every failure in force at one instant. node[] and freeze[] are per node,
 * term_lost[] per satellite (bit i: terminal i lost), links sorted by
 * (a, b). version changes whenever anything does.
 */
struct fault_state {
	size_t n, nsat;
	uint8_t *node;			/* FAULT_BY_*, 0 = working */
	uint8_t *freeze;		/* down with freeze (event) */
	uint64_t *term_lost;
	struct fault_link *links;
	size_t nlinks, cap_links;
	size_t nodes_down;		/* nodes with node[i] != 0 */
	size_t sats_term_lost;		/* satellites with a terminal lost */
	uint64_t version;
	/* events applied, by source and verb (the run summary) */
	uint64_t count[FAULT_NSOURCE][3];
};

/* For n nodes of which the first nsat are satellites. 0 or -ENOMEM. */
int fault_state_init(struct fault_state *fs, size_t n, size_t nsat);
void fault_state_free(struct fault_state *fs);
/* Make dst a copy of src (dst initialised, same n). 0 or -ENOMEM. */
int fault_state_copy(struct fault_state *dst, const struct fault_state *src);

/*
 * Apply one event. Returns 1 when the state changed, 0 when it did not
 * (a node already down goes down again), -EINVAL for an event that does
 * not fit (a node index out of range, a terminal of a ground station,
 * `set` of a node), -ENOMEM. A node down for several causes stays down
 * until each is lifted: an `up node` lifts the event cause (and freeze),
 * a random repair the random one, sunlight the eclipse one. An event from
 * the random model or the eclipse policy sets or clears its own bit.
 */
int fault_apply(struct fault_state *fs, const struct fault_event *ev);

/* The fault of link a-b (either order), or NULL. */
const struct fault_link *fault_link_find(const struct fault_state *fs,
					 uint32_t a, uint32_t b);

/* Is the link a-b down by fault? */
static inline bool fault_link_down(const struct fault_state *fs, uint32_t a,
				   uint32_t b)
{
	const struct fault_link *l = fs ? fault_link_find(fs, a, b) : NULL;

	return l && l->down;
}

/* Is node v down by fault? */
static inline bool fault_node_down(const struct fault_state *fs, uint32_t v)
{
	return fs && v < fs->n && fs->node[v];
}

/* Is terminal t of satellite v lost? */
static inline bool fault_terminal_lost(const struct fault_state *fs,
				       uint32_t v, unsigned t)
{
	return fs && v < fs->nsat && t <= FAULT_TERMINAL_MAX &&
	       (fs->term_lost[v] >> t & 1u);
}

#endif
