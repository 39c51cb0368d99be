// SPDX-License-Identifier: MIT
/* config_keys.c - each section's keys (unit, field, range), storing a value */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "emu/conf/config_int.h"
#include "emu/conf/units.h"
#include "topo/lib/util.h"

/* Values ------------------------------------------------------------------- */

/* The struct whose fields the current section's offsets refer to. */
static char *config_target(struct config_ctx *x)
{
	struct config *c = x->c;

	switch (x->sec) {
	case CONFIG_SEC_EMULATION:
		return (char *)c;
	case CONFIG_SEC_SHELL:
		return (char *)&c->shells[x->idx].w;
	case CONFIG_SEC_TLE:
		return (char *)&c->tles[x->idx];
	case CONFIG_SEC_CLUSTER:
		return (char *)&c->clusters[x->idx];
	case CONFIG_SEC_ISL:
		return (char *)&c->isl;
	case CONFIG_SEC_GROUND:
		return (char *)&c->grounds[x->idx];
	case CONFIG_SEC_GSL:
		return (char *)&c->gsl;
	case CONFIG_SEC_FAULTS:
		return (char *)c;
	default:
		return NULL;
	}
}

/*
 * Is v within k's range? If not, write the reason into buf (made from
 * k's min, max and unit, so that the text cannot drift from the numbers)
 * and point *why at it.
 */
static bool config_in_range(const struct config_key *k, double v, char *buf,
			    size_t len, const char **why)
{
	bool below = k->flags & CONFIG_K_BELOW_MAX;
	const char *unit = k->type == CONFIG_T_LENGTH ? "km" : "";
	size_t n;

	if ((k->flags & CONFIG_K_POSITIVE) && !(v > 0)) {
		*why = "must be positive";
		return false;
	}
	if (!(k->flags & CONFIG_K_RANGE) ||
	    (v >= k->min && (below ? v < k->max : v <= k->max)))
		return true;
	snprintf(buf, len, "is out of range (%.15g%s to %.15g%s%s", k->min,
		 unit, k->max, unit,
		 k->type == CONFIG_T_ANGLE ? " degrees" : "");
	n = strlen(buf);
	if (below)
		snprintf(buf + n, len - n, ", %.15g excluded)", k->max);
	else
		snprintf(buf + n, len - n, ")");
	*why = buf;
	return false;
}

/* The parser of a key stored as a double (km, degrees or a plain number). */
static bool config_parse_double(const struct config_key *k, const char *val,
				double *v, const char **why)
{
	if (k->type == CONFIG_T_LENGTH)
		return units_parse_length(val, v, why);
	if (k->type == CONFIG_T_ANGLE)
		return units_parse_angle(val, v, why);
	return units_parse_real(val, v, why);
}

/* Where key k of the current section is stored. */
static void *config_field(struct config_ctx *x, const struct config_key *k)
{
	return config_target(x) + k->off;
}

/*
 * Parse val as k's unit, check its range and store it (or let k->set do
 * all of that); false with the reason in *why when val is refused (range
 * holds a generated reason).
 */
static bool config_store(struct config_ctx *x, const struct config_key *k,
			 const char *val, char *range, size_t len,
			 const char **why)
{
	struct linkparams_lossmodel loss;
	struct linkparams *lp;
	enum linkparams_qlimit qkind;
	int64_t ns;
	uint64_t u;
	double v;
	bool b;

	switch (k->type) {
	case CONFIG_T_FUNC:
		k->set(x, k->name, val);	/* reports its own errors */
		return true;
	case CONFIG_T_TIME:
		if (!units_parse_time(val, &ns, why) ||
		    !config_in_range(k, (double)ns, range, len, why))
			return false;
		*(int64_t *)config_field(x, k) = ns;
		return true;
	case CONFIG_T_LENGTH:
	case CONFIG_T_ANGLE:
	case CONFIG_T_REAL:
		if (!config_parse_double(k, val, &v, why) ||
		    !config_in_range(k, v, range, len, why))
			return false;
		*(double *)config_field(x, k) = v;
		return true;
	case CONFIG_T_UINT:
		if (!units_parse_u64(val, &u, why))
			return false;
		if (!(k->flags & CONFIG_K_RANGE) && u > UINT32_MAX) {
			*why = "is too large";
			return false;
		}
		if (!config_in_range(k, (double)u, range, len, why))
			return false;
		*(unsigned *)config_field(x, k) = (unsigned)u;
		return true;
	case CONFIG_T_U64:
		if (!units_parse_u64(val, &u, why))
			return false;
		*(uint64_t *)config_field(x, k) = u;
		return true;
	case CONFIG_T_BOOL:
		if (!units_parse_bool(val, &b, why))
			return false;
		*(bool *)config_field(x, k) = b;
		return true;
	case CONFIG_T_RATE:
		if (!units_parse_rate(val, &u, why))
			return false;
		*(uint64_t *)config_field(x, k) = u;
		return true;
	case CONFIG_T_QUEUE:
		if (!units_parse_qlimit(val, &qkind, &u, why))
			return false;
		lp = config_field(x, k);
		lp->qkind = qkind;
		lp->qlimit = u;
		return true;
	case CONFIG_T_LOSS:
		if (!units_parse_loss(val, &loss, why))
			return false;
		*(struct linkparams_lossmodel *)config_field(x, k) = loss;
		return true;
	}
	return false;
}

void config_apply(struct config_ctx *x, const struct config_key *k,
		  const char *val)
{
	const char *why = "is not valid";
	char range[96];

	if (!config_store(x, k, val, range, sizeof(range), &why))
		config_bad(x, k->name, val, why);
}

/* Tables ------------------------------------------------------------------ */

#define CONFIG_LP(st, f) (offsetof(st, lp) + offsetof(struct linkparams, f))

/* The keys a group of satellites may set for itself. */
#define CONFIG_KEYS_ISL_GROUP \
	{ .name = "terminals", .type = CONFIG_T_FUNC, \
	  .set = config_set_terminal_key }, \
	{ .name = "max-range", .type = CONFIG_T_FUNC, \
	  .set = config_set_terminal_key }, \
	{ .name = "rate", .type = CONFIG_T_FUNC, \
	  .set = config_set_terminal_key }, \
	{ .name = "acquisition", .type = CONFIG_T_FUNC, \
	  .set = config_set_terminal_key }
#define CONFIG_KEYS_FAULT_GROUP \
	{ .name = "mtbf", .type = CONFIG_T_FUNC, .set = config_set_fault }, \
	{ .name = "mttr", .type = CONFIG_T_FUNC, .set = config_set_fault }, \
	{ .name = "eclipse", .type = CONFIG_T_FUNC, \
	  .set = config_set_fault }, \
	{ .name = "battery", .type = CONFIG_T_FUNC, .set = config_set_fault }

static const struct config_key config_keys_emulation[] = {
	{ .name = "epoch", .type = CONFIG_T_FUNC, .set = config_set_epoch },
	{ .name = "step", .type = CONFIG_T_FUNC, .set = config_set_step },
	{ .name = "time-scale", .type = CONFIG_T_REAL,
	  .off = offsetof(struct config, time_scale),
	  .flags = CONFIG_K_POSITIVE },
	{ .name = "duration", .type = CONFIG_T_TIME,
	  .off = offsetof(struct config, duration_ns) },
	{ .name = "seed", .type = CONFIG_T_U64,
	  .off = offsetof(struct config, seed) },
	{ .name = "mtu", .type = CONFIG_T_UINT,
	  .off = offsetof(struct config, mtu), .flags = CONFIG_K_RANGE,
	  .min = 576, .max = 65535 },
	{ .name = "source-check", .type = CONFIG_T_BOOL,
	  .off = offsetof(struct config, source_check) },
	{ .name = "ttl", .type = CONFIG_T_FUNC, .set = config_set_ttl },
	{ .name = "events", .type = CONFIG_T_FUNC, .set = config_set_events },
	{ .name = NULL },
};

static const struct config_key config_keys_shell[] = {
	{ .name = "type", .type = CONFIG_T_FUNC, .flags = CONFIG_K_REQUIRED,
	  .set = config_set_shell_type },
	{ .name = "planes", .type = CONFIG_T_UINT,
	  .off = offsetof(struct walker_shell, planes),
	  .flags = CONFIG_K_REQUIRED | CONFIG_K_RANGE, .min = 1,
	  .max = 100000 },
	{ .name = "per-plane", .type = CONFIG_T_UINT,
	  .off = offsetof(struct walker_shell, per_plane),
	  .flags = CONFIG_K_REQUIRED | CONFIG_K_RANGE, .min = 1,
	  .max = 100000 },
	/* below planes: checked when the section closes */
	[CONFIG_KEY_SHELL_PHASING] = { .name = "phasing", .type = CONFIG_T_UINT,
	  .off = offsetof(struct walker_shell, phasing),
	  .flags = CONFIG_K_REQUIRED | CONFIG_K_RANGE, .min = 0,
	  .max = 100000 - 1 },
	{ .name = "altitude", .type = CONFIG_T_LENGTH,
	  .off = offsetof(struct walker_shell, alt_km),
	  .flags = CONFIG_K_REQUIRED | CONFIG_K_RANGE, .min = 100,
	  .max = 100000 },
	{ .name = "inclination", .type = CONFIG_T_FUNC,
	  .flags = CONFIG_K_REQUIRED, .set = config_set_inclination },
	{ .name = "phase-offset", .type = CONFIG_T_REAL,
	  .off = offsetof(struct walker_shell, extra_phase),
	  .flags = CONFIG_K_RANGE | CONFIG_K_BELOW_MAX, .min = 0, .max = 1 },
	{ .name = "raan0", .type = CONFIG_T_FUNC, .set = config_set_raan0 },
	{ .name = "ltan", .type = CONFIG_T_FUNC, .set = config_set_ltan },
	CONFIG_KEYS_FAULT_GROUP,
	CONFIG_KEYS_ISL_GROUP,
	{ .name = NULL },
};

static const struct config_key config_keys_tle[] = {
	{ .name = "file", .type = CONFIG_T_FUNC, .flags = CONFIG_K_REQUIRED,
	  .set = config_set_tle_file },
	{ .name = "pattern", .type = CONFIG_T_FUNC,
	  .set = config_set_tle_pattern },
	CONFIG_KEYS_FAULT_GROUP,
	CONFIG_KEYS_ISL_GROUP,
	{ .name = NULL },
};

#define CONFIG_CL(f) offsetof(struct config_cluster, f)

static const struct config_key config_keys_cluster[] = {
	{ .name = "altitude", .type = CONFIG_T_LENGTH,
	  .off = CONFIG_CL(orbit.w.alt_km),
	  .flags = CONFIG_K_REQUIRED | CONFIG_K_RANGE, .min = 100,
	  .max = 100000 },
	{ .name = "inclination", .type = CONFIG_T_FUNC,
	  .flags = CONFIG_K_REQUIRED, .set = config_set_inclination },
	{ .name = "raan0", .type = CONFIG_T_FUNC, .set = config_set_raan0 },
	{ .name = "ltan", .type = CONFIG_T_FUNC, .set = config_set_ltan },
	{ .name = "phase", .type = CONFIG_T_ANGLE, .off = CONFIG_CL(phase_deg),
	  .flags = CONFIG_K_RANGE | CONFIG_K_BELOW_MAX, .min = 0,
	  .max = 360 },
	[CONFIG_KEY_CLUSTER_LAYOUT] = { .name = "layout",
	  .type = CONFIG_T_FUNC, .flags = CONFIG_K_REQUIRED,
	  .set = config_set_layout },
	[CONFIG_KEY_CLUSTER_SPACING] = { .name = "spacing",
	  .type = CONFIG_T_LENGTH, .off = CONFIG_CL(spacing_km),
	  .flags = CONFIG_K_RANGE | CONFIG_K_POSITIVE, .min = 0,
	  .max = 100 },
	[CONFIG_KEY_CLUSTER_RADIUS] = { .name = "radius",
	  .type = CONFIG_T_LENGTH, .off = CONFIG_CL(radius_km),
	  .flags = CONFIG_K_RANGE | CONFIG_K_POSITIVE, .min = 0,
	  .max = 100 },
	[CONFIG_KEY_CLUSTER_COUNT] = { .name = "satellites",
	  .type = CONFIG_T_UINT, .off = CONFIG_CL(count),
	  .flags = CONFIG_K_RANGE, .min = 1, .max = 100000 },
	[CONFIG_KEY_CLUSTER_FILE] = { .name = "file", .type = CONFIG_T_FUNC,
	  .set = config_set_cluster_file },
	CONFIG_KEYS_ISL_GROUP,
	{ .name = NULL },
};

static const struct config_key config_keys_isl[] = {
	[CONFIG_KEY_ISL_CANDIDATES] = { .name = "candidates",
	  .type = CONFIG_T_FUNC, .set = config_set_candidates },
	[CONFIG_KEY_ISL_PAIRS_FILE] = { .name = "pairs-file",
	  .type = CONFIG_T_FUNC, .set = config_set_pairs },
	{ .name = "tle-grid-rest", .type = CONFIG_T_FUNC,
	  .set = config_set_tle_grid_rest },
	{ .name = "terminals", .type = CONFIG_T_UINT,
	  .off = offsetof(struct config_isl, terminals),
	  .flags = CONFIG_K_RANGE, .min = 1, .max = 64 },
	{ .name = "max-range", .type = CONFIG_T_LENGTH,
	  .off = offsetof(struct config_isl, max_range_km),
	  .flags = CONFIG_K_RANGE, .min = 0, .max = 1000000 },
	{ .name = "grazing-altitude", .type = CONFIG_T_LENGTH,
	  .off = offsetof(struct config_isl, grazing_km),
	  .flags = CONFIG_K_RANGE, .min = 0, .max = 1000 },
	{ .name = "cross-plane-max-latitude", .type = CONFIG_T_FUNC,
	  .set = config_set_cross_lat },
	{ .name = "acquisition", .type = CONFIG_T_TIME,
	  .off = offsetof(struct config_isl, acquisition_ns) },
	{ .name = "repoint", .type = CONFIG_T_TIME,
	  .off = offsetof(struct config_isl, repoint_ns) },
	{ .name = "repoint-gain", .type = CONFIG_T_FUNC,
	  .set = config_set_repoint_gain },
	{ .name = "sun-exclusion", .type = CONFIG_T_ANGLE,
	  .off = offsetof(struct config_isl, sun_excl_deg),
	  .flags = CONFIG_K_RANGE, .min = 0, .max = 180 },
	{ .name = "rate", .type = CONFIG_T_RATE,
	  .off = CONFIG_LP(struct config_isl, rate_bps) },
	{ .name = "queue", .type = CONFIG_T_QUEUE,
	  .off = offsetof(struct config_isl, lp) },
	{ .name = "loss", .type = CONFIG_T_LOSS,
	  .off = CONFIG_LP(struct config_isl, loss) },
	{ .name = NULL },
};

static const struct config_key config_keys_ground[] = {
	{ .name = "latitude", .type = CONFIG_T_ANGLE,
	  .off = offsetof(struct config_ground, lat_deg),
	  .flags = CONFIG_K_REQUIRED | CONFIG_K_RANGE, .min = -90, .max = 90 },
	{ .name = "longitude", .type = CONFIG_T_ANGLE,
	  .off = offsetof(struct config_ground, lon_deg),
	  .flags = CONFIG_K_REQUIRED | CONFIG_K_RANGE, .min = -180,
	  .max = 180 },
	{ .name = "altitude", .type = CONFIG_T_FUNC,
	  .set = config_set_ground_alt },
	{ .name = "relay", .type = CONFIG_T_FUNC,
	  .set = config_set_ground_relay },
	{ .name = NULL },
};

static const struct config_key config_keys_grounds[] = {
	[CONFIG_KEY_GROUNDS_FILE] = { .name = "file", .type = CONFIG_T_FUNC,
	  .flags = CONFIG_K_REPEAT, .set = config_set_stations },
	{ .name = NULL },
};

static const struct config_key config_keys_gsl[] = {
	{ .name = "min-elevation", .type = CONFIG_T_ANGLE,
	  .off = offsetof(struct config_gsl, min_elev_deg),
	  .flags = CONFIG_K_RANGE, .min = 0, .max = 90 },
	{ .name = "max-range", .type = CONFIG_T_LENGTH,
	  .off = offsetof(struct config_gsl, max_range_km),
	  .flags = CONFIG_K_RANGE, .min = 0, .max = 1000000 },
	{ .name = "relay", .type = CONFIG_T_BOOL,
	  .off = offsetof(struct config_gsl, relay) },
	{ .name = "rate", .type = CONFIG_T_RATE,
	  .off = CONFIG_LP(struct config_gsl, rate_bps) },
	{ .name = "queue", .type = CONFIG_T_QUEUE,
	  .off = offsetof(struct config_gsl, lp) },
	{ .name = "loss", .type = CONFIG_T_LOSS,
	  .off = CONFIG_LP(struct config_gsl, loss) },
	{ .name = NULL },
};

static const struct config_key config_keys_faults[] = {
	CONFIG_KEYS_FAULT_GROUP,
	{ .name = "link-flaps", .type = CONFIG_T_FUNC,
	  .set = config_set_fault },
	{ .name = "link-flap-time", .type = CONFIG_T_TIME,
	  .off = offsetof(struct config, flap_ns), .flags = CONFIG_K_POSITIVE },
	{ .name = NULL },
};

static const struct config_key config_keys_tap[] = {
	{ .name = "nodes", .type = CONFIG_T_FUNC, .flags = CONFIG_K_REPEAT,
	  .set = config_set_tap },
	{ .name = NULL },
};

static const struct config_key config_keys_shards[] = {
	{ .name = "partition", .type = CONFIG_T_FUNC,
	  .set = config_set_shard_rule },
	{ .name = "place", .type = CONFIG_T_FUNC, .flags = CONFIG_K_REPEAT,
	  .set = config_set_shard_place },
	{ .name = NULL },
};

const struct config_section config_sections[] = {
	{ "emulation", CONFIG_SEC_EMULATION, false, config_keys_emulation },
	{ "shell", CONFIG_SEC_SHELL, true, config_keys_shell },
	{ "tle", CONFIG_SEC_TLE, true, config_keys_tle },
	{ "cluster", CONFIG_SEC_CLUSTER, true, config_keys_cluster },
	{ "isl", CONFIG_SEC_ISL, false, config_keys_isl },
	{ "ground", CONFIG_SEC_GROUND, true, config_keys_ground },
	{ "ground-stations", CONFIG_SEC_GROUNDS, false, config_keys_grounds },
	{ "gsl", CONFIG_SEC_GSL, false, config_keys_gsl },
	{ "tap", CONFIG_SEC_TAP, false, config_keys_tap },
	{ "faults", CONFIG_SEC_FAULTS, false, config_keys_faults },
	{ "shards", CONFIG_SEC_SHARDS, false, config_keys_shards },
};

const size_t config_nsections = ARRAY_SIZE(config_sections);

const struct config_section *config_section_of(enum config_sec sec)
{
	for (size_t i = 0; i < config_nsections; i++)
		if (config_sections[i].sec == sec)
			return &config_sections[i];
	return NULL;
}
