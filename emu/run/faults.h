/* SPDX-License-Identifier: MIT */
/* faults.h - what a run does with faults: the plan, carriers, state files, the log, the timeline */
#ifndef EMU_RUN_FAULTS_H
#define EMU_RUN_FAULTS_H

#include <stdbool.h>
#include <stdint.h>

struct run;

/* Random faults of a run: per node, and the link flaps (emu/conf). */
struct run_faults_conf {
	const int64_t *mtbf_ns, *mttr_ns;	/* per node, 0 = never */
	double flap_per_hour;			/* per laser link */
	int64_t flap_ns;
};

/*
 * The plan from the run's options (events, random faults) and the event
 * log; before the geometry is computed. Says what failed. 0 or -errno.
 */
int run_faults_init(struct run *r);
/* Once the forwarder exists: its notes, each node's state file. */
int run_faults_start(struct run *r);
/*
 * The data plane moved from step from to step to: log what each step
 * applied, keep it as the timeline, and show each tapped node's state
 * (carrier, freezer, state file).
 */
void run_faults_step(struct run *r, int64_t from, int64_t to);
/* The run ends: thaw what is frozen, close the log (its errors count). */
void run_faults_end(struct run *r);
void run_faults_free(struct run *r);

#endif
