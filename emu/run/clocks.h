/* SPDX-License-Identifier: MIT */
/* clocks.h - measure clock offset and one-way latency between the shards' hosts over UDP */
#ifndef EMU_CLOCKS_H
#define EMU_CLOCKS_H

#include <stdint.h>

#include "emu/net/endpoint.h"
#include "emu/plane/clockest.h"
#include "emu/run/launch.h"

struct diag;

/*
 * One measuring session, the same on every rank: each rank sends `probes`
 * probes to every other rank, one every interval_ns, answers every probe it
 * gets, and keeps going for the same time on every rank (plus a grace for
 * the last answers), so that nobody stops answering while another still
 * asks. Receive times (t2, t4) are the kernel's (SO_TIMESTAMPNS), send
 * times (t1, t3) are read just before sendto(); all CLOCK_REALTIME.
 */
struct clocks_opts {
	int probes;			/* per peer (default 20) */
	int64_t interval_ns;		/* between two probes to one peer */
	int64_t add_offset_ns;		/* added to every clock reading of
					 * rank offset_rank: to check the
					 * measurement against a known skew */
	int offset_rank;		/* -1: none */
};

struct clocks_peer {
	union endpoint addr;		/* its UDP endpoint */
	struct clockest est;		/* this rank's view of it */
	uint64_t sent, answered;	/* probes sent, answers taken */
};

struct clocks {
	int fd;				/* the UDP socket, or -1 */
	int rank, size;
	struct clocks_peer *peer;	/* size entries, own one unused */
	uint64_t bad;			/* datagrams refused (counted) */
	const struct clocks_opts *o;
};

/*
 * Open a UDP socket on addr, IPv4 or IPv6 (port 0: any) with kernel
 * receive timestamps. 0 or -errno with a message.
 */
int clocks_open(struct clocks *c, const union endpoint *addr, int rank,
		int size, const struct clocks_opts *o, struct diag *d);
/* This rank's endpoint, for the exchange. */
int clocks_endpoint(const struct clocks *c, union endpoint *out);
/*
 * Every rank's endpoint in rank order (size entries). A datagram is taken
 * only from the endpoint of the rank it says it comes from.
 */
void clocks_set_peers(struct clocks *c, const union endpoint *all);
/* Run the session (see top). 0 or -errno with a message. */
int clocks_run(struct clocks *c, struct diag *d);
void clocks_close(struct clocks *c);

/*
 * The first IPv4 address of an interface that is up and not loopback (port
 * 0): the address a shard advertises when none is given. 0, or -ENOENT
 * with a message.
 */
int clocks_local_addr(union endpoint *out, struct diag *d);

/* CLOCK_REALTIME in ns. */
int64_t clocks_realtime(void);

#endif
