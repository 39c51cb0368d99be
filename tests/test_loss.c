// SPDX-License-Identifier: MIT
/* test_loss.c - Bernoulli and Gilbert-Elliott loss: rates, bursts, order */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "emu/plane/loss.h"

static struct linkparams_lossmodel random_model(double p)
{
	return (struct linkparams_lossmodel){ .kind = LINKPARAMS_LOSS_RANDOM,
					      .p = p };
}

static struct linkparams_lossmodel ge_model(double p, double r, double h1,
					    double k1)
{
	return (struct linkparams_lossmodel){ .kind = LINKPARAMS_LOSS_GEMODEL,
					      .p = p, .r = r, .h1 = h1,
					      .k1 = k1 };
}

/* 5 % Bernoulli over 200,000 packets: the count within 4 sigma of n p. */
Test(loss, bernoulli_rate)
{
	const double p = 0.05;
	const int n = 200000;
	struct linkparams_lossmodel m = random_model(p);
	struct loss_state s;
	struct rng r;
	int lost = 0;
	double sigma = sqrt(n * p * (1 - p));

	loss_init(&s);
	rng_seed(&r, 1, 1);
	for (int i = 0; i < n; i++)
		lost += loss_drop(&s, &m, &r);
	cr_expect(fabs(lost - n * p) < 4 * sigma,
		  "lost %d of %d, want %g +- %g", lost, n, n * p, 4 * sigma);
}

Test(loss, none_and_extremes)
{
	struct linkparams_lossmodel none = { .kind = LINKPARAMS_LOSS_NONE };
	struct linkparams_lossmodel zero = random_model(0.0);
	struct linkparams_lossmodel all = random_model(1.0);
	struct loss_state s;
	struct rng r, before;
	int lost0 = 0, lost1 = 0;

	loss_init(&s);
	rng_seed(&r, 9, 9);
	before = r;
	for (int i = 0; i < 1000; i++)
		cr_assert(!loss_drop(&s, &none, &r));
	/* NONE draws nothing: the stream is where it was. */
	cr_expect(!memcmp(&r, &before, sizeof(r)));
	for (int i = 0; i < 100000; i++) {
		lost0 += loss_drop(&s, &zero, &r);
		lost1 += loss_drop(&s, &all, &r);
	}
	cr_expect_eq(lost0, 0);
	cr_expect_eq(lost1, 100000);
}

/*
 * The order of sch_netem.c's loss_gilb_ell(): per packet, one draw for
 * the transition, then one for the loss, tested against the probability
 * of the state the packet found. Replayed here from a copy of the stream.
 */
Test(loss, gemodel_follows_netem_order)
{
	struct linkparams_lossmodel m = ge_model(0.1, 0.3, 0.8, 0.05);
	struct loss_state s;
	struct rng r, ref;
	bool bad = false;

	loss_init(&s);
	rng_seed(&r, 77, 5);
	ref = r;
	for (int i = 0; i < 100000; i++) {
		double u1 = rng_double(&ref), u2 = rng_double(&ref);
		bool want_lost = u2 < (bad ? m.h1 : m.k1);

		bad = bad ? !(u1 < m.r) : u1 < m.p;
		cr_assert_eq(loss_drop(&s, &m, &r), want_lost, "packet %d", i);
		cr_assert_eq(s.bad, bad, "state after packet %d", i);
	}
}

/*
 * p = 1, r = 0, 1-h = 1, 1-k = 0: the first packet finds the chain good
 * (netem starts good) and passes even though the chain moves to bad with
 * it; every later packet is lost. With p = r = 1 the chain alternates.
 */
Test(loss, gemodel_state_before_transition_decides)
{
	struct linkparams_lossmodel stick = ge_model(1.0, 0.0, 1.0, 0.0);
	struct linkparams_lossmodel flip = ge_model(1.0, 1.0, 1.0, 0.0);
	struct loss_state s;
	struct rng r;

	rng_seed(&r, 3, 3);
	loss_init(&s);
	cr_expect(!loss_drop(&s, &stick, &r));
	for (int i = 0; i < 100; i++)
		cr_expect(loss_drop(&s, &stick, &r), "packet %d", i + 1);
	loss_init(&s);
	for (int i = 0; i < 100; i++)
		cr_expect_eq(loss_drop(&s, &flip, &r), i % 2 == 1, "packet %d",
			     i);
}

/*
 * Stationary loss rate p/(p+r) (1-h) + r/(p+r) (1-k). Losses are
 * correlated through the chain, so the tolerance uses the chain's
 * asymptotic variance: with lambda = 1 - p - r and m the mean rate,
 * var = m (1-m) + 2 (h1-k1)^2 pi_b pi_g lambda / (1 - lambda) per packet.
 */
Test(loss, gemodel_stationary_rate)
{
	static const double cases[][4] = {
		{ 0.02, 0.25, 0.70, 0.01 },
		{ 0.10, 0.50, 1.00, 0.00 },
		{ 0.01, 0.10, 0.50, 0.002 },
	};
	const int n = 1000000;

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const double *k = cases[c];
		struct linkparams_lossmodel m =
			ge_model(k[0], k[1], k[2], k[3]);
		double pb = k[0] / (k[0] + k[1]), pg = 1 - pb;
		double want = pb * k[2] + pg * k[3];
		double lambda = 1 - k[0] - k[1];
		double var = want * (1 - want) + 2 * (k[2] - k[3]) *
			     (k[2] - k[3]) * pb * pg * lambda / (1 - lambda);
		double tol = 5 * sqrt(var / n);
		struct loss_state s;
		struct rng r;
		long lost = 0;

		cr_expect(fabs(loss_mean_rate(&m) - want) < 1e-15);
		loss_init(&s);
		rng_seed(&r, 2024, c);
		for (int i = 0; i < n; i++)
			lost += loss_drop(&s, &m, &r);
		cr_expect(fabs((double)lost / n - want) < tol,
			  "case %zu: rate %g, want %g +- %g", c,
			  (double)lost / n, want, tol);
	}
}

/*
 * Gilbert's simple model (1-h = 1, 1-k = 0): loss bursts are runs of the
 * bad state, geometric with mean 1/r (sd sqrt(1-r)/r); gaps mean 1/p.
 */
Test(loss, gemodel_burst_length)
{
	const double p = 0.05, rr = 0.25;
	const int n = 2000000;
	struct linkparams_lossmodel m = ge_model(p, rr, 1.0, 0.0);
	struct loss_state s;
	struct rng r;
	long bursts = 0, burst_pkts = 0, gaps = 0, gap_pkts = 0;
	bool prev = false;
	double mean_b, mean_g, tol_b, tol_g;

	loss_init(&s);
	rng_seed(&r, 8, 8);
	for (int i = 0; i < n; i++) {
		bool lost = loss_drop(&s, &m, &r);

		if (lost) {
			burst_pkts++;
			bursts += !prev;
		} else {
			gap_pkts++;
			gaps += prev || i == 0;
		}
		prev = lost;
	}
	mean_b = (double)burst_pkts / bursts;
	mean_g = (double)gap_pkts / gaps;
	tol_b = 5 * sqrt(1 - rr) / rr / sqrt((double)bursts);
	tol_g = 5 * sqrt(1 - p) / p / sqrt((double)gaps);
	cr_expect(fabs(mean_b - 1 / rr) < tol_b, "burst %g, want %g +- %g",
		  mean_b, 1 / rr, tol_b);
	cr_expect(fabs(mean_g - 1 / p) < tol_g, "gap %g, want %g +- %g",
		  mean_g, 1 / p, tol_g);
}

/* A super-frame of k segments is lost with 1 - (1-p)^k, k draws. */
Test(loss, segments_bernoulli)
{
	const double p = 0.02;
	const int k = 10, n = 200000;
	struct linkparams_lossmodel m = random_model(p);
	struct loss_state s;
	struct rng r, ref;
	double want = 1 - pow(1 - p, k), sigma = sqrt(n * want * (1 - want));
	int lost = 0;

	loss_init(&s);
	rng_seed(&r, 4, 4);
	for (int i = 0; i < n; i++)
		lost += loss_drop_segments(&s, &m, &r, k);
	cr_expect(fabs(lost - n * want) < 4 * sigma, "lost %d, want %g", lost,
		  n * want);

	/* Exactly k draws per frame, lost or not; 0 segments counts as 1. */
	rng_seed(&r, 5, 5);
	ref = r;
	for (int i = 0; i < 1000; i++) {
		bool any = false;

		for (int j = 0; j < k; j++)
			any |= rng_double(&ref) < p;
		cr_assert_eq(loss_drop_segments(&s, &m, &r, k), any);
	}
	cr_expect_eq(loss_drop_segments(&s, &m, &r, 0), rng_double(&ref) < p);
	cr_expect(!memcmp(&r, &ref, sizeof(r)));
}

Test(loss, model_validation)
{
	struct linkparams_lossmodel m;
	const char *why = NULL;

	m = ge_model(0.1, 0.9, 1.0, 0.0);
	cr_expect(loss_model_valid(&m, &why));
	m = random_model(-0.01);
	cr_expect(!loss_model_valid(&m, &why));
	cr_expect_str_eq(why, "loss probability p is not in [0, 1]");
	m = ge_model(0.1, NAN, 1.0, 0.0);
	cr_expect(!loss_model_valid(&m, &why));
	cr_expect_str_eq(why, "gemodel r (bad to good) is not in [0, 1]");
	m = ge_model(0.1, 0.2, 1.5, 0.0);
	cr_expect(!loss_model_valid(&m, NULL));
	m = ge_model(0.1, 0.2, 1.0, 1.0001);
	cr_expect(!loss_model_valid(&m, &why));
	cr_expect_str_eq(why, "gemodel 1-k (loss when good) is not in [0, 1]");
	m.kind = (enum linkparams_loss)42;
	cr_expect(!loss_model_valid(&m, &why));
	cr_expect_str_eq(why, "unknown loss model");
}
