/* SPDX-License-Identifier: MIT */
/* fault_plan.h - the timeline of faults: scheduled, live, random and flaps, applied step by step */
#ifndef TOPO_FAULT_PLAN_H
#define TOPO_FAULT_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "topo/fault.h"
#include "topo/graph.h"

/*
 * Everything that makes the mesh fail, in orbital time, and the fault
 * state it has led to. The geometry step (topo/step.h) advances the plan
 * to its own time before deciding links, so an event at t is in force in
 * the first step at or after t: between steps nothing changes, as for
 * the geometry itself.
 *
 *  - The timeline: events from the events file and from ctl, kept sorted
 *    by time (equal times in the order they were added).
 *  - Random node faults: a node with a mean time between failures
 *    (mtbf_ns[i] > 0) alternates between up intervals drawn from an
 *    exponential law of mean mtbf and down intervals of mean mttr
 *    (mttr_ns[i]; 0 = repaired at the next step). Draw k of node i is a
 *    pure function of (seed, i, k), so a run repeats exactly, whatever its
 *    step and whatever else fails.
 *  - Link flaps: every laser link up at a step flaps with probability
 *    1 - exp(-rate * step) before the next one (draw of (seed, a, b, the
 *    step's time)); a flap takes it down for flap_ns, and the link then
 *    acquires again like any new link.
 *
 * Pure: no clock, no I/O; one thread advances a plan.
 */
struct fault_plan {
	struct fault_event *ev;		/* the timeline, sorted by t_ns */
	size_t n, cap, next;		/* next: first not applied */
	int64_t t;			/* time advanced to, INT64_MIN none */
	int64_t flap_t;			/* flaps drawn for steps up to this */
	/* random node faults: per node, NULL = none; the caller owns */
	const int64_t *mtbf_ns, *mttr_ns;
	int64_t *rnd_next;		/* next change of node i */
	uint32_t *rnd_k;		/* draws taken by node i */
	uint64_t seed;
	/* link flaps */
	double flap_per_s;		/* flaps per link per second, 0 = none */
	int64_t flap_ns;		/* how long a flap keeps it down */
	struct fault_state st;		/* in force at t */
	/* what the last fault_plan_advance() applied, in time order */
	struct fault_event *applied;
	size_t napplied, cap_applied;
};

/*
 * For n nodes of which nsat are satellites; random faults and flaps off,
 * no event. seed is the run's. 0 or -ENOMEM.
 */
int fault_plan_init(struct fault_plan *p, size_t n, size_t nsat,
		    uint64_t seed);
void fault_plan_free(struct fault_plan *p);

/*
 * Random node faults from epoch_ns on (mtbf_ns[i] == 0: node i never
 * fails at random). The arrays stay the caller's. 0 or -ENOMEM.
 */
int fault_plan_random(struct fault_plan *p, const int64_t *mtbf_ns,
		      const int64_t *mttr_ns, int64_t epoch_ns);
/*
 * Back to the epoch: no fault in force, the timeline from its start (the
 * flap ends it added dropped), the random draws from their first. The
 * same steps then give the same faults again.
 */
void fault_plan_rewind(struct fault_plan *p, int64_t epoch_ns);

/* Link flaps: per_hour flaps per link per hour, each lasting flap_ns. */
void fault_plan_flaps(struct fault_plan *p, double per_hour, int64_t flap_ns);

/*
 * Add an event to the timeline. An event earlier than the time the plan
 * stands at is applied at the next advance (never lost, never reordered
 * before what was applied). 0 or -ENOMEM.
 */
int fault_plan_add(struct fault_plan *p, const struct fault_event *ev);

/*
 * Apply, in time order, every event of the timeline and every random
 * fault with a time up to t, and the flaps of the links up in prev_links
 * (the step at prev_t; NULL: none) for the interval (prev_t, t]. Each
 * interval's flaps are drawn once. p->applied lists what was applied. An
 * event that does not fit the nodes (which the parsers prevent) is
 * skipped and counted in *bad when bad is not NULL. 0 or -ENOMEM.
 */
int fault_plan_advance(struct fault_plan *p, int64_t t,
		       const struct graph_links *prev_links, int64_t prev_t,
		       size_t *bad);

/*
 * Apply ev now and list it with what the last advance applied (for
 * events decided by the step itself: the eclipse policy). 0, -EINVAL
 * (does not fit), -ENOMEM.
 */
int fault_plan_note(struct fault_plan *p, const struct fault_event *ev);

/* The uniform draw in [0, 1) of (seed, a, b, k): what random faults use. */
double fault_plan_draw(uint64_t seed, uint64_t a, uint64_t b, uint64_t k);

#endif
