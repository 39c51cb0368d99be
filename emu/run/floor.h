/* SPDX-License-Identifier: MIT */
/* floor.h - the emulator's own floor: what this machine reproduces, and links below it */
#ifndef EMU_FLOOR_H
#define EMU_FLOOR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "emu/conf/scenario.h"
#include "topo/step.h"

/*
 * The floor, measured by scripts/bench/bench_floor.sh on the project's
 * machine kind (2 vCPUs, KVM, no cpuidle driver) and recorded with its
 * command in docs/performance.md ("The emulator's floor"). They are
 * constants, not a calibration at start: the floor is the wake-ups and
 * system calls of a data plane carrying frames between namespaces, which
 * a run can only measure by sending traffic through its TAPs for seconds
 * before it is ready, and a figure that changed from run to run with the
 * host's load would make the banner itself untestable. A faster host does
 * better; rerun the benchmark there and compare.
 *
 * A frame's logical times are exact (fwd.c), but each hop whose due time
 * is still ahead when the previous one is handled costs a timer wake-up:
 * real time then runs ahead of the model by about FLOOR_HOP_NS a hop, on
 * top of the FLOOR_PATH_NS a frame takes from one node's socket to the
 * other's over one hop (of which about 30 us is the nodes' own kernels,
 * as over a veth pair). The CPU a frame costs grows by 0.2 to 2.7 us a
 * hop, by whether the hops share a wake-up.
 */
#define FLOOR_HOP_NS INT64_C(3000)	/* added per hop, one way, p50 */
#define FLOOR_PATH_NS INT64_C(70000)	/* added per path, one way, p50 */
#define FLOOR_CPU_NS INT64_C(7000)	/* forwarder CPU per frame, 1 hop */
#define FLOOR_RATE_BPS UINT64_C(12000000000)	/* one TCP flow, 9 hops */

/* What of a configuration is below the floor, at one step. */
struct floor_check {
	bool hop;		/* a link up is shorter than FLOOR_HOP_NS */
	uint32_t a, b;		/* the shortest link up */
	double hop_ns;		/* its one-way delay (< 0: no link up) */
	bool rate;		/* a link's rate is above FLOOR_RATE_BPS */
	uint64_t rate_bps;	/* the fastest link rate (0: all unlimited) */
};

/*
 * Check the links up in st (s's scenario, routes not needed) against the
 * floor: the shortest one-way delay, and the fastest rate any link has
 * (a laser link takes the slower of its ends' rates, as the data plane
 * does; unlimited rates are not compared).
 */
void floor_check(const struct scenario *s, const struct topo_state *st,
		 struct floor_check *fc);
/*
 * The banner's lines for fc, each starting "floor:", to f; nothing when
 * nothing is below the floor. Returns the number of lines.
 */
int floor_print(FILE *f, const struct constel *c,
		const struct floor_check *fc);

#endif
