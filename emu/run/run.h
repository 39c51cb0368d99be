/* SPDX-License-Identifier: MIT */
/* run.h - one emulation run: namespaces and TAPs up, the data plane loop, teardown */
#ifndef EMU_RUN_H
#define EMU_RUN_H

#include <ev.h>
#include <stdbool.h>
#include <stdint.h>

#include "emu/conf/config.h"
#include "emu/plane/fwd.h"
#include "emu/run/geom.h"
#include "emu/conf/scenario.h"

struct run;

struct run_opts {
	const char *capture_dir;	/* one pcap per tapped node, or NULL */
	unsigned snaplen;		/* 0 = whole frames */
	int64_t duration_ns;		/* < 0: the configuration's */
	double time_scale;		/* 0: the configuration's */
	int64_t spin_ns;		/* busy-wait margin before a release */
	int spin_duty;			/* % of each 100 ms it may poll */
	bool status;			/* live status line on stderr */
	bool no_realtime;		/* keep the data plane SCHED_OTHER */
	bool quiet;			/* no banner and no summary */
	/* called once everything is up (wrap starts its command here) */
	int (*ready)(struct run *r, void *arg);
	/* SIGINT/SIGTERM/SIGHUP: NULL stops the run, else this is called */
	void (*on_signal)(struct run *r, int sig, void *arg);
	void *arg;
};

struct run_port {
	ev_io w;			/* readable TAP */
	struct run *run;
	size_t idx;
	struct tap *tap;
	struct capture *cap;
	uint64_t tx_dropped0;		/* kernel drops before we started */
	uint64_t overrun;		/* kernel drops while we ran */
};

struct run {
	const struct config *cfg;
	struct scenario *s;
	struct run_opts o;
	struct ev_loop *loop;
	struct geom geom;
	struct fwd fwd;
	bool geom_ok, fwd_ok;
	struct run_port *port;
	size_t nports, nopened;
	int tfd;			/* release timer (timerfd) */
	ev_io tfd_w;
	int64_t armed;			/* when tfd fires, INT64_MAX: disarmed */
	ev_io geom_w;			/* a new geometry step is ready */
	ev_timer step_w, status_w, end_w;
	ev_signal sig_w[3];
	int64_t wall0;			/* CLOCK_MONOTONIC at orbital epoch */
	int64_t rt_off;			/* CLOCK_REALTIME - CLOCK_MONOTONIC */
	uint8_t *rxbuf;
	int stop_signal;		/* signal that ended the run, or 0 */
	bool stopping;
	bool status_shown;
	int64_t started_wall;
	int64_t spin_win, spin_used;	/* spin duty cap, see run.c */
	int64_t spin_total;
};

/* CLOCK_MONOTONIC in ns: the data plane's clock. */
int64_t run_now(void);

/*
 * Bring a run up: for every tapped node a namespace named after it, a TAP
 * inside with its addresses and MTU, the hosts file; then the geometry
 * thread and the forwarder. Prints progress errors to stderr. On failure
 * everything made so far is removed. 0 or -errno.
 */
int run_setup(struct run *r, const struct config *c, struct scenario *s,
	      const struct run_opts *o);
/* Forward until the duration ends, a signal arrives or run_stop(). */
int run_loop(struct run *r);
/* End the loop (from a watcher); sig is remembered for the exit status. */
void run_stop(struct run *r, int sig);
/* Print the summary (unless quiet), remove every namespace and file. */
void run_teardown(struct run *r);

#endif
