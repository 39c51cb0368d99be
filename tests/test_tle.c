// SPDX-License-Identifier: MIT
/* test_tle.c - the TLE reader: real Starlink sets, conversions, every error */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "topo/lib/diag.h"
#include "topo/sgp4.h"
#include "topo/tle.h"
#include "topo/utc.h"
#include "tests/lib/data.h"

#define STARLINK "docs/examples/data/starlink-2026-02-22.tle"
#define BAD "tests/data/tle/"

/* Parse a file of tests/data/tle/ into s and d. */
static void parse_file(const char *path, struct tle_set *s, struct diag *d)
{
	size_t len;
	char *text = data_read(path, &len);

	memset(s, 0, sizeof(*s));
	diag_init(d);
	cr_assert_eq(tle_parse(text, len, path, s, d), 0);
	free(text);
}

static void expect_msgs(const struct diag *d, const char *const *want, size_t n)
{
	for (size_t i = 0; i < d->n && i < n; i++)
		cr_expect_str_eq(d->msg[i], want[i]);
	cr_assert_eq(d->n, n, "%zu messages, expected %zu%s%s", d->n, n,
		     d->n ? "; first: " : "", d->n ? d->msg[0] : "");
	cr_assert_eq(d->errors, n);
}

Test(tle, starlink_file)
{
	struct tle_set s = {0};
	struct diag d;
	size_t len, failed = 0, decayed = 0;
	char *text = data_read(STARLINK, &len);	/* ships with the project */
	int64_t latest = INT64_MIN, when;
	double rmin = 1e9, rmax = 0;

	diag_init(&d);
	cr_assert_eq(tle_parse(text, len, STARLINK, &s, &d), 0);
	cr_assert_eq(d.n, 0, "%zu errors, first: %s", d.n, d.n ? d.msg[0] : "");
	cr_assert_eq(s.n, 9543, "%zu sets", s.n);
	cr_assert_str_eq(s.v[0].name, "STARLINK-1008");
	cr_assert_eq(s.v[0].line, 2);
	cr_assert_eq(s.v[0].el.satnum, 44714);
	cr_assert_eq(s.v[9542].line, 28628);

	for (size_t i = 0; i < s.n; i++)
		if (s.v[i].el.epoch_unix_ns > latest)
			latest = s.v[i].el.epoch_unix_ns;
	when = latest + UTC_NS_PER_DAY;

	for (size_t i = 0; i < s.n; i++) {
		struct sgp4_sat sat;
		struct vec3 r, v;
		int rc = sgp4_init(&sat, &s.v[i].el, 'i');
		double rad;

		if (rc == SGP4_OK)
			rc = sgp4_propagate(&sat, sgp4_tsince(&sat, when), &r,
					    &v);
		if (rc != SGP4_OK) {
			failed++;
			decayed += rc == SGP4_E_DECAYED;
			continue;
		}
		rad = vec3_norm(r);
		rmin = fmin(rmin, rad);
		rmax = fmax(rmax, rad);
		cr_assert(rad > 6378.0 && rad < 8000.0,
			  "%s (%ld): radius %.1f km", s.v[i].name,
			  s.v[i].el.satnum, rad);
	}
	cr_log_info("starlink: %zu sets, %zu fail at the latest epoch + 1 day "
		    "(%zu decayed), radii %.1f to %.1f km",
		    s.n, failed, decayed, rmin, rmax);
	cr_assert_lt(failed, s.n / 100, "%zu of %zu fail", failed, s.n);
	tle_set_free(&s);
	diag_free(&d);
	free(text);
}

/* Every field of one set against values worked out by hand. */
Test(tle, conversions)
{
	struct tle_set s = {0};
	struct diag d;
	const struct sgp4_elements *e;
	const double xpdotp = 1440.0 / (2.0 * M_PI), deg = M_PI / 180.0;
	int64_t ns;

	parse_file(BAD "mixed.tle", &s, &d);
	expect_msgs(&d, NULL, 0);
	cr_assert_eq(s.n, 3);

	/* STARLINK-1008, name padded to 24 columns, CRLF. */
	cr_assert_str_eq(s.v[0].name, "STARLINK-1008");
	cr_assert_eq(s.v[0].line, 2);
	e = &s.v[0].el;
	cr_assert_eq(e->satnum, 44714);
	cr_assert(utc_parse_iso8601("2026-02-22T22:52:52.307616Z", &ns));
	cr_assert_eq(e->epoch_unix_ns, ns, "epoch %lld, expected %lld",
		     (long long)e->epoch_unix_ns, (long long)ns);
	cr_assert_eq(e->epoch_jd, 2461093.5);
	cr_assert(fabs(e->epoch_jdfrac - 0.95338319) < 1e-12, "frac %.17g",
		  e->epoch_jdfrac);
	cr_assert_eq(e->inclo, 53.1565 * deg);
	cr_assert_eq(e->nodeo, 247.2957 * deg);
	cr_assert_eq(e->ecco, 0.0001251);
	cr_assert_eq(e->argpo, 94.4223 * deg);
	cr_assert_eq(e->mo, 265.6921 * deg);
	cr_assert_eq(e->no_kozai, 15.31035506 / xpdotp);
	cr_assert_eq(e->ndot, 0.00001514 / (xpdotp * 1440.0));
	cr_assert_eq(e->nddot, 0.0);
	cr_assert_eq(e->bstar, 0.61711 * 1e-4);

	/* A two-line set: no name; negative bstar "-11084-3". */
	cr_assert_str_eq(s.v[1].name, "");
	cr_assert_eq(s.v[1].line, 4);
	cr_assert_eq(s.v[1].el.satnum, 44718);
	cr_assert_eq(s.v[1].el.bstar, -0.11084 * 1e-3);
	cr_assert_eq(s.v[1].el.ndot, -0.00003638 / (xpdotp * 1440.0));

	/* Space-Track's "0 NAME" after a blank line; epoch 2008 day
	 * 264.51782528 = 20 September 12:25:40.104192. */
	cr_assert_str_eq(s.v[2].name, "ISS (ZARYA)");
	cr_assert_eq(s.v[2].line, 8);
	cr_assert_eq(s.v[2].el.satnum, 25544);
	cr_assert(utc_parse_iso8601("2008-09-20T12:25:40.104192Z", &ns));
	cr_assert_eq(s.v[2].el.epoch_unix_ns, ns);
	tle_set_free(&s);
	diag_free(&d);
}

/* Years 57-99 are 19xx, Alpha-5 catalogue numbers, blank fields. */
Test(tle, years_and_alpha5)
{
	const char *l1 = "1 A0005U 58002B   57001.50000000 -.00000016  00000-0 "
			 "-22483-4 0  9998";
	const char *l2 = "2 A0005  34.2443 225.5254 1845686 162.2516 205.2356 "
			 "10.84869164218149";
	struct sgp4_elements el;
	struct tle_error err;
	int64_t ns;

	cr_assert(tle_parse_lines(l1, strlen(l1), l2, strlen(l2),
				  TLE_F_NO_CHECKSUM, &el, &err),
		  "%s", err.msg);
	cr_assert_eq(el.satnum, 100005);
	cr_assert(utc_parse_iso8601("1957-01-01T12:00:00Z", &ns));
	cr_assert_eq(el.epoch_unix_ns, ns);

	l1 = "1 00005U 58002B   56366.00000000 -.00000016  00000-0 -22483-4 0  "
	     "9998";
	l2 = "2 00005  34.2443 225.5254 1845686 162.2516 205.2356 "
	     "10.84869164218149";
	cr_assert(tle_parse_lines(l1, strlen(l1), l2, strlen(l2),
				  TLE_F_NO_CHECKSUM, &el, &err),
		  "%s", err.msg);
	cr_assert(utc_parse_iso8601("2056-12-31T00:00:00Z", &ns));
	cr_assert_eq(el.epoch_unix_ns, ns);
	cr_assert_eq(el.epoch_jd + el.epoch_jdfrac, 2472363.5);

	/* Day 366 exists only in leap years. */
	l1 = "1 00005U 58002B   57366.00000000 -.00000016  00000-0 -22483-4 0  "
	     "9998";
	cr_assert_not(tle_parse_lines(l1, strlen(l1), l2, strlen(l2),
				      TLE_F_NO_CHECKSUM, &el, &err));
	cr_assert_eq(err.which, 1);
	cr_assert_str_eq(err.msg, "line 1 epoch \"57366.00000000\" has day "
				  "366 of 1957, expected 1 to 365");
}

Test(tle, checksum)
{
	const char *l = "1 44714U 19074B   26053.95338319  .00001514  00000+0  "
			"61711-4 0  9998";

	cr_assert_eq(tle_checksum(l, strlen(l)), 8);
	/* 1 + 9, and each minus sign counts 1: 12 */
	cr_assert_eq(tle_checksum("1 -- 9", 6), 2);
}

/* Bad sets are skipped one by one; the good ones still load. */
Test(tle, bad_checksum)
{
	struct tle_set s;
	struct diag d;
	const char *want[] = {
	    BAD "bad_checksum.tle:3: line 2 checksum is \"0\", expected 6",
	};

	parse_file(BAD "bad_checksum.tle", &s, &d);
	expect_msgs(&d, want, 1);
	cr_assert_eq(s.n, 1);
	cr_assert_str_eq(s.v[0].name, "STARLINK-1012");
	tle_set_free(&s);
	diag_free(&d);
}

Test(tle, wrong_line_number)
{
	struct tle_set s;
	struct diag d;
	const char *want[] = {
	    BAD
	    "wrong_line_number.tle:2: line 1 begins with \"3\", expected \"1\"",
	    BAD
	    "wrong_line_number.tle:6: line 2 begins with \"4\", expected \"2\"",
	};

	parse_file(BAD "wrong_line_number.tle", &s, &d);
	expect_msgs(&d, want, 2);
	cr_assert_eq(s.n, 0);
	tle_set_free(&s);
	diag_free(&d);
}

Test(tle, catalogue_mismatch)
{
	struct tle_set s;
	struct diag d;
	const char *want[] = {
	    BAD "catnum_mismatch.tle:3: line 2 catalogue number \"44715\" "
		"does not match line 1's \"44714\"",
	};

	parse_file(BAD "catnum_mismatch.tle", &s, &d);
	expect_msgs(&d, want, 1);
	cr_assert_eq(s.n, 0);
	tle_set_free(&s);
	diag_free(&d);
}

Test(tle, truncated)
{
	struct tle_set s;
	struct diag d;
	const char *want[] = {
	    BAD "truncated.tle:2: line 1 is truncated after column 43 "
		"(\"00001514\"), expected 69 columns",
	};

	parse_file(BAD "truncated.tle", &s, &d);
	expect_msgs(&d, want, 1);
	cr_assert_eq(s.n, 1);
	cr_assert_eq(s.v[0].el.satnum, 44718);
	tle_set_free(&s);
	diag_free(&d);
}

Test(tle, junk_in_numeric_field)
{
	struct tle_set s;
	struct diag d;
	const char *want[] = {
	    BAD "junk_field.tle:3: line 2 inclination \"53.1O65\" is not "
		"a number",
	    BAD "junk_field.tle:5: line 1 bstar \"-1108X-3\" is not a "
		"number",
	};

	parse_file(BAD "junk_field.tle", &s, &d);
	expect_msgs(&d, want, 2);
	cr_assert_eq(s.n, 0);
	tle_set_free(&s);
	diag_free(&d);
}

/*
 * Seven digits after an implied "0." cannot reach 1, so the field only
 * goes out of range with a sign.
 */
Test(tle, eccentricity_out_of_range)
{
	struct tle_set s;
	struct diag d;
	const char *want[] = {
	    BAD "eccentricity.tle:3: line 2 eccentricity \"-001251\" is "
		"out of range (0 <= e < 1)",
	};

	parse_file(BAD "eccentricity.tle", &s, &d);
	expect_msgs(&d, want, 1);
	cr_assert_eq(s.n, 0);
	tle_set_free(&s);
	diag_free(&d);
}

Test(tle, name_without_lines)
{
	struct tle_set s;
	struct diag d;
	const char *want[] = {
	    BAD "name_only.tle:1: name line \"STARLINK-1008\" is not "
		"followed by line 1",
	};

	parse_file(BAD "name_only.tle", &s, &d);
	expect_msgs(&d, want, 1);
	cr_assert_eq(s.n, 0);
	tle_set_free(&s);
	diag_free(&d);
}

Test(tle, empty_file)
{
	struct tle_set s;
	struct diag d;
	const char *want[] = {BAD "empty.tle: no element sets"};

	parse_file(BAD "empty.tle", &s, &d);
	expect_msgs(&d, want, 1);
	cr_assert_eq(s.n, 0);
	tle_set_free(&s);
	diag_free(&d);
}

/* The other checks, on lines built from one good set. */
static const char *G1 =
    "1 44714U 19074B   26053.95338319  .00001514  00000+0  61711-4 0  9998";
static const char *G2 =
    "2 44714  53.1565 247.2957 0001251  94.4223 265.6921 15.31035506346616";

/* Replace n columns at col (1-based) and fix the checksum. */
static void patch(char *dst, const char *src, int col, const char *with)
{
	strcpy(dst, src);
	memcpy(dst + col - 1, with, strlen(with));
	dst[68] = (char)('0' + tle_checksum(dst, 68));
}

static void expect_bad(const char *l1, const char *l2, unsigned which,
		       const char *msg)
{
	struct sgp4_elements el;
	struct tle_error err;

	cr_assert_not(
	    tle_parse_lines(l1, strlen(l1), l2, strlen(l2), 0, &el, &err),
	    "accepted, expected: %s", msg);
	cr_expect_eq(err.which, which, "line %u, expected %u (%s)", err.which,
		     which, err.msg);
	cr_assert_str_eq(err.msg, msg);
}

Test(tle, field_checks)
{
	char a[80], b[80];
	struct sgp4_elements el;
	struct tle_error err;

	cr_assert(tle_parse_lines(G1, strlen(G1), G2, strlen(G2), 0, &el, &err),
		  "%s", err.msg);

	patch(b, G2, 9, "181.0000");
	expect_bad(G1, b, 2,
		   "line 2 inclination \"181.0000\" is out of "
		   "range (0 to 180 degrees)");
	patch(b, G2, 18, "360.0001");
	expect_bad(G1, b, 2,
		   "line 2 right ascension of the node "
		   "\"360.0001\" is out of range (0 to 360 degrees)");
	patch(b, G2, 53, " 0.00000000");
	expect_bad(G1, b, 2,
		   "line 2 mean motion \"0.00000000\" is out of "
		   "range (revolutions per day > 0)");
	patch(b, G2, 53, "-1.00000000");
	expect_bad(G1, b, 2,
		   "line 2 mean motion \"-1.00000000\" is not a "
		   "number");
	patch(b, G2, 44, "26.5.921");
	expect_bad(G1, b, 2,
		   "line 2 mean anomaly \"26.5.921\" is not a "
		   "number");
	patch(b, G2, 27, "00 1251");
	expect_bad(G1, b, 2,
		   "line 2 eccentricity \"00 1251\" is not a "
		   "number");
	patch(b, G2, 26, "x");
	expect_bad(G1, b, 2, "line 2 column 26 is \"x\", expected a blank");

	patch(a, G1, 19, "26366.5");
	expect_bad(a, G2, 1,
		   "line 1 epoch \"26366.55338319\" has day 366 "
		   "of 2026, expected 1 to 365");
	patch(a, G1, 19, "2605x");
	expect_bad(a, G2, 1, "line 1 epoch \"2605x.95338319\" is not a date");
	patch(a, G1, 34, " .0000l514");
	expect_bad(a, G2, 1,
		   "line 1 first derivative of mean motion "
		   "\".0000l514\" is not a number");
	patch(a, G1, 45, " 00000*0");
	expect_bad(a, G2, 1,
		   "line 1 second derivative of mean motion "
		   "\"00000*0\" is not a number");
	patch(a, G1, 3, "4471 ");
	expect_bad(a, G2, 1,
		   "line 1 catalogue number \"4471\" is not a "
		   "number");
	patch(a, G1, 8, "X");
	expect_bad(a, G2, 1, "line 1 classification \"X\" is not U, C or S");

	/* Column 69: a letter, or text beyond it. */
	strcpy(b, G2);
	b[68] = 'z';
	expect_bad(G1, b, 2,
		   "line 2 checksum \"z\" is not a digit, "
		   "expected 6");
	snprintf(b, sizeof(b), "%s  x", G2);
	expect_bad(G1, b, 2, "line 2 has \"x\" after column 69");
	/* Trailing blanks and a CR are not text. */
	snprintf(b, sizeof(b), "%s   \r", G2);
	cr_assert(tle_parse_lines(G1, strlen(G1), b, strlen(b), 0, &el, &err),
		  "%s", err.msg);
}

/* Stray lines: a line 2 alone, a line 1 alone, a set cut short. */
Test(tle, stray_lines)
{
	char text[512];
	struct tle_set s = {0};
	struct diag d;
	const char *want[] = {
	    "x.tle:1: line 1 begins with \"2\", expected \"1\"",
	    "x.tle:2: line 1 is not followed by line 2",
	    "x.tle:5: line 1 is not followed by line 2",
	};

	snprintf(text, sizeof(text), "%s\n%s\n%s\n%s\n%s\n", G2, G1, G1, G2,
		 G1);
	diag_init(&d);
	cr_assert_eq(tle_parse(text, strlen(text), "x.tle", &s, &d), 0);
	expect_msgs(&d, want, 3);
	cr_assert_eq(s.n, 1);
	cr_assert_eq(s.v[0].line, 3);
	tle_set_free(&s);
	diag_free(&d);
}
