// SPDX-License-Identifier: MIT
/* geom.c - compute geometry steps ahead on a thread; interpolate link delays */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "emu/run/geom.h"
#include "topo/consts.h"

static double geom_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int geom_compute(struct geom *g, int64_t j)
{
	const struct topo_state *prev = NULL;
	double t0 = geom_now_ms(), dt;
	int ret;

	if (j > 0)
		prev = &g->st[(j - 1) % GEOM_RING];
	ret = topo_step(g->model, prev, g->epoch_ns + j * g->step_ns,
			&g->st[j % GEOM_RING]);
	dt = geom_now_ms() - t0;
	g->step_ms_last = dt;
	if (dt > g->step_ms_max)
		g->step_ms_max = dt;
	return ret;
}

int geom_init(struct geom *g, const struct topo_model *m, int64_t epoch_ns,
	      int64_t step_ns, double scale, int64_t wall0)
{
	int ret, i;

	memset(g, 0, sizeof(*g));
	g->model = m;
	g->epoch_ns = epoch_ns;
	g->step_ns = step_ns;
	g->scale = scale;
	g->wall0 = wall0;
	g->notify_fd = -1;
	atomic_init(&g->ready, -1);
	atomic_init(&g->cur, 0);
	atomic_init(&g->stop, false);
	for (i = 0; i < GEOM_RING; i++) {
		ret = topo_state_init(&g->st[i], m);
		if (ret < 0)
			goto out_states;
	}
	g->notify_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (g->notify_fd < 0) {
		ret = -errno;
		goto out_states;
	}
	for (int64_t j = 0; j < 2; j++) {
		ret = geom_compute(g, j);
		if (ret < 0)
			goto out_fd;
		atomic_store(&g->ready, j);
	}
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->wake, NULL);
	return 0;

out_fd:
	close(g->notify_fd);
out_states:
	while (i-- > 0)
		topo_state_free(&g->st[i]);
	memset(g, 0, sizeof(*g));
	g->notify_fd = -1;
	return ret;
}

static void *geom_thread(void *arg)
{
	struct geom *g = arg;
	uint64_t one = 1;

	for (;;) {
		int64_t j = atomic_load(&g->ready) + 1;

		pthread_mutex_lock(&g->lock);
		while (!atomic_load(&g->stop) &&
		       j > atomic_load(&g->cur) + 2)
			pthread_cond_wait(&g->wake, &g->lock);
		pthread_mutex_unlock(&g->lock);
		if (atomic_load(&g->stop))
			break;
		if (geom_compute(g, j) < 0) {
			g->error = -ENOMEM;
			break;
		}
		atomic_store_explicit(&g->ready, j, memory_order_release);
		if (write(g->notify_fd, &one, sizeof(one)) < 0) {
			/* eventfd full or closed: the data plane polls too */
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
	if (!g->model)
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
	for (int i = 0; i < GEOM_RING; i++)
		topo_state_free(&g->st[i]);
	if (g->notify_fd >= 0)
		close(g->notify_fd);
	memset(g, 0, sizeof(*g));
	g->notify_fd = -1;
}

int64_t geom_step_of(const struct geom *g, int64_t t_orb)
{
	int64_t d = t_orb - g->epoch_ns;

	return d <= 0 ? 0 : d / g->step_ns;
}

int64_t geom_advance(struct geom *g, int64_t wall)
{
	int64_t want = geom_step_of(g, geom_orbital(g, wall));
	int64_t cur = atomic_load_explicit(&g->cur, memory_order_relaxed);
	int64_t ready = atomic_load_explicit(&g->ready, memory_order_acquire);

	/* step k is usable with k + 1 computed (interpolation needs both) */
	if (want > ready - 1)
		want = ready - 1;
	if (want <= cur)
		return 0;
	pthread_mutex_lock(&g->lock);
	atomic_store(&g->cur, want);
	pthread_cond_signal(&g->wake);
	pthread_mutex_unlock(&g->lock);
	return want - cur;
}

struct vec3 geom_position(const struct geom *g, uint32_t v, int64_t t_orb)
{
	int64_t k = atomic_load_explicit(&g->cur, memory_order_relaxed);
	const struct topo_state *a = &g->st[k % GEOM_RING];
	const struct topo_state *b = &g->st[(k + 1) % GEOM_RING];
	double h = (double)g->step_ns / 1e9;	/* s */
	double s = (double)(t_orb - a->unix_ns) / (double)g->step_ns;
	struct vec3 p0 = a->pos[v], p1 = b->pos[v];
	struct vec3 m0 = vec3_scale(a->vel[v], h), m1 = vec3_scale(b->vel[v], h);
	double s2, s3;

	if (!a->up[v] || !b->up[v])
		return a->up[v] ? p0 : p1;
	if (s < 0)	/* before step k: extrapolate along v0 */
		return vec3_add(p0, vec3_scale(m0, s));
	if (s > 1)
		return vec3_add(p1, vec3_scale(m1, s - 1));
	s2 = s * s;
	s3 = s2 * s;
	/* Hermite basis h00, h10, h01, h11 */
	return vec3_add(vec3_add(vec3_scale(p0, 2 * s3 - 3 * s2 + 1),
				 vec3_scale(m0, s3 - 2 * s2 + s)),
			vec3_add(vec3_scale(p1, -2 * s3 + 3 * s2),
				 vec3_scale(m1, s3 - s2)));
}

int64_t geom_delay_ns(const struct geom *g, uint32_t a, uint32_t b,
		      int64_t wall)
{
	int64_t t = geom_orbital(g, wall);
	double km = vec3_dist(geom_position(g, a, t), geom_position(g, b, t));

	return (int64_t)llround(km * TOPO_NS_PER_KM);
}
