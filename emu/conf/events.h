/* SPDX-License-Identifier: MIT */
/* events.h - the events file and ctl's commands read into fault events */
#ifndef EMU_CONF_EVENTS_H
#define EMU_CONF_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#include "topo/constel.h"
#include "topo/fault.h"
#include "topo/lib/diag.h"

/*
 * The grammar is in docs/configuration.md ("Events file"): one event per
 * line, TIME VERB TARGET ARGS..., for example
 *
 *	120s  down node s1-3-4 freeze	# a comment
 *	90s   set  link s1-0-0 s1-0-1 loss 5% rate 100mbit delay +2ms
 *	2026-02-23T00:05:00Z  up ground london
 *
 * The same words without the time are one command of `lasermesh ctl`.
 * Node names are resolved through the node list, so an event holds
 * indices. Every error reads `file:line: what "value" why` and goes into
 * a struct diag; reading goes on to the end.
 */

/* A growing list of events (zero it before the first use). */
struct events {
	struct fault_event *v;
	size_t n, cap;
};

/* The largest events file read (larger gives -EFBIG). */
#define EVENTS_FILE_MAX ((size_t)64 << 20)

/*
 * Read the events file at path (a regular file) and append its events to
 * out, each at epoch_ns plus its offset, with source FAULT_SCHEDULED and
 * its line. Returns 0; -EINVAL when there was any error (each in d, also
 * "path: why" when the file cannot be read); -ENOMEM. The events that
 * were good stay in out either way: free it with events_free().
 */
int events_load_file(const char *path, const struct constel *c,
		     int64_t epoch_ns, struct events *out, struct diag *d);

/* The same for len bytes of text; name is the file name in messages. */
int events_parse_text(const char *text, size_t len, const char *name,
		      const struct constel *c, int64_t epoch_ns,
		      struct events *out, struct diag *d);

/*
 * One event without a time, as `lasermesh ctl` gives it: "down node
 * s1-0-0", "set link a b loss 5%". On success *ev holds it (t_ns 0,
 * source FAULT_LIVE, line 0) and 0 is returned; otherwise -EINVAL and why
 * (whylen bytes, NUL-terminated, control characters escaped) says what,
 * quoting the value: `node "x" does not exist`.
 */
int events_parse_command(const char *line, const struct constel *c,
			 struct fault_event *ev, char *why, size_t whylen);

/* Free the list (keeps e itself, zeroed). Accepts NULL. */
void events_free(struct events *e);

/* Sort by time, stably: events at the same time keep their order. */
void events_sort(struct events *e);

/*
 * The event as a command without its time ("down link s1-0-0 s1-0-1",
 * "set link a b loss 5% rate 100mbit delay +2ms"), which
 * events_parse_command() reads back to the same event. A node that is a
 * ground station is written "ground". Returns snprintf's count (the text
 * is cut to len), or -EINVAL for an event that names no node of c.
 */
int events_format(const struct fault_event *ev, const struct constel *c,
		  char *buf, size_t len);

#endif
