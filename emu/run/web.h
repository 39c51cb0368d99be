/* SPDX-License-Identifier: MIT */
/* web.h - the live web view of a run: an HTTP server on its own threads */
#ifndef EMU_WEB_H
#define EMU_WEB_H

#include <ev.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct run;
struct web;

/* Where the web view listens: [ADDR:]PORT parsed (web_addr_parse). */
struct web_addr {
	struct sockaddr_storage ss;
	socklen_t len;
	bool loopback;			/* only this machine can reach it */
};

/*
 * Parse [ADDR:]PORT: PORT alone is 127.0.0.1:PORT; ADDR is an IPv4
 * address or an IPv6 one in brackets ([::1]:8080); PORT 0 takes any free
 * port. false with the reason in why when it is not one.
 */
bool web_addr_parse(const char *spec, struct web_addr *out, char *why,
		    size_t len);

/*
 * Serve the web view of run r at addr (docs/usage.md, Web view): the page,
 * /api/state, /api/events, /api/path and, with control, POST /api/ctl.
 * Requests that need the data plane reach it through an ev_async watcher
 * on loop. Warns when addr is beyond loopback. 0 or -errno (said).
 */
int web_open(struct web **out, struct run *r, struct ev_loop *loop,
	     const struct web_addr *addr, bool control);
/*
 * Stop serving: answer what waits, end the event streams, join the
 * threads, free. Data plane's thread. NULL is fine.
 */
void web_close(struct web *w, bool quiet);

/* The page's address, "http://127.0.0.1:8080/". */
const char *web_url(const struct web *w);

/* A new step was taken: hand the page a snapshot of it (data plane). */
void web_publish(struct web *w);

#endif
