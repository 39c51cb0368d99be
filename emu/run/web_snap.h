/* SPDX-License-Identifier: MIT */
/* web_snap.h - what the web view shows of one step, copied by the data plane */
#ifndef EMU_WEB_SNAP_H
#define EMU_WEB_SNAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "emu/plane/fwd.h"
#include "topo/vec.h"

struct run;

/* A node's state in a snapshot. */
enum web_node_state {
	WEB_NODE_UP,
	WEB_NODE_FAULT,		/* down by fault (placed) */
	WEB_NODE_UNPLACED,	/* cannot be placed (SGP4, altitude) */
};

struct web_link {
	uint32_t a, b;
	uint32_t kind;		/* enum graph_kind */
};

/* A directed link of the forwarder's table and what it carried. */
struct web_load {
	uint32_t a, b;
	uint64_t pkts, bytes;	/* sent since it entered the table */
	uint64_t backlog;	/* bytes waiting to be sent */
	uint64_t rate_bps;	/* 0: unlimited */
};

struct web_fault_link {
	uint32_t a, b;
	bool down;		/* false: only `set` */
};

/*
 * One step as the page sees it. The data plane fills it (web_snap_take)
 * and hands it over; the HTTP threads only read a snapshot handed over.
 * Arrays grow to the largest step seen and are reused.
 */
struct web_snap {
	int64_t step, orbital_ns;	/* the step and its orbital time */
	int64_t wall_ns;		/* data-plane time it was taken */
	bool paused;
	double scale;
	size_t n, nsat;
	struct vec3 *pos;		/* ECEF km, per node */
	uint8_t *state;			/* enum web_node_state, per node */
	struct web_link *links;
	size_t nlinks, cap_links;
	struct web_load *load;
	size_t nload, cap_load;
	struct web_fault_link *flinks;
	size_t nflinks, cap_flinks;
	struct fwd_stats st;
	int64_t cost_ns;		/* what taking the previous one cost */
	unsigned readers;		/* HTTP threads reading (web's lock) */
};

/* Arrays for n nodes. 0 or -ENOMEM. */
int web_snap_init(struct web_snap *s, size_t n, size_t nsat);
void web_snap_free(struct web_snap *s);
/* Copy the run's current step into s (data plane). 0 or -ENOMEM. */
int web_snap_take(struct web_snap *s, const struct run *r);

/*
 * The snapshot as one JSON object (docs/usage.md, Web view); with names,
 * the nodes' names, kinds and the tapped ones too (they never change).
 */
void web_snap_json(FILE *f, const struct web_snap *s, const struct run *r,
		   bool names, bool control);
/* The one-line summary of an event stream: step, time, counters. */
void web_snap_event(FILE *f, const struct web_snap *s, const struct run *r);

#endif
