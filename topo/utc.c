// SPDX-License-Identifier: MIT
/* utc.c - int64 ns UTC time: Julian dates, ISO-8601 parsing and printing */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "topo/utc.h"

/* Floor division and the matching non-negative remainder. */
static int64_t utc_floor_div(int64_t a, int64_t b, int64_t *rem)
{
	int64_t q = a / b, r = a % b;

	if (r < 0) {
		r += b;
		q--;
	}
	if (rem)
		*rem = r;
	return q;
}

/*
 * Days from 1970-01-01 to a proleptic Gregorian civil date, valid for every
 * date (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms"). Linear in
 * day, so an out-of-range day simply counts on.
 */
static int64_t utc_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse of utc_days_from_civil. */
static void utc_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static bool utc_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int utc_days_in_month(int64_t y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30,
				      31, 31, 30, 31, 30, 31 };

	return m == 2 && utc_leap(y) ? 29 : days[m - 1];
}

/*
 * The whole part is the Julian date of the preceding midnight (it ends in
 * .5, exact in a double); the fraction is the nanoseconds since then over
 * a day, good to about 1e-11 s.
 */
struct utc_jd utc_to_jd(int64_t unix_ns)
{
	int64_t rem, days = utc_floor_div(unix_ns, UTC_NS_PER_DAY, &rem);

	return (struct utc_jd){
		.jd = UTC_JD_UNIX_EPOCH + (double)days,
		.frac = (double)rem / (double)UTC_NS_PER_DAY,
	};
}

/*
 * Accepts any split (the whole part need not end in .5, the fraction need
 * not be below one): whole days are taken exactly from the whole part and
 * only what is left is rounded to the nanosecond.
 */
int64_t utc_from_jd(struct utc_jd jd)
{
	double d = jd.jd - UTC_JD_UNIX_EPOCH;
	double w = floor(d);
	double f = (d - w) + jd.frac;
	double fw = floor(f);

	f -= fw;
	w += fw;
	return (int64_t)w * UTC_NS_PER_DAY +
	       llround(f * (double)UTC_NS_PER_DAY);
}

/*
 * Vallado's jday(): jd of 0h of the civil date (ends in .5) and the time of
 * day as a fraction, normalised to [0, 1) by moving whole days into jd.
 * Vallado's closed form is valid from March 1900 to February 2100; the
 * Gregorian day count used here gives the same numbers there and stays
 * right outside.
 */
struct utc_jd utc_jday(int year, int mon, int day, int hr, int min, double sec)
{
	struct utc_jd r;
	double dtt;

	r.jd = UTC_JD_UNIX_EPOCH + (double)utc_days_from_civil(year, mon, day);
	r.frac = (sec + min * 60.0 + hr * 3600.0) / 86400.0;
	if (r.frac >= 1.0 || r.frac < 0.0) {
		dtt = floor(r.frac);
		r.jd += dtt;
		r.frac -= dtt;
	}
	return r;
}

/* Exactly n decimal digits at *p into *out; advances *p. */
static bool utc_digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		char c = (*p)[i];

		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return true;
}

static bool utc_expect(const char **p, char c)
{
	if (**p != c)
		return false;
	(*p)++;
	return true;
}

static bool utc_fail(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return false;
}

bool utc_parse(const char *s, int64_t *unix_ns, const char **why)
{
	static const char bad[] = "is not an ISO-8601 UTC time (as "
				  "2026-02-23T00:00:00Z)";
	const char *p = s;
	int year, mon, day, hr = 0, min = 0, sec = 0;
	int64_t frac_ns = 0, days;
	__int128 wide;

	if (!s)
		return utc_fail(why, "is missing");
	if (!utc_digits(&p, 4, &year) || !utc_expect(&p, '-') ||
	    !utc_digits(&p, 2, &mon) || !utc_expect(&p, '-') ||
	    !utc_digits(&p, 2, &day))
		return utc_fail(why, bad);
	if (mon < 1 || mon > 12 || day < 1 ||
	    day > utc_days_in_month(year, mon))
		return utc_fail(why, bad);
	if (*p == 'T' || *p == ' ') {
		p++;
		if (!utc_digits(&p, 2, &hr) || !utc_expect(&p, ':') ||
		    !utc_digits(&p, 2, &min) || !utc_expect(&p, ':') ||
		    !utc_digits(&p, 2, &sec))
			return utc_fail(why, bad);
		/* No leap seconds: 60 is not a second of this time scale. */
		if (hr > 23 || min > 59 || sec > 59)
			return utc_fail(why, bad);
		if (*p == '.') {
			int n = 0;

			p++;
			while (*p >= '0' && *p <= '9') {
				if (++n > 9)
					return utc_fail(why, bad);
				frac_ns = frac_ns * 10 + (*p++ - '0');
			}
			if (n == 0)
				return utc_fail(why, bad);
			for (; n < 9; n++)
				frac_ns *= 10;
		}
		if (*p == 'Z') {
			p++;
		} else if (p[0] == '+' && p[1] == '0' && p[2] == '0' &&
			   p[3] == ':' && p[4] == '0' && p[5] == '0') {
			p += 6;
		} else {
			return utc_fail(why, bad);
		}
	}
	if (*p != '\0')
		return utc_fail(why, bad);

	/* Whole days alone overflow on 1677-09-21 before the time of day
	 * brings the sum back into range: add them in 128 bits. */
	days = utc_days_from_civil(year, mon, day);
	wide = (__int128)days * UTC_NS_PER_DAY +
	       (hr * INT64_C(3600) + min * 60 + sec) * UTC_NS_PER_S + frac_ns;
	if (wide < INT64_MIN || wide > INT64_MAX)
		return utc_fail(why, "is outside the times lasermesh "
				"represents (" UTC_RANGE_TEXT ")");
	*unix_ns = (int64_t)wide;
	return true;
}

bool utc_parse_iso8601(const char *s, int64_t *unix_ns)
{
	return utc_parse(s, unix_ns, NULL);
}

void utc_format_iso8601(int64_t unix_ns, int digits, char *buf, size_t len)
{
	int64_t rem, days = utc_floor_div(unix_ns, UTC_NS_PER_DAY, &rem);
	int64_t year, secs = rem / UTC_NS_PER_S, sub = rem % UTC_NS_PER_S;
	int mon, day, n;
	char frac[12] = "";

	if (!buf || len == 0)
		return;
	if (digits < 0)
		digits = 0;
	if (digits > 9)
		digits = 9;
	utc_civil_from_days(days, &year, &mon, &day);
	if (digits > 0) {
		/* Truncate, never round: a printed time is never later. */
		for (n = 9; n > digits; n--)
			sub /= 10;
		snprintf(frac, sizeof(frac), ".%0*lld", digits,
			 (long long)sub);
	}
	snprintf(buf, len, "%04lld-%02d-%02dT%02d:%02d:%02d%sZ",
		 (long long)year, mon, day, (int)(secs / 3600),
		 (int)(secs / 60 % 60), (int)(secs % 60), frac);
}
