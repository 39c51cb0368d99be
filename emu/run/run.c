// SPDX-License-Identifier: MIT
/* run.c - drive the data plane: libev loop, release timerfd, spin, watchers */
/*
 * Threads: the data plane runs on the calling thread in a libev loop; the
 * geometry runs on its own (geom.c). Packet release uses one timerfd armed
 * (absolute, CLOCK_MONOTONIC) to the earliest due time of any link head,
 * watched by an ev_io: ev_timer cannot wait less than 1 ms on epoll, so it
 * is only used for things off the packet path (step changes, status, the
 * end of the run). With --spin the loop polls instead of sleeping in the
 * last T before each due release, under a duty cap (run_spin_now()).
 * Set-up and teardown are in setup.c, TAP writes and captures in output.c,
 * the banner and the summary in summary.c
 * (their lines in report.c).
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "emu/run/capture.h"
#include "emu/run/ingress.h"
#include "emu/run/log.h"
#include "emu/run/report.h"
#include "emu/run/run.h"
#include "tap/tap.h"
#include "topo/lib/util.h"
#include "topo/utc.h"

#define RUN_BATCH 64		/* frames read from one TAP per wake-up */
#define RUN_STATUS_FIRST 0.5	/* s before the first status line */
#define RUN_STATUS_EVERY 1.0	/* s between status lines */
#define RUN_STEP_MIN_WAIT 0.0005	/* s: the step timer's shortest wait */

const int run_signals[RUN_NSIGNALS] = { SIGINT, SIGTERM, SIGHUP };

int64_t run_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * UTC_NS_PER_S + ts.tv_nsec;
}

void run_signals_hold(sigset_t *old)
{
	sigset_t block;

	sigemptyset(&block);
	for (size_t i = 0; i < ARRAY_SIZE(run_signals); i++)
		sigaddset(&block, run_signals[i]);
	sigprocmask(SIG_BLOCK, &block, old);
}

void run_signals_release(void)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < ARRAY_SIZE(run_signals); i++) {
		signal(run_signals[i], SIG_DFL);
		sigaddset(&set, run_signals[i]);
	}
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* End the run because it failed: the first error wins. */
static void run_fail(struct run *r, int err)
{
	if (!r->error)
		r->error = err;
	run_stop(r, 0);
}

/* ---- the release timer --------------------------------------------------------- */

/*
 * Inside the spin window the loop polls and releases on time; a timer
 * firing at the due time then only interrupts it, and on this VM that
 * interrupt stalls the loop 5-50 us right when the packet is due
 * (docs/performance.md). So there the timer is set RUN_SPIN_GUARD after
 * the due time, a fallback in case the loop stops polling, and
 * run_spin_now() sets it back to the due time when the duty cap stops it.
 */
#define RUN_SPIN_GUARD (200 * INT64_C(1000))

/* Set the timerfd to fire at at (INT64_MAX: disarm) for the release due. */
static void run_arm_at(struct run *r, int64_t due, int64_t at)
{
	struct itimerspec its = { 0 };

	if (at != INT64_MAX) {
		if (at < 1)
			at = 1;
		its.it_value.tv_sec = at / UTC_NS_PER_S;
		its.it_value.tv_nsec = at % UTC_NS_PER_S;
	}
	r->armed_at = at;
	if (timerfd_settime(r->tfd, TFD_TIMER_ABSTIME, &its, NULL) < 0) {
		int ret = -errno;

		/* packets would wait forever: end the run, saying why */
		log_err(ret, "cannot arm the release timer");
		r->armed = INT64_MAX;
		run_fail(r, ret);
		return;
	}
	r->armed = due;
}

static void run_arm(struct run *r, int64_t due)
{
	int64_t at = due;

	if (due == r->armed)
		return;
	if (due != INT64_MAX && r->spin_ns) {
		/* T early starts the spin window; inside it, the fallback */
		at = due - r->spin_ns;
		if (at <= run_now())
			at = due + RUN_SPIN_GUARD;
	}
	run_arm_at(r, due, at);
}

void run_take_step(struct run *r, int64_t now)
{
	int64_t from = ring_cur(&r->geom.ring);

	if (geom_advance(&r->geom, now)) {
		/* the events first: the log then reads cause, effect */
		run_faults_step(r, from, ring_cur(&r->geom.ring));
		fwd_step(&r->fwd);
		if (r->shard)
			shard_step(r);
		if (r->web)
			web_publish(r->web);
	}
}

void run_release(struct run *r)
{
	int64_t now = run_now();

	/* a step change first: packets due now follow the new routes */
	run_take_step(r, now);
	run_arm(r, fwd_release(&r->fwd, now));
}

/*
 * Empty a nonblocking counter descriptor (timerfd, eventfd). EAGAIN means
 * nothing was pending (disarmed or re-armed in between): fine. 0 or -errno.
 */
static int run_drain(int fd)
{
	uint64_t v;

	if (read(fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return -errno;
	return 0;
}

static void run_timer_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct run *r = container_of(w, struct run, tfd_w);
	int ret;

	(void)loop;
	(void)revents;
	ret = run_drain(r->tfd);
	if (ret < 0) {
		log_err(ret, "cannot read the release timer");
		run_fail(r, ret);
		return;
	}
	run_spin_learn(r);
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

	if (!r->spin_ns)
		return false;
	now = run_now();
	if (now / RUN_SPIN_WINDOW != r->spin_win) {
		r->spin_win = now / RUN_SPIN_WINDOW;
		r->spin_used = 0;
	}
	due = fwd_next_due(&r->fwd);
	if (due == INT64_MAX || due - now > r->spin_ns)
		return false;
	if (r->spin_used >= RUN_SPIN_WINDOW / 100 * r->o.spin_duty) {
		/* no polling: the timer must fire at the due time itself */
		if (r->armed == due && r->armed_at > due)
			run_arm_at(r, due, due);
		return false;
	}
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
	int64_t off = ingress_begin(rp->tap);

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
		/* when it was sent, if the kernel said (ingress.h) */
		now = ingress_time(rp->tap, buf, (size_t)n, run_now(), off);
		run_capture(r, rp, buf, (size_t)n, now + r->rt_off);
		fwd_ingress(&r->fwd, rp->idx, buf, (size_t)n, now);
		/* a long batch does not hold back what fell due meanwhile */
		now = run_now();
		if (fwd_next_due(&r->fwd) <= now) {
			run_take_step(r, now);
			fwd_release(&r->fwd, now);
		}
	}
	run_release(r);
}

/* ---- geometry steps, status, end --------------------------------------------------- */

static void run_arm_step(struct run *r)
{
	/* wall time of the next step boundary */
	const struct ring *g = &r->geom.ring;
	int64_t at = ring_step_wall(g, ring_cur(g) + 1);
	double after = (double)(at - run_now()) / 1e9;

	ev_timer_stop(r->loop, &r->step_w);
	if (at == INT64_MAX)
		return;		/* paused: no step is ahead */
	ev_timer_set(&r->step_w,
		     after > RUN_STEP_MIN_WAIT ? after : RUN_STEP_MIN_WAIT, 0.);
	ev_timer_start(r->loop, &r->step_w);
}

/* The end of the duration, in orbital time: re-armed at every new scale. */
static void run_arm_end(struct run *r)
{
	const struct ring *g = &r->geom.ring;
	int64_t end, now = run_now();
	double after;

	ev_timer_stop(r->loop, &r->end_w);
	if (r->o.duration_ns <= 0 || g->scale <= 0.0)
		return;
	end = r->s->epoch_unix_ns + r->o.duration_ns;
	after = (double)(end - ring_orbital(g, now)) / g->scale / 1e9;
	ev_timer_set(&r->end_w, after > 0 ? after : 0., 0.);
	ev_timer_start(r->loop, &r->end_w);
}

void run_set_scale(struct run *r, double scale)
{
	run_set_scale_at(r, scale, run_now());
}

void run_set_scale_at(struct run *r, double scale, int64_t at)
{
	/* the step due by then first, under the old mapping */
	run_take_step(r, at);
	ring_set_scale(&r->geom.ring, at, scale);
	r->paused = scale <= 0.0;
	if (!r->paused)
		r->scale_run = scale;
	run_arm_step(r);
	run_arm_end(r);
}

/*
 * If the geometry thread failed, end the run saying where (the thread
 * wakes the loop through its eventfd; the step timer looks too, in case
 * even that write failed). Returns whether it failed.
 */
static bool run_geom_failed(struct run *r)
{
	int64_t step = 0;
	char when[40];
	int ret;

	ret = geom_failed(&r->geom, &step);
	if (!ret)
		return false;
	if (r->error)
		return true;	/* said already */
	utc_format_iso8601(ring_step_time(&r->geom.ring, step), 0, when,
			   sizeof(when));
	log_err(ret, "geometry thread failed to compute step %lld (orbital "
		"time %s); ending the run", (long long)step, when);
	run_fail(r, ret);
	return true;
}

static void run_step_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct run *r = container_of(w, struct run, step_w);

	(void)loop;
	(void)revents;
	if (run_geom_failed(r))
		return;
	run_take_step(r, run_now());
	run_arm_step(r);
}

/* A new step is ready, or the geometry thread failed: then end the run. */
static void run_geom_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct run *r = container_of(w, struct run, geom_w);
	int ret;

	(void)loop;
	(void)revents;
	ret = run_drain(r->geom.notify_fd);
	if (ret < 0) {
		log_err(ret, "cannot read the geometry thread's eventfd");
		run_fail(r, ret);
		return;
	}
	if (run_geom_failed(r))
		return;
	run_take_step(r, run_now());
}

static void run_status_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct run *r = container_of(w, struct run, status_w);

	(void)loop;
	(void)revents;
	report_status(ring_orbital(&r->geom.ring, run_now()),
		      ring_current(&r->geom.ring), &r->fwd.st,
		      run_overruns(r));
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

/* ---- the watchers ----------------------------------------------------------------- */

int run_watch_start(struct run *r)
{
	int ret;

	r->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (r->tfd < 0) {
		ret = -errno;
		log_err(ret, "cannot create the release timer (timerfd)");
		return ret;
	}
	r->loop = ev_loop_new(EVFLAG_AUTO | EVFLAG_NOSIGMASK);
	if (!r->loop) {
		log_err(-ENOMEM, "cannot create the event loop (libev)");
		return -ENOMEM;
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
	for (size_t i = 0; i < ARRAY_SIZE(run_signals); i++) {
		ev_signal_init(&r->sig_w[i], run_signal_cb, run_signals[i]);
		r->sig_w[i].data = r;
		ev_signal_start(r->loop, &r->sig_w[i]);
	}
	return 0;
}

void run_watch_stop(struct run *r)
{
	if (r->loop) {
		for (size_t i = 0; i < ARRAY_SIZE(run_signals); i++)
			ev_signal_stop(r->loop, &r->sig_w[i]);
		ev_timer_stop(r->loop, &r->step_w);
		ev_timer_stop(r->loop, &r->status_w);
		ev_timer_stop(r->loop, &r->end_w);
		ev_io_stop(r->loop, &r->tfd_w);
		ev_io_stop(r->loop, &r->geom_w);
		for (size_t i = 0; i < r->nopened; i++)
			ev_io_stop(r->loop, &r->port[i].w);
		ev_loop_destroy(r->loop);
	}
	r->loop = NULL;
	if (r->tfd >= 0)
		close(r->tfd);
	r->tfd = -1;
}

/* ---- the loop ---------------------------------------------------------------------- */

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
		log_warn(-errno, "no real-time priority, delays may jitter "
			 "under load");
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
	run_spin_init(r);
	run_idle_poll_begin(r);

	r->started_wall = run_now();
	if (r->shard) {
		/* every shard up; all start orbital time at one instant */
		ret = shard_start(r, &r->started_wall);
		if (ret < 0)
			return ret;
	}
	if (!r->o.quiet)
		run_banner(r);
	else
		run_banner_floor(r, stderr);
	if (!r->shard)
		r->started_wall = run_now();
	/* orbital time starts now, not when set-up started */
	ring_set_wall0(&r->geom.ring, r->started_wall);
	r->scale_run = r->geom.ring.scale;
	run_faults_start(r);
	if (r->web)
		web_publish(r->web);	/* the page has a step at once */
	run_arm_step(r);
	if (r->o.status) {
		ev_timer_set(&r->status_w, RUN_STATUS_FIRST, RUN_STATUS_EVERY);
		ev_timer_start(r->loop, &r->status_w);
	}
	run_arm_end(r);
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
	run_idle_poll_end(r);
	if (r->status_shown)
		fprintf(stderr, "\n");
	return r->error;
}
