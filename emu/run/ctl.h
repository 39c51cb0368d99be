/* SPDX-License-Identifier: MIT */
/* ctl.h - the control socket of a run: `lasermesh ctl` talks to it */
#ifndef EMU_CTL_H
#define EMU_CTL_H

#include <ev.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "tap/mark.h"

/*
 * CTL_DIR/PID.sock, a Unix stream socket in a directory only root may
 * enter (0700), and every peer's credentials are checked too (uid 0): the
 * commands change what the emulated mesh does. One request per
 * connection: a line of text (at most CTL_LINE_MAX bytes, read within
 * CTL_TIMEOUT_S), answered with one JSON object and the connection
 * closed:
 *
 *	status				{"ok":true,"orbital":...,...}
 *	down|up|set ...			as an events-file line without time
 *	pause | resume
 *	time-scale X
 *	events				the timeline so far
 *
 * An error is {"ok":false,"error":"node \"x\" does not exist"}. What each
 * command does is the run's (struct ctl.handle); this file is the socket.
 */
#define CTL_DIR MARK_CTL_DIR
#define CTL_LINE_MAX 4096
#define CTL_TIMEOUT_S 2.0
#define CTL_CONNS 8
/* how long the client waits for a run to take its line and answer */
#define CTL_CLIENT_TIMEOUT_S 5

struct ctl;

/* A request's answer goes here: a JSON object (the handler writes it). */
struct ctl_reply {
	char *buf;
	size_t len;
	void *f;			/* FILE * (open_memstream) */
};

/*
 * Answer one request line (without its newline) into the reply's FILE *
 * (ctl_reply_file); the handler writes the whole JSON object.
 */
typedef void (*ctl_handle_fn)(struct ctl *c, const char *line,
			      struct ctl_reply *r, void *arg);

struct ctl_conn {
	ev_io w;
	ev_timer t;
	struct ctl *ctl;
	int fd;				/* -1: free */
	char buf[CTL_LINE_MAX + 1];
	size_t len;
};

struct ctl {
	struct ev_loop *loop;
	int fd;				/* the listening socket, -1 none */
	ev_io w;
	char path[108];			/* sun_path */
	ctl_handle_fn handle;
	void *arg;
	struct ctl_conn conn[CTL_CONNS];
	uint64_t served, refused;	/* requests answered, connections
					 * refused (credentials, too long,
					 * too slow, too many) */
};

/* The socket path of the run pid into buf. */
void ctl_path(pid_t pid, char *buf, size_t len);

/*
 * Listen at ctl_path(getpid()) and serve on loop. 0 or -errno. A stale
 * socket of the same pid (an earlier boot) is replaced.
 */
int ctl_open(struct ctl *c, struct ev_loop *loop, ctl_handle_fn handle,
	     void *arg);
/* Stop serving, close every connection, remove the socket. Idempotent. */
void ctl_close(struct ctl *c);

/* The FILE * a handler writes its answer to. */
static inline void *ctl_reply_file(struct ctl_reply *r)
{
	return r->f;
}

/*
 * The client's side: send line to the run pid's socket and read the whole
 * answer into *out (NUL-terminated; the caller frees). 0 or -errno
 * (-ENOENT: no such run; -ECONNREFUSED: its socket is stale;
 * -ETIMEDOUT: no answer within CTL_CLIENT_TIMEOUT_S, e.g. it is stopped).
 */
int ctl_request(pid_t pid, const char *line, char **out);

#endif
