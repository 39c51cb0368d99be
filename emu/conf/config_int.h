/* SPDX-License-Identifier: MIT */
/* config_int.h - what the grammar and the key tables share (emu/conf only) */
#ifndef EMU_CONF_CONFIG_INT_H
#define EMU_CONF_CONFIG_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emu/conf/config.h"

/* Not for the rest of the tree: only emu/conf/config*.c include this. */

#define CONFIG_FILE_MAX ((size_t)64 << 20)
#define CONFIG_KEYS_MAX 24
#define CONFIG_PATTERN_MAX 256
#define CONFIG_SHELL_NAME_MAX sizeof(((struct walker_shell *)0)->name)
/*
 * At most this many satellites in one shell and in all the shells: what
 * bounds it is memory. A satellite takes about 1 kB in the model (its
 * SGP4 state and its node) and, with +Grid and 4 destinations, about
 * 300 B in each of the run's 4 steps: 2.1 GiB at 1,000,000
 * (docs/performance.md), about 8.5 GiB at this limit. Node indices are
 * 32 bits wide.
 */
#define CONFIG_MAX_SATS 4000000u

enum config_sec {
	CONFIG_SEC_NONE,	/* before the first header */
	CONFIG_SEC_BAD,		/* after a bad header: skip its keys */
	CONFIG_SEC_EMULATION,
	CONFIG_SEC_SHELL,
	CONFIG_SEC_TLE,
	CONFIG_SEC_ISL,
	CONFIG_SEC_GROUND,
	CONFIG_SEC_GROUNDS,
	CONFIG_SEC_GSL,
	CONFIG_SEC_TAP,
	CONFIG_SEC_FAULTS,
	CONFIG_SEC_CLUSTER,
	CONFIG_SEC_SHARDS,
	CONFIG_SEC_N,
};

enum config_type {
	CONFIG_T_FUNC,		/* set() does everything */
	CONFIG_T_TIME,		/* int64_t ns */
	CONFIG_T_LENGTH,	/* double km */
	CONFIG_T_ANGLE,		/* double degrees */
	CONFIG_T_REAL,		/* double */
	CONFIG_T_UINT,		/* unsigned */
	CONFIG_T_U64,		/* uint64_t */
	CONFIG_T_BOOL,		/* bool */
	CONFIG_T_RATE,		/* uint64_t bit/s */
	CONFIG_T_QUEUE,		/* struct linkparams (qkind, qlimit) */
	CONFIG_T_LOSS,		/* struct linkparams_lossmodel */
};

enum {
	CONFIG_K_REQUIRED = 1U << 0,
	CONFIG_K_REPEAT = 1U << 1,	/* may be given more than once */
	CONFIG_K_RANGE = 1U << 2,	/* min <= value <= max */
	CONFIG_K_POSITIVE = 1U << 3,	/* value > 0 */
	CONFIG_K_BELOW_MAX = 1U << 4,	/* value < max, not <= */
};

/*
 * Keys that other code refers to, by their index in their section's table
 * (the tables in config_keys.c place them with these designated indices,
 * and -Wextra's override-init warns if another entry lands there), never
 * by their spelling.
 */
enum {
	CONFIG_KEY_SHELL_PHASING = 3,
	CONFIG_KEY_ISL_CANDIDATES = 0,
	CONFIG_KEY_ISL_PAIRS_FILE = 1,
	CONFIG_KEY_GROUNDS_FILE = 0,
	CONFIG_KEY_CLUSTER_LAYOUT = 5,
	CONFIG_KEY_CLUSTER_SPACING = 6,
	CONFIG_KEY_CLUSTER_RADIUS = 7,
	CONFIG_KEY_CLUSTER_COUNT = 8,
	CONFIG_KEY_CLUSTER_FILE = 9,
};

struct config_ctx {
	struct config *c;
	struct diag *d;
	const char *file;	/* c->path, for messages */
	unsigned line;		/* being read */
	/* the section being read */
	enum config_sec sec;
	char label[96];		/* "[shell s1]", for messages */
	unsigned sec_line;
	size_t idx;		/* entry of a named section */
	unsigned *seen;		/* line where each key was set, or 0 */
	unsigned seen_named[CONFIG_KEYS_MAX];
	unsigned seen_single[CONFIG_SEC_N][CONFIG_KEYS_MAX];
	unsigned sec_first[CONFIG_SEC_N];	/* first header of a kind */
	/* capacities of the arrays in c */
	size_t cap_shells, cap_tles, cap_clusters, cap_grounds, cap_taps;
	size_t cap_places;
	size_t cap_strs;
	/* station name -> index + 1 into c->grounds (open addressing) */
	uint32_t *gtab;
	size_t gtab_cap;
	bool enomem;
};

struct config_key {
	const char *name;
	enum config_type type;
	size_t off;		/* of the field in the section's struct */
	unsigned flags;
	double min, max;	/* in the stored unit (km, ns, degrees) */
	void (*set)(struct config_ctx *x, const char *key, const char *val);
};

struct config_section {
	const char *name;
	enum config_sec sec;
	bool named;
	const struct config_key *keys;
};

extern const struct config_section config_sections[];
extern const size_t config_nsections;

const struct config_section *config_section_of(enum config_sec sec);

/* Append a zeroed element to *arr (n elements, room for *cap); NULL: ENOMEM. */
void *config_push(struct config_ctx *x, void **arr, size_t *n, size_t *cap,
		  size_t size);
/* Hand s (malloc'ed, may be NULL) to the config, which frees it later. */
const char *config_keep(struct config_ctx *x, char *s);
/* The usual error: key "value" why, at the current line. */
void config_bad(struct config_ctx *x, const char *key, const char *val,
		const char *why);
/*
 * The path of a side file named by key = val: "is empty" for an empty
 * value, otherwise val resolved against the config's directory (kept by
 * the config). NULL after an error.
 */
const char *config_side_path(struct config_ctx *x, const char *key,
			     const char *val);
/* Parse val as k's unit (or call k->set), check its range and store it. */
void config_apply(struct config_ctx *x, const struct config_key *k,
		  const char *val);

/* The keys with code of their own (config_set.c), for the tables. */
void config_set_step(struct config_ctx *x, const char *key, const char *val);
void config_set_shard_rule(struct config_ctx *x, const char *key,
			   const char *val);
void config_set_shard_place(struct config_ctx *x, const char *key,
			    const char *val);
void config_set_ttl(struct config_ctx *x, const char *key, const char *val);
void config_set_epoch(struct config_ctx *x, const char *key,
		      const char *val);
void config_set_shell_type(struct config_ctx *x, const char *key,
			   const char *val);
void config_set_tle_file(struct config_ctx *x, const char *key,
			 const char *val);
void config_set_tle_pattern(struct config_ctx *x, const char *key,
			    const char *val);
void config_set_candidates(struct config_ctx *x, const char *key,
			   const char *val);
void config_set_pairs(struct config_ctx *x, const char *key,
		      const char *val);
void config_set_tle_grid_rest(struct config_ctx *x, const char *key,
			      const char *val);
void config_set_cross_lat(struct config_ctx *x, const char *key,
			  const char *val);
void config_set_ground_alt(struct config_ctx *x, const char *key,
			   const char *val);
void config_set_ground_relay(struct config_ctx *x, const char *key,
			     const char *val);
void config_set_stations(struct config_ctx *x, const char *key,
			 const char *val);
void config_set_fault(struct config_ctx *x, const char *key,
		      const char *val);
void config_set_repoint_gain(struct config_ctx *x, const char *key,
			     const char *val);
void config_set_terminal_key(struct config_ctx *x, const char *key,
			     const char *val);
void config_set_inclination(struct config_ctx *x, const char *key,
			    const char *val);
void config_set_ltan(struct config_ctx *x, const char *key, const char *val);
void config_set_raan0(struct config_ctx *x, const char *key, const char *val);
/*
 * A shell's (or a cluster's reference orbit's) sun-synchronous keys, once
 * its section (or the file) ends; kind names the section in messages.
 */
void config_orbit_close(struct config_ctx *x, struct config_shell *sh);
void config_orbit_finish(struct config_ctx *x, struct config_shell *sh,
			 const char *kind);
/* [cluster NAME] (config_cluster.c): its entry, its checks, the end. */
bool config_cluster_open(struct config_ctx *x, const char *name);
void config_cluster_close(struct config_ctx *x);
void config_cluster_finish(struct config_ctx *x);
void config_set_layout(struct config_ctx *x, const char *key,
		       const char *val);
void config_set_cluster_file(struct config_ctx *x, const char *key,
			     const char *val);
void config_set_tap(struct config_ctx *x, const char *key,
		    const char *val);
void config_set_events(struct config_ctx *x, const char *key,
		       const char *val);

/* Add a ground station (see config_set.c); NULL if taken or no memory. */
struct config_ground *config_add_ground(struct config_ctx *x, const char *name,
					const char *file, unsigned line);

#endif
