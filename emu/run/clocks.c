// SPDX-License-Identifier: MIT
/* clocks.c - clock offset and one-way latency between hosts, measured over UDP (see clocks.h) */
#include "emu/run/clocks.h"

#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "topo/lib/diag.h"

/* Answers of the last probes may come this long after the last is sent. */
#define CLOCKS_GRACE_NS INT64_C(300000000)

int64_t clocks_realtime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t clocks_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* A clock reading of this rank, with the skew a check asked for. */
static int64_t clocks_skewed(const struct clocks *c, int64_t t)
{
	return c->rank == c->o->offset_rank ? t + c->o->add_offset_ns : t;
}

int clocks_local_addr(union endpoint *out, struct diag *d)
{
	struct ifaddrs *ifa, *i;

	if (getifaddrs(&ifa) < 0) {
		diag_error(d, NULL, 0, "cannot list the interfaces: %s",
			   strerror(errno));
		return -errno;
	}
	for (i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET)
			continue;
		if (!(i->ifa_flags & IFF_UP) || (i->ifa_flags & IFF_LOOPBACK))
			continue;
		memset(out, 0, sizeof(*out));
		out->in.sin_family = AF_INET;
		out->in.sin_addr =
			((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr;
		freeifaddrs(ifa);
		return 0;
	}
	freeifaddrs(ifa);
	diag_error(d, NULL, 0, "no interface is up with an IPv4 address "
			       "other than loopback: give the address to use");
	return -ENOENT;
}

int clocks_open(struct clocks *c, const union endpoint *addr, int rank,
		int size, const struct clocks_opts *o, struct diag *d)
{
	int one = 1;
	char txt[ENDPOINT_STRLEN];

	memset(c, 0, sizeof(*c));
	c->rank = rank;
	c->size = size;
	c->o = o;
	c->peer = calloc((size_t)size, sizeof(*c->peer));
	if (!c->peer)
		return -ENOMEM;
	for (int i = 0; i < size; i++)
		clockest_init(&c->peer[i].est);
	c->fd = socket(addr->sa.sa_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0 ||
	    setsockopt(c->fd, SOL_SOCKET, SO_TIMESTAMPNS, &one,
		       sizeof(one)) < 0 ||
	    bind(c->fd, &addr->sa, endpoint_len(addr)) < 0) {
		int err = -errno;

		diag_error(d, NULL, 0, "clocks: cannot open a UDP socket on "
				       "\"%s\": %s",
			   endpoint_format(addr, txt, sizeof(txt)),
			   strerror(-err));
		clocks_close(c);
		return err;
	}
	return 0;
}

int clocks_endpoint(const struct clocks *c, union endpoint *out)
{
	socklen_t len = sizeof(*out);

	memset(out, 0, sizeof(*out));
	return getsockname(c->fd, &out->sa, &len) < 0 ? -errno : 0;
}

void clocks_set_peers(struct clocks *c, const union endpoint *all)
{
	for (int i = 0; i < c->size; i++)
		c->peer[i].addr = all[i];
}

void clocks_close(struct clocks *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->peer);
	c->peer = NULL;
}

static void clocks_send(struct clocks *c, int to, struct clockest_msg *m)
{
	uint8_t buf[CLOCKEST_MSG_LEN];

	m->rank = (uint16_t)c->rank;
	if (m->kind == CLOCKEST_PROBE)
		m->t1 = clocks_skewed(c, clocks_realtime());
	else
		m->t3 = clocks_skewed(c, clocks_realtime());
	clockest_encode(m, buf);
	/* a lost probe is only a missing sample: nothing to do on error */
	(void)sendto(c->fd, buf, sizeof(buf), MSG_DONTWAIT,
		     &c->peer[to].addr.sa, endpoint_len(&c->peer[to].addr));
}

/* Receive time of the datagram in msg: the kernel's, or now. */
static int64_t clocks_rx_time(const struct msghdr *msg)
{
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(msg); cm;
	     cm = CMSG_NXTHDR((struct msghdr *)msg, cm)) {
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_TIMESTAMPNS) {
			struct timespec ts;

			memcpy(&ts, CMSG_DATA(cm), sizeof(ts));
			return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
		}
	}
	return clocks_realtime();
}

/* Take every datagram waiting: answer probes, add answers to estimates. */
static void clocks_drain(struct clocks *c)
{
	for (;;) {
		uint8_t buf[CLOCKEST_MSG_LEN + 1];
		char cbuf[CMSG_SPACE(sizeof(struct timespec))];
		union endpoint from;
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr msg = { .msg_name = &from,
				      .msg_namelen = sizeof(from),
				      .msg_iov = &iov, .msg_iovlen = 1,
				      .msg_control = cbuf,
				      .msg_controllen = sizeof(cbuf) };
		struct clockest_msg m;
		const char *why;
		ssize_t n = recvmsg(c->fd, &msg, MSG_DONTWAIT);
		int64_t t;

		if (n < 0)
			return;
		t = clocks_skewed(c, clocks_rx_time(&msg));
		/* a rank's probes and answers come from its endpoint */
		if (!clockest_decode(buf, (size_t)n, &m, &why) ||
		    m.rank >= c->size || m.rank == c->rank ||
		    msg.msg_namelen != endpoint_len(&from) ||
		    !endpoint_equal(&from, &c->peer[m.rank].addr)) {
			c->bad++;
			continue;
		}
		if (m.kind == CLOCKEST_PROBE) {
			m.kind = CLOCKEST_ANSWER;
			m.t2 = t;
			clocks_send(c, m.rank, &m);
			continue;
		}
		struct clocks_peer *p = &c->peer[m.rank];
		struct clock_probe pr = { m.t1, m.t2, m.t3, t };

		p->answered++;
		clockest_add(&p->est, &pr);
	}
}

int clocks_run(struct clocks *c, struct diag *d)
{
	int64_t start = clocks_mono(), next = start;
	int64_t end = start + c->o->probes * c->o->interval_ns +
		      CLOCKS_GRACE_NS;
	uint32_t seq = 0;
	int sent = 0;

	(void)d;
	for (;;) {
		int64_t now = clocks_mono();
		struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
		int64_t wait;

		if (sent < c->o->probes && now >= next) {
			for (int i = 0; i < c->size; i++) {
				struct clockest_msg m = {
					.kind = CLOCKEST_PROBE, .seq = seq };

				if (i == c->rank)
					continue;
				clocks_send(c, i, &m);
				c->peer[i].sent++;
			}
			seq++;
			sent++;
			next += c->o->interval_ns;
		}
		if (now >= end)
			break;
		wait = (sent < c->o->probes ? next : end) - now;
		if (wait < 0)
			wait = 0;
		if (poll(&pfd, 1, (int)(wait / 1000000) + 1) > 0)
			clocks_drain(c);
	}
	clocks_drain(c);
	return 0;
}
