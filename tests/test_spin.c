// SPDX-License-Identifier: MIT
/* test_spin.c - --spin auto: the window follows the release timer's lateness */
#include <string.h>

#include <criterion/criterion.h>

#include "emu/run/run.h"

/* The timer fired late_ns after it was set for. */
static void fired(struct run *r, int64_t late_ns)
{
	r->armed_at = run_now() - late_ns;
	run_spin_learn(r);
}

Test(spin, auto_follows_wakeups)
{
	static struct run r;
	int64_t w0, w1;

	memset(&r, 0, sizeof(r));
	r.o.spin_auto = true;
	run_spin_init(&r);
	w0 = r.spin_ns;
	cr_assert_gt(w0, 0);
	/* late wake-ups widen the window quickly, up to a cap */
	fired(&r, 200000);
	cr_expect_gt(r.spin_ns, w0);
	for (int i = 0; i < 50; i++)
		fired(&r, 200000);
	cr_expect_geq(r.spin_ns, 190000, "window %lld", (long long)r.spin_ns);
	cr_expect_leq(r.spin_ns, 300000);
	fired(&r, 10000000);
	cr_expect_leq(r.spin_ns, 300000, "capped: %lld", (long long)r.spin_ns);
	/* on-time wake-ups narrow it slowly, to a floor */
	w1 = r.spin_ns;
	fired(&r, 0);
	cr_expect_lt(r.spin_ns, w1);
	cr_expect_gt(r.spin_ns, w1 * 9 / 10, "slowly: %lld", (long long)r.spin_ns);
	for (int i = 0; i < 2000; i++)
		fired(&r, 0);
	cr_expect_geq(r.spin_ns, 5000);
	cr_expect_leq(r.spin_ns, 10000, "window %lld", (long long)r.spin_ns);
}

Test(spin, fixed_window_stays)
{
	static struct run r;

	memset(&r, 0, sizeof(r));
	r.o.spin_ns = 100000;
	run_spin_init(&r);
	cr_expect_eq(r.spin_ns, 100000);
	fired(&r, 250000);
	cr_expect_eq(r.spin_ns, 100000);
}
