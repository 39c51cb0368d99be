// SPDX-License-Identifier: MIT
/* step_par.c - the parts of a step split across the model's threads */
#include <errno.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "topo/lib/array.h"
#include "topo/consts.h"
#include "topo/frames.h"
#include "topo/pool.h"
#include "topo/sgp4.h"
#include "topo/shadow.h"
#include "topo/step.h"
#include "topo/step_int.h"

/*
 * Three phases of a step are shared out among the threads of m->pool
 * (topo/pool.h): propagation (each thread a range of satellites), the
 * fixed candidates (each thread a range of candidates: first its verdicts,
 * then, once every part is counted, its links at their place in the list)
 * and the routes (each thread takes the next destination not taken). Every
 * output is written by exactly one part at a place that does not depend on
 * the number of threads, and counters are summed in part order, so a step
 * gives the same positions, links, routes and counters with one thread or
 * many. The nearest rule, the ground links and the adjacency stay on the
 * calling thread.
 */

/* ---- propagation --------------------------------------------------------- */

struct topo_prop_job {
	const struct topo_model *m;
	struct topo_state *out;
	double gmst;
	struct vec3 sun;
	size_t down[TOPO_POOL_MAX];
};

/*
 * SGP4 gives TEME; one rotation by GMST (with the Earth's rotation taken
 * out of the velocity) gives Earth-fixed positions and velocities, which the
 * data plane interpolates between steps with cubic Hermite polynomials. The
 * height band is checked on the TEME radius (the rotation keeps it).
 */
static void topo_prop_part(void *arg, unsigned part, unsigned nparts)
{
	static const double rmin = TOPO_WGS72_RE + TOPO_ALT_MIN_KM;
	static const double rmax = TOPO_WGS72_RE + TOPO_ALT_MAX_KM;
	struct topo_prop_job *j = arg;
	const struct topo_model *m = j->m;
	struct topo_state *out = j->out;
	struct constel *c = m->constel;
	int64_t unix_ns = out->unix_ns;
	unsigned long lo, hi;
	size_t down = 0;

	topo_pool_range(c->nsat, part, nparts, &lo, &hi);
	for (size_t i = lo; i < hi; i++) {
		struct sgp4_sat *s = &c->sat[i];
		struct vec3 r, v;
		double r2;
		int err;

		err = sgp4_propagate(s, sgp4_tsince(s, unix_ns), &r, &v);
		r2 = r.x * r.x + r.y * r.y + r.z * r.z;
		if (err == SGP4_OK && !isfinite(r2 + v.x + v.y + v.z))
			err = TOPO_DOWN_NAN;
		else if (err == SGP4_OK && r2 < rmin * rmin)
			err = TOPO_DOWN_LOW;
		else if (err == SGP4_OK && r2 > rmax * rmax)
			err = TOPO_DOWN_HIGH;
		if (err != SGP4_OK) {
			out->up[i] = 0;
			out->down[i] = (uint8_t)err;
			out->shadow[i] = SHADOW_SUNLIT;
			out->pos[i] = (struct vec3){ 0.0, 0.0, 0.0 };
			out->vel[i] = out->pos[i];
			down++;
			continue;
		}
		frames_teme_to_ecef(j->gmst, r, v, &out->pos[i], &out->vel[i]);
		out->up[i] = 1;
		out->down[i] = TOPO_DOWN_NONE;
		out->shadow[i] = m->shadow || (m->eclipse && m->eclipse[i]) ?
			(uint8_t)shadow_state(out->pos[i], j->sun) :
			SHADOW_UNKNOWN;
	}
	j->down[part] = down;
}

void topo_step_propagate(const struct topo_model *m, int64_t unix_ns,
			 struct topo_state *out)
{
	struct constel *c = m->constel;
	struct topo_prop_job j = {
		.m = m, .out = out, .gmst = frames_gmst_unix(unix_ns),
	};

	if (m->shadow || m->eclipse)
		j.sun = frames_sun_dir_ecef(unix_ns);
	out->unix_ns = unix_ns;
	memset(&out->cnt, 0, sizeof(out->cnt));
	topo_pool_run(m->pool, topo_prop_part, &j);
	for (unsigned p = 0; p < topo_pool_threads(m->pool); p++)
		out->cnt.sat_down += j.down[p];
	for (size_t i = c->nsat; i < c->n; i++) {
		out->shadow[i] = m->shadow ?
			(uint8_t)shadow_state(c->node[i].ecef, j.sun) :
			SHADOW_UNKNOWN;
		out->pos[i] = c->node[i].ecef;
		out->vel[i] = (struct vec3){ 0.0, 0.0, 0.0 };
		out->up[i] = 1;
		out->down[i] = TOPO_DOWN_NONE;
	}
}

/* ---- fixed candidates ---------------------------------------------------- */

/* What a fixed candidate is at this step (topo_state.fixed_v). */
enum {
	TOPO_FV_UP,			/* a link */
	TOPO_FV_ACQUIRING,
	TOPO_FV_SAT_DOWN,		/* an end cannot be placed */
	TOPO_FV_FAULT,			/* a link or terminal fault */
	TOPO_FV_RULE,			/* + isl_verdict: down by rule */
	TOPO_FV_N = TOPO_FV_RULE + ISL_NVERDICT,
};

struct topo_fixed_job {
	const struct topo_model *m;
	const struct topo_state *prev;
	const struct isl_rules *rules;
	struct topo_state *out;
	size_t base;			/* links before the fixed ones */
	size_t cnt[TOPO_POOL_MAX][TOPO_FV_N];
	size_t at[TOPO_POOL_MAX];	/* first link of each part */
};

/* Is fixed candidate k down by a link fault or a lost terminal? */
static bool topo_fixed_faulted(const struct topo_model *m,
			       const struct fault_state *fs, size_t k)
{
	uint32_t a = m->fixed[k].a, b = m->fixed[k].b;

	if (fs->nlinks && fault_link_down(fs, a, b))
		return true;
	return fs->sats_term_lost &&
	       (fault_terminal_lost(fs, a, m->fixed_term[2 * k]) ||
		fault_terminal_lost(fs, b, m->fixed_term[2 * k + 1]));
}

/* The verdict of candidate k: the rules, then acquisition. */
static unsigned topo_fixed_one(const struct topo_fixed_job *j, size_t k,
			       bool faulty)
{
	const struct topo_model *m = j->m;
	const struct topo_state *prev = j->prev;
	struct topo_state *out = j->out;
	uint32_t a = m->fixed[k].a, b = m->fixed[k].b;
	int64_t t = out->unix_ns, since;
	enum isl_verdict v;

	out->fixed_since[k] = TOPO_NEVER;
	if (!out->up[a] || !out->up[b])
		return TOPO_FV_SAT_DOWN;
	if (faulty && topo_fixed_faulted(m, &out->faults, k))
		return TOPO_FV_FAULT;
	v = isl_check_pair(j->rules, a, b, out->pos[a], out->pos[b],
			   isl_cross_plane(&m->constel->node[a],
					   &m->constel->node[b]),
			   &out->fixed_len[k]);
	if (v != ISL_UP)
		return TOPO_FV_RULE + v;
	if (!prev)
		since = TOPO_ALWAYS;
	else if (prev->fixed_since[k] == TOPO_NEVER)
		since = t;
	else
		since = prev->fixed_since[k];
	out->fixed_since[k] = since;
	if (!topo_acquired(since, t, isl_pair_acq(&m->isl, a, b)))
		return TOPO_FV_ACQUIRING;
	return TOPO_FV_UP;
}

static void topo_fixed_judge(void *arg, unsigned part, unsigned nparts)
{
	struct topo_fixed_job *j = arg;
	struct topo_state *out = j->out;
	bool faulty = out->faults.nlinks || out->faults.sats_term_lost;
	size_t *cnt = j->cnt[part];
	unsigned long lo, hi;

	memset(cnt, 0, sizeof(j->cnt[part]));
	topo_pool_range(j->m->nfixed, part, nparts, &lo, &hi);
	for (size_t k = lo; k < hi; k++) {
		unsigned fv = topo_fixed_one(j, k, faulty);

		out->fixed_v[k] = (uint8_t)fv;
		cnt[fv]++;
	}
}

static void topo_fixed_write(void *arg, unsigned part, unsigned nparts)
{
	struct topo_fixed_job *j = arg;
	const struct topo_model *m = j->m;
	struct topo_state *out = j->out;
	struct graph_link *l = out->links.v + j->at[part];
	unsigned long lo, hi;

	topo_pool_range(m->nfixed, part, nparts, &lo, &hi);
	for (size_t k = lo; k < hi; k++)
		if (out->fixed_v[k] == TOPO_FV_UP)
			*l++ = (struct graph_link){
				.a = m->fixed[k].a, .b = m->fixed[k].b,
				.kind = GRAPH_ISL,
				.length_km = out->fixed_len[k],
			};
}

/*
 * Grid and pair candidates: the rules, then acquisition; the links up are
 * appended to out->links in candidate order.
 */
int topo_step_fixed(const struct topo_model *m, const struct topo_state *prev,
		    const struct isl_rules *rules, struct topo_state *out)
{
	struct topo_fixed_job *j;
	unsigned np = topo_pool_threads(m->pool);
	size_t up = 0;
	int ret = 0;

	if (m->nfixed == 0)
		return 0;
	/* about 5 kB of counters per thread allowed: off the stack */
	j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	*j = (struct topo_fixed_job){
		.m = m, .prev = prev, .rules = rules, .out = out,
		.base = out->links.n,
	};
	topo_pool_run(m->pool, topo_fixed_judge, j);
	for (unsigned p = 0; p < np; p++) {
		j->at[p] = j->base + up;
		up += j->cnt[p][TOPO_FV_UP];
		out->cnt.isl_acquiring += j->cnt[p][TOPO_FV_ACQUIRING];
		out->cnt.isl_sat_down += j->cnt[p][TOPO_FV_SAT_DOWN];
		out->cnt.isl_fault += j->cnt[p][TOPO_FV_FAULT];
		for (unsigned v = 1; v < ISL_NVERDICT; v++)
			out->cnt.isl_down[v] += j->cnt[p][TOPO_FV_RULE + v];
	}
	if (array_grow((void **)&out->links.v, &out->links.cap,
		       j->base + up, sizeof(*out->links.v), 64) < 0) {
		ret = -ENOMEM;
		goto out_free;
	}
	topo_pool_run(m->pool, topo_fixed_write, j);
	out->links.n = j->base + up;
	out->cnt.isl_up += up;
out_free:
	free(j);
	return ret;
}

/* ---- routes -------------------------------------------------------------- */

struct topo_route_job {
	const struct topo_model *m;
	const struct topo_state *prev;
	struct topo_state *out;
	atomic_size_t next;		/* the next destination to take */
	size_t warm[TOPO_POOL_MAX];
};

static void topo_route_part(void *arg, unsigned part, unsigned nparts)
{
	struct topo_route_job *j = arg;
	struct topo_state *out = j->out;
	struct route_table *rt = &out->routes;
	uint32_t *heap = rt->heap;
	int32_t *hpos = rt->hpos;
	size_t d, warm = 0;

	(void)nparts;
	if (part) {
		heap = out->par_heap + (size_t)(part - 1) * out->n;
		hpos = out->par_hpos + (size_t)(part - 1) * out->n;
	}
	while ((d = atomic_fetch_add(&j->next, 1)) < rt->ndest)
		warm += route_compute_dest(rt, &out->graph, j->m->transit,
					   j->prev ? &j->prev->routes : NULL,
					   d, heap, hpos);
	j->warm[part] = warm;
}

/* route_compute over the pool: destinations are independent. */
void topo_step_route_all(const struct topo_model *m,
			 const struct topo_state *prev,
			 struct topo_state *out)
{
	struct topo_route_job j = { .m = m, .prev = prev, .out = out };
	struct route_table *rt = &out->routes;

	atomic_init(&j.next, 0);
	if (rt->ndest < 2 || topo_pool_threads(m->pool) > out->par_threads) {
		route_compute(rt, &out->graph, m->transit,
			      prev ? &prev->routes : NULL);
		return;
	}
	topo_pool_run(m->pool, topo_route_part, &j);
	rt->warm = 0;
	for (unsigned p = 0; p < topo_pool_threads(m->pool); p++)
		rt->warm += j.warm[p];
	rt->cold = rt->ndest - rt->warm;
	rt->has_order = out->graph.n == rt->n;
}
