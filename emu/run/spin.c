// SPDX-License-Identifier: MIT
/* spin.c - --spin auto: the spin window learned from the release timer's wake-ups */
#include "emu/run/run.h"

/*
 * --spin auto: the window is what waking up takes now, learned from the
 * release timer itself. Each time it fires, its lateness (callback minus
 * the time it was set for) feeds an estimate that rises fast and decays
 * slowly (a quarter of the gap up, 1/64 down), so it sits near the high
 * end of recent wake-ups; the window is that plus RUN_SPIN_MARGIN, within
 * RUN_SPIN_MIN and RUN_SPIN_MAX. A busy loop wakes on time, its window
 * shrinks and it polls little; a halted vCPU wakes late, and its window
 * grows to cover that.
 */
#define RUN_SPIN_MARGIN (5 * INT64_C(1000))
#define RUN_SPIN_MIN (5 * INT64_C(1000))
#define RUN_SPIN_MAX (300 * INT64_C(1000))
#define RUN_SPIN_START (50 * INT64_C(1000))	/* before any wake-up */

void run_spin_learn(struct run *r)
{
	int64_t late, w;

	if (!r->o.spin_auto || r->armed_at == INT64_MAX)
		return;
	late = run_now() - r->armed_at;
	if (late < 0)
		late = 0;
	if (late > RUN_SPIN_MAX)
		late = RUN_SPIN_MAX;
	if (late > r->wake_est)
		r->wake_est += (late - r->wake_est) / 4;
	else
		r->wake_est -= (r->wake_est - late) / 64;
	w = r->wake_est + RUN_SPIN_MARGIN;
	r->spin_ns = w < RUN_SPIN_MIN ? RUN_SPIN_MIN :
		     w > RUN_SPIN_MAX ? RUN_SPIN_MAX : w;
}

void run_spin_init(struct run *r)
{
	r->spin_ns = r->o.spin_ns;
	if (r->o.spin_auto)
		r->spin_ns = r->wake_est = RUN_SPIN_START;
}
