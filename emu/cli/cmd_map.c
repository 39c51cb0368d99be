// SPDX-License-Identifier: MIT
/* cmd_map.c - `lasermesh map`: the mesh at one moment drawn on a world map, as SVG */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu/cli/cmd.h"
#include "emu/cli/cmd_common.h"
#include "emu/cli/land.h"
#include "emu/cli/svg.h"
#include "emu/run/log.h"
#include "emu/run/progress.h"
#include "topo/frames.h"
#include "topo/utc.h"

/*
 * The projection is the equirectangular one (plate carree): x is the
 * longitude and y the latitude, each scaled linearly. It is the natural
 * frame of what is drawn (topo prints latitude and longitude, Natural
 * Earth's data is in degrees), a straight link on it is a straight
 * segment, so cutting one at the antimeridian is a linear interpolation,
 * and a reader reads positions off it directly. Its cost is stretching
 * near the poles, where a 53 degree shell never goes; polar shells look
 * wider there than they are. Links are drawn as straight segments between
 * their ends' sub-satellite points, not as great circles.
 */
#define MAP_WIDTH_DEFAULT 1200
#define MAP_WIDTH_MIN 360
#define MAP_WIDTH_MAX 20000
#define MAP_CAPTION_PX 44	/* under the map, for two lines of text */

struct map_view {
	struct svg g;
	double w, h;		/* the map's pixels (the caption is below) */
	size_t splits;		/* links cut in two at the antimeridian */
};

static void map_usage(FILE *f)
{
	fprintf(f,
		"usage: lasermesh map [FILE] -o OUT.svg [--at T] [--path A B]\n"
		"                     [--width PX] [--no-history] [--events FILE] "
		"[-v]\n"
		"Draw the mesh at T (a time after the epoch such as 90, 1.5s\n"
		"or 10ms, or an ISO-8601 UTC time; default 0) as `lasermesh\n"
		"topo` gives it, on an equirectangular world map with Natural\n"
		"Earth's coastlines, as an SVG picture PX wide (default %d;\n"
		"the map is half as high, with a caption below): every\n"
		"satellite (down ones hollow and red), laser and ground links\n"
		"(cut in two where they cross 180 degrees of longitude), the\n"
		"ground stations, the tapped nodes larger, and with --path the\n"
		"path from A to B that `lasermesh path` gives at T with its\n"
		"RTT. Without FILE the embedded default configuration is used.\n",
		MAP_WIDTH_DEFAULT);
}

static const char map_css[] =
	"text{font:13px sans-serif;fill:#222}\n"
	".sea{fill:#eef4fa}\n"
	".land{fill:none;stroke:#8a9a8a;stroke-width:0.8}\n"
	".isl{stroke:#4a7bd0;stroke-width:0.5;stroke-opacity:0.6}\n"
	".gsl{stroke:#2a9d4a;stroke-width:1.2}\n"
	".nodes{fill:#1d3f8f}\n"
	".down{fill:none;stroke:#d02020;stroke-width:1}\n"
	".tap{fill:#f08c00;stroke:#222;stroke-width:0.8}\n"
	".gs{fill:#2a9d4a;stroke:#222;stroke-width:0.8}\n"
	".gs.tap{fill:#f08c00}\n"
	".route{fill:none;stroke:#e0108a;stroke-width:2.5;"
	"stroke-linejoin:round}\n";

static double map_x(const struct map_view *v, double lon)
{
	return (lon + 180.0) / 360.0 * v->w;
}

static double map_y(const struct map_view *v, double lat)
{
	return (90.0 - lat) / 180.0 * v->h;
}

/*
 * Where the straight segment from (lon1, lat1) to (lon2, lat2) crosses the
 * antimeridian, if it does (the two longitudes more than 180 degrees
 * apart, the short way round being across it): the latitude there, and
 * the edge on lon1's side (180 or -180). The segment is straight on the
 * map once lon2 is unwrapped to lon1's side.
 */
static bool map_crosses(double lon1, double lat1, double lon2, double lat2,
			double *edge, double *lat_c)
{
	double un;

	if (fabs(lon2 - lon1) <= 180.0)
		return false;
	*edge = lon1 >= 0.0 ? 180.0 : -180.0;
	un = lon2 + (lon1 >= 0.0 ? 360.0 : -360.0);
	*lat_c = lat1 + (lat2 - lat1) * (*edge - lon1) / (un - lon1);
	return true;
}

static void map_node_ll(const struct topo_replay *r, uint32_t i, double *lat,
			double *lon)
{
	const struct topo_state *st = r->pos;
	double alt;

	/* an end that cannot be placed at t has its place at the step */
	if (!st->up[i] && st->down[i] != TOPO_DOWN_FAULT)
		st = r->links;
	frames_ecef_to_geodetic(st->pos[i], lat, lon, &alt);
}

static void map_land(struct map_view *v)
{
	svg_group_begin(&v->g, "land");
	for (size_t i = 0; i < land_nlines; i++) {
		svg_path_begin(&v->g, NULL);
		for (uint32_t k = land_line_start[i];
		     k < land_line_start[i + 1]; k++) {
			double x = map_x(v, land_pts[k][0] / 10.0);
			double y = map_y(v, land_pts[k][1] / 10.0);

			if (k == land_line_start[i])
				svg_path_move(&v->g, x, y);
			else
				svg_path_line(&v->g, x, y);
		}
		svg_path_end(&v->g);
	}
	svg_group_end(&v->g);
}

/* The links of one kind, in a group of that class (a line has none). */
static void map_links(struct map_view *v, const struct topo_replay *r,
		      enum graph_kind kind)
{
	const struct graph_links *l = &r->links->links;

	svg_group_begin(&v->g, kind == GRAPH_ISL ? "isl" : "gsl");
	for (size_t i = 0; i < l->n; i++) {
		const struct graph_link *k = &l->v[i];
		double la1, lo1, la2, lo2, edge, lac;

		if (k->kind != kind)
			continue;
		map_node_ll(r, k->a, &la1, &lo1);
		map_node_ll(r, k->b, &la2, &lo2);
		if (!map_crosses(lo1, la1, lo2, la2, &edge, &lac)) {
			svg_line(&v->g, NULL, map_x(v, lo1), map_y(v, la1),
				 map_x(v, lo2), map_y(v, la2));
			continue;
		}
		svg_line(&v->g, NULL, map_x(v, lo1), map_y(v, la1),
			 map_x(v, edge), map_y(v, lac));
		svg_line(&v->g, NULL, map_x(v, -edge), map_y(v, lac),
			 map_x(v, lo2), map_y(v, la2));
		v->splits++;
	}
	svg_group_end(&v->g);
}

/* Satellites and stations: how many satellites were drawn, and down. */
static void map_nodes(struct map_view *v, const struct scenario *s,
		      const struct topo_replay *r, const bool *tapped,
		      size_t *nsat, size_t *ndown)
{
	const struct constel *c = &s->constel;
	const struct topo_state *st = r->pos;

	svg_group_begin(&v->g, "nodes");
	for (size_t i = 0; i < c->n; i++) {
		bool sat = c->node[i].kind == CONSTEL_SAT;
		const char *cls;
		double lat, lon, alt, x, y;

		/* as topo: a node that cannot be placed is left out */
		if (!st->up[i] && st->down[i] != TOPO_DOWN_FAULT)
			continue;
		frames_ecef_to_geodetic(st->pos[i], &lat, &lon, &alt);
		x = map_x(v, lon);
		y = map_y(v, lat);
		if (sat) {
			cls = !st->up[i] ? "down" : tapped[i] ? "tap" : NULL;
			svg_circle(&v->g, cls, x, y, tapped[i] ? 4 : 1.5);
			(*nsat)++;
			*ndown += !st->up[i];
			continue;
		}
		svg_rect(&v->g, tapped[i] ? "gs tap" : "gs", x - 4, y - 4, 8, 8);
		svg_text(&v->g, NULL, x + 6, y - 5, "%s", c->node[i].name);
	}
	svg_group_end(&v->g);
}

/* The route as one path, a piece more for each antimeridian crossing. */
static void map_route(struct map_view *v, const struct topo_replay *r,
		      const uint32_t *hops, size_t n)
{
	double la0, lo0;

	svg_path_begin(&v->g, "route");
	map_node_ll(r, hops[0], &la0, &lo0);
	svg_path_move(&v->g, map_x(v, lo0), map_y(v, la0));
	for (size_t i = 1; i < n; i++) {
		double la, lo, edge, lac;

		map_node_ll(r, hops[i], &la, &lo);
		if (map_crosses(lo0, la0, lo, la, &edge, &lac)) {
			svg_path_line(&v->g, map_x(v, edge), map_y(v, lac));
			svg_path_move(&v->g, map_x(v, -edge), map_y(v, lac));
		}
		svg_path_line(&v->g, map_x(v, lo), map_y(v, la));
		la0 = la;
		lo0 = lo;
	}
	svg_path_end(&v->g);
}

struct map_args {
	const char *file, *at, *out, *events, *a, *b;
	int width;
	bool fresh, verbose;
};

static bool map_parse_width(const char *s, int *w)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < MAP_WIDTH_MIN || v > MAP_WIDTH_MAX) {
		log_err(0, "--width \"%s\" is not a whole number of pixels "
			"from %d to %d", s, MAP_WIDTH_MIN, MAP_WIDTH_MAX);
		return false;
	}
	*w = (int)v;
	return true;
}

/* 0, 1 after printing why, or 2 for --help. */
static int map_parse(int argc, char **argv, struct map_args *m)
{
	static const struct option opts[] = {
		{ "at", required_argument, NULL, 'a' },
		{ "output", required_argument, NULL, 'o' },
		{ "path", required_argument, NULL, 'p' },
		{ "width", required_argument, NULL, 'w' },
		{ "no-history", no_argument, NULL, 'n' },
		{ "events", required_argument, NULL, 'e' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "a:o:e:vh", opts, NULL)) != -1) {
		switch (opt) {
		case 'a':
			m->at = optarg;
			break;
		case 'o':
			m->out = optarg;
			break;
		case 'p':
			/* two words: A is the option's, B the next */
			if (optind >= argc || argv[optind][0] == '-') {
				log_err(0, "--path \"%s\" needs a second node",
					optarg);
				return 1;
			}
			m->a = optarg;
			m->b = argv[optind++];
			break;
		case 'w':
			if (!map_parse_width(optarg, &m->width))
				return 1;
			break;
		case 'n':
			m->fresh = true;
			break;
		case 'e':
			m->events = optarg;
			break;
		case 'v':
			m->verbose = true;
			break;
		case 'h':
			map_usage(stdout);
			return 2;
		default:
			map_usage(stderr);
			return 1;
		}
	}
	if (optind < argc)
		m->file = argv[optind++];
	if (optind < argc) {
		log_err(0, "unexpected \"%s\"", argv[optind]);
		map_usage(stderr);
		return 1;
	}
	if (!m->out) {
		log_err(0, "no output: give -o FILE.svg");
		map_usage(stderr);
		return 1;
	}
	return 0;
}

/* The nodes of --path, as indices: false after saying which is unknown. */
static bool map_path_ends(const struct map_args *m, const struct constel *c,
			  uint32_t ends[2])
{
	const char *name[2] = { m->a, m->b };

	for (int i = 0; i < 2; i++) {
		long k = constel_find(c, name[i]);

		if (k < 0) {
			log_err(0, "--path: node \"%s\" does not exist",
				name[i]);
			return false;
		}
		ends[i] = (uint32_t)k;
	}
	return true;
}

/* Draw everything at r's moment t into m->out. 0 or -errno. */
static int map_draw(const struct map_args *m, const struct scenario *s,
		    const struct topo_replay *r, int64_t t, int64_t t_rel,
		    const uint32_t *ends, const bool *tapped)
{
	const struct graph_links *l = &r->links->links;
	struct map_view v = { .w = m->width, .h = m->width / 2 };
	size_t nsat = 0, ndown = 0, nisl = 0, nhops = 0;
	uint32_t hops[CMD_MAX_HOPS];
	int64_t rtt = 0;
	char when[40];
	int ret;

	ret = svg_open(&v.g, m->out, m->width,
		       (int)v.h + MAP_CAPTION_PX);
	if (ret < 0)
		return ret;
	svg_style(&v.g, map_css);
	svg_rect(&v.g, "sea", 0, 0, v.w, v.h);
	map_land(&v);
	map_links(&v, r, GRAPH_ISL);
	map_links(&v, r, GRAPH_GSL);
	map_nodes(&v, s, r, tapped, &nsat, &ndown);
	if (ends) {
		nhops = cmd_route(r, ends[0], ends[1], hops, &rtt);
		if (nhops)
			map_route(&v, r, hops, nhops);
	}
	for (size_t i = 0; i < l->n; i++)
		nisl += l->v[i].kind == GRAPH_ISL;
	utc_format_iso8601(t, 3, when, sizeof(when));
	svg_text(&v.g, NULL, 8, v.h + 18,
		 "%s (%.3f s after the epoch): %zu satellites (%zu down), "
		 "%zu laser links, %zu ground links, %zu tapped",
		 when, t_rel / 1e9, nsat, ndown, nisl, l->n - nisl,
		 s->ntapped);
	if (ends && nhops)
		svg_text(&v.g, NULL, 8, v.h + 36,
			 "path %s -> %s: RTT %.3f ms over %zu hops", m->a,
			 m->b, rtt / 1e6, nhops - 1);
	else if (ends)
		svg_text(&v.g, NULL, 8, v.h + 36,
			 "path %s -> %s: unreachable", m->a, m->b);
	return svg_close(&v.g);
}

int cmd_map(int argc, char **argv)
{
	struct map_args m = { .at = "0", .width = MAP_WIDTH_DEFAULT };
	struct config *cfg = NULL;
	struct scenario s;
	struct topo_replay r;
	struct cmd_down down;
	struct progress pr;
	uint32_t ends[2];
	bool *tapped = NULL;
	int64_t t;
	int ret;

	ret = map_parse(argc, argv, &m);
	if (ret)
		return ret == 2 ? 0 : 1;
	ret = 1;
	if (cmd_load(m.file, m.events, m.verbose, &cfg, &s) < 0)
		return 1;
	if (m.a && !map_path_ends(&m, &s.constel, ends))
		goto out_scenario;
	/* as topo does, with path's two extra destinations for --path */
	if (!cmd_parse_moment("--at", m.at, cfg->epoch_unix_ns, &t) ||
	    cmd_replay_init(&s, cfg, m.a ? ends : NULL, m.a ? 2 : 0, m.fresh,
			    &r) < 0)
		goto out_scenario;
	s.model.shadow = true;
	if (!cmd_replay_bounded(&r, t, "--at", m.at))
		goto out_replay;
	tapped = calloc(s.constel.n, sizeof(*tapped));
	progress_begin(&pr, "replaying steps", 0);
	r.progress = progress_cb;
	r.progress_arg = &pr;
	if (!tapped || cmd_down_init(&down, s.constel.nsat) < 0 ||
	    topo_replay_at(&r, t) < 0) {
		progress_end(&pr);
		log_err(-ENOMEM, "cannot compute the step");
		goto out_down;
	}
	progress_end(&pr);
	cmd_down_add(&down, r.pos);
	cmd_down_report(&down, &s.constel, m.verbose);
	for (size_t i = 0; i < s.ntapped; i++)
		tapped[s.tapped[i]] = true;
	ret = map_draw(&m, &s, &r, t, t - cfg->epoch_unix_ns,
		       m.a ? ends : NULL, tapped);
	if (ret < 0)
		log_err(ret, "cannot write \"%s\"", m.out);
	ret = ret < 0 ? 1 : 0;
out_down:
	cmd_down_free(&down);
	free(tapped);
out_replay:
	topo_replay_free(&r);
out_scenario:
	scenario_free(&s);
	config_free(cfg);
	return ret;
}
