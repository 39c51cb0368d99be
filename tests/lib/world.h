/* SPDX-License-Identifier: MIT */
/* world.h - suite fixtures: load a configuration text, build, prepare */
#ifndef TESTS_LIB_WORLD_H
#define TESTS_LIB_WORLD_H

#include <stddef.h>

#include "emu/conf/config.h"
#include "emu/conf/scenario.h"
#include "topo/lib/diag.h"

/* Log every message of d, so that a failed assertion comes explained. */
void world_dump(const struct diag *d);

/*
 * Load the configuration text under the file name name (side files resolve
 * beside it). A failed load fails the test. *nmsg, if nmsg is not NULL, is
 * the number of messages (warnings) the load gave. The caller frees the
 * configuration with config_free().
 */
struct config *world_config(const char *text, const char *name, size_t *nmsg);

/*
 * world_config(), then build its scenario into s and prepare the model
 * (no extra pairs); any failure fails the test. Returns the configuration:
 * free s with scenario_free() first, then the configuration.
 */
struct config *world_scenario(const char *text, const char *name,
			      struct scenario *s);

/*
 * The geometry suites' world (test_ring, test_geom): 12 planes of 12 at
 * 550 km (every +Grid link below 5,016 km), one ground station, w-0-0 and
 * w-3-4 tapped, 100 ms steps; 145 nodes (checked). As world_scenario().
 */
struct config *world_ring_scenario(struct scenario *s);

#endif
