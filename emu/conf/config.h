/* SPDX-License-Identifier: MIT */
/* config.h - the configuration file read into one struct, all errors kept */
#ifndef EMU_CONFIG_H
#define EMU_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emu/plane/linkparams.h"
#include "topo/constel.h"
#include "topo/isl.h"
#include "topo/lib/diag.h"
#include "topo/walker.h"

/*
 * The INI file described in docs/configuration.md, read by config.c's own
 * small grammar (no line length limit) and the side-file readers.
 * Loading never stops at the first problem: every error goes into a
 * struct diag as `file:line: key "value" why`, checks that span sections
 * run once at the end, and the load fails if any error was recorded.
 *
 * The struct holds plain values with their units in the field names. Node
 * names are not resolved here (TLE files are not read, tap patterns and
 * pair names are not matched): the scenario builder does that, and can
 * point back at the file and line kept beside each item.
 */

/* Longest node name, with its NUL (the same bound as the node list). */
#define CONFIG_NAME_MAX CONSTEL_NAME_MAX

/*
 * t = 0 of the emulation when [emulation] has no epoch: the one spelling of
 * the default, used by the loader and by the embedded default text.
 */
#define CONFIG_DEFAULT_EPOCH "2026-02-23T00:00:00Z"
/* The shortest geometry step (config_set_step says why). */
#define CONFIG_STEP_MIN_NS INT64_C(1000000)

/*
 * Random faults and the eclipse policy of a group of satellites: [faults]
 * gives everyone's, a [shell NAME] or [tle NAME] may give its own (has_*
 * says which keys the section gave). docs/configuration.md, [faults].
 */
struct config_fault_group {
	bool has_mtbf, has_mttr, has_eclipse, has_battery;
	int64_t mtbf_ns;		/* 0 = never fails at random */
	int64_t mttr_ns;		/* mean time to repair */
	uint8_t eclipse;		/* enum topo_eclipse */
	int64_t battery_ns;		/* in umbra this long, then down */
};

/*
 * The laser terminals of a group of satellites, where a [shell NAME] or
 * [tle NAME] gives its own (has_* says which); [isl] gives everyone's.
 */
struct config_isl_group {
	bool has_terminals, has_range, has_rate, has_acq;
	unsigned terminals;
	double max_range_km;		/* 0 = only the grazing rule */
	uint64_t rate_bps;		/* 0 = unlimited */
	int64_t acquisition_ns;
};

/* One [shell NAME]: w.name is NAME, satellites are NAME-PLANE-SLOT. */
struct config_shell {
	struct walker_shell w;
	unsigned line;		/* of the [shell NAME] header */
	struct config_fault_group faults;
	struct config_isl_group isl;
	bool incl_sso;		/* inclination = sso: from the altitude */
	bool has_ltan;		/* ltan given: raan0 from the epoch */
	double ltan_h;		/* local time of the ascending node, hours */
	unsigned ltan_line, raan0_line;
};

/* One [tle NAME]: a TLE file to be read by the scenario builder. */
struct config_tle {
	char name[CONFIG_NAME_MAX];
	const char *path;	/* resolved against the config's directory */
	/* fnmatch(3) glob on the raw catalogue name, NULL = all */
	const char *pattern;
	unsigned line;		/* of the [tle NAME] header */
	unsigned pattern_line;	/* of its pattern key, or 0 */
	struct config_fault_group faults;
	struct config_isl_group isl;
};

enum config_layout {
	CONFIG_LAYOUT_NONE,	/* no valid layout key (reported) */
	CONFIG_LAYOUT_HEX,	/* a hexagonal grid: spacing, radius */
	CONFIG_LAYOUT_FILE,	/* a CSV of Hill offsets: file */
};

/*
 * One [cluster NAME]: satellites NAME-0, NAME-1, ... around a reference
 * orbit (topo/cluster.h; docs/configuration.md, [cluster NAME]). The
 * reference's keys are a shell's (altitude, inclination or sso, raan0
 * or ltan), read into orbit by the same code: orbit.w.name is NAME and
 * only its orbit fields are used.
 */
struct config_cluster {
	struct config_shell orbit;
	double phase_deg;	/* the reference's argument of latitude */
	enum config_layout layout;
	double spacing_km, radius_km;	/* hex */
	unsigned count;		/* hex: the nearest count points, 0 = all */
	const char *file;	/* the offsets, resolved; layout = file */
	unsigned line;		/* of the [cluster NAME] header */
	struct config_isl_group isl;
};

/* One line of the pairs file: a candidate laser link between two nodes. */
struct config_pair {
	char a[CONFIG_NAME_MAX], b[CONFIG_NAME_MAX];
	const char *file;	/* the pairs file, for messages */
	unsigned line;
};

struct config_isl {
	unsigned source;		/* ISL_SRC_* bits (topo/isl.h) */
	const char *pairs_file;		/* resolved path, or NULL */
	struct config_pair *pairs;	/* read from pairs_file */
	size_t npairs;
	/*
	 * tle-grid-rest: the satellites tle-grid leaves out get no link
	 * (none), or nearest links (the default: config_finish then adds
	 * ISL_SRC_NEAREST, which also fills the free terminals of the
	 * others).
	 */
	bool tle_grid_rest_none;
	unsigned terminals;		/* laser terminals per satellite */
	double max_range_km;		/* 0 = only the grazing rule */
	double grazing_km;		/* lowest line-of-sight altitude */
	bool has_cross_lat;		/* cross-plane-max-latitude given */
	double cross_lat_deg;		/* no cross-plane links above */
	int64_t acquisition_ns;		/* set-up time of a new link */
	int64_t repoint_ns;		/* re-pointing period, 0 = never */
	double repoint_gain;		/* how much shorter, 0 to 1 */
	double sun_excl_deg;		/* 0 = no sun exclusion */
	struct linkparams lp;		/* rate, queue, loss of each ISL */
};

/* A ground station, from a [ground NAME] section or a CSV row. */
struct config_ground {
	char name[CONFIG_NAME_MAX];
	double lat_deg, lon_deg;	/* WGS-84 geodetic */
	double alt_m;			/* above the ellipsoid */
	bool relay;		/* effective: may carry transit traffic */
	bool relay_set;		/* set by the station, not [gsl] relay */
	const char *file;		/* the config or the CSV file */
	unsigned line;
};

struct config_gsl {
	double min_elev_deg;		/* elevation mask */
	double max_range_km;		/* 0 = no slant range limit */
	bool relay;			/* default for stations' relay */
	struct linkparams lp;		/* rate, queue, loss of each GSL */
};

/* One word of [tap] nodes: a node name or an fnmatch(3) pattern. */
struct config_tap {
	const char *pattern;
	const char *file;
	unsigned line;
};

/* One node of [shards] place = SHARD NODE...: it goes to that shard. */
struct config_place {
	unsigned shard;
	const char *name;
	const char *file;
	unsigned line;
};

struct config {
	const char *path;	/* the file (or the name given to a string) */
	const char *dir;	/* relative paths inside are resolved here */

	/* [emulation] */
	int64_t epoch_unix_ns;	/* t = 0 of the emulation */
	int64_t step_ns;	/* geometry and routing step, >= 1 ms */
	double time_scale;	/* emulated seconds per real second */
	int64_t duration_ns;	/* 0 = until stopped */
	uint64_t seed;		/* of every random draw (loss) */
	unsigned mtu;
	bool source_check;	/* drop frames with another node's address */
	bool ttl_fabric;	/* ttl = fabric: the mesh is one router hop */
	/* the events file (emu/conf/events.h), resolved; NULL = none */
	const char *events_path;
	unsigned events_line;	/* of its key */

	struct config_shell *shells;
	size_t nshells;
	struct config_tle *tles;
	size_t ntles;
	struct config_cluster *clusters;
	size_t nclusters;
	struct config_isl isl;
	struct config_ground *grounds;
	size_t ngrounds;
	struct config_gsl gsl;
	struct config_tap *taps;
	size_t ntaps;

	/* [shards]: the partition (enum shard_rule) and nodes placed by hand */
	unsigned shard_rule;
	struct config_place *places;
	size_t nplaces;

	/* [faults]: everyone's random faults and eclipse policy, and flaps */
	struct config_fault_group faults;
	double flaps_per_hour;		/* per laser link, 0 = none */
	int64_t flap_ns;		/* how long a flap lasts */

	/* private: every string above that is not an array, freed with c */
	char **strs;
	size_t nstrs;
};

/* The embedded default configuration, commented (`lasermesh config`). */
extern const char config_default_text[];
/* The name under which the default is loaded and reported: "<default>". */
extern const char *const config_default_name;

/*
 * Load and check a configuration. On success *out is a new config (free it
 * with config_free) and 0 is returned. Otherwise *out is NULL, d holds one
 * message per problem, and the return is -EINVAL (errors in the text or in
 * the files it names), -ENOMEM, or -errno when path itself cannot be read
 * (d then holds "path: strerror" too). d may already hold messages: they
 * are kept and do not count.
 */
int config_load_file(const char *path, struct config **out, struct diag *d);
/*
 * The same for text in memory. name is used in messages, and its
 * directory (dirname(3)) resolves relative paths inside: "conf/x.conf"
 * reads "pairs.txt" as "conf/pairs.txt"; "<default>" uses ".".
 */
int config_load_string(const char *text, const char *name,
		       struct config **out, struct diag *d);
/* config_load_file(path), or the embedded default when path is NULL. */
int config_load(const char *path, struct config **out, struct diag *d);
void config_free(struct config *c);

/*
 * Is s a safe node name: 1 to CONFIG_NAME_MAX - 1 characters of a-z, 0-9
 * and '-', not starting or ending with '-'? On false *why says why. This
 * is the one rule a node name obeys; config_keys.c says why tap/'s checks
 * at the kernel's edge are looser.
 */
bool config_name_ok(const char *s, const char **why);

/* The spelling of one source bit in the file ("plus-grid", ...). */
const char *config_isl_source_name(enum isl_source s);

#endif
