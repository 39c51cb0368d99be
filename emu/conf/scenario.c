// SPDX-License-Identifier: MIT
/* scenario.c - build nodes, pair candidates, tapped nodes and the model from a config */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emu/conf/scenario.h"
#include "tap/file.h"
#include "topo/sgp4.h"
#include "topo/tle.h"

#define SCENARIO_TLE_MAX ((size_t)1 << 30)

/* "1 element set", "2 element sets": the word for n. */
static const char *scenario_plural(size_t n, const char *one,
				   const char *many)
{
	return n == 1 ? one : many;
}

/* What an SGP4 error code means (topo/sgp4.h, after Vallado). */
static const char *scenario_sgp4_why(int code)
{
	switch (code) {
	case SGP4_E_MEAN_ECC:
		return "mean eccentricity out of range or orbit inside the "
		       "Earth";
	case SGP4_E_MEAN_MOTION:
		return "mean motion is negative";
	case SGP4_E_PERT_ECC:
		return "perturbed eccentricity out of range";
	case SGP4_E_SEMI_LATUS:
		return "semi-latus rectum is negative";
	case SGP4_E_SUBORBITAL:
		return "the elements are sub-orbital";
	case SGP4_E_DECAYED:
		return "the satellite has decayed";
	case SGP4_E_TIME:
		return "the time is too far from the element set's epoch";
	}
	return "unknown error";
}

/*
 * Add one element set as a satellite. 0 when added, 1 when SGP4 refused
 * it (a warning says why), -errno. A catalogue name that a Walker shell's
 * satellite already has gives way (the TLE satellite gets NAME-2) with a
 * warning naming both; names repeated inside TLE files get -2, -3, ...
 * silently (docs/configuration.md, "Names").
 */
static int scenario_add_sat(struct scenario *s, const struct config_tle *t,
			    const struct tle_entry *e, const char *name,
			    struct diag *d)
{
	struct constel *k = &s->constel;
	char safe[CONSTEL_NAME_MAX];
	long held;
	int ret;

	constel_safe_name(name, safe, sizeof(safe));
	held = safe[0] ? constel_find(k, safe) : -1;
	ret = constel_add_sat(k, name, &e->el);
	if (ret < 0)
		return ret;
	if (ret > 0) {
		diag_warn(d, t->path, e->line,
			  "satellite \"%s\" left out: %s (SGP4 error %d)",
			  name, scenario_sgp4_why(ret), ret);
		s->tle_rejected++;
		return 1;
	}
	s->tle_loaded++;
	if (held >= 0 && k->node[held].shell != CONSTEL_NO_SHELL)
		diag_warn(d, t->path, e->line,
			  "satellite \"%s\" is called %s: %s is a satellite "
			  "of [shell %s]", name, k->node[k->n - 1].name, safe,
			  k->shells[k->node[held].shell].name);
	return 0;
}

/*
 * After a [tle] source added no satellite: say why, at its line (the
 * pattern's line when it has one), naming the file and the pattern.
 */
static void scenario_tle_empty(const struct scenario *s,
			       const struct config_tle *t, size_t nsets,
			       size_t matched, struct diag *d)
{
	const char *conf = s->cfg->path;

	const char *sets = scenario_plural(nsets, "element set",
					   "element sets");

	if (!nsets)
		diag_error(d, conf, t->line, "file \"%s\" holds no element set",
			   t->path);
	else if (t->pattern && !matched)
		diag_error(d, conf, t->pattern_line ? t->pattern_line : t->line,
			   "pattern \"%s\" of [tle %s] matches none of the %zu "
			   "%s in \"%s\"", t->pattern, t->name, nsets, sets,
			   t->path);
	else
		diag_error(d, conf, t->line,
			   "[tle %s]: SGP4 refused %s %zu %s chosen from "
			   "\"%s\" (see the warnings)", t->name,
			   matched == 1 ? "the" : "all", matched,
			   scenario_plural(matched, "element set",
					   "element sets"), t->path);
}

/* Add the element sets of one [tle] source; bad sets are warnings. */
static int scenario_add_tle(struct scenario *s, const struct config_tle *t,
			    struct diag *d)
{
	struct tle_set set = { 0 };
	size_t matched = 0, loaded = 0;
	struct diag td;
	char *text;
	size_t len;
	int ret;

	ret = file_read_all(t->path, SCENARIO_TLE_MAX, FILE_F_REGULAR, &text,
			    &len);
	if (ret < 0) {
		diag_error(d, s->cfg->path, t->line, "file \"%s\" %s", t->path,
			   file_strerror(ret));
		return ret == -ENOMEM ? ret : 0;
	}
	diag_init(&td);
	ret = tle_parse(text, len, t->path, &set, &td);
	free(text);
	/* A bad element set in a 9,000-line catalogue is not fatal. */
	for (size_t i = 0; i < td.n; i++)
		diag_warn(d, NULL, 0, "%s (element set left out)", td.msg[i]);
	diag_count(d, DIAG_WARNING, diag_unlisted(&td, DIAG_ERROR));
	diag_free(&td);
	if (ret < 0)
		goto out;
	for (size_t i = 0; i < set.n; i++) {
		const struct tle_entry *e = &set.v[i];
		char num[32];
		const char *name = e->name;

		if (!name[0]) {
			snprintf(num, sizeof(num), "sat-%ld", e->el.satnum);
			name = num;
		}
		if (t->pattern && fnmatch(t->pattern, name, 0) != 0)
			continue;
		matched++;
		ret = scenario_add_sat(s, t, e, name, d);
		if (ret < 0)
			goto out;
		loaded += ret == 0;
	}
	if (!loaded)
		scenario_tle_empty(s, t, set.n, matched, d);
	ret = 0;
out:
	tle_set_free(&set);
	return ret;
}

/*
 * Add a ground station. Its name is the user's and wins: a TLE satellite
 * that took it (they are added first) is renamed, with a warning naming
 * both. A shell satellite or another station cannot hold it (the
 * configuration reader refuses those).
 */
static int scenario_add_ground(struct scenario *s,
			       const struct config_ground *g, struct diag *d)
{
	struct constel *k = &s->constel;
	long held = constel_find(k, g->name);
	int ret;

	if (held >= 0 && k->node[held].kind == CONSTEL_SAT &&
	    k->node[held].shell == CONSTEL_NO_SHELL) {
		ret = constel_rename(k, (size_t)held);
		if (ret < 0)
			return ret;
		diag_warn(d, g->file, g->line,
			  "ground station \"%s\" keeps its name: the TLE "
			  "satellite also called %s is now %s", g->name,
			  g->name, k->node[held].name);
	}
	ret = constel_add_ground(k, g->name, g->lat_deg, g->lon_deg, g->alt_m,
				 g->relay);
	if (ret == -EEXIST) {
		diag_error(d, g->file, g->line,
			   "ground station \"%s\" has the name of another node",
			   g->name);
		return 0;
	}
	return ret;
}

static int scenario_add_nodes(struct scenario *s, struct diag *d)
{
	const struct config *c = s->cfg;
	int ret;

	for (size_t i = 0; i < c->nshells; i++) {
		ret = constel_add_shell(&s->constel, &c->shells[i].w,
					c->epoch_unix_ns);
		if (ret < 0)
			return ret;
	}
	s->tle_end = calloc(c->ntles ? c->ntles : 1, sizeof(*s->tle_end));
	if (!s->tle_end)
		return -ENOMEM;
	for (size_t i = 0; i < c->ntles; i++) {
		ret = scenario_add_tle(s, &c->tles[i], d);
		if (ret < 0)
			return ret;
		s->tle_end[i] = s->constel.nsat;
	}
	ret = scenario_add_clusters(s, d);
	if (ret < 0)
		return ret;
	for (size_t i = 0; i < c->ngrounds; i++) {
		ret = scenario_add_ground(s, &c->grounds[i], d);
		if (ret < 0)
			return ret;
	}
	return constel_index(&s->constel);
}

/* Resolve one name of the pairs file to a satellite index, or -1. */
static long scenario_pair_end(struct scenario *s, const struct config_pair *p,
			      const char *name, struct diag *d)
{
	long i = constel_find(&s->constel, name);

	if (i < 0) {
		diag_error(d, p->file, p->line, "node \"%s\" does not exist",
			   name);
		return -1;
	}
	if (s->constel.node[i].kind != CONSTEL_SAT) {
		diag_error(d, p->file, p->line,
			   "node \"%s\" is a ground station, not a satellite",
			   name);
		return -1;
	}
	return i;
}

static int scenario_resolve_pairs(struct scenario *s, struct diag *d)
{
	const struct config_isl *isl = &s->cfg->isl;

	if (!(isl->source & ISL_SRC_PAIRS) || !isl->npairs)
		return 0;
	s->pairs = calloc(isl->npairs, sizeof(*s->pairs));
	if (!s->pairs)
		return -ENOMEM;
	for (size_t i = 0; i < isl->npairs; i++) {
		const struct config_pair *p = &isl->pairs[i];
		long a = scenario_pair_end(s, p, p->a, d);
		long b = scenario_pair_end(s, p, p->b, d);

		/* a == b cannot be: the pairs file reader refuses it */
		if (a < 0 || b < 0)
			continue;
		s->pairs[s->npairs].a = (uint32_t)(a < b ? a : b);
		s->pairs[s->npairs].b = (uint32_t)(a < b ? b : a);
		s->npairs++;
	}
	return 0;
}

static int scenario_resolve_taps(struct scenario *s, struct diag *d)
{
	const struct config *c = s->cfg;
	const struct constel *k = &s->constel;
	uint8_t *mark;

	mark = calloc(k->n ? k->n : 1, 1);
	if (!mark)
		return -ENOMEM;
	for (size_t i = 0; i < c->ntaps; i++) {
		const struct config_tap *t = &c->taps[i];
		size_t hits = 0;

		for (size_t v = 0; v < k->n; v++) {
			if (fnmatch(t->pattern, k->node[v].name, 0) == 0) {
				mark[v] = 1;
				hits++;
			}
		}
		if (!hits)
			diag_error(d, t->file, t->line,
				   "nodes \"%s\" matches no node", t->pattern);
	}
	s->tapped = malloc((k->n ? k->n : 1) * sizeof(*s->tapped));
	if (!s->tapped) {
		free(mark);
		return -ENOMEM;
	}
	for (size_t v = 0; v < k->n; v++)
		if (mark[v])
			s->tapped[s->ntapped++] = (uint32_t)v;
	free(mark);
	return 0;
}

int scenario_build(struct scenario *s, const struct config *c,
		   struct diag *d)
{
	size_t errors = d->errors;
	int ret;

	memset(s, 0, sizeof(*s));
	s->cfg = c;
	s->epoch_unix_ns = c->epoch_unix_ns;
	s->step_ns = c->step_ns;
	s->time_scale = c->time_scale;
	s->seed = c->seed;
	s->source_check = c->source_check;
	s->ttl_fabric = c->ttl_fabric;
	s->isl_lp = c->isl.lp;
	s->gsl_lp = c->gsl.lp;
	constel_init(&s->constel);
	ret = scenario_add_nodes(s, d);
	if (ret < 0)
		goto fail;
	ret = scenario_resolve_pairs(s, d);
	if (ret < 0)
		goto fail;
	ret = scenario_resolve_taps(s, d);
	if (ret < 0)
		goto fail;
	ret = scenario_places(s, d);
	if (ret < 0)
		goto fail;
	if (d->errors > errors) {
		ret = -EINVAL;
		goto fail;
	}
	return 0;
fail:
	scenario_free(s);
	return ret;
}

static void scenario_isl_params(const struct scenario *s,
				struct isl_params *p)
{
	const struct config_isl *ci = &s->cfg->isl;

	isl_params_default(p);
	p->source = ci->source;
	p->pairs = s->pairs;
	p->npairs = s->npairs;
	p->terminals = ci->terminals;
	p->max_range_km = ci->max_range_km;
	p->grazing_km = ci->grazing_km;
	p->has_cross_lat = ci->has_cross_lat;
	p->cross_lat_deg = ci->cross_lat_deg;
	p->acquisition_ns = ci->acquisition_ns;
	p->repoint_ns = ci->repoint_ns;
	p->repoint_gain = ci->repoint_gain;
	p->sun_excl_deg = ci->sun_excl_deg;
	p->epoch_unix_ns = s->epoch_unix_ns;
}

static void scenario_add_dest(struct scenario *s, uint8_t *mark, uint32_t v)
{
	if (mark[v])
		return;
	mark[v] = 1;
	s->dest[s->ndest++] = v;
}

int scenario_prepare(struct scenario *s, const uint32_t *extra,
		     size_t nextra)
{
	const struct constel *k = &s->constel;
	uint8_t *mark;
	int ret;

	mark = calloc(k->n ? k->n : 1, 1);
	s->dest = malloc((k->n ? k->n : 1) * sizeof(*s->dest));
	if (!mark || !s->dest) {
		free(mark);
		return -ENOMEM;
	}
	s->ndest = 0;
	for (size_t i = 0; i < s->ntapped; i++)
		scenario_add_dest(s, mark, s->tapped[i]);
	for (size_t v = k->nsat; v < k->n; v++)
		scenario_add_dest(s, mark, (uint32_t)v);
	for (size_t i = 0; i < nextra; i++)
		if (extra[i] < k->n)
			scenario_add_dest(s, mark, extra[i]);
	free(mark);

	topo_model_init(&s->model, &s->constel);
	scenario_isl_params(s, &s->model.isl);
	s->model.gsl.min_elev_deg = s->cfg->gsl.min_elev_deg;
	s->model.gsl.max_range_km = s->cfg->gsl.max_range_km;
	s->model.dest = s->dest;
	s->model.ndest = s->ndest;
	if (s->faults.eclipse_on) {
		s->model.eclipse = s->faults.eclipse;
		s->model.battery_ns = s->faults.battery_ns;
	}
	ret = scenario_isl_groups(s, &s->model.isl);
	if (ret < 0)
		return ret;
	if (s->threads > 1 && !s->pool) {
		ret = topo_pool_new(s->threads, s->thread_init, &s->pool);
		if (ret < 0)
			return ret;
	}
	s->model.pool = s->pool;
	ret = topo_model_prepare(&s->model);
	if (ret < 0)
		return ret;
	s->prepared = true;
	return 0;
}

void scenario_use_threads(struct scenario *s, void (*init)(void))
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	s->threads = 1;
	s->thread_init = init;
	if (s->constel.nsat >= SCENARIO_THREADS_MIN && cpus > 1)
		s->threads = cpus < TOPO_POOL_MAX ? (unsigned)cpus :
						    TOPO_POOL_MAX;
}

void scenario_free(struct scenario *s)
{
	if (!s)
		return;
	if (s->prepared)
		topo_model_free(&s->model);
	topo_pool_free(s->pool);
	s->pool = NULL;
	constel_free(&s->constel);
	free(s->pairs);
	free(s->pins);
	free(s->tapped);
	free(s->dest);
	free(s->tle_end);
	free(s->cluster_end);
	free(s->isl_terminals);
	free(s->isl_range_km);
	free(s->isl_acq_ns);
	free(s->isl_rate_bps);
	scenario_faults_free(s);
	memset(s, 0, sizeof(*s));
}

int scenario_summary(const struct scenario *s, char *buf, size_t len)
{
	const struct constel *k = &s->constel;
	size_t ng = k->n - k->nsat;

	return snprintf(buf, len, "%zu %s, %zu %s", k->nsat,
			scenario_plural(k->nsat, "satellite", "satellites"), ng,
			scenario_plural(ng, "ground station",
					"ground stations"));
}

/* Warn when a tapped pair's path at the epoch outlives the hosts' TTL. */
static int scenario_check_ttl(struct scenario *s, struct diag *d)
{
	const struct constel *k = &s->constel;
	struct topo_state st;
	uint32_t a, b;
	size_t routers;
	int ret = topo_state_init(&st, &s->model);

	if (ret == 0)
		ret = topo_step(&s->model, NULL, s->epoch_unix_ns, &st);
	if (ret == 0) {
		routers = scenario_longest_path(s, &st, &a, &b);
		if (routers >= SCENARIO_HOST_TTL)
			diag_warn(d, s->cfg->path, 0,
				  "the path from %s to %s crosses %zu "
				  "satellites at the epoch: with ttl = "
				  "per-satellite a packet sent with the usual "
				  "TTL of %d expires on the way (set "
				  "[emulation] ttl = fabric)", k->node[a].name,
				  k->node[b].name, routers, SCENARIO_HOST_TTL);
	}
	topo_state_free(&st);
	return ret;
}

int scenario_check(const struct config *c, const char *events,
		   struct diag *d)
{
	struct scenario s;
	int ret;

	ret = scenario_build(&s, c, d);
	if (ret < 0)
		return ret;
	ret = scenario_faults(&s, events, d);
	if (ret == 0) {
		ret = scenario_prepare(&s, NULL, 0);
		if (ret == -EINVAL)
			diag_error(d, c->path, 0,
				   "the geometry model rejected the scenario: "
				   "%s", s.model.why);
	}
	if (ret == 0 && !s.ttl_fabric && s.ntapped > 1)
		ret = scenario_check_ttl(&s, d);
	scenario_free(&s);
	return ret;
}
