/* SPDX-License-Identifier: MIT */
/* endpoint.h - a UDP endpoint, IPv4 or IPv6: parsed, written, compared */
#ifndef EMU_ENDPOINT_H
#define EMU_ENDPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>
#include <sys/socket.h>

/* Either family, as the socket calls take it (sa.sa_family says which). */
union endpoint {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
};

/* "ADDR:PORT" or "[ADDR6]:PORT" (port 1-65535, or 0 with any_port). */
bool endpoint_parse(const char *s, bool any_port, union endpoint *e);
/* An address alone, IPv4 or IPv6 (no brackets), with the given port. */
bool endpoint_parse_addr(const char *s, unsigned port, union endpoint *e);
/* The same text into buf ("[...]" around an IPv6 address). */
const char *endpoint_format(const union endpoint *e, char *buf, size_t len);
/* The length the socket calls want for e's family. */
socklen_t endpoint_len(const union endpoint *e);
/* Same family, address and port. */
bool endpoint_equal(const union endpoint *a, const union endpoint *b);
/*
 * The first of all[0..n) whose family is not want's, or -1: the
 * endpoints of one exchange must share a family, since one socket cannot
 * reach both.
 */
int endpoint_odd_family(const union endpoint *all, size_t n,
			const union endpoint *want);
/* "IPv4" or "IPv6", for messages. */
const char *endpoint_family_name(const union endpoint *e);
/* The port, host order. */
unsigned endpoint_port(const union endpoint *e);
void endpoint_set_port(union endpoint *e, unsigned port);

/* Long enough for endpoint_format: "[" + IPv6 + "]:" + port. */
#define ENDPOINT_STRLEN (INET6_ADDRSTRLEN + 8)

#endif
