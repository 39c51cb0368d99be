// SPDX-License-Identifier: MIT
/* config_set.c - node names, and the keys that need code of their own */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu/conf/config_int.h"
#include "emu/conf/sidefile.h"
#include "emu/conf/units.h"
#include "topo/lib/util.h"
#include "topo/shard.h"
#include "topo/utc.h"

/* Names ------------------------------------------------------------------ */

/*
 * The one rule for node names. A node name becomes a network namespace, a
 * host name in /etc/netns/NODE/hosts and part of messages and CSV output,
 * so it is a DNS label: 1 to 63 characters of a-z, 0-9 and '-', not
 * starting or ending with '-'. tap/'s own checks (hosts_name_valid,
 * netns_name_valid) are looser on purpose: they guard what the kernel and
 * the hosts file accept, whoever calls them, and every name lasermesh
 * makes passes this stricter rule first (TLE names are made to pass it by
 * constel_safe_name()).
 */
bool config_name_ok(const char *s, const char **why)
{
	static char too_long[64];
	size_t n = strlen(s);
	const char *reason = NULL;

	if (n == 0) {
		reason = "is empty";
	} else if (n >= CONFIG_NAME_MAX) {
		snprintf(too_long, sizeof(too_long),
			 "is longer than %d characters", CONFIG_NAME_MAX - 1);
		reason = too_long;
	} else if (s[0] == '-' || s[n - 1] == '-') {
		reason = "starts or ends with -";
	}
	for (size_t i = 0; !reason && i < n; i++)
		if (!islower((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]) && s[i] != '-')
			reason = "has characters other than a-z, 0-9 and -";
	if (reason && why)
		*why = reason;
	return !reason;
}

/* A [tap] word: a node name, or a pattern of name characters and globs. */
static bool config_pattern_ok(const char *s, const char **why)
{
	size_t n = strlen(s);

	if (n >= CONFIG_PATTERN_MAX) {
		*why = "is too long";
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (!islower((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]) && !strchr("-*?[]!^", s[i])) {
			*why = "has characters other than a-z, 0-9, - and the "
			       "globs * ? [ ] (node names are lower case)";
			return false;
		}
	}
	return true;
}

const char *config_isl_source_name(enum isl_source s)
{
	switch (s) {
	case ISL_SRC_GRID:
		return "plus-grid";
	case ISL_SRC_NEAREST:
		return "nearest";
	case ISL_SRC_PAIRS:
		return "pairs";
	case ISL_SRC_TLE_GRID:
		return "tle-grid";
	}
	return "?";
}

/* Ground stations --------------------------------------------------------- */

/* FNV-1a of a station name, for the table of names. */
static uint32_t config_name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++) {
		h ^= (uint8_t)*s;
		h *= 16777619u;
	}
	return h;
}

/* The slot of name in the station table: its entry, or the empty one. */
static size_t config_ground_slot(const struct config_ctx *x, const char *name)
{
	size_t mask = x->gtab_cap - 1;
	size_t i = config_name_hash(name) & mask;

	while (x->gtab[i] &&
	       strcmp(x->c->grounds[x->gtab[i] - 1].name, name))
		i = (i + 1) & mask;
	return i;
}

/*
 * The next whitespace-separated word of *p, copied into *word (the caller
 * frees it); *p moves past it. 1: a word, 0: none left, -1: no memory.
 */
static int config_next_word(const char **p, char **word)
{
	const char *s = *p, *e;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s) {
		*p = s;
		return 0;
	}
	for (e = s; *e && !isspace((unsigned char)*e); e++)
		;
	*p = e;
	*word = strndup(s, (size_t)(e - s));
	return *word ? 1 : -1;
}

/* Room in the station table for one more name (load at most 1/2). */
static int config_ground_room(struct config_ctx *x)
{
	size_t cap = x->gtab_cap ? x->gtab_cap : 64;
	uint32_t *old = x->gtab;
	size_t old_cap = x->gtab_cap;

	while (2 * (x->c->ngrounds + 1) > cap)
		cap *= 2;
	if (cap == x->gtab_cap)
		return 0;
	x->gtab = calloc(cap, sizeof(*x->gtab));
	if (!x->gtab) {
		x->gtab = old;
		return -ENOMEM;
	}
	x->gtab_cap = cap;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i])
			x->gtab[config_ground_slot(
				x, x->c->grounds[old[i] - 1].name)] = old[i];
	free(old);
	return 0;
}

/*
 * Add a ground station called name (already checked; "" for a bad name,
 * kept only to check its keys), defined at file:line, unless the name is
 * taken. NULL if taken or out of memory. Names are looked up in a hash
 * table, so that a CSV of 100,000 stations is not quadratic.
 */
struct config_ground *config_add_ground(struct config_ctx *x, const char *name,
					const char *file, unsigned line)
{
	struct config *c = x->c;
	struct config_ground *g;
	size_t slot = 0;

	if (config_ground_room(x) < 0) {
		x->enomem = true;
		return NULL;
	}
	if (*name) {
		slot = config_ground_slot(x, name);
		if (x->gtab[slot]) {
			g = &c->grounds[x->gtab[slot] - 1];
			diag_error(x->d, file, line,
				   "ground station \"%s\" is defined twice "
				   "(first at %s:%u)", name, g->file, g->line);
			return NULL;
		}
	}
	g = config_push(x, (void **)&c->grounds, &c->ngrounds,
			&x->cap_grounds, sizeof(*g));
	if (!g)
		return NULL;
	if (*name)
		x->gtab[slot] = (uint32_t)c->ngrounds;
	snprintf(g->name, sizeof(g->name), "%s", name);
	g->file = file;
	g->line = line;
	return g;
}

/* [ground-stations] file: a CSV read by sidefile.c. */
void config_set_stations(struct config_ctx *x, const char *key,
				const char *val)
{
	struct sidefile_src src = { x->file, x->line, key, val, NULL };
	struct sidefile_station *st;
	size_t n;

	src.path = config_side_path(x, key, val);
	if (!src.path)
		return;
	if (sidefile_stations(&src, &st, &n, x->d) == -ENOMEM) {
		x->enomem = true;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct config_ground *g;

		g = config_add_ground(x, st[i].name, src.path, st[i].line);
		if (!g)
			continue;
		g->lat_deg = st[i].lat_deg;
		g->lon_deg = st[i].lon_deg;
		g->alt_m = st[i].alt_m;
	}
	free(st);
}

/* [isl] pairs-file: read by sidefile.c. */
void config_set_pairs(struct config_ctx *x, const char *key,
			     const char *val)
{
	struct sidefile_src src = { x->file, x->line, key, val, NULL };
	struct config_isl *isl = &x->c->isl;

	src.path = config_side_path(x, key, val);
	if (!src.path)
		return;
	isl->pairs_file = src.path;
	if (sidefile_pairs(&src, &isl->pairs, &isl->npairs, x->d) == -ENOMEM)
		x->enomem = true;
}

/*
 * [emulation] events: the events file. Only its path and that it can be
 * read are checked here; it is parsed against the node list
 * (emu/conf/events.h) once the scenario is built.
 */
void config_set_events(struct config_ctx *x, const char *key,
		       const char *val)
{
	struct sidefile_src src = { x->file, x->line, key, val, NULL };

	src.path = config_side_path(x, key, val);
	if (!src.path)
		return;
	x->c->events_path = src.path;
	x->c->events_line = x->line;
	sidefile_check(&src, x->d);
}

/* Keys with their own code ------------------------------------------------- */

void config_set_epoch(struct config_ctx *x, const char *key,
			     const char *val)
{
	if (!utc_parse_iso8601(val, &x->c->epoch_unix_ns))
		config_bad(x, key, val,
			   "is not an ISO-8601 UTC time (as "
			   CONFIG_DEFAULT_EPOCH ")");
}

/* ttl = per-satellite | fabric (docs/configuration.md, [emulation]). */
void config_set_ttl(struct config_ctx *x, const char *key, const char *val)
{
	if (!strcmp(val, "per-satellite"))
		x->c->ttl_fabric = false;
	else if (!strcmp(val, "fabric"))
		x->c->ttl_fabric = true;
	else
		config_bad(x, key, val, "is not per-satellite or fabric");
}

/*
 * The geometry and routing step. Below 1 ms a step costs more than the
 * time it covers (one step at 1,584 satellites takes about 1 ms of CPU),
 * and `path` or a replay with acquisition would loop for hours.
 */
void config_set_step(struct config_ctx *x, const char *key, const char *val)
{
	const char *why = NULL;
	int64_t ns;

	if (!units_parse_time(val, &ns, &why))
		config_bad(x, key, val, why);
	else if (ns <= 0)
		config_bad(x, key, val, "must be positive");
	else if (ns < CONFIG_STEP_MIN_NS)
		config_bad(x, key, val, "is below 1ms, the shortest step");
	else
		x->c->step_ns = ns;
}

void config_set_shell_type(struct config_ctx *x, const char *key,
				  const char *val)
{
	struct walker_shell *w = &x->c->shells[x->idx].w;

	if (!strcmp(val, "walker-delta"))
		w->kind = WALKER_DELTA;
	else if (!strcmp(val, "walker-star"))
		w->kind = WALKER_STAR;
	else
		config_bad(x, key, val,
			   "is not a shell type (use walker-delta or "
			   "walker-star)");
}

void config_set_tle_file(struct config_ctx *x, const char *key,
				const char *val)
{
	struct sidefile_src src = { x->file, x->line, key, val, NULL };

	src.path = config_side_path(x, key, val);
	if (!src.path)
		return;
	x->c->tles[x->idx].path = src.path;
	/* The file is read later, by the scenario builder: only look. */
	sidefile_check(&src, x->d);
}

void config_set_tle_pattern(struct config_ctx *x, const char *key,
				   const char *val)
{
	struct config_tle *t = &x->c->tles[x->idx];

	if (!*val) {
		config_bad(x, key, val, "is empty");
	} else if (strlen(val) >= CONFIG_PATTERN_MAX) {
		config_bad(x, key, val, "is too long");
	} else {
		t->pattern = config_keep(x, strdup(val));
		t->pattern_line = x->line;
	}
}

/* A list of sources ("plus-grid nearest"), or "none". */
void config_set_candidates(struct config_ctx *x, const char *key,
				  const char *val)
{
	static const enum isl_source all[] = {
		ISL_SRC_GRID, ISL_SRC_NEAREST, ISL_SRC_PAIRS, ISL_SRC_TLE_GRID,
	};
	static const char bad[] = "is not a candidate source (use plus-grid, "
				  "tle-grid, nearest, pairs or none, or a "
				  "list such as "
				  "\"plus-grid nearest\")";
	unsigned bits = 0;
	bool none = false;
	const char *p = val;

	while (*p) {
		size_t n = strcspn(p, " \t,+");
		bool found = false;

		if (!n) {
			p++;
			continue;
		}
		if (n == 4 && !strncmp(p, "none", 4)) {
			none = true;
			found = true;
		}
		for (size_t i = 0; i < ARRAY_SIZE(all); i++) {
			const char *name = config_isl_source_name(all[i]);

			if (strlen(name) == n && !strncmp(p, name, n)) {
				bits |= all[i];
				found = true;
			}
		}
		if (!found) {
			config_bad(x, key, val, bad);
			return;
		}
		p += n;
	}
	if (none && bits)
		config_bad(x, key, val, "combines none with a source");
	else if (!none && !bits)
		config_bad(x, key, val, "names no candidate source");
	else
		x->c->isl.source = bits;
}

/* What tle-grid does with the satellites it leaves out: nearest or none. */
void config_set_tle_grid_rest(struct config_ctx *x, const char *key,
			      const char *val)
{
	if (!strcmp(val, "nearest"))
		x->c->isl.tle_grid_rest_none = false;
	else if (!strcmp(val, "none"))
		x->c->isl.tle_grid_rest_none = true;
	else
		config_bad(x, key, val, "is not a rule (use nearest or none)");
}

void config_set_cross_lat(struct config_ctx *x, const char *key,
				 const char *val)
{
	const char *why = NULL;
	double deg;

	if (!units_parse_angle(val, &deg, &why)) {
		config_bad(x, key, val, why);
	} else if (deg < 0 || deg > 90) {
		config_bad(x, key, val, "is out of range (0 to 90 degrees)");
	} else {
		x->c->isl.has_cross_lat = true;
		x->c->isl.cross_lat_deg = deg;
	}
}

void config_set_ground_alt(struct config_ctx *x, const char *key,
				  const char *val)
{
	const char *why = NULL;
	double km;

	if (!units_parse_signed_length(val, &km, &why))
		config_bad(x, key, val, why);
	else if (km < -1 || km > 100)
		config_bad(x, key, val, "is out of range (-1km to 100km)");
	else
		x->c->grounds[x->idx].alt_m = km * 1000;
}

void config_set_ground_relay(struct config_ctx *x, const char *key,
				    const char *val)
{
	struct config_ground *g = &x->c->grounds[x->idx];
	const char *why = NULL;

	if (!units_parse_bool(val, &g->relay, &why))
		config_bad(x, key, val, why);
	else
		g->relay_set = true;
}

/* [tap] nodes: names or patterns separated by white space; repeats add. */
void config_set_tap(struct config_ctx *x, const char *key,
			   const char *val)
{
	const char *p = val, *why = NULL;
	struct config *c = x->c;

	if (!*val) {
		config_bad(x, key, val, "is empty");
		return;
	}
	for (;;) {
		struct config_tap *t;
		char *word;
		int got = config_next_word(&p, &word);

		if (got < 0) {
			x->enomem = true;
			return;
		}
		if (!got)
			break;
		if (!config_pattern_ok(word, &why)) {
			config_bad(x, key, word, why);
			free(word);
			continue;
		}
		t = config_push(x, (void **)&c->taps, &c->ntaps, &x->cap_taps,
				sizeof(*t));
		if (!t) {
			free(word);
			return;
		}
		t->pattern = config_keep(x, word);
		t->file = x->file;
		t->line = x->line;
	}
}


/* [shards] partition = planes | blocks (topo/shard.h) */
void config_set_shard_rule(struct config_ctx *x, const char *key,
			   const char *val)
{
	if (strcmp(val, "planes") == 0)
		x->c->shard_rule = SHARD_PLANES;
	else if (strcmp(val, "blocks") == 0)
		x->c->shard_rule = SHARD_BLOCKS;
	else
		config_bad(x, key, val, "is not planes or blocks");
}

/* [shards] place = SHARD NODE...: node names (checked by the scenario) */
void config_set_shard_place(struct config_ctx *x, const char *key,
			    const char *val)
{
	struct config *c = x->c;
	const char *p = val;
	unsigned long shard;
	char *end;

	errno = 0;
	shard = strtoul(val, &end, 10);
	if (end == val || !isspace((unsigned char)*end) || errno ||
	    shard >= SHARD_MAX) {
		config_bad(x, key, val, "is not a shard number (0 to 1023) "
			   "then node names");
		return;
	}
	p = end;
	for (;;) {
		struct config_place *pl;
		char *word;
		int got = config_next_word(&p, &word);

		if (got < 0) {
			x->enomem = true;
			return;
		}
		if (!got)
			break;
		pl = config_push(x, (void **)&c->places, &c->nplaces,
				 &x->cap_places, sizeof(*pl));
		if (!pl) {
			free(word);
			return;
		}
		pl->shard = (unsigned)shard;
		pl->name = config_keep(x, word);
		pl->file = x->file;
		pl->line = x->line;
	}
}
