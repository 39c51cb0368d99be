/* SPDX-License-Identifier: MIT */
/* shard_int.h - inside a shard: shared by shard.c and shard_check.c */
#ifndef EMU_SHARD_INT_H
#define EMU_SHARD_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "emu/plane/geneve.h"
#include "emu/run/shard.h"

/* CLOCK_REALTIME in ns: the hosts' common clock. */
int64_t shard_realtime(void);
/* A control message to shard `to`, or to every other shard. */
void shard_send_ctl(struct shard *sh, unsigned to, enum geneve_ctl_kind kind,
		    int64_t a, int64_t b, int64_t c);
void shard_send_all(struct shard *sh, enum geneve_ctl_kind kind, int64_t a,
		    int64_t b, int64_t c);
/* A whole control message (seq and shard filled in here) to shard `to`. */
void shard_send_msg(struct shard *sh, unsigned to, struct geneve_ctl *m);
/* Shard i sent a live event (shard_event.c). */
void shard_got_event(struct shard *sh, unsigned i, const struct geneve_ctl *m);
/* Shard i sent a change of the orbital clock (shard_event.c). */
void shard_got_clock(struct shard *sh, unsigned i, const struct geneve_ctl *m);
/* Stop the clock change timer (shard_close). */
void shard_clock_close(struct shard *sh);
/* End the run with err (the first error wins). */
void shard_fail(struct shard *sh, int err);

/* ---- shard_check.c: digests and clocks ---- */

/* Shard i sent the digest h of step. */
void shard_got_digest(struct shard *sh, unsigned i, int64_t step, uint64_t h);
/* Fail the run if a shard sent no digest of a step we took long ago. */
void shard_check_missing(struct shard *sh, int64_t now);
/* A clock probe to every shard. */
void shard_probe(struct shard *sh);
/* Enough probes answered by every shard to judge the clocks. */
bool shard_measured(const struct shard *sh);
/* The rule against every shard: -ERANGE at the start if refused. */
int shard_rule(struct shard *sh, bool at_start);

#endif
