// SPDX-License-Identifier: MIT
/* loss.c - random packet loss on a link: Bernoulli and Gilbert-Elliott */

/*
 * Model. Loss has netem's vocabulary and meaning (tc-netem(8); the kernel's
 * net/sched/sch_netem.c, loss_event() and loss_gilb_ell()), so a user who
 * knows `tc qdisc ... netem loss gemodel p r 1-h 1-k` gets what they expect.
 *
 * RANDOM: each packet is lost independently with probability p.
 *
 * GEMODEL: the Gilbert-Elliott two-state Markov chain [1][2]. p is the
 * probability of moving good -> bad at a packet, r of moving bad -> good;
 * a packet is lost with probability 1-k in the good state and 1-h in the
 * bad state (linkparams carries k1 = 1-k and h1 = 1-h). For each packet,
 * like loss_gilb_ell(), we first draw the transition and then draw the
 * loss with the loss probability of the state the chain was in when the
 * packet came (netem tests a4 = 1-k in its GOOD case and h in its BAD case
 * after possibly changing state). So the state a packet sees is the chain's
 * state before its own transition: in the long run a fraction p/(p+r) of
 * packets see the bad state, and the loss rate is
 *	p/(p+r) * (1-h) + r/(p+r) * (1-k).
 * With 1-h = 1 and 1-k = 0 (Gilbert's simple model), losses come in bursts
 * of geometric length with mean 1/r and gaps with mean 1/p.
 *
 * Differences from netem: probabilities are doubles compared with a 53-bit
 * uniform draw, not 32-bit integers; the random stream is the link's own
 * seeded stream (emu/rng.c), so runs repeat exactly. The correlated
 * RANDOM ("loss 1% 25%") and the 4-state GI model are not offered
 * (linkparams has no field for them); gemodel covers bursty loss.
 *
 * [1] E. N. Gilbert, "Capacity of a burst-noise channel", Bell Syst. Tech.
 *     J. 39, 1960. E. O. Elliott, "Estimates of error rates for codes on
 *     burst-noise channels", Bell Syst. Tech. J. 42, 1963.
 * [2] S. Salsano, F. Ludovici, A. Ordine, D. Giannuzzi, "Definition of a
 *     general and intuitive loss model for packet networks and its
 *     implementation in the Netem module in the Linux kernel", 2012.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emu/plane/loss.h"

void loss_init(struct loss_state *s)
{
	s->bad = false;
}

bool loss_drop(struct loss_state *s, const struct linkparams_lossmodel *m,
	       struct rng *r)
{
	bool was_bad;

	switch (m->kind) {
	case LINKPARAMS_LOSS_NONE:
		return false;
	case LINKPARAMS_LOSS_RANDOM:
		return rng_double(r) < m->p;
	case LINKPARAMS_LOSS_GEMODEL:
		was_bad = s->bad;
		if (!was_bad)
			s->bad = rng_double(r) < m->p;
		else
			s->bad = !(rng_double(r) < m->r);
		return rng_double(r) < (was_bad ? m->h1 : m->k1);
	}
	return false;
}

bool loss_drop_segments(struct loss_state *s,
			const struct linkparams_lossmodel *m, struct rng *r,
			uint32_t segs)
{
	bool lost = false;

	if (m->kind == LINKPARAMS_LOSS_NONE)
		return false;
	if (segs == 0)
		segs = 1;
	/* Every segment draws, lost or not, so the chain keeps its pace. */
	for (uint32_t i = 0; i < segs; i++)
		lost |= loss_drop(s, m, r);
	return lost;
}

static bool loss_prob_ok(double x)
{
	return x >= 0.0 && x <= 1.0;	/* false for NaN too */
}

bool loss_model_valid(const struct linkparams_lossmodel *m, const char **why)
{
	const char *bad = NULL;

	switch (m->kind) {
	case LINKPARAMS_LOSS_NONE:
		break;
	case LINKPARAMS_LOSS_RANDOM:
		if (!loss_prob_ok(m->p))
			bad = "loss probability p is not in [0, 1]";
		break;
	case LINKPARAMS_LOSS_GEMODEL:
		if (!loss_prob_ok(m->p))
			bad = "gemodel p (good to bad) is not in [0, 1]";
		else if (!loss_prob_ok(m->r))
			bad = "gemodel r (bad to good) is not in [0, 1]";
		else if (!loss_prob_ok(m->h1))
			bad = "gemodel 1-h (loss when bad) is not in [0, 1]";
		else if (!loss_prob_ok(m->k1))
			bad = "gemodel 1-k (loss when good) is not in [0, 1]";
		break;
	default:
		bad = "unknown loss model";
		break;
	}
	if (bad && why)
		*why = bad;
	return !bad;
}

double loss_mean_rate(const struct linkparams_lossmodel *m)
{
	double pi_bad;

	switch (m->kind) {
	case LINKPARAMS_LOSS_NONE:
		return 0.0;
	case LINKPARAMS_LOSS_RANDOM:
		return m->p;
	case LINKPARAMS_LOSS_GEMODEL:
		if (m->p + m->r <= 0.0)
			return m->k1;
		pi_bad = m->p / (m->p + m->r);
		return pi_bad * m->h1 + (1.0 - pi_bad) * m->k1;
	}
	return 0.0;
}
