/* SPDX-License-Identifier: MIT */
/* scenario.h - a configuration turned into nodes, candidate links and a geometry model */
#ifndef EMU_SCENARIO_H
#define EMU_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "emu/conf/config.h"
#include "emu/conf/events.h"
#include "emu/plane/linkparams.h"
#include "topo/constel.h"
#include "topo/lib/diag.h"
#include "topo/isl.h"
#include "topo/shard.h"
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
	/*
	 * What the run-time takes from the configuration: it reaches the
	 * geometry thread and the data plane only through the scenario.
	 */
	int64_t epoch_unix_ns;		/* t = 0 of the emulation */
	int64_t step_ns;		/* geometry and routing step */
	double time_scale;		/* emulated seconds per real second */
	uint64_t seed;			/* of every random draw */
	bool source_check;		/* drop frames with another node's address */
	bool ttl_fabric;		/* the mesh is one router hop */
	struct linkparams isl_lp, gsl_lp;	/* data plane of each link */
	struct constel constel;
	struct isl_pair *pairs;
	size_t npairs;
	uint32_t *tapped;		/* node indices, in node order */
	size_t ntapped;
	struct shard_pin *pins;		/* [shards] place, resolved */
	size_t npins;
	uint32_t *dest;			/* tapped, ground stations, extra */
	size_t ndest;
	struct topo_model model;
	bool prepared;
	/*
	 * Threads that step the geometry (scenario_use_threads, before
	 * scenario_prepare; 0 or 1: the stepping thread alone), the hook
	 * each worker runs first (may be NULL), and the pool made by
	 * scenario_prepare (the model's).
	 */
	unsigned threads;
	void (*thread_init)(void);
	struct topo_pool *pool;
	size_t tle_loaded;		/* element sets taken from TLE files */
	size_t tle_rejected;		/* sets SGP4 refused (reported) */
	size_t *tle_end;		/* per [tle]: its satellites end here */
	size_t cluster_first;		/* the first satellite of a cluster */
	size_t *cluster_end;		/* per [cluster]: its end, likewise */
	/* per satellite where a group sets its own terminals (else NULL) */
	uint8_t *isl_terminals;
	double *isl_range_km;
	int64_t *isl_acq_ns;
	uint64_t *isl_rate_bps;		/* per node: its laser rate */
	/* faults (scenario_faults.c): per satellite, and the events */
	struct scenario_faults {
		int64_t *mtbf_ns, *mttr_ns, *battery_ns;
		uint8_t *eclipse;	/* enum topo_eclipse */
		bool random;		/* some satellite may fail at random */
		bool eclipse_on;	/* some satellite has a policy */
		struct events events;	/* the events file's, sorted */
		const char *events_path;	/* NULL: none */
	} faults;
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
 * nextra nodes of extra) and prepare the geometry model. 0, -EINVAL
 * (s->model.why says which parameter and why), -ENOMEM.
 */
int scenario_prepare(struct scenario *s, const uint32_t *extra,
		     size_t nextra);

/*
 * Step the geometry of s on every online CPU (at most TOPO_POOL_MAX) when
 * it has at least SCENARIO_THREADS_MIN satellites, else on one thread:
 * below that a step takes a few milliseconds and waking workers costs
 * more than it saves. init (may be NULL) runs first in each worker. Call
 * after scenario_build, before scenario_prepare.
 */
#define SCENARIO_THREADS_MIN 20000
void scenario_use_threads(struct scenario *s, void (*init)(void));
void scenario_free(struct scenario *s);

/*
 * The faults of s (after scenario_build): each satellite's random faults
 * and eclipse policy from [faults] and its own [shell] or [tle] section
 * (the eclipse policy goes into the model), and the events file
 * events_path (NULL: [emulation] events, if any), read against the node
 * list and sorted. Errors go into d (file:line). 0, -EINVAL, -ENOMEM.
 */
int scenario_faults(struct scenario *s, const char *events_path,
		    struct diag *d);
/*
 * A fault plan holding s's events, random faults and flaps (fault_plan.h).
 * 0 or -ENOMEM; free it with fault_plan_free().
 */
int scenario_fault_plan(const struct scenario *s, struct fault_plan *p);
/*
 * The group of satellite i: its [shell] (*sh) or its [tle] (*tle); both
 * NULL for a ground station.
 */
void scenario_group_of(const struct scenario *s, size_t i,
		       const struct config_shell **sh,
		       const struct config_tle **tle);
/*
 * Add the satellites of every [cluster] (scenario_cluster.c), after the
 * TLE files: a bad offsets file or an orbit SGP4 refuses goes into d.
 * 0 or -ENOMEM.
 */
int scenario_add_clusters(struct scenario *s, struct diag *d);
/* The [cluster] of satellite i, or NULL. */
const struct config_cluster *scenario_cluster_of(const struct scenario *s,
						 size_t i);
/*
 * Per-satellite terminals, ranges, acquisition times and rates where a
 * group sets its own (docs/configuration.md, [shell] and [tle]) into p
 * and s; nothing when none does ([cluster]s give theirs too). 0 or
 * -ENOMEM.
 */
int scenario_isl_groups(struct scenario *s, struct isl_params *p);

/*
 * Resolve [shards] place names into s->pins (scenario_shards.c); unknown
 * names go into d with their file and line. 0 or -ENOMEM.
 */
int scenario_places(struct scenario *s, struct diag *d);

/* Whether s has any fault: events, random faults, flaps, an eclipse policy. */
bool scenario_has_faults(const struct scenario *s);
/* Free what scenario_faults() made (scenario_free does it too). */
void scenario_faults_free(struct scenario *s);

/*
 * The TTL a host sends with (Linux's net.ipv4.ip_default_ttl and IPv6's
 * hop limit default): paths with this many routers or more lose every
 * packet in ttl = per-satellite.
 */
#define SCENARIO_HOST_TTL 64

/*
 * The longest path between two tapped nodes in st (routes computed),
 * counting the routers on it (the nodes between the two ends), over at
 * most the first 100 tapped nodes (10,000 pairs); *a, *b its ends, 0 when
 * no pair is connected.
 */
size_t scenario_longest_path(const struct scenario *s,
			     const struct topo_state *st, uint32_t *a,
			     uint32_t *b);

/*
 * "1 satellite, 2 ground stations" for banners, into buf (snprintf's
 * return).
 */
int scenario_summary(const struct scenario *s, char *buf, size_t len);

/*
 * What `lasermesh check` runs after the configuration itself loaded: build
 * the scenario (read the TLE files, make the node list, resolve [tap]
 * patterns and pair names), read the events file (events, or [emulation]
 * events when NULL), prepare the geometry model, and add one
 * message per problem to d. 0 when nothing is wrong, else -EINVAL/-ENOMEM.
 */
int scenario_check(const struct config *c, const char *events,
		   struct diag *d);

#endif
