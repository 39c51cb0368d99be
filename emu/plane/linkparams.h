/* SPDX-License-Identifier: MIT */
/* linkparams.h - what the configuration says of a class of links: rate, queue, loss */
#ifndef EMU_LINKPARAMS_H
#define EMU_LINKPARAMS_H

#include <stdint.h>

/* How the transmit backlog of a link is limited (drop-tail). */
enum linkparams_qlimit {
	LINKPARAMS_Q_PACKETS,	/* at most limit packets waiting */
	LINKPARAMS_Q_BYTES,	/* at most limit bytes waiting */
	LINKPARAMS_Q_TIME,	/* at most limit ns of waiting before transmission */
};

/* Random loss, with netem's meanings (tc-netem(8), sch_netem.c). */
enum linkparams_loss {
	LINKPARAMS_LOSS_NONE,
	LINKPARAMS_LOSS_RANDOM,		/* Bernoulli: each packet lost with p */
	LINKPARAMS_LOSS_GEMODEL,	/* Gilbert-Elliott: p, r, 1-h, 1-k */
};

struct linkparams_lossmodel {
	enum linkparams_loss kind;
	/*
	 * RANDOM: p is the loss probability.
	 * GEMODEL: p = P(good -> bad), r = P(bad -> good), h1 = 1-h = loss
	 * probability in the bad state, k1 = 1-k = loss probability in the
	 * good state (netem defaults: r = 1 - p, 1-h = 1, 1-k = 0).
	 */
	double p, r, h1, k1;
};

struct linkparams {
	uint64_t rate_bps;		/* 0 = unlimited */
	enum linkparams_qlimit qkind;
	uint64_t qlimit;		/* packets, bytes or ns by qkind */
	struct linkparams_lossmodel loss;
};

#endif
