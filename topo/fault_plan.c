// SPDX-License-Identifier: MIT
/* fault_plan.c - the timeline of faults: scheduled, live, random and flaps, applied step by step */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "topo/fault_plan.h"
#include "topo/lib/array.h"

int fault_plan_init(struct fault_plan *p, size_t n, size_t nsat,
		    uint64_t seed)
{
	int ret;

	memset(p, 0, sizeof(*p));
	p->t = INT64_MIN;
	p->flap_t = INT64_MIN;
	p->seed = seed;
	ret = fault_state_init(&p->st, n, nsat);
	if (ret)
		memset(p, 0, sizeof(*p));
	return ret;
}

void fault_plan_free(struct fault_plan *p)
{
	if (!p)
		return;
	free(p->ev);
	free(p->rnd_next);
	free(p->rnd_k);
	free(p->applied);
	fault_state_free(&p->st);
	memset(p, 0, sizeof(*p));
}

/* splitmix64's finaliser: a well-mixed 64-bit function of its input. */
static uint64_t fault_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

double fault_plan_draw(uint64_t seed, uint64_t a, uint64_t b, uint64_t k)
{
	uint64_t h = fault_mix(seed ^ fault_mix(a ^ fault_mix(b ^
						 fault_mix(k))));

	return (double)(h >> 11) * 0x1.0p-53;
}

/* An exponential interval of mean mean_ns (>= 1 ns unless the mean is 0). */
static int64_t fault_exp_ns(double u, int64_t mean_ns)
{
	double x = -log1p(-u) * (double)mean_ns;

	if (mean_ns <= 0)
		return 0;
	if (x > 9.0e18)
		return INT64_MAX / 2;
	return x < 1.0 ? 1 : (int64_t)x;
}

/* Stream ids of the draws, so that node and link draws never meet. */
#define FAULT_STREAM_UP 1u
#define FAULT_STREAM_DOWN 2u
#define FAULT_STREAM_FLAP 3u
#define FAULT_STREAM_FLAP_AT 4u

int fault_plan_random(struct fault_plan *p, const int64_t *mtbf_ns,
		      const int64_t *mttr_ns, int64_t epoch_ns)
{
	size_t n = p->st.n;

	free(p->rnd_next);
	free(p->rnd_k);
	p->rnd_next = malloc((n ? n : 1) * sizeof(*p->rnd_next));
	p->rnd_k = calloc(n ? n : 1, sizeof(*p->rnd_k));
	if (!p->rnd_next || !p->rnd_k) {
		free(p->rnd_next);
		free(p->rnd_k);
		p->rnd_next = NULL;
		p->rnd_k = NULL;
		return -ENOMEM;
	}
	p->mtbf_ns = mtbf_ns;
	p->mttr_ns = mttr_ns;
	for (size_t i = 0; i < n; i++) {
		double u;

		if (!mtbf_ns || mtbf_ns[i] <= 0) {
			p->rnd_next[i] = INT64_MAX;
			continue;
		}
		u = fault_plan_draw(p->seed, FAULT_STREAM_UP, i, 0);
		p->rnd_next[i] = epoch_ns + fault_exp_ns(u, mtbf_ns[i]);
		p->rnd_k[i] = 1;
	}
	return 0;
}

void fault_plan_flaps(struct fault_plan *p, double per_hour, int64_t flap_ns)
{
	p->flap_per_s = per_hour > 0.0 ? per_hour / 3600.0 : 0.0;
	p->flap_ns = flap_ns > 0 ? flap_ns : 0;
}

int fault_plan_add(struct fault_plan *p, const struct fault_event *ev)
{
	size_t i;

	if (array_grow((void **)&p->ev, &p->cap, p->n + 1, sizeof(*p->ev),
		       16) < 0)
		return -ENOMEM;
	/* after every event of the same time, and never before next */
	i = p->n;
	while (i > p->next && p->ev[i - 1].t_ns > ev->t_ns)
		i--;
	memmove(&p->ev[i + 1], &p->ev[i], (p->n - i) * sizeof(*p->ev));
	p->ev[i] = *ev;
	p->n++;
	return 0;
}

static int fault_applied_push(struct fault_plan *p,
			      const struct fault_event *ev)
{
	if (array_grow((void **)&p->applied, &p->cap_applied,
		       p->napplied + 1, sizeof(*p->applied), 16) < 0)
		return -ENOMEM;
	p->applied[p->napplied++] = *ev;
	return 0;
}

/* Random node changes up to t, into p->applied (unsorted). */
static int fault_plan_collect_random(struct fault_plan *p, int64_t t)
{
	if (!p->rnd_next)
		return 0;
	for (size_t i = 0; i < p->st.n; i++) {
		while (p->rnd_next[i] <= t) {
			/* odd draws end an up interval: the node fails */
			bool fails = p->rnd_k[i] % 2 == 1;
			struct fault_event ev = {
				.t_ns = p->rnd_next[i],
				.verb = fails ? FAULT_DOWN : FAULT_UP,
				.target = FAULT_NODE,
				.source = FAULT_RANDOM,
				.a = (uint32_t)i,
			};
			double u;
			int64_t len;

			if (fault_applied_push(p, &ev) < 0)
				return -ENOMEM;
			u = fault_plan_draw(p->seed, fails ? FAULT_STREAM_DOWN
							   : FAULT_STREAM_UP,
					    i, p->rnd_k[i]);
			len = fault_exp_ns(u, fails ? p->mttr_ns[i]
						    : p->mtbf_ns[i]);
			p->rnd_next[i] = ev.t_ns + (len > 0 ? len : 1);
			p->rnd_k[i]++;
		}
	}
	return 0;
}

/*
 * Flaps of the links up in the step at t0, in (t0, t]: the down goes into
 * p->applied, the up into the timeline.
 */
static int fault_plan_collect_flaps(struct fault_plan *p,
				    const struct graph_links *links,
				    int64_t t0, int64_t t)
{
	int64_t dt = t - t0;
	double pf = -expm1(-p->flap_per_s * (double)dt / 1e9);

	for (size_t i = 0; i < links->n; i++) {
		const struct graph_link *l = &links->v[i];
		struct fault_event ev = {
			.target = FAULT_LINK,
			.source = FAULT_FLAP,
			.a = l->a,
			.b = l->b,
		};
		double u;

		if (l->kind != GRAPH_ISL)
			continue;
		u = fault_plan_draw(p->seed ^ FAULT_STREAM_FLAP,
				    (uint64_t)l->a << 32 | l->b, (uint64_t)t0,
				    0);
		if (u >= pf)
			continue;
		/* given a flap, u / pf is uniform: where in the interval */
		ev.t_ns = t0 + (int64_t)(u / pf * (double)dt);
		ev.verb = FAULT_DOWN;
		if (fault_applied_push(p, &ev) < 0)
			return -ENOMEM;
		ev.t_ns += p->flap_ns > 0 ? p->flap_ns : 1;
		ev.verb = FAULT_UP;
		if (fault_plan_add(p, &ev) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* Time order of drawn events (ties: a fixed order, for repeatability). */
static int fault_event_cmp(const void *x, const void *y)
{
	const struct fault_event *a = x, *b = y;

	if (a->t_ns != b->t_ns)
		return a->t_ns < b->t_ns ? -1 : 1;
	if (a->source != b->source)
		return a->source < b->source ? -1 : 1;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	if (a->b != b->b)
		return a->b < b->b ? -1 : 1;
	return (int)a->verb - (int)b->verb;
}

/*
 * p->applied holds the timeline's events (sorted, in the order added) in
 * [0, first) and the drawn ones after: sort those, then merge, the
 * timeline's first at equal times. 0 or -ENOMEM.
 */
static int fault_plan_merge(struct fault_plan *p, size_t first)
{
	size_t n = p->napplied, i = 0, j = first, k = 0;
	struct fault_event *out;

	if (n == first)
		return 0;
	qsort(p->applied + first, n - first, sizeof(*p->applied),
	      fault_event_cmp);
	if (first == 0)
		return 0;
	out = malloc(n * sizeof(*out));
	if (!out)
		return -ENOMEM;
	while (i < first || j < n)
		if (j == n || (i < first &&
			       p->applied[i].t_ns <= p->applied[j].t_ns))
			out[k++] = p->applied[i++];
		else
			out[k++] = p->applied[j++];
	memcpy(p->applied, out, n * sizeof(*out));
	free(out);
	return 0;
}

int fault_plan_advance(struct fault_plan *p, int64_t t,
		       const struct graph_links *prev_links, int64_t prev_t,
		       size_t *bad)
{
	size_t first;
	int ret;

	p->napplied = 0;
	/* the timeline first: it is already in its order */
	while (p->next < p->n && p->ev[p->next].t_ns <= t)
		if (fault_applied_push(p, &p->ev[p->next++]) < 0)
			return -ENOMEM;
	first = p->napplied;
	ret = fault_plan_collect_random(p, t);
	if (!ret && p->flap_per_s > 0.0 && prev_links && prev_t < t &&
	    prev_t > p->flap_t) {
		ret = fault_plan_collect_flaps(p, prev_links, prev_t, t);
		p->flap_t = prev_t;
	}
	if (ret)
		return ret;
	ret = fault_plan_merge(p, first);
	if (ret)
		return ret;
	for (size_t i = 0; i < p->napplied; i++) {
		ret = fault_apply(&p->st, &p->applied[i]);
		if (ret == -ENOMEM)
			return ret;
		if (ret < 0 && bad)
			(*bad)++;
	}
	if (t > p->t)
		p->t = t;
	return 0;
}

int fault_plan_note(struct fault_plan *p, const struct fault_event *ev)
{
	int ret = fault_apply(&p->st, ev);

	if (ret < 0)
		return ret;
	return fault_applied_push(p, ev);
}

void fault_plan_rewind(struct fault_plan *p, int64_t epoch_ns)
{
	struct fault_state *fs = &p->st;
	size_t k = 0;

	memset(fs->node, 0, fs->n);
	memset(fs->freeze, 0, fs->n);
	memset(fs->term_lost, 0, fs->nsat * sizeof(*fs->term_lost));
	fs->nlinks = 0;
	fs->nodes_down = 0;
	fs->sats_term_lost = 0;
	fs->version++;
	memset(fs->count, 0, sizeof(fs->count));
	for (size_t i = 0; i < p->n; i++)
		if (p->ev[i].source != FAULT_FLAP)
			p->ev[k++] = p->ev[i];
	p->n = k;
	p->next = 0;
	p->t = INT64_MIN;
	p->flap_t = INT64_MIN;
	p->napplied = 0;
	if (p->rnd_next)
		fault_plan_random(p, p->mtbf_ns, p->mttr_ns, epoch_ns);
}
