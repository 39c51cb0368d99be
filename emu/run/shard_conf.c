// SPDX-License-Identifier: MIT
/* shard_conf.c - where the shards are: --shard I/N --peers by hand, or the launcher's rank and exchange */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "topo/lib/diag.h"
#include <unistd.h>

#include "emu/plane/geneve.h"
#include "emu/run/clocks.h"
#include "emu/run/launch.h"
#include "emu/run/log.h"
#include "emu/run/shard.h"

#define SHARD_SOCKBUF (8 << 20) /* socket buffers, bytes */

/* ---- configuration ------------------------------------------------------- */

int shard_conf_parse(struct shard_conf *c, const char *which, const char *peers)
{
	unsigned long i, n;
	const char *p;
	char *end;
	size_t k = 0;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->how = "hand";
	errno = 0;
	i = strtoul(which, &end, 10);
	if (end == which || *end != '/' || errno) {
		log_err(0,
			"--shard \"%s\" is not I/N (this shard's index and "
			"the number of shards)",
			which);
		return -EINVAL;
	}
	p = end + 1;
	n = strtoul(p, &end, 10);
	if (end == p || *end || errno || n < 1 || n > SHARD_MAX || i >= n) {
		log_err(0, "--shard \"%s\": want 0 <= I < N <= %d", which,
			SHARD_MAX);
		return -EINVAL;
	}
	if (!peers) {
		log_err(0,
			"--shard %s needs --peers ADDR:PORT,... (all %lu "
			"shards, in order)",
			which, n);
		return -EINVAL;
	}
	c->addr = calloc(n, sizeof(*c->addr));
	if (!c->addr)
		return -ENOMEM;
	for (p = peers; *p; k++) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char one[96];

		if (k >= n || len >= sizeof(one)) {
			log_err(0,
				"--peers \"%s\": more than %lu endpoints or "
				"one too long",
				peers, n);
			goto bad;
		}
		memcpy(one, p, len);
		one[len] = '\0';
		if (!endpoint_parse(one, false, &c->addr[k])) {
			log_err(0, "--peers: \"%s\" is not ADDR:PORT (IPv4) or "
				"[ADDR]:PORT (IPv6)", one);
			goto bad;
		}
		if (c->addr[k].sa.sa_family != c->addr[0].sa.sa_family) {
			log_err(0, "--peers \"%s\": IPv4 and IPv6 endpoints "
				"mixed; the shards share one family", peers);
			goto bad;
		}
		p += len + (e ? 1 : 0);
	}
	if (k != n) {
		log_err(0,
			"--peers \"%s\" names %zu endpoints, --shard %s "
			"wants %lu",
			peers, k, which, n);
		goto bad;
	}
	c->self = (unsigned)i;
	c->n = (unsigned)n;
	return 0;
bad:
	free(c->addr);
	c->addr = NULL;
	return -EINVAL;
}

void shard_conf_free(struct shard_conf *c)
{
	free(c->addr);
	c->addr = NULL;
	c->n = 0;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

int shard_conf_bind(struct shard_conf *c)
{
	union endpoint *me = &c->addr[c->self];
	int one = 1, buf = SHARD_SOCKBUF, ret;
	socklen_t len = sizeof(*me);
	char txt[ENDPOINT_STRLEN];

	c->fd = socket(me->sa.sa_family,
		       SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		ret = -errno;
		log_err(ret, "shard %u: cannot open its UDP socket", c->self);
		return ret;
	}
	/* root may go past the sysctl limits; others get what they may */
	if (setsockopt(c->fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)) <
	    0)
		setsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	if (setsockopt(c->fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf)) <
	    0)
		setsockopt(c->fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	/* the kernel's receive time of each datagram: clock probes */
	setsockopt(c->fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	if (bind(c->fd, &me->sa, endpoint_len(me)) < 0 ||
	    getsockname(c->fd, &me->sa, &len) < 0) {
		ret = -errno;
		log_err(ret, "shard %u: cannot bind its endpoint %s", c->self,
			endpoint_format(me, txt, sizeof(txt)));
		close(c->fd);
		c->fd = -1;
		return ret;
	}
	return 0;
}

size_t shard_filter_tapped(const struct shard_conf *c, const struct constel *cs,
			   uint32_t *tapped, size_t ntapped)
{
	uint16_t *owner = malloc((cs->n ? cs->n : 1) * sizeof(*owner));
	size_t k = 0;

	if (!owner)
		return ntapped;
	shard_partition(cs, c->n, c->rule, c->pins, c->npins, owner);
	for (size_t i = 0; i < ntapped; i++)
		if (owner[tapped[i]] == c->self)
			tapped[k++] = tapped[i];
	free(owner);
	return k;
}

int shard_conf_launch(struct shard_conf *c, struct launch *l,
		      const char *bind_addr)
{
	union endpoint me;
	struct diag d;
	int ret, odd;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->how = launch_how_name(l->how);
	c->self = (unsigned)l->rank;
	c->n = (unsigned)l->size;
	if (c->n > SHARD_MAX) {
		log_err(0, "%s started %u shards: at most %d", c->how, c->n,
			SHARD_MAX);
		return -EINVAL;
	}
	diag_init(&d);
	if (bind_addr) {
		if (!endpoint_parse_addr(bind_addr, 0, &me)) {
			log_err(0, "--shard-bind \"%s\" is not an IPv4 or "
				"IPv6 address", bind_addr);
			ret = -EINVAL;
			goto out;
		}
	} else if ((ret = clocks_local_addr(&me, &d)) < 0) {
		goto out;
	}
	c->addr = calloc(c->n, sizeof(*c->addr));
	if (!c->addr) {
		ret = -ENOMEM;
		goto out;
	}
	/* GENEVE's port, so that captures decode; any if it is taken */
	endpoint_set_port(&me, GENEVE_PORT);
	c->addr[c->self] = me;
	ret = shard_conf_bind(c);
	if (ret == -EADDRINUSE) {
		endpoint_set_port(&c->addr[c->self], 0);
		ret = shard_conf_bind(c);
	}
	if (ret < 0)
		goto out;
	me = c->addr[c->self];
	ret = launch_allgather(l, &me, sizeof(me), c->addr, &d);
	if (ret == 0 && (odd = endpoint_odd_family(c->addr, c->n, &me)) >= 0) {
		log_err(0, "shard %d has an %s endpoint, this one (%u) an %s "
			"one: give every shard --shard-bind of one family",
			odd, endpoint_family_name(&c->addr[odd]), c->self,
			endpoint_family_name(&me));
		ret = -EINVAL;
	}
out:
	diag_print(&d, stderr);
	diag_free(&d);
	return ret;
}
