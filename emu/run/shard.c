// SPDX-License-Identifier: MIT
/* shard.c - one shard of a mesh split over hosts: its peers, the UDP channel, start, digests, end */
/*
 * Every shard is a `lasermesh run` of the same configuration on its own
 * host; it computes the whole geometry and owns a part of the nodes
 * (topo/shard.h). One UDP socket per shard, bound to its endpoint (GENEVE's
 * port 6081 by default), carries everything between shards, in GENEVE
 * datagrams (emu/plane/geneve.h): frames crossing cut links, and control
 * messages.
 *
 * Start. Each shard, once its namespaces, TAPs and geometry are up, sends
 * a hello to every other every SHARD_HELLO_NS with the digest of its step
 * 0. Shard 0, when it has heard every other, picks orbital time 0 a little
 * ahead (SHARD_LEAD_NS) on the common clock (CLOCK_REALTIME: the hosts are
 * synchronised by chrony or linuxptp) and sends it in a start message,
 * again until each shard's hellos say it started; every shard then prints
 * "ready" and starts its orbital clock at that instant, so that all take
 * step k at the same moment. A step-0 digest that differs (another
 * configuration or binary) stops the start with an error; so does a shard
 * that is not up within SHARD_START_NS.
 *
 * During the run. Hellos go on; a shard silent for SHARD_DEAD_NS is dead
 * (killed, its host gone) and the run ends on every other with an error.
 * At each step the data plane takes, each shard sends the step's digest;
 * two different digests for a step, or none from a shard SHARD_DIGEST_NS
 * after we took that step, end the run with the step and the shards named.
 * A shard that ends for any reason sends bye (three times: UDP may lose
 * one); the others end too, with an error if it ended with one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "emu/plane/geneve.h"
#include "emu/run/log.h"
#include "emu/run/run.h"
#include "emu/run/shard.h"
#include "emu/run/shard_int.h"
#include "topo/lib/util.h"
#include "topo/utc.h"

#define SHARD_BATCH 64		/* datagrams read per wake-up */
#define SHARD_SOCKBUF (8 << 20) /* socket buffers, bytes */

/* ---- sending ------------------------------------------------------------- */

int64_t shard_realtime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * UTC_NS_PER_S + ts.tv_nsec;
}

static int64_t shard_rt(const struct shard *sh, int64_t mono)
{
	return mono + sh->run->rt_off;
}

void shard_send_msg(struct shard *sh, unsigned to, struct geneve_ctl *m)
{
	struct shard_peer *p = &sh->peer[to];
	uint8_t buf[GENEVE_CTL_LEN];

	m->shard = (uint16_t)sh->conf.self;
	m->seq = sh->ctl_seq++;
	geneve_ctl_build(buf, m);
	if (sendto(sh->fd, buf, sizeof(buf), 0, &p->addr.sa,
		   endpoint_len(&p->addr)) < 0)
		p->send_err++;
}

void shard_send_ctl(struct shard *sh, unsigned to, enum geneve_ctl_kind kind,
		    int64_t a, int64_t b, int64_t c)
{
	struct geneve_ctl m = {
	    .kind = (uint8_t)kind,
	    .a = a,
	    .b = b,
	    .c = c,
	};

	shard_send_msg(sh, to, &m);
}

void shard_send_all(struct shard *sh, enum geneve_ctl_kind kind, int64_t a,
		    int64_t b, int64_t c)
{
	for (unsigned i = 0; i < sh->conf.n; i++)
		if (i != sh->conf.self)
			shard_send_ctl(sh, i, kind, a, b, c);
}

/* The forwarder's cut_send: one frame to the shard that owns c->w. */
static void shard_cut_send(struct fwd *f, const struct fwd_cut *c)
{
	struct run *r = f->arg;
	struct shard *sh = r->shard;
	struct shard_peer *p = &sh->peer[sh->owner[c->w]];
	struct geneve_data d = {
	    .v = c->v,
	    .w = c->w,
	    .ingress = c->ingress,
	    .due_ns = shard_rt(sh, c->due_ns),
	    .shard = (uint16_t)sh->conf.self,
	    .flags = c->ttl_done ? GENEVE_F_TTL_DONE : 0,
	    .seq = p->seq_out++,
	};
	uint8_t hdr[GENEVE_DATA_HDR];
	struct iovec iov[2] = {
	    {.iov_base = hdr, .iov_len = sizeof(hdr)},
	    {.iov_base = (void *)c->frame, .iov_len = c->len},
	};
	struct msghdr mh = {
	    .msg_name = &p->addr,
	    .msg_namelen = endpoint_len(&p->addr),
	    .msg_iov = iov,
	    .msg_iovlen = 2,
	};

	memcpy(d.vnet, c->vnet, sizeof(d.vnet));
	geneve_data_hdr(hdr, &d);
	if (sendmsg(sh->fd, &mh, 0) < 0)
		p->send_err++;
	else
		p->tx++;
}

/* ---- ending the run ------------------------------------------------------ */

void shard_fail(struct shard *sh, int err)
{
	struct run *r = sh->run;

	if (!r->error)
		r->error = err;
	run_stop(r, 0);
}

/* ---- receiving ----------------------------------------------------------- */

static void shard_refuse(struct shard *sh, const char *why)
{
	sh->hostile++;
	sh->hostile_why = why;
}

/* Which shard sent from a (its endpoint), or -1. */
static int shard_from(const struct shard *sh, const union endpoint *a)
{
	for (unsigned i = 0; i < sh->conf.n; i++)
		if (i != sh->conf.self && endpoint_equal(&sh->peer[i].addr, a))
			return (int)i;
	return -1;
}

static void shard_data(struct shard *sh, unsigned i, const struct geneve_msg *m,
		       int64_t now)
{
	struct run *r = sh->run;
	struct shard_peer *p = &sh->peer[i];
	const struct geneve_data *d = &m->d;
	int64_t due, n = (int64_t)r->s->constel.n;
	struct fwd_cut c;

	if (!sh->started) {
		shard_refuse(sh, "frame before the start");
		return;
	}
	if (d->v >= n || d->w >= n || sh->owner[d->v] != i ||
	    sh->owner[d->w] != sh->conf.self) {
		shard_refuse(sh, "link not from that shard to this one");
		return;
	}
	/* sequence numbers: lost and reordered datagrams, per shard */
	if (d->seq == p->seq_next) {
		p->seq_next++;
	} else if ((int32_t)(d->seq - p->seq_next) > 0) {
		p->lost += d->seq - p->seq_next;
		p->seq_next = d->seq + 1;
	} else {
		p->reordered++;
		if (p->lost)
			p->lost--;
	}
	p->rx++;
	due = d->due_ns - r->rt_off;
	if (due < now) {
		sh->late++;
		hist_add(&sh->late_h, now - due);
	} else {
		hist_add(&sh->slack_h, due - now);
	}
	c = (struct fwd_cut){
	    .v = d->v,
	    .w = d->w,
	    .ingress = d->ingress,
	    .ttl_done = d->flags & GENEVE_F_TTL_DONE,
	    .frame = m->frame,
	    .len = m->frame_len,
	    .due_ns = due,
	};
	memcpy(c.vnet, d->vnet, sizeof(c.vnet));
	fwd_shard_ingress(&r->fwd, &c, now);
}

/* The kernel's receive time of a datagram (SO_TIMESTAMPNS), else dflt. */
static int64_t shard_rx_time(struct msghdr *mh, int64_t dflt)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c))
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_TIMESTAMPNS) {
			struct timespec ts;

			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			return ts.tv_sec * UTC_NS_PER_S + ts.tv_nsec;
		}
	return dflt;
}

static void shard_ctl(struct shard *sh, unsigned i, const struct geneve_ctl *m,
		      int64_t rx_rt)
{
	struct shard_peer *p = &sh->peer[i];

	switch ((enum geneve_ctl_kind)m->kind) {
	case GENEVE_C_HELLO:
		if (!p->hello && (uint64_t)m->a != sh->digest0) {
			log_err(0,
				"shard %u's geometry differs from this "
				"shard's (%u) at step 0: digest %016llx there, "
				"%016llx here (the same configuration and "
				"binary on every host?)",
				i, sh->conf.self, (unsigned long long)m->a,
				(unsigned long long)sh->digest0);
			shard_fail(sh, -EPROTO);
			return;
		}
		p->hello = true;
		p->measured = m->c != 0;
		if (m->b && sh->started && m->b == sh->t0_rt)
			p->acked = true;
		return;
	case GENEVE_C_START:
		if (i != 0 || sh->conf.self == 0)
			return;
		if (!sh->started) {
			sh->t0_rt = m->a;
			sh->started = true;
		}
		return;
	case GENEVE_C_DIGEST:
		shard_got_digest(sh, i, m->a, (uint64_t)m->b);
		return;
	case GENEVE_C_BYE:
		if (p->bye)
			return;
		p->bye = true;
		if (m->a) {
			log_err(0, "shard %u failed (%s); ending the run", i,
				strerror((int)-m->a));
			shard_fail(sh, -ECONNRESET);
		} else if (m->b) {
			/* its duration ended: ours ends now too */
			run_stop(sh->run, 0);
		} else {
			log_info("shard %u ended; ending the run", i);
			sh->run->shard_cut_short = true;
			run_stop(sh->run, 0);
		}
		return;
	case GENEVE_C_PROBE:
		/* t1 theirs, t2 when it came, t3 now (NTP's names) */
		shard_send_ctl(sh, i, GENEVE_C_ECHO, m->a, rx_rt,
			       shard_realtime());
		return;
	case GENEVE_C_ECHO: {
		struct clock_probe pr = {
		    .t1 = m->a, .t2 = m->b, .t3 = m->c, .t4 = rx_rt};

		clockest_add(&p->ce, &pr);
		return;
	}
	case GENEVE_C_EVENT:
		shard_got_event(sh, i, m);
		return;
	case GENEVE_C_CLOCK:
		shard_got_clock(sh, i, m);
		return;
	case GENEVE_C__COUNT:
		return;
	}
}

static void shard_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct shard *sh = container_of(w, struct shard, io_w);
	bool any = false;

	(void)loop;
	(void)revents;
	for (int k = 0; k < SHARD_BATCH; k++) {
		union endpoint from;
		union {
			char buf[CMSG_SPACE(sizeof(struct timespec))];
			struct cmsghdr align;
		} cm;
		struct iovec iov = {.iov_base = sh->rxbuf,
				    .iov_len = GENEVE_UDP_MAX + 1};
		struct msghdr mh = {
		    .msg_name = &from,
		    .msg_namelen = sizeof(from),
		    .msg_iov = &iov,
		    .msg_iovlen = 1,
		    .msg_control = cm.buf,
		    .msg_controllen = sizeof(cm.buf),
		};
		struct geneve_msg m;
		const char *why;
		int64_t now, rx_rt;
		ssize_t n;
		int i;

		n = recvmsg(sh->fd, &mh, 0);
		if (n < 0)
			break;
		now = run_now();
		rx_rt = shard_rx_time(&mh, shard_rt(sh, now));
		/* the kernel writes a sockaddr_in or a sockaddr_in6 */
		i = mh.msg_namelen >= sizeof(from.sa) &&
				    mh.msg_namelen == endpoint_len(&from)
			    ? shard_from(sh, &from)
			    : -1;
		if (i < 0) {
			shard_refuse(sh, "not from a shard's endpoint");
			continue;
		}
		if (!geneve_parse(sh->rxbuf, (size_t)n, &m, &why)) {
			shard_refuse(sh, why);
			continue;
		}
		if ((m.ctl ? m.c.shard : m.d.shard) != (unsigned)i) {
			shard_refuse(sh, "shard index not its endpoint's");
			continue;
		}
		sh->peer[i].heard = now;
		if (m.ctl) {
			shard_ctl(sh, (unsigned)i, &m.c, rx_rt);
		} else {
			shard_data(sh, (unsigned)i, &m, now);
			any = true;
		}
	}
	if (any && !sh->run->stopping)
		run_release(sh->run);
}

/* ---- the heartbeat ------------------------------------------------------- */

static void shard_hb_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct shard *sh = container_of(w, struct shard, hb_w);
	int64_t now = run_now();

	(void)loop;
	(void)revents;
	shard_send_all(sh, GENEVE_C_HELLO, (int64_t)sh->digest0,
		       sh->started ? sh->t0_rt : 0, shard_measured(sh));
	if (!sh->started || now >= sh->probe_at) {
		shard_probe(sh);
		sh->probe_at = now + SHARD_PROBE_NS;
	}
	if (sh->started && now >= sh->rule_at) {
		shard_rule(sh, false);
		sh->rule_at = now + SHARD_RULE_NS;
	}
	if (sh->conf.self == 0 && sh->started)
		for (unsigned i = 1; i < sh->conf.n; i++)
			if (!sh->peer[i].acked)
				shard_send_ctl(sh, i, GENEVE_C_START, sh->t0_rt,
					       0, 0);
	if (!sh->started)
		return;
	for (unsigned i = 0; i < sh->conf.n; i++) {
		struct shard_peer *p = &sh->peer[i];
		char txt[ENDPOINT_STRLEN];

		if (i == sh->conf.self || p->bye ||
		    now - p->heard < SHARD_DEAD_NS)
			continue;
		log_err(0,
			"shard %u (%s) silent for %.1f s: taken for "
			"dead; ending the run (on its host, `lasermesh "
			"cleanup` removes what it left)",
			i, endpoint_format(&p->addr, txt, sizeof(txt)),
			(double)(now - p->heard) / 1e9);
		shard_fail(sh, -EHOSTDOWN);
		return;
	}
	shard_check_missing(sh, now);
}

/* ---- set-up, start, end -------------------------------------------------- */

int shard_open(struct run *r)
{
	const struct shard_conf *c = &r->o.shards;
	struct shard *sh = calloc(1, sizeof(*sh));

	if (!sh)
		return -ENOMEM;
	r->shard = sh;
	sh->run = r;
	sh->conf = *c;
	sh->fd = -1;
	sh->peer = calloc(c->n, sizeof(*sh->peer));
	sh->owner = malloc(r->s->constel.n * sizeof(*sh->owner));
	sh->rxbuf = malloc(GENEVE_UDP_MAX + 1);
	if (!sh->peer || !sh->owner || !sh->rxbuf) {
		log_err(-ENOMEM, "cannot set up shard %u of %u", c->self, c->n);
		return -ENOMEM;
	}
	shard_partition(&r->s->constel, c->n, c->rule, c->pins, c->npins,
			sh->owner);
	for (size_t k = 0; k < SHARD_RING; k++)
		sh->own[k].step = -1;
	for (unsigned i = 0; i < c->n; i++) {
		sh->peer[i].addr = c->addr[i];
		sh->peer[i].last_step = -1;
		for (size_t k = 0; k < SHARD_RING; k++)
			sh->peer[i].dig[k].step = -1;
	}
	hist_init(&sh->late_h);
	hist_init(&sh->slack_h);
	for (unsigned i = 0; i < c->n; i++)
		clockest_init(&sh->peer[i].ce);
	sh->digest0 = shard_digest(ring_current(&r->geom.ring));
	sh->fd = c->fd; /* borrowed: the configuration closes it */
	ev_io_init(&sh->io_w, shard_io_cb, sh->fd, EV_READ);
	ev_io_start(r->loop, &sh->io_w);
	ev_timer_init(&sh->hb_w, shard_hb_cb, 0., (double)SHARD_HELLO_NS / 1e9);
	ev_timer_start(r->loop, &sh->hb_w);
	r->fwd.shard_of = sh->owner;
	r->fwd.shard_self = (uint16_t)c->self;
	r->fwd.cut_send = shard_cut_send;
	return 0;
}

/* Shard 0: every other shard said hello: orbital time 0 is decided. */
static bool shard_all_hello(const struct shard *sh)
{
	if (!shard_measured(sh))
		return false;
	for (unsigned i = 0; i < sh->conf.n; i++)
		if (i != sh->conf.self &&
		    (!sh->peer[i].hello || !sh->peer[i].measured))
			return false;
	return true;
}

int shard_start(struct run *r, int64_t *t0)
{
	struct shard *sh = r->shard;
	int64_t until = run_now() + SHARD_START_NS, now;
	struct timespec ts;
	int ret;

	while (!sh->started) {
		if (r->stopping)
			return r->error ? r->error : -EINTR;
		now = run_now();
		if (sh->conf.self == 0 && shard_all_hello(sh)) {
			sh->t0_rt = shard_realtime() + SHARD_LEAD_NS;
			sh->started = true;
			for (unsigned i = 1; i < sh->conf.n; i++)
				shard_send_ctl(sh, i, GENEVE_C_START, sh->t0_rt,
					       0, 0);
			break;
		}
		if (now > until) {
			char who[256] = "";
			size_t len = 0;

			for (unsigned i = 0; i < sh->conf.n; i++)
				if (i != sh->conf.self && !sh->peer[i].hello &&
				    len + 8 < sizeof(who))
					len += (size_t)snprintf(
					    who + len, sizeof(who) - len, " %u",
					    i);
			log_err(
			    0,
			    "shard %u: not every shard came up in "
			    "%.0f s (not heard:%s%s)",
			    sh->conf.self, (double)SHARD_START_NS / 1e9, who,
			    sh->conf.self ? "; or no start from shard 0" : "");
			return -ETIMEDOUT;
		}
		ev_run(r->loop, EVRUN_ONCE);
	}
	/* hellos now carry t0: shard 0 stops resending start */
	shard_send_all(sh, GENEVE_C_HELLO, (int64_t)sh->digest0, sh->t0_rt, 1);
	for (unsigned i = 0; i < sh->conf.n; i++)
		sh->peer[i].heard = run_now();
	ret = shard_rule(sh, true);
	if (ret < 0)
		return ret;
	sh->rule_at = run_now() + SHARD_RULE_NS;
	*t0 = sh->t0_rt - r->rt_off;
	ts.tv_sec = *t0 / UTC_NS_PER_S;
	ts.tv_nsec = *t0 % UTC_NS_PER_S;
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
	return 0;
}

void shard_close(struct run *r)
{
	struct shard *sh = r->shard;

	if (!sh)
		return;
	if (sh->fd >= 0) {
		int64_t why = r->error ? r->error : 0;
		/* ended by its duration, as every shard does at once */
		int64_t full = !r->error && !r->stop_signal &&
			       !r->shard_cut_short;

		for (int k = 0; k < 3; k++)
			shard_send_all(sh, GENEVE_C_BYE, why, full, 0);
	}
	if (r->fwd_ok && !r->o.quiet)
		shard_summary(sh);
	if (r->loop) {
		ev_io_stop(r->loop, &sh->io_w);
		ev_timer_stop(r->loop, &sh->hb_w);
		shard_clock_close(sh);
	}
	r->fwd.cut_send = NULL;
	r->fwd.shard_of = NULL;
	free(sh->peer);
	free(sh->owner);
	free(sh->rxbuf);
	free(sh);
	r->shard = NULL;
}
