// SPDX-License-Identifier: MIT
/* step.c - one geometry step: positions, links and routes at one instant */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topo/lib/array.h"
#include "topo/consts.h"
#include "topo/frames.h"
#include "topo/sgp4.h"
#include "topo/shadow.h"
#include "topo/step.h"
#include "topo/step_int.h"

void topo_model_init(struct topo_model *m, struct constel *c)
{
	memset(m, 0, sizeof(*m));
	m->constel = c;
	isl_params_default(&m->isl);
	gsl_params_default(&m->gsl);
}

void topo_model_free(struct topo_model *m)
{
	if (!m)
		return;
	free(m->fixed);
	free(m->fixed_deg);
	free(m->fixed_term);
	free(m->transit);
	m->fixed = NULL;
	m->fixed_deg = NULL;
	m->fixed_term = NULL;
	m->transit = NULL;
	m->nfixed = 0;
}

/* Record why the model is refused; always false (for return). */
static bool topo_model_refuse(struct topo_model *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static bool topo_model_refuse(struct topo_model *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->why, sizeof(m->why), fmt, ap);
	va_end(ap);
	return false;
}

/* The parameters' rules; false with m->why set on the first broken one. */
static bool topo_model_valid(struct topo_model *m)
{
	const struct constel *c = m->constel;
	const struct isl_params *p = &m->isl;

	if (!c || c->n == 0)
		return topo_model_refuse(m, "the scenario has no node");
	for (size_t d = 0; d < m->ndest; d++)
		if (m->dest[d] >= c->n)
			return topo_model_refuse(m,
				"destination %zu is node %u, but there are "
				"only %zu nodes", d, m->dest[d], c->n);
	for (size_t i = 0; (p->source & ISL_SRC_PAIRS) && i < p->npairs; i++) {
		uint32_t a = p->pairs[i].a, b = p->pairs[i].b;

		if (a >= c->nsat || b >= c->nsat)
			return topo_model_refuse(m,
				"isl pair %zu (nodes %u and %u) is not between "
				"two of the %zu satellites", i, a, b, c->nsat);
		if (a == b)
			return topo_model_refuse(m,
				"isl pair %zu links node %u to itself", i, a);
	}
	if (p->terminals > 255)
		return topo_model_refuse(m,
			"isl terminals %u is more than 255", p->terminals);
	if (!(p->max_range_km >= 0.0))
		return topo_model_refuse(m, "isl max-range %g km is negative",
					 p->max_range_km);
	if (!(TOPO_WGS72_RE + p->grazing_km > 0.0))
		return topo_model_refuse(m,
			"isl grazing-altitude %g km is below the Earth's "
			"centre", p->grazing_km);
	if (p->acquisition_ns < 0)
		return topo_model_refuse(m,
			"isl acquisition %" PRId64 " ns is negative",
			p->acquisition_ns);
	if (!(m->gsl.max_range_km >= 0.0))
		return topo_model_refuse(m, "gsl max-range %g km is negative",
					 m->gsl.max_range_km);
	return true;
}

int topo_model_prepare(struct topo_model *m)
{
	const struct constel *c = m->constel;
	const struct isl_params *p = &m->isl;
	int ret;

	m->why[0] = '\0';
	if (!topo_model_valid(m))
		return -EINVAL;
	topo_model_free(m);
	ret = isl_fixed_build(c, p, &m->fixed, &m->nfixed);
	if (ret)
		return ret;
	m->fixed_deg = calloc(c->nsat ? c->nsat : 1, sizeof(*m->fixed_deg));
	m->fixed_term = malloc((m->nfixed ? m->nfixed : 1) * 2 *
			       sizeof(*m->fixed_term));
	m->transit = malloc(c->n);
	if (!m->fixed_deg || !m->fixed_term || !m->transit) {
		topo_model_free(m);
		return -ENOMEM;
	}
	/* a satellite's terminals serve its fixed candidates in order */
	for (size_t k = 0; k < m->nfixed; k++) {
		m->fixed_term[2 * k] = m->fixed_deg[m->fixed[k].a];
		m->fixed_term[2 * k + 1] = m->fixed_deg[m->fixed[k].b];
		if (m->fixed_deg[m->fixed[k].a] < UINT16_MAX)
			m->fixed_deg[m->fixed[k].a]++;
		if (m->fixed_deg[m->fixed[k].b] < UINT16_MAX)
			m->fixed_deg[m->fixed[k].b]++;
	}
	for (size_t i = 0; i < c->n; i++)
		m->transit[i] = c->node[i].kind == CONSTEL_SAT ||
				c->node[i].relay;
	return 0;
}

int topo_state_init(struct topo_state *st, const struct topo_model *m)
{
	const struct constel *c = m->constel;
	size_t n = c->n, nsat = c->nsat;
	int ret;

	memset(st, 0, sizeof(*st));
	st->n = n;
	st->nsat = nsat;
	graph_links_init(&st->links);
	graph_init(&st->graph);
	isl_near_init(&st->near_scratch);
	st->pos = calloc(n, sizeof(*st->pos));
	st->vel = calloc(n, sizeof(*st->vel));
	st->up = calloc(n, 1);
	st->down = calloc(n, 1);
	st->fixed_since = malloc((m->nfixed ? m->nfixed : 1) *
				 sizeof(*st->fixed_since));
	st->free_term = calloc(nsat ? nsat : 1, 1);
	st->shadow = calloc(n ? n : 1, 1);
	st->umbra_since = malloc((nsat ? nsat : 1) * sizeof(*st->umbra_since));
	st->nfixed_cap = m->nfixed;
	st->fixed_v = malloc(m->nfixed ? m->nfixed : 1);
	st->fixed_len = malloc((m->nfixed ? m->nfixed : 1) *
			       sizeof(*st->fixed_len));
	st->par_threads = topo_pool_threads(m->pool);
	if (st->par_threads > 1) {
		size_t k = (st->par_threads - 1) * n;

		st->par_heap = malloc(k * sizeof(*st->par_heap));
		st->par_hpos = malloc(k * sizeof(*st->par_hpos));
		if (!st->par_heap || !st->par_hpos)
			st->par_threads = 0;
	}
	if (m->isl.source & ISL_SRC_NEAREST) {
		st->cap_near = nsat * (m->isl.terminals + 1) / 2 + 16;
		st->near = malloc(st->cap_near * sizeof(*st->near));
	}
	if (!st->pos || !st->vel || !st->up || !st->down || !st->fixed_since ||
	    !st->free_term || !st->shadow || !st->umbra_since ||
	    !st->fixed_v || !st->fixed_len || !st->par_threads ||
	    (st->cap_near && !st->near)) {
		ret = -ENOMEM;
		goto out_free;
	}
	for (size_t k = 0; k < m->nfixed; k++)
		st->fixed_since[k] = TOPO_NEVER;
	for (size_t i = 0; i < nsat; i++)
		st->umbra_since[i] = TOPO_NEVER;
	ret = route_init(&st->routes, n, m->dest, m->ndest);
	if (ret)
		goto out_free;
	ret = fault_state_init(&st->faults, n, nsat);
	if (ret)
		goto out_free;
	return 0;

out_free:
	topo_state_free(st);
	return ret;
}

void topo_state_free(struct topo_state *st)
{
	if (!st)
		return;
	free(st->pos);
	free(st->vel);
	free(st->up);
	free(st->down);
	free(st->fixed_since);
	free(st->near);
	free(st->free_term);
	free(st->shadow);
	free(st->umbra_since);
	free(st->fixed_v);
	free(st->fixed_len);
	free(st->par_heap);
	free(st->par_hpos);
	graph_links_free(&st->links);
	graph_free(&st->graph);
	route_free(&st->routes);
	isl_near_free(&st->near_scratch);
	fault_state_free(&st->faults);
	free(st->applied);
	memset(st, 0, sizeof(*st));
}

size_t topo_model_bytes(const struct topo_model *m)
{
	const struct constel *c = m->constel;
	size_t b = sizeof(*m) + sizeof(*c);

	b += c->cap * (sizeof(*c->node) + sizeof(*c->sat));
	b += c->hash_cap * sizeof(*c->hash);
	b += c->nshells * sizeof(*c->shells);
	b += m->nfixed * (sizeof(*m->fixed) + 2 * sizeof(*m->fixed_term));
	b += c->nsat * sizeof(*m->fixed_deg) + c->n * sizeof(*m->transit);
	return b;
}

size_t topo_state_bytes(const struct topo_state *st)
{
	size_t n = st->n, nsat = st->nsat, b = sizeof(*st);
	size_t nfixed = st->fixed_v ? st->nfixed_cap : 0;
	const struct route_table *rt = &st->routes;
	size_t cells = rt->n * (rt->ndest ? rt->ndest : 1);

	b += n * (sizeof(*st->pos) + sizeof(*st->vel) + 3);
	b += nsat * (sizeof(*st->umbra_since) + sizeof(*st->free_term));
	b += nfixed * (sizeof(*st->fixed_since) + sizeof(*st->fixed_v) +
		       sizeof(*st->fixed_len));
	b += st->cap_near * sizeof(*st->near);
	b += st->links.cap * sizeof(*st->links.v);
	b += st->graph.cap_n * sizeof(*st->graph.off) +
	     st->graph.cap_arc * sizeof(*st->graph.arc);
	b += cells * (sizeof(*rt->next) + sizeof(*rt->via) +
		      sizeof(*rt->dist) + sizeof(*rt->order));
	b += rt->n * (sizeof(*rt->dest_of) + sizeof(*rt->heap) +
		      sizeof(*rt->hpos));
	if (st->par_threads > 1)
		b += (st->par_threads - 1) * n *
		     (sizeof(*st->par_heap) + sizeof(*st->par_hpos));
	b += n * 2 + nsat * sizeof(*st->faults.term_lost) +
	     st->faults.cap_links * sizeof(*st->faults.links);
	b += st->cap_applied * sizeof(*st->applied);
	return b;
}

void topo_down_format(unsigned why, char *buf, size_t len)
{
	switch (why) {
	case TOPO_DOWN_NONE:
		snprintf(buf, len, "up");
		break;
	case TOPO_DOWN_NAN:
		snprintf(buf, len, "SGP4 gave a state that is not a number");
		break;
	case TOPO_DOWN_LOW:
		snprintf(buf, len, "below %.0f km (re-entering)",
			 TOPO_ALT_MIN_KM);
		break;
	case TOPO_DOWN_HIGH:
		snprintf(buf, len, "above %.0f km (a runaway propagation)",
			 TOPO_ALT_MAX_KM);
		break;
	case TOPO_DOWN_FAULT:
		snprintf(buf, len, "down by fault");
		break;
	default:
		snprintf(buf, len, "SGP4 error %u: %s", why,
			 sgp4_error_str((int)why));
		break;
	}
}

/* Take the ground links down by fault out of out->links (from first on). */
static void topo_gsl_faults(struct topo_state *out, size_t first)
{
	size_t k = first;

	out->cnt.gsl_fault = 0;
	for (size_t i = first; i < out->links.n; i++) {
		const struct graph_link *l = &out->links.v[i];

		if (fault_link_down(&out->faults, l->a, l->b)) {
			out->cnt.gsl_fault++;
			continue;
		}
		out->links.v[k++] = *l;
	}
	out->links.n = k;
}

int topo_step_links(const struct topo_model *m, const struct topo_state *prev,
		    struct topo_state *out)
{
	struct vec3 sun = { 0.0, 0.0, 0.0 };
	struct isl_rules rules;
	size_t first_gsl;
	int ret;

	if (prev && (prev == out || !prev->stepped || prev->n != out->n ||
		     prev->unix_ns > out->unix_ns))
		prev = NULL;
	if (m->isl.sun_excl_deg > 0.0)
		sun = frames_sun_dir_ecef(out->unix_ns);
	isl_rules_init(&rules, &m->isl, sun);
	out->links.n = 0;
	memset(out->cnt.isl_down, 0, sizeof(out->cnt.isl_down));
	out->cnt.isl_up = out->cnt.isl_acquiring = out->cnt.isl_sat_down = 0;
	out->cnt.near_kept = out->cnt.near_new = out->cnt.near_broken = 0;
	out->cnt.near_checked = 0;
	out->cnt.isl_fault = out->cnt.gsl_fault = 0;
	out->cnt.repointed = 0;
	ret = topo_step_fixed(m, prev, &rules, out);
	if (!ret && (m->isl.source & ISL_SRC_NEAREST))
		ret = topo_step_nearest(m, prev, &rules, out);
	else
		out->nnear = 0;
	if (ret)
		return ret;
	first_gsl = out->links.n;
	ret = gsl_links(&m->gsl, m->constel, out->pos, out->up, &out->links);
	if (!ret && out->faults.nlinks)
		topo_gsl_faults(out, first_gsl);
	out->cnt.gsl_up = out->links.n - first_gsl;
	out->stepped = ret == 0;
	return ret;
}

int topo_step_routes(const struct topo_model *m,
		     const struct topo_state *prev, struct topo_state *out)
{
	int ret;

	ret = graph_build(&out->graph, out->n, out->links.v, out->links.n);
	if (ret)
		return ret;
	if (prev && (prev == out || !prev->stepped ||
		     prev->unix_ns > out->unix_ns))
		prev = NULL;
	topo_step_route_all(m, prev, out);
	out->cnt.routes_warm = out->routes.warm;
	out->cnt.routes_cold = out->routes.cold;
	return 0;
}

/*
 * The eclipse policy at out's step: each satellite's time in umbra (from
 * prev), and an event into the plan where its eclipse fault changes.
 * 0 or -ENOMEM.
 */
static int topo_step_eclipse(const struct topo_model *m,
			     const struct topo_state *prev,
			     struct fault_plan *plan, struct topo_state *out)
{
	int64_t t = out->unix_ns;

	for (size_t i = 0; i < out->nsat; i++) {
		bool umbra = out->shadow[i] == SHADOW_UMBRA, want;
		bool is = plan->st.node[i] & FAULT_BY_ECLIPSE;
		struct fault_event ev;

		if (!umbra)
			out->umbra_since[i] = TOPO_NEVER;
		else if (prev && prev->umbra_since[i] != TOPO_NEVER)
			out->umbra_since[i] = prev->umbra_since[i];
		else
			out->umbra_since[i] = t;
		switch (m->eclipse ? m->eclipse[i] : TOPO_ECLIPSE_NONE) {
		case TOPO_ECLIPSE_DOWN:
			want = umbra;
			break;
		case TOPO_ECLIPSE_BATTERY:
			want = umbra && t - out->umbra_since[i] >=
						m->battery_ns[i];
			break;
		default:
			want = false;
			break;
		}
		if (want == is)
			continue;
		ev = (struct fault_event){
			.t_ns = t, .verb = want ? FAULT_DOWN : FAULT_UP,
			.target = FAULT_NODE, .source = FAULT_ECLIPSE,
			.a = (uint32_t)i,
		};
		if (fault_plan_note(plan, &ev) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* Copy what the plan applied and holds into out; down the failed nodes. */
static int topo_step_take_faults(const struct fault_plan *plan,
				 struct topo_state *out)
{
	int ret = fault_state_copy(&out->faults, &plan->st);

	if (ret)
		return ret;
	if (array_grow((void **)&out->applied, &out->cap_applied,
		       plan->napplied, sizeof(*out->applied), 8) < 0)
		return -ENOMEM;
	if (plan->napplied)
		memcpy(out->applied, plan->applied,
		       plan->napplied * sizeof(*out->applied));
	out->napplied = plan->napplied;
	out->cnt.node_fault = 0;
	for (size_t i = 0; plan->st.nodes_down && i < out->n; i++) {
		if (!plan->st.node[i])
			continue;
		out->cnt.node_fault++;
		if (!out->up[i])
			continue;	/* already down for its orbit */
		out->up[i] = 0;
		out->down[i] = TOPO_DOWN_FAULT;
	}
	return 0;
}

int topo_step_place(const struct topo_model *m,
		    const struct topo_state *prev, int64_t unix_ns,
		    struct fault_plan *plan, struct topo_state *out)
{
	const struct topo_state *hist = prev;
	int ret;

	if (prev == out)
		return -EINVAL;
	if (hist && (!hist->stepped || hist->unix_ns > unix_ns))
		hist = NULL;
	out->stepped = false;
	topo_step_propagate(m, unix_ns, out);
	if (plan) {
		ret = fault_plan_advance(plan, unix_ns,
					 hist ? &hist->links : NULL,
					 hist ? hist->unix_ns : unix_ns, NULL);
		if (!ret)
			ret = topo_step_eclipse(m, hist, plan, out);
		if (!ret)
			ret = topo_step_take_faults(plan, out);
		if (ret)
			return ret;
	}
	return 0;
}

int topo_step_faulted(const struct topo_model *m,
		      const struct topo_state *prev, int64_t unix_ns,
		      struct fault_plan *plan, struct topo_state *out)
{
	int ret = topo_step_place(m, prev, unix_ns, plan, out);

	if (ret)
		return ret;
	ret = topo_step_links(m, prev, out);
	if (ret)
		return ret;
	return topo_step_routes(m, prev, out);
}

int topo_step(const struct topo_model *m, const struct topo_state *prev,
	      int64_t unix_ns, struct topo_state *out)
{
	return topo_step_faulted(m, prev, unix_ns, NULL, out);
}
