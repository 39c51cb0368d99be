// SPDX-License-Identifier: MIT
/* shard_event.c - a live fault taken on one shard, applied by every shard at the same step */
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
#include <string.h>

#include "emu/plane/fault_wire.h"
#include "emu/run/log.h"
#include "emu/run/run.h"
#include "emu/run/shard.h"
#include "emu/run/shard_int.h"

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
