/* SPDX-License-Identifier: MIT */
/* step_int.h - between step.c and step_near.c: what both phases of the links share */
#ifndef TOPO_STEP_INT_H
#define TOPO_STEP_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "topo/step.h"

/* Has a candidate feasible since `since` finished acquiring by t? */
static inline bool topo_acquired(int64_t since, int64_t t, int64_t acq)
{
	return since == TOPO_ALWAYS || (since <= t && t - since >= acq);
}

/* Terminals of satellite i lost beyond its fixed candidates (faults). */
unsigned topo_near_lost(const struct topo_model *m,
			const struct fault_state *fs, size_t i);

/*
 * Grid and pair candidates (step_par.c): the rules, then acquisition; the
 * links up appended to out->links in candidate order. 0 or -ENOMEM.
 */
int topo_step_fixed(const struct topo_model *m, const struct topo_state *prev,
		    const struct isl_rules *rules, struct topo_state *out);

/* route_compute over m->pool (step_par.c), prev's routes the warm start. */
void topo_step_route_all(const struct topo_model *m,
			 const struct topo_state *prev,
			 struct topo_state *out);

/*
 * Nearest links of out's step (step_near.c): keep every link of prev that
 * is still feasible (at a re-pointing moment, release those much longer
 * than a fresh assignment's), then fill the free terminals greedily.
 * 0 or -ENOMEM.
 */
int topo_step_nearest(const struct topo_model *m,
		      const struct topo_state *prev,
		      const struct isl_rules *rules, struct topo_state *out);

#endif
