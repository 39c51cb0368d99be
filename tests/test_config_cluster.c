// SPDX-License-Identifier: MIT
/* test_config_cluster.c - [cluster NAME]: its keys, its errors, its satellites from a grid or a CSV */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "emu/conf/config.h"
#include "emu/conf/scenario.h"
#include "topo/cluster.h"
#include "topo/sso.h"
#include "tests/lib/world.h"

/* Side files resolve in tests/data/conf/. */
#define CONF "tests/data/conf/t.conf"
#define NEAREST "[isl]\ncandidates = nearest\n"
/* Lines 1 to 4 of the texts that start with it. */
#define CLUSTER                                                            \
	"[cluster c]\n"                                                    \
	"altitude = 650km\n"                                               \
	"inclination = sso\n"                                              \
	"ltan = 06:00\n"

/* Load text, expect failure with exactly the messages want, in order. */
static void expect(const char *text, const char *const *want, size_t n)
{
	struct config *c = NULL;
	struct diag d;
	int ret;

	diag_init(&d);
	ret = config_load_string(text, CONF, &c, &d);
	world_dump(&d);
	cr_assert_eq(ret, -EINVAL, "ret %d", ret);
	for (size_t i = 0; i < n && i < d.n; i++)
		cr_expect_str_eq(d.msg[i], want[i], "message %zu", i);
	cr_assert_eq(d.n, n, "%zu messages, want %zu", d.n, n);
	diag_free(&d);
}

#define EXPECT(text, ...)                                                  \
	do {                                                               \
		const char *const want_[] = { __VA_ARGS__ };               \
		expect(text, want_, sizeof(want_) / sizeof(want_[0]));     \
	} while (0)

Test(config_cluster, suncatcher_example)
{
	struct config *c = NULL;
	const struct config_cluster *k;
	struct vec3 r0, r, v;
	struct scenario s;
	double far = 0.0;
	struct diag d;

	diag_init(&d);
	cr_assert_eq(config_load_file("docs/examples/suncatcher.conf", &c, &d),
		     0);
	world_dump(&d);
	cr_assert_eq(c->nclusters, 1);
	k = &c->clusters[0];
	cr_assert_str_eq(k->orbit.w.name, "sc");
	cr_assert_eq(k->layout, CONFIG_LAYOUT_HEX);
	cr_assert_eq(k->count, 81);
	cr_assert_float_eq(k->spacing_km, 0.150, 1e-12);
	cr_assert_float_eq(k->orbit.w.incl_deg, sso_inclination_deg(650.0),
			   1e-9);
	cr_assert_float_eq(k->orbit.w.raan0_deg,
			   sso_raan_deg(c->epoch_unix_ns, 6.0), 1e-9);
	cr_assert(k->isl.has_terminals && k->isl.terminals == 8);
	cr_assert_eq(k->isl.rate_bps, 800000000000ULL);

	/* built: sc-0 .. sc-80, the centre on the reference orbit */
	cr_assert_eq(scenario_build(&s, c, &d), 0);
	cr_assert_eq(s.constel.nsat, 81);
	cr_assert_eq(constel_find(&s.constel, "sc-80"), 80);
	cr_assert_eq(sgp4_propagate(&s.constel.sat[0], 0.0, &r0, &v), 0);
	for (size_t i = 1; i < 81; i++) {
		cr_assert_eq(sgp4_propagate(&s.constel.sat[i], 0.0, &r, &v),
			     0);
		far = fmax(far, vec3_dist(r, r0));
	}
	cr_assert(far > 0.6 && far < 0.7, "farthest %g km", far);
	cr_assert_eq(scenario_isl_groups(&s, &s.model.isl), 0);
	cr_assert_eq(s.model.isl.sat_terminals[80], 8);
	cr_assert_float_eq(s.model.isl.sat_range_km[80], 1.0, 1e-12);
	scenario_free(&s);
	config_free(c);
	diag_free(&d);
}

Test(config_cluster, errors)
{
	EXPECT(CLUSTER "layout = hex\nspacing = 150m\n" NEAREST,
	       CONF ":1: [cluster c]: layout \"hex\" needs key \"radius\"");
	EXPECT(CLUSTER "layout = hex\nspacing = 150m\nradius = 500m\n"
		       "satellites = 81\n" NEAREST,
	       CONF ":8: satellites \"81\" do not fit: radius 0.5 km holds "
		    "37 points of a grid of 0.15 km");
	EXPECT(CLUSTER "layout = ring\n" NEAREST,
	       CONF ":5: layout \"ring\" is not a layout (use hex or file)");
	EXPECT(CLUSTER "layout = file\nspacing = 1km\n" NEAREST,
	       CONF ":6: [cluster c]: key \"spacing\" is only for layout = "
		    "hex",
	       CONF ":1: [cluster c]: layout \"file\" needs key \"file\"");
	EXPECT(CLUSTER "layout = hex\nspacing = 150m\nradius = 1km\n",
	       CONF ":1: [cluster c] has no laser links: candidates in [isl] "
		    "must include nearest (every pair within max-range, up to "
		    "each satellite's terminals) or pairs");
	EXPECT(CLUSTER "raan0 = 10\nlayout = hex\nspacing = 150m\n"
		       "radius = 1km\n" NEAREST,
	       CONF ":4: [cluster c]: ltan and raan0 (line 5) both place the "
		    "orbit: give one");
	EXPECT(CLUSTER "layout = hex\nspacing = 150m\nradius = 1km\n" NEAREST
		       "[ground c-3]\nlatitude = 0\nlongitude = 0\n",
	       CONF ":10: ground station \"c-3\" clashes with the satellites "
		    "of [cluster c] (c-K)");
}

/* layout = file: the offsets, as designed at the epoch, by SGP4. */
Test(config_cluster, offsets_file)
{
	static const double want[3][3] = {
		{ 0, 0, 0 }, { 0, 0.2, 0 }, { 0.05, -0.1, 0.08 },
	};
	struct scenario s;
	struct config *c = world_scenario(CLUSTER "layout = file\n"
					  "file = cluster.csv\n" NEAREST, CONF,
					  &s);
	struct vec3 r[3], v;

	cr_assert_eq(s.constel.nsat, 3);
	for (size_t i = 0; i < 3; i++) {
		char name[16];

		snprintf(name, sizeof(name), "c-%zu", i);
		cr_assert_eq(constel_find(&s.constel, name), (long)i);
		cr_assert_eq(sgp4_propagate(&s.constel.sat[i], 0.0, &r[i], &v),
			     0);
	}
	for (size_t i = 0; i < 3; i++) {
		for (size_t j = i + 1; j < 3; j++) {
			double d = vec3_dist(r[i], r[j]);
			double e = sqrt(pow(want[i][0] - want[j][0], 2) +
					pow(want[i][1] - want[j][1], 2) +
					pow(want[i][2] - want[j][2], 2));

			cr_assert_float_eq(d, e, 1e-6, "c-%zu c-%zu: %g km, "
					   "want %g", i, j, d, e);
		}
	}
	scenario_free(&s);
	config_free(c);
}

Test(config_cluster, offsets_file_errors)
{
	struct config *c = world_config(CLUSTER "layout = file\n"
					"file = cluster-bad.csv\n" NEAREST,
					CONF, NULL);
	struct scenario s;
	struct diag d;

	diag_init(&d);
	cr_assert_eq(scenario_build(&s, c, &d), -EINVAL);
	world_dump(&d);
	cr_assert_eq(d.n, 2);
	cr_assert(strstr(d.msg[0], "conf/cluster-bad.csv:2: along-track "
				   "\"x\" is not"), "%s", d.msg[0]);
	cr_assert_str_eq(d.msg[1], "tests/data/conf/cluster-bad.csv:3: row "
			 "has 2 fields: give radial, along-track, cross-track "
			 "(m), then optionally the radial and cross-track "
			 "rates (m/s)");
	diag_free(&d);
	config_free(c);
}
