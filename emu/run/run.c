// SPDX-License-Identifier: MIT
/* run.c - bring a run up, drive the data plane with libev and a timerfd, tear it down */
/*
 * Threads: the data plane runs on the calling thread in a libev loop; the
 * geometry runs on its own (geom.c). Packet release uses one timerfd armed
 * (absolute, CLOCK_MONOTONIC) to the earliest due time of any link head,
 * watched by an ev_io: ev_timer cannot wait less than 1 ms on epoll, so it
 * is only used for things off the packet path (step changes, status, the
 * end of the run). With --spin the loop polls instead of sleeping in the
 * last T before each due release, under a duty cap (run_spin_now()).
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <net/if_arp.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "emu/net/addr.h"
#include "emu/run/capture.h"
#include "emu/run/run.h"
#include "tap/hosts.h"
#include "tap/mark.h"
#include "tap/node.h"
#include "tap/runfile.h"
#include "tap/tap.h"
#include "topo/utc.h"

#define RUN_BATCH 64		/* frames read from one TAP per wake-up */
#define RUN_TAP_QUEUE 8192	/* frames the kernel holds for us per TAP */

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

int64_t run_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * UTC_NS_PER_S + ts.tv_nsec;
}

static int64_t run_realtime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * UTC_NS_PER_S + ts.tv_nsec;
}

/* ---- output to a TAP (the forwarder's callback) ---------------------------- */

static int run_output(struct fwd *f, struct fwd_port *p, const uint8_t *buf,
		      size_t len, int64_t now)
{
	struct run *r = f->arg;
	struct run_port *rp = &r->port[p - f->port];
	int64_t stamp;
	ssize_t n;

	(void)now;
	/* stamped at release, before the receiving kernel handles it */
	stamp = run_now() + r->rt_off;
	n = tap_write(rp->tap, buf, len);
	if (n < 0)
		return (int)n;
	if (rp->cap && len > PKT_VNET_LEN)
		capture_frame(rp->cap, buf + PKT_VNET_LEN, len - PKT_VNET_LEN,
			      stamp);
	return 0;
}

/* ---- the release timer --------------------------------------------------------- */

static void run_arm(struct run *r, int64_t due)
{
	struct itimerspec its = { 0 };
	int64_t at;

	if (due == r->armed)
		return;
	r->armed = due;
	if (due != INT64_MAX) {
		/* T early starts the spin window; once inside it, at due */
		at = due - r->o.spin_ns;
		if (at <= run_now())
			at = due;
		if (at < 1)
			at = 1;
		its.it_value.tv_sec = at / UTC_NS_PER_S;
		its.it_value.tv_nsec = at % UTC_NS_PER_S;
	}
	timerfd_settime(r->tfd, TFD_TIMER_ABSTIME, &its, NULL);
}

static void run_release(struct run *r)
{
	int64_t now = run_now();

	/* a step change first: packets due now follow the new routes */
	if (geom_advance(&r->geom, now))
		fwd_step(&r->fwd);
	run_arm(r, fwd_release(&r->fwd, now));
}

static void run_timer_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct run *r = container_of(w, struct run, tfd_w);
	uint64_t exp;

	(void)loop;
	(void)revents;
	if (read(r->tfd, &exp, sizeof(exp)) < 0) {
		/* EAGAIN: disarmed or re-armed in between */
	}
	r->armed = INT64_MAX;	/* it fired: re-arm whatever is next */
	run_release(r);
}

/*
 * Spin mode (--spin T). Waking a halted virtual CPU takes tens of
 * microseconds here, and a frame read late starts its logical clock late.
 * So in the last T before each due release the loop polls instead of
 * sleeping: TAPs are read (ev_run without waiting) and packets released the
 * moment they are due. The timerfd is armed T early to start that window.
 * A duty cap (--spin-duty, default 50%) limits the polling to that share
 * of each 100 ms, so that a SCHED_FIFO thread never meets the kernel's RT
 * throttling (a 50 ms stall once 950 ms of a second were used) and leaves
 * its CPU's softirq work room; past the cap the loop sleeps as without
 * spin until the next 100 ms. Returns whether it polled.
 */
#define RUN_SPIN_WINDOW (100 * INT64_C(1000000))

static bool run_spin_now(struct run *r)
{
	int64_t now, due, after;

	if (!r->o.spin_ns)
		return false;
	now = run_now();
	if (now / RUN_SPIN_WINDOW != r->spin_win) {
		r->spin_win = now / RUN_SPIN_WINDOW;
		r->spin_used = 0;
	}
	due = fwd_next_due(&r->fwd);
	if (due == INT64_MAX || due - now > r->o.spin_ns ||
	    r->spin_used >= RUN_SPIN_WINDOW / 100 * r->o.spin_duty)
		return false;
	ev_run(r->loop, EVRUN_NOWAIT);
	if (fwd_next_due(&r->fwd) <= run_now())
		run_release(r);
	after = run_now();
	r->spin_used += after - now;
	r->spin_total += after - now;
	return true;
}

/* ---- frames from the TAPs -------------------------------------------------------- */

static void run_tap_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct run_port *rp = container_of(w, struct run_port, w);
	struct run *r = rp->run;

	(void)loop;
	(void)revents;
	for (int i = 0; i < RUN_BATCH; i++) {
		uint8_t *buf = fwd_rx_buffer(&r->fwd);
		ssize_t n;
		int64_t now;

		if (!buf)
			buf = r->rxbuf;	/* out of memory: read and drop */
		n = tap_read(rp->tap, buf, PKT_BUF_MAX);
		if (n <= 0)
			break;
		now = run_now();
		if (rp->cap && n > PKT_VNET_LEN)
			capture_frame(rp->cap, buf + PKT_VNET_LEN,
				      (size_t)n - PKT_VNET_LEN, now + r->rt_off);
		fwd_ingress(&r->fwd, rp->idx, buf, (size_t)n, now);
	}
	run_release(r);
}

/* ---- geometry steps, status, end --------------------------------------------------- */

static void run_arm_step(struct run *r)
{
	/* wall time of the next step boundary */
	int64_t k = atomic_load(&r->geom.cur) + 1;
	double orb = (double)(k * r->geom.step_ns);
	int64_t at = r->wall0 + (int64_t)(orb / r->geom.scale);
	double after = (double)(at - run_now()) / 1e9;

	ev_timer_set(&r->step_w, after > 0.0005 ? after : 0.0005, 0.);
	ev_timer_start(r->loop, &r->step_w);
}

static void run_step_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct run *r = container_of(w, struct run, step_w);

	(void)loop;
	(void)revents;
	if (geom_advance(&r->geom, run_now()))
		fwd_step(&r->fwd);
	run_arm_step(r);
}

static void run_geom_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct run *r = container_of(w, struct run, geom_w);
	uint64_t v;

	(void)loop;
	(void)revents;
	if (read(r->geom.notify_fd, &v, sizeof(v)) < 0) {
		/* nothing pending */
	}
	if (r->geom.error) {
		fprintf(stderr, "lasermesh run: geometry thread failed: %s\n",
			strerror(-r->geom.error));
		run_stop(r, 0);
		return;
	}
	if (geom_advance(&r->geom, run_now()))
		fwd_step(&r->fwd);
}

static uint64_t run_overruns(struct run *r)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < r->nports; i++) {
		struct run_port *rp = &r->port[i];
		uint64_t d;

		if (tap_tx_dropped(rp->tap, &d) == 0 && d >= rp->tx_dropped0)
			rp->overrun = d - rp->tx_dropped0;
		sum += rp->overrun;
	}
	return sum;
}

static uint64_t run_dropped(const struct fwd_stats *s)
{
	uint64_t n = 0;

	for (int i = 0; i < FWD_D__COUNT; i++)
		n += s->drop[i];
	return n;
}

static void run_status_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct run *r = container_of(w, struct run, status_w);
	const struct topo_state *st = geom_current(&r->geom);
	const struct fwd_stats *s = &r->fwd.st;
	char when[40];

	(void)loop;
	(void)revents;
	utc_format_iso8601(geom_orbital(&r->geom, run_now()), 0, when,
			   sizeof(when));
	fprintf(stderr, "\r\033[K%s  links %zu isl %zu gsl  route changes %llu"
		"  forwarded %llu  delivered %llu  dropped %llu  overrun %llu",
		when, st->cnt.isl_up, st->cnt.gsl_up,
		(unsigned long long)s->route_changes,
		(unsigned long long)s->forwarded,
		(unsigned long long)s->delivered,
		(unsigned long long)run_dropped(s),
		(unsigned long long)run_overruns(r));
	r->status_shown = true;
}

static void run_end_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct run *r = container_of(w, struct run, end_w);

	(void)loop;
	(void)revents;
	run_stop(r, 0);
}

static void run_signal_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct run *r = w->data;

	(void)loop;
	(void)revents;
	if (r->o.on_signal)
		r->o.on_signal(r, w->signum, r->o.arg);
	else
		run_stop(r, w->signum);
}

void run_stop(struct run *r, int sig)
{
	if (sig && !r->stop_signal)
		r->stop_signal = sig;
	r->stopping = true;
	ev_break(r->loop, EVBREAK_ALL);
}

/* ---- set-up and teardown ------------------------------------------------------------- */

static int run_hosts(struct run *r)
{
	const struct constel *c = &r->s->constel;
	struct hosts_entry *e;
	const char **names;
	struct owner me;
	char *buf = NULL;
	size_t len;
	int ret;

	ret = owner_of(getpid(), &me);
	if (ret < 0)
		return ret;
	e = calloc(c->n ? c->n : 1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	for (size_t i = 0; i < c->n; i++) {
		e[i].name = c->node[i].name;
		e[i].has_v4 = e[i].has_v6 = true;
		e[i].v4 = addr_v4((uint32_t)i);
		e[i].v6 = addr_v6((uint32_t)i);
	}
	ret = hosts_render(&me, e, c->n, &buf, &len);
	free(e);
	if (ret < 0)
		return ret;
	names = calloc(r->nopened ? r->nopened : 1, sizeof(*names));
	if (!names) {
		free(buf);
		return -ENOMEM;
	}
	for (size_t i = 0; i < r->nopened; i++)
		names[i] = c->node[r->s->tapped[i]].name;
	ret = hosts_write(names, r->nopened, buf, len);
	free(names);
	free(buf);
	return ret;
}

static int run_open_port(struct run *r, size_t i)
{
	uint32_t node = r->s->tapped[i];
	const char *name = r->s->constel.node[node].name;
	struct run_port *rp = &r->port[i];
	struct node_conf tn = {
		.netns = name,
		.has_mac = true,
		.mtu = r->cfg->mtu,
		/*
		 * The TAP's ring: frames wait there while the data plane
		 * wakes; the kernel's 1,000 overran under 100k frames/s.
		 */
		.txqlen = RUN_TAP_QUEUE,
		.has_v4 = true,
		.has_v6 = true,
		.v4 = addr_v4(node),
		.v4_prefix = ADDR_V4_PREFIX_LEN,
		.v6 = addr_v6(node),
		.v6_prefix = ADDR_V6_PREFIX_LEN,
	};
	char why[512];
	int ret;

	rp->run = r;
	rp->idx = i;
	addr_mac(node, tn.mac);
	ret = node_open(&tn, &rp->tap);
	if (ret < 0) {
		fprintf(stderr, "lasermesh run: node \"%s\": cannot set up its "
			"namespace and TAP: %s\n", name,
			node_strerror(name, ret, why, sizeof(why)));
		return ret;
	}
	r->nopened = i + 1;
	if (tap_tx_dropped(rp->tap, &rp->tx_dropped0) < 0)
		rp->tx_dropped0 = 0;
	if (r->o.capture_dir) {
		char err[256];

		err[0] = '\0';
		ret = capture_open(r->o.capture_dir, name, r->o.snaplen,
				   &rp->cap, err, sizeof(err));
		if (ret < 0) {
			fprintf(stderr, "lasermesh run: capture \"%s/%s.pcap\": "
				"%s\n", r->o.capture_dir, name,
				err[0] ? err : strerror(-ret));
			return ret;
		}
	}
	return 0;
}

/*
 * Close the TAPs first, deferred (tap.h: the kernel then deletes them with
 * their namespaces in batches, ~0.1 ms each, instead of ~20 ms per TAP on
 * close), then remove the namespaces and hosts files.
 */
static void run_close_ports(struct run *r)
{
	const struct constel *c = &r->s->constel;

	for (size_t i = 0; i < r->nopened; i++) {
		struct run_port *rp = &r->port[i];

		if (r->loop)
			ev_io_stop(r->loop, &rp->w);
		capture_close(rp->cap);
		rp->cap = NULL;
		tap_free_deferred(rp->tap);
		rp->tap = NULL;
	}
	for (size_t i = 0; i < r->nopened; i++) {
		const char *name = c->node[r->s->tapped[i]].name;
		int ret = node_remove(name);

		if (ret < 0 && ret != -ENOENT)
			fprintf(stderr, "lasermesh run: node \"%s\": cannot "
				"remove its namespace: %s (lasermesh cleanup "
				"retries)\n", name, strerror(-ret));
	}
	r->nopened = 0;
}

/* Each tapped node holds two descriptors (TAP, netlink): raise the limit. */
static int run_raise_nofile(size_t nodes)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)(2 * nodes + 256);

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -errno;
	if (rl.rlim_cur >= want)
		return 0;
	if (rl.rlim_max < want)
		rl.rlim_max = want;	/* root may raise the hard limit */
	rl.rlim_cur = want;
	return setrlimit(RLIMIT_NOFILE, &rl) < 0 ? -errno : 0;
}

static void run_banner(struct run *r)
{
	const struct constel *c = &r->s->constel;
	char v4[INET_ADDRSTRLEN], v6[INET6_ADDRSTRLEN], when[40];

	utc_format_iso8601(r->cfg->epoch_unix_ns, 0, when, sizeof(when));
	printf("lasermesh: %zu satellites, %zu ground stations, epoch %s, "
	       "time scale %g\n", c->nsat, c->n - c->nsat, when,
	       r->geom.scale);
	printf("%-20s %-15s %-22s %s\n", "node", "ipv4", "ipv6", "interface");
	for (size_t i = 0; i < r->nports; i++) {
		uint32_t v = r->s->tapped[i];
		struct in_addr a4 = addr_v4(v);
		struct in6_addr a6 = addr_v6(v);

		inet_ntop(AF_INET, &a4, v4, sizeof(v4));
		inet_ntop(AF_INET6, &a6, v6, sizeof(v6));
		printf("%-20s %-15s %-22s %s\n", c->node[v].name, v4, v6,
		       r->port[i].tap->ifname);
	}
	if (r->nports >= 2)
		printf("ready: try  ip netns exec %s ping %s   or   lasermesh "
		       "exec %s -- traceroute %s\n",
		       c->node[r->s->tapped[0]].name,
		       c->node[r->s->tapped[1]].name,
		       c->node[r->s->tapped[0]].name,
		       c->node[r->s->tapped[1]].name);
	else
		printf("ready\n");
	fflush(stdout);
}

int run_setup(struct run *r, const struct config *c, struct scenario *s,
	      const struct run_opts *o)
{
	sigset_t block, old;
	const int sigs[3] = { SIGINT, SIGTERM, SIGHUP };
	int ret;

	memset(r, 0, sizeof(*r));
	r->cfg = c;
	r->s = s;
	r->o = *o;
	r->tfd = -1;
	r->armed = INT64_MAX;
	if (r->o.time_scale <= 0)
		r->o.time_scale = c->time_scale;
	if (r->o.duration_ns < 0)
		r->o.duration_ns = c->duration_ns;
	if (!s->ntapped) {
		fprintf(stderr, "lasermesh run: no node is tapped ([tap] "
			"nodes)\n");
		return -EINVAL;
	}
	if (o->capture_dir && mkdir(o->capture_dir, 0755) < 0 &&
	    errno != EEXIST) {
		ret = -errno;
		fprintf(stderr, "lasermesh run: capture directory \"%s\": %s\n",
			o->capture_dir, strerror(errno));
		return ret;
	}
	/* a closed stdout must not kill the run before its teardown */
	signal(SIGPIPE, SIG_IGN);
	/* signals wait until the loop handles them: set-up is not cut short */
	sigemptyset(&block);
	for (int i = 0; i < 3; i++)
		sigaddset(&block, sigs[i]);
	sigprocmask(SIG_BLOCK, &block, &old);

	r->nports = s->ntapped;
	r->port = calloc(r->nports, sizeof(*r->port));
	r->rxbuf = malloc(PKT_BUF_MAX);
	if (!r->port || !r->rxbuf) {
		ret = -ENOMEM;
		goto fail;
	}
	ret = run_raise_nofile(r->nports);
	if (ret < 0) {
		fprintf(stderr, "lasermesh run: cannot allow %zu open files "
			"for %zu nodes: %s\n", 2 * r->nports + 256, r->nports,
			strerror(-ret));
		goto fail;
	}
	{
		const char **names = calloc(r->nports, sizeof(*names));

		if (!names) {
			ret = -ENOMEM;
			goto fail;
		}
		for (size_t i = 0; i < r->nports; i++)
			names[i] = s->constel.node[s->tapped[i]].name;
		/* before any namespace: a kill -9 from here on is recoverable */
		ret = runfile_write(getpid(), r->cfg->path, names, r->nports);
		free(names);
		if (ret < 0) {
			fprintf(stderr, "lasermesh run: cannot write the run "
				"file under %s: %s\n", MARK_DIR,
				strerror(-ret));
			goto fail;
		}
	}
	for (size_t i = 0; i < r->nports; i++) {
		ret = run_open_port(r, i);
		if (ret < 0)
			goto fail;
	}
	ret = run_hosts(r);
	if (ret < 0) {
		fprintf(stderr, "lasermesh run: cannot write the hosts files: "
			"%s\n", strerror(-ret));
		goto fail;
	}

	r->wall0 = run_now();
	r->rt_off = run_realtime() - run_now();
	ret = geom_init(&r->geom, &s->model, c->epoch_unix_ns, c->step_ns,
			r->o.time_scale, r->wall0);
	if (ret < 0) {
		fprintf(stderr, "lasermesh run: geometry: %s\n",
			strerror(-ret));
		goto fail;
	}
	r->geom_ok = true;
	{
		struct fwd_port *fp = calloc(r->nports, sizeof(*fp));

		if (!fp) {
			ret = -ENOMEM;
			goto fail;
		}
		for (size_t i = 0; i < r->nports; i++) {
			fp[i].node = s->tapped[i];
			fp[i].fd = r->port[i].tap->fd;
			addr_mac(s->tapped[i], fp[i].mac);
		}
		ret = fwd_init(&r->fwd, &r->geom, &s->constel, fp, r->nports,
			       &c->isl.lp, &c->gsl.lp, c->seed, run_output, r);
		free(fp);
		if (ret < 0)
			goto fail;
		r->fwd_ok = true;
	}
	r->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (r->tfd < 0) {
		ret = -errno;
		goto fail;
	}
	r->loop = ev_loop_new(EVFLAG_AUTO | EVFLAG_NOSIGMASK);
	if (!r->loop) {
		ret = -ENOMEM;
		goto fail;
	}
	ev_io_init(&r->tfd_w, run_timer_cb, r->tfd, EV_READ);
	ev_io_start(r->loop, &r->tfd_w);
	for (size_t i = 0; i < r->nports; i++) {
		ev_io_init(&r->port[i].w, run_tap_cb, r->port[i].tap->fd,
			   EV_READ);
		ev_io_start(r->loop, &r->port[i].w);
	}
	ev_io_init(&r->geom_w, run_geom_cb, r->geom.notify_fd, EV_READ);
	ev_io_start(r->loop, &r->geom_w);
	ev_init(&r->step_w, run_step_cb);
	ev_init(&r->status_w, run_status_cb);
	ev_init(&r->end_w, run_end_cb);
	for (int i = 0; i < 3; i++) {
		ev_signal_init(&r->sig_w[i], run_signal_cb, sigs[i]);
		r->sig_w[i].data = r;
		ev_signal_start(r->loop, &r->sig_w[i]);
	}
	ret = geom_start(&r->geom);
	if (ret < 0)
		goto fail;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return 0;

fail:
	run_teardown(r);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}

/*
 * The data plane's thread gets SCHED_FIFO (reset on fork, so neither the
 * geometry thread started before nor wrap's command inherits it) and a
 * 1 ns timer slack: with both CPUs busy a normal thread can lose a whole
 * scheduler slice (milliseconds) right when a packet is due. The kernel's
 * RT throttling still leaves 5% to others if the thread ever spins.
 */
static void run_realtime_prio(struct run *r)
{
	struct sched_param sp = { .sched_priority = 10 };

	prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
	if (r->o.no_realtime)
		return;
	if (sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp) < 0 &&
	    !r->o.quiet)
		fprintf(stderr, "lasermesh: no real-time priority (%s): "
			"delays may jitter under load\n", strerror(errno));
}

static void run_normal_prio(void)
{
	struct sched_param sp = { .sched_priority = 0 };

	sched_setscheduler(0, SCHED_OTHER, &sp);
}

int run_loop(struct run *r)
{
	int ret = 0;

	run_realtime_prio(r);

	if (!r->o.quiet)
		run_banner(r);
	r->started_wall = run_now();
	/* orbital time starts now, not when set-up started */
	r->geom.wall0 = r->started_wall;
	r->wall0 = r->started_wall;
	run_arm_step(r);
	if (r->o.status) {
		ev_timer_set(&r->status_w, 0.5, 1.0);
		ev_timer_start(r->loop, &r->status_w);
	}
	if (r->o.duration_ns > 0) {
		ev_timer_set(&r->end_w,
			     (double)r->o.duration_ns / 1e9 / r->geom.scale,
			     0.);
		ev_timer_start(r->loop, &r->end_w);
	}
	if (r->o.ready) {
		ret = r->o.ready(r, r->o.arg);
		if (ret < 0)
			return ret;
	}
	while (!r->stopping) {
		if (run_spin_now(r))
			continue;
		ev_run(r->loop, EVRUN_ONCE);
	}
	run_normal_prio();
	if (r->status_shown)
		fprintf(stderr, "\n");
	return ret;
}

struct run_busy {
	uint32_t a, b;
	const struct link *l;
};

struct run_busy_acc {
	struct run_busy top[10];
	size_t n;
};

static void run_busy_cb(uint32_t a, uint32_t b, const struct link *l,
			void *arg)
{
	struct run_busy_acc *acc = arg;
	size_t i;

	if (!l->stats.sent_bytes && !l->stats.drop_queue_pkts &&
	    !l->stats.drop_loss_pkts)
		return;
	for (i = acc->n; i > 0; i--) {
		if (acc->top[i - 1].l->stats.sent_bytes >= l->stats.sent_bytes)
			break;
		if (i < 10)
			acc->top[i] = acc->top[i - 1];
	}
	if (i < 10) {
		acc->top[i] = (struct run_busy){ a, b, l };
		if (acc->n < 10)
			acc->n++;
	}
}

static void run_summary(struct run *r)
{
	const struct constel *c = &r->s->constel;
	const struct fwd_stats *s = &r->fwd.st;
	struct run_busy_acc acc = { .n = 0 };
	double secs = (double)(run_now() - r->started_wall) / 1e9;
	uint64_t overruns = run_overruns(r);

	fprintf(stderr, "lasermesh: ran %.1f s; frames read %llu, written "
		"%llu, hops %llu, delivered %llu; route changes %llu\n", secs,
		(unsigned long long)s->rx_frames,
		(unsigned long long)s->tx_frames,
		(unsigned long long)s->forwarded,
		(unsigned long long)s->delivered,
		(unsigned long long)s->route_changes);
	fprintf(stderr, "  answered: arp %llu, nd %llu, echo %llu, icmp "
		"errors %llu\n", (unsigned long long)s->arp_replies,
		(unsigned long long)s->nd_replies,
		(unsigned long long)s->echo_replies,
		(unsigned long long)s->icmp_errors);
	fprintf(stderr, "  dropped:");
	for (int i = 0; i < FWD_D__COUNT; i++)
		if (s->drop[i])
			fprintf(stderr, " %s %llu", fwd_drop_name(i),
				(unsigned long long)s->drop[i]);
	fprintf(stderr, "%s\n", run_dropped(s) ? "" : " none");
	fprintf(stderr, "  overrun (kernel dropped, emulator behind): %llu\n",
		(unsigned long long)overruns);
	if (r->o.spin_ns)
		fprintf(stderr, "  spin: %.1f%% of the run spent polling\n",
			secs > 0 ? 100.0 * (double)r->spin_total / 1e9 / secs :
				   0.0);
	if (r->fwd.late.count)
		fprintf(stderr, "  release lateness: p50 %lld ns, p99 %lld "
			"ns, max %lld ns\n",
			(long long)hist_percentile(&r->fwd.late, 50),
			(long long)hist_percentile(&r->fwd.late, 99),
			(long long)r->fwd.late.max);
	fprintf(stderr, "  %-20s %10s %12s %10s %8s %8s\n", "node",
		"sent", "sent bytes", "received", "dropped", "overrun");
	for (size_t i = 0; i < r->nports; i++) {
		const struct fwd_port *p = &r->fwd.port[i];

		fprintf(stderr, "  %-20s %10llu %12llu %10llu %8llu %8llu\n",
			c->node[p->node].name,
			(unsigned long long)p->rx_frames,
			(unsigned long long)p->rx_bytes,
			(unsigned long long)p->tx_frames,
			(unsigned long long)p->drops,
			(unsigned long long)r->port[i].overrun);
	}
	fwd_links_foreach(&r->fwd, run_busy_cb, &acc);
	if (acc.n)
		fprintf(stderr, "  busiest links: %-29s %10s %12s %8s %8s %8s\n",
			"", "packets", "bytes", "queue", "loss", "down");
	for (size_t i = 0; i < acc.n; i++) {
		const struct link_stats *ls = &acc.top[i].l->stats;
		char name[2 * CONSTEL_NAME_MAX + 2];

		snprintf(name, sizeof(name), "%s>%s", c->node[acc.top[i].a].name,
			 c->node[acc.top[i].b].name);
		fprintf(stderr, "  %-44s %10llu %12llu %8llu %8llu %8llu\n",
			name, (unsigned long long)ls->sent_pkts,
			(unsigned long long)ls->sent_bytes,
			(unsigned long long)ls->drop_queue_pkts,
			(unsigned long long)ls->drop_loss_pkts,
			(unsigned long long)(ls->drop_flush_pkts +
					     ls->drop_down_pkts));
	}
}

void run_teardown(struct run *r)
{
	sigset_t block;

	/* a second Ctrl-C must not cut the teardown short: hold signals */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, NULL);
	if (r->fwd_ok && !r->o.quiet)
		run_summary(r);
	if (r->loop) {
		for (int i = 0; i < 3; i++)
			ev_signal_stop(r->loop, &r->sig_w[i]);
		ev_timer_stop(r->loop, &r->step_w);
		ev_timer_stop(r->loop, &r->status_w);
		ev_timer_stop(r->loop, &r->end_w);
		ev_io_stop(r->loop, &r->tfd_w);
		ev_io_stop(r->loop, &r->geom_w);
	}
	if (r->geom_ok)
		geom_free(&r->geom);	/* joins the thread first */
	run_close_ports(r);
	if (r->fwd_ok)
		fwd_free(&r->fwd);
	r->geom_ok = r->fwd_ok = false;
	if (r->loop)
		ev_loop_destroy(r->loop);
	r->loop = NULL;
	if (r->tfd >= 0)
		close(r->tfd);
	r->tfd = -1;
	runfile_remove(getpid());
	free(r->port);
	free(r->rxbuf);
	r->port = NULL;
	r->rxbuf = NULL;
}
