// SPDX-License-Identifier: MIT
/* geom.c - the geometry thread: compute ring steps ahead, wake the data plane */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "emu/run/geom.h"
#include "topo/lib/array.h"

static double geom_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int geom_compute(struct geom *g, int64_t j)
{
	double t0 = geom_now_ms();
	int ret;

	if (j == g->fail_step)
		return -EIO;
	ret = ring_compute(&g->ring, j);
	/* under the lock: the summary reads them while the thread runs */
	pthread_mutex_lock(&g->lock);
	g->step_ms_last = geom_now_ms() - t0;
	g->steps++;
	g->step_ms_sum += g->step_ms_last;
	if (g->step_ms_last > g->step_ms_max)
		g->step_ms_max = g->step_ms_last;
	pthread_mutex_unlock(&g->lock);
	return ret;
}

void geom_low_prio(void)
{
	/* per thread on Linux: the thread's id, not the process's */
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), GEOM_NICE);
}

void geom_report(struct geom *g, unsigned threads)
{
	const struct ring *r = &g->ring;
	double model, state, mean, mx;
	unsigned long long steps;

	if (!r->model)
		return;
	pthread_mutex_lock(&g->lock);
	steps = g->steps;
	mean = steps ? g->step_ms_sum / (double)steps : 0.0;
	mx = g->step_ms_max;
	pthread_mutex_unlock(&g->lock);
	model = (double)topo_model_bytes(r->model) / 1048576.0;
	state = (double)topo_state_bytes(&r->st[0]) / 1048576.0;
	fprintf(stderr, "  geometry: %u thread%s, step every %.0f ms took "
		"%.1f ms on average, %.1f ms at most (%llu steps); memory "
		"%.0f MiB (model %.0f, %d states of %.0f)\n", threads,
		threads == 1 ? "" : "s", (double)r->step_ns / 1e6, mean, mx,
		steps,
		model + RING_SIZE * state, model, RING_SIZE, state);
}

/*
 * The lock is shared with the data plane (geom_advance(), at each step),
 * a SCHED_FIFO thread, while this thread runs at nice 10: with priority
 * inheritance a holder preempted by ordinary work is lifted to the data
 * plane's priority until it lets go, instead of leaving the data plane
 * blocked behind every normal thread on that CPU.
 */
static void geom_lock_init(pthread_mutex_t *m)
{
	pthread_mutexattr_t a;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
	if (pthread_mutex_init(m, &a) != 0)
		pthread_mutex_init(m, NULL);
	pthread_mutexattr_destroy(&a);
}

int geom_init(struct geom *g, const struct topo_model *m, int64_t epoch_ns,
	      int64_t step_ns, double scale, int64_t wall0,
	      struct fault_plan *plan)
{
	int ret;

	memset(g, 0, sizeof(*g));
	g->fail_step = -1;
	g->taking = -1;
	atomic_init(&g->stop, false);
	atomic_init(&g->error, 0);
	g->notify_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (g->notify_fd < 0) {
		ret = -errno;
		goto out;
	}
	ret = ring_init(&g->ring, m, epoch_ns, step_ns, scale, wall0, plan);
	if (ret < 0)
		goto out_fd;
	geom_lock_init(&g->lock);
	pthread_cond_init(&g->wake, NULL);
	return 0;

out_fd:
	close(g->notify_fd);
out:
	memset(g, 0, sizeof(*g));
	g->notify_fd = -1;
	return ret;
}

/* Wake the data plane. A full counter (EAGAIN) already wakes it. */
static int geom_notify(struct geom *g)
{
	uint64_t one = 1;

	if (write(g->notify_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		return -errno;
	return 0;
}

static void geom_fail(struct geom *g, int64_t j, int err)
{
	g->failed_step = j;
	atomic_store_explicit(&g->error, err, memory_order_release);
	/* if even this fails, the data plane sees error at its next step */
	geom_notify(g);
}

/* Move posted events into the plan (with g->lock held). 0 or -ENOMEM. */
static int geom_take_inbox(struct geom *g)
{
	for (size_t i = 0; i < g->ninbox; i++) {
		int ret = fault_plan_add(g->ring.plan, &g->inbox[i]);

		if (ret)
			return ret;
	}
	g->ninbox = 0;
	return 0;
}

/* The first step the thread has not taken up (with g->lock held). */
static int64_t geom_first_open(struct geom *g)
{
	int64_t ready = ring_ready(&g->ring);

	return g->taking > ready ? g->taking + 1 : ready + 1;
}

int geom_post_at(struct geom *g, const struct fault_event *ev, int64_t at,
		 int64_t *first)
{
	int ret = 0;

	if (!g->ring.plan)
		return -EINVAL;
	pthread_mutex_lock(&g->lock);
	*first = geom_first_open(g);
	if (*first > at)
		ret = -ETIME;
	else if (array_grow((void **)&g->inbox, &g->cap_inbox, g->ninbox + 1,
			    sizeof(*g->inbox), 8) < 0)
		ret = -ENOMEM;
	else
		g->inbox[g->ninbox++] = *ev;
	pthread_mutex_unlock(&g->lock);
	return ret;
}

int geom_post(struct geom *g, const struct fault_event *ev, int64_t *step)
{
	int ret = 0;

	if (!g->ring.plan)
		return -EINVAL;
	pthread_mutex_lock(&g->lock);
	if (array_grow((void **)&g->inbox, &g->cap_inbox, g->ninbox + 1,
		       sizeof(*g->inbox), 8) < 0)
		ret = -ENOMEM;
	else
		g->inbox[g->ninbox++] = *ev;
	/*
	 * The inbox is taken just before a step is computed: while step
	 * `taking` is being computed (not ready yet) the event waits for
	 * the one after it.
	 */
	if (step)
		*step = geom_first_open(g);
	pthread_mutex_unlock(&g->lock);
	return ret;
}

static void *geom_thread(void *arg)
{
	struct geom *g = arg;

	geom_low_prio();
	for (;;) {
		int64_t j = ring_ready(&g->ring) + 1;
		int ret;

		pthread_mutex_lock(&g->lock);
		while (!atomic_load(&g->stop) &&
		       j > ring_cur(&g->ring) + RING_AHEAD)
			pthread_cond_wait(&g->wake, &g->lock);
		ret = geom_take_inbox(g);
		g->taking = j;
		pthread_mutex_unlock(&g->lock);
		if (atomic_load(&g->stop))
			break;
		if (ret == 0)
			ret = geom_compute(g, j);
		if (ret == 0)
			ret = geom_notify(g);
		if (ret < 0) {
			geom_fail(g, j, ret);
			break;
		}
	}
	return NULL;
}

int geom_start(struct geom *g)
{
	int ret = pthread_create(&g->thread, NULL, geom_thread, g);

	if (ret)
		return -ret;
	g->running = true;
	return 0;
}

void geom_free(struct geom *g)
{
	if (!g->ring.model)
		return;
	if (g->running) {
		pthread_mutex_lock(&g->lock);
		atomic_store(&g->stop, true);
		pthread_cond_broadcast(&g->wake);
		pthread_mutex_unlock(&g->lock);
		pthread_join(g->thread, NULL);
		g->running = false;
	}
	pthread_cond_destroy(&g->wake);
	pthread_mutex_destroy(&g->lock);
	ring_free(&g->ring);
	free(g->inbox);
	if (g->notify_fd >= 0)
		close(g->notify_fd);
	memset(g, 0, sizeof(*g));
	g->notify_fd = -1;
}

int64_t geom_advance(struct geom *g, int64_t wall)
{
	int64_t want = ring_want(&g->ring, wall);
	int64_t cur = ring_cur(&g->ring);

	if (want <= cur)
		return 0;
	pthread_mutex_lock(&g->lock);
	atomic_store(&g->ring.cur, want);
	pthread_cond_signal(&g->wake);
	pthread_mutex_unlock(&g->lock);
	return want - cur;
}

int geom_failed(const struct geom *g, int64_t *step)
{
	int err = atomic_load_explicit(&g->error, memory_order_acquire);

	if (err && step)
		*step = g->failed_step;
	return err;
}
