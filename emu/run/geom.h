/* SPDX-License-Identifier: MIT */
/* geom.h - the moving geometry seen by the data plane: a ring of steps computed ahead */
#ifndef EMU_GEOM_H
#define EMU_GEOM_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "topo/step.h"

/*
 * The geometry runs on its own thread and keeps GEOM_AHEAD steps ahead of
 * the data plane. Step k is the topology at orbital time epoch + k * step.
 * The data plane uses two steps at once: routes and link states of step k
 * (valid from t_k to t_k+1) and the positions and velocities of steps k and
 * k + 1, between which each link's delay is interpolated by cubic Hermite
 * polynomials, so that delays change smoothly rather than in stairs.
 *
 * The ring holds GEOM_RING states. The data plane publishes the step it
 * uses (cur); the thread computes step j only when j <= cur + 2, so the slot
 * of j (last used by j - GEOM_RING) is never one the data plane reads.
 *
 * Orbital time and the data plane's clock (CLOCK_MONOTONIC ns, "wall") are
 * tied by t_orb = epoch + (wall - wall0) * scale: with a time scale above 1
 * the satellites move faster while each packet's delay stays the geometric
 * delay of the moment.
 */
#define GEOM_RING 4

struct geom {
	const struct topo_model *model;
	int64_t epoch_ns;		/* orbital time of step 0 (unix ns) */
	int64_t step_ns;		/* orbital time between steps */
	double scale;			/* orbital ns per wall ns */
	int64_t wall0;			/* wall time of orbital epoch */
	struct topo_state st[GEOM_RING];
	_Atomic int64_t ready;		/* last step computed, -1 none */
	_Atomic int64_t cur;		/* step the data plane uses */
	atomic_bool stop;
	int notify_fd;			/* eventfd written at each new step */
	int error;			/* thread's -errno, 0 if fine */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool running;
	double step_ms_last, step_ms_max;	/* compute time of steps */
};

/*
 * Prepare the ring for model and compute steps 0 and 1 on the calling
 * thread, so that the data plane can start at once. 0 or -errno.
 */
int geom_init(struct geom *g, const struct topo_model *m, int64_t epoch_ns,
	      int64_t step_ns, double scale, int64_t wall0);
/* Start the thread that computes the steps ahead. 0 or -errno. */
int geom_start(struct geom *g);
/* Stop and join the thread, free the ring. Safe on a geom never started. */
void geom_free(struct geom *g);

/* Orbital time (unix ns) at a data-plane time. */
static inline int64_t geom_orbital(const struct geom *g, int64_t wall)
{
	return g->epoch_ns + (int64_t)((double)(wall - g->wall0) * g->scale);
}

/* Step index holding orbital time t (floor), never below 0. */
int64_t geom_step_of(const struct geom *g, int64_t t_orb);

/*
 * Move the data plane to the step of wall time now if it is ready (and
 * wake the thread to compute further). Returns the number of steps moved
 * (0 when still in the same step or the next is not ready yet).
 */
int64_t geom_advance(struct geom *g, int64_t wall);

/* The state the data plane routes with (step cur). */
static inline const struct topo_state *geom_current(const struct geom *g)
{
	return &g->st[atomic_load_explicit(&g->cur, memory_order_relaxed) %
		      GEOM_RING];
}

/*
 * Position of node v at orbital time t by cubic Hermite interpolation
 * between steps cur and cur + 1 (clamped outside them to linear
 * extrapolation from the nearer step).
 */
struct vec3 geom_position(const struct geom *g, uint32_t v, int64_t t_orb);

/* One-way delay in ns of a link between nodes a and b at wall time. */
int64_t geom_delay_ns(const struct geom *g, uint32_t a, uint32_t b,
		      int64_t wall);

#endif
