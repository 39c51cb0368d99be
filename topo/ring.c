// SPDX-License-Identifier: MIT
/* ring.c - a ring of topology steps: time mapping, Hermite positions, link delays */
#include <math.h>
#include <string.h>

#include "topo/consts.h"
#include "topo/ring.h"

int ring_init(struct ring *r, const struct topo_model *m, int64_t epoch_ns,
	      int64_t step_ns, double scale, int64_t wall0,
	      struct fault_plan *plan)
{
	int ret = 0, i;

	memset(r, 0, sizeof(*r));
	r->model = m;
	r->epoch_ns = epoch_ns;
	r->step_ns = step_ns;
	r->scale = scale;
	r->wall0 = wall0;
	r->orb0 = epoch_ns;
	r->plan = plan;
	atomic_init(&r->ready, -1);
	atomic_init(&r->cur, 0);
	for (i = 0; i < RING_SIZE; i++) {
		ret = topo_state_init(&r->st[i], m);
		if (ret < 0)
			goto out_states;
	}
	for (int64_t j = 0; j < 2; j++) {
		ret = ring_compute(r, j);
		if (ret < 0)
			goto out_states;
	}
	return 0;

out_states:
	while (i-- > 0)
		topo_state_free(&r->st[i]);
	memset(r, 0, sizeof(*r));
	return ret;
}

void ring_free(struct ring *r)
{
	if (!r->model)
		return;
	for (int i = 0; i < RING_SIZE; i++)
		topo_state_free(&r->st[i]);
	memset(r, 0, sizeof(*r));
}

int ring_compute(struct ring *r, int64_t j)
{
	const struct topo_state *prev = j > 0 ? ring_state(r, j - 1) : NULL;
	int ret;

	ret = topo_step_faulted(r->model, prev, ring_step_time(r, j), r->plan,
				&r->st[j % RING_SIZE]);
	if (ret < 0)
		return ret;
	atomic_store_explicit(&r->ready, j, memory_order_release);
	return 0;
}

int64_t ring_step_of(const struct ring *r, int64_t t_orb)
{
	int64_t d = t_orb - r->epoch_ns;

	return d <= 0 ? 0 : d / r->step_ns;
}

int64_t ring_step_wall(const struct ring *r, int64_t k)
{
	double orb = (double)(ring_step_time(r, k) - r->orb0);

	if (r->scale <= 0.0)
		return orb > 0 ? INT64_MAX : r->wall0;
	return r->wall0 + (int64_t)(orb / r->scale);
}

void ring_set_scale(struct ring *r, int64_t wall, double scale)
{
	r->orb0 = ring_orbital(r, wall);
	r->wall0 = wall;
	r->scale = scale > 0.0 ? scale : 0.0;
}

int64_t ring_want(const struct ring *r, int64_t wall)
{
	int64_t want = ring_step_of(r, ring_orbital(r, wall));
	int64_t ready = ring_ready(r);

	/* step k is usable with k + 1 computed (interpolation needs both) */
	return want > ready - 1 ? ready - 1 : want;
}

struct vec3 ring_position(const struct ring *r, uint32_t v, int64_t t_orb)
{
	int64_t k = ring_cur(r);
	const struct topo_state *a = ring_state(r, k);
	const struct topo_state *b = ring_state(r, k + 1);
	double h = (double)r->step_ns / 1e9;	/* s */
	double s = (double)(t_orb - a->unix_ns) / (double)r->step_ns;
	struct vec3 p0 = a->pos[v], p1 = b->pos[v];
	struct vec3 m0 = vec3_scale(a->vel[v], h);
	struct vec3 m1 = vec3_scale(b->vel[v], h);
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

int64_t ring_delay_ns(const struct ring *r, uint32_t a, uint32_t b,
		      int64_t wall)
{
	int64_t t = ring_orbital(r, wall);
	double km = vec3_dist(ring_position(r, a, t), ring_position(r, b, t));

	return (int64_t)llround(km * TOPO_NS_PER_KM);
}
