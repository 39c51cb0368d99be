/* SPDX-License-Identifier: MIT */
/* ring.h - the moving geometry seen by the data plane: a ring of steps, interpolated */
#ifndef TOPO_RING_H
#define TOPO_RING_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "topo/step.h"
#include "topo/vec.h"

/*
 * A ring of RING_SIZE topology steps. Step k is the topology at orbital
 * time epoch + k * step. The data plane uses two steps at once: routes and
 * link states of step k (valid from t_k to t_k+1) and the positions and
 * velocities of steps k and k + 1, between which each link's delay is
 * interpolated by cubic Hermite polynomials, so that delays change smoothly
 * rather than in stairs.
 *
 * Whoever computes steps (emu/run/geom.c, on its own thread) publishes the
 * last one computed (ready); the data plane publishes the step it uses
 * (cur). Step j may be computed only when j <= cur + 2, so the slot of j
 * (last used by j - RING_SIZE) is never one the data plane reads.
 *
 * Orbital time and the data plane's clock (CLOCK_MONOTONIC ns, "wall") are
 * tied by t_orb = orb0 + (wall - wall0) * scale: with a time scale above 1
 * the satellites move faster while each packet's delay stays the geometric
 * delay of the moment. A pause is a scale of 0: orbital time stands still
 * and packets keep flowing over the frozen geometry. A new scale takes
 * effect from a given wall time on, without a jump in orbital time
 * (ring_set_scale). Only the data plane's thread reads or changes the
 * mapping. Nothing here reads a clock: every time is an argument.
 *
 * Faults: when a plan is given (ring->plan), every step is computed with
 * it (topo_step_faulted), in order; whoever computes steps owns the plan.
 */
#define RING_SIZE 4
/* how far ahead of cur a step may be computed */
#define RING_AHEAD 2

struct ring {
	const struct topo_model *model;
	int64_t epoch_ns;		/* orbital time of step 0 (unix ns) */
	int64_t step_ns;		/* orbital time between steps */
	double scale;			/* orbital ns per wall ns, 0: paused */
	int64_t wall0;			/* wall time of orbital time orb0 */
	int64_t orb0;
	struct fault_plan *plan;	/* faults, or NULL */
	struct topo_state st[RING_SIZE];
	_Atomic int64_t ready;		/* last step computed, -1 none */
	_Atomic int64_t cur;		/* step the data plane uses */
};

/*
 * Prepare the ring for model m and compute steps 0 and 1 (with the fault
 * plan, which may be NULL), so that the data plane can start at once. 0
 * or -errno (the ring is then empty).
 */
int ring_init(struct ring *r, const struct topo_model *m, int64_t epoch_ns,
	      int64_t step_ns, double scale, int64_t wall0,
	      struct fault_plan *plan);
/* Free the states. Safe on a zeroed ring and twice. */
void ring_free(struct ring *r);

/*
 * Compute step j into its slot (step j - 1 must be in the ring when j > 0)
 * and publish it as ready. 0 or topo_step()'s -errno.
 */
int ring_compute(struct ring *r, int64_t j);

/*
 * Tie orbital epoch to data-plane time wall0 (the data plane calls it when
 * it starts, before reading any time from the ring).
 */
static inline void ring_set_wall0(struct ring *r, int64_t wall0)
{
	r->wall0 = wall0;
	r->orb0 = r->epoch_ns;
}

/* Orbital time (unix ns) at a data-plane time. */
static inline int64_t ring_orbital(const struct ring *r, int64_t wall)
{
	return r->orb0 + (int64_t)((double)(wall - r->wall0) * r->scale);
}

/*
 * From wall time on, orbital time runs at scale (0: paused): the mapping
 * is re-anchored at that moment, so orbital time does not jump.
 */
void ring_set_scale(struct ring *r, int64_t wall, double scale);

/* Orbital time (unix ns) of step k. */
static inline int64_t ring_step_time(const struct ring *r, int64_t k)
{
	return r->epoch_ns + k * r->step_ns;
}

/* Step index holding orbital time t (floor), never below 0. */
int64_t ring_step_of(const struct ring *r, int64_t t_orb);

/*
 * Wall time at which step k begins (the inverse of ring_orbital);
 * INT64_MAX while paused, when it is ahead.
 */
int64_t ring_step_wall(const struct ring *r, int64_t k);

/*
 * The step the data plane should use at wall time: the step of that moment,
 * but never one whose successor is not computed yet (interpolation needs
 * both). May be below cur; the caller only moves forward.
 */
int64_t ring_want(const struct ring *r, int64_t wall);

static inline int64_t ring_cur(const struct ring *r)
{
	return atomic_load_explicit(&r->cur, memory_order_relaxed);
}

static inline int64_t ring_ready(const struct ring *r)
{
	return atomic_load_explicit(&r->ready, memory_order_acquire);
}

/* The state of step k (only meaningful for ready - RING_SIZE < k <= ready). */
static inline const struct topo_state *ring_state(const struct ring *r,
						  int64_t k)
{
	return &r->st[k % RING_SIZE];
}

/* The state the data plane routes with (step cur). */
static inline const struct topo_state *ring_current(const struct ring *r)
{
	return ring_state(r, ring_cur(r));
}

/*
 * Position of node v at orbital time t by cubic Hermite interpolation
 * between steps cur and cur + 1 (clamped outside them to linear
 * extrapolation from the nearer step).
 */
struct vec3 ring_position(const struct ring *r, uint32_t v, int64_t t_orb);

/* One-way delay in ns of a link between nodes a and b at wall time. */
int64_t ring_delay_ns(const struct ring *r, uint32_t a, uint32_t b,
		      int64_t wall);

#endif
