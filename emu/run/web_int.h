/* SPDX-License-Identifier: MIT */
/* web_int.h - between the web view's files: the server, its snapshots and its requests */
#ifndef EMU_WEB_INT_H
#define EMU_WEB_INT_H

#include <ev.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "emu/run/ctl.h"
#include "emu/run/web.h"
#include "emu/run/web_snap.h"

/* What an HTTP thread asks the data plane (web_req.c). */
enum web_req_kind {
	WEB_REQ_PATH,		/* the path a -> b and back, its RTT */
	WEB_REQ_CTL,		/* one `lasermesh ctl` command line */
};

struct web_req {
	enum web_req_kind kind;
	uint32_t a, b;				/* PATH */
	char line[CTL_LINE_MAX + 1];		/* CTL */
	char *answer;				/* JSON, malloc'd */
	size_t len;
	bool ok;				/* the answer is not an error */
	bool taken, done;			/* under web.lock */
	struct web_req *next;
};

/* Requests wait this long for the data plane. */
#define WEB_REQ_TIMEOUT_S 5

struct web {
	struct MHD_Daemon *d;
	struct run *r;
	struct ev_loop *loop;
	bool control;
	char url[80];
	pthread_mutex_t lock;
	pthread_cond_t cond;		/* a new snapshot, an answer, stop */
	struct web_snap snap[2];	/* double buffer */
	int front;			/* the one handed over, -1 none */
	uint64_t gen;			/* snapshots handed over */
	bool stopping;
	/* data plane only: what the snapshots cost */
	int64_t cost_sum, cost_max;
	uint64_t skipped;		/* steps not shown: readers on both */
	/* requests for the data plane, under lock */
	ev_async async;
	struct web_req *head, **tail;
};

/* Take the snapshot handed over (NULL: none yet) and give it back. */
const struct web_snap *web_snap_get(struct web *w);
void web_snap_put(struct web *w, const struct web_snap *s);

/*
 * Ask the data plane and wait for its answer (at most WEB_REQ_TIMEOUT_S).
 * 0, -ETIMEDOUT or -ESHUTDOWN (the run is ending).
 */
int web_req_ask(struct web *w, struct web_req *q);
/* The ev_async watcher's callback: answer every request queued. */
void web_req_cb(struct ev_loop *loop, ev_async *a, int revents);
/* Answer what is queued with an error (the run ends). Under lock. */
void web_req_cancel(struct web *w);

#endif
