// SPDX-License-Identifier: MIT
/* shard_event.c - a live fault or clock change taken on one shard, made by every shard at once */
/*
 * `lasermesh ctl down|up|set ...` reaches one shard. Applied there alone,
 * it would change that shard's geometry and not the others', their step
 * digests would differ and the run would end. So the shard that takes it
 * picks a step far enough ahead for the message to reach every shard
 * before any computes that step (the steps already being computed, plus
 * SHARD_EVENT_LEAD_NS of wall time), gives the event that step's orbital
 * time, and sends it to every shard (emu/plane/fault_wire.h), three times
 * since UDP may lose one. Each shard, the sender too, adds it to its plan
 * for that step. One that has already taken that step up cannot apply it
 * in time: it ends the run, saying so, rather than part from the others.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "emu/plane/fault_wire.h"
#include "emu/run/log.h"
#include "emu/run/run.h"
#include "emu/run/shard.h"
#include "emu/run/shard_int.h"
#include "topo/lib/util.h"

/* Wall time between the ctl command and the step it takes effect at. */
#define SHARD_EVENT_LEAD_NS (300 * INT64_C(1000000))
#define SHARD_EVENT_COPIES 3

/* Whether (peer, id) is new: a window of the last 64 numbers per peer. */
static bool shard_event_new(struct shard_peer *p, uint64_t id)
{
	if (!p->ev_any || id > p->ev_hi) {
		uint64_t d = p->ev_any ? id - p->ev_hi : 64;

		p->ev_mask = d >= 64 ? 1 : (p->ev_mask << d) | 1;
		p->ev_hi = id;
		p->ev_any = true;
		return true;
	}
	if (p->ev_hi - id >= 64 || (p->ev_mask >> (p->ev_hi - id) & 1))
		return false;	/* too old to tell, or seen */
	p->ev_mask |= UINT64_C(1) << (p->ev_hi - id);
	return true;
}

int shard_post_event(struct run *r, struct fault_event *ev, int64_t *step)
{
	struct shard *sh = r->shard;
	const struct ring *g = &r->geom.ring;
	int64_t step_wall, lead, at, first;
	struct geneve_ctl m;
	int ret;

	/* the steps of SHARD_EVENT_LEAD_NS at the current time scale */
	step_wall = g->scale > 0.0 ? (int64_t)((double)g->step_ns / g->scale)
				   : INT64_MAX;
	lead = step_wall > 0 ? SHARD_EVENT_LEAD_NS / step_wall + 1 : 1;
	at = ring_cur(g) + RING_AHEAD + 1 + lead;
	ev->t_ns = ring_step_time(g, at);
	ret = geom_post_at(&r->geom, ev, at, &first);
	if (ret < 0)
		return ret;
	memset(&m, 0, sizeof(m));
	fault_wire_pack(ev, sh->ev_next++, &m);
	for (int k = 0; k < SHARD_EVENT_COPIES; k++)
		for (unsigned i = 0; i < sh->conf.n; i++)
			if (i != sh->conf.self)
				shard_send_msg(sh, i, &m);
	sh->events_sent++;
	*step = at;
	return 0;
}

void shard_got_event(struct shard *sh, unsigned i, const struct geneve_ctl *m)
{
	struct run *r = sh->run;
	struct fault_event ev;
	const char *why;
	int64_t at, first;
	uint64_t id;
	int ret;

	if (!fault_wire_unpack(m, (uint32_t)r->s->constel.n, &ev, &id, &why)) {
		sh->hostile++;
		sh->hostile_why = why;
		return;
	}
	if (!shard_event_new(&sh->peer[i], id))
		return;
	at = ring_step_of(&r->geom.ring, ev.t_ns);
	ret = geom_post_at(&r->geom, &ev, at, &first);
	if (ret == -ETIME) {
		log_err(0, "shard %u's live event for step %lld came after "
			"this shard (%u) took up step %lld: it cannot apply "
			"it at the same step; ending the run (is the LAN "
			"slower than %lld ms, or a clock far off?)", i,
			(long long)at, sh->conf.self, (long long)first - 1,
			(long long)(SHARD_EVENT_LEAD_NS / 1000000));
		shard_fail(sh, -ETIME);
		return;
	}
	if (ret < 0) {
		log_err(ret, "shard %u's live event for step %lld", i,
			(long long)at);
		shard_fail(sh, ret);
		return;
	}
	sh->events_got++;
}

/*
 * pause, resume and time-scale. Each shard maps wall time to orbital time
 * itself, so a change made on one shard alone would leave it taking its
 * steps apart from the others. The shard that takes the command picks an
 * instant SHARD_EVENT_LEAD_NS ahead on the common clock (CLOCK_REALTIME)
 * and sends the new clock to every shard; each, itself too, changes its
 * mapping at exactly that instant (run_set_scale_at), whenever its timer
 * fires, so that orbital time stays one.
 */

/* Apply every change whose instant has come; arm the timer for the next. */
static void shard_clock_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct shard *sh = container_of(w, struct shard, clock_w);
	struct run *r = sh->run;
	int64_t now_rt = shard_realtime();
	size_t k = 0;

	(void)revents;
	while (k < sh->nclk && sh->clk[k].when_rt <= now_rt) {
		const struct shard_clock *c = &sh->clk[k++];

		run_set_scale_at(r, c->paused ? 0.0 : c->scale,
				 c->when_rt - r->rt_off);
		r->scale_run = c->scale;
	}
	memmove(sh->clk, sh->clk + k, (sh->nclk - k) * sizeof(sh->clk[0]));
	sh->nclk -= k;
	ev_timer_stop(loop, w);
	if (sh->nclk) {
		double in = (double)(sh->clk[0].when_rt - now_rt) / 1e9;

		ev_timer_set(w, in > 0 ? in : 0.0, 0.0);
		ev_timer_start(loop, w);
	}
}

/* Queue a change by its instant (ties: as they come). 0 or -EBUSY. */
static int shard_clock_queue(struct shard *sh, const struct shard_clock *c)
{
	struct run *r = sh->run;
	size_t k = sh->nclk;

	if (sh->nclk == SHARD_CLOCK_MAX)
		return -EBUSY;
	while (k > 0 && sh->clk[k - 1].when_rt > c->when_rt)
		k--;
	memmove(sh->clk + k + 1, sh->clk + k,
		(sh->nclk - k) * sizeof(sh->clk[0]));
	sh->clk[k] = *c;
	sh->nclk++;
	ev_timer_stop(r->loop, &sh->clock_w);
	ev_timer_init(&sh->clock_w, shard_clock_cb, 0.0, 0.0);
	ev_timer_start(r->loop, &sh->clock_w); /* the callback re-arms it */
	return 0;
}

int shard_post_clock(struct run *r, double *scale, int *paused,
		     int64_t *when_rt)
{
	struct shard *sh = r->shard;
	/* from the last change asked for, if one is still to come */
	const struct shard_clock *last = sh->nclk ? &sh->clk[sh->nclk - 1]
						  : NULL;
	struct shard_clock c = {
	    .when_rt = shard_realtime() + SHARD_EVENT_LEAD_NS,
	    .scale = isnan(*scale) ? (last ? last->scale : r->scale_run)
				   : *scale,
	    .paused = *paused >= 0 ? *paused
				   : (last ? last->paused : r->paused),
	};
	struct geneve_ctl m = {
	    .kind = GENEVE_C_CLOCK,
	    .a = c.when_rt,
	    .c = c.paused,
	    .d = (int64_t)sh->ev_next++,
	};
	int ret;

	if (last && last->when_rt >= c.when_rt)
		c.when_rt = last->when_rt + 1;	/* keep the order asked */
	m.a = c.when_rt;
	memcpy(&m.b, &c.scale, sizeof(c.scale));
	ret = shard_clock_queue(sh, &c);
	if (ret < 0)
		return ret;
	for (int k = 0; k < SHARD_EVENT_COPIES; k++)
		for (unsigned i = 0; i < sh->conf.n; i++)
			if (i != sh->conf.self)
				shard_send_msg(sh, i, &m);
	*scale = c.scale;
	*paused = c.paused;
	*when_rt = c.when_rt;
	return 0;
}

void shard_got_clock(struct shard *sh, unsigned i, const struct geneve_ctl *m)
{
	struct shard_clock c = {.when_rt = m->a, .paused = m->c == 1};

	memcpy(&c.scale, &m->b, sizeof(c.scale));
	if (m->a <= 0 || (m->c != 0 && m->c != 1) || m->d < 0 ||
	    !isfinite(c.scale) || c.scale <= 0.0 || c.scale > 1e6) {
		sh->hostile++;
		sh->hostile_why = "bad clock change";
		return;
	}
	if (!shard_event_new(&sh->peer[i], (uint64_t)m->d))
		return;
	if (c.when_rt < shard_realtime()) {
		log_err(0, "shard %u's change of the orbital clock came %.1f ms "
			"after the instant it was for: this shard (%u) cannot "
			"make it with the others; ending the run", i,
			(double)(shard_realtime() - c.when_rt) / 1e6,
			sh->conf.self);
		shard_fail(sh, -ETIME);
		return;
	}
	if (shard_clock_queue(sh, &c) < 0) {
		log_err(0, "shard %u: more than %d changes of the orbital "
			"clock waiting; ending the run", i, SHARD_CLOCK_MAX);
		shard_fail(sh, -EBUSY);
	}
}

void shard_clock_close(struct shard *sh)
{
	ev_timer_stop(sh->run->loop, &sh->clock_w);
	sh->nclk = 0;
}
