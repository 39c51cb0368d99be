/* SPDX-License-Identifier: MIT */
/* loss.h - random packet loss on a link: Bernoulli and Gilbert-Elliott */
#ifndef EMU_LOSS_H
#define EMU_LOSS_H

#include <stdbool.h>
#include <stdint.h>

#include "emu/plane/linkparams.h"
#include "emu/plane/rng.h"

/* The Markov state of a link's loss process (Gilbert-Elliott only). */
struct loss_state {
	bool bad;	/* in the bad state; starts good, as netem does */
};

void loss_init(struct loss_state *s);

/*
 * Decide whether the next packet is lost. NONE draws nothing, RANDOM draws
 * once, GEMODEL draws twice (transition, then loss) in sch_netem.c's order.
 */
bool loss_drop(struct loss_state *s, const struct linkparams_lossmodel *m,
	       struct rng *r);

/*
 * Decide for a super-frame of segs segments (segs 0 counts as 1): the
 * chain advances once per segment and the frame is lost if any segment is,
 * so a Bernoulli link loses it with probability 1 - (1 - p)^segs.
 */
bool loss_drop_segments(struct loss_state *s,
			const struct linkparams_lossmodel *m, struct rng *r,
			uint32_t segs);

/*
 * Check a loss model: known kind, every probability a number in [0, 1].
 * On false, *why (if why is not NULL) names the bad field.
 */
bool loss_model_valid(const struct linkparams_lossmodel *m, const char **why);

/*
 * The long-run fraction of packets lost: p for RANDOM;
 * p/(p+r) * (1-h) + r/(p+r) * (1-k) for GEMODEL (the chain's stationary
 * distribution; 1-k when p + r = 0, as the chain then stays good).
 */
double loss_mean_rate(const struct linkparams_lossmodel *m);

#endif
