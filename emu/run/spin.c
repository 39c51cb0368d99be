// SPDX-License-Identifier: MIT
/* spin.c - the data plane's CPU tuning: --spin auto's window, --idle-poll */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

#include "emu/run/log.h"
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

/*
 * --idle-poll: while the run lasts, ask the kernel's PM QoS for an idle
 * exit latency of 0 (write a 32-bit 0 to /dev/cpu_dma_latency and keep it
 * open: the request ends when the file is closed, by us or by the kernel
 * at exit). cpuidle then keeps idle CPUs in its polling state instead of
 * halting them. On a VM a halted vCPU gives its physical CPU back to the
 * host, and waking it again for a release timer takes tens of µs, or
 * milliseconds when the host has given that CPU to someone else
 * (docs/performance.md, "Where the tail comes from"). The price: the
 * guest's idle CPUs stay busy as seen from the host.
 */
#define RUN_QOS_FILE "/dev/cpu_dma_latency"

void run_idle_poll_begin(struct run *r)
{
	int32_t zero = 0;
	int fd;

	if (!r->o.idle_poll || r->idle_poll_fd >= 0)
		return;
	fd = open(RUN_QOS_FILE, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		log_warn(-errno, "--idle-poll: cannot open %s, idle CPUs "
			 "will halt", RUN_QOS_FILE);
		return;
	}
	if (write(fd, &zero, sizeof(zero)) != (ssize_t)sizeof(zero)) {
		log_warn(-errno, "--idle-poll: cannot write 0 to %s, idle "
			 "CPUs will halt", RUN_QOS_FILE);
		close(fd);
		return;
	}
	r->idle_poll_fd = fd;
	r->idle_poll_held = true;
}

void run_idle_poll_end(struct run *r)
{
	if (r->idle_poll_fd < 0)
		return;
	close(r->idle_poll_fd);
	r->idle_poll_fd = -1;
}
