// SPDX-License-Identifier: MIT
/* test_constel.c - node list: safe unique names, shells, stations, lookup */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>

#include "topo/consts.h"
#include "topo/constel.h"
#include "topo/frames.h"
#include "topo/walker.h"

#define EPOCH INT64_C(1771718400000000000)	/* 2026-02-22T00:00:00Z */

static void safe(const char *raw, const char *want)
{
	char out[CONSTEL_NAME_MAX];

	constel_safe_name(raw, out, sizeof(out));
	cr_assert_str_eq(out, want, "\"%s\" -> \"%s\", want \"%s\"", raw, out,
			 want);
}

Test(constel, safe_names)
{
	char out[8];

	safe("STARLINK-1007", "starlink-1007");
	safe("  Foo__Bar  (X) ", "foo-bar-x");
	safe("a--b", "a-b");
	safe("---", "");
	safe("", "");
	safe("\xc3\x84rhus GS", "rhus-gs");
	safe("ONEWEB-0012 [DTC]", "oneweb-0012-dtc");
	safe("x.y/z", "x-y-z");
	/* truncated to the buffer, no trailing '-' */
	constel_safe_name("abcdef-ghij", out, sizeof(out));
	cr_assert_str_eq(out, "abcdef");
	constel_safe_name("abcdefghij", out, sizeof(out));
	cr_assert_str_eq(out, "abcdefg");
}

/* Circular elements for one satellite at 550 km. */
static struct sgp4_elements elements(long satnum, double mo_deg)
{
	struct walker_shell w = {
		.name = "x", .kind = WALKER_DELTA, .planes = 1,
		.per_plane = 1, .alt_km = 550.0, .incl_deg = 53.0,
	};
	struct sgp4_elements el;

	walker_elements(&w, EPOCH, &el);
	el.satnum = satnum;
	el.mo = mo_deg * TOPO_DEG;
	return el;
}

Test(constel, unique_names_and_lookup)
{
	struct constel c;
	struct sgp4_elements el = elements(5, 0.0);
	char longname[100];

	constel_init(&c);
	cr_assert_eq(constel_find(&c, "x"), -1);
	cr_assert_eq(constel_add_sat(&c, "STARLINK-1", &el), 0);
	cr_assert_eq(constel_add_sat(&c, "starlink 1", &el), 0);
	cr_assert_eq(constel_add_sat(&c, "Starlink_1", &el), 0);
	cr_assert_eq(constel_add_sat(&c, "", &el), 0);
	cr_assert_eq(constel_add_sat(&c, "sat-5", &el), 0);
	cr_assert_eq(constel_add_sat(&c, NULL, &el), 0);
	cr_assert_str_eq(c.node[0].name, "starlink-1");
	cr_assert_str_eq(c.node[1].name, "starlink-1-2");
	cr_assert_str_eq(c.node[2].name, "starlink-1-3");
	cr_assert_str_eq(c.node[3].name, "sat-5");
	cr_assert_str_eq(c.node[4].name, "sat-5-2");
	cr_assert_str_eq(c.node[5].name, "sat-5-3");
	/* a long name keeps its suffix */
	memset(longname, 'q', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	cr_assert_eq(constel_add_sat(&c, longname, &el), 0);
	cr_assert_eq(constel_add_sat(&c, longname, &el), 0);
	cr_assert_eq(strlen(c.node[6].name), CONSTEL_NAME_MAX - 1);
	cr_assert_eq(strlen(c.node[7].name), CONSTEL_NAME_MAX - 1);
	cr_assert_str_eq(c.node[7].name + CONSTEL_NAME_MAX - 3, "-2");
	cr_assert_eq(constel_index(&c), 0);
	for (size_t i = 0; i < c.n; i++) {
		cr_assert_eq(constel_find(&c, c.node[i].name), (long)i);
		cr_assert_eq(c.node[i].kind, CONSTEL_SAT);
		cr_assert_eq(c.node[i].shell, CONSTEL_NO_SHELL);
	}
	cr_assert_eq(constel_find(&c, "STARLINK-1"), -1);
	cr_assert_eq(c.nsat, 8);
	constel_free(&c);
	constel_free(NULL);
}

Test(constel, many_names_stay_unique)
{
	struct constel c;
	struct sgp4_elements el = elements(1, 0.0);
	char name[CONSTEL_NAME_MAX];

	constel_init(&c);
	for (int i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "DUP %d", i % 3);
		cr_assert_eq(constel_add_sat(&c, name, &el), 0);
	}
	cr_assert_eq(constel_find(&c, "dup-1-1000"), 2998);
	cr_assert_eq(constel_find(&c, "dup-2-1001"), -1);
	for (size_t i = 0; i < c.n; i++)
		cr_assert_eq(constel_find(&c, c.node[i].name), (long)i);
	constel_free(&c);
}

Test(constel, rejected_elements_are_not_added)
{
	struct constel c;
	struct sgp4_elements el = elements(7, 0.0);
	int ret;

	constel_init(&c);
	el.ecco = 1.5;
	ret = constel_add_sat(&c, "bad", &el);
	cr_assert_gt(ret, 0, "sgp4 error code expected, got %d", ret);
	cr_assert_eq(c.n, 0);
	cr_assert_eq(constel_find(&c, "bad"), -1);
	constel_free(&c);
}

Test(constel, shells_then_ground_stations)
{
	struct constel c;
	struct walker_shell a = {
		.name = "Shell A", .kind = WALKER_DELTA, .planes = 3,
		.per_plane = 4, .phasing = 1, .alt_km = 550.0,
		.incl_deg = 53.0,
	};
	struct walker_shell b = a;
	struct sgp4_elements el = elements(9, 0.0);
	struct vec3 want;
	char name[CONSTEL_NAME_MAX];

	strcpy(b.name, "polar");
	b.kind = WALKER_STAR;
	b.planes = 2;
	constel_init(&c);
	cr_assert_eq(constel_add_shell(&c, &a, EPOCH), 0);
	cr_assert_eq(constel_add_shell(&c, &b, EPOCH), 0);
	cr_assert_eq(c.nshells, 2);
	cr_assert_eq(c.nsat, 20);
	cr_assert_eq(c.shells[1].kind, WALKER_STAR);
	for (unsigned p = 0; p < 3; p++) {
		for (unsigned s = 0; s < 4; s++) {
			long i;

			walker_sat_name(&a, p, s, name, sizeof(name));
			constel_safe_name(name, name, sizeof(name));
			i = constel_find(&c, name);
			cr_assert_eq(i, (long)(p * 4 + s), "%s at %ld", name,
				     i);
			cr_assert_eq(c.node[i].shell, 0);
			cr_assert_eq(c.node[i].plane, p);
			cr_assert_eq(c.node[i].slot, s);
		}
	}
	cr_assert_eq(c.node[12].shell, 1);
	cr_assert_eq(c.node[19].plane, 1);
	cr_assert_eq(c.node[19].slot, 3);

	cr_assert_eq(constel_add_ground(&c, "London", 51.5, -0.13, 11.0,
					false), 0);
	cr_assert_eq(constel_add_ground(&c, "", -33.9, 18.4, 0.0, true), 0);
	cr_assert_eq(constel_add_ground(&c, "x", 91.0, 0.0, 0.0, false),
		     -EINVAL);
	cr_assert_eq(c.n, 22);
	cr_assert_eq(c.nsat, 20);
	cr_assert_str_eq(c.node[20].name, "london");
	cr_assert_str_eq(c.node[21].name, "gs-1");
	cr_assert_eq(c.node[20].kind, CONSTEL_GROUND);
	cr_assert_not(c.node[20].relay);
	cr_assert(c.node[21].relay);
	want = frames_geodetic_to_ecef(51.5, -0.13, 0.011);
	cr_assert_float_eq(c.node[20].ecef.x, want.x, 1e-9);
	cr_assert_float_eq(c.node[20].ecef.z, want.z, 1e-9);
	cr_assert_float_eq(c.node[20].alt_km, 0.011, 1e-12);
	/* satellites cannot follow ground stations */
	cr_assert_eq(constel_add_sat(&c, "late", &el), -EINVAL);
	cr_assert_eq(constel_add_shell(&c, &a, EPOCH), -EINVAL);
	cr_assert_eq(c.n, 22);
	cr_assert_eq(constel_find(&c, "london"), 20);
	constel_free(&c);
}

/* A shell is added whole or not at all. */
Test(constel, failed_shell_leaves_nothing)
{
	struct constel c;
	struct walker_shell bad = {
		.name = "low", .kind = WALKER_DELTA, .planes = 2,
		.per_plane = 3, .alt_km = -1000.0, .incl_deg = 53.0,
	};
	struct sgp4_elements el = elements(1, 0.0);

	constel_init(&c);
	cr_assert_eq(constel_add_sat(&c, "first", &el), 0);
	cr_assert_lt(constel_add_shell(&c, &bad, EPOCH), 0);
	cr_assert_eq(c.n, 1);
	cr_assert_eq(c.nshells, 0);
	cr_assert_eq(constel_find(&c, "low-0-0"), -1);
	cr_assert_eq(constel_find(&c, "first"), 0);
	constel_free(&c);
}

/*
 * Sets that share a name: the first keeps it, the next get -2, -3, ...;
 * a satellite really called x-2 is skipped over, and its own duplicates
 * count from x-2-2.
 */
Test(constel, duplicate_names_count_up)
{
	static const char *const in[] = { "X", "x-2", "x", "x", "X-2", "x" };
	static const char *const want[] = {
		"x", "x-2", "x-3", "x-4", "x-2-2", "x-5",
	};
	struct sgp4_elements el = elements(9, 0.0);
	struct constel c;

	constel_init(&c);
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		cr_assert_eq(constel_add_sat(&c, in[i], &el), 0);
		cr_assert_str_eq(c.node[i].name, want[i], "set %zu: %s", i,
				 c.node[i].name);
	}
	for (size_t i = 0; i < c.n; i++)
		cr_assert_eq(constel_find(&c, c.node[i].name), (long)i);
	constel_free(&c);
}

/*
 * 20,000 sets of one name take linear time. The old search from -2 on
 * every clash is O(n^2): restored once, it took 25 s for these 20,000 on
 * the shared test machine; now 0.04 s. scripts/bench/bench_names.c times
 * 100,000.
 */
Test(constel, many_duplicates_are_fast)
{
	struct sgp4_elements el = elements(3, 0.0);
	struct constel c;
	struct timespec t0, t1;
	double s;

	constel_init(&c);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 20000; i++)
		cr_assert_eq(constel_add_sat(&c, "STARLINK DUP", &el), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
	cr_assert_str_eq(c.node[19999].name, "starlink-dup-20000");
	cr_assert_lt(s, 1.0, "20,000 duplicate names took %.2f s", s);
	constel_free(&c);
}

/*
 * A ground station's name is never changed: a satellite that holds it
 * can be renamed to make room (the scenario does that for TLE names),
 * and a taken name is refused, not suffixed.
 */
Test(constel, ground_names_are_kept)
{
	struct sgp4_elements el = elements(4, 0.0);
	struct constel c;

	constel_init(&c);
	cr_assert_eq(constel_add_sat(&c, "RZG1", &el), 0);
	cr_assert_eq(constel_add_sat(&c, "other", &el), 0);
	cr_assert_eq(constel_add_ground(&c, "rzg1", 1, 2, 0, false), -EEXIST);
	cr_assert_eq(constel_add_ground(&c, "Other", 1, 2, 0, false), -EEXIST);
	cr_assert_eq(c.n, 2);
	cr_assert_eq(constel_rename(&c, 0), 0);
	cr_assert_str_eq(c.node[0].name, "rzg1-2");
	cr_assert_eq(constel_find(&c, "rzg1"), -1);
	cr_assert_eq(constel_add_ground(&c, "rzg1", 1, 2, 0, false), 0);
	cr_assert_str_eq(c.node[2].name, "rzg1");
	cr_assert_eq(constel_find(&c, "rzg1"), 2);
	cr_assert_eq(constel_find(&c, "rzg1-2"), 0);
	cr_assert_eq(constel_rename(&c, 7), -EINVAL);
	constel_free(&c);
}

/*
 * Renaming takes the first free suffix: the node being renamed does not
 * count as holding the names tried for it, and the index finds every
 * node under its new name and none under the old (2,000 renames).
 */
Test(constel, rename_takes_the_first_free_suffix)
{
	struct sgp4_elements el = elements(6, 0.0);
	char name[CONSTEL_NAME_MAX], want[CONSTEL_NAME_MAX];
	struct constel c;

	constel_init(&c);
	for (int i = 0; i < 2000; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		cr_assert_eq(constel_add_sat(&c, name, &el), 0);
	}
	for (size_t i = 0; i < 2000; i++) {
		cr_assert_eq(constel_rename(&c, i), 0);
		snprintf(want, sizeof(want), "n%zu-2", i);
		cr_assert_str_eq(c.node[i].name, want);
	}
	for (size_t i = 0; i < c.n; i++)
		cr_assert_eq(constel_find(&c, c.node[i].name), (long)i);
	cr_assert_eq(constel_find(&c, "n5"), -1);
	constel_free(&c);
}
