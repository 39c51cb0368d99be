// SPDX-License-Identifier: MIT
/* test_config.c - the configuration reader: values, examples, every error path */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "emu/conf/config.h"
#include "topo/sso.h"
#include "topo/step.h"
#include "topo/utc.h"
#include "tests/lib/world.h"

/*
 * Tests run from the repository root. Texts are loaded under the name
 * CONF, so that the files they name resolve in tests/data/conf/.
 */
#define CONF "tests/data/conf/t.conf"

/* A valid shell: lines 1 to 7 of the texts that start with it. */
#define SHELL                                                              \
	"[shell s1]\n"                                                     \
	"type = walker-delta\n"                                            \
	"planes = 4\n"                                                     \
	"per-plane = 5\n"                                                  \
	"phasing = 1\n"                                                    \
	"altitude = 550km\n"                                               \
	"inclination = 53\n"

/* A TLE source: lines 1 and 2. */
#define TLE "[tle t]\nfile = few.tle\n"

static struct config *load_ok(const char *text)
{
	size_t nmsg;
	struct config *c = world_config(text, CONF, &nmsg);

	cr_assert_eq(nmsg, 0);
	return c;
}

/* Load text, expect failure with exactly the messages want, in order. */
static void expect(const char *text, const char *const *want, size_t n)
{
	struct config *c = (struct config *)&c;
	struct diag d;
	int ret;

	diag_init(&d);
	ret = config_load_string(text, CONF, &c, &d);
	world_dump(&d);
	cr_assert_eq(ret, -EINVAL, "ret %d", ret);
	cr_assert_null(c);
	for (size_t i = 0; i < n && i < d.n; i++)
		cr_expect_str_eq(d.msg[i], want[i], "message %zu", i);
	cr_assert_eq(d.n, n, "%zu messages, want %zu", d.n, n);
	cr_assert_eq(d.errors, n);
	diag_free(&d);
}

#define EXPECT(text, ...)                                                  \
	do {                                                               \
		const char *const want_[] = { __VA_ARGS__ };               \
		expect(text, want_, sizeof(want_) / sizeof(want_[0]));     \
	} while (0)

/* The defaults and the embedded configuration ---------------------------- */

Test(config, default_parses)
{
	struct config *c = NULL;
	struct diag d;
	int64_t epoch;

	diag_init(&d);
	cr_assert_eq(config_load(NULL, &c, &d), 0);
	world_dump(&d);
	cr_assert_eq(d.n, 0);
	cr_assert_str_eq(c->path, "<default>");
	cr_assert_str_eq(c->dir, ".");

	cr_assert(utc_parse_iso8601("2026-02-23T00:00:00Z", &epoch));
	cr_assert_eq(c->epoch_unix_ns, epoch);
	cr_assert_eq(c->step_ns, 100000000);
	cr_assert_eq(c->time_scale, 1.0);
	cr_assert_eq(c->duration_ns, 0);
	cr_assert_eq(c->seed, 1);
	cr_assert_eq(c->mtu, 1500);

	cr_assert_eq(c->nshells, 1);
	cr_assert_str_eq(c->shells[0].w.name, "s1");
	cr_assert_eq(c->shells[0].w.kind, WALKER_DELTA);
	cr_assert_eq(c->shells[0].w.planes, 72);
	cr_assert_eq(c->shells[0].w.per_plane, 22);
	cr_assert_eq(c->shells[0].w.phasing, 39);
	cr_assert_eq(c->shells[0].w.alt_km, 550.0);
	cr_assert_eq(c->shells[0].w.incl_deg, 53.0);
	cr_assert_eq(c->ntles, 0);

	cr_assert_eq(c->isl.source, ISL_SRC_GRID);
	cr_assert_eq(c->isl.terminals, 4);
	cr_assert_eq(c->isl.grazing_km, 80.0);
	cr_assert_eq(c->isl.max_range_km, 0.0);
	cr_assert_not(c->isl.has_cross_lat);
	cr_assert_eq(c->isl.lp.rate_bps, UINT64_C(10000000000));
	cr_assert_eq(c->isl.lp.qkind, LINKPARAMS_Q_PACKETS);
	cr_assert_eq(c->isl.lp.qlimit, 1000);
	cr_assert_eq(c->isl.lp.loss.kind, LINKPARAMS_LOSS_NONE);
	cr_assert_eq(c->gsl.min_elev_deg, 25.0);
	cr_assert_eq(c->gsl.lp.rate_bps, UINT64_C(1000000000));
	cr_assert_not(c->gsl.relay);

	cr_assert_eq(c->ngrounds, 2);
	cr_assert_str_eq(c->grounds[0].name, "london");
	cr_assert_eq(c->grounds[0].lat_deg, 51.5074);
	cr_assert_eq(c->grounds[0].lon_deg, -0.1278);
	cr_assert_str_eq(c->grounds[1].name, "newyork");
	cr_assert_eq(c->grounds[1].lat_deg, 40.7128);
	cr_assert_eq(c->grounds[1].lon_deg, -74.006);
	cr_assert_not(c->grounds[1].relay);

	cr_assert_eq(c->ntaps, 4);
	cr_assert_str_eq(c->taps[0].pattern, "london");
	cr_assert_str_eq(c->taps[1].pattern, "newyork");
	cr_assert_str_eq(c->taps[2].pattern, "s1-0-0");
	cr_assert_str_eq(c->taps[3].pattern, "s1-36-11");
	cr_assert_str_eq(c->taps[3].file, "<default>");
	cr_assert_gt(c->taps[3].line, 0);
	config_free(c);
	diag_free(&d);
}

Test(config, defaults_of_a_minimal_file)
{
	struct config *c = load_ok(SHELL);

	cr_assert_eq(c->step_ns, 100000000);
	cr_assert_eq(c->seed, 1);
	cr_assert_eq(c->mtu, 1500);
	cr_assert_eq(c->shells[0].w.extra_phase, 0.0);
	cr_assert_eq(c->shells[0].w.raan0_deg, 0.0);
	cr_assert_eq(c->shells[0].line, 1);
	cr_assert_eq(c->isl.source, ISL_SRC_GRID);
	cr_assert_eq(c->isl.terminals, 4);
	cr_assert_eq(c->isl.acquisition_ns, 0);
	cr_assert_eq(c->isl.sun_excl_deg, 0.0);
	cr_assert_eq(c->isl.lp.rate_bps, 0, "unlimited by default");
	cr_assert_eq(c->isl.lp.qkind, LINKPARAMS_Q_PACKETS);
	cr_assert_eq(c->isl.lp.qlimit, 1000);
	cr_assert_eq(c->gsl.lp.rate_bps, 0);
	cr_assert_eq(c->gsl.max_range_km, 0.0);
	cr_assert_eq(c->ngrounds, 0);
	cr_assert_eq(c->ntaps, 0);
	config_free(c);
}

/* Every example under docs/examples/ loads, with its own numbers. */
static struct config *load_example(const char *name)
{
	struct config *c = NULL;
	char path[256];
	struct diag d;
	int ret;

	snprintf(path, sizeof(path), "docs/examples/%s", name);
	diag_init(&d);
	ret = config_load_file(path, &c, &d);
	world_dump(&d);
	cr_assert_eq(ret, 0, "%s: %s", path, d.n ? d.msg[0] : "");
	cr_assert_geq(c->ngrounds, 2, "%s: fewer than two stations", path);
	cr_assert_geq(c->ntaps, 1, "%s: nothing tapped", path);
	diag_free(&d);
	return c;
}

Test(config, example_starlink_shell1)
{
	struct config *c = load_example("starlink-shell1.conf");

	cr_assert_eq(c->nshells, 1);
	cr_assert_eq(c->shells[0].w.planes * c->shells[0].w.per_plane, 1584);
	cr_assert_eq(c->gsl.min_elev_deg, 25.0);
	config_free(c);
}

Test(config, example_starlink_gen1)
{
	static const struct {
		unsigned p, s;
		double alt, incl;
	} want[] = {
		{ 72, 22, 550, 53 },   { 72, 22, 540, 53.2 }, { 36, 20, 570, 70 },
		{ 6, 58, 560, 97.6 },  { 4, 43, 560, 97.6 },
	};
	struct config *c = load_example("starlink-gen1.conf");
	unsigned total = 0;

	cr_assert_eq(c->nshells, 5);
	for (size_t i = 0; i < 5; i++) {
		const struct walker_shell *w = &c->shells[i].w;

		cr_assert_eq(w->planes, want[i].p, "shell %zu", i);
		cr_assert_eq(w->per_plane, want[i].s, "shell %zu", i);
		cr_assert_eq(w->alt_km, want[i].alt, "shell %zu", i);
		cr_assert_eq(w->incl_deg, want[i].incl, "shell %zu", i);
		total += w->planes * w->per_plane;
	}
	cr_assert_eq(total, 4408);
	/* Its stations come from docs/examples/stations.csv. */
	cr_assert_str_eq(c->grounds[c->ngrounds - 1].file,
			 "docs/examples/stations.csv");
	config_free(c);
}

Test(config, example_kuiper)
{
	struct config *c = load_example("kuiper.conf");

	cr_assert_eq(c->nshells, 3);
	cr_assert_eq(c->shells[0].w.planes, 34);
	cr_assert_eq(c->shells[0].w.incl_deg, 51.9);
	cr_assert_eq(c->shells[1].w.alt_km, 610.0);
	cr_assert_eq(c->shells[2].w.per_plane, 28);
	cr_assert_eq(c->gsl.min_elev_deg, 35.0);
	config_free(c);
}

Test(config, example_telesat)
{
	struct config *c = load_example("telesat.conf");

	cr_assert_eq(c->nshells, 1);
	cr_assert_eq(c->shells[0].w.kind, WALKER_STAR);
	cr_assert_eq(c->shells[0].w.planes, 27);
	cr_assert_eq(c->shells[0].w.per_plane, 13);
	cr_assert_eq(c->shells[0].w.alt_km, 1015.0);
	cr_assert_eq(c->shells[0].w.incl_deg, 98.98);
	cr_assert_eq(c->gsl.min_elev_deg, 10.0);
	config_free(c);
}

Test(config, example_starlink_tle)
{
	struct config *c = load_example("starlink-tle.conf");

	cr_assert_eq(c->nshells, 0);
	cr_assert_eq(c->ntles, 1);
	cr_assert_str_eq(c->tles[0].path,
			 "docs/examples/data/starlink-2026-02-22.tle");
	cr_assert_eq(c->isl.source, ISL_SRC_NEAREST);
	cr_assert_eq(c->isl.terminals, 4);
	config_free(c);
}

/* Candidate sources combine: +Grid, then nearest on the terminals left. */
Test(config, candidates_combine)
{
	struct config *c = load_ok(SHELL "[isl]\ncandidates = plus-grid "
					 "nearest\n");

	cr_assert_eq(c->isl.source, ISL_SRC_GRID | ISL_SRC_NEAREST);
	config_free(c);
	c = load_ok(SHELL "[isl]\ncandidates = none\n");
	cr_assert_eq(c->isl.source, 0U);
	config_free(c);
}

/* tle-grid brings nearest links for the rest unless tle-grid-rest = none. */
Test(config, candidates_tle_grid)
{
	struct config *c = load_example("starlink-tle-grid.conf");

	cr_assert_eq(c->isl.source, ISL_SRC_TLE_GRID | ISL_SRC_NEAREST);
	config_free(c);
	c = load_ok(TLE "[isl]\ncandidates = tle-grid\ntle-grid-rest = none\n");
	cr_assert_eq(c->isl.source, ISL_SRC_TLE_GRID);
	config_free(c);
	EXPECT(TLE "[isl]\ncandidates = tle-grid nearest\n"
	       "tle-grid-rest = none\n",
	       CONF ":4: candidates \"nearest\" contradicts tle-grid-rest "
		    "\"none\" (nearest would link the satellites tle-grid "
		    "leaves out)");
	EXPECT(TLE "[isl]\ncandidates = tle-grid\ntle-grid-rest = some\n",
	       CONF ":5: tle-grid-rest \"some\" is not a rule (use nearest or "
		    "none)");
	EXPECT(SHELL "[isl]\ncandidates = tle-grid\n",
	       CONF ":9: candidates \"tle-grid\" needs a [tle] section: it "
		    "recovers the planes of TLE satellites");
}

/* A file with every section and key, read from disk. */
Test(config, valid_file_every_key)
{
	struct config *c = NULL;
	struct diag d;
	int64_t t;

	diag_init(&d);
	cr_assert_eq(config_load_file("tests/data/conf/valid.conf", &c, &d),
		     0);
	world_dump(&d);
	cr_assert_str_eq(c->dir, "tests/data/conf");
	cr_assert(utc_parse_iso8601("2026-01-01T12:00:00Z", &t));
	cr_assert_eq(c->epoch_unix_ns, t);
	cr_assert_eq(c->step_ns, 50000000);
	cr_assert_eq(c->time_scale, 0.5);
	cr_assert_eq(c->duration_ns, INT64_C(120000000000));
	cr_assert_eq(c->seed, 7);
	cr_assert_eq(c->mtu, 9000);
	cr_assert_str_eq(c->events_path, "tests/data/conf/events.txt");
	cr_assert_eq(c->events_line, 68);

	cr_assert_eq(c->nshells, 2);
	cr_assert_eq(c->shells[0].w.extra_phase, 0.25);
	cr_assert_eq(c->shells[0].w.raan0_deg, 10.0);
	cr_assert_str_eq(c->shells[1].w.name, "polar");
	cr_assert_eq(c->shells[1].w.kind, WALKER_STAR);
	cr_assert_eq(c->shells[1].w.planes, 3, "indented keys are keys");
	cr_assert_eq(c->shells[1].w.incl_deg, 98.98);
	cr_assert_eq(c->shells[1].line, 20);

	cr_assert_eq(c->ntles, 1);
	cr_assert_str_eq(c->tles[0].name, "few");
	cr_assert_str_eq(c->tles[0].path, "tests/data/conf/few.tle");
	cr_assert_str_eq(c->tles[0].pattern, "STARLINK-*");

	cr_assert_eq(c->isl.source, ISL_SRC_PAIRS);
	cr_assert_str_eq(c->isl.pairs_file, "tests/data/conf/pairs.txt");
	cr_assert_eq(c->isl.npairs, 3);
	cr_assert_str_eq(c->isl.pairs[1].a, "s1-0-1");
	cr_assert_str_eq(c->isl.pairs[1].b, "s1-1-1");
	cr_assert_eq(c->isl.pairs[1].line, 3);
	cr_assert_str_eq(c->isl.pairs[2].b, "polar-0-0");
	cr_assert_str_eq(c->isl.pairs[2].file, "tests/data/conf/pairs.txt");
	cr_assert_eq(c->isl.terminals, 3);
	cr_assert_float_eq(c->isl.max_range_km, 5016.6, 1e-9);
	cr_assert_eq(c->isl.grazing_km, 80.0);
	cr_assert(c->isl.has_cross_lat);
	cr_assert_eq(c->isl.cross_lat_deg, 70.0);
	cr_assert_eq(c->isl.acquisition_ns, 2000000000);
	cr_assert_eq(c->isl.sun_excl_deg, 20.0);
	cr_assert_eq(c->isl.lp.rate_bps, 1000000000);
	cr_assert_eq(c->isl.lp.qkind, LINKPARAMS_Q_BYTES);
	cr_assert_eq(c->isl.lp.qlimit, 65536);
	cr_assert_eq(c->isl.lp.loss.kind, LINKPARAMS_LOSS_GEMODEL);
	cr_assert_float_eq(c->isl.lp.loss.p, 0.01, 1e-15);
	cr_assert_float_eq(c->isl.lp.loss.r, 0.10, 1e-15);
	cr_assert_float_eq(c->isl.lp.loss.h1, 0.70, 1e-15);
	cr_assert_float_eq(c->isl.lp.loss.k1, 0.001, 1e-15);

	cr_assert_eq(c->ngrounds, 4);
	cr_assert_str_eq(c->grounds[0].name, "london");
	cr_assert_eq(c->grounds[0].alt_m, 35.0);
	cr_assert(c->grounds[0].relay && c->grounds[0].relay_set);
	cr_assert_str_eq(c->grounds[1].name, "tokyo");
	cr_assert_eq(c->grounds[1].lat_deg, 35.6762);
	cr_assert_eq(c->grounds[1].lon_deg, 139.6503);
	cr_assert_eq(c->grounds[1].alt_m, 40.0);
	cr_assert_str_eq(c->grounds[1].file, "tests/data/conf/stations.csv");
	cr_assert_eq(c->grounds[1].line, 4);
	cr_assert_str_eq(c->grounds[2].name, "sydney");
	cr_assert_eq(c->grounds[2].alt_m, 0.0);
	cr_assert_eq(c->grounds[3].alt_m, -430.0);
	/* CSV stations take [gsl] relay = on. */
	cr_assert(c->grounds[3].relay);
	cr_assert_not(c->grounds[3].relay_set);

	cr_assert_eq(c->gsl.min_elev_deg, 25.0);
	cr_assert_float_eq(c->gsl.max_range_km, 1123.4, 1e-9);
	cr_assert(c->gsl.relay);
	cr_assert_eq(c->gsl.lp.rate_bps, 100000000);
	cr_assert_eq(c->gsl.lp.qkind, LINKPARAMS_Q_TIME);
	cr_assert_eq(c->gsl.lp.qlimit, 10000000);
	cr_assert_eq(c->gsl.lp.loss.kind, LINKPARAMS_LOSS_RANDOM);
	cr_assert_float_eq(c->gsl.lp.loss.p, 0.005, 1e-15);

	cr_assert_eq(c->ntaps, 4);
	cr_assert_str_eq(c->taps[1].pattern, "s1-0-*");
	cr_assert_eq(c->taps[1].line, 63);
	cr_assert_str_eq(c->taps[3].pattern, "polar-[0-2]-1");
	cr_assert_eq(c->taps[3].line, 64);
	cr_assert_str_eq(c->taps[3].file, "tests/data/conf/valid.conf");
	config_free(c);
	diag_free(&d);
}

Test(config, file_and_string_agree)
{
	struct config *c = load_ok(SHELL "[gsl]\nrate = 5mbit\n");
	struct config *f = NULL;
	struct diag d;

	diag_init(&d);
	cr_assert_eq(config_load_file("tests/data/conf/crlf-min.conf", &f, &d),
		     0, "CRLF line ends");
	cr_assert_eq(f->shells[0].w.kind, WALKER_DELTA);
	cr_assert_eq(f->shells[0].w.alt_km, 500.0);
	cr_assert_str_eq(f->taps[0].pattern, "s1-0-0");
	cr_assert_eq(f->taps[0].line, 9);
	cr_assert_eq(c->gsl.lp.rate_bps, 5000000);
	config_free(c);
	config_free(f);
	diag_free(&d);
}

Test(config, relay_default_from_gsl)
{
	struct config *c = load_ok(SHELL "[gsl]\nrelay = yes\n"
				   "[ground a]\nlatitude = 1\nlongitude = 2\n"
				   "[ground b]\nlatitude = 1\nlongitude = 2\n"
				   "relay = no\n");

	cr_assert(c->grounds[0].relay);
	cr_assert_not(c->grounds[0].relay_set);
	cr_assert_not(c->grounds[1].relay);
	cr_assert(c->grounds[1].relay_set);
	cr_assert_eq(c->grounds[0].line, 10);
	config_free(c);
}

Test(config, comments_and_separators)
{
	struct config *c = load_ok("# comment\n; comment\n"
				   "  [shell s1]   # a shell\n"
				   "type: walker-delta\n"
				   "planes = 4 ; inline\n"
				   "per-plane=5\n"
				   "phasing = 1\n"
				   "altitude = 550km\n"
				   "inclination = 53\n"
				   "[tle few]\n"
				   "file = few.tle\n"
				   "pattern = STARLINK-#1\n");

	cr_assert_eq(c->shells[0].w.planes, 4);
	cr_assert_eq(c->shells[0].w.per_plane, 5);
	cr_assert_str_eq(c->tles[0].pattern, "STARLINK-#1");
	config_free(c);
}

/* Errors, one test per path ----------------------------------------------- */

Test(config, unknown_section)
{
	EXPECT(SHELL "[foo]\nx = 1\n",
	       CONF ":8: unknown section [foo] (use emulation, shell, tle, "
		    "cluster, isl, ground, ground-stations, gsl, tap or "
		    "faults)");
}

Test(config, unknown_key)
{
	EXPECT(SHELL "colour = blue\n[isl]\nfoo = 1\n",
	       CONF ":8: unknown key \"colour\" in [shell s1]",
	       CONF ":10: unknown key \"foo\" in [isl]");
}

Test(config, bad_length)
{
	EXPECT("[shell s1]\ntype = walker-delta\nplanes = 4\nper-plane = 5\n"
	       "phasing = 1\naltitude = 55Okm\ninclination = 53\n"
	       "[isl]\ngrazing-altitude = 80\n",
	       CONF ":6: altitude \"55Okm\" is not a length (use m or km)",
	       CONF ":9: grazing-altitude \"80\" has no unit (use m or km)");
}

Test(config, bad_time)
{
	EXPECT(SHELL "[emulation]\nstep = 10\nduration = 1day\n"
		     "[isl]\nacquisition = -1s\n",
	       CONF ":9: step \"10\" has no unit (use ns, us, ms, s, min or "
		    "h)",
	       CONF ":10: duration \"1day\" is not a time (use ns, us, ms, "
		    "s, min or h)",
	       CONF ":12: acquisition \"-1s\" is negative");
}

Test(config, bad_rate)
{
	EXPECT(SHELL "[gsl]\nrate = 10gbs\n[isl]\nrate = 0mbit\n",
	       CONF ":9: rate \"10gbs\" is not a rate (use bit, kbit, mbit, "
		    "gbit or unlimited; bps, mbps are bytes/s)",
	       CONF ":11: rate \"0mbit\" must be positive (or unlimited)");
}

Test(config, bad_queue)
{
	EXPECT(SHELL "[isl]\nqueue = 0\n[gsl]\nqueue = 10kbit\n",
	       CONF ":9: queue \"0\" must be positive",
	       CONF ":11: queue \"10kbit\" is not a queue limit (use packets "
		    "as 1000 or 1000p, bytes as 64kb, or a time as 10ms)");
}

Test(config, bad_angle)
{
	EXPECT("[shell s1]\ntype = walker-delta\nplanes = 4\nper-plane = 5\n"
	       "phasing = 1\naltitude = 550km\ninclination = 53rad\n"
	       "raan0 = 360\n[gsl]\nmin-elevation = 95\n",
	       CONF ":7: inclination \"53rad\" is not an angle (degrees, as "
		    "53 or 53deg)",
	       CONF ":8: raan0 \"360\" is out of range (0 to 360 degrees, 360 "
		    "excluded)",
	       CONF ":10: min-elevation \"95\" is out of range (0 to 90 "
		    "degrees)");
}

Test(config, latitude_out_of_range)
{
	EXPECT(SHELL "[ground north]\nlatitude = 90.5\nlongitude = -180.5\n"
		     "altitude = 200km\n",
	       CONF ":9: latitude \"90.5\" is out of range (-90 to 90 "
		    "degrees)",
	       CONF ":10: longitude \"-180.5\" is out of range (-180 to 180 "
		    "degrees)",
	       CONF ":11: altitude \"200km\" is out of range (-1km to 100km)");
}

Test(config, phasing_not_below_planes)
{
	EXPECT("[shell s1]\ntype = walker-delta\nplanes = 4\nper-plane = 5\n"
	       "phasing = 4\naltitude = 550km\ninclination = 53\n",
	       CONF ":5: phasing \"4\" must be less than planes (4)");
	EXPECT("[shell s1]\ntype = walker-delta\nphasing = 9\nplanes = 4\n"
	       "per-plane = 5\naltitude = 550km\ninclination = 53\n"
	       "[emulation]\n",
	       CONF ":3: phasing \"9\" must be less than planes (4)");
}

Test(config, shell_type_and_counts)
{
	EXPECT("[shell s1]\ntype = walker-polar\nplanes = 0\nper-plane = x\n"
	       "phasing = 0\naltitude = 50km\ninclination = 53\n",
	       CONF ":2: type \"walker-polar\" is not a shell type (use "
		    "walker-delta or walker-star)",
	       CONF ":3: planes \"0\" is out of range (1 to 100000)",
	       CONF ":4: per-plane \"x\" is not a whole number",
	       CONF ":6: altitude \"50km\" is out of range (100km to "
		    "100000km)");
	EXPECT("[shell big]\ntype = walker-delta\nplanes = 5000\n"
	       "per-plane = 1000\nphasing = 0\naltitude = 550km\n"
	       "inclination = 53\n",
	       CONF ":1: [shell big] has 5000000 satellites, more than "
		    "4000000",
	       CONF ": the shells hold 5000000 satellites in all, more "
		    "than 4000000");
	/* each shell within the limit, not all of them together */
	EXPECT("[shell a]\ntype = walker-delta\nplanes = 2000\n"
	       "per-plane = 1000\nphasing = 0\naltitude = 550km\n"
	       "inclination = 53\n"
	       "[shell b]\ntype = walker-delta\nplanes = 2000\n"
	       "per-plane = 1001\nphasing = 0\naltitude = 650km\n"
	       "inclination = 53\n",
	       CONF ": the shells hold 4002000 satellites in all, more "
		    "than 4000000");
}

Test(config, shell_needs_keys)
{
	EXPECT(SHELL "[shell s2]\ntype = walker-star\n",
	       CONF ":8: [shell s2] needs key \"planes\"",
	       CONF ":8: [shell s2] needs key \"per-plane\"",
	       CONF ":8: [shell s2] needs key \"phasing\"",
	       CONF ":8: [shell s2] needs key \"altitude\"",
	       CONF ":8: [shell s2] needs key \"inclination\"");
}

Test(config, duplicate_names)
{
	EXPECT(SHELL SHELL,
	       CONF ":8: shell \"s1\" is defined twice (first at line 1)");
	EXPECT(SHELL "[ground a]\nlatitude = 1\nlongitude = 2\n"
		     "[ground a]\nlatitude = 1\nlongitude = 2\n",
	       CONF ":11: ground station \"a\" is defined twice (first at "
		    CONF ":8)");
}

Test(config, duplicate_station_between_section_and_csv)
{
	EXPECT(SHELL "[ground tokyo]\nlatitude = 1\nlongitude = 2\n"
		     "[ground-stations]\nfile = stations.csv\n",
	       "tests/data/conf/stations.csv:4: ground station \"tokyo\" is "
	       "defined twice (first at " CONF ":8)");
}

Test(config, bad_names)
{
	EXPECT(SHELL "[ground London]\nlatitude = 1\nlongitude = 2\n"
		     "[ground -x]\nlatitude = 1\nlongitude = 2\n"
		     "[shell a-very-long-shell-name-of-32-chars]\n",
	       CONF ":8: ground name \"London\" has characters other than "
		    "a-z, 0-9 and -",
	       CONF ":11: ground name \"-x\" starts or ends with -",
	       CONF ":14: shell name \"a-very-long-shell-name-of-32-chars\" is "
		    "longer than 31 characters",
	       CONF ":14: [shell a-very-long-shell-name-of-32-chars] needs key "
		    "\"type\"",
	       CONF ":14: [shell a-very-long-shell-name-of-32-chars] needs key "
		    "\"planes\"",
	       CONF ":14: [shell a-very-long-shell-name-of-32-chars] needs key "
		    "\"per-plane\"",
	       CONF ":14: [shell a-very-long-shell-name-of-32-chars] needs key "
		    "\"phasing\"",
	       CONF ":14: [shell a-very-long-shell-name-of-32-chars] needs key "
		    "\"altitude\"",
	       CONF ":14: [shell a-very-long-shell-name-of-32-chars] needs key "
		    "\"inclination\"");
}

Test(config, ground_clashes_with_shell)
{
	EXPECT(SHELL "[ground s1-0-0]\nlatitude = 1\nlongitude = 2\n"
		     "[ground s1]\nlatitude = 1\nlongitude = 2\n"
		     "[ground s1x]\nlatitude = 1\nlongitude = 2\n",
	       CONF ":8: ground station \"s1-0-0\" clashes with the "
		    "satellites of [shell s1] (s1-PLANE-SLOT)",
	       CONF ":11: ground station \"s1\" clashes with the satellites "
		    "of [shell s1] (s1-PLANE-SLOT)");
}

Test(config, missing_pairs_file)
{
	EXPECT(SHELL "[isl]\ncandidates = pairs\n",
	       CONF ":9: candidates \"pairs\" needs pairs-file in [isl]");
	EXPECT(SHELL "[isl]\npairs-file = pairs.txt\n",
	       CONF ":9: pairs-file \"tests/data/conf/pairs.txt\" is set but "
		    "candidates does not include pairs (use candidates = "
		    "pairs)");
	EXPECT(SHELL "[isl]\ncandidates = grid\n",
	       CONF ":9: candidates \"grid\" is not a candidate source (use "
		    "plus-grid, tle-grid, nearest, pairs or none, or a list "
		    "such as \"plus-grid nearest\")");
	EXPECT(SHELL "[isl]\ncandidates = none nearest\n",
	       CONF ":9: candidates \"none nearest\" combines none with a "
		    "source");
	EXPECT(SHELL "[isl]\ncandidates = ,\n",
	       CONF ":9: candidates \",\" names no candidate source");
}

Test(config, pairs_file_errors)
{
	char missing[256];

	EXPECT(SHELL "[isl]\ncandidates = pairs\npairs-file = pairs-bad.txt\n",
	       "tests/data/conf/pairs-bad.txt:2: line \"s1-0-0\" is not two "
	       "node names",
	       "tests/data/conf/pairs-bad.txt:4: node \"S1-0-0\" has "
	       "characters other than a-z, 0-9 and -",
	       "tests/data/conf/pairs-bad.txt:5: pair \"a a\" links a node to "
	       "itself",
	       "tests/data/conf/pairs-bad.txt:6: line \"x y z\" is not two "
	       "node names",
	       "tests/data/conf/pairs-bad.txt:3: pair \"s1-0-1 s1-0-0\" "
	       "repeats line 1");
	snprintf(missing, sizeof(missing),
		 CONF ":10: pairs-file \"nope.txt\" cannot be read "
		      "(tests/data/conf/nope.txt): %s", strerror(ENOENT));
	EXPECT(SHELL "[isl]\ncandidates = pairs\npairs-file = nope.txt\n",
	       missing);
}

Test(config, csv_bad_rows)
{
	EXPECT(SHELL "[ground-stations]\nfile = stations-bad.csv\n",
	       "tests/data/conf/stations-bad.csv:3: latitude_deg \"91.5\" is "
	       "out of range (-90 to 90)",
	       "tests/data/conf/stations-bad.csv:4: row \"two,1\" has 2 "
	       "columns, expected 3 or 4 (name,latitude_deg,longitude_deg"
	       "[,altitude_m])",
	       "tests/data/conf/stations-bad.csv:5: name \"Bad_Name\" has "
	       "characters other than a-z, 0-9 and -",
	       "tests/data/conf/stations-bad.csv:6: longitude_deg \"abc\" is "
	       "not an angle (degrees, as 53 or 53deg)");
}

Test(config, csv_missing_file)
{
	char want[256], want_dir[256];

	snprintf(want, sizeof(want),
		 CONF ":9: file \"nope.csv\" cannot be read "
		      "(tests/data/conf/nope.csv): %s", strerror(ENOENT));
	EXPECT(SHELL "[ground-stations]\nfile = nope.csv\n", want);
	snprintf(want_dir, sizeof(want_dir),
		 CONF ":9: file \"/\" cannot be read (/): %s",
		 strerror(EISDIR));
	EXPECT(SHELL "[ground-stations]\nfile = /\n", want_dir);
	EXPECT(SHELL "[ground-stations]\nfile = /dev/null\n",
	       CONF ":9: file \"/dev/null\" cannot be read (/dev/null): not a "
		    "regular file");
	EXPECT(SHELL "[ground-stations]\n",
	       CONF ":8: [ground-stations] needs key \"file\"");
}

Test(config, loss_syntax)
{
	EXPECT(SHELL "[isl]\nloss = random\n[gsl]\nloss = gemodel 1% 2% 3% 4% 5%\n",
	       CONF ":9: loss \"random\" needs a percentage after random "
		    "(random 5%)",
	       CONF ":11: loss \"gemodel 1% 2% 3% 4% 5%\" needs 1 to 4 "
		    "percentages after gemodel (gemodel P [R [1-H [1-K]]])");
	EXPECT(SHELL "[isl]\nloss = lots\n[gsl]\nloss = 120%\n",
	       CONF ":9: loss \"lots\" is not a loss model (use none, 5%, "
		    "random 5% or gemodel P [R [1-H [1-K]]])",
	       CONF ":11: loss \"120%\" is over 100%");
	EXPECT(SHELL "[isl]\nloss = random 5% 25%\n[gsl]\nloss = gemodel 1% x\n",
	       CONF ":9: loss \"random 5% 25%\" takes one percentage after "
		    "random (loss correlation is not supported)",
	       CONF ":11: loss \"gemodel 1% x\" has a value that is not a "
		    "percentage from 0% to 100%");
}

Test(config, emulation_values)
{
	EXPECT(SHELL "[emulation]\nepoch = 2026-02-30T00:00:00Z\n"
		     "time-scale = 0\nmtu = 100\nseed = -1\nstep = 0ms\n",
	       CONF ":9: epoch \"2026-02-30T00:00:00Z\" is not an ISO-8601 "
		    "UTC time (as 2026-02-23T00:00:00Z)",
	       CONF ":10: time-scale \"0\" must be positive",
	       CONF ":11: mtu \"100\" is out of range (576 to 65535)",
	       CONF ":12: seed \"-1\" is negative",
	       CONF ":13: step \"0ms\" must be positive");
}

/* [emulation] events: a side file, resolved and checked, not read here. */
Test(config, events_key)
{
	struct config *c = load_ok(SHELL "[emulation]\nevents = events.txt\n");
	char missing[256];

	cr_assert_str_eq(c->events_path, "tests/data/conf/events.txt");
	cr_assert_eq(c->events_line, 9);
	config_free(c);
	c = load_ok(SHELL);
	cr_assert_null(c->events_path);
	cr_assert_eq(c->events_line, 0);
	config_free(c);
	snprintf(missing, sizeof(missing),
		 CONF ":9: events \"nope.txt\" cannot be read "
		      "(tests/data/conf/nope.txt): %s", strerror(ENOENT));
	EXPECT(SHELL "[emulation]\nevents = nope.txt\n", missing);
	EXPECT(SHELL "[emulation]\nevents =\n",
	       CONF ":9: events \"\" is empty");
}

Test(config, duplicate_key)
{
	EXPECT(SHELL "[emulation]\nstep = 1ms\n[isl]\n[emulation]\n"
		     "step = 2ms\n",
	       CONF ":12: step \"2ms\" is set twice in [emulation] (first at "
		    "line 9)");
	EXPECT(SHELL "planes = 5\n",
	       CONF ":8: planes \"5\" is set twice in [shell s1] (first at "
		    "line 3)");
}

Test(config, syntax_errors)
{
	EXPECT("step = 1ms\n" SHELL "[isl\njust words\n[gsl] x\n[shell]\n"
	       "[isl extra]\nterminals = 65\n",
	       CONF ":1: key \"step\" comes before any [section]",
	       CONF ":9: section header \"[isl\" has no closing ]",
	       CONF ":10: line \"just words\" is neither [section] nor key = "
		    "value",
	       CONF ":11: section header \"[gsl] x\" has text after ]",
	       CONF ":12: section [shell] needs a name: [shell NAME]",
	       CONF ":13: section [isl extra] takes no name",
	       CONF ":14: terminals \"65\" is out of range (1 to 64)");
}

/*
 * No line length limit: a [tap] list of 1,000 names on one line (about
 * 7,000 characters) is read whole. It used to be refused ("line is longer
 * than 198 characters", libinih's buffer).
 */
Test(config, long_line)
{
	size_t cap = 16384, n;
	char *text = malloc(cap);
	struct config *c;

	cr_assert_not_null(text);
	n = (size_t)snprintf(text, cap, SHELL "[tap]\nnodes =");
	for (int i = 0; i < 1000; i++)
		n += (size_t)snprintf(text + n, cap - n, " s1-%d-%d", i % 4,
				      i % 5);
	snprintf(text + n, cap - n, "\n");
	cr_assert_gt(strlen(text), 7000);
	c = load_ok(text);
	cr_assert_eq(c->ntaps, 1000);
	cr_assert_str_eq(c->taps[999].pattern, "s1-3-4");
	cr_assert_eq(c->taps[999].line, 9);
	config_free(c);
	free(text);
}

Test(config, no_satellites)
{
	EXPECT("[emulation]\nseed = 3\n",
	       CONF ": no satellites: add a [shell NAME], [tle NAME] or "
		    "[cluster NAME] section");
	EXPECT("",
	       CONF ": no satellites: add a [shell NAME], [tle NAME] or "
		    "[cluster NAME] section");
}

Test(config, tle_sources)
{
	char want[256];

	EXPECT("[tle few]\nfile = few.tle\n",
	       CONF ": candidates \"plus-grid\" (the default) needs a [shell]: "
		    "TLE satellites have no Walker planes (use tle-grid, "
		    "nearest or pairs)");
	snprintf(want, sizeof(want),
		 CONF ":2: file \"gone.tle\" cannot be read "
		      "(tests/data/conf/gone.tle): %s", strerror(ENOENT));
	EXPECT("[tle few]\nfile = gone.tle\n[isl]\ncandidates = nearest\n",
	       want);
	EXPECT("[tle few]\npattern = X*\n[isl]\ncandidates = none\n",
	       CONF ":1: [tle few] needs key \"file\"");
	EXPECT("[tle a]\nfile = /work/../etc/passwd\n[tle a]\nfile = few.tle\n"
	       "[isl]\ncandidates = nearest\n",
	       CONF ":3: tle \"a\" is defined twice (first at line 1)");
}

Test(config, tap_patterns)
{
	struct config *c = load_ok(SHELL "[tap]\nnodes = s1-0-0 s1-1-*\n"
				   "nodes = s1-[0-3]-?\n");

	cr_assert_eq(c->ntaps, 3);
	cr_assert_eq(c->taps[0].line, 9);
	cr_assert_eq(c->taps[2].line, 10);
	cr_assert_str_eq(c->taps[2].pattern, "s1-[0-3]-?");
	cr_assert_str_eq(c->taps[2].file, CONF);
	config_free(c);
	EXPECT(SHELL "[tap]\nnodes = STARLINK-1008 ok\nnodes =\n",
	       CONF ":9: nodes \"STARLINK-1008\" has characters other than "
		    "a-z, 0-9, - and the globs * ? [ ] (node names are lower "
		    "case)",
	       CONF ":10: nodes \"\" is empty");
}

/* Several errors in one file are all reported, each with its line. */
Test(config, every_error_reported)
{
	struct config *c = (struct config *)&c;
	struct diag d;

	diag_init(&d);
	cr_assert_eq(config_load_file("tests/data/conf/errors.conf", &c, &d),
		     -EINVAL);
	world_dump(&d);
	cr_assert_null(c);
	cr_assert_eq(d.errors, 18);
	cr_assert_eq(d.n, 18);
	cr_assert_str_eq(d.msg[0], "tests/data/conf/errors.conf:3: step \"10\" "
				   "has no unit (use ns, us, ms, s, min or h)");
	cr_assert_str_eq(d.msg[17], "tests/data/conf/errors.conf:14: "
				    "candidates \"pairs\" needs pairs-file in "
				    "[isl]");
	/* Every line from 3 to 23 with an error is named once or more. */
	for (unsigned line = 3; line <= 23; line++) {
		static const unsigned clean[] = { 8, 13, 21 };
		char tag[64];
		bool found = false, expected = true;

		for (size_t i = 0; i < sizeof(clean) / sizeof(clean[0]); i++)
			if (clean[i] == line)
				expected = false;
		snprintf(tag, sizeof(tag), "errors.conf:%u: ", line);
		for (size_t i = 0; i < d.n; i++)
			if (strstr(d.msg[i], tag))
				found = true;
		if (expected)
			cr_expect(found, "no error on line %u", line);
	}
	diag_free(&d);
}

Test(config, earlier_messages_kept)
{
	struct config *c = NULL;
	struct diag d;

	diag_init(&d);
	diag_error(&d, "x", 1, "earlier");
	cr_assert_eq(config_load_string(SHELL, CONF, &c, &d), 0,
		     "earlier errors do not fail this load");
	cr_assert_eq(d.n, 1);
	config_free(c);
	diag_free(&d);
}

Test(config, missing_file)
{
	struct config *c = (struct config *)&c;
	char want[256];
	struct diag d;

	diag_init(&d);
	cr_assert_eq(config_load_file("tests/data/conf/absent.conf", &c, &d),
		     -ENOENT);
	cr_assert_null(c);
	snprintf(want, sizeof(want), "tests/data/conf/absent.conf: %s",
		 strerror(ENOENT));
	cr_assert_eq(d.n, 1);
	cr_assert_str_eq(d.msg[0], want);
	diag_free(&d);
	cr_assert_eq(config_load_file("tests/data/conf", &c, NULL), -EISDIR);
}

Test(config, names)
{
	const char *why = NULL;

	cr_assert(config_name_ok("s1-0-0", &why));
	cr_assert(config_name_ok("starlink-1008", &why));
	cr_assert(config_name_ok("0a", &why));
	cr_assert_not(config_name_ok("", &why));
	cr_assert_str_eq(why, "is empty");
	cr_assert_not(config_name_ok("a_b", &why));
	cr_assert_not(config_name_ok("A", &why));
	cr_assert_not(config_name_ok("a-", &why));
	cr_assert_str_eq(why, "starts or ends with -");
	cr_assert_not(config_name_ok("a b", &why));
	cr_assert(config_name_ok("a23456789012345678901234567890123456789012"
				 "345678901234567890123", &why), "63 chars");
	cr_assert_not(config_name_ok("a234567890123456789012345678901234567890"
				     "123456789012345678901234", &why));
	cr_assert_str_eq(why, "is longer than 63 characters");
	cr_assert_str_eq(config_isl_source_name(ISL_SRC_NEAREST),
			 "nearest");
}

/* Hardening (issue 7) ------------------------------------------------------ */

/*
 * A value's control characters are printed escaped: an escape sequence in
 * a configuration cannot clear the screen of whoever checks it.
 */
Test(config, control_characters_are_escaped)
{
	EXPECT(SHELL "[emulation]\nstep = \x1b[2J\x1b[H10ms\n",
	       CONF ":9: step \"\\x1b[2J\\x1b[H10ms\" is not a time (use ns, "
		    "us, ms, s, min or h)");
	EXPECT(SHELL "[tap]\nnodes = a\tb\x07\n",
	       CONF ":9: nodes \"b\\x07\" has characters other than a-z, "
		    "0-9, - and the globs * ? [ ] (node names are lower case)");
}

/*
 * After a rejected header, the keys up to the next header belong to no
 * section: they are not blamed on the section before it.
 */
Test(config, keys_after_a_rejected_header)
{
	EXPECT(SHELL "ground rzg1]\nlatitude = 1\nlongitude = 2\n"
		     "[gsl]\nrelay = maybe\n",
	       CONF ":8: section header \"ground rzg1]\" has no opening [",
	       CONF ":12: relay \"maybe\" is not a boolean (use yes or no)");
	EXPECT(SHELL "[ground rzg1\nlatitude = 1\n",
	       CONF ":8: section header \"[ground rzg1\" has no closing ]");
}

/* A pairs-file line with a NUL byte is reported, not skipped or cut. */
Test(config, pairs_file_nul_byte)
{
	EXPECT(SHELL "[isl]\ncandidates = pairs\npairs-file = pairs-nul.txt\n",
	       "tests/data/conf/pairs-nul.txt:2: line has a NUL byte");
}

/* The grammar's corners: "key: value", '=' inside a value, BOM, CRLF. */
Test(config, grammar_corners)
{
	struct config *c;

	c = load_ok("\xef\xbb\xbf" SHELL "[tle x]\r\nfile: few.tle\r\n"
		    "pattern = A=B:C # comment\r\n[isl]\ncandidates = nearest\n");
	cr_assert_str_eq(c->tles[0].pattern, "A=B:C");
	cr_assert_eq(c->tles[0].pattern_line, 10);
	config_free(c);
	EXPECT(SHELL "[isl]\n = 5\n", CONF ":9: unknown key \"\" in [isl]");
}

/*
 * 50,000 stations in one CSV load in linear time: names are checked for
 * repeats in a hash table (the old scan of every earlier station took
 * 3.4 s in this test; now 0.05 s), and a repeat is still found.
 */
Test(config, many_stations_are_fast)
{
	char path[] = "/tmp/lmt-stations-XXXXXX", *text, want[128];
	struct timespec t0, t1;
	struct config *c;
	struct diag d;
	double s;
	FILE *f;
	int fd;

	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	f = fdopen(fd, "w");
	cr_assert_not_null(f);
	for (int i = 0; i < 50000; i++)
		fprintf(f, "g%d,%d,%d\n", i, i % 180 - 89, i % 360 - 179);
	fprintf(f, "g17,1,1\n");
	cr_assert_eq(fclose(f), 0);
	cr_assert_gt(asprintf(&text, SHELL "[ground-stations]\nfile = %s\n",
			      path), 0);
	diag_init(&d);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_eq(config_load_string(text, CONF, &c, &d), -EINVAL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
	cr_assert_eq(d.errors, 1);
	snprintf(want, sizeof(want),
		 "%s:50001: ground station \"g17\" is defined twice (first at "
		 "%s:18)", path, path);
	cr_assert_str_eq(d.msg[0], want);
	cr_assert_lt(s, 1.0, "50,000 stations took %.2f s", s);
	diag_free(&d);
	free(text);
	unlink(path);
}

/* [faults] and a group's own ----------------------------------------------- */

Test(config, faults_keys)
{
	struct config *c = load_ok(SHELL "mtbf = 1h\neclipse = down\n"
				   "[faults]\nmtbf = 6h\nmttr = 2min\n"
				   "eclipse = battery\nbattery = 15min\n"
				   "link-flaps = 3/day\nlink-flap-time = 2s\n");

	cr_assert_eq(c->faults.mtbf_ns, 6 * 3600 * INT64_C(1000000000));
	cr_assert_eq(c->faults.mttr_ns, 120 * INT64_C(1000000000));
	cr_assert_eq(c->faults.eclipse, TOPO_ECLIPSE_BATTERY);
	cr_assert_eq(c->faults.battery_ns, 900 * INT64_C(1000000000));
	cr_assert_float_eq(c->flaps_per_hour, 3.0 / 24, 1e-12);
	cr_assert_eq(c->flap_ns, 2 * INT64_C(1000000000));
	cr_assert(c->shells[0].faults.has_mtbf);
	cr_assert_eq(c->shells[0].faults.mtbf_ns, 3600 * INT64_C(1000000000));
	cr_assert(c->shells[0].faults.has_eclipse);
	cr_assert_eq(c->shells[0].faults.eclipse, TOPO_ECLIPSE_DOWN);
	cr_assert_not(c->shells[0].faults.has_mttr);
	config_free(c);
}

Test(config, faults_defaults)
{
	struct config *c = load_ok(SHELL);

	cr_assert_eq(c->faults.mtbf_ns, 0);
	cr_assert_eq(c->faults.mttr_ns, 90 * INT64_C(1000000000));
	cr_assert_eq(c->faults.eclipse, TOPO_ECLIPSE_NONE);
	cr_assert_eq(c->flaps_per_hour, 0.0);
	config_free(c);
}

Test(config, faults_errors)
{
	EXPECT(SHELL "eclipse = sometimes\n[faults]\nmtbf = 6\n"
		     "battery = 0s\nlink-flaps = 2/week\n",
	       CONF ":8: eclipse \"sometimes\" is not none, down or battery",
	       CONF ":10: mtbf \"6\" has no unit (use ns, us, ms, s, min "
		    "or h)",
	       CONF ":11: battery \"0s\" must be positive",
	       CONF ":12: link-flaps \"2/week\" has no known unit (/s, /min, "
		    "/h or /day)");
	EXPECT(SHELL "[faults]\nlink-flaps = x/h\n",
	       CONF ":9: link-flaps \"x/h\" is not a number");
}

/* Sun-synchronous shells -------------------------------------------------- */

#define SSO_SHELL                                                          \
	"[shell dd]\n"                                                     \
	"type = walker-delta\n"                                            \
	"planes = 1\n"                                                     \
	"per-plane = 12\n"                                                 \
	"phasing = 0\n"                                                    \
	"inclination = sso\n"                                              \
	"ltan = 06:00\n"                                                   \
	"altitude = 650km\n"

Test(config, sso_and_ltan)
{
	struct config *c = load_ok("[emulation]\nepoch = 2026-03-20T12:00:00Z\n"
				   SSO_SHELL);
	double want_raan = sso_raan_deg(c->epoch_unix_ns, 6.0);

	/* the altitude came after: resolved when the section ends */
	cr_assert_float_eq(c->shells[0].w.incl_deg,
			   sso_inclination_deg(650.0), 1e-12);
	cr_assert_float_eq(c->shells[0].w.incl_deg, 97.986, 0.002);
	/* the epoch is the file's: resolved at its end */
	cr_assert_float_eq(c->shells[0].w.raan0_deg, want_raan, 1e-12);
	/* at the March equinox the mean Sun is near 0 h: node near 270 */
	cr_assert(fabs(want_raan - 270.0) < 3.0, "%.3f", want_raan);
	config_free(c);
}

Test(config, sso_errors)
{
	EXPECT("[shell dd]\ntype = walker-delta\nplanes = 1\nper-plane = 12\n"
	       "phasing = 0\ninclination = sso\nltan = 6h\naltitude = 7000km\n"
	       "raan0 = 400\n",
	       CONF ":7: ltan \"6h\" is not a local time HH:MM (06:00 for "
		    "dawn-dusk)",
	       CONF ":9: raan0 \"400\" is out of range (0 to 360 degrees, 360 "
		    "excluded)",
	       CONF ":1: [shell dd]: inclination \"sso\": no sun-synchronous "
		    "orbit exists at 7000 km (the highest is about 5,970 km)");
	EXPECT(SSO_SHELL "raan0 = 10\n",
	       CONF ":7: [shell dd]: ltan and raan0 (line 9) both place plane "
		    "0: give one");
	EXPECT("[shell dd]\ntype = walker-delta\nplanes = 1\nper-plane = 1\n"
	       "phasing = 0\ninclination = 98\nltan = 25:00\n"
	       "altitude = 650km\n",
	       CONF ":7: ltan \"25:00\" is not a time of day (00:00 to "
		    "23:59)");
}

Test(config, ttl_model)
{
	struct config *c = load_ok(SHELL "[emulation]\nttl = fabric\n");

	cr_assert(c->ttl_fabric);
	config_free(c);
	c = load_ok(SHELL);
	cr_assert_not(c->ttl_fabric, "per-satellite by default");
	config_free(c);
	EXPECT(SHELL "[emulation]\nttl = mpls\n",
	       CONF ":9: ttl \"mpls\" is not per-satellite or fabric");
}
