/* SPDX-License-Identifier: MIT */
/* clockest.h - clock offset and one-way latency between two hosts, from NTP-style probes */
#ifndef EMU_CLOCKEST_H
#define EMU_CLOCKEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * One probe and its answer, NTP's four timestamps (RFC 5905, 8): t1 sent
 * here, t2 received there, t3 answered there, t4 received here. Each is
 * read from its own host's CLOCK_REALTIME, in ns: the clock that chrony or
 * linuxptp keeps in step between hosts, and the one due times travel on.
 *
 * For one probe: rtt = (t4 - t1) - (t3 - t2), the time on the wire both
 * ways; offset = ((t2 - t1) + (t3 - t4)) / 2, the peer's clock minus this
 * one, exact when both directions take as long. A queue on the way makes
 * a probe slow and its offset wrong by up to half the extra, so the
 * estimate takes the fastest probes of a window (as NTP's clock filter
 * does), where the two directions are least likely to differ.
 */
struct clock_probe {
	int64_t t1, t2, t3, t4;
};

#define CLOCKEST_WINDOW 32

struct clockest {
	struct clock_probe p[CLOCKEST_WINDOW];	/* the last probes, a ring */
	size_t n;				/* held, at most the window */
	size_t next;				/* where the next one goes */
	uint64_t added, refused;		/* probes given; refused as
						 * impossible (negative rtt) */
};

struct clockest_result {
	int64_t offset_ns;	/* the peer's clock minus this one */
	int64_t owd_ns;		/* one-way latency: half the fastest rtt */
	int64_t rtt_ns;		/* the fastest round trip of the window */
	int64_t rtt_median_ns;	/* the median round trip of the window */
	int64_t jitter_ns;	/* (median - fastest) / 2: how much later
				 * than owd_ns a typical datagram arrives */
	int64_t error_ns;	/* bound on offset_ns's error: half the
				 * fastest rtt (the two ways may differ by
				 * that much at most) */
	size_t samples;
};

void clockest_init(struct clockest *c);
/* Add one probe; one with a negative round trip is refused (counted). */
void clockest_add(struct clockest *c, const struct clock_probe *p);
/* The estimate from the window; false while it holds no probe. */
bool clockest_get(const struct clockest *c, struct clockest_result *r);

/*
 * Is a cut link of delay min_cut_delay_ns (the shortest laser hop between
 * two shards' nodes) long enough to carry frames between the hosts on
 * time? A frame leaves one shard at once when it enters the cut link and
 * must be at the other before its due time, at least the link's delay
 * later (measured on the other host's clock). So:
 *
 *   late   = owd + |offset|            frames are late even when the
 *                                      LAN is at its fastest: REFUSE
 *   needed = late + 4 * jitter + margin
 *                                      frames are on time, typical
 *                                      datagrams with room: OK when the
 *                                      delay is at least this, else WARN
 *
 * budget_ns (when not NULL) gets min_cut_delay_ns - needed: the room left,
 * negative when the verdict is not OK.
 */
enum clockest_verdict {
	CLOCKEST_OK,
	CLOCKEST_WARN,
	CLOCKEST_REFUSE,
};

enum clockest_verdict clockest_rule(int64_t min_cut_delay_ns,
				    const struct clockest_result *r,
				    int64_t margin_ns, int64_t *budget_ns);
const char *clockest_verdict_name(enum clockest_verdict v);

/*
 * The probe on the wire, 36 bytes, big-endian: "LMCK", version 1, kind
 * (1 probe, 2 answer), the sender's rank (u16), a sequence number (u32),
 * then t1, t2, t3 (i64; a probe carries t1 only, its answer all three).
 */
#define CLOCKEST_MSG_LEN 36

enum clockest_msg_kind {
	CLOCKEST_PROBE = 1,
	CLOCKEST_ANSWER = 2,
};

struct clockest_msg {
	enum clockest_msg_kind kind;
	uint16_t rank;
	uint32_t seq;
	int64_t t1, t2, t3;
};

/* Write m into buf (CLOCKEST_MSG_LEN bytes). */
void clockest_encode(const struct clockest_msg *m, uint8_t *buf);
/*
 * Read a datagram of len bytes: false (why set to a static reason) for
 * anything that is not a well-formed probe or answer.
 */
bool clockest_decode(const uint8_t *buf, size_t len, struct clockest_msg *m,
		     const char **why);

/* The default margin of the rule: 100 us. */
#define CLOCKEST_MARGIN_NS INT64_C(100000)

#endif
