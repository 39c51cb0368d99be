/* SPDX-License-Identifier: MIT */
/* geom.h - the geometry thread: keeps the ring of topology steps ahead of the data plane */
#ifndef EMU_GEOM_H
#define EMU_GEOM_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "topo/ring.h"

/*
 * The thread computes step j of the ring (topo/ring.h) as soon as j <=
 * cur + RING_AHEAD and writes an eventfd after each one, so the data plane
 * wakes to take it. When a step fails, the thread records the error and
 * the step, writes the eventfd and ends: the data plane must end the run
 * (geom_failed()), never keep routing on the last good step.
 */
struct geom {
	struct ring ring;
	atomic_bool stop;
	_Atomic int error;		/* the thread's -errno, 0 while fine */
	int64_t failed_step;		/* the step it could not compute */
	int64_t fail_step;		/* test hook: fail this step, -1 none */
	int notify_fd;			/* eventfd written at each new step */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool running;
	double step_ms_last;		/* compute time of the last step */
	double step_ms_max;		/* and the longest, after step 1 */
	double step_ms_sum;		/* over steps, after step 1 */
	uint64_t steps;			/* steps computed by the thread */
	/* live fault events posted by the data plane's thread (under lock),
	 * moved into the ring's plan before the next step is computed */
	struct fault_event *inbox;
	size_t ninbox, cap_inbox;
	int64_t taking;			/* the step whose inbox was taken last
					 * (under lock), -1 none */
};

/*
 * Prepare the ring for model m and compute steps 0 and 1 on the calling
 * thread, so that the data plane can start at once. plan (may be NULL)
 * then belongs to the thread until geom_free. 0 or -errno.
 */
int geom_init(struct geom *g, const struct topo_model *m, int64_t epoch_ns,
	      int64_t step_ns, double scale, int64_t wall0,
	      struct fault_plan *plan);

/*
 * A live event for the plan (from `lasermesh ctl`): it is added to the
 * plan before the next step the thread takes up, and in force from that
 * step on (the first not being computed yet: at most RING_AHEAD + 1 steps
 * after the current one), which *step gets (may be NULL). -EINVAL without
 * a plan, 0 or -ENOMEM.
 */
int geom_post(struct geom *g, const struct fault_event *ev, int64_t *step);
/*
 * The same for an event every shard applies at step `at` (ev->t_ns is that
 * step's time): posted only if the thread has not taken up step `at` yet,
 * else -ETIME (it would apply later here than on the others), with the
 * first step not taken up in *first.
 */
int geom_post_at(struct geom *g, const struct fault_event *ev, int64_t at,
		 int64_t *first);
/*
 * Lower the calling thread's priority for the geometry (the thread that
 * steps and its pool's workers): nice GEOM_NICE. The data plane runs
 * SCHED_FIFO and preempts it anyway; the nice value also puts the nodes'
 * own processes (ping, iperf3, the kernel's softirq threads) ahead of
 * the geometry on two cores, while a step still gets its share of a CPU
 * that other work keeps busy (SCHED_IDLE would starve it and the ring
 * would fall behind).
 */
#define GEOM_NICE 10
void geom_low_prio(void);

/*
 * The geometry's line of the run summary (stderr): threads, the step's
 * compute time against its interval, the memory of the model and the
 * ring (topo_model_bytes, topo_state_bytes).
 */
void geom_report(struct geom *g, unsigned threads);

/* Start the thread that computes the steps ahead. 0 or -errno. */
int geom_start(struct geom *g);
/* Stop and join the thread, free the ring. Safe on a geom never started. */
void geom_free(struct geom *g);

/*
 * Move the data plane to the step of wall time now if it is ready (and
 * wake the thread to compute further). Returns the number of steps moved
 * (0 when still in the same step or the next is not ready yet).
 */
int64_t geom_advance(struct geom *g, int64_t wall);

/*
 * The thread's error (-errno) once it failed, with the step it could not
 * compute in *step; 0 while it is fine.
 */
int geom_failed(const struct geom *g, int64_t *step);

#endif
