// SPDX-License-Identifier: MIT
/* tle.c - read two- and three-line element sets into SGP4 mean elements */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topo/consts.h"
#include "topo/tle.h"
#include "topo/utc.h"

/*
 * The format is NORAD's two-line element set, as CelesTrak documents it
 * ("FAQs: Two-Line Element Set Format") and as Vallado's twoline2rv reads
 * it: fixed columns, implied decimal points, and a mod-10 checksum in
 * column 69. Numbers are converted as twoline2rv does (mantissa times a
 * power of ten, degrees times pi/180, rev/day divided by 1440/2pi), so
 * that the mean elements are bit for bit those of the reference code.
 */

/* Minutes per radian of a revolution: rev/day to rad/min. */
#define XPDOTP (1440.0 / (2.0 * TOPO_PI))

static bool tle_fail(struct tle_error *err, unsigned which, const char *fmt,
		     ...) __attribute__((format(printf, 3, 4)));

static bool tle_fail(struct tle_error *err, unsigned which, const char *fmt,
		     ...)
{
	va_list ap;

	err->which = which;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return false;
}

const char *tle_quote(char *buf, size_t size, const char *p, size_t n)
{
	size_t k = 0;

	while (n && p[0] == ' ') {
		p++;
		n--;
	}
	while (n && p[n - 1] == ' ')
		n--;
	for (size_t i = 0; i < n && k + 1 < size; i++)
		buf[k++] = p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '?';
	buf[k] = '\0';
	return buf;
}

int tle_checksum(const char *line, size_t n)
{
	int sum = 0;

	for (size_t i = 0; i < n && i < TLE_LINE_LEN - 1; i++) {
		if (line[i] >= '0' && line[i] <= '9')
			sum += line[i] - '0';
		else if (line[i] == '-')
			sum += 1;
	}
	return sum % 10;
}

static bool tle_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * A decimal number in a fixed field: blanks around it, an optional sign,
 * digits with at most one point, at least one digit. The text is converted
 * with strtod (correctly rounded), as sscanf("%lf") does in twoline2rv.
 */
static bool tle_decimal(const char *p, size_t n, bool sign_ok, double *out)
{
	char buf[32];
	size_t i = 0, k = 0, digits = 0, points = 0;

	while (i < n && p[i] == ' ')
		i++;
	if (i < n && (p[i] == '-' || p[i] == '+')) {
		if (!sign_ok)
			return false;
		buf[k++] = p[i++];
	}
	for (; i < n && p[i] != ' '; i++) {
		if (tle_isdigit(p[i]))
			digits++;
		else if (p[i] == '.')
			points++;
		else
			return false;
		if (k + 1 >= sizeof(buf))
			return false;
		buf[k++] = p[i];
	}
	while (i < n && p[i] == ' ')
		i++;
	if (i != n || digits == 0 || points > 1)
		return false;
	buf[k] = '\0';
	*out = strtod(buf, NULL);
	return true;
}

/*
 * Whole number in a fixed field, right-justified: leading blanks, then
 * digits; an all-blank field is 0.
 */
static bool tle_uint(const char *p, size_t n, long *out)
{
	size_t i = 0;
	long v = 0;

	while (i < n && p[i] == ' ')
		i++;
	for (; i < n; i++) {
		if (!tle_isdigit(p[i]))
			return false;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return true;
}

/*
 * The implied-point exponent form of nddot and bstar, 8 columns:
 * " 61711-4" is 0.61711e-4, "-11084-3" is -0.11084e-3: a sign or blank,
 * five digits, the exponent's sign (or a blank for +) and one digit.
 */
static bool tle_expo(const char *p, double *out)
{
	char buf[16];
	int e;

	if (p[0] != ' ' && p[0] != '+' && p[0] != '-')
		return false;
	for (int i = 1; i <= 5; i++)
		if (!tle_isdigit(p[i]))
			return false;
	if ((p[6] != '-' && p[6] != '+' && p[6] != ' ') || !tle_isdigit(p[7]))
		return false;
	snprintf(buf, sizeof(buf), "%c.%.5s", p[0] == '-' ? '-' : '+', p + 1);
	e = p[7] - '0';
	*out = strtod(buf, NULL) * pow(10.0, p[6] == '-' ? -e : e);
	return true;
}

/* Catalogue number, 5 columns: digits (leading blanks) or Alpha-5. */
static bool tle_catnum(const char *p, long *out)
{
	static const char alpha5[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
	const char *a;
	long v;

	if (p[0] >= 'A' && p[0] <= 'Z') {
		a = strchr(alpha5, p[0]);
		if (!a)
			return false;
		for (int i = 1; i < 5; i++)
			if (!tle_isdigit(p[i]))
				return false;
		if (!tle_uint(p + 1, 4, &v))
			return false;
		*out = (10 + (a - alpha5)) * 10000L + v;
		return true;
	}
	if (!tle_uint(p, 5, &v) || p[4] == ' ')
		return false;
	*out = v;
	return true;
}

/* Vallado's days2mdhms: day of year with fraction to a civil date. */
static void tle_days2mdhms(int year, double days, int *mon, int *day, int *hr,
			   int *min, double *sec)
{
	int lmonth[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int dayofyr = (int)floor(days), i = 1, inttemp = 0;
	double temp;

	if (year % 4 == 0)
		lmonth[2] = 29;
	while (dayofyr > inttemp + lmonth[i] && i < 12) {
		inttemp += lmonth[i];
		i++;
	}
	*mon = i;
	*day = dayofyr - inttemp;
	temp = (days - dayofyr) * 24.0;
	*hr = (int)temp;
	temp = (temp - *hr) * 60.0;
	*min = (int)temp;
	*sec = (temp - *min) * 60.0;
}

/*
 * The Gregorian rule, for the Unix time. tle_days2mdhms keeps Vallado's
 * year % 4 so that the Julian date is bit for bit his; the two agree for
 * every year a TLE can name (1957 to 2056: 2000 is a leap year in both).
 */
static bool tle_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/*
 * Epoch, columns 19-32: "YYDDD.DDDDDDDD". The Julian date comes from
 * Vallado's days2mdhms and jday as in twoline2rv; the Unix time exactly
 * from the digits (8 decimals of a day are whole multiples of 864 us).
 */
static bool tle_epoch(const char *p, struct sgp4_elements *el,
		      struct tle_error *err)
{
	char q[32];
	int yy, year, mon, day, hr, min;
	double days, sec;
	long whole = 0, frac = 0, scale = 1;
	const char *d = p + 2, *end = p + 14;
	struct utc_jd jd;
	int64_t jan1;

	if (!tle_isdigit(p[0]) || !tle_isdigit(p[1]) ||
	    !tle_decimal(d, 12, false, &days))
		return tle_fail(err, 1, "line 1 epoch \"%s\" is not a date",
				tle_quote(q, sizeof(q), p, 14));
	yy = (p[0] - '0') * 10 + (p[1] - '0');
	year = yy >= 57 ? 1900 + yy : 2000 + yy;

	/* The digits again, exactly: whole days and a decimal fraction. */
	while (d < end && *d == ' ')
		d++;
	for (; d < end && tle_isdigit(*d); d++)
		whole = whole * 10 + (*d - '0');
	if (d < end && *d == '.')
		for (d++; d < end && tle_isdigit(*d); d++) {
			frac = frac * 10 + (*d - '0');
			scale *= 10;
		}
	if (whole < 1 || whole > (tle_leap(year) ? 366 : 365))
		return tle_fail(
		    err, 1,
		    "line 1 epoch \"%s\" has day %ld of %d, expected 1 to %d",
		    tle_quote(q, sizeof(q), p, 14), whole, year,
		    tle_leap(year) ? 366 : 365);

	tle_days2mdhms(year, days, &mon, &day, &hr, &min, &sec);
	jd = utc_jday(year, mon, day, hr, min, sec);
	el->epoch_jd = jd.jd;
	el->epoch_jdfrac = jd.frac;

	jan1 = (int64_t)(utc_jday(year, 1, 1, 0, 0, 0).jd - UTC_JD_UNIX_EPOCH);
	el->epoch_unix_ns = (jan1 + whole - 1) * UTC_NS_PER_DAY +
			    (int64_t)frac * (UTC_NS_PER_DAY / scale);
	return true;
}

/* A column that must be blank. */
static bool tle_blank(const char *line, unsigned which, int col,
		      struct tle_error *err)
{
	char q[8];

	if (line[col - 1] == ' ')
		return true;
	return tle_fail(err, which,
			"line %u column %d is \"%s\", expected a blank", which,
			col, tle_quote(q, sizeof(q), line + col - 1, 1));
}

/* An angle in degrees, 8 columns at col, within [0, max]. */
static bool tle_angle(const char *line, int col, const char *what, double max,
		      double *deg, struct tle_error *err)
{
	char q[16];
	const char *p = line + col - 1;

	if (!tle_decimal(p, 8, false, deg))
		return tle_fail(err, 2, "line 2 %s \"%s\" is not a number",
				what, tle_quote(q, sizeof(q), p, 8));
	if (!(*deg >= 0.0 && *deg <= max))
		return tle_fail(
		    err, 2,
		    "line 2 %s \"%s\" is out of range (0 to %g degrees)", what,
		    tle_quote(q, sizeof(q), p, 8), max);
	return true;
}

size_t tle_trim(const char *p, size_t n)
{
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
		n--;
	return n;
}

/* Line number, length and checksum of one line. */
static bool tle_line_ok(const char *p, size_t n, unsigned which, unsigned flags,
			struct tle_error *err)
{
	char q[TLE_LINE_LEN + 1];
	int sum;

	if (n == 0 || p[0] != (char)('0' + which))
		return tle_fail(
		    err, which, "line %u begins with \"%s\", expected \"%u\"",
		    which, tle_quote(q, sizeof(q), p, n ? 1 : 0), which);
	if (n < TLE_LINE_LEN)
		return tle_fail(err, which,
				"line %u is truncated after column %zu "
				"(\"%s\"), expected %d columns",
				which, n,
				tle_quote(q, sizeof(q), p + (n > 8 ? n - 8 : 0),
					  n > 8 ? 8 : n),
				TLE_LINE_LEN);
	if (n > TLE_LINE_LEN)
		return tle_fail(
		    err, which, "line %u has \"%s\" after column %d", which,
		    tle_quote(q, sizeof(q), p + TLE_LINE_LEN, n - TLE_LINE_LEN),
		    TLE_LINE_LEN);
	if (flags & TLE_F_NO_CHECKSUM)
		return true;
	sum = tle_checksum(p, n);
	if (!tle_isdigit(p[TLE_LINE_LEN - 1]))
		return tle_fail(
		    err, which,
		    "line %u checksum \"%s\" is not a digit, expected %d",
		    which, tle_quote(q, sizeof(q), p + TLE_LINE_LEN - 1, 1),
		    sum);
	if (p[TLE_LINE_LEN - 1] - '0' != sum)
		return tle_fail(err, which,
				"line %u checksum is \"%c\", expected %d",
				which, p[TLE_LINE_LEN - 1], sum);
	return true;
}

static bool tle_line1(const char *l, struct sgp4_elements *el,
		      struct tle_error *err)
{
	static const int blanks[] = {2, 9, 18, 33, 44, 53, 62, 64};
	char q[32];
	double ndot, nddot, bstar;
	long v;

	for (size_t i = 0; i < sizeof(blanks) / sizeof(blanks[0]); i++)
		if (!tle_blank(l, 1, blanks[i], err))
			return false;
	if (!tle_catnum(l + 2, &el->satnum))
		return tle_fail(
		    err, 1, "line 1 catalogue number \"%s\" is not a number",
		    tle_quote(q, sizeof(q), l + 2, 5));
	if (l[7] != 'U' && l[7] != 'C' && l[7] != 'S' && l[7] != ' ')
		return tle_fail(err, 1,
				"line 1 classification \"%s\" is not U, C or S",
				tle_quote(q, sizeof(q), l + 7, 1));
	if (!tle_epoch(l + 18, el, err))
		return false;
	if (!tle_decimal(l + 33, 10, true, &ndot))
		return tle_fail(err, 1,
				"line 1 first derivative of mean motion \"%s\" "
				"is not a number",
				tle_quote(q, sizeof(q), l + 33, 10));
	if (!tle_expo(l + 44, &nddot))
		return tle_fail(err, 1,
				"line 1 second derivative of mean motion "
				"\"%s\" is not a number",
				tle_quote(q, sizeof(q), l + 44, 8));
	if (!tle_expo(l + 53, &bstar))
		return tle_fail(err, 1, "line 1 bstar \"%s\" is not a number",
				tle_quote(q, sizeof(q), l + 53, 8));
	if (l[62] != ' ' && !tle_isdigit(l[62]))
		return tle_fail(err, 1,
				"line 1 ephemeris type \"%s\" is not a digit",
				tle_quote(q, sizeof(q), l + 62, 1));
	if (!tle_uint(l + 64, 4, &v))
		return tle_fail(
		    err, 1, "line 1 element set number \"%s\" is not a number",
		    tle_quote(q, sizeof(q), l + 64, 4));

	el->ndot = ndot / (XPDOTP * 1440.0);
	el->nddot = nddot / (XPDOTP * 1440.0 * 1440.0);
	el->bstar = bstar;
	return true;
}

/*
 * Eccentricity, columns 27-33 (p points there): seven digits after an
 * implied "0."; a sign is accepted only to say that a negative value is
 * out of range.
 */
static bool tle_ecc(const char *p, double *ecc, struct tle_error *err)
{
	char buf[16], q[16];
	int k = 0, i = 0;

	if (p[0] == '-' || p[0] == '+')
		buf[k++] = p[i++];
	buf[k++] = '0';
	buf[k++] = '.';
	for (; i < 7; i++) {
		if (!tle_isdigit(p[i]))
			return tle_fail(err, 2,
					"line 2 eccentricity \"%s\" is not a "
					"number", tle_quote(q, sizeof(q), p, 7));
		buf[k++] = p[i];
	}
	buf[k] = '\0';
	*ecc = strtod(buf, NULL);
	if (!(*ecc >= 0.0 && *ecc < 1.0))
		return tle_fail(err, 2,
				"line 2 eccentricity \"%s\" is out of range "
				"(0 <= e < 1)", tle_quote(q, sizeof(q), p, 7));
	return true;
}

static bool tle_line2(const char *l, struct sgp4_elements *el, long *satnum,
		      struct tle_error *err)
{
	static const int blanks[] = {2, 8, 17, 26, 34, 43, 52};
	char q[32];
	double incl, node, ecc = 0, argp, m, n;
	long v;

	for (size_t i = 0; i < sizeof(blanks) / sizeof(blanks[0]); i++)
		if (!tle_blank(l, 2, blanks[i], err))
			return false;
	if (!tle_catnum(l + 2, satnum))
		return tle_fail(
		    err, 2, "line 2 catalogue number \"%s\" is not a number",
		    tle_quote(q, sizeof(q), l + 2, 5));
	if (!tle_angle(l, 9, "inclination", 180.0, &incl, err) ||
	    !tle_angle(l, 18, "right ascension of the node", 360.0, &node, err))
		return false;

	if (!tle_ecc(l + 26, &ecc, err))
		return false;
	if (!tle_angle(l, 35, "argument of perigee", 360.0, &argp, err) ||
	    !tle_angle(l, 44, "mean anomaly", 360.0, &m, err))
		return false;
	if (!tle_decimal(l + 52, 11, false, &n))
		return tle_fail(err, 2,
				"line 2 mean motion \"%s\" is not a number",
				tle_quote(q, sizeof(q), l + 52, 11));
	if (!(n > 0.0))
		return tle_fail(err, 2,
				"line 2 mean motion \"%s\" is out of range "
				"(revolutions per day > 0)",
				tle_quote(q, sizeof(q), l + 52, 11));
	if (!tle_uint(l + 63, 5, &v))
		return tle_fail(
		    err, 2, "line 2 revolution number \"%s\" is not a number",
		    tle_quote(q, sizeof(q), l + 63, 5));

	el->inclo = incl * TOPO_DEG;
	el->nodeo = node * TOPO_DEG;
	el->ecco = ecc;
	el->argpo = argp * TOPO_DEG;
	el->mo = m * TOPO_DEG;
	el->no_kozai = n / XPDOTP;
	return true;
}

bool tle_parse_lines(const char *l1, size_t n1, const char *l2, size_t n2,
		     unsigned flags, struct sgp4_elements *el,
		     struct tle_error *err)
{
	struct sgp4_elements e = {0};
	char q1[8], q2[8];
	long satnum2;

	n1 = tle_trim(l1, n1);
	n2 = tle_trim(l2, n2);
	if (!tle_line_ok(l1, n1, 1, flags, err) ||
	    !tle_line_ok(l2, n2, 2, flags, err))
		return false;
	if (!tle_line1(l1, &e, err) || !tle_line2(l2, &e, &satnum2, err))
		return false;
	if (satnum2 != e.satnum)
		return tle_fail(err, 2,
				"line 2 catalogue number \"%s\" does not match "
				"line 1's \"%s\"",
				tle_quote(q2, sizeof(q2), l2 + 2, 5),
				tle_quote(q1, sizeof(q1), l1 + 2, 5));
	*el = e;
	return true;
}
