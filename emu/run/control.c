// SPDX-License-Identifier: MIT
/* control.c - what a run answers to `lasermesh ctl`: status, faults, pause, time scale, timeline */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emu/conf/events.h"
#include "emu/run/run.h"
#include "topo/lib/json.h"
#include "topo/utc.h"

/* Lists in a status answer stop here ("..._count" gives the whole). */
#define CTL_LIST_MAX 1000
/* The time scale ctl accepts: what the configuration accepts. */
#define CTL_SCALE_MAX 1e6

static void ctl_error(FILE *f, const char *why)
{
	fputs("{\"ok\":false,\"error\":", f);
	json_str(f, why);
	fputc('}', f);
}

static const char *ctl_name(const struct run *r, uint32_t v)
{
	return v < r->s->constel.n ? r->s->constel.node[v].name : "?";
}

static void ctl_time(FILE *f, const char *key, const struct run *r,
		     int64_t orb)
{
	char iso[40];

	utc_format_iso8601(orb, 6, iso, sizeof(iso));
	fprintf(f, "\"%s\":\"%s\",\"%s_t\":%.6f", key, iso, key,
		(double)(orb - r->s->epoch_unix_ns) / 1e9);
}

static void ctl_faults(FILE *f, const struct run *r,
		       const struct fault_state *fs)
{
	size_t k = 0;

	fprintf(f, "\"faults\":{\"nodes_down_count\":%zu,\"nodes_down\":[",
		fs->nodes_down);
	for (size_t v = 0; v < fs->n && k < CTL_LIST_MAX; v++) {
		if (!fs->node[v])
			continue;
		if (k++)
			fputc(',', f);
		json_str(f, ctl_name(r, v));
	}
	fputs("],\"links\":[", f);
	for (size_t i = 0; i < fs->nlinks && i < CTL_LIST_MAX; i++) {
		const struct fault_link *l = &fs->links[i];

		fputs(i ? ",{\"a\":" : "{\"a\":", f);
		json_str(f, ctl_name(r, l->a));
		fputs(",\"b\":", f);
		json_str(f, ctl_name(r, l->b));
		fprintf(f, ",\"down\":%s", l->down ? "true" : "false");
		if (l->set.has & FAULT_SET_LOSS)
			fprintf(f, ",\"loss\":%.9g", l->set.loss);
		if (l->set.has & FAULT_SET_RATE)
			fprintf(f, ",\"rate_bps\":%" PRIu64, l->set.rate_bps);
		if (l->set.has & FAULT_SET_DELAY)
			fprintf(f, ",\"delay_ms\":%.6f",
				(double)l->set.delay_ns / 1e6);
		fputc('}', f);
	}
	fprintf(f, "],\"links_count\":%zu,\"terminals_lost\":[", fs->nlinks);
	k = 0;
	for (size_t v = 0; v < fs->nsat && k < CTL_LIST_MAX; v++)
		for (unsigned t = 0; fs->term_lost[v] && t <= FAULT_TERMINAL_MAX;
		     t++) {
			if (!(fs->term_lost[v] >> t & 1u))
				continue;
			fputs(k++ ? ",{\"node\":" : "{\"node\":", f);
			json_str(f, ctl_name(r, (uint32_t)v));
			fprintf(f, ",\"terminal\":%u}", t);
		}
	fputs("],\"applied\":{", f);
	for (int s = 0; s < FAULT_NSOURCE; s++) {
		fprintf(f, "%s\"%s\":{", s ? "," : "",
			fault_source_name((enum fault_source)s));
		for (int v = FAULT_DOWN; v <= FAULT_SET; v++)
			fprintf(f, "%s\"%s\":%" PRIu64, v ? "," : "",
				fault_verb_name((enum fault_verb)v),
				fs->count[s][v]);
		fputc('}', f);
	}
	fputs("}}", f);
}

static void ctl_status(struct run *r, FILE *f)
{
	const struct ring *g = &r->geom.ring;
	const struct topo_state *st = ring_current(g);
	const struct fwd_stats *fs = &r->fwd.st;

	fprintf(f, "{\"ok\":true,\"pid\":%d,", (int)getpid());
	ctl_time(f, "orbital", r, ring_orbital(g, run_now()));
	fprintf(f, ",\"step\":%" PRId64 ",\"time_scale\":%.9g,\"paused\":%s,",
		ring_cur(g), r->scale_run, r->paused ? "true" : "false");
	fprintf(f, "\"links_up\":%zu,\"isl_up\":%zu,\"gsl_up\":%zu,"
		"\"route_changes\":%" PRIu64 ",\"rx_frames\":%" PRIu64
		",\"tx_frames\":%" PRIu64 ",\"forwarded\":%" PRIu64
		",\"delivered\":%" PRIu64 ",\"drops\":{",
		st->links.n, st->cnt.isl_up, st->cnt.gsl_up, fs->route_changes,
		fs->rx_frames, fs->tx_frames, fs->forwarded, fs->delivered);
	for (int d = 0; d < FWD_D__COUNT; d++)
		fprintf(f, "%s\"%s\":%" PRIu64, d ? "," : "",
			fwd_drop_name((enum fwd_drop)d), fs->drop[d]);
	fputs("},", f);
	ctl_faults(f, r, &st->faults);
	fprintf(f, ",\"events\":%zu}", r->nhistory);
}

static void ctl_events(struct run *r, FILE *f)
{
	fputs("{\"ok\":true,\"events\":[", f);
	for (size_t i = 0; i < r->nhistory; i++) {
		const struct run_event *e = &r->history[i];
		char text[512];

		if (events_format(&e->ev, &r->s->constel, text,
				  sizeof(text)) < 0)
			snprintf(text, sizeof(text), "?");
		fputs(i ? ",{" : "{", f);
		ctl_time(f, "at", r, e->at_ns);
		fputc(',', f);
		ctl_time(f, "when", r, e->ev.t_ns);
		fprintf(f, ",\"source\":\"%s\",\"event\":",
			fault_source_name((enum fault_source)e->ev.source));
		json_str(f, text);
		fputc('}', f);
	}
	fprintf(f, "],\"lost\":%" PRIu64 "}", r->history_lost);
}

/* down / up / set: a live event, in force from the next step computed. */
static void ctl_fault(struct run *r, const char *line, FILE *f)
{
	const struct ring *g = &r->geom.ring;
	struct fault_event ev;
	int64_t step = 0;
	char why[256];
	int ret;

	if (events_parse_command(line, &r->s->constel, &ev, why,
				 sizeof(why)) < 0) {
		ctl_error(f, why);
		return;
	}
	if (ev.target == FAULT_NODE && ev.freeze) {
		int32_t p = r->fwd.port_of[ev.a];

		if (p < 0 && r->shard &&
		    r->shard->owner[ev.a] != r->shard->conf.self) {
			snprintf(why, sizeof(why),
				 "node \"%s\" is on shard %u: freeze it with "
				 "lasermesh ctl on that shard's host",
				 ctl_name(r, ev.a),
				 (unsigned)r->shard->owner[ev.a]);
			ctl_error(f, why);
			return;
		}
		if (p < 0) {
			snprintf(why, sizeof(why),
				 "node \"%s\" has no TAP: nothing of it runs "
				 "here to freeze", ctl_name(r, ev.a));
			ctl_error(f, why);
			return;
		}
	}
	ev.source = FAULT_LIVE;
	ev.line = 0;
	ev.t_ns = ring_orbital(g, run_now());
	/* sharded: every shard at one step a little ahead (shard_event.c) */
	ret = r->shard ? shard_post_event(r, &ev, &step)
		       : geom_post(&r->geom, &ev, &step);
	if (ret < 0) {
		snprintf(why, sizeof(why), "cannot queue the event: %s",
			 strerror(-ret));
		ctl_error(f, why);
		return;
	}
	fputs("{\"ok\":true,", f);
	ctl_time(f, "orbital", r, ev.t_ns);
	/* the first step the geometry thread has not taken up yet */
	fprintf(f, ",\"from_step\":%" PRId64 "}", step);
}

/*
 * Sharded: pause, resume and time-scale change every shard's orbital
 * clock at one instant a little ahead (shard_event.c). scale NAN and
 * paused -1 keep what is in force.
 */
static void ctl_clock_shards(struct run *r, double scale, int paused, FILE *f)
{
	char when[40], why[96];
	int64_t when_rt;
	int ret = shard_post_clock(r, &scale, &paused, &when_rt);

	if (ret < 0) {
		snprintf(why, sizeof(why), "cannot change the orbital clock of "
			 "the shards: %s", strerror(-ret));
		ctl_error(f, why);
		return;
	}
	utc_format_iso8601(when_rt, 6, when, sizeof(when));
	fprintf(f, "{\"ok\":true,\"time_scale\":%.9g,\"paused\":%s,"
		"\"at_wall\":\"%s\"}", scale, paused ? "true" : "false", when);
}

static void ctl_scale(struct run *r, const char *arg, FILE *f)
{
	char *end, why[160];
	double x;

	errno = 0;
	x = strtod(arg, &end);
	while (*end == ' ' || *end == '\t')
		end++;
	if (end == arg || *end || errno || !isfinite(x) || x <= 0 ||
	    x > CTL_SCALE_MAX) {
		snprintf(why, sizeof(why), "time scale \"%.40s\" is not a "
			 "number above 0 and up to 1e6", arg);
		ctl_error(f, why);
		return;
	}
	if (r->shard) {
		ctl_clock_shards(r, x, -1, f);
		return;
	}
	if (r->paused) {
		r->scale_run = x;	/* taken at resume */
	} else {
		run_set_scale(r, x);
	}
	fprintf(f, "{\"ok\":true,\"time_scale\":%.9g,\"paused\":%s}", x,
		r->paused ? "true" : "false");
}

void run_ctl_handle(struct ctl *c, const char *line, struct ctl_reply *rep,
		    void *arg)
{
	struct run *r = arg;
	FILE *f = ctl_reply_file(rep);
	char word[32];
	size_t n;

	(void)c;
	while (*line == ' ' || *line == '\t')
		line++;
	n = strcspn(line, " \t");
	snprintf(word, sizeof(word), "%.*s", (int)(n < 31 ? n : 31), line);
	if (!strcmp(word, "status") && !line[n]) {
		ctl_status(r, f);
	} else if (!strcmp(word, "events") && !line[n]) {
		ctl_events(r, f);
	} else if (r->shard && (!strcmp(word, "pause") ||
				!strcmp(word, "resume")) && !line[n]) {
		ctl_clock_shards(r, NAN, !strcmp(word, "pause"), f);
	} else if (!strcmp(word, "pause") && !line[n]) {
		if (!r->paused)
			run_set_scale(r, 0.0);
		fputs("{\"ok\":true,", f);
		ctl_time(f, "orbital", r, ring_orbital(&r->geom.ring,
						       run_now()));
		fputs(",\"paused\":true}", f);
	} else if (!strcmp(word, "resume") && !line[n]) {
		if (r->paused)
			run_set_scale(r, r->scale_run);
		fputs("{\"ok\":true,", f);
		ctl_time(f, "orbital", r, ring_orbital(&r->geom.ring,
						       run_now()));
		fputs(",\"paused\":false}", f);
	} else if (!strcmp(word, "time-scale")) {
		ctl_scale(r, line + n + strspn(line + n, " \t"), f);
	} else if (!strcmp(word, "down") || !strcmp(word, "up") ||
		   !strcmp(word, "set")) {
		ctl_fault(r, line, f);
	} else {
		char why[128];

		snprintf(why, sizeof(why), "command \"%.40s\" is not status, "
			 "down, up, set, pause, resume, time-scale or events",
			 line);
		ctl_error(f, why);
	}
}
