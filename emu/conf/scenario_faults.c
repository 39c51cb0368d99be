// SPDX-License-Identifier: MIT
/* scenario_faults.c - a scenario's faults: random faults and eclipse policy per satellite, the events file */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "emu/conf/scenario.h"

/* The faults of satellite i's group: its shell's or TLE source's. */
static const struct config_fault_group *
scenario_fault_group(const struct scenario *s, size_t i)
{
	const struct config_shell *sh;
	const struct config_tle *tle;

	scenario_group_of(s, i, &sh, &tle);
	return sh ? &sh->faults : tle ? &tle->faults : NULL;
}

/* A group's value where it gives one, [faults]' otherwise. */
#define SCENARIO_PICK(g, all, has, f) ((g) && (g)->has ? (g)->f : (all)->f)

void scenario_faults_free(struct scenario *s)
{
	struct scenario_faults *f = &s->faults;

	free(f->mtbf_ns);
	free(f->mttr_ns);
	free(f->battery_ns);
	free(f->eclipse);
	events_free(&f->events);
	memset(f, 0, sizeof(*f));
	s->model.eclipse = NULL;
	s->model.battery_ns = NULL;
}

int scenario_faults(struct scenario *s, const char *events_path,
		    struct diag *d)
{
	const struct config *c = s->cfg;
	struct scenario_faults *f = &s->faults;
	size_t n = s->constel.n, nsat = s->constel.nsat;
	int ret;

	scenario_faults_free(s);
	f->mtbf_ns = calloc(n ? n : 1, sizeof(*f->mtbf_ns));
	f->mttr_ns = calloc(n ? n : 1, sizeof(*f->mttr_ns));
	f->battery_ns = calloc(n ? n : 1, sizeof(*f->battery_ns));
	f->eclipse = calloc(nsat ? nsat : 1, sizeof(*f->eclipse));
	if (!f->mtbf_ns || !f->mttr_ns || !f->battery_ns || !f->eclipse) {
		scenario_faults_free(s);
		return -ENOMEM;
	}
	for (size_t i = 0; i < nsat; i++) {
		const struct config_fault_group *g = scenario_fault_group(s, i);

		f->mtbf_ns[i] = SCENARIO_PICK(g, &c->faults, has_mtbf,
					      mtbf_ns);
		f->mttr_ns[i] = SCENARIO_PICK(g, &c->faults, has_mttr,
					      mttr_ns);
		f->eclipse[i] = SCENARIO_PICK(g, &c->faults, has_eclipse,
					      eclipse);
		f->battery_ns[i] = SCENARIO_PICK(g, &c->faults, has_battery,
						 battery_ns);
		f->random |= f->mtbf_ns[i] > 0;
		f->eclipse_on |= f->eclipse[i] != TOPO_ECLIPSE_NONE;
	}
	if (f->eclipse_on) {
		s->model.eclipse = f->eclipse;
		s->model.battery_ns = f->battery_ns;
	}
	f->events_path = events_path ? events_path : c->events_path;
	if (!f->events_path)
		return 0;
	ret = events_load_file(f->events_path, &s->constel, c->epoch_unix_ns,
			       &f->events, d);
	events_sort(&f->events);
	return ret;
}

int scenario_fault_plan(const struct scenario *s, struct fault_plan *p)
{
	const struct scenario_faults *f = &s->faults;
	int ret;

	ret = fault_plan_init(p, s->constel.n, s->constel.nsat, s->seed);
	if (ret)
		return ret;
	for (size_t i = 0; i < f->events.n && !ret; i++)
		ret = fault_plan_add(p, &f->events.v[i]);
	if (!ret && f->random)
		ret = fault_plan_random(p, f->mtbf_ns, f->mttr_ns,
					s->epoch_unix_ns);
	if (!ret)
		fault_plan_flaps(p, s->cfg->flaps_per_hour, s->cfg->flap_ns);
	if (ret)
		fault_plan_free(p);
	return ret;
}

bool scenario_has_faults(const struct scenario *s)
{
	const struct scenario_faults *f = &s->faults;

	return f->events.n || f->random || f->eclipse_on ||
	       s->cfg->flaps_per_hour > 0.0;
}
