/* SPDX-License-Identifier: MIT */
/* scenario.h - a configuration turned into nodes, candidate links and a geometry model */
#ifndef EMU_SCENARIO_H
#define EMU_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "emu/conf/config.h"
#include "topo/constel.h"
#include "topo/lib/diag.h"
#include "topo/isl.h"
#include "topo/step.h"

/*
 * Everything the commands need from a configuration: the node list
 * (Walker shells, TLE files, ground stations), the fixed pair candidates
 * resolved to indices, the tapped nodes, the routing destinations and the
 * prepared geometry model. Built in two calls so that a command can add
 * destinations of its own (path A B) before the model is prepared.
 */
struct scenario {
	const struct config *cfg;	/* borrowed */
	struct constel constel;
	struct isl_pair *pairs;
	size_t npairs;
	uint32_t *tapped;		/* node indices, in node order */
	size_t ntapped;
	uint32_t *dest;			/* tapped, ground stations, extra */
	size_t ndest;
	struct topo_model model;
	bool prepared;
	size_t tle_loaded;		/* element sets taken from TLE files */
	size_t tle_rejected;		/* sets SGP4 refused (reported) */
};

/*
 * Build the nodes from c: read every TLE file (bad element sets and sets
 * SGP4 cannot initialise are reported as warnings and left out), resolve
 * the pairs file and the [tap] patterns. Every problem goes into d with
 * its file and line. 0, -EINVAL (d says why) or -ENOMEM.
 */
int scenario_build(struct scenario *s, const struct config *c,
		   struct diag *d);
/*
 * Choose the destinations (tapped nodes, every ground station, and the
 * nextra nodes of extra) and prepare the geometry model. 0, -EINVAL, -ENOMEM.
 */
int scenario_prepare(struct scenario *s, const uint32_t *extra,
		     size_t nextra);
void scenario_free(struct scenario *s);

/* Read a whole file into a NUL-terminated buffer. 0 or -errno. */
int scenario_read_file(const char *path, char **buf, size_t *len);

#endif
