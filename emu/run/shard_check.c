// SPDX-License-Identifier: MIT
/* shard_check.c - a shard's checks: step digests compared, clocks and the LAN measured against the cut, and its summary */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "emu/run/log.h"
#include "emu/run/run.h"
#include "emu/run/shard.h"
#include "emu/run/shard_int.h"
#include "topo/consts.h"

/* ---- digests ------------------------------------------------------------- */

static void shard_compare(struct shard *sh, unsigned i, int64_t step,
			  uint64_t mine, uint64_t theirs)
{
	sh->steps_checked++;
	if (mine == theirs)
		return;
	sh->mismatches++;
	log_err(0,
		"shards disagree at step %lld: shard %u has digest "
		"%016llx, shard %u %016llx (links or routes differ: the same "
		"configuration, events and binary on every host?); ending "
		"the run",
		(long long)step, sh->conf.self, (unsigned long long)mine, i,
		(unsigned long long)theirs);
	shard_fail(sh, -EPROTO);
}

void shard_step(struct run *r)
{
	struct shard *sh = r->shard;
	int64_t step = ring_cur(&r->geom.ring);
	struct shard_digest_ent *e;
	uint64_t h;

	if (!sh || !sh->started || step < 0)
		return;
	e = &sh->own[step % SHARD_RING];
	if (e->step == step)
		return;
	h = shard_digest(ring_current(&r->geom.ring));
	e->step = step;
	e->h = h;
	e->at = run_now();
	shard_send_all(sh, GENEVE_C_DIGEST, step, (int64_t)h, 0);
	for (unsigned i = 0; i < sh->conf.n; i++) {
		struct shard_digest_ent *t =
		    &sh->peer[i].dig[step % SHARD_RING];

		if (i != sh->conf.self && t->step == step)
			shard_compare(sh, i, step, h, t->h);
	}
}

void shard_got_digest(struct shard *sh, unsigned i, int64_t step, uint64_t h)
{
	struct shard_peer *p = &sh->peer[i];
	struct shard_digest_ent *own;

	if (step < 0)
		return;
	p->dig[step % SHARD_RING] =
	    (struct shard_digest_ent){.step = step, .h = h};
	if (step > p->last_step)
		p->last_step = step;
	own = &sh->own[step % SHARD_RING];
	if (own->step == step)
		shard_compare(sh, i, step, own->h, h);
}

/* A step we took SHARD_DIGEST_NS ago that a shard sent nothing for. */
void shard_check_missing(struct shard *sh, int64_t now)
{
	for (unsigned i = 0; i < sh->conf.n; i++) {
		struct shard_peer *p = &sh->peer[i];

		/* a silent shard is said dead by the heartbeat instead */
		if (i == sh->conf.self || now - p->heard > 5 * SHARD_HELLO_NS)
			continue;
		for (size_t k = 0; k < SHARD_RING; k++) {
			const struct shard_digest_ent *e = &sh->own[k];

			if (e->step < 0 || e->step <= p->last_step ||
			    now - e->at < SHARD_DIGEST_NS)
				continue;
			log_err(0,
				"shard %u sent no digest of step %lld in "
				"%.1f s (its last: step %lld); ending the run",
				i, (long long)e->step,
				(double)SHARD_DIGEST_NS / 1e9,
				(long long)p->last_step);
			shard_fail(sh, -ETIMEDOUT);
			return;
		}
	}
}

/* ---- clocks -------------------------------------------------------------- */

/* A clock probe to every shard, t1 read just before each send. */
void shard_probe(struct shard *sh)
{
	for (unsigned i = 0; i < sh->conf.n; i++)
		if (i != sh->conf.self)
			shard_send_ctl(sh, i, GENEVE_C_PROBE, shard_realtime(),
				       0, 0);
}

/* Enough probes answered by every shard to judge the clocks. */
bool shard_measured(const struct shard *sh)
{
	for (unsigned i = 0; i < sh->conf.n; i++)
		if (i != sh->conf.self && sh->peer[i].ce.n < SHARD_PROBES_MIN)
			return false;
	return true;
}

/* The shortest light time of a link between our nodes and each shard's. */
static void shard_cut_delays(struct shard *sh)
{
	const struct topo_state *st = ring_current(&sh->run->geom.ring);
	unsigned self = sh->conf.self;

	for (unsigned i = 0; i < sh->conf.n; i++)
		sh->peer[i].cut_min_ns = INT64_MAX;
	for (size_t k = 0; k < st->links.n; k++) {
		const struct graph_link *l = &st->links.v[k];
		unsigned oa = sh->owner[l->a], ob = sh->owner[l->b];
		int64_t d = (int64_t)(l->length_km / TOPO_C_KM_S * 1e9);
		unsigned other;

		if (oa == ob || (oa != self && ob != self))
			continue;
		other = oa == self ? ob : oa;
		if (d < sh->peer[other].cut_min_ns)
			sh->peer[other].cut_min_ns = d;
	}
}

/*
 * The rule (clockest.h) for every shard: at the start a shard whose
 * frames would be late even on the fastest LAN is refused (-ERANGE, said),
 * and a tight one warned of, one line each on stdout; during the run a
 * change of verdict is warned of (the lateness histogram shows the rest).
 */
int shard_rule(struct shard *sh, bool at_start)
{
	int ret = 0;

	shard_cut_delays(sh);
	if (at_start) {
		char me[ENDPOINT_STRLEN];

		printf("shard %u of %u, started by %s, endpoint %s\n",
		       sh->conf.self, sh->conf.n, sh->conf.how,
		       endpoint_format(&sh->conf.addr[sh->conf.self], me,
				       sizeof(me)));
	}
	for (unsigned i = 0; i < sh->conf.n; i++) {
		struct shard_peer *p = &sh->peer[i];
		struct clockest_result cr;
		enum clockest_verdict v;
		int64_t room = 0;

		if (i == sh->conf.self || !clockest_get(&p->ce, &cr))
			continue;
		v = p->cut_min_ns == INT64_MAX
			? CLOCKEST_OK
			: clockest_rule(p->cut_min_ns, &cr, CLOCKEST_MARGIN_NS,
					&room);
		if (at_start) {
			printf("shard %u: offset %+.1f us, one-way %.1f us, "
			       "jitter %.1f us (%zu probes)",
			       i, (double)cr.offset_ns / 1e3,
			       (double)cr.owd_ns / 1e3,
			       (double)cr.jitter_ns / 1e3, cr.samples);
			if (p->cut_min_ns != INT64_MAX)
				printf("; shortest cut link %.3f ms: %s (room "
				       "%+.3f ms)",
				       (double)p->cut_min_ns / 1e6,
				       clockest_verdict_name(v),
				       (double)room / 1e6);
			else
				printf("; no cut link to it now");
			printf("\n");
		}
		if (v == CLOCKEST_REFUSE && at_start) {
			log_err(
			    0,
			    "shard %u: the shortest cut link to shard %u "
			    "(%.3f ms) is shorter than the one-way latency "
			    "plus the clock offset (%.1f + %.1f us): frames "
			    "would arrive late; refusing to start",
			    sh->conf.self, i, (double)p->cut_min_ns / 1e6,
			    (double)cr.owd_ns / 1e3,
			    (double)llabs(cr.offset_ns) / 1e3);
			ret = -ERANGE;
		} else if (v != CLOCKEST_OK && (int)v != p->verdict) {
			log_warnx("shard %u: cut link to shard %u of %.3f ms "
				  "against one-way %.1f us, offset %+.1f us, "
				  "jitter %.1f us: %s (frames may be late; see "
				  "the summary)",
				  sh->conf.self, i, (double)p->cut_min_ns / 1e6,
				  (double)cr.owd_ns / 1e3,
				  (double)cr.offset_ns / 1e3,
				  (double)cr.jitter_ns / 1e3,
				  clockest_verdict_name(v));
		}
		p->verdict = (int)v;
	}
	fflush(stdout);
	return ret;
}

/*
 * The shard's lines of the run summary: what crossed, how late or early,
 * what the checks found, and each peer's counts and clock.
 */
void shard_summary(const struct shard *sh)
{
	fprintf(stderr,
		"  shard %u of %u (%s): frames to other shards %llu, "
		"from them %llu; late %llu",
		sh->conf.self, sh->conf.n, sh->conf.how,
		(unsigned long long)sh->run->fwd.st.cut_sent,
		(unsigned long long)sh->run->fwd.st.cut_received,
		(unsigned long long)sh->late);
	if (sh->late)
		fprintf(stderr, " (by p50 %.1f us, p99 %.1f us, max %.1f us)",
			(double)hist_percentile(&sh->late_h, 50) / 1e3,
			(double)hist_percentile(&sh->late_h, 99) / 1e3,
			(double)sh->late_h.max / 1e3);
	if (sh->slack_h.count)
		fprintf(stderr, "; early by p1 %.1f us, p50 %.1f us",
			(double)hist_percentile(&sh->slack_h, 1) / 1e3,
			(double)hist_percentile(&sh->slack_h, 50) / 1e3);
	fprintf(stderr,
		"; steps checked %llu, disagreements %llu; live events "
		"sent %llu, taken %llu; refused datagrams %llu%s%s%s\n",
		(unsigned long long)sh->steps_checked,
		(unsigned long long)sh->mismatches,
		(unsigned long long)sh->events_sent,
		(unsigned long long)sh->events_got,
		(unsigned long long)sh->hostile, sh->hostile ? " (last: " : "",
		sh->hostile ? sh->hostile_why : "", sh->hostile ? ")" : "");
	for (unsigned i = 0; i < sh->conf.n; i++) {
		const struct shard_peer *p = &sh->peer[i];
		struct clockest_result cr;

		if (i == sh->conf.self)
			continue;
		fprintf(stderr,
			"  shard %u: sent %llu, received %llu, lost "
			"%llu, reordered %llu, send errors %llu",
			i, (unsigned long long)p->tx, (unsigned long long)p->rx,
			(unsigned long long)p->lost,
			(unsigned long long)p->reordered,
			(unsigned long long)p->send_err);
		if (clockest_get(&p->ce, &cr))
			fprintf(stderr,
				"; clock offset %+.1f us, one-way %.1f us, "
				"jitter %.1f us",
				(double)cr.offset_ns / 1e3,
				(double)cr.owd_ns / 1e3,
				(double)cr.jitter_ns / 1e3);
		fprintf(stderr, "\n");
	}
}
