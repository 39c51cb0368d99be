// SPDX-License-Identifier: MIT
/* evlog.c - the run's event log: one JSON object per line */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "emu/run/evlog.h"
#include "topo/lib/json.h"
#include "topo/utc.h"

int evlog_open(struct evlog *l, const char *path, const struct constel *c,
	       int64_t epoch_ns)
{
	memset(l, 0, sizeof(*l));
	l->path = strdup(path);
	if (!l->path)
		return -ENOMEM;
	l->f = fopen(path, "we");
	if (!l->f) {
		int ret = -errno;

		free(l->path);
		l->path = NULL;
		return ret;
	}
	l->c = c;
	l->epoch_ns = epoch_ns;
	return 0;
}

int evlog_close(struct evlog *l)
{
	if (l->f) {
		if ((ferror(l->f) || fclose(l->f) != 0) && !l->err)
			l->err = errno ? -errno : -EIO;
		l->f = NULL;
	}
	free(l->path);
	l->path = NULL;
	return l->err;
}

static void evlog_name(struct evlog *l, const char *key, uint32_t v)
{
	fprintf(l->f, ",\"%s\":", key);
	json_str(l->f, v < l->c->n ? l->c->node[v].name : "?");
}

void evlog_begin(struct evlog *l, const char *type, int64_t orbital_ns,
		 int64_t wall_real_ns)
{
	char orb[40], wall[40];

	if (!l->f)
		return;
	utc_format_iso8601(orbital_ns, 6, orb, sizeof(orb));
	utc_format_iso8601(wall_real_ns, 6, wall, sizeof(wall));
	fprintf(l->f, "{\"type\":\"%s\",\"orbital\":\"%s\",\"t\":%.6f,"
		"\"wall\":\"%s\"", type, orb,
		(double)(orbital_ns - l->epoch_ns) / 1e9, wall);
}

void evlog_end(struct evlog *l)
{
	if (!l->f)
		return;
	fputs("}\n", l->f);
	/* whole lines at once: `tail -f` can follow a run */
	fflush(l->f);
	l->lines++;
	if (ferror(l->f) && !l->err)
		l->err = errno ? -errno : -EIO;
}

void evlog_event(struct evlog *l, const struct fault_event *ev, int64_t at_ns,
		 int64_t wall_real_ns)
{
	char when[40];

	if (!l->f)
		return;
	evlog_begin(l, "event", at_ns, wall_real_ns);
	utc_format_iso8601(ev->t_ns, 6, when, sizeof(when));
	fprintf(l->f, ",\"source\":\"%s\",\"verb\":\"%s\",\"target\":\"%s\","
		"\"when\":\"%s\"", fault_source_name(ev->source),
		fault_verb_name(ev->verb), fault_target_name(ev->target),
		when);
	switch (ev->target) {
	case FAULT_NODE:
		evlog_name(l, "node", ev->a);
		if (ev->freeze)
			fputs(",\"freeze\":true", l->f);
		break;
	case FAULT_LINK:
		evlog_name(l, "a", ev->a);
		evlog_name(l, "b", ev->b);
		break;
	default:
		evlog_name(l, "node", ev->a);
		fprintf(l->f, ",\"terminal\":%u", ev->b);
		break;
	}
	if (ev->verb == FAULT_SET) {
		if (ev->set.has & FAULT_SET_LOSS)
			fprintf(l->f, ",\"loss\":%.9g", ev->set.loss);
		if (ev->set.has & FAULT_SET_RATE)
			fprintf(l->f, ",\"rate_bps\":%" PRIu64,
				ev->set.rate_bps);
		if (ev->set.has & FAULT_SET_DELAY)
			fprintf(l->f, ",\"delay_ms\":%.6f",
				(double)ev->set.delay_ns / 1e6);
	}
	if (ev->line)
		fprintf(l->f, ",\"line\":%u", ev->line);
	evlog_end(l);
}

void evlog_route(struct evlog *l, uint32_t from, uint32_t to,
		 const uint32_t *hops, size_t n, double delay_ms,
		 int64_t orbital_ns, int64_t wall_real_ns)
{
	if (!l->f)
		return;
	evlog_begin(l, "route", orbital_ns, wall_real_ns);
	evlog_name(l, "from", from);
	evlog_name(l, "to", to);
	fputs(",\"hops\":[", l->f);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', l->f);
		json_str(l->f, hops[i] < l->c->n ? l->c->node[hops[i]].name
						 : "?");
	}
	fputc(']', l->f);
	if (n)
		fprintf(l->f, ",\"delay_ms\":%.6f", delay_ms);
	evlog_end(l);
}

void evlog_link(struct evlog *l, uint32_t a, uint32_t b, bool up,
		uint64_t flushed, uint64_t carried, int64_t orbital_ns,
		int64_t wall_real_ns)
{
	if (!l->f)
		return;
	evlog_begin(l, "link", orbital_ns, wall_real_ns);
	evlog_name(l, "a", a);
	evlog_name(l, "b", b);
	fprintf(l->f, ",\"state\":\"%s\",\"flushed\":%" PRIu64
		",\"carried\":%" PRIu64, up ? "up" : "down", flushed, carried);
	evlog_end(l);
}
