/* SPDX-License-Identifier: MIT */
/* step.h - one geometry step: positions, links and routes at one instant */
#ifndef TOPO_STEP_H
#define TOPO_STEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "topo/constel.h"
#include "topo/fault.h"
#include "topo/fault_plan.h"
#include "topo/graph.h"
#include "topo/gsl.h"
#include "topo/isl.h"
#include "topo/pool.h"
#include "topo/route.h"
#include "topo/vec.h"

/*
 * What a satellite does in the Earth's umbra (topo/shadow.h): nothing
 * (none), go down for as long as it lasts (down: no battery to speak
 * of), or go down once it has been in umbra for battery_ns, until it is
 * sunlit again (battery: the battery runs out). Penumbra counts as light.
 */
enum topo_eclipse {
	TOPO_ECLIPSE_NONE,
	TOPO_ECLIPSE_DOWN,
	TOPO_ECLIPSE_BATTERY,
};

/* fixed_since of a candidate that is not feasible now */
#define TOPO_NEVER INT64_MAX
/* since of a link that was feasible at the first step: already acquired */
#define TOPO_ALWAYS INT64_MIN

/*
 * What does not change during a run. Fill the public part (after
 * topo_model_init() has set the defaults), then call topo_model_prepare().
 * Stepping writes the propagators' scratch inside constel->sat, so one model
 * is stepped by one thread at a time.
 */
struct topo_model {
	struct constel *constel;	/* the nodes; the caller owns */
	struct isl_params isl;
	struct gsl_params gsl;
	const uint32_t *dest;		/* destination nodes; the caller owns */
	size_t ndest;
	/*
	 * The eclipse policy per satellite (enum topo_eclipse), NULL: none;
	 * battery_ns per satellite for TOPO_ECLIPSE_BATTERY. The caller owns.
	 */
	const uint8_t *eclipse;
	const int64_t *battery_ns;
	/*
	 * Compute every node's shadow at each step (topo prints it); when
	 * false only the satellites with an eclipse policy get theirs, the
	 * others SHADOW_UNKNOWN (a run asks topo/shadow.h for its tapped
	 * nodes itself): two asin and an atan2 a satellite in the night half
	 * cost about 0.1 ms a step at 9,543 satellites.
	 */
	bool shadow;
	/*
	 * Threads for a step (topo/pool.h), NULL: the caller's alone. The
	 * caller owns; states must be made (topo_state_init) after it is
	 * set. The result does not depend on it (topo/step_par.c).
	 */
	struct topo_pool *pool;
	/* derived by topo_model_prepare() */
	struct isl_pair *fixed;		/* grid and pair candidates */
	size_t nfixed;
	uint16_t *fixed_deg;		/* fixed candidates per satellite */
	uint16_t *fixed_term;		/* 2 per candidate: its terminal
					 * index at a, then at b */
	uint8_t *transit;		/* may carry transit: satellites, relays */
	/* why topo_model_prepare() last returned -EINVAL: the parameter
	 * and its value ("isl terminals 300 is more than 255") */
	char why[160];
};

void topo_model_init(struct topo_model *m, struct constel *c);
/*
 * Check the parameters and derive the fixed candidates; call once after the
 * public fields are set and the constellation is complete (states made
 * before a second call must be made again). 0, -EINVAL (no node, a
 * destination or pair out of range, a pair with a ground station or twice
 * the same node, more than 255 terminals, a negative range or acquisition
 * time, a grazing height that puts the beam inside the Earth; m->why then
 * names the parameter, its value and the rule) or -ENOMEM.
 */
int topo_model_prepare(struct topo_model *m);
void topo_model_free(struct topo_model *m);

/*
 * A satellite is placed only between these heights above the sphere of the
 * WGS-72 equatorial radius (the sphere of the grazing rule, topo/isl.h).
 * Below 80 km (the default grazing altitude) an object is re-entering: the
 * air ends its orbit within hours, and a beam from it would graze. Above
 * 100,000 km (the highest Walker shell the configuration allows; three
 * times geostationary height) SGP4's Earth-orbit model no longer holds
 * (the Moon and the Sun dominate) and a laser link would take over 300 ms:
 * such a state is a runaway propagation (a decayed or ill-fitted element
 * set), not a satellite of the mesh.
 */
#define TOPO_ALT_MIN_KM 80.0
#define TOPO_ALT_MAX_KM 100000.0

/* Why a node is down at a step (topo_state.down). */
enum topo_down {
	TOPO_DOWN_NONE = 0,		/* up */
	/* 1 to 7: SGP4's error codes (topo/sgp4.h), as sgp4_propagate gave */
	TOPO_DOWN_NAN = 8,		/* a state that is not a number */
	TOPO_DOWN_LOW,			/* below TOPO_ALT_MIN_KM */
	TOPO_DOWN_HIGH,			/* above TOPO_ALT_MAX_KM */
	TOPO_DOWN_FAULT,		/* down by fault (topo/fault.h) */
};

/* Why, in a few words, into buf: "SGP4 error 6: satellite has decayed". */
void topo_down_format(unsigned why, char *buf, size_t len);

struct topo_counters {
	size_t sat_down;		/* satellites that cannot be placed */
	size_t isl_up;			/* laser links up */
	size_t isl_acquiring;		/* feasible, still acquiring */
	size_t isl_sat_down;		/* fixed candidates with an end down */
	size_t isl_down[ISL_NVERDICT];	/* candidates down, by rule */
	size_t near_kept, near_new, near_broken;
	size_t near_checked;		/* pairs the nearest search tested */
	size_t gsl_up;
	size_t routes_warm;		/* destinations whose tree held */
	size_t routes_cold;		/* destinations that ran Dijkstra */
	size_t node_fault;		/* nodes down by fault */
	size_t isl_fault;		/* candidates down by a link or
					 * terminal fault */
	size_t gsl_fault;		/* ground links down by fault */
	size_t repointed;		/* nearest links released by a
					 * re-pointing at this step */
};

/*
 * Everything known at one instant. Allocated once by topo_state_init();
 * topo_step() overwrites it and only grows its lists when a step needs more
 * links than any before.
 */
struct topo_state {
	int64_t unix_ns;
	bool stepped;			/* holds a step */
	size_t n, nsat;
	struct vec3 *pos;		/* ECEF km, every node */
	struct vec3 *vel;		/* ECEF km/s (0 for ground stations) */
	uint8_t *up;			/* placed and working; ground: 1
					 * unless down by fault */
	uint8_t *down;			/* enum topo_down, 0 when up; a node
					 * down by fault keeps its pos */
	struct graph_links links;	/* links up: ISLs, then GSLs */
	int64_t *fixed_since;		/* per fixed candidate, or TOPO_NEVER */
	uint8_t *shadow;		/* per node: enum shadow_state (see
					 * topo_model.shadow) */
	int64_t *umbra_since;		/* per satellite: in umbra since,
					 * TOPO_NEVER when not */
	struct isl_link *near;		/* nearest links (up or acquiring) */
	size_t nnear, cap_near;
	struct graph graph;		/* adjacency of links */
	struct route_table routes;	/* toward each of model->dest */
	struct topo_counters cnt;
	/* the faults in force at this step and those applied by it
	 * (topo_step_faulted; empty without a plan) */
	struct fault_state faults;
	struct fault_event *applied;
	size_t napplied, cap_applied;
	/* scratch */
	size_t nfixed_cap;		/* fixed candidates of the model */
	uint8_t *fixed_v;		/* per fixed candidate: its verdict */
	double *fixed_len;		/* per fixed candidate: its length */
	uint32_t *par_heap;		/* Dijkstra's heap and positions for */
	int32_t *par_hpos;		/* threads 1 .. par_threads - 1 */
	unsigned par_threads;		/* threads the state was made for */
	uint8_t *free_term;
	struct isl_near near_scratch;
};

/*
 * Bytes the geometry holds, as allocated (capacities, not the parts in
 * use): the model with its constellation (nodes, propagators, name
 * index, fixed candidates), and one state (positions, links, adjacency,
 * routes, faults, scratch). A run holds the model and RING_SIZE states.
 */
size_t topo_model_bytes(const struct topo_model *m);
size_t topo_state_bytes(const struct topo_state *st);

/* Allocate a state for the prepared model m. 0 or -ENOMEM. */
int topo_state_init(struct topo_state *st, const struct topo_model *m);
void topo_state_free(struct topo_state *st);

/*
 * One geometry step at unix_ns into out: propagate, decide the links, build
 * the graph and route to every destination. prev is the step before (NULL
 * at the first step, or when time went backwards); it holds the memory of
 * since when each candidate has been feasible and which nearest links exist,
 * and is only read. out must not be prev. A satellite that SGP4 cannot
 * propagate, or that it puts outside TOPO_ALT_MIN_KM to TOPO_ALT_MAX_KM, is
 * down for this step (no links; out->down says why), counted, never fatal. Pure:
 * no clock, no I/O, no global state. 0 or -ENOMEM.
 *
 * Acquisition: a candidate feasible at a step t0 whose previous step found
 * it infeasible is usable from t0 + acquisition_ns on. Links feasible at the
 * very first step are taken as already acquired (the run starts with the
 * constellation in its steady state, not with every laser searching).
 */
int topo_step(const struct topo_model *m, const struct topo_state *prev,
	      int64_t unix_ns, struct topo_state *out);

/*
 * topo_step with faults: after propagation the plan is advanced to
 * unix_ns (fault_plan_advance, with prev's links for the flaps), the
 * eclipse policy (m->eclipse) adds its events (source eclipse, at the
 * step's time) to the plan's state, and the fault state in force decides
 * too: a node down by fault has no link
 * (down[] = TOPO_DOWN_FAULT, its position kept); a link down by fault is
 * not a candidate (a fixed one acquires again once up; the nearest
 * assignment does not pick it); a lost terminal takes its grid link down
 * (terminal i of a satellite is its i-th fixed candidate, then its
 * nearest terminals), or one free terminal. out->faults is a copy of the
 * state in force, out->applied what this step applied. plan NULL: as
 * topo_step. The plan is advanced once per step, in time order: one
 * plan follows one sequence of steps. 0 or -ENOMEM.
 */
int topo_step_faulted(const struct topo_model *m,
		      const struct topo_state *prev, int64_t unix_ns,
		      struct fault_plan *plan, struct topo_state *out);

/*
 * The first half of topo_step_faulted: propagation and the faults (no
 * links, no routes), for a replay that only needs the links.
 */
int topo_step_place(const struct topo_model *m,
		    const struct topo_state *prev, int64_t unix_ns,
		    struct fault_plan *plan, struct topo_state *out);

/* The three phases of topo_step, for benchmarks and tests. */
void topo_step_propagate(const struct topo_model *m, int64_t unix_ns,
			 struct topo_state *out);
/* Links from out->unix_ns, out->pos and out->up (set by hand in tests). */
int topo_step_links(const struct topo_model *m, const struct topo_state *prev,
		    struct topo_state *out);
/* Graph and routes; prev's routes are the warm start (route_compute). */
int topo_step_routes(const struct topo_model *m,
		     const struct topo_state *prev, struct topo_state *out);

#endif
