// SPDX-License-Identifier: MIT
/* faults.c - what a run does with faults: the plan, carriers, state files, the log, the timeline */
/*
 * The geometry thread applies faults to the steps it computes (the plan,
 * topo/fault_plan.h); the data plane takes a step when it is due. Here,
 * on the data plane's thread, each step taken is turned into what the
 * host shows: a tapped node that went down loses its TAP's carrier (the
 * kernel inside sees NO-CARRIER, as on a real failure) and, with
 * `freeze`, its processes stop (freezer.h); its state file says so; the
 * events are logged and kept as the run's timeline (ctl events).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "emu/run/faults.h"
#include "emu/run/log.h"
#include "emu/run/run.h"
#include "tap/nodestate.h"
#include "tap/tap.h"
#include "topo/frames.h"
#include "topo/lib/array.h"
#include "topo/shadow.h"
#include "topo/utc.h"

#define RUN_FAULTS_MAX_HOPS 256

static int64_t run_faults_realtime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * UTC_NS_PER_S + ts.tv_nsec;
}

static const char *run_faults_name(const struct run *r, uint32_t v)
{
	return r->s->constel.node[v].name;
}

/* The forwarder's notes: route changes between tapped nodes, links. */
static void run_faults_note(struct fwd *f, const struct fwd_note *n)
{
	struct run *r = f->arg;
	const struct ring *g = &r->geom.ring;
	const struct topo_state *st = ring_current(g);
	int64_t orb = ring_step_time(g, ring_cur(g));
	int64_t wall = run_faults_realtime();

	if (!r->evlog.f)
		return;
	if (n->kind == FWD_NOTE_LINK) {
		/* a link that carried nothing is not news */
		if (n->carried || n->flushed)
			evlog_link(&r->evlog, n->a, n->b, n->up, n->flushed,
				   n->carried, orb, wall);
		return;
	}
	if (f->port_of[n->b] < 0)
		return;		/* only paths between tapped nodes */
	{
		uint32_t hops[RUN_FAULTS_MAX_HOPS];
		long di = route_dest_index(&st->routes, n->b);
		size_t k = 0;
		double ms = 0.0;

		if (di >= 0)
			k = route_path(&st->routes, (size_t)di, n->a, hops,
				       RUN_FAULTS_MAX_HOPS);
		if (k > RUN_FAULTS_MAX_HOPS)
			k = 0;
		for (size_t i = 0; i + 1 < k; i++)
			ms += (double)ring_delay_ns(g, hops[i], hops[i + 1],
						    run_now()) / 1e6;
		evlog_route(&r->evlog, n->a, n->b, hops, k, ms, orb, wall);
	}
}

/*
 * Every tapped node gets its freezer cgroup now, thawed (a leftover of a
 * killed run may be frozen), so that what exec and wrap --node start
 * there can be frozen by `down node NAME freeze`. Without a freezer the
 * run goes on; a freeze then fails, saying why.
 */
static void run_faults_cgroups(struct run *r)
{
	if (freezer_open(&r->fz) < 0)
		return;
	r->fz_on = true;
	for (size_t i = 0; i < r->nports; i++) {
		const char *name = run_faults_name(r, r->s->tapped[i]);

		if (freezer_node_create(&r->fz, name) < 0 ||
		    freezer_set(&r->fz, name, false) < 0)
			log_warn(0, "node \"%s\": %s (its processes cannot be "
				 "frozen)", name, r->fz.err);
	}
}

int run_freeze(struct run *r, size_t i, bool frozen)
{
	const char *name = run_faults_name(r, r->s->tapped[i]);
	int ret;

	if (!r->fz_on) {
		log_warnx("node \"%s\": no cgroup freezer on this host, its "
			  "processes are not %s", name,
			  frozen ? "frozen" : "thawed");
		return -ENOTSUP;
	}
	/* the data plane must not wait: asked now, checked at later steps */
	ret = freezer_request(&r->fz, name, frozen);
	if (ret < 0) {
		log_warn(ret, "node \"%s\": cannot %s its processes: %s",
			 name, frozen ? "freeze" : "thaw", r->fz.err);
		return ret;
	}
	r->port[i].freeze_asked = run_now();
	return 0;
}

/*
 * A freeze (or thaw) asked FREEZER_WAIT_MS ago and not done yet is said
 * once: a process in uninterruptible sleep holds it until that ends.
 */
static void run_faults_freeze_check(struct run *r, size_t i)
{
	struct run_port *rp = &r->port[i];
	const char *name = run_faults_name(r, r->s->tapped[i]);
	bool frozen;

	if (!rp->freeze_asked || freezer_get(&r->fz, name, &frozen) < 0)
		return;
	if (frozen == rp->frozen) {
		rp->freeze_asked = 0;
		return;
	}
	if (run_now() - rp->freeze_asked < FREEZER_WAIT_MS * INT64_C(1000000))
		return;
	log_warnx("node \"%s\": its processes are not %s %d ms after asking "
		  "(a process in uninterruptible sleep holds it until that "
		  "sleep ends)", name, rp->frozen ? "frozen" : "thawed",
		  FREEZER_WAIT_MS);
	rp->freeze_asked = 0;
}

int run_faults_init(struct run *r)
{
	const struct scenario *s = r->s;
	int ret;

	ret = scenario_fault_plan(s, &r->plan);
	if (ret < 0) {
		log_err(ret, "cannot set up the fault timeline");
		return ret;
	}
	r->plan_on = true;
	run_faults_cgroups(r);
	if (r->o.log_path) {
		ret = evlog_open(&r->evlog, r->o.log_path, &s->constel,
				 s->epoch_unix_ns);
		if (ret < 0) {
			log_err(ret, "event log \"%s\"", r->o.log_path);
			return ret;
		}
	}
	return 0;
}

/* Write tapped node i's state file. */
static void run_faults_state(struct run *r, size_t i, int64_t k)
{
	struct run_port *rp = &r->port[i];
	struct nodestate ns = {
		.up = !rp->down,
		.eclipse = rp->eclipse,
		.orbital_ns = ring_step_time(&r->geom.ring, k),
		.step = k,
	};
	int ret = nodestate_write(run_faults_name(r, r->s->tapped[i]), &ns);

	if (ret < 0 && !rp->state_failed) {
		log_warn(ret, "node \"%s\": cannot write its state file under "
			 "%s", run_faults_name(r, r->s->tapped[i]),
			 NODESTATE_DIR);
		rp->state_failed = true;
	}
}

/* Is tapped node v in the Earth's umbra at step k (sun: at step k)? */
static bool run_faults_umbra(const struct run *r, int64_t k, uint32_t v,
			     struct vec3 sun)
{
	const struct topo_state *st = ring_state(&r->geom.ring, k);

	if (st->shadow[v] != SHADOW_UNKNOWN)
		return st->shadow[v] == SHADOW_UMBRA;
	/* placed (down by fault keeps its position), else unknown: lit */
	if (!st->up[v] && st->down[v] != TOPO_DOWN_FAULT)
		return false;
	return shadow_eclipsed(st->pos[v], sun);
}

int run_faults_start(struct run *r)
{
	int64_t wall = run_faults_realtime();
	struct vec3 sun = frames_sun_dir_ecef(r->s->epoch_unix_ns);

	r->fwd.notify = run_faults_note;
	for (size_t i = 0; i < r->nports; i++) {
		r->port[i].eclipse = run_faults_umbra(r, 0, r->s->tapped[i],
						      sun);
		run_faults_state(r, i, 0);
	}
	if (r->evlog.f) {
		evlog_begin(&r->evlog, "start", r->s->epoch_unix_ns, wall);
		evlog_end(&r->evlog);
	}
	return 0;
}

/* Keep ev, applied at the step of orbital time at, in the run's timeline. */
static void run_faults_keep(struct run *r, const struct fault_event *ev,
			    int64_t at)
{
	struct run_event *e;

	if (array_grow((void **)&r->history, &r->cap_history,
		       r->nhistory + 1, sizeof(*r->history), 64) < 0) {
		r->history_lost++;
		return;
	}
	e = &r->history[r->nhistory++];
	e->ev = *ev;
	e->at_ns = at;
}

/* Tapped node i went down or came back at step k. */
static void run_faults_node(struct run *r, size_t i, bool down, bool freeze,
			    int64_t k)
{
	struct run_port *rp = &r->port[i];
	const char *name = run_faults_name(r, r->s->tapped[i]);
	uint64_t d;
	int ret;

	/* frames its kernel drops while the carrier is off: not overruns */
	if (tap_tx_dropped(rp->tap, &d) == 0) {
		if (down)
			rp->dropped_at_down = d;
		else if (rp->down && d >= rp->dropped_at_down)
			rp->tx_dropped0 += d - rp->dropped_at_down;
	}
	rp->down = down;
	ret = tap_set_carrier(rp->tap, !down);
	if (ret < 0)
		log_warn(ret, "node \"%s\": cannot turn its carrier %s", name,
			 down ? "off" : "on");
	if (freeze != rp->frozen) {
		ret = run_freeze(r, i, freeze);
		if (ret == 0)
			rp->frozen = freeze;
	}
	run_faults_state(r, i, k);
}

void run_faults_step(struct run *r, int64_t from, int64_t to)
{
	const struct ring *g = &r->geom.ring;
	int64_t wall = run_faults_realtime();

	for (int64_t k = from + 1; k <= to; k++) {
		const struct topo_state *st = ring_state(g, k);
		int64_t at = ring_step_time(g, k);
		struct vec3 sun = frames_sun_dir_ecef(at);

		r->repointed += st->cnt.repointed;
		for (size_t e = 0; e < st->napplied; e++) {
			evlog_event(&r->evlog, &st->applied[e], at, wall);
			run_faults_keep(r, &st->applied[e], at);
		}
		for (size_t i = 0; i < r->nports; i++) {
			uint32_t v = r->s->tapped[i];
			bool down = st->faults.node[v] != 0;
			bool freeze = down && st->faults.freeze[v];

			bool umbra = run_faults_umbra(r, k, v, sun);

			run_faults_freeze_check(r, i);

			if (down != r->port[i].down ||
			    freeze != r->port[i].frozen) {
				r->port[i].eclipse = umbra;
				run_faults_node(r, i, down, freeze, k);
			} else if (umbra != r->port[i].eclipse) {
				r->port[i].eclipse = umbra;
				run_faults_state(r, i, k);
			}
		}
	}
}

void run_faults_end(struct run *r)
{
	int ret;

	/* nothing stays frozen, no cgroup stays: its processes move out */
	for (size_t i = 0; r->fz_on && r->port && i < r->nports; i++) {
		const char *name = run_faults_name(r, r->s->tapped[i]);

		int err = freezer_node_remove(&r->fz, name);

		/* wrap --node removes its node's cgroup itself */
		if (err < 0 && err != -ENOENT)
			log_warn(0, "node \"%s\": %s", name, r->fz.err);
		r->port[i].frozen = false;
	}
	r->fz_on = false;
	if (r->evlog.f) {
		int64_t orb = r->geom_ok ? ring_orbital(&r->geom.ring,
							run_now())
					 : r->s->epoch_unix_ns;

		evlog_begin(&r->evlog, "end", orb, run_faults_realtime());
		evlog_end(&r->evlog);
	}
	ret = evlog_close(&r->evlog);
	if (ret < 0) {
		log_err(ret, "event log \"%s\" could not be written whole",
			r->o.log_path);
		r->output_errors++;
	}
}

void run_faults_free(struct run *r)
{
	if (r->plan_on)
		fault_plan_free(&r->plan);
	r->plan_on = false;
	free(r->history);
	r->history = NULL;
	r->nhistory = r->cap_history = 0;
}
