/* SPDX-License-Identifier: MIT */
/* replay.h - the links a run started at the epoch has at any moment, by replaying its steps */
#ifndef TOPO_REPLAY_H
#define TOPO_REPLAY_H

#include <stdbool.h>
#include <stdint.h>

#include "topo/step.h"

/*
 * A run computes step k at epoch + k * step, each from the one before
 * (emu/run/geom.c), and between t_k and t_k+1 it routes over the links and
 * routes of step k, with each link's delay at the moment itself. This gives
 * the same for any moment t, for topo and path:
 *
 *  - links and routes: those of step k = floor((t - epoch) / step). When
 *    links have a history (nearest links, acquisition), steps 0 to k are
 *    replayed in order, as the geometry thread computes them, but only
 *    their link decisions: routes are computed for step k alone (they
 *    carry no history; the warm start of a run is exact, topo/route.c);
 *  - positions and lengths: at t itself (SGP4 at t; a run interpolates
 *    between steps k and k + 1 by cubic Hermite polynomials).
 *
 * Before the epoch there is no run: t is computed as the first step of a
 * run started at t. With fresh set, every moment is (no replay: cheap,
 * but nearest links and acquisition are not a run's).
 *
 * Moments asked in increasing order replay each step once; going back
 * starts again from the epoch. Pure: no clock, no I/O.
 */
struct topo_replay {
	const struct topo_model *m;
	struct fault_plan *plan;	/* faults, or NULL */
	struct fault_plan own;		/* the plan, once taken */
	bool owns;
	int64_t epoch_ns, step_ns;
	bool history;			/* links depend on the steps before */
	bool fresh;			/* never replay */
	struct topo_state st[2];	/* the last two steps replayed */
	int cur;			/* st[cur] holds step k */
	int64_t k;			/* step in st[cur], -1 none */
	bool routed;			/* st[cur] has its routes */
	struct topo_state at;		/* positions at a moment between steps */
	uint64_t replayed;		/* steps computed without routes */
	uint64_t repointed;		/* links released by re-pointing in
					 * the steps from the epoch to k */
	/* told of the steps replayed so far, or NULL (a terminal's progress) */
	void (*progress)(void *arg, uint64_t done, uint64_t total);
	void *progress_arg;
	/* the answer of the last topo_replay_at() */
	const struct topo_state *links;	/* links, graph and routes */
	const struct topo_state *pos;	/* positions and down[] at t */
};

/* Whether links of m depend on earlier steps (nearest, acquisition). */
bool topo_model_has_history(const struct topo_model *m);

/*
 * For the prepared model m. 0, -EINVAL (step_ns <= 0) or -ENOMEM. With a
 * fault plan (which may be NULL), every step is replayed with it from the
 * epoch (faults have a history too; fresh is then ignored), rewinding the
 * plan when a moment is earlier than the last.
 */
int topo_replay_init(struct topo_replay *r, const struct topo_model *m,
		     int64_t epoch_ns, int64_t step_ns, bool fresh,
		     struct fault_plan *plan);
void topo_replay_free(struct topo_replay *r);
/*
 * Replay with the faults of plan from now on (from the epoch again), the
 * replay owning it (topo_replay_free frees it); *plan is emptied.
 */
void topo_replay_take_plan(struct topo_replay *r, struct fault_plan *plan);

/*
 * How many steps topo_replay_at(r, t) would replay from where r stands (0
 * without history): what a caller bounds before asking.
 */
uint64_t topo_replay_cost(const struct topo_replay *r, int64_t t);

/* Set r->links and r->pos for the moment t. 0 or -ENOMEM. */
int topo_replay_at(struct topo_replay *r, int64_t t);

/*
 * Length in km at the last moment asked of a link between a and b of
 * r->links (where an end is down at that moment, its position at the step).
 */
double topo_replay_length(const struct topo_replay *r, uint32_t a,
			  uint32_t b);

#endif
