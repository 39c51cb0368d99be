// SPDX-License-Identifier: MIT
/* replay.c - the links a run started at the epoch has at any moment, by replaying its steps */
#include <errno.h>
#include <string.h>

#include "topo/replay.h"

bool topo_model_has_history(const struct topo_model *m)
{
	return (m->isl.source & ISL_SRC_NEAREST) || m->isl.acquisition_ns > 0;
}

int topo_replay_init(struct topo_replay *r, const struct topo_model *m,
		     int64_t epoch_ns, int64_t step_ns, bool fresh,
		     struct fault_plan *plan)
{
	int ret;

	memset(r, 0, sizeof(*r));
	if (step_ns <= 0)
		return -EINVAL;
	r->m = m;
	r->epoch_ns = epoch_ns;
	r->step_ns = step_ns;
	r->plan = plan;
	r->history = topo_model_has_history(m) || plan;
	r->fresh = fresh && !plan;
	r->k = -1;
	ret = topo_state_init(&r->st[0], m);
	if (!ret)
		ret = topo_state_init(&r->st[1], m);
	if (!ret)
		ret = topo_state_init(&r->at, m);
	if (ret)
		topo_replay_free(r);
	return ret;
}

void topo_replay_free(struct topo_replay *r)
{
	if (!r)
		return;
	topo_state_free(&r->st[0]);
	topo_state_free(&r->st[1]);
	topo_state_free(&r->at);
	if (r->owns)
		fault_plan_free(&r->own);
	memset(r, 0, sizeof(*r));
	r->k = -1;
}

void topo_replay_take_plan(struct topo_replay *r, struct fault_plan *plan)
{
	if (r->owns)
		fault_plan_free(&r->own);
	r->own = *plan;
	memset(plan, 0, sizeof(*plan));
	r->owns = true;
	r->plan = &r->own;
	r->history = true;
	r->fresh = false;
	r->k = -1;
	r->routed = false;
}

/* Step holding t, or -1 before the epoch (or when fresh). */
static int64_t topo_replay_step_of(const struct topo_replay *r, int64_t t)
{
	uint64_t d;

	if (r->fresh || t < r->epoch_ns)
		return -1;
	/* t - epoch may not fit in int64; in uint64 it always does */
	d = (uint64_t)t - (uint64_t)r->epoch_ns;
	return (int64_t)(d / (uint64_t)r->step_ns);
}

uint64_t topo_replay_cost(const struct topo_replay *r, int64_t t)
{
	int64_t k = topo_replay_step_of(r, t);

	if (!r->history || k < 0)
		return 0;
	return (uint64_t)(k > r->k ? k - r->k : k + 1);
}

/* Steps k + 1 to want, links only, each from the one before. */
static int topo_replay_to(struct topo_replay *r, int64_t want)
{
	int64_t first = r->k;

	while (r->k < want) {
		int64_t j = r->k + 1;
		const struct topo_state *prev = r->k >= 0 ? &r->st[r->cur] :
							     NULL;
		struct topo_state *out = &r->st[r->cur ^ 1];
		int ret;

		if (j == 0) {
			r->repointed = 0;
			if (r->plan)
				fault_plan_rewind(r->plan, r->epoch_ns);
		}
		ret = topo_step_place(r->m, prev, r->epoch_ns + j * r->step_ns,
				      r->plan, out);
		if (!ret)
			ret = topo_step_links(r->m, prev, out);
		if (ret)
			return ret;
		r->cur ^= 1;
		r->k = j;
		r->routed = false;
		r->replayed++;
		r->repointed += out->cnt.repointed;
		if (r->progress && (j & 63) == 0)
			r->progress(r->progress_arg, (uint64_t)(j - first),
				    (uint64_t)(want - first));
	}
	return 0;
}

/* Nodes down by fault at the step are down at the moment too. */
static void topo_replay_faults_at(struct topo_replay *r)
{
	const struct topo_state *l = &r->st[r->cur];

	for (size_t i = 0; r->plan && i < r->at.n; i++)
		if (l->down[i] == TOPO_DOWN_FAULT && r->at.up[i]) {
			r->at.up[i] = 0;
			r->at.down[i] = TOPO_DOWN_FAULT;
		}
}

int topo_replay_at(struct topo_replay *r, int64_t t)
{
	int64_t k = topo_replay_step_of(r, t), tk;
	int ret;

	r->links = r->pos = NULL;
	if (k < 0) {
		/* no run has this moment: a first step at t */
		r->k = -1;
		ret = topo_step(r->m, NULL, t, &r->st[r->cur]);
		if (ret)
			return ret;
		r->links = r->pos = &r->st[r->cur];
		return 0;
	}
	tk = r->epoch_ns + k * r->step_ns;
	if (!r->history) {
		if (r->k != k || !r->routed) {
			r->k = -1;
			ret = topo_step(r->m, NULL, tk, &r->st[r->cur]);
			if (ret)
				return ret;
			r->k = k;
			r->routed = true;
		}
	} else {
		if (r->k > k)
			r->k = -1;	/* back in time: from the epoch again */
		ret = topo_replay_to(r, k);
		if (ret)
			return ret;
		if (!r->routed) {
			ret = topo_step_routes(r->m, NULL, &r->st[r->cur]);
			if (ret)
				return ret;
			r->routed = true;
		}
	}
	r->links = &r->st[r->cur];
	r->pos = r->links;
	if (t != tk) {
		topo_step_propagate(r->m, t, &r->at);
		topo_replay_faults_at(r);
		r->pos = &r->at;
	}
	return 0;
}

double topo_replay_length(const struct topo_replay *r, uint32_t a,
			  uint32_t b)
{
	const struct topo_state *p = r->pos, *l = r->links;

	return vec3_dist(p->up[a] ? p->pos[a] : l->pos[a],
			 p->up[b] ? p->pos[b] : l->pos[b]);
}
