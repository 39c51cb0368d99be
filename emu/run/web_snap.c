// SPDX-License-Identifier: MIT
/* web_snap.c - the web view's snapshot of a step: taken on the data plane, written as JSON elsewhere */
/*
 * The data plane copies what the page needs at each step into a snapshot
 * it owns alone (web_snap_take): positions, node states, the links up, the
 * forwarder's directed links with their counters, the faults in force and
 * the counters. Only plain copies happen there (no formatting, no
 * trigonometry): the HTTP threads turn a snapshot that was handed over into
 * JSON (web_snap_json), latitude and longitude included. Names, kinds and the
 * tapped nodes never change during a run and are read from the scenario.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "emu/run/run.h"
#include "emu/run/web_snap.h"
#include "topo/frames.h"
#include "topo/lib/array.h"
#include "topo/lib/json.h"
#include "topo/utc.h"

int web_snap_init(struct web_snap *s, size_t n, size_t nsat)
{
	memset(s, 0, sizeof(*s));
	s->n = n;
	s->nsat = nsat;
	s->step = -1;
	s->pos = calloc(n ? n : 1, sizeof(*s->pos));
	s->state = calloc(n ? n : 1, sizeof(*s->state));
	if (!s->pos || !s->state) {
		web_snap_free(s);
		return -ENOMEM;
	}
	return 0;
}

void web_snap_free(struct web_snap *s)
{
	free(s->pos);
	free(s->state);
	free(s->links);
	free(s->load);
	free(s->flinks);
	memset(s, 0, sizeof(*s));
}

struct web_snap_ctx {
	struct web_snap *s;
	int err;
};

static void web_snap_load(uint32_t a, uint32_t b, const struct link *l,
			  void *arg)
{
	struct web_snap_ctx *c = arg;
	struct web_snap *s = c->s;
	struct web_load *w;

	if (c->err)
		return;
	if (s->nload == s->cap_load &&
	    array_grow((void **)&s->load, &s->cap_load, s->nload + 1,
		       sizeof(*s->load), 256) < 0) {
		c->err = -ENOMEM;
		return;
	}
	w = &s->load[s->nload++];
	w->a = a;
	w->b = b;
	w->pkts = l->stats.sent_pkts;
	w->bytes = l->stats.sent_bytes;
	w->backlog = l->backlog_bytes;
	w->rate_bps = l->params.rate_bps;
}

int web_snap_take(struct web_snap *s, const struct run *r)
{
	const struct ring *g = &r->geom.ring;
	const struct topo_state *st = ring_current(g);
	const struct fault_state *fs = &st->faults;
	struct web_snap_ctx c = { .s = s };

	s->step = ring_cur(g);
	s->orbital_ns = st->unix_ns;
	s->paused = r->paused;
	s->scale = r->scale_run;
	memcpy(s->pos, st->pos, s->n * sizeof(*s->pos));
	for (size_t v = 0; v < s->n; v++)
		s->state[v] = st->up[v] ? WEB_NODE_UP :
			      st->down[v] == TOPO_DOWN_FAULT ? WEB_NODE_FAULT :
			      WEB_NODE_UNPLACED;
	if (st->links.n > s->cap_links &&
	    array_grow((void **)&s->links, &s->cap_links, st->links.n,
		       sizeof(*s->links), 256) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < st->links.n; i++) {
		s->links[i].a = st->links.v[i].a;
		s->links[i].b = st->links.v[i].b;
		s->links[i].kind = st->links.v[i].kind;
	}
	s->nlinks = st->links.n;
	if (fs->nlinks > s->cap_flinks &&
	    array_grow((void **)&s->flinks, &s->cap_flinks, fs->nlinks,
		       sizeof(*s->flinks), 16) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < fs->nlinks; i++) {
		s->flinks[i].a = fs->links[i].a;
		s->flinks[i].b = fs->links[i].b;
		s->flinks[i].down = fs->links[i].down != 0;
	}
	s->nflinks = fs->nlinks;
	s->nload = 0;
	fwd_links_foreach(&r->fwd, web_snap_load, &c);
	s->st = r->fwd.st;
	return c.err;
}

/* ---- JSON (HTTP threads) ------------------------------------------------- */

static void web_snap_time(FILE *f, const char *key, int64_t t, int64_t epoch)
{
	char iso[40];

	utc_format_iso8601(t, 3, iso, sizeof(iso));
	fprintf(f, "\"%s\":\"%s\",\"%s_t\":%.6f", key, iso, key,
		(double)(t - epoch) / 1e9);
}

static void web_snap_counters(FILE *f, const struct fwd_stats *fs)
{
	fprintf(f, "\"counters\":{\"rx_frames\":%" PRIu64
		",\"rx_bytes\":%" PRIu64 ",\"tx_frames\":%" PRIu64
		",\"tx_bytes\":%" PRIu64 ",\"forwarded\":%" PRIu64
		",\"delivered\":%" PRIu64 ",\"route_changes\":%" PRIu64
		",\"drops\":{",
		fs->rx_frames, fs->rx_bytes, fs->tx_frames, fs->tx_bytes,
		fs->forwarded, fs->delivered, fs->route_changes);
	for (int d = 0; d < FWD_D__COUNT; d++)
		fprintf(f, "%s\"%s\":%" PRIu64, d ? "," : "",
			fwd_drop_name((enum fwd_drop)d), fs->drop[d]);
	fputs("}}", f);
}

static void web_snap_head(FILE *f, const struct web_snap *s,
			  const struct run *r)
{
	int64_t epoch = r->s->epoch_unix_ns;

	fprintf(f, "\"step\":%" PRId64 ",", s->step);
	web_snap_time(f, "orbital", s->orbital_ns, epoch);
	fprintf(f, ",\"paused\":%s,\"time_scale\":%.9g,\"snapshot_us\":%.1f,",
		s->paused ? "true" : "false", s->scale,
		(double)s->cost_ns / 1e3);
	web_snap_counters(f, &s->st);
}

void web_snap_event(FILE *f, const struct web_snap *s, const struct run *r)
{
	fputc('{', f);
	web_snap_head(f, s, r);
	fprintf(f, ",\"links_up\":%zu}", s->nlinks);
}

static void web_snap_names(FILE *f, const struct run *r)
{
	const struct constel *c = &r->s->constel;

	fputs(",\"names\":[", f);
	for (size_t v = 0; v < c->n; v++) {
		if (v)
			fputc(',', f);
		json_str(f, c->node[v].name);
	}
	fputs("],\"tapped\":[", f);
	for (size_t i = 0; i < r->s->ntapped; i++)
		fprintf(f, "%s%" PRIu32, i ? "," : "", r->s->tapped[i]);
	fputc(']', f);
}

void web_snap_json(FILE *f, const struct web_snap *s, const struct run *r,
		   bool names, bool control)
{
	char iso[40];

	utc_format_iso8601(r->s->epoch_unix_ns, 3, iso, sizeof(iso));
	fprintf(f, "{\"epoch\":\"%s\",\"step_s\":%.6f,\"control\":%s,", iso,
		(double)r->geom.ring.step_ns / 1e9, control ? "true" : "false");
	web_snap_head(f, s, r);
	fprintf(f, ",\"nodes\":%zu,\"satellites\":%zu", s->n, s->nsat);
	if (names)
		web_snap_names(f, r);
	/* lon, lat in degrees (geodetic, WGS-72's ellipsoid), per node */
	fputs(",\"lonlat\":[", f);
	for (size_t v = 0; v < s->n; v++) {
		double lat, lon, alt;

		frames_ecef_to_geodetic(s->pos[v], &lat, &lon, &alt);
		fprintf(f, "%s%.3f,%.3f", v ? "," : "", lon, lat);
	}
	/* per node: 0 up, 1 down by fault, 2 cannot be placed */
	fputs("],\"state\":[", f);
	for (size_t v = 0; v < s->n; v++)
		fprintf(f, "%s%u", v ? "," : "", s->state[v]);
	/* a, b, kind (0 laser, 1 ground) per link up */
	fputs("],\"links\":[", f);
	for (size_t i = 0; i < s->nlinks; i++)
		fprintf(f, "%s%" PRIu32 ",%" PRIu32 ",%" PRIu32, i ? "," : "",
			s->links[i].a, s->links[i].b, s->links[i].kind);
	/* a, b, packets, bytes, backlog bytes, rate (bit/s, 0 unlimited) */
	fputs("],\"load\":[", f);
	for (size_t i = 0; i < s->nload; i++) {
		const struct web_load *w = &s->load[i];

		fprintf(f, "%s%" PRIu32 ",%" PRIu32 ",%" PRIu64 ",%" PRIu64
			",%" PRIu64 ",%" PRIu64, i ? "," : "", w->a, w->b,
			w->pkts, w->bytes, w->backlog, w->rate_bps);
	}
	/* a, b, down (1) or only set (0) */
	fputs("],\"fault_links\":[", f);
	for (size_t i = 0; i < s->nflinks; i++)
		fprintf(f, "%s%" PRIu32 ",%" PRIu32 ",%d", i ? "," : "",
			s->flinks[i].a, s->flinks[i].b, s->flinks[i].down);
	fputs("]}", f);
}
