/* SPDX-License-Identifier: MIT */
/* run.h - one emulation run: namespaces and TAPs up, the data plane loop, teardown */
#ifndef EMU_RUN_H
#define EMU_RUN_H

#include <ev.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "emu/conf/config.h"
#include "emu/conf/scenario.h"
#include "emu/plane/fwd.h"
#include "emu/run/ctl.h"
#include "emu/run/evlog.h"
#include "emu/run/faults.h"
#include "emu/run/geom.h"
#include "emu/run/shard.h"
#include "emu/run/web.h"
#include "tap/freezer.h"

/* The signals that end a run (or go to wrap's command): run_signals[]. */
#define RUN_NSIGNALS 3
extern const int run_signals[RUN_NSIGNALS];

struct run;
struct pcapng;

struct run_opts {
	const char *capture_dir;	/* one pcap per tapped node, or NULL */
	const char *capture_links_dir;	/* DIR/links.pcapng, or NULL */
	unsigned snaplen;		/* 0 = whole frames */
	int64_t duration_ns;		/* < 0: the configuration's */
	double time_scale;		/* 0: the configuration's */
	int64_t spin_ns;		/* busy-wait margin before a release */
	int spin_duty;			/* % of each 100 ms it may poll */
	bool status;			/* live status line on stderr */
	bool spin_auto;			/* --spin auto: T follows wake-ups */
	bool idle_poll;			/* --idle-poll: idle CPUs poll, not halt */
	bool no_realtime;		/* keep the data plane SCHED_OTHER */
	bool no_stamps;			/* frames start when read, not sent */
	bool quiet;			/* no banner and no summary */
	/* faults: the scenario's (cmd_load reads events_path), the log */
	const char *events_path;	/* --events FILE */
	const char *log_path;		/* --log FILE, JSON Lines */
	bool no_ctl;			/* no control socket */
	/* --web [ADDR:]PORT: the live web view (web.h), or NULL */
	const char *web;
	struct web_addr web_addr;	/* web parsed */
	/* --shard I/N --peers ...: one shard of a split mesh (shard.h) */
	const char *shard_which, *shard_peers, *shard_bind;
	struct shard_conf shards;	/* n 0: the whole mesh here */
	bool web_control;		/* the page may take nodes down */
	/* called once everything is up (wrap starts its command here) */
	int (*ready)(struct run *r, void *arg);
	/* SIGINT/SIGTERM/SIGHUP: NULL stops the run, else this is called */
	void (*on_signal)(struct run *r, int sig, void *arg);
	void *arg;
};

/*
 * Per tapped node, the I/O side: port i here is port i of the forwarder
 * (struct fwd_port, its counters), the index both sides use.
 */
struct run_port {
	ev_io w;			/* readable TAP */
	struct run *run;
	size_t idx;			/* i: r->port[i], r->fwd.port[i] */
	struct tap *tap;
	struct capture *cap;
	int64_t cap_last;		/* its last frame's timestamp */
	uint64_t tx_dropped0;		/* kernel drops before we started */
	uint64_t overrun;		/* kernel drops while we ran */
	bool down;			/* by fault: carrier off */
	uint64_t dropped_at_down;	/* its tx_dropped when it went down:
					 * what the kernel drops while the
					 * carrier is off is no overrun */
	bool frozen;			/* its processes frozen */
	int64_t freeze_asked;		/* when a freeze or thaw was asked and
					 * not seen done yet, 0: none */
	bool eclipse;			/* in the Earth's shadow */
	bool state_failed;		/* its state file could not be written */
};

/* One event of the run's timeline (ctl events): applied at at_ns. */
struct run_event {
	struct fault_event ev;
	int64_t at_ns;
};

struct run {
	const struct config *cfg;
	struct scenario *s;
	struct run_opts o;
	struct ev_loop *loop;
	struct geom geom;
	struct fault_plan plan;		/* faults; the geometry thread's */
	bool plan_on;			/* the plan is set up */
	struct evlog evlog;		/* --log, or closed */
	struct ctl ctl;			/* the control socket */
	bool ctl_on;
	struct web *web;		/* the web view, or NULL */
	struct freezer fz;		/* the cgroup freezer, when fz_on */
	bool fz_on;
	struct run_event *history;	/* the timeline so far */
	size_t nhistory, cap_history;
	uint64_t history_lost;		/* events not kept (no memory) */
	double scale_run;		/* time scale when not paused */
	uint64_t repointed;		/* links released by re-pointing */
	bool paused;
	struct fwd fwd;
	bool geom_ok, fwd_ok;
	struct shard *shard;		/* one shard of a split mesh, or NULL */
	bool shard_cut_short;		/* another shard ended before its end */
	struct pcapng *links_cap;	/* --capture-links, or NULL */
	struct run_port *port;
	size_t nports, nopened;
	int tfd;			/* release timer (timerfd) */
	ev_io tfd_w;
	int64_t armed;			/* when tfd fires, INT64_MAX: disarmed */
	ev_io geom_w;			/* a new geometry step is ready */
	ev_timer step_w, status_w, end_w;
	ev_signal sig_w[RUN_NSIGNALS];
	int64_t rt_off;			/* CLOCK_REALTIME - CLOCK_MONOTONIC */
	uint8_t *rxbuf;
	int stop_signal;		/* signal that ended the run, or 0 */
	int error;			/* the run failed (-errno), 0 */
	unsigned output_errors;		/* files a write error cut short */
	bool stopping;
	bool status_shown;
	int64_t started_wall;
	int64_t spin_win, spin_used;	/* spin duty cap, see run.c */
	int64_t spin_ns;		/* the spin window now (--spin) */
	int64_t wake_est;		/* --spin auto: wake-up lateness, ns */
	int64_t armed_at;		/* when tfd was set to fire */
	int64_t spin_total;
	int idle_poll_fd;		/* /dev/cpu_dma_latency held, or -1 */
	bool idle_poll_held;		/* --idle-poll took effect */
};

/* CLOCK_MONOTONIC in ns: the data plane's clock. */
int64_t run_now(void);

/*
 * Bring a run up (setup.c): for every tapped node a namespace named after
 * it, a TAP inside with its addresses and MTU, the hosts file; then the
 * geometry thread and the forwarder. Says what failed and why (log.h). On
 * failure everything made so far is removed. 0 or -errno.
 */
int run_setup(struct run *r, const struct config *c, struct scenario *s,
	      const struct run_opts *o);
/*
 * Forward until the duration ends, a signal arrives, run_stop() or a
 * failure. Returns 0, ready()'s error, or r->error when the run failed
 * (the geometry thread could not compute a step).
 */
int run_loop(struct run *r);
/* End the loop (from a watcher); sig is remembered for the exit status. */
void run_stop(struct run *r, int sig);
/*
 * Print the summary (unless quiet), remove every namespace and file.
 * Afterwards r->error and r->output_errors say whether the run lost
 * anything: a command exits non-zero if so.
 */
void run_teardown(struct run *r);

/* ---- between run.c and setup.c ---- */

/* Hold run_signals (set-up and teardown are not cut short); old may be NULL. */
void run_signals_hold(sigset_t *old);
/* Let run_signals through again, with their default actions (the end). */
void run_signals_release(void);
/* The forwarder's output callback: write to port pi's TAP, capture it. */
int run_output(struct fwd *f, size_t pi, const uint8_t *buf, size_t len,
	       int64_t now);
/* The spin window at the start: --spin T, or where --spin auto begins. */
void run_spin_init(struct run *r);
/* --idle-poll: hold the CPUs' idle exit latency at 0 for the run (spin.c). */
void run_idle_poll_begin(struct run *r);
void run_idle_poll_end(struct run *r);
/* --spin auto: the timer fired; learn from its lateness (spin.c). */
void run_spin_learn(struct run *r);
/* The release timerfd, the libev loop and every watcher. 0 or -errno. */
int run_watch_start(struct run *r);
/* Stop the watchers, destroy the loop, close the timerfd. Idempotent. */
void run_watch_stop(struct run *r);
/* Close port rp's capture, reporting a write error it ends with. */
void run_capture_close(struct run *r, struct run_port *rp);
/*
 * Write frame buf (virtio-net header first) to rp's capture, if any, at
 * stamp (wall ns, kept in time order); a failed write stops that capture
 * and counts an output error (output.c).
 */
void run_capture(struct run *r, struct run_port *rp, const uint8_t *buf,
		 size_t len, int64_t stamp);
/*
 * --capture-links (linkcap.c): create the directory and links.pcapng in
 * it, and have the forwarder record every hop there. 0 or -errno, said.
 */
int run_linkcap_open(struct run *r);
/* Close links.pcapng, reporting a write error it ends with. */
void run_linkcap_close(struct run *r);
/* The summary on stderr (summary.c). */
void run_summary(struct run *r);
/* The banner on stdout: nodes, addresses, warnings, "ready" (summary.c). */
void run_banner(struct run *r);
/*
 * The floor's lines (floor.h) to f: run_banner prints them on stdout; a
 * quiet run (-q), which has no banner, on stderr, so no run hides them.
 */
void run_banner_floor(struct run *r, FILE *f);
/* Frames the kernel dropped because the run fell behind, all ports. */
uint64_t run_overruns(struct run *r);
/*
 * Freeze (or thaw) the processes started in tapped node i (freezer.h).
 * 0 or -errno, said.
 */
int run_freeze(struct run *r, size_t i, bool frozen);
/* Take the step due, release what is due, re-arm the release timer. */
void run_release(struct run *r);
/* The data plane takes the step of wall time now, if ready. */
void run_take_step(struct run *r, int64_t now);
/* Orbital time runs at scale from now on (0: paused), timers re-armed. */
void run_set_scale(struct run *r, double scale);
/* The same from the data-plane time `at` (<= now) on: shards change at one instant. */
void run_set_scale_at(struct run *r, double scale, int64_t at);
/* Answer one `lasermesh ctl` request (control.c). */
void run_ctl_handle(struct ctl *c, const char *line, struct ctl_reply *rep,
		    void *arg);

#endif
