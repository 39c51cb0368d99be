// SPDX-License-Identifier: MIT
/* cmd_path.c - `lasermesh path`: round-trip time and path between two nodes over time */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu/cli/cmd.h"
#include "emu/cli/cmd_common.h"
#include "emu/run/log.h"
#include "emu/conf/units.h"
#include "topo/consts.h"

#define PATH_MAX_HOPS 256

static void path_usage(FILE *f)
{
	fprintf(f,
		"usage: lasermesh path [FILE] A B [--from T0] [--to T1] "
		"[--step S] [-v]\n"
		"Print CSV `t_ns,rtt_ns,path`: for each moment from T0 to T1\n"
		"(seconds after the epoch or ISO-8601 UTC; defaults 0 and T0)\n"
		"every S (a time such as 1s or 100ms, or seconds; default 1s),\n"
		"the time since the epoch in ns, the round-trip propagation time\n"
		"of the lowest-latency path from A to B in ns, and the path as\n"
		"node names joined by '-'. Both are empty when B is unreachable.\n"
		"With nearest-neighbour links or an acquisition time the links\n"
		"depend on their history, so the geometry is stepped at the\n"
		"configuration's routing step in between, as a run does.\n");
}

static bool path_parse_step(const char *s, int64_t *ns)
{
	const char *why;

	return units_parse_time_arg(s, ns, &why) && *ns > 0;
}

/* Whether links at t depend on the steps before t. */
static bool path_stateful(const struct config *c)
{
	return (c->isl.source & ISL_SRC_NEAREST) || c->isl.acquisition_ns > 0;
}

static void path_print(const struct scenario *s, const struct topo_state *st,
		       uint32_t a, uint32_t b, int64_t t_rel)
{
	const struct route_table *rt = &st->routes;
	long di = route_dest_index(rt, b);
	uint32_t hops[PATH_MAX_HOPS];
	size_t n;
	double km;

	printf("%lld,", (long long)t_rel);
	n = di < 0 ? 0 : route_path(rt, (size_t)di, a, hops, PATH_MAX_HOPS);
	if (!n || n > PATH_MAX_HOPS) {
		printf(",\n");
		return;
	}
	km = route_dist(rt, (size_t)di, a);
	printf("%lld,", (long long)llround(2.0 * km * TOPO_NS_PER_KM));
	for (size_t i = 0; i < n; i++)
		printf("%s%s", i ? "-" : "", s->constel.node[hops[i]].name);
	printf("\n");
}

int cmd_path(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "step", required_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *from = "0", *to = NULL, *step = "1s", *file = NULL;
	const char *pos[3];
	struct topo_state st[2];
	struct config *cfg = NULL;
	struct scenario s;
	int64_t t0, t1, dt, t;
	long a, b;
	bool verbose = false;
	int opt, npos = 0, ret = 1, cur = 0;
	uint32_t extra[2];

	while ((opt = getopt_long(argc, argv, "f:t:s:vh", opts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			from = optarg;
			break;
		case 't':
			to = optarg;
			break;
		case 's':
			step = optarg;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			path_usage(stdout);
			return 0;
		default:
			path_usage(stderr);
			return 1;
		}
	}
	while (optind < argc && npos < 3)
		pos[npos++] = argv[optind++];
	if (optind < argc || npos < 2) {
		path_usage(stderr);
		return 1;
	}
	if (npos == 3)
		file = pos[0];
	if (cmd_load("path", file, verbose, &cfg, &s) < 0)
		return 1;
	a = constel_find(&s.constel, pos[npos - 2]);
	b = constel_find(&s.constel, pos[npos - 1]);
	if (a < 0 || b < 0) {
		log_err(0, "node \"%s\" does not exist",
			a < 0 ? pos[npos - 2] : pos[npos - 1]);
		goto out_scenario;
	}
	if (!cmd_parse_moment(from, cfg->epoch_unix_ns, &t0) ||
	    !cmd_parse_moment(to ? to : from, cfg->epoch_unix_ns, &t1)) {
		log_err(0, "--from/--to \"%s\" is neither "
			"seconds after the epoch nor an ISO-8601 UTC time",
			/* name the one that failed */
			cmd_parse_moment(from, cfg->epoch_unix_ns, &t0) ?
				to : from);
		goto out_scenario;
	}
	if (!path_parse_step(step, &dt)) {
		log_err(0, "--step \"%s\" is not a "
			"positive time", step);
		goto out_scenario;
	}
	if (t1 < t0) {
		log_err(0, "--to is before --from");
		goto out_scenario;
	}
	extra[0] = (uint32_t)a;
	extra[1] = (uint32_t)b;
	if (scenario_prepare(&s, extra, 2) < 0 ||
	    topo_state_init(&st[0], &s.model) < 0)
		goto out_nomem;
	if (topo_state_init(&st[1], &s.model) < 0) {
		topo_state_free(&st[0]);
		goto out_nomem;
	}
	printf("t_ns,rtt_ns,path\n");
	for (t = t0; t <= t1; t += dt) {
		const struct topo_state *prev = NULL;

		if (path_stateful(cfg)) {
			/* walk at the routing step from the last sample */
			int64_t u = t == t0 ? t : t - dt + cfg->step_ns;

			for (; u < t; u += cfg->step_ns) {
				if (topo_step(&s.model, st[cur].stepped ?
					      &st[cur] : NULL, u,
					      &st[cur ^ 1]) < 0)
					goto out_states_nomem;
				cur ^= 1;
			}
			prev = st[cur].stepped ? &st[cur] : NULL;
		}
		if (topo_step(&s.model, prev, t, &st[cur ^ 1]) < 0)
			goto out_states_nomem;
		cur ^= 1;
		path_print(&s, &st[cur], (uint32_t)a, (uint32_t)b,
			   t - cfg->epoch_unix_ns);
	}
	ret = fflush(stdout) == 0 ? 0 : 1;
	goto out_states;
out_states_nomem:
	log_err(0, "out of memory");
out_states:
	topo_state_free(&st[0]);
	topo_state_free(&st[1]);
	goto out_scenario;
out_nomem:
	log_err(0, "out of memory");
out_scenario:
	scenario_free(&s);
	config_free(cfg);
	return ret;
}
