// SPDX-License-Identifier: MIT
/* cmd_topo.c - `lasermesh topo`: the nodes and the links that are up at one moment */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu/cli/cmd.h"
#include "emu/cli/cmd_common.h"
#include "emu/run/log.h"
#include "emu/run/progress.h"
#include "topo/consts.h"
#include "topo/frames.h"
#include "topo/shadow.h"
#include "topo/utc.h"

enum topo_format { FMT_TEXT, FMT_JSON, FMT_CSV };
enum topo_only { ONLY_ALL, ONLY_NODES, ONLY_LINKS };

static void topo_usage(FILE *f)
{
	fprintf(f,
		"usage: lasermesh topo [FILE] [--at T] [--format text|json|csv]\n"
		"                      [--only nodes|links] [--no-history]\n"
		"                      [--events FILE] [-v]\n"
		"Print every node (name, kind, latitude, longitude, altitude,\n"
		"Earth-fixed position in km, up or down, sunlit, penumbra or\n"
		"umbra) and every link that is up (ends,\n"
		"isl or gsl, length in km, one-way delay in microseconds) at T:\n"
		"a time after the epoch (90, 1.5s, 10ms; default 0) or an\n"
		"ISO-8601 UTC time. The links are those a run started at the\n"
		"epoch has at T (its routing step replayed when links have a\n"
		"history); --no-history decides them at T alone. Satellites\n"
		"that cannot be placed are left out and counted on stderr (-v\n"
		"names them). Faults (the events file, --events FILE instead,\n"
		"random faults, the eclipse policy) are replayed from the\n"
		"epoch as a run applies them. Without FILE the embedded\n"
		"default configuration is used.\n");
}

static const char *kind_name(const struct constel_node *n)
{
	return n->kind == CONSTEL_SAT ? "satellite" : "ground";
}

static void print_nodes(enum topo_format fmt, const struct constel *c,
			const struct topo_state *st)
{
	size_t shown = 0;	/* JSON: nodes printed (down ones are not) */

	if (fmt == FMT_CSV)
		printf("name,kind,lat_deg,lon_deg,alt_km,x_km,y_km,z_km,"
		       "state,shadow\n");
	else if (fmt == FMT_TEXT)
		printf("# %zu nodes: name kind lat_deg lon_deg alt_km "
		       "x_km y_km z_km state shadow\n", c->n);
	for (size_t i = 0; i < c->n; i++) {
		const struct constel_node *n = &c->node[i];
		struct vec3 p = st->pos[i];
		const char *state = st->up[i] ? "up" : "down";
		const char *sh = shadow_state_str(st->shadow[i]);
		double lat, lon, alt;

		if (!st->up[i] && st->down[i] != TOPO_DOWN_FAULT) {
			char why[128];

			topo_down_format(st->down[i], why, sizeof(why));
			if (fmt == FMT_TEXT)
				printf("# %s: cannot be placed, down: %s\n",
				       n->name, why);
			continue;
		}
		frames_ecef_to_geodetic(p, &lat, &lon, &alt);
		switch (fmt) {
		case FMT_TEXT:
			printf("%-20s %-9s %9.4f %10.4f %9.3f %11.3f %11.3f "
			       "%11.3f %-4s %s\n", n->name, kind_name(n), lat,
			       lon, alt, p.x, p.y, p.z, state, sh);
			break;
		case FMT_CSV:
			printf("%s,%s,%.6f,%.6f,%.4f,%.4f,%.4f,%.4f,%s,%s\n",
			       n->name, kind_name(n), lat, lon, alt, p.x, p.y,
			       p.z, state, sh);
			break;
		case FMT_JSON:
			printf("%s\n    {\"name\": \"%s\", \"kind\": \"%s\", "
			       "\"lat_deg\": %.6f, \"lon_deg\": %.6f, "
			       "\"alt_km\": %.4f, \"ecef_km\": [%.4f, %.4f, "
			       "%.4f], \"state\": \"%s\", \"shadow\": \"%s\"}",
			       shown++ ? "," : "", n->name, kind_name(n), lat,
			       lon, alt, p.x, p.y, p.z, state, sh);
			break;
		}
	}
}

static void print_links(enum topo_format fmt, const struct constel *c,
			const struct topo_replay *r)
{
	const struct graph_links *l = &r->links->links;

	if (fmt == FMT_CSV)
		printf("a,b,kind,length_km,delay_us\n");
	else if (fmt == FMT_TEXT)
		printf("# %zu links: a b kind length_km delay_us\n", l->n);
	for (size_t i = 0; i < l->n; i++) {
		const struct graph_link *k = &l->v[i];
		const char *kind = k->kind == GRAPH_ISL ? "isl" : "gsl";
		/* the step's length is exact at the step's own moment */
		double km = r->pos == r->links ? k->length_km :
			    topo_replay_length(r, k->a, k->b);
		double us = km * TOPO_NS_PER_KM / 1e3;

		switch (fmt) {
		case FMT_TEXT:
			printf("%-20s %-20s %s %10.3f %10.3f\n",
			       c->node[k->a].name, c->node[k->b].name, kind,
			       km, us);
			break;
		case FMT_CSV:
			printf("%s,%s,%s,%.4f,%.4f\n", c->node[k->a].name,
			       c->node[k->b].name, kind, km, us);
			break;
		case FMT_JSON:
			printf("%s\n    {\"a\": \"%s\", \"b\": \"%s\", "
			       "\"kind\": \"%s\", \"length_km\": %.4f, "
			       "\"delay_us\": %.4f}", i ? "," : "",
			       c->node[k->a].name, c->node[k->b].name, kind,
			       km, us);
			break;
		}
	}
}

int cmd_topo(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "at", required_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ "only", required_argument, NULL, 'o' },
		{ "no-history", no_argument, NULL, 'n' },
		{ "events", required_argument, NULL, 'e' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum topo_format fmt = FMT_TEXT;
	enum topo_only only = ONLY_ALL;
	const char *at = "0", *file = NULL;
	struct config *cfg = NULL;
	struct scenario s;
	struct topo_replay r;
	struct cmd_down down;
	struct progress pr;
	const char *events = NULL;
	bool verbose = false, fresh = false;
	char when[40];
	int64_t t;
	int opt, ret = 1;

	while ((opt = getopt_long(argc, argv, "a:f:o:e:vh", opts, NULL)) !=
	       -1) {
		switch (opt) {
		case 'e':
			events = optarg;
			break;
		case 'a':
			at = optarg;
			break;
		case 'f':
			if (!strcmp(optarg, "text"))
				fmt = FMT_TEXT;
			else if (!strcmp(optarg, "json"))
				fmt = FMT_JSON;
			else if (!strcmp(optarg, "csv"))
				fmt = FMT_CSV;
			else {
				log_err(0, "format \"%s\" "
					"is not text, json or csv", optarg);
				return 1;
			}
			break;
		case 'o':
			if (!strcmp(optarg, "nodes"))
				only = ONLY_NODES;
			else if (!strcmp(optarg, "links"))
				only = ONLY_LINKS;
			else {
				log_err(0, "--only \"%s\" "
					"is not nodes or links", optarg);
				return 1;
			}
			break;
		case 'n':
			fresh = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			topo_usage(stdout);
			return 0;
		default:
			topo_usage(stderr);
			return 1;
		}
	}
	if (optind < argc)
		file = argv[optind++];
	if (optind < argc) {
		log_err(0, "unexpected \"%s\"",
			argv[optind]);
		topo_usage(stderr);
		return 1;
	}
	if (cmd_load(file, events, verbose, &cfg, &s) < 0)
		return 1;
	if (!cmd_parse_moment("--at", at, cfg->epoch_unix_ns, &t) ||
	    cmd_replay_init(&s, cfg, NULL, 0, fresh, &r) < 0)
		goto out_scenario;
	s.model.shadow = true;	/* every node's, printed */
	if (!cmd_replay_bounded(&r, t, "--at", at))
		goto out_replay;
	progress_begin(&pr, "replaying steps", 0);
	r.progress = progress_cb;
	r.progress_arg = &pr;
	if (cmd_down_init(&down, s.constel.nsat) < 0 ||
	    topo_replay_at(&r, t) < 0) {
		progress_end(&pr);
		log_err(-ENOMEM, "cannot compute the step");
		goto out_down;
	}
	progress_end(&pr);
	cmd_down_add(&down, r.pos);
	cmd_down_report(&down, &s.constel, verbose);
	cmd_repoint_report(&r, s.constel.nsat);
	utc_format_iso8601(t, 3, when, sizeof(when));
	if (fmt == FMT_JSON) {
		printf("{\"time\": \"%s\",\n  \"nodes\": [", when);
		if (only != ONLY_LINKS)
			print_nodes(fmt, &s.constel, r.pos);
		printf("\n  ],\n  \"links\": [");
		if (only != ONLY_NODES)
			print_links(fmt, &s.constel, &r);
		printf("\n  ]\n}\n");
	} else {
		if (fmt == FMT_TEXT)
			printf("# time %s\n", when);
		if (only != ONLY_LINKS)
			print_nodes(fmt, &s.constel, r.pos);
		if (only == ONLY_ALL && fmt == FMT_CSV)
			printf("\n");
		if (only != ONLY_NODES)
			print_links(fmt, &s.constel, &r);
	}
	ret = fflush(stdout) == 0 ? 0 : 1;
out_down:
	cmd_down_free(&down);
out_replay:
	topo_replay_free(&r);
out_scenario:
	scenario_free(&s);
	config_free(cfg);
	return ret;
}
