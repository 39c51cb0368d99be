// SPDX-License-Identifier: MIT
/* web_req.c - what the web view asks the data plane: paths with their RTT, ctl commands */
/*
 * The HTTP threads never read the ring, the forwarder or the fault state:
 * those belong to the data plane's thread. A request is queued under the
 * web lock and the data plane woken by an ev_async watcher; it answers
 * every request queued on its own thread, between packets, and signals
 * the condition the asker waits on. An asker that gives up (a timeout, the
 * run ending) takes its request out of the queue unless the data plane
 * has taken it already; then it waits for the answer, which comes soon.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "emu/run/run.h"
#include "emu/run/web_int.h"
#include "topo/lib/json.h"
#include "topo/lib/util.h"
#include "topo/utc.h"

#define WEB_PATH_MAX 256	/* hops of a path, as `lasermesh path` */

int web_req_ask(struct web *w, struct web_req *q)
{
	struct timespec until;
	int ret = 0;

	q->taken = q->done = false;
	q->next = NULL;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += WEB_REQ_TIMEOUT_S;
	pthread_mutex_lock(&w->lock);
	if (w->stopping) {
		pthread_mutex_unlock(&w->lock);
		return -ESHUTDOWN;
	}
	*w->tail = q;
	w->tail = &q->next;
	pthread_mutex_unlock(&w->lock);
	ev_async_send(w->loop, &w->async);

	pthread_mutex_lock(&w->lock);
	while (!q->done) {
		if ((ret == ETIMEDOUT || w->stopping) && !q->taken)
			break;
		if (ret == ETIMEDOUT)	/* taken: the answer comes soon */
			pthread_cond_wait(&w->cond, &w->lock);
		else
			ret = pthread_cond_timedwait(&w->cond, &w->lock,
						     &until);
	}
	if (!q->done) {
		/* not taken: still in the queue, take it out */
		struct web_req **p = &w->head;

		while (*p && *p != q)
			p = &(*p)->next;
		if (*p) {
			*p = q->next;
			if (w->tail == &q->next)
				w->tail = p;
		}
		pthread_mutex_unlock(&w->lock);
		return w->stopping ? -ESHUTDOWN : -ETIMEDOUT;
	}
	pthread_mutex_unlock(&w->lock);
	return 0;
}

void web_req_cancel(struct web *w)
{
	/* each asker sees stopping and takes its own out of the queue */
	pthread_cond_broadcast(&w->cond);
}

/* One way: the route's hops from a to b and the sum of their delays now. */
static size_t web_path_way(const struct run *r, uint32_t a, uint32_t b,
			   int64_t now, uint32_t *hops, int64_t *delay)
{
	const struct ring *g = &r->geom.ring;
	const struct topo_state *st = ring_current(g);
	const struct route_table *rt = &st->routes;
	long di = route_dest_index(rt, b);
	size_t n;

	*delay = 0;
	n = di < 0 ? 0 : route_path(rt, (size_t)di, a, hops, WEB_PATH_MAX);
	if (!n || n > WEB_PATH_MAX)
		return 0;
	for (size_t i = 0; i + 1 < n; i++) {
		const struct fault_link *l =
			st->faults.nlinks ?
				fault_link_find(&st->faults, hops[i],
						hops[i + 1]) : NULL;

		*delay += ring_delay_ns(g, hops[i], hops[i + 1], now);
		/* a `set link ... delay` adds its delay, as path says */
		if (l && (l->set.has & FAULT_SET_DELAY))
			*delay += l->set.delay_ns;
	}
	return n;
}

static void web_path_names(FILE *f, const struct run *r, const uint32_t *h,
			   size_t n)
{
	fputc('[', f);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		json_str(f, r->s->constel.node[h[i]].name);
	}
	fputc(']', f);
}

/* The path a -> b and back at this moment, as `lasermesh path` gives. */
static void web_path(const struct run *r, const struct web_req *q, FILE *f)
{
	const struct ring *g = &r->geom.ring;
	uint32_t there[WEB_PATH_MAX], back[WEB_PATH_MAX];
	int64_t now = run_now(), t = ring_orbital(g, now), d1, d2;
	size_t n1, n2;
	char iso[40];

	n1 = web_path_way(r, q->a, q->b, now, there, &d1);
	n2 = web_path_way(r, q->b, q->a, now, back, &d2);
	utc_format_iso8601(t, 6, iso, sizeof(iso));
	fputs("{\"ok\":true,\"a\":", f);
	json_str(f, r->s->constel.node[q->a].name);
	fputs(",\"b\":", f);
	json_str(f, r->s->constel.node[q->b].name);
	fprintf(f, ",\"step\":%" PRId64 ",\"orbital\":\"%s\",\"orbital_t\":"
		"%.6f,", ring_cur(g), iso,
		(double)(t - r->s->epoch_unix_ns) / 1e9);
	if (n1 && n2)
		fprintf(f, "\"rtt_ns\":%" PRId64 ",\"rtt_ms\":%.6f,"
			"\"hops\":%zu,", d1 + d2, (double)(d1 + d2) / 1e6,
			n1 - 1);
	else
		fputs("\"rtt_ns\":null,\"rtt_ms\":null,\"hops\":null,", f);
	fputs("\"path\":", f);
	web_path_names(f, r, there, n1);
	fputs(",\"path_back\":", f);
	web_path_names(f, r, back, n2);
	fputc('}', f);
}

/* Answer one request on the data plane's thread. */
static void web_req_answer(struct web *w, struct web_req *q)
{
	struct ctl_reply rep = { 0 };
	FILE *f;

	f = open_memstream(&rep.buf, &rep.len);
	if (!f) {
		q->answer = NULL;
		return;
	}
	rep.f = f;
	if (q->kind == WEB_REQ_PATH)
		web_path(w->r, q, f);
	else
		run_ctl_handle(&w->r->ctl, q->line, &rep, w->r);
	if (fclose(f) != 0) {
		free(rep.buf);
		rep.buf = NULL;
	}
	q->answer = rep.buf;
	q->len = rep.buf ? rep.len : 0;
	q->ok = rep.buf && !strstr(rep.buf, "\"ok\":false");
}

void web_req_cb(struct ev_loop *loop, ev_async *a, int revents)
{
	struct web *w = container_of(a, struct web, async);
	struct web_req *q, *next, *list;

	(void)loop;
	(void)revents;
	pthread_mutex_lock(&w->lock);
	list = w->head;
	w->head = NULL;
	w->tail = &w->head;
	for (q = list; q; q = q->next)
		q->taken = true;
	pthread_mutex_unlock(&w->lock);
	/* outside the lock: a ctl command may take a step (web_publish) */
	for (q = list; q; q = q->next)
		web_req_answer(w, q);
	pthread_mutex_lock(&w->lock);
	for (q = list; q; q = next) {
		next = q->next;
		q->done = true;	/* its asker may free it once we unlock */
	}
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}
