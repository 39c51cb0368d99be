// SPDX-License-Identifier: MIT
/* scenario.c - build nodes, pair candidates, tapped nodes and the model from a config */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emu/conf/scenario.h"
#include "topo/tle.h"

int scenario_read_file(const char *path, char **buf, size_t *len)
{
	struct stat st;
	char *b = NULL;
	size_t cap, n = 0;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		ret = -errno;
		goto out_close;
	}
	if (S_ISDIR(st.st_mode)) {
		ret = -EISDIR;
		goto out_close;
	}
	cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
	b = malloc(cap);
	if (!b) {
		ret = -ENOMEM;
		goto out_close;
	}
	for (;;) {
		ssize_t r;

		if (n + 1 >= cap) {
			char *nb = realloc(b, cap * 2);

			if (!nb) {
				ret = -ENOMEM;
				goto out_free;
			}
			b = nb;
			cap *= 2;
		}
		r = read(fd, b + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			goto out_free;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	close(fd);
	return 0;

out_free:
	free(b);
out_close:
	close(fd);
	return ret;
}

/* Add the element sets of one [tle] source; bad sets are warnings. */
static int scenario_add_tle(struct scenario *s, const struct config_tle *t,
			    struct diag *d)
{
	struct tle_set set = { 0 };
	struct diag td;
	char *text;
	size_t len;
	int ret;

	ret = scenario_read_file(t->path, &text, &len);
	if (ret < 0) {
		diag_error(d, s->cfg->path, t->line, "file \"%s\" %s", t->path,
			   strerror(-ret));
		return ret == -ENOMEM ? ret : 0;
	}
	diag_init(&td);
	ret = tle_parse(text, len, t->path, &set, &td);
	free(text);
	/* A bad element set in a 9,000-line catalogue is not fatal. */
	for (size_t i = 0; i < td.n; i++)
		diag_warn(d, NULL, 0, "%s (element set left out)", td.msg[i]);
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
		ret = constel_add_sat(&s->constel, name, &e->el);
		if (ret < 0)
			goto out;
		if (ret > 0) {
			diag_warn(d, t->path, e->line,
				  "satellite \"%s\" left out: SGP4 error %d",
				  name, ret);
			s->tle_rejected++;
			continue;
		}
		s->tle_loaded++;
	}
	if (!set.n)
		diag_error(d, s->cfg->path, t->line,
			   "file \"%s\" holds no element set", t->path);
	ret = 0;
out:
	tle_set_free(&set);
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
	for (size_t i = 0; i < c->ntles; i++) {
		ret = scenario_add_tle(s, &c->tles[i], d);
		if (ret < 0)
			return ret;
	}
	for (size_t i = 0; i < c->ngrounds; i++) {
		const struct config_ground *g = &c->grounds[i];

		ret = constel_add_ground(&s->constel, g->name, g->lat_deg,
					 g->lon_deg, g->alt_m, g->relay);
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

	if (!(isl->source & CONFIG_ISL_PAIRS) || !isl->npairs)
		return 0;
	s->pairs = calloc(isl->npairs, sizeof(*s->pairs));
	if (!s->pairs)
		return -ENOMEM;
	for (size_t i = 0; i < isl->npairs; i++) {
		const struct config_pair *p = &isl->pairs[i];
		long a = scenario_pair_end(s, p, p->a, d);
		long b = scenario_pair_end(s, p, p->b, d);

		if (a < 0 || b < 0)
			continue;
		if (a == b) {
			diag_error(d, p->file, p->line,
				   "pair \"%s %s\" links a node to itself",
				   p->a, p->b);
			continue;
		}
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
	constel_init(&s->constel);
	ret = scenario_add_nodes(s, d);
	if (ret < 0)
		goto fail;
	if (!s->constel.nsat)
		diag_error(d, c->path, 0, "the configuration has no satellite");
	ret = scenario_resolve_pairs(s, d);
	if (ret < 0)
		goto fail;
	ret = scenario_resolve_taps(s, d);
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
	p->source = 0;
	if (ci->source & CONFIG_ISL_PLUS_GRID)
		p->source |= ISL_SRC_GRID;
	if (ci->source & CONFIG_ISL_NEAREST)
		p->source |= ISL_SRC_NEAREST;
	if (ci->source & CONFIG_ISL_PAIRS)
		p->source |= ISL_SRC_PAIRS;
	p->pairs = s->pairs;
	p->npairs = s->npairs;
	p->terminals = ci->terminals;
	p->max_range_km = ci->max_range_km;
	p->grazing_km = ci->grazing_km;
	p->has_cross_lat = ci->has_cross_lat;
	p->cross_lat_deg = ci->cross_lat_deg;
	p->acquisition_ns = ci->acquisition_ns;
	p->sun_excl_deg = ci->sun_excl_deg;
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
	ret = topo_model_prepare(&s->model);
	if (ret < 0)
		return ret;
	s->prepared = true;
	return 0;
}

void scenario_free(struct scenario *s)
{
	if (!s)
		return;
	if (s->prepared)
		topo_model_free(&s->model);
	constel_free(&s->constel);
	free(s->pairs);
	free(s->tapped);
	free(s->dest);
	memset(s, 0, sizeof(*s));
}

/* The real check behind `lasermesh check` (config.c has a weak default). */
int config_check_scenario(const struct config *c, struct diag *d)
{
	struct scenario s;
	int ret;

	ret = scenario_build(&s, c, d);
	if (ret < 0)
		return ret;
	ret = scenario_prepare(&s, NULL, 0);
	if (ret == -EINVAL)
		diag_error(d, c->path, 0,
			   "the geometry model rejected the scenario");
	scenario_free(&s);
	return ret;
}
