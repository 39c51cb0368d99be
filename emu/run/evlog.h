/* SPDX-License-Identifier: MIT */
/* evlog.h - the run's event log: one JSON object per line (--log FILE) */
#ifndef EMU_EVLOG_H
#define EMU_EVLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "topo/constel.h"
#include "topo/fault.h"

/*
 * JSON Lines (docs/usage.md, "Event log"). Every line has "type", the
 * orbital time ("orbital", ISO-8601 UTC, and "t", seconds after the
 * epoch) and the host's wall time ("wall", ISO-8601 UTC) when the data
 * plane took it:
 *
 *   {"type":"event", ... "source":"scheduled","verb":"down",
 *    "target":"node","node":"s1-3-4"}        an event in force from "at"
 *   {"type":"route", ... "from":"a","to":"b","hops":["a","s1-0-0","b"],
 *    "delay_ms":12.3}                        the path between two tapped
 *                                            nodes changed ("hops":[] when
 *                                            there is none)
 *   {"type":"link", ... "a":"x","b":"y","state":"down","flushed":3,
 *    "carried":1200}                         a link that carried traffic
 *   {"type":"start"|"end", ...}              the run began, ended
 *
 * A write error is remembered (evlog_close says it), never fatal to the
 * run: the log is an output like a capture.
 */
struct evlog {
	FILE *f;
	char *path;
	const struct constel *c;
	int64_t epoch_ns;
	int err;			/* first write error, -errno */
	uint64_t lines;
};

/* Create (truncate) path. 0 or -errno. */
int evlog_open(struct evlog *l, const char *path, const struct constel *c,
	       int64_t epoch_ns);
/* Flush and close; 0 or the first write error (-errno). Idempotent. */
int evlog_close(struct evlog *l);

/* The fields every line starts with; then the caller's, then evlog_end. */
void evlog_begin(struct evlog *l, const char *type, int64_t orbital_ns,
		 int64_t wall_real_ns);
void evlog_end(struct evlog *l);

/* An event applied at the step of orbital time at_ns. */
void evlog_event(struct evlog *l, const struct fault_event *ev, int64_t at_ns,
		 int64_t wall_real_ns);
/* The path from -> to is now hops[0..n) (n = 0: unreachable). */
void evlog_route(struct evlog *l, uint32_t from, uint32_t to,
		 const uint32_t *hops, size_t n, double delay_ms,
		 int64_t orbital_ns, int64_t wall_real_ns);
/* A link in use went up or down. */
void evlog_link(struct evlog *l, uint32_t a, uint32_t b, bool up,
		uint64_t flushed, uint64_t carried, int64_t orbital_ns,
		int64_t wall_real_ns);

#endif
