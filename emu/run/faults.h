/* SPDX-License-Identifier: MIT */
/* faults.h - what a run does with faults: the plan, carriers, state files, the log, the timeline */
#ifndef EMU_RUN_FAULTS_H
#define EMU_RUN_FAULTS_H

#include <stdbool.h>
#include <stdint.h>

struct run;

/*
 * The plan from the scenario's faults (events, random faults, flaps) and
 * the event log; before the geometry is computed. Says what failed. 0 or
 * -errno.
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
