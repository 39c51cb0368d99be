// SPDX-License-Identifier: MIT
/* test_scenario.c - config to nodes, taps, pairs, destinations, model */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "emu/conf/config.h"
#include "emu/conf/scenario.h"
#include "tests/lib/world.h"

/*
 * Each test works in a fresh temporary directory: the configuration is
 * loaded under the name DIR/t.conf, so the pairs files written there are
 * found, and TLE files of tests/data are named by absolute path.
 */
static char dir[64];
static char conf_name[PATH_MAX];

static void tmp_setup(void)
{
	strcpy(dir, "/tmp/lmt-scenario-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(conf_name, sizeof(conf_name), "%s/t.conf", dir);
}

static void tmp_teardown(void)
{
	char cmd[PATH_MAX + 16];

	if (!dir[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		cr_log_warn("could not remove %s", dir);
}

TestSuite(scenario, .init = tmp_setup, .fini = tmp_teardown);

static void write_file(const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	cr_assert_not_null(f, "cannot write %s", path);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
}

/* The absolute path of a file under tests/data (tests run from the root). */
static const char *data_path(const char *rel)
{
	static char out[4][PATH_MAX];
	static int k;
	char *p = out[k++ % 4];

	cr_assert_not_null(realpath(rel, p), "%s is missing", rel);
	return p;
}

static struct config *load(const char *text)
{
	return world_config(text, conf_name, NULL);
}

/* Whether d holds exactly the message want (formatted like printf). */
static bool has_msg(const struct diag *d, const char *want)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->msg[i], want))
			return true;
	return false;
}

#define SHELL                                                              \
	"[shell w]\n"                                                      \
	"type = walker-delta\n"                                            \
	"planes = 4\n"                                                     \
	"per-plane = 5\n"                                                  \
	"phasing = 1\n"                                                    \
	"altitude = 550km\n"                                               \
	"inclination = 53\n"
/* lines 8 to 15 */
#define GROUNDS                                                            \
	"[ground london]\n"                                                \
	"latitude = 51.5\n"                                                \
	"longitude = -0.13\n"                                              \
	"altitude = 10m\n"                                                 \
	"[ground tokyo]\n"                                                 \
	"latitude = 35.68\n"                                               \
	"longitude = 139.65\n"                                             \
	"altitude = 40m\n"

static const char *name_of(const struct scenario *s, uint32_t v)
{
	return s->constel.node[v].name;
}

Test(scenario, nodes_from_shells_and_stations)
{
	struct config *c = load(SHELL GROUNDS);
	struct scenario s;
	struct diag d;

	diag_init(&d);
	cr_assert_eq(scenario_build(&s, c, &d), 0);
	cr_assert_eq(d.errors, 0);
	cr_assert_eq(s.constel.nsat, 20);
	cr_assert_eq(s.constel.n, 22);
	cr_assert_str_eq(name_of(&s, 0), "w-0-0");
	cr_assert_str_eq(name_of(&s, 7), "w-1-2");
	cr_assert_str_eq(name_of(&s, 19), "w-3-4");
	cr_assert_str_eq(name_of(&s, 20), "london");
	cr_assert_str_eq(name_of(&s, 21), "tokyo");
	cr_assert_eq(s.constel.node[21].kind, CONSTEL_GROUND);
	cr_assert_eq(constel_find(&s.constel, "tokyo"), 21);
	cr_assert_eq(s.ntapped, 0);
	cr_assert_eq(s.npairs, 0);
	cr_assert_eq(s.tle_loaded, 0);
	scenario_free(&s);
	diag_free(&d);
	config_free(c);
}

Test(scenario, tap_patterns_resolve)
{
	static const char *const want[] = {
		"w-1-0", "w-1-1", "w-1-2", "w-1-3", "w-1-4",
		"w-2-0", "w-3-0", "london",
	};
	struct config *c = load(SHELL GROUNDS "[tap]\n"
					      "nodes = london w-1-*\n"
					      "nodes = w-[23]-0 w-1-2\n");
	struct scenario s;
	struct diag d;

	diag_init(&d);
	cr_assert_eq(scenario_build(&s, c, &d), 0);
	world_dump(&d);
	cr_assert_eq(s.ntapped, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < s.ntapped; i++) {
		cr_assert_str_eq(name_of(&s, s.tapped[i]), want[i]);
		if (i)
			cr_assert_gt(s.tapped[i], s.tapped[i - 1]);
	}
	scenario_free(&s);
	diag_free(&d);
	config_free(c);
}

Test(scenario, tap_pattern_matching_nothing_is_an_error)
{
	/* SHELL is lines 1-7, GROUNDS 8-15, [tap] 16 */
	struct config *c = load(SHELL GROUNDS "[tap]\n"
					      "nodes = london zz-*\n"
					      "nodes = w-1-1\n"
					      "nodes = w-1-11 w-9-*\n");
	struct scenario s;
	struct diag d;
	char m[PATH_MAX + 64];

	diag_init(&d);
	cr_assert_eq(scenario_build(&s, c, &d), -EINVAL);
	world_dump(&d);
	cr_assert_eq(d.errors, 3);
	snprintf(m, sizeof(m), "%s:17: nodes \"zz-*\" matches no node",
		 conf_name);
	cr_assert(has_msg(&d, m), "missing: %s", m);
	/* a name is matched whole: w-1-11 is not w-1-1 */
	snprintf(m, sizeof(m), "%s:19: nodes \"w-1-11\" matches no node",
		 conf_name);
	cr_assert(has_msg(&d, m), "missing: %s", m);
	snprintf(m, sizeof(m), "%s:19: nodes \"w-9-*\" matches no node",
		 conf_name);
	cr_assert(has_msg(&d, m), "missing: %s", m);
	/* a failed build leaves nothing behind */
	cr_assert_null(s.tapped);
	cr_assert_eq(s.constel.n, 0);
	scenario_free(&s);
	diag_free(&d);
	config_free(c);
}

Test(scenario, pairs_resolved_and_errors_at_pairs_line)
{
	struct config *c;
	struct scenario s;
	struct diag d;
	char m[PATH_MAX + 64];

	write_file("good.txt", "# fixed links\n"
			       "w-0-1 w-0-0\n"
			       "\n"
			       "w-3-4\tw-2-2   # comment\n");
	c = load(SHELL "[isl]\ncandidates = pairs\npairs-file = good.txt\n");
	diag_init(&d);
	cr_assert_eq(scenario_build(&s, c, &d), 0);
	cr_assert_eq(s.npairs, 2);
	/* each pair ordered a < b */
	cr_assert_str_eq(name_of(&s, s.pairs[0].a), "w-0-0");
	cr_assert_str_eq(name_of(&s, s.pairs[0].b), "w-0-1");
	cr_assert_str_eq(name_of(&s, s.pairs[1].a), "w-2-2");
	cr_assert_str_eq(name_of(&s, s.pairs[1].b), "w-3-4");
	/* the model gets them as its fixed candidates */
	cr_assert_eq(scenario_prepare(&s, NULL, 0), 0);
	cr_assert_eq(s.model.isl.npairs, 2);
	cr_assert_eq(s.model.nfixed, 2);
	scenario_free(&s);
	diag_free(&d);
	config_free(c);

	write_file("bad.txt", "w-0-0 w-0-1\n"
			      "w-0-0 nosuch\n"
			      "# comment\n"
			      "london w-1-1\n"
			      "w-9-9 w-1-0\n");
	c = load(SHELL GROUNDS
		 "[isl]\ncandidates = pairs\npairs-file = bad.txt\n");
	diag_init(&d);
	cr_assert_eq(scenario_build(&s, c, &d), -EINVAL);
	world_dump(&d);
	cr_assert_eq(d.errors, 3);
	snprintf(m, sizeof(m), "%s/bad.txt:2: node \"nosuch\" does not exist",
		 dir);
	cr_assert(has_msg(&d, m), "missing: %s", m);
	snprintf(m, sizeof(m),
		 "%s/bad.txt:4: node \"london\" is a ground station, not a "
		 "satellite", dir);
	cr_assert(has_msg(&d, m), "missing: %s", m);
	snprintf(m, sizeof(m), "%s/bad.txt:5: node \"w-9-9\" does not exist",
		 dir);
	cr_assert(has_msg(&d, m), "missing: %s", m);
	scenario_free(&s);
	diag_free(&d);
	config_free(c);
}

static struct scenario build_tle(const char *tle, const char *pattern,
				 struct diag *d, int want, struct config **cp)
{
	char text[2 * PATH_MAX];
	struct config *c;
	struct scenario s;

	snprintf(text, sizeof(text),
		 "[tle t]\nfile = %s\n%s%s%s[isl]\ncandidates = nearest\n",
		 data_path(tle), pattern ? "pattern = " : "",
		 pattern ? pattern : "", pattern ? "\n" : "");
	c = load(text);
	cr_assert_eq(scenario_build(&s, c, d), want);
	world_dump(d);
	*cp = c;	/* the scenario borrows it */
	return s;
}

Test(scenario, tle_source_and_pattern)
{
	struct config *c;
	struct scenario s;
	struct diag d;

	diag_init(&d);
	s = build_tle("tests/data/conf/few.tle", NULL, &d, 0, &c);
	cr_assert_eq(s.constel.nsat, 2);
	cr_assert_eq(s.tle_loaded, 2);
	cr_assert_str_eq(name_of(&s, 0), "starlink-1008");
	cr_assert_str_eq(name_of(&s, 1), "starlink-1012");
	cr_assert_eq(s.constel.node[0].shell, CONSTEL_NO_SHELL);
	config_free(c);
	scenario_free(&s);

	/* the pattern is on the name as written in the file */
	s = build_tle("tests/data/conf/few.tle", "STARLINK-1012", &d, 0, &c);
	cr_assert_eq(s.constel.nsat, 1);
	cr_assert_eq(s.tle_loaded, 1);
	cr_assert_str_eq(name_of(&s, 0), "starlink-1012");
	config_free(c);
	scenario_free(&s);

	s = build_tle("tests/data/conf/few.tle", "STARLINK-10[01]?", &d, 0, &c);
	cr_assert_eq(s.constel.nsat, 2);
	config_free(c);
	scenario_free(&s);
	cr_assert_eq(d.errors, 0);

	/*
	 * A pattern that matches nothing is an error at its line, naming
	 * the section, the pattern and the file (it used to be "the
	 * configuration has no satellite", without a line).
	 */
	s = build_tle("tests/data/conf/few.tle", "starlink-*", &d, -EINVAL, &c);
	cr_assert_eq(d.errors, 1);
	{
		char m[2 * PATH_MAX];

		snprintf(m, sizeof(m),
			 "%s:3: pattern \"starlink-*\" of [tle t] matches none "
			 "of the 2 element sets in \"%s\"", conf_name,
			 data_path("tests/data/conf/few.tle"));
		cr_assert(has_msg(&d, m), "missing: %s", m);
	}
	config_free(c);
	scenario_free(&s);
	diag_free(&d);
}

/* The same with a shell beside it: not "configuration OK". */
Test(scenario, tle_pattern_matching_nothing_beside_a_shell)
{
	char text[2 * PATH_MAX], m[2 * PATH_MAX];
	struct config *c;
	struct diag d;

	snprintf(text, sizeof(text),
		 SHELL "[tle t]\nfile = %s\npattern = NOSUCH*\n",
		 data_path("tests/data/conf/few.tle"));
	c = load(text);
	diag_init(&d);
	cr_assert_eq(scenario_check(c, NULL, &d), -EINVAL);
	world_dump(&d);
	snprintf(m, sizeof(m),
		 "%s:10: pattern \"NOSUCH*\" of [tle t] matches none of the "
		 "2 element sets in \"%s\"", conf_name,
		 data_path("tests/data/conf/few.tle"));
	cr_assert(has_msg(&d, m), "missing: %s", m);
	diag_free(&d);
	config_free(c);
}

Test(scenario, tle_bad_sets_are_warnings)
{
	struct config *c;
	struct scenario s;
	struct diag d;

	/* the first set's checksum is wrong: left out, the second kept */
	diag_init(&d);
	s = build_tle("tests/data/tle/bad_checksum.tle", NULL, &d, 0, &c);
	cr_assert_eq(d.errors, 0);
	cr_assert_geq(d.warnings, 1);
	cr_assert_eq(s.constel.nsat, 1);
	cr_assert_str_eq(name_of(&s, 0), "starlink-1012");
	cr_assert_neq(strstr(d.msg[0], "element set left out"), NULL,
		      "%s", d.msg[0]);
	config_free(c);
	scenario_free(&s);
	diag_free(&d);

	/* 3-line, 2-line (no name: sat-NUMBER) and "0 NAME" sets */
	diag_init(&d);
	s = build_tle("tests/data/tle/mixed.tle", NULL, &d, 0, &c);
	cr_assert_eq(s.constel.nsat, 3);
	cr_assert_str_eq(name_of(&s, 0), "starlink-1008");
	cr_assert_str_eq(name_of(&s, 1), "sat-44718");
	cr_assert_eq(constel_find(&s.constel, "sat-44718"), 1);
	config_free(c);
	scenario_free(&s);
	diag_free(&d);
}

/* A file in which no set is good is an error at its [tle] line. */
Test(scenario, tle_without_a_good_set)
{
	struct config *c;
	struct scenario s;
	struct diag d;
	char m[2 * PATH_MAX];

	diag_init(&d);
	s = build_tle("tests/data/tle/junk_field.tle", NULL, &d, -EINVAL, &c);
	cr_assert_eq(d.warnings, 2);
	/* one error: the global "no satellite" repeat is gone */
	cr_assert_eq(d.errors, 1);
	snprintf(m, sizeof(m), "%s:1: file \"%s\" holds no element set",
		 conf_name, data_path("tests/data/tle/junk_field.tle"));
	cr_assert(has_msg(&d, m), "missing: %s", m);
	cr_assert_eq(s.constel.n, 0);
	scenario_free(&s);
	config_free(c);
	diag_free(&d);
}

/* A combined candidates list reaches the model as combined sources. */
Test(scenario, combined_candidates)
{
	struct config *c = load(SHELL "[isl]\ncandidates = plus-grid "
					"nearest\nterminals = 5\n");
	struct scenario s;
	struct diag d;

	diag_init(&d);
	cr_assert_eq(scenario_build(&s, c, &d), 0);
	cr_assert_eq(scenario_prepare(&s, NULL, 0), 0);
	cr_assert_eq(s.model.isl.source, ISL_SRC_GRID | ISL_SRC_NEAREST);
	cr_assert_eq(s.model.isl.terminals, 5);
	scenario_free(&s);
	diag_free(&d);
	config_free(c);
}

Test(scenario, destinations_tapped_grounds_extra)
{
	struct config *c = load(SHELL GROUNDS "[tap]\n"
					      "nodes = w-2-1 tokyo w-0-3\n");
	struct scenario s;
	struct diag d;
	uint32_t extra[5];
	static const char *const want[] = {
		"w-0-3", "w-2-1", "tokyo", "london", "w-3-3", "w-0-0",
	};

	diag_init(&d);
	cr_assert_eq(scenario_build(&s, c, &d), 0);
	cr_assert_eq(s.ntapped, 3);
	extra[0] = (uint32_t)constel_find(&s.constel, "w-3-3");
	/* already in: a tapped node, a station; then one out of range */
	extra[1] = (uint32_t)constel_find(&s.constel, "w-2-1");
	extra[2] = (uint32_t)constel_find(&s.constel, "london");
	extra[3] = 1000;
	extra[4] = 0;
	cr_assert_eq(scenario_prepare(&s, extra, 5), 0);
	cr_assert(s.prepared);
	/* tapped in node order, then every ground station, then extra */
	cr_assert_eq(s.ndest, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < s.ndest; i++)
		cr_assert_str_eq(name_of(&s, s.dest[i]), want[i], "dest %zu",
				 i);
	cr_assert_eq(s.model.dest, s.dest);
	cr_assert_eq(s.model.ndest, s.ndest);
	cr_assert_eq(s.model.constel, &s.constel);
	/* the model takes the configuration's link rules */
	cr_assert_eq(s.model.gsl.min_elev_deg, c->gsl.min_elev_deg);
	cr_assert_eq(s.model.isl.grazing_km, c->isl.grazing_km);
	cr_assert_eq(s.model.isl.terminals, c->isl.terminals);
	cr_assert_eq(s.model.isl.source, ISL_SRC_GRID);
	/* 4 x 5 +Grid: 20 in-plane links and 20 across */
	cr_assert_eq(s.model.nfixed, 40);
	scenario_free(&s);
	diag_free(&d);
	config_free(c);
}

Test(scenario, destinations_without_taps)
{
	struct config *c = load(SHELL GROUNDS);
	struct scenario s;
	struct diag d;

	diag_init(&d);
	cr_assert_eq(scenario_build(&s, c, &d), 0);
	cr_assert_eq(scenario_prepare(&s, NULL, 0), 0);
	cr_assert_eq(s.ndest, 2);
	cr_assert_str_eq(name_of(&s, s.dest[0]), "london");
	cr_assert_str_eq(name_of(&s, s.dest[1]), "tokyo");
	scenario_free(&s);
	/* scenario_free leaves a zeroed struct: a second free is harmless */
	scenario_free(&s);
	scenario_free(NULL);
	diag_free(&d);
	config_free(c);
}

Test(scenario, check_reports)
{
	struct config *c = load(SHELL GROUNDS "[tap]\nnodes = zz-0\n");
	struct diag d;
	char m[PATH_MAX + 64];

	diag_init(&d);
	cr_assert_eq(scenario_check(c, NULL, &d), -EINVAL);
	cr_assert_eq(d.errors, 1);
	snprintf(m, sizeof(m), "%s:17: nodes \"zz-0\" matches no node",
		 conf_name);
	cr_assert(has_msg(&d, m), "missing: %s", m);
	diag_free(&d);
	config_free(c);

	c = load(SHELL GROUNDS "[tap]\nnodes = w-0-0 london\n");
	diag_init(&d);
	cr_assert_eq(scenario_check(c, NULL, &d), 0);
	cr_assert_eq(d.n, 0);
	diag_free(&d);
	config_free(c);

	/* the embedded default passes */
	diag_init(&d);
	cr_assert_eq(config_load(NULL, &c, &d), 0);
	cr_assert_eq(scenario_check(c, NULL, &d), 0);
	cr_assert_eq(d.errors, 0);
	diag_free(&d);
	config_free(c);
}

/*
 * A TLE satellite called RZG1 and a ground station rzg1: the station keeps
 * its configured name (and is what [tap] taps), the satellite becomes
 * rzg1-2, and a warning names both. It used to be the other way round,
 * silently.
 */
Test(scenario, ground_station_keeps_its_name)
{
	char text[2 * PATH_MAX], m[2 * PATH_MAX];
	struct config *c;
	struct scenario s;
	struct diag d;
	long g;

	snprintf(text, sizeof(text),
		 "[tle t]\nfile = %s\n[isl]\ncandidates = nearest\n"
		 "[ground rzg1]\nlatitude = 48\nlongitude = 11\n"
		 "[tap]\nnodes = rzg1\n",
		 data_path("tests/data/conf/rzg1.tle"));
	c = load(text);
	diag_init(&d);
	cr_assert_eq(scenario_build(&s, c, &d), 0);
	world_dump(&d);
	g = constel_find(&s.constel, "rzg1");
	cr_assert_geq(g, 0);
	cr_assert_eq(s.constel.node[g].kind, CONSTEL_GROUND);
	cr_assert_str_eq(name_of(&s, 0), "rzg1-2");
	cr_assert_eq(s.ntapped, 1);
	cr_assert_eq(s.tapped[0], (uint32_t)g);
	cr_assert_eq(d.errors, 0);
	cr_assert_eq(d.warnings, 1);
	snprintf(m, sizeof(m),
		 "%s:5: warning: ground station \"rzg1\" keeps its name: the "
		 "TLE satellite also called rzg1 is now rzg1-2", conf_name);
	cr_assert(has_msg(&d, m), "missing: %s", m);
	scenario_free(&s);
	diag_free(&d);
	config_free(c);
}

/* A TLE satellite named like a shell's satellite gives way, with a word. */
Test(scenario, tle_name_of_a_shell_satellite)
{
	char text[2 * PATH_MAX], m[2 * PATH_MAX];
	struct config *c;
	struct scenario s;
	struct diag d;

	write_file("w.tle", "W-0-0\n"
		   "1 44714U 19074B   26053.95338319  .00001514  00000+0  "
		   "61711-4 0  9998\n"
		   "2 44714  53.1565 247.2957 0001251  94.4223 265.6921 "
		   "15.31035506346616\n");
	snprintf(text, sizeof(text), SHELL "[tle t]\nfile = w.tle\n");
	c = load(text);
	diag_init(&d);
	cr_assert_eq(scenario_build(&s, c, &d), 0);
	world_dump(&d);
	cr_assert_eq(constel_find(&s.constel, "w-0-0"), 0);
	cr_assert_str_eq(name_of(&s, 20), "w-0-0-2");
	snprintf(m, sizeof(m),
		 "%s/w.tle:2: warning: satellite \"W-0-0\" is called w-0-0-2: "
		 "w-0-0 is a satellite of [shell w]", dir);
	cr_assert(has_msg(&d, m), "missing: %s", m);
	scenario_free(&s);
	diag_free(&d);
	config_free(c);
}

/* SGP4's refusal says what its code means, not only the number. */
Test(scenario, sgp4_refusal_says_why)
{
	struct config *c;
	struct scenario s;
	struct diag d;
	char m[2 * PATH_MAX];

	diag_init(&d);
	s = build_tle("tests/data/conf/sgp4-bad.tle", NULL, &d, 0, &c);
	cr_assert_eq(s.constel.nsat, 1);
	cr_assert_eq(s.tle_rejected, 1);
	snprintf(m, sizeof(m),
		 "%s:2: warning: satellite \"LOW ONE\" left out: the "
		 "satellite has decayed (SGP4 error 6)",
		 data_path("tests/data/conf/sgp4-bad.tle"));
	cr_assert(has_msg(&d, m), "missing: %s", m);
	config_free(c);
	scenario_free(&s);
	diag_free(&d);

	/* only the refused set chosen: an error at the [tle] line */
	diag_init(&d);
	s = build_tle("tests/data/conf/sgp4-bad.tle", "LOW*", &d, -EINVAL, &c);
	snprintf(m, sizeof(m),
		 "%s:1: [tle t]: SGP4 refused the 1 element set chosen from "
		 "\"%s\" (see the warnings)", conf_name,
		 data_path("tests/data/conf/sgp4-bad.tle"));
	cr_assert(has_msg(&d, m), "missing: %s", m);
	config_free(c);
	scenario_free(&s);
	diag_free(&d);
}

/* Counts in the run banner agree with their nouns. */
Test(scenario, summary_plurals)
{
	struct config *c = load(SHELL "[ground london]\nlatitude = 51.5\n"
				"longitude = -0.13\n");
	struct scenario s;
	struct diag d;
	char buf[96];

	diag_init(&d);
	cr_assert_eq(scenario_build(&s, c, &d), 0);
	scenario_summary(&s, buf, sizeof(buf));
	cr_assert_str_eq(buf, "20 satellites, 1 ground station");
	scenario_free(&s);
	config_free(c);
	diag_free(&d);
}

/* The runtime's values reach it through the scenario. */
Test(scenario, carries_the_runtime_values)
{
	struct config *c = load(SHELL "[emulation]\nstep = 20ms\nseed = 7\n"
				"time-scale = 2\n[isl]\nrate = 5mbit\n"
				"[gsl]\nrate = 3mbit\n");
	struct scenario s;
	struct diag d;

	diag_init(&d);
	cr_assert_eq(scenario_build(&s, c, &d), 0);
	cr_assert_eq(s.epoch_unix_ns, c->epoch_unix_ns);
	cr_assert_eq(s.step_ns, 20000000);
	cr_assert_eq(s.seed, 7);
	cr_assert_float_eq(s.time_scale, 2.0, 1e-12);
	cr_assert_eq(s.isl_lp.rate_bps, 5000000);
	cr_assert_eq(s.gsl_lp.rate_bps, 3000000);
	scenario_free(&s);
	config_free(c);
	diag_free(&d);
}

/* Faults ------------------------------------------------------------------- */

Test(scenario, faults_per_group_and_events)
{
	char text[2048];
	struct config *c;
	struct scenario s;
	struct fault_plan p;
	struct diag d;
	long v;

	write_file("ev.txt", "5s down node w-0-1\n1s down ground london\n");
	snprintf(text, sizeof(text),
		 SHELL "mtbf = 1h\n"
		 "[tle t]\nfile = %s\npattern = STARLINK-1012\n"
		 "eclipse = down\n" GROUNDS
		 "[faults]\nmtbf = 6h\nmttr = 30s\n"
		 "[emulation]\nevents = ev.txt\n",
		 data_path("tests/data/conf/few.tle"));
	c = load(text);
	diag_init(&d);
	cr_assert_eq(scenario_build(&s, c, &d), 0);
	cr_assert_eq(scenario_faults(&s, NULL, &d), 0);
	world_dump(&d);
	/* the shell's own mtbf, [faults]' mttr; the TLE satellite's [faults] */
	cr_assert_eq(s.faults.mtbf_ns[0], 3600 * INT64_C(1000000000));
	cr_assert_eq(s.faults.mttr_ns[0], 30 * INT64_C(1000000000));
	v = constel_find(&s.constel, "starlink-1012");
	cr_assert_geq(v, 0);
	cr_assert_eq(s.faults.mtbf_ns[v], 6 * 3600 * INT64_C(1000000000));
	cr_assert_eq(s.faults.eclipse[v], TOPO_ECLIPSE_DOWN);
	cr_assert_eq(s.faults.eclipse[0], TOPO_ECLIPSE_NONE);
	cr_assert(s.faults.random && s.faults.eclipse_on);
	cr_assert(scenario_has_faults(&s));
	/* the events, sorted, and a plan holding them */
	cr_assert_eq(s.faults.events.n, 2);
	cr_assert_eq(s.faults.events.v[0].a,
		     (uint32_t)constel_find(&s.constel, "london"));
	cr_assert_eq(scenario_prepare(&s, NULL, 0), 0);
	cr_assert_eq(s.model.eclipse, s.faults.eclipse, "kept by prepare");
	cr_assert_eq(scenario_fault_plan(&s, &p), 0);
	cr_assert_eq(p.n, 2);
	cr_assert_not_null(p.rnd_next);
	fault_plan_free(&p);
	scenario_free(&s);
	config_free(c);
	diag_free(&d);
}

Test(scenario, check_reports_the_events_file)
{
	char text[1024];
	struct config *c;
	struct diag d;

	write_file("ev.txt", "5s down node w-9-9\n");
	snprintf(text, sizeof(text), SHELL "[emulation]\nevents = ev.txt\n");
	c = load(text);
	diag_init(&d);
	cr_assert_eq(scenario_check(c, NULL, &d), -EINVAL);
	cr_assert(d.n == 1 && strstr(d.msg[0], "ev.txt:1: node \"w-9-9\" "
				     "does not exist"), "%s",
		  d.n ? d.msg[0] : "(none)");
	diag_free(&d);
	config_free(c);
}

/*
 * The geometry's threads: one below SCENARIO_THREADS_MIN satellites,
 * every online CPU from it on, the pool made by scenario_prepare and
 * handed to the model.
 */
Test(scenario, threads_from_the_constellation_size)
{
	static const char big[] =
		"[shell w]\ntype = walker-delta\nplanes = 100\n"
		"per-plane = 200\nphasing = 1\naltitude = 550km\n"
		"inclination = 53\n";
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	struct config *c = load(SHELL);
	struct scenario s;
	struct diag d;

	diag_init(&d);
	cr_assert_eq(scenario_build(&s, c, &d), 0);
	scenario_use_threads(&s, NULL);
	cr_assert_eq(s.threads, 1);
	cr_assert_eq(scenario_prepare(&s, NULL, 0), 0);
	cr_assert_null(s.model.pool);
	scenario_free(&s);
	config_free(c);

	c = load(big);
	cr_assert_eq(scenario_build(&s, c, &d), 0);
	cr_assert_eq(s.constel.nsat, SCENARIO_THREADS_MIN);
	scenario_use_threads(&s, NULL);
	cr_assert_eq(s.threads, cpus > 1 ? (unsigned)cpus : 1);
	cr_assert_eq(scenario_prepare(&s, NULL, 0), 0);
	cr_assert_eq(topo_pool_threads(s.model.pool), s.threads);
	scenario_free(&s);
	diag_free(&d);
	config_free(c);
}
