// SPDX-License-Identifier: MIT
/* test_map.c - map and path --plot as a user runs them: the SVG parsed back, counted against topo and path */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

/*
 * Tests run from the repository root and run ./lasermesh (built by `make
 * check`); without it, or without python3 (which parses the SVG with
 * xml.etree, tests/svg_count.py), they skip. The default configuration is
 * 72 x 22 satellites and two ground stations, london and newyork.
 */
#define BIN "./lasermesh"
#define COUNT "python3 tests/svg_count.py"
#define MAX_NODES 4096

static char tmpdir[] = "/tmp/test_map.XXXXXX";

static void setup(void)
{
	if (access(BIN, X_OK) != 0)
		cr_skip_test("%s is missing: run make first", BIN);
	if (system("python3 -c 'import xml.etree.ElementTree' 2>/dev/null"))
		cr_skip_test("python3 with xml.etree is missing");
	cr_assert_not_null(mkdtemp(tmpdir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		cr_log_warn("could not remove %s", tmpdir);
}

/* Run cmd with sh; its whole stdout, NUL-terminated; its exit status. */
static char *run(const char *cmd, int *status)
{
	size_t cap = 1 << 16, n = 0, r;
	char *buf = malloc(cap);
	FILE *p = popen(cmd, "r");
	int st;

	cr_assert_not_null(buf);
	cr_assert_not_null(p, "popen %s", cmd);
	while ((r = fread(buf + n, 1, cap - n - 1, p)) > 0) {
		n += r;
		if (cap - n < 4096) {
			cap *= 2;
			buf = realloc(buf, cap);
			cr_assert_not_null(buf);
		}
	}
	buf[n] = '\0';
	st = pclose(p);
	cr_assert(WIFEXITED(st), "%s did not exit", cmd);
	*status = WEXITSTATUS(st);
	return buf;
}

static char *run_ok(const char *cmd)
{
	int st;
	char *out = run(cmd, &st);

	cr_assert_eq(st, 0, "%s exited %d", cmd, st);
	return out;
}

static char *next_line(char **s)
{
	char *l = *s, *nl;

	if (!l || !*l)
		return NULL;
	nl = strchr(l, '\n');
	if (nl) {
		*nl = '\0';
		*s = nl + 1;
	} else {
		*s = l + strlen(l);
	}
	return l;
}

/* svg_count.py's figures for file (which must parse as SVG). */
struct counts {
	long v[32];
	char caption[32][256];
	size_t ncaption;
};

static const char *const count_names[] = {
	"sat", "down", "tap", "isl", "gsl", "gs", "land", "route", "route_m",
	"route_l", "pt", "none", "change", "rtt_m", "rtt_l", "text", NULL,
};

enum { C_SAT, C_DOWN, C_TAP, C_ISL, C_GSL, C_GS, C_LAND, C_ROUTE,
       C_ROUTE_M, C_ROUTE_L, C_PT, C_NONE, C_CHANGE, C_RTT_M, C_RTT_L,
       C_TEXT };

static void count_svg(const char *file, struct counts *c)
{
	char cmd[PATH_MAX + 64], *out, *s, *l;
	int st;

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; count_names[i]; i++)
		c->v[i] = -1;
	snprintf(cmd, sizeof(cmd), COUNT " '%s'", file);
	s = out = run(cmd, &st);
	cr_assert_eq(st, 0, "%s is not valid SVG", file);
	while ((l = next_line(&s))) {
		char *sp = strchr(l, ' ');

		cr_assert_not_null(sp, "svg_count line \"%s\"", l);
		*sp = '\0';
		if (!strcmp(l, "caption")) {
			if (c->ncaption < 32)
				snprintf(c->caption[c->ncaption++],
					 sizeof(c->caption[0]), "%s", sp + 1);
			continue;
		}
		for (size_t i = 0; count_names[i]; i++)
			if (!strcmp(l, count_names[i]))
				c->v[i] = atol(sp + 1);
	}
	free(out);
	for (size_t i = 0; count_names[i]; i++)
		cr_assert_geq(c->v[i], 0, "no count of %s", count_names[i]);
}

static bool has_caption(const struct counts *c, const char *want)
{
	for (size_t i = 0; i < c->ncaption; i++)
		if (strstr(c->caption[i], want))
			return true;
	return false;
}

/* topo's view at one moment: node longitudes and what the map must show. */
struct topo_view {
	char name[MAX_NODES][32];
	double lon[MAX_NODES];
	size_t n;
	long sats, down, isl, gsl, isl_splits, gsl_splits;
};

static long topo_node(const struct topo_view *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->name[i], name))
			return (long)i;
	return -1;
}

/* A straight segment on the map crosses ±180 when its ends are this far. */
static bool crosses(const struct topo_view *t, long a, long b)
{
	return fabs(t->lon[a] - t->lon[b]) > 180.0;
}

static void topo_view(const char *args, struct topo_view *t)
{
	char cmd[PATH_MAX + 256], *out, *s, *l;
	bool links = false;

	memset(t, 0, sizeof(*t));
	snprintf(cmd, sizeof(cmd), BIN " topo %s --format csv", args);
	s = out = run_ok(cmd);
	cr_assert_str_eq(next_line(&s),
			 "name,kind,lat_deg,lon_deg,alt_km,x_km,y_km,z_km,"
			 "state,shadow");
	while ((l = next_line(&s))) {
		char a[32], b[32], kind[16], state[8];
		double lat, lon;
		long ia, ib;

		if (!*l) {
			links = true;
			cr_assert_str_eq(next_line(&s),
					 "a,b,kind,length_km,delay_us");
			continue;
		}
		if (!links) {
			cr_assert_eq(sscanf(l, "%31[^,],%15[^,],%lf,%lf,"
					    "%*[^,],%*[^,],%*[^,],%*[^,],"
					    "%7[^,]", a, kind, &lat, &lon,
					    state), 5, "topo line \"%s\"", l);
			cr_assert_lt(t->n, MAX_NODES);
			snprintf(t->name[t->n], sizeof(t->name[0]), "%s", a);
			t->lon[t->n++] = lon;
			if (!strcmp(kind, "satellite")) {
				t->sats++;
				t->down += !strcmp(state, "down");
			}
			continue;
		}
		cr_assert_eq(sscanf(l, "%31[^,],%31[^,],%15[^,]", a, b, kind),
			     3, "topo link \"%s\"", l);
		ia = topo_node(t, a);
		ib = topo_node(t, b);
		cr_assert(ia >= 0 && ib >= 0, "link \"%s\" of unknown ends", l);
		if (!strcmp(kind, "isl")) {
			t->isl++;
			t->isl_splits += crosses(t, ia, ib);
		} else {
			t->gsl++;
			t->gsl_splits += crosses(t, ia, ib);
		}
	}
	free(out);
}

/* Every satellite topo lists is a circle, every link a line or two. */
static void check_map(const char *args, long want_down)
{
	char cmd[PATH_MAX + 256], svg[PATH_MAX], caption[128];
	struct topo_view *t = malloc(sizeof(*t));
	struct counts c;

	cr_assert_not_null(t);
	topo_view(args, t);
	snprintf(svg, sizeof(svg), "%s/map.svg", tmpdir);
	snprintf(cmd, sizeof(cmd), BIN " map %s -o '%s'", args, svg);
	free(run_ok(cmd));
	count_svg(svg, &c);
	cr_log_info("%s: %ld satellites (%ld down), %ld + %ld links, "
		    "%ld + %ld cut at the antimeridian, %ld coastlines", args,
		    t->sats, t->down, t->isl, t->gsl, t->isl_splits,
		    t->gsl_splits, c.v[C_LAND]);
	cr_assert_eq(c.v[C_SAT], t->sats);
	cr_assert_eq(c.v[C_DOWN], t->down);
	cr_assert_eq(t->down, want_down);
	cr_assert_eq(c.v[C_ISL], t->isl + t->isl_splits);
	cr_assert_eq(c.v[C_GSL], t->gsl + t->gsl_splits);
	cr_assert_gt(c.v[C_LAND], 100);
	cr_assert_eq(c.v[C_GS], 2);
	/* the default taps s1-0-0 and s1-36-11 (and the two stations) */
	cr_assert_eq(c.v[C_TAP], 2);
	cr_assert_eq(c.v[C_ROUTE], 0, "a route without --path");
	/* the default's 1,584 satellites cross ±180 somewhere */
	cr_assert_gt(t->isl_splits, 0);
	snprintf(caption, sizeof(caption), "%ld satellites (%ld down), "
		 "%ld laser links, %ld ground links", t->sats, t->down,
		 t->isl, t->gsl);
	cr_assert(has_caption(&c, caption), "no caption \"%s\"", caption);
	free(t);
}

TestSuite(map, .init = setup, .fini = teardown);

Test(map, default_counts_equal_topo)
{
	check_map("--at 90", 0);
}

Test(map, down_satellite_is_marked)
{
	char args[PATH_MAX + 64], ev[PATH_MAX];
	FILE *f;

	snprintf(ev, sizeof(ev), "%s/ev.txt", tmpdir);
	f = fopen(ev, "w");
	cr_assert_not_null(f);
	fputs("4s down node s1-9-1\n", f);
	fclose(f);
	snprintf(args, sizeof(args), "--at 5 --events '%s'", ev);
	check_map(args, 1);
}

/*
 * The path A -> B on the map is path's at that moment: one path element,
 * one segment per hop plus one per crossing of ±180 (each also a move),
 * and path's RTT in the caption. conf: a configuration, or "" (default).
 */
static void check_route(const char *conf, const char *a, const char *b,
			const char *at, bool want_cross)
{
	char cmd[PATH_MAX + 256], svg[PATH_MAX], want[256], args[PATH_MAX];
	char *out, *s, *l, *hop, *save = NULL;
	struct topo_view *t = malloc(sizeof(*t));
	long hops = 0, cross = 0, prev = -1;
	long long t_ns, rtt;
	struct counts c;
	char path[4096];

	cr_assert_not_null(t);
	snprintf(args, sizeof(args), "%s --at %s", conf, at);
	topo_view(args, t);
	snprintf(cmd, sizeof(cmd), BIN " path %s %s %s --from %s", conf, a, b,
		 at);
	s = out = run_ok(cmd);
	cr_assert_str_eq(next_line(&s), "t_ns,rtt_ns,path");
	l = next_line(&s);
	cr_assert_not_null(l);
	cr_assert_eq(sscanf(l, "%lld,%lld,%4095[^\n]", &t_ns, &rtt, path), 3,
		     "path line \"%s\": unreachable?", l);
	for (hop = strtok_r(path, " ", &save); hop;
	     hop = strtok_r(NULL, " ", &save)) {
		long i = topo_node(t, hop);

		cr_assert_geq(i, 0, "hop %s not in topo", hop);
		if (prev >= 0) {
			hops++;
			cross += crosses(t, prev, i);
		}
		prev = i;
	}
	free(out);
	snprintf(svg, sizeof(svg), "%s/route.svg", tmpdir);
	snprintf(cmd, sizeof(cmd), BIN " map %s --at %s --path %s %s -o '%s'",
		 conf, at, a, b, svg);
	free(run_ok(cmd));
	count_svg(svg, &c);
	cr_log_info("%s -> %s at %s: %ld hops, %ld crossing ±180, RTT %lld ns",
		    a, b, at, hops, cross, rtt);
	cr_assert_gt(hops, 1);
	cr_assert_eq(cross > 0, want_cross);
	cr_assert_eq(c.v[C_ROUTE], 1);
	cr_assert_eq(c.v[C_ROUTE_L], hops + cross);
	cr_assert_eq(c.v[C_ROUTE_M], 1 + cross);
	snprintf(want, sizeof(want), "path %s -> %s: RTT %.3f ms over %ld hops",
		 a, b, rtt / 1e6, hops);
	cr_assert(has_caption(&c, want), "no caption \"%s\"", want);
	free(t);
}

Test(map, path_is_paths)
{
	check_route("", "london", "newyork", "90", false);
}

/* Two stations either side of 180 degrees: the route must be cut. */
Test(map, path_across_the_antimeridian)
{
	char conf[PATH_MAX], cmd[PATH_MAX + 64];
	FILE *f;

	snprintf(conf, sizeof(conf), "%s/pacific.conf", tmpdir);
	snprintf(cmd, sizeof(cmd), BIN " config > '%s'", conf);
	free(run_ok(cmd));
	f = fopen(conf, "a");
	cr_assert_not_null(f);
	fputs("\n[ground fiji]\nlatitude = -17.7\nlongitude = 178.1\n"
	      "altitude = 0m\n"
	      "\n[ground samoa]\nlatitude = -13.8\nlongitude = -171.8\n"
	      "altitude = 0m\n", f);
	fclose(f);
	check_route(conf, "fiji", "samoa", "0", true);
}

/*
 * The plot has one dot per moment path prints (hollow when unreachable),
 * a change mark per moment whose hop list differs from the one before,
 * and the RTT line broken into one piece per reachable run.
 */
Test(map, plot_counts_equal_path)
{
	char cmd[PATH_MAX * 2 + 128], ev[PATH_MAX], svg[PATH_MAX];
	char prev[4096] = "", want[128], *out, *s, *l;
	long moments = 0, none = 0, changes = 0, runs = 0;
	bool was_up = false;
	struct counts c;
	FILE *f;

	snprintf(ev, sizeof(ev), "%s/ev.txt", tmpdir);
	f = fopen(ev, "w");
	cr_assert_not_null(f);
	fputs("4s down node s1-9-1\n10s down ground london\n"
	      "20s up ground london\n", f);
	fclose(f);
	snprintf(svg, sizeof(svg), "%s/plot.svg", tmpdir);
	snprintf(cmd, sizeof(cmd), BIN " path london newyork --events '%s' "
		 "--to 30 --step 2 --plot '%s'", ev, svg);
	s = out = run_ok(cmd);
	cr_assert_str_eq(next_line(&s), "t_ns,rtt_ns,path");
	while ((l = next_line(&s))) {
		char *p = strchr(l, ',');
		bool up;

		cr_assert_not_null(p);
		p = strchr(p + 1, ',');
		cr_assert_not_null(p);
		p++;
		up = *p != '\0';
		if (moments && strcmp(p, prev))
			changes++;
		none += !up;
		runs += up && !was_up;
		was_up = up;
		snprintf(prev, sizeof(prev), "%s", p);
		moments++;
	}
	free(out);
	count_svg(svg, &c);
	cr_log_info("plot: %ld moments, %ld unreachable, %ld path changes",
		    moments, none, changes);
	cr_assert_eq(moments, 16);
	cr_assert_gt(none, 0);
	cr_assert_geq(changes, 3, "the events change the path 3 times");
	cr_assert_eq(c.v[C_PT], moments);
	cr_assert_eq(c.v[C_NONE], none);
	cr_assert_eq(c.v[C_CHANGE], changes);
	cr_assert_eq(c.v[C_RTT_M], runs);
	cr_assert_eq(c.v[C_RTT_L], moments - none - runs);
	snprintf(want, sizeof(want), "%ld moments, %ld path changes", moments,
		 changes);
	cr_assert(has_caption(&c, want), "no caption \"%s\"", want);
}

/* stdout is the same with --plot as without. */
Test(map, plot_leaves_stdout_alone)
{
	char cmd[PATH_MAX + 128], svg[PATH_MAX], *a, *b;

	snprintf(svg, sizeof(svg), "%s/plot.svg", tmpdir);
	a = run_ok(BIN " path london newyork --to 20 --format text");
	snprintf(cmd, sizeof(cmd), BIN " path london newyork --to 20 "
		 "--format text --plot '%s'", svg);
	b = run_ok(cmd);
	cr_assert_str_eq(a, b);
	free(a);
	free(b);
}

Test(map, bad_arguments_are_quoted)
{
	static const char *const cases[][2] = {
		{ BIN " map 2>&1", "no output: give -o FILE.svg" },
		{ BIN " map -o x.svg --width 12q 2>&1",
		  "--width \"12q\" is not a whole number" },
		{ BIN " map -o x.svg --path london nowhere 2>&1",
		  "node \"nowhere\" does not exist" },
		{ BIN " map -o /nonexistent/x.svg 2>&1",
		  "cannot write \"/nonexistent/x.svg\"" },
		{ BIN " path london newyork --plot /nonexistent/p.svg 2>&1",
		  "--plot: cannot write \"/nonexistent/p.svg\"" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int st;
		char *out = run(cases[i][0], &st);

		cr_assert_eq(st, 1, "%s exited %d", cases[i][0], st);
		cr_assert(strstr(out, cases[i][1]), "%s said \"%s\"",
			  cases[i][0], out);
		free(out);
	}
}
