// SPDX-License-Identifier: MIT
/* test_utc.c - Julian dates, Vallado's jday, ISO-8601 parsing and printing */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "topo/utc.h"

#define J2000_NS (INT64_C(946728000) * UTC_NS_PER_S)

/* Vallado's closed-form jday(), valid March 1900 - February 2100. */
static double vallado_jday(int year, int mon, int day)
{
	return 367.0 * year -
	       floor((7 * (year + floor((mon + 9) / 12.0))) * 0.25) +
	       floor(275 * mon / 9.0) + day + 1721013.5;
}

static int64_t parse_ok(const char *s)
{
	int64_t ns = INT64_MIN;

	cr_assert(utc_parse_iso8601(s, &ns), "\"%s\" rejected", s);
	return ns;
}

Test(utc, j2000)
{
	int64_t ns = parse_ok("2000-01-01T12:00:00Z");
	struct utc_jd jd = utc_to_jd(ns);

	cr_assert_eq(ns, J2000_NS);
	cr_assert_eq(jd.jd, 2451544.5, "jd %.17g", jd.jd);
	cr_assert_eq(jd.frac, 0.5, "frac %.17g", jd.frac);
	cr_assert_eq(jd.jd + jd.frac, 2451545.0);
	cr_assert_eq(utc_from_jd((struct utc_jd){ 2451545.0, 0.0 }), ns);
	cr_assert_eq(utc_from_jd((struct utc_jd){ 2451544.0, 1.0 }), ns);
	cr_assert_eq(utc_to_jd(0).jd, UTC_JD_UNIX_EPOCH);
	cr_assert_eq(utc_to_jd(0).frac, 0.0);
}

Test(utc, jd_round_trip)
{
	/* A spread of instants 1900..2200 with odd nanoseconds. */
	uint64_t x = 0x9e3779b97f4a7c15u;
	int64_t lo = -INT64_C(2208988800) * UTC_NS_PER_S;	/* 1900 */
	uint64_t span = (uint64_t)INT64_C(9467280000) * UTC_NS_PER_S;

	for (int i = 0; i < 200000; i++) {
		int64_t ns, back;
		struct utc_jd jd;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* unsigned sum: the span itself exceeds INT64_MAX */
		ns = (int64_t)((uint64_t)lo + x % span);
		jd = utc_to_jd(ns);
		cr_assert(jd.frac >= 0.0 && jd.frac < 1.0);
		cr_assert_eq(fmod(jd.jd, 1.0), 0.5, "jd %.17g", jd.jd);
		back = utc_from_jd(jd);
		cr_assert(llabs(back - ns) <= 1, "%lld -> %lld",
			  (long long)ns, (long long)back);
	}
	/* Negative times and day boundaries. */
	int64_t edge[] = { -1, 0, 1, -UTC_NS_PER_DAY, UTC_NS_PER_DAY - 1,
			   J2000_NS - 1, J2000_NS + 999 };
	for (size_t i = 0; i < sizeof(edge) / sizeof(edge[0]); i++)
		cr_assert_eq(utc_from_jd(utc_to_jd(edge[i])), edge[i],
			     "%lld", (long long)edge[i]);
	cr_assert_eq(utc_to_jd(-1).jd, UTC_JD_UNIX_EPOCH - 1.0);
}

Test(utc, jday_matches_vallado)
{
	/* Every day of every month 1901..2099 against Vallado's formula. */
	for (int y = 1901; y <= 2099; y++)
		for (int m = 1; m <= 12; m++)
			for (int d = 1; d <= 28; d++) {
				struct utc_jd j = utc_jday(y, m, d, 0, 0, 0);

				cr_assert_eq(j.jd, vallado_jday(y, m, d),
					     "%d-%d-%d", y, m, d);
				cr_assert_eq(j.frac, 0.0);
			}

	struct utc_jd j = utc_jday(2000, 1, 1, 12, 0, 0.0);
	cr_assert_eq(j.jd, 2451544.5);
	cr_assert_eq(j.frac, 0.5);
	j = utc_jday(1970, 1, 1, 0, 0, 0.0);
	cr_assert_eq(j.jd, UTC_JD_UNIX_EPOCH);
	/* Fractions of a day and normalisation of 24 h into the next day. */
	j = utc_jday(2026, 2, 22, 6, 30, 15.25);
	cr_assert_float_eq(j.frac, (6 * 3600 + 30 * 60 + 15.25) / 86400.0,
			   1e-15);
	cr_assert_eq(utc_from_jd(j), parse_ok("2026-02-22T06:30:15.25Z"));
	j = utc_jday(2026, 2, 22, 24, 0, 0.0);
	cr_assert_eq(j.jd, utc_jday(2026, 2, 23, 0, 0, 0.0).jd);
	cr_assert_eq(j.frac, 0.0);
}

Test(utc, leap_years)
{
	int64_t a, b;

	/* 2000 is a leap year (divisible by 400), 1900 is not, 2024 is. */
	a = parse_ok("2000-02-28");
	b = parse_ok("2000-03-01");
	cr_assert_eq(b - a, 2 * UTC_NS_PER_DAY);
	parse_ok("2000-02-29");

	a = parse_ok("1900-02-28");
	b = parse_ok("1900-03-01");
	cr_assert_eq(b - a, 1 * UTC_NS_PER_DAY);
	cr_assert_not(utc_parse_iso8601("1900-02-29", &a));

	a = parse_ok("2024-02-28T00:00:00Z");
	b = parse_ok("2024-03-01T00:00:00Z");
	cr_assert_eq(b - a, 2 * UTC_NS_PER_DAY);
	parse_ok("2024-02-29T23:59:59Z");
	cr_assert_not(utc_parse_iso8601("2023-02-29", &a));

	/* Whole years: 366 days in 2000 and 2024, 365 in 1900 and 2023. */
	cr_assert_eq(parse_ok("2001-01-01") - parse_ok("2000-01-01"),
		     366 * UTC_NS_PER_DAY);
	cr_assert_eq(parse_ok("1901-01-01") - parse_ok("1900-01-01"),
		     365 * UTC_NS_PER_DAY);
	cr_assert_eq(parse_ok("2025-01-01") - parse_ok("2024-01-01"),
		     366 * UTC_NS_PER_DAY);
	cr_assert_eq(parse_ok("2024-01-01") - parse_ok("2023-01-01"),
		     365 * UTC_NS_PER_DAY);
}

Test(utc, parse_forms)
{
	int64_t base = parse_ok("2026-02-22T06:30:15Z");

	cr_assert_eq(parse_ok("1970-01-01"), 0);
	cr_assert_eq(parse_ok("1970-01-01T00:00:00Z"), 0);
	cr_assert_eq(parse_ok("1969-12-31T23:59:59Z"), -UTC_NS_PER_S);
	cr_assert_eq(parse_ok("2026-02-22 06:30:15Z"), base);
	cr_assert_eq(parse_ok("2026-02-22T06:30:15+00:00"), base);
	cr_assert_eq(parse_ok("2026-02-22"),
		     base - (6 * 3600 + 30 * 60 + 15) * UTC_NS_PER_S);
	cr_assert_eq(parse_ok("2026-02-22T06:30:15.5Z"),
		     base + 500000000);
	cr_assert_eq(parse_ok("2026-02-22T06:30:15.000001Z"), base + 1000);
	cr_assert_eq(parse_ok("2026-02-22T06:30:15.123456789Z"),
		     base + 123456789);
	cr_assert_eq(parse_ok("2026-02-22T06:30:15.000000001+00:00"),
		     base + 1);
	cr_assert_eq(parse_ok("2026-12-31T23:59:59.999999999Z"),
		     parse_ok("2027-01-01") - 1);
	cr_assert_eq(base, INT64_C(1771741815) * UTC_NS_PER_S);
}

Test(utc, parse_rejects)
{
	static const char *const bad[] = {
		"",
		"2026",
		"2026-02",
		"2026-02-22x",
		"2026-02-22T",
		"2026-02-22T06:30:15",		/* no zone */
		"2026-02-22T06:30:15Zx",	/* trailing junk */
		"2026-02-22T06:30:15Z ",
		"2026-02-22T06:30:15+00:00x",
		"2026-02-22T06:30:15+01:00",	/* another zone */
		"2026-02-22T06:30:15-00:00",
		"2026-02-22T06:30:15+0000",
		"2026-02-22T06:30:15+00",
		"2026-02-22T06:30:15.Z",	/* dot without digits */
		"2026-02-22T06:30:15.1234567890Z",	/* 10 digits */
		"2026-02-22t06:30:15Z",
		"2026-02-22T06:30:15z",
		"2026-02-22T06:30Z",
		"2026-13-01",			/* month 13 */
		"2026-00-01",
		"2026-01-32",			/* day 32 */
		"2026-01-00",
		"2026-02-30",			/* Feb 30 */
		"2026-04-31",
		"2026-02-22T24:00:00Z",		/* hour 24 */
		"2026-02-22T23:60:00Z",
		"2026-02-22T23:59:60Z",		/* no leap seconds */
		"26-02-22",
		"2026-2-22",
		"2026-02-2",
		"2026/02/22",
		" 2026-02-22",
		"+2026-02-22",
		"2026-02-22T6:30:15Z",
		"9999-12-31",			/* past int64 ns */
		"1000-01-01",
	};
	int64_t ns = 42;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_not(utc_parse_iso8601(bad[i], &ns),
			      "\"%s\" accepted", bad[i]);
		cr_assert_eq(ns, 42, "\"%s\" wrote a result", bad[i]);
	}
	cr_assert_not(utc_parse_iso8601(NULL, &ns));
}

/*
 * The ends of the range: every int64 ns is a time, and a time beyond them is
 * refused as out of range, not as a malformed one.
 */
Test(utc, parse_range)
{
	static const char *const outside[] = {
		"2300-01-01T00:00:00Z", "2262-04-11T23:47:16.854775808Z",
		"2262-04-12", "1677-09-21T00:12:43.145224191Z", "1677-09-20",
		"9999-12-31", "0000-01-01",
	};
	const char *why = NULL;
	char buf[64];
	int64_t ns = 42;

	cr_assert(utc_parse("2262-04-11T23:47:16.854775807Z", &ns, &why));
	cr_assert_eq(ns, INT64_MAX);
	cr_assert(utc_parse("1677-09-21T00:12:43.145224192Z", &ns, &why));
	cr_assert_eq(ns, INT64_MIN);
	/* the whole seconds that errors quote are inside */
	cr_assert(utc_parse("1677-09-21T00:12:44Z", &ns, NULL));
	cr_assert(utc_parse("2262-04-11T23:47:16Z", &ns, NULL));
	cr_assert_not_null(strstr(UTC_RANGE_TEXT, "1677-09-21T00:12:44Z"));
	cr_assert_not_null(strstr(UTC_RANGE_TEXT, "2262-04-11T23:47:16Z"));
	for (size_t i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
		ns = 42;
		why = NULL;
		cr_assert_not(utc_parse(outside[i], &ns, &why), "%s",
			      outside[i]);
		cr_assert_eq(ns, 42);
		cr_assert_not_null(why);
		cr_assert_not_null(strstr(why, "outside the times"), "%s: %s",
				   outside[i], why);
		cr_assert_not_null(strstr(why, UTC_RANGE_TEXT));
	}
	cr_assert_not(utc_parse("2026-02-30", &ns, &why));
	cr_assert_not_null(strstr(why, "is not an ISO-8601 UTC time"), "%s",
			   why);
	/* and both ends print and read back */
	utc_format_iso8601(INT64_MAX, 9, buf, sizeof(buf));
	cr_assert_str_eq(buf, "2262-04-11T23:47:16.854775807Z");
	utc_format_iso8601(INT64_MIN, 9, buf, sizeof(buf));
	cr_assert_str_eq(buf, "1677-09-21T00:12:43.145224192Z");
}

Test(utc, format)
{
	char buf[64];
	int64_t t = J2000_NS + 123456789;

	utc_format_iso8601(t, 0, buf, sizeof(buf));
	cr_assert_str_eq(buf, "2000-01-01T12:00:00Z");
	utc_format_iso8601(t, 3, buf, sizeof(buf));
	cr_assert_str_eq(buf, "2000-01-01T12:00:00.123Z");
	utc_format_iso8601(t, 6, buf, sizeof(buf));
	cr_assert_str_eq(buf, "2000-01-01T12:00:00.123456Z");
	utc_format_iso8601(t, 9, buf, sizeof(buf));
	cr_assert_str_eq(buf, "2000-01-01T12:00:00.123456789Z");
	utc_format_iso8601(-1, 9, buf, sizeof(buf));
	cr_assert_str_eq(buf, "1969-12-31T23:59:59.999999999Z");
	utc_format_iso8601(-1, 3, buf, sizeof(buf));
	cr_assert_str_eq(buf, "1969-12-31T23:59:59.999Z");
	utc_format_iso8601(parse_ok("2024-02-29T23:59:59.000000007Z"), 9,
			   buf, sizeof(buf));
	cr_assert_str_eq(buf, "2024-02-29T23:59:59.000000007Z");
	utc_format_iso8601(parse_ok("1900-03-01"), 0, buf, sizeof(buf));
	cr_assert_str_eq(buf, "1900-03-01T00:00:00Z");

	/* A short buffer is truncated and terminated, never overrun. */
	memset(buf, 'x', sizeof(buf));
	utc_format_iso8601(t, 9, buf, 11);
	cr_assert_str_eq(buf, "2000-01-01");
	cr_assert_eq(buf[11], 'x');
}

Test(utc, format_parse_round_trip)
{
	char buf[64];
	uint64_t x = 88172645463325252u;

	for (int i = 0; i < 20000; i++) {
		int64_t ns, back = 0;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		ns = (int64_t)(x % ((uint64_t)INT64_C(7000000000) *
				    UTC_NS_PER_S)) -
		     INT64_C(2000000000) * UTC_NS_PER_S;
		utc_format_iso8601(ns, 9, buf, sizeof(buf));
		cr_assert(utc_parse_iso8601(buf, &back), "%s", buf);
		cr_assert_eq(back, ns, "%s", buf);
		utc_format_iso8601(ns, 0, buf, sizeof(buf));
		cr_assert(utc_parse_iso8601(buf, &back), "%s", buf);
		cr_assert_eq(back, ns - (ns % UTC_NS_PER_S +
					 (ns % UTC_NS_PER_S < 0 ?
						  UTC_NS_PER_S : 0)),
			     "%s", buf);
	}
}
