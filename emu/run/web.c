// SPDX-License-Identifier: MIT
/* web.c - the live web view: libmicrohttpd serves the page, the run's state and its events */
/*
 * (Just over 600 lines, kept whole: the request handlers and the snapshot
 * they read are one protocol; the address parsing and the JSON writers are
 * already elsewhere.)
 *
 * Threads: libmicrohttpd runs its own listening thread and one thread per
 * connection (at most WEB_CONNS), so an event stream may block waiting for
 * the next step without holding up anything else. None of them touches the
 * data plane's state. At each step the data plane fills the back one of two
 * snapshots (web_snap.c) and, under the lock, makes it the front one
 * (web_publish); readers count themselves on the front one under the lock
 * and format it outside. A back snapshot still read when the next step
 * comes is left alone and that step not shown (counted): the data plane
 * never waits for a reader. What needs the ring or the forwarder (a path,
 * a ctl command) is asked of the data plane's thread (web_req.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "emu/run/log.h"
#include "emu/run/run.h"
#include "emu/run/web_assets.h"
#include "emu/run/web_int.h"
#include "topo/lib/json.h"

#define WEB_CONNS 32			/* connections (and threads) at once */
#define WEB_CONN_MEMORY (64 * 1024)	/* a request's headers and more */
#define WEB_CONN_TIMEOUT_S 60		/* an idle connection is closed */
#define WEB_SSE_KEEPALIVE_S 10		/* a comment when no step came */
#define WEB_SSE_BUF 2048

/* ---- the listening address ----------------------------------------------- */

bool web_addr_parse(const char *spec, struct web_addr *out, char *why,
		    size_t len)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)&out->ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&out->ss;
	const char *colon = strrchr(spec, ':'), *port_s = spec;
	char host[64] = "127.0.0.1", *end;
	bool bracketed = false;
	unsigned long port;

	memset(out, 0, sizeof(*out));
	if (colon) {
		size_t n = (size_t)(colon - spec);

		if (spec[0] == '[' && n >= 2 && spec[n - 1] == ']') {
			spec++;
			n -= 2;
			bracketed = true;
		}
		if (n == 0 || n >= sizeof(host)) {
			snprintf(why, len, "address \"%.*s\" is not an IP "
				 "address", (int)(colon - spec), spec);
			return false;
		}
		memcpy(host, spec, n);
		host[n] = '\0';
		port_s = colon + 1;
	}
	errno = 0;
	port = strtoul(port_s, &end, 10);
	if (!*port_s || *end || errno || port > 65535 || *port_s == '-' ||
	    *port_s == '+') {
		snprintf(why, len, "port \"%s\" is not a number from 0 to "
			 "65535", port_s);
		return false;
	}
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		out->len = sizeof(*v4);
		out->loopback = (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
	} else if (bracketed &&
		   inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		out->len = sizeof(*v6);
		out->loopback = IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr);
	} else {
		snprintf(why, len, "address \"%s\" is not an IPv4 address or "
			 "an IPv6 one in brackets", host);
		return false;
	}
	return true;
}

/* ---- snapshots ----------------------------------------------------------- */

const struct web_snap *web_snap_get(struct web *w)
{
	struct web_snap *s = NULL;

	pthread_mutex_lock(&w->lock);
	if (w->front >= 0) {
		s = &w->snap[w->front];
		s->readers++;
	}
	pthread_mutex_unlock(&w->lock);
	return s;
}

void web_snap_put(struct web *w, const struct web_snap *s)
{
	pthread_mutex_lock(&w->lock);
	w->snap[s - w->snap].readers--;
	pthread_mutex_unlock(&w->lock);
}

void web_publish(struct web *w)
{
	int back = w->front < 0 ? 0 : w->front ^ 1;
	struct web_snap *s = &w->snap[back];
	int64_t t0 = run_now(), cost;
	bool busy;

	pthread_mutex_lock(&w->lock);
	busy = s->readers > 0;
	pthread_mutex_unlock(&w->lock);
	if (busy) {
		w->skipped++;
		return;
	}
	/* nobody reads the back one, and nobody can start to */
	if (web_snap_take(s, w->r) < 0) {
		w->skipped++;
		return;
	}
	cost = run_now() - t0;
	s->cost_ns = cost;
	w->cost_sum += cost;
	if (cost > w->cost_max)
		w->cost_max = cost;
	pthread_mutex_lock(&w->lock);
	w->front = back;
	w->gen++;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

/* ---- responses ----------------------------------------------------------- */

static enum MHD_Result web_send(struct MHD_Connection *c, unsigned status,
				const char *type, void *buf, size_t len,
				enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *rsp;
	enum MHD_Result ret;

	rsp = MHD_create_response_from_buffer(len, buf, mode);
	if (!rsp) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(buf);
		return MHD_NO;
	}
	MHD_add_response_header(rsp, "Content-Type", type);
	MHD_add_response_header(rsp, "Cache-Control", "no-store");
	MHD_add_response_header(rsp, "X-Content-Type-Options", "nosniff");
	ret = MHD_queue_response(c, status, rsp);
	MHD_destroy_response(rsp);
	return ret;
}

static enum MHD_Result web_json(struct MHD_Connection *c, unsigned status,
				char *buf, size_t len)
{
	return web_send(c, status, "application/json", buf, len,
			MHD_RESPMEM_MUST_FREE);
}

/* {"ok":false,"error":"..."} with the status. */
__attribute__((format(printf, 3, 4)))
static enum MHD_Result web_error(struct MHD_Connection *c, unsigned status,
				 const char *fmt, ...)
{
	char why[512], *buf = NULL;
	size_t len = 0;
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	f = open_memstream(&buf, &len);
	if (!f)
		return MHD_NO;
	fputs("{\"ok\":false,\"error\":", f);
	json_str(f, why);
	fputs("}\n", f);
	if (fclose(f) != 0) {
		free(buf);
		return MHD_NO;
	}
	return web_json(c, status, buf, len);
}

static enum MHD_Result web_asset(struct MHD_Connection *c, const char *url)
{
	if (!strcmp(url, "/"))
		url = "/index.html";
	for (size_t i = 0; i < web_nassets; i++) {
		const struct web_asset *a = &web_assets[i];

		if (!strcmp(a->path, url))
			return web_send(c, MHD_HTTP_OK, a->type,
					(void *)a->data, a->len,
					MHD_RESPMEM_PERSISTENT);
	}
	return web_error(c, MHD_HTTP_NOT_FOUND, "no such page \"%.100s\"",
			 url);
}

static enum MHD_Result web_state(struct web *w, struct MHD_Connection *c)
{
	const char *names = MHD_lookup_connection_value(c,
							 MHD_GET_ARGUMENT_KIND,
							 "names");
	const struct web_snap *s = web_snap_get(w);
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (!s)
		return web_error(c, MHD_HTTP_SERVICE_UNAVAILABLE,
				 "no step taken yet");
	f = open_memstream(&buf, &len);
	if (f) {
		web_snap_json(f, s, w->r, names && strcmp(names, "0"),
			      w->control);
		fputc('\n', f);
	}
	web_snap_put(w, s);
	if (!f || fclose(f) != 0) {
		free(buf);
		return web_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				 "out of memory");
	}
	return web_json(c, MHD_HTTP_OK, buf, len);
}

/* Send the data plane's answer to q, or why there is none. */
static enum MHD_Result web_answer(struct web *w, struct MHD_Connection *c,
				  struct web_req *q)
{
	int ret = web_req_ask(w, q);
	char *answer;

	if (ret == -ESHUTDOWN)
		return web_error(c, MHD_HTTP_SERVICE_UNAVAILABLE,
				 "the run is ending");
	if (ret < 0)
		return web_error(c, MHD_HTTP_SERVICE_UNAVAILABLE,
				 "the data plane did not answer within %d s",
				 WEB_REQ_TIMEOUT_S);
	if (!q->answer)
		return web_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				 "out of memory");
	answer = q->answer;	/* the response frees it */
	q->answer = NULL;
	return web_json(c, q->ok ? MHD_HTTP_OK : MHD_HTTP_BAD_REQUEST, answer,
			q->len);
}

/* A tapped node by name, or an error answered (false). */
static bool web_tapped(struct web *w, struct MHD_Connection *c,
		       const char *key, uint32_t *v, enum MHD_Result *ret)
{
	const char *name = MHD_lookup_connection_value(c,
							MHD_GET_ARGUMENT_KIND,
							key);
	const struct scenario *s = w->r->s;
	long i;

	if (!name) {
		*ret = web_error(c, MHD_HTTP_BAD_REQUEST, "%s= is missing "
				 "(a tapped node's name)", key);
		return false;
	}
	i = constel_find(&s->constel, name);
	for (size_t k = 0; i >= 0 && k < s->ntapped; k++)
		if (s->tapped[k] == (uint32_t)i) {
			*v = (uint32_t)i;
			return true;
		}
	*ret = web_error(c, MHD_HTTP_BAD_REQUEST, "%s \"%.64s\" is not a "
			 "tapped node", key, name);
	return false;
}

static enum MHD_Result web_path(struct web *w, struct MHD_Connection *c)
{
	struct web_req q = { .kind = WEB_REQ_PATH };
	enum MHD_Result ret;

	if (!web_tapped(w, c, "a", &q.a, &ret) ||
	    !web_tapped(w, c, "b", &q.b, &ret))
		return ret;
	return web_answer(w, c, &q);
}

/* ---- the event stream ---------------------------------------------------- */

struct web_sse {
	struct web *w;
	uint64_t gen;			/* the last snapshot sent */
	char buf[WEB_SSE_BUF];
	size_t len, off;
};

/* The next chunk of the stream: an event per step, blocking until then. */
static ssize_t web_sse_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct web_sse *e = cls;
	struct web *w = e->w;
	const struct web_snap *s;
	struct timespec until;
	size_t n;
	FILE *f;

	(void)pos;
	if (e->off == e->len) {
		e->off = e->len = 0;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += WEB_SSE_KEEPALIVE_S;
		pthread_mutex_lock(&w->lock);
		while (!w->stopping && w->gen == e->gen &&
		       pthread_cond_timedwait(&w->cond, &w->lock, &until) == 0)
			;
		if (w->stopping) {
			pthread_mutex_unlock(&w->lock);
			return MHD_CONTENT_READER_END_OF_STREAM;
		}
		s = NULL;
		if (w->gen != e->gen) {
			s = &w->snap[w->front];
			w->snap[w->front].readers++;
			e->gen = w->gen;
		}
		pthread_mutex_unlock(&w->lock);
		if (!s) {
			e->len = (size_t)snprintf(e->buf, sizeof(e->buf),
						  ": still here\n\n");
		} else {
			f = fmemopen(e->buf, sizeof(e->buf), "w");
			if (f) {
				fputs("event: step\ndata: ", f);
				web_snap_event(f, s, w->r);
				fputs("\n\n", f);
				e->len = (size_t)ftell(f);
				fclose(f);
			}
			web_snap_put(w, s);
			if (!f || e->len >= sizeof(e->buf) - 1)
				return MHD_CONTENT_READER_END_WITH_ERROR;
		}
	}
	n = e->len - e->off < max ? e->len - e->off : max;
	memcpy(out, e->buf + e->off, n);
	e->off += n;
	return (ssize_t)n;
}

static enum MHD_Result web_events(struct web *w, struct MHD_Connection *c)
{
	struct MHD_Response *rsp;
	struct web_sse *e;
	enum MHD_Result ret;

	e = calloc(1, sizeof(*e));
	if (!e)
		return web_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				 "out of memory");
	e->w = w;
	rsp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1024,
						web_sse_read, e, free);
	if (!rsp) {
		free(e);
		return MHD_NO;
	}
	MHD_add_response_header(rsp, "Content-Type", "text/event-stream");
	MHD_add_response_header(rsp, "Cache-Control", "no-store");
	ret = MHD_queue_response(c, MHD_HTTP_OK, rsp);
	MHD_destroy_response(rsp);
	return ret;
}

/* ---- requests ------------------------------------------------------------ */

/* A POST body being read, bounded. */
struct web_body {
	struct web_req q;
	size_t len;
	bool too_long;
};

static enum MHD_Result web_ctl(struct web *w, struct MHD_Connection *c,
			       struct web_body *b)
{
	const char *hdr = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						       "X-Lasermesh");

	if (!w->control)
		return web_error(c, MHD_HTTP_FORBIDDEN, "this run does not "
				 "allow control from the page (start it with "
				 "--web-control)");
	/* a custom header: another site's page cannot send it unasked */
	if (!hdr || strcmp(hdr, "ctl"))
		return web_error(c, MHD_HTTP_FORBIDDEN, "a control request "
				 "needs the header \"X-Lasermesh: ctl\"");
	if (b->too_long)
		return web_error(c, MHD_HTTP_CONTENT_TOO_LARGE,
				 "the command is longer than %d bytes",
				 CTL_LINE_MAX);
	while (b->len && (b->q.line[b->len - 1] == '\n' ||
			  b->q.line[b->len - 1] == '\r'))
		b->len--;
	b->q.line[b->len] = '\0';
	if (memchr(b->q.line, '\0', b->len) || strchr(b->q.line, '\n'))
		return web_error(c, MHD_HTTP_BAD_REQUEST, "the command is not "
				 "one line of text");
	b->q.kind = WEB_REQ_CTL;
	return web_answer(w, c, &b->q);
}

static enum MHD_Result web_handle(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_len, void **con_cls)
{
	struct web *w = cls;
	struct web_body *b = *con_cls;

	(void)version;
	if (!strcmp(method, "POST")) {
		if (strcmp(url, "/api/ctl"))
			return web_error(c, MHD_HTTP_METHOD_NOT_ALLOWED,
					 "POST is for /api/ctl only");
		if (!b) {
			b = calloc(1, sizeof(*b));
			if (!b)
				return MHD_NO;
			*con_cls = b;
			return MHD_YES;
		}
		if (*upload_len) {
			if (b->len + *upload_len > CTL_LINE_MAX) {
				b->too_long = true;
			} else {
				memcpy(b->q.line + b->len, upload,
				       *upload_len);
				b->len += *upload_len;
			}
			*upload_len = 0;
			return MHD_YES;
		}
		return web_ctl(w, c, b);
	}
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return web_error(c, MHD_HTTP_METHOD_NOT_ALLOWED,
				 "method \"%.20s\" is not GET, HEAD or POST",
				 method);
	if (!strcmp(url, "/api/state"))
		return web_state(w, c);
	if (!strcmp(url, "/api/events"))
		return web_events(w, c);
	if (!strcmp(url, "/api/path"))
		return web_path(w, c);
	if (!strcmp(url, "/api/ctl"))
		return web_error(c, MHD_HTTP_METHOD_NOT_ALLOWED,
				 "/api/ctl takes a POST");
	return web_asset(c, url);
}

static void web_done(void *cls, struct MHD_Connection *c, void **con_cls,
		     enum MHD_RequestTerminationCode code)
{
	struct web_body *b = *con_cls;

	(void)cls;
	(void)c;
	(void)code;
	if (b)
		free(b->q.answer);
	free(b);
	*con_cls = NULL;
}

/* ---- the server ---------------------------------------------------------- */

static void web_free(struct web *w)
{
	web_snap_free(&w->snap[0]);
	web_snap_free(&w->snap[1]);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

static void web_make_url(struct web *w, const struct web_addr *addr,
			 unsigned port)
{
	char host[INET6_ADDRSTRLEN] = "?";

	if (addr->ss.ss_family == AF_INET6) {
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)&addr->ss)->sin6_addr,
			  host, sizeof(host));
		snprintf(w->url, sizeof(w->url), "http://[%s]:%u/", host,
			 port);
	} else {
		inet_ntop(AF_INET,
			  &((const struct sockaddr_in *)&addr->ss)->sin_addr,
			  host, sizeof(host));
		snprintf(w->url, sizeof(w->url), "http://%s:%u/", host, port);
	}
}

int web_open(struct web **out, struct run *r, struct ev_loop *loop,
	     const struct web_addr *addr, bool control)
{
	const struct constel *c = &r->s->constel;
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION |
			 MHD_USE_INTERNAL_POLLING_THREAD;
	const union MHD_DaemonInfo *info;
	struct web *w;
	int ret;

	*out = NULL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	w->r = r;
	w->loop = loop;
	w->control = control;
	w->front = -1;
	w->tail = &w->head;
	if (web_snap_init(&w->snap[0], c->n, c->nsat) < 0 ||
	    web_snap_init(&w->snap[1], c->n, c->nsat) < 0) {
		web_free(w);
		return -ENOMEM;
	}
	ev_async_init(&w->async, web_req_cb);
	ev_async_start(loop, &w->async);
	if (addr->ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	w->d = MHD_start_daemon(flags, 0, NULL, NULL, web_handle, w,
				MHD_OPTION_SOCK_ADDR, &addr->ss,
				MHD_OPTION_CONNECTION_LIMIT,
				(unsigned)WEB_CONNS,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT,
				(size_t)WEB_CONN_MEMORY,
				MHD_OPTION_CONNECTION_TIMEOUT,
				(unsigned)WEB_CONN_TIMEOUT_S,
				MHD_OPTION_NOTIFY_COMPLETED, web_done, w,
				MHD_OPTION_END);
	if (!w->d) {
		ret = errno ? -errno : -EADDRINUSE;
		ev_async_stop(loop, &w->async);
		web_free(w);
		return ret;
	}
	info = MHD_get_daemon_info(w->d, MHD_DAEMON_INFO_BIND_PORT);
	web_make_url(w, addr, info ? info->port : 0);
	if (!addr->loopback)
		log_warnx("the web view at %s can be reached from beyond this "
			  "machine, without authentication%s", w->url,
			  control ? ", and can take nodes and links down" :
				    "");
	*out = w;
	return 0;
}

const char *web_url(const struct web *w)
{
	return w->url;
}

void web_close(struct web *w, bool quiet)
{
	uint64_t n;

	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	web_req_cancel(w);
	n = w->gen;
	pthread_mutex_unlock(&w->lock);
	MHD_stop_daemon(w->d);	/* joins every connection's thread */
	ev_async_stop(w->loop, &w->async);
	if (!quiet && n)
		log_info("web view: %" PRIu64 " snapshots, %.1f us on average "
			 "on the data plane, at most %.1f us; %" PRIu64
			 " steps not shown (still read)", n,
			 (double)w->cost_sum / (double)n / 1e3,
			 (double)w->cost_max / 1e3, w->skipped);
	web_free(w);
}
