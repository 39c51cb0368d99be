/* SPDX-License-Identifier: MIT */
/* shard.h - one shard of a mesh split over hosts: its peers, the UDP channel, start, digests, end */
#ifndef EMU_SHARD_H
#define EMU_SHARD_H

#include <ev.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "emu/plane/clockest.h"
#include "emu/plane/hist.h"
#include "topo/shard.h"

struct run;
struct launch;

/* Time constants of the shard channel (docs/usage.md, "Shards"). */
/* a hello this often; silent this long: dead */
#define SHARD_HELLO_NS (100 * INT64_C(1000000))
#define SHARD_DEAD_NS (3 * INT64_C(1000000000))
/* every shard up within this; a step's digest within this */
#define SHARD_START_NS (60 * INT64_C(1000000000))
#define SHARD_DIGEST_NS (2 * INT64_C(1000000000))
/* orbital time 0 this far after shard 0 heard every shard */
#define SHARD_LEAD_NS (300 * INT64_C(1000000))
/* clock probes: this many from every shard before the start, then one a
 * second; the rule is applied at the start and every SHARD_RULE_NS */
#define SHARD_PROBES_MIN 8
#define SHARD_PROBE_NS INT64_C(1000000000)
#define SHARD_RULE_NS (5 * INT64_C(1000000000))
#define SHARD_RING 64 /* digests kept per shard */

/* Where the shards are and which one this is (run_opts). */
struct shard_conf {
	unsigned self, n;	  /* n 0: no shards */
	struct sockaddr_in *addr; /* n endpoints, rank order */
	enum shard_rule rule;
	const struct shard_pin *pins;
	size_t npins;
	int fd;		 /* bound UDP socket, or -1 */
	const char *how; /* "hand", "mpirun", "srun" */
};

struct shard_digest_ent {
	int64_t step; /* -1: empty */
	uint64_t h;
	int64_t at; /* ours: when we took the step */
};

struct shard_peer {
	struct sockaddr_in addr;
	int64_t heard;		/* data-plane time of its last datagram */
	bool hello, acked, bye; /* heard; started with us; ended */
	bool measured;		/* it has probed every shard enough */
	uint64_t digest0;
	uint32_t seq_out, seq_next; /* data frames to it; expected from it */
	uint32_t ctl_seq;
	uint64_t tx, rx, lost, reordered, send_err;
	int64_t last_step; /* newest step digest it sent */
	struct shard_digest_ent dig[SHARD_RING];
	struct clockest ce; /* its clock and the LAN to it */
	int64_t cut_min_ns; /* shortest cut link to its nodes */
	int verdict;	    /* enum clockest_verdict, last told */
	bool ev_any;	    /* live events from it: any yet */
	uint64_t ev_hi, ev_mask; /* the newest number, the 64 before */
};

/* A change of the orbital clock every shard makes at one instant. */
struct shard_clock {
	int64_t when_rt;	/* CLOCK_REALTIME ns */
	double scale;		/* the time scale (kept while paused) */
	bool paused;
};

#define SHARD_CLOCK_MAX 16	/* changes waiting for their instant */

struct shard {
	struct run *run;
	struct shard_conf conf;
	struct shard_peer *peer; /* conf.n, ours unused */
	uint16_t *owner;	 /* node -> shard */
	int fd;
	ev_io io_w;
	ev_timer hb_w;
	bool started;
	int64_t t0_rt; /* orbital time 0, CLOCK_REALTIME */
	uint64_t digest0;
	struct shard_digest_ent own[SHARD_RING];
	uint32_t ctl_seq;
	uint64_t hostile;	 /* datagrams refused */
	const char *hostile_why; /* the last reason */
	uint64_t late;		 /* frames that came after their due */
	struct hist late_h;	 /* how late (arrival - due) */
	struct hist slack_h;	 /* how early (due - arrival) */
	uint64_t steps_checked, mismatches;
	uint8_t *rxbuf;
	int64_t probe_at, rule_at; /* next clock probe, next rule check */
	uint64_t ev_next;	   /* number of our next live event */
	uint64_t events_sent, events_got; /* live events, ours and theirs */
	struct shard_clock clk[SHARD_CLOCK_MAX]; /* by when_rt */
	size_t nclk;
	ev_timer clock_w;	   /* the first of clk[] is due */
};

/*
 * Parse "I/N" (0 <= I < N <= SHARD_MAX) and the N endpoints
 * "ADDR:PORT,..." of --peers into c (c->addr allocated). 0, or -EINVAL
 * with the reason said (log.h).
 */
int shard_conf_parse(struct shard_conf *c, const char *which,
		     const char *peers);
void shard_conf_free(struct shard_conf *c);
/*
 * Open c's UDP socket on our endpoint c->addr[c->self] (its port 0: any,
 * filled in after). 0 or -errno, said.
 */
int shard_conf_bind(struct shard_conf *c);
/*
 * Under mpirun or srun (l from launch_init): shard l->rank of l->size;
 * our endpoint on bind_addr (NULL: the first interface up that is not
 * loopback) at GENEVE's port 6081 (any port if it is taken), bound, and
 * every shard's endpoint by one exchange through the launcher. Collective:
 * every rank calls it. 0 or -errno, said.
 */
int shard_conf_launch(struct shard_conf *c, struct launch *l,
		      const char *bind_addr);

/*
 * The nodes of this shard, by the partition: keep only the tapped nodes
 * it owns in tapped[] (order kept); returns how many.
 */
size_t shard_filter_tapped(const struct shard_conf *c, const struct constel *cs,
			   uint32_t *tapped, size_t ntapped);

/* Take the channel (shard_conf_bind), hook the forwarder. 0/-errno, said. */
int shard_open(struct run *r);
/*
 * Wait until every shard is up, agree on orbital time 0 (CLOCK_MONOTONIC
 * ns into *t0): the loop runs meanwhile, signals end it. 0 or -errno, said.
 */
int shard_start(struct run *r, int64_t *t0);
/*
 * A live fault (ctl) for every shard: ev->t_ns becomes the time of a step
 * far enough ahead for every shard to take it up, given in *step; posted
 * here and sent to the others (shard_event.c). 0 or -errno.
 */
int shard_post_event(struct run *r, struct fault_event *ev, int64_t *step);
/*
 * pause, resume or time-scale (ctl) for every shard: the orbital clock
 * changes on all at one instant SHARD_EVENT_LEAD_NS ahead (into *when_rt,
 * CLOCK_REALTIME). *scale and *paused (0 or 1) come in as asked (a NAN
 * scale, a paused of -1: keep what is in force, or last asked) and go out
 * as they will be. 0 or -errno (-EBUSY: too many changes waiting).
 */
int shard_post_clock(struct run *r, double *scale, int *paused,
		     int64_t *when_rt);
/* The data plane took a step: its digest to every shard, and compared. */
void shard_step(struct run *r);
/* Print the shard lines of the summary (stderr). */
void shard_summary(const struct shard *sh);
/* Say bye to every shard, stop the watchers, close. NULL is fine. */
void shard_close(struct run *r);

#endif
