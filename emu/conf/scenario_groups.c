// SPDX-License-Identifier: MIT
/* scenario_groups.c - a satellite's group ([shell], [tle], [cluster]) and the laser terminals it gives them */
#include <errno.h>
#include <stdlib.h>

#include "emu/conf/scenario.h"

void scenario_group_of(const struct scenario *s, size_t i,
		       const struct config_shell **sh,
		       const struct config_tle **tle)
{
	const struct config *c = s->cfg;
	const struct constel_node *n = &s->constel.node[i];

	*sh = NULL;
	*tle = NULL;
	if (i >= s->constel.nsat)
		return;
	if (n->shell >= 0 && (size_t)n->shell < c->nshells) {
		*sh = &c->shells[n->shell];
		return;
	}
	for (size_t t = 0; t < c->ntles; t++)
		if (i < s->tle_end[t]) {
			*tle = &c->tles[t];
			return;
		}
}

static const struct config_isl_group *
scenario_isl_group(const struct scenario *s, size_t i)
{
	const struct config_shell *sh;
	const struct config_tle *tle;

	const struct config_cluster *k = scenario_cluster_of(s, i);

	if (k)
		return &k->isl;
	scenario_group_of(s, i, &sh, &tle);
	return sh ? &sh->isl : tle ? &tle->isl : NULL;
}

/* Does any group set any terminal key of its own? */
static bool scenario_isl_any(const struct config *c)
{
	for (size_t i = 0; i < c->nshells; i++) {
		const struct config_isl_group *g = &c->shells[i].isl;

		if (g->has_terminals || g->has_range || g->has_rate ||
		    g->has_acq)
			return true;
	}
	for (size_t i = 0; i < c->ntles; i++) {
		const struct config_isl_group *g = &c->tles[i].isl;

		if (g->has_terminals || g->has_range || g->has_rate ||
		    g->has_acq)
			return true;
	}
	for (size_t i = 0; i < c->nclusters; i++) {
		const struct config_isl_group *g = &c->clusters[i].isl;

		if (g->has_terminals || g->has_range || g->has_rate ||
		    g->has_acq)
			return true;
	}
	return false;
}

#define SCENARIO_OWN(g, has, f, all) ((g) && (g)->has ? (g)->f : (all))

int scenario_isl_groups(struct scenario *s, struct isl_params *p)
{
	const struct config_isl *ci = &s->cfg->isl;
	size_t n = s->constel.n, nsat = s->constel.nsat;
	bool unlimited = false;
	double rmax = 0.0;
	int64_t amax = 0;

	if (!scenario_isl_any(s->cfg))
		return 0;
	free(s->isl_terminals);
	free(s->isl_range_km);
	free(s->isl_acq_ns);
	free(s->isl_rate_bps);
	s->isl_terminals = malloc(nsat ? nsat : 1);
	s->isl_range_km = malloc((nsat ? nsat : 1) * sizeof(double));
	s->isl_acq_ns = malloc((nsat ? nsat : 1) * sizeof(int64_t));
	s->isl_rate_bps = calloc(n ? n : 1, sizeof(uint64_t));
	if (!s->isl_terminals || !s->isl_range_km || !s->isl_acq_ns ||
	    !s->isl_rate_bps)
		return -ENOMEM;
	for (size_t i = 0; i < nsat; i++) {
		const struct config_isl_group *g = scenario_isl_group(s, i);

		s->isl_terminals[i] = (uint8_t)SCENARIO_OWN(
			g, has_terminals, terminals, ci->terminals);
		s->isl_range_km[i] = SCENARIO_OWN(g, has_range, max_range_km,
						  ci->max_range_km);
		s->isl_acq_ns[i] = SCENARIO_OWN(g, has_acq, acquisition_ns,
						ci->acquisition_ns);
		s->isl_rate_bps[i] = SCENARIO_OWN(g, has_rate, rate_bps,
						  ci->lp.rate_bps);
		if (s->isl_range_km[i] <= 0.0)
			unlimited = true;
		else if (s->isl_range_km[i] > rmax)
			rmax = s->isl_range_km[i];
		if (s->isl_acq_ns[i] > amax)
			amax = s->isl_acq_ns[i];
	}
	p->sat_terminals = s->isl_terminals;
	p->sat_range_km = s->isl_range_km;
	p->sat_acq_ns = s->isl_acq_ns;
	/* the longest range and acquisition: the search radius, history */
	p->max_range_km = unlimited ? 0.0 : rmax;
	p->acquisition_ns = amax;
	return 0;
}
