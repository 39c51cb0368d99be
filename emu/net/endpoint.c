// SPDX-License-Identifier: MIT
/* endpoint.c - a UDP endpoint, IPv4 or IPv6: parsed, written, compared (see endpoint.h) */
#include "emu/net/endpoint.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool endpoint_parse(const char *s, bool any_port, union endpoint *e)
{
	char host[INET6_ADDRSTRLEN];
	const char *colon, *h = s;
	size_t hl;
	char *end;
	long port;

	memset(e, 0, sizeof(*e));
	if (*s == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			return false;
		h = s + 1;
		hl = (size_t)(close - h);
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon || strchr(s, ':') != colon)
			return false;	/* an IPv6 address wants [ ] */
		hl = (size_t)(colon - s);
	}
	if (hl == 0 || hl >= sizeof(host))
		return false;
	memcpy(host, h, hl);
	host[hl] = '\0';
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (!colon[1] || *end || errno || port < (any_port ? 0 : 1) ||
	    port > 65535 || colon[1] == '-' || colon[1] == '+' ||
	    colon[1] == ' ')
		return false;
	if (*s == '[') {
		e->in6.sin6_family = AF_INET6;
		e->in6.sin6_port = htons((uint16_t)port);
		return inet_pton(AF_INET6, host, &e->in6.sin6_addr) == 1;
	}
	e->in.sin_family = AF_INET;
	e->in.sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, host, &e->in.sin_addr) == 1;
}

bool endpoint_parse_addr(const char *s, unsigned port, union endpoint *e)
{
	memset(e, 0, sizeof(*e));
	if (inet_pton(AF_INET, s, &e->in.sin_addr) == 1)
		e->in.sin_family = AF_INET;
	else if (inet_pton(AF_INET6, s, &e->in6.sin6_addr) == 1)
		e->in6.sin6_family = AF_INET6;
	else
		return false;
	endpoint_set_port(e, port);
	return true;
}

const char *endpoint_format(const union endpoint *e, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN] = "?";

	if (e->sa.sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &e->in6.sin6_addr, a, sizeof(a));
		snprintf(buf, len, "[%s]:%u", a, endpoint_port(e));
	} else {
		inet_ntop(AF_INET, &e->in.sin_addr, a, sizeof(a));
		snprintf(buf, len, "%s:%u", a, endpoint_port(e));
	}
	return buf;
}

socklen_t endpoint_len(const union endpoint *e)
{
	return e->sa.sa_family == AF_INET6 ? sizeof(e->in6) : sizeof(e->in);
}

bool endpoint_equal(const union endpoint *a, const union endpoint *b)
{
	if (a->sa.sa_family != b->sa.sa_family)
		return false;
	if (a->sa.sa_family == AF_INET6)
		return a->in6.sin6_port == b->in6.sin6_port &&
		       !memcmp(&a->in6.sin6_addr, &b->in6.sin6_addr,
			       sizeof(a->in6.sin6_addr));
	return a->in.sin_port == b->in.sin_port &&
	       a->in.sin_addr.s_addr == b->in.sin_addr.s_addr;
}

int endpoint_odd_family(const union endpoint *all, size_t n,
			const union endpoint *want)
{
	for (size_t i = 0; i < n; i++)
		if (all[i].sa.sa_family != want->sa.sa_family)
			return (int)i;
	return -1;
}

const char *endpoint_family_name(const union endpoint *e)
{
	return e->sa.sa_family == AF_INET6 ? "IPv6" : "IPv4";
}

unsigned endpoint_port(const union endpoint *e)
{
	return ntohs(e->sa.sa_family == AF_INET6 ? e->in6.sin6_port
						 : e->in.sin_port);
}

void endpoint_set_port(union endpoint *e, unsigned port)
{
	if (e->sa.sa_family == AF_INET6)
		e->in6.sin6_port = htons((uint16_t)port);
	else
		e->in.sin_port = htons((uint16_t)port);
}
