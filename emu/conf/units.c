// SPDX-License-Identifier: MIT
/* units.c - strict parsers for lengths, times, rates, queues, angles, loss */
#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emu/conf/units.h"

/*
 * The spellings follow iproute2's tc (lib/utils.c get_time, tc/tc_util.c
 * get_rate64 and get_size, tc/q_netem.c for loss), because that is what
 * users of netem already type. Unlike tc, a unit is required where a bare
 * number would be ambiguous, and nothing outside the grammar is accepted.
 */

struct units_suffix {
	const char *name;
	double scale;
};

static const struct units_suffix units_length[] = {
	{ "m", 1e-3 },
	{ "km", 1.0 },
	{ NULL, 0 },
};

static const struct units_suffix units_time[] = {
	{ "ns", 1.0 },	  { "nsec", 1.0 },   { "nsecs", 1.0 },
	{ "us", 1e3 },	  { "usec", 1e3 },   { "usecs", 1e3 },
	{ "ms", 1e6 },	  { "msec", 1e6 },   { "msecs", 1e6 },
	{ "s", 1e9 },	  { "sec", 1e9 },    { "secs", 1e9 },
	{ "min", 60e9 },  { "h", 3600e9 },   { NULL, 0 },
};

/* tc's table: "bps" and friends are BYTES per second. */
static const struct units_suffix units_rate[] = {
	{ "bit", 1.0 },
	{ "kibit", 1024.0 },
	{ "kbit", 1e3 },
	{ "mibit", 1024.0 * 1024 },
	{ "mbit", 1e6 },
	{ "gibit", 1024.0 * 1024 * 1024 },
	{ "gbit", 1e9 },
	{ "tibit", 1024.0 * 1024 * 1024 * 1024 },
	{ "tbit", 1e12 },
	{ "bps", 8.0 },
	{ "kibps", 8.0 * 1024 },
	{ "kbps", 8e3 },
	{ "mibps", 8.0 * 1024 * 1024 },
	{ "mbps", 8e6 },
	{ "gibps", 8.0 * 1024 * 1024 * 1024 },
	{ "gbps", 8e9 },
	{ "tibps", 8.0 * 1024 * 1024 * 1024 * 1024 },
	{ "tbps", 8e12 },
	{ NULL, 0 },
};

/* Queue sizes in bytes, with tc's 1024 multiples. */
static const struct units_suffix units_bytes[] = {
	{ "b", 1.0 },
	{ "kb", 1024.0 },
	{ "mb", 1024.0 * 1024 },
	{ "gb", 1024.0 * 1024 * 1024 },
	{ NULL, 0 },
};

/* 2^63 and 2^64 as doubles: the first values that do not fit. */
#define UNITS_I64_LIMIT 9223372036854775808.0
#define UNITS_U64_LIMIT 18446744073709551616.0

enum units_num {
	UNITS_NUM_OK,
	UNITS_NUM_NONE,		/* no digits where a number should be */
	UNITS_NUM_LONG,		/* longer than any sane number */
};

/*
 * Scan a plain decimal at s: [-]digits[.digits] or [-].digits. *v gets the
 * magnitude (never negative), *neg whether a minus sign came first (so that
 * callers can say "is negative" instead of "is not a number"), *end the
 * first character after the number.
 */
static enum units_num units_number(const char *s, double *v, bool *neg,
				   const char **end)
{
	const char *p = s, *digits;
	size_t n = 0;
	char buf[64];

	*neg = false;
	if (*p == '-') {
		*neg = true;
		p++;
	}
	digits = p;
	while (isdigit((unsigned char)*p)) {
		p++;
		n++;
	}
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p)) {
			p++;
			n++;
		}
	}
	if (n == 0)
		return UNITS_NUM_NONE;
	if ((size_t)(p - digits) >= sizeof(buf))
		return UNITS_NUM_LONG;
	memcpy(buf, digits, (size_t)(p - digits));
	buf[p - digits] = '\0';
	/* At most 63 digits: always finite, never ERANGE upwards. */
	*v = strtod(buf, NULL);
	*end = p;
	return UNITS_NUM_OK;
}

static const struct units_suffix *units_find(const struct units_suffix *t,
					     const char *name)
{
	for (; t->name; t++)
		if (!strcasecmp(t->name, name))
			return t;
	return NULL;
}

static bool units_fail(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return false;
}

/*
 * What every parser does first: reject empty text, read the leading
 * number (bad is the reason when there is none), refuse too many digits.
 * *end is left at the unit.
 */
static bool units_lead(const char *s, const char *bad, double *v, bool *neg,
		       const char **end, const char **why)
{
	if (!*s)
		return units_fail(why, "is empty");
	switch (units_number(s, v, neg, end)) {
	case UNITS_NUM_NONE:
		return units_fail(why, bad);
	case UNITS_NUM_LONG:
		return units_fail(why, "has too many digits");
	case UNITS_NUM_OK:
		break;
	}
	return true;
}

/*
 * The common shape of a number followed by a unit from table. bad is the
 * reason for anything that is not number+unit; a missing unit is allowed
 * only for an exact zero (when zero_ok) and reported with nounit otherwise.
 */
static bool units_scaled(const char *s, const struct units_suffix *table,
			 bool zero_ok, const char *bad, const char *nounit,
			 double *out, const char **why)
{
	const struct units_suffix *u;
	const char *end;
	double v;
	bool neg;

	if (!units_lead(s, bad, &v, &neg, &end, why))
		return false;
	if (!*end) {
		if (zero_ok && v == 0 && !neg) {
			*out = 0;
			return true;
		}
		return units_fail(why, neg ? "is negative" : nounit);
	}
	u = units_find(table, end);
	if (!u)
		return units_fail(why, bad);
	if (neg)
		return units_fail(why, "is negative");
	*out = v * u->scale;
	return true;
}

bool units_parse_length(const char *s, double *km, const char **why)
{
	double v;

	if (!units_scaled(s, units_length, true,
			  "is not a length (use m or km)",
			  "has no unit (use m or km)", &v, why))
		return false;
	if (!isfinite(v))
		return units_fail(why, "is too large");
	*km = v;
	return true;
}

bool units_parse_time(const char *s, int64_t *ns, const char **why)
{
	double v;

	if (!units_scaled(s, units_time, true,
			  "is not a time (use ns, us, ms, s, min or h)",
			  "has no unit (use ns, us, ms, s, min or h)", &v, why))
		return false;
	v = round(v);
	if (!(v < UNITS_I64_LIMIT))
		return units_fail(why, "is too large");
	*ns = (int64_t)v;
	return true;
}

bool units_parse_rate(const char *s, uint64_t *bps, const char **why)
{
	double v;

	if (!strcasecmp(s, "unlimited")) {
		*bps = 0;
		return true;
	}
	if (!units_scaled(s, units_rate, false,
			  "is not a rate (use bit, kbit, mbit, gbit or "
			  "unlimited; bps, mbps are bytes/s)",
			  "has no unit (use bit, kbit, mbit or gbit)", &v, why))
		return false;
	if (v == 0)
		return units_fail(why, "must be positive (or unlimited)");
	v = round(v);
	if (v < 1)
		return units_fail(why, "is below 1bit");
	if (!(v < UNITS_U64_LIMIT))
		return units_fail(why, "is too large");
	*bps = (uint64_t)v;
	return true;
}

bool units_parse_qlimit(const char *s, enum linkparams_qlimit *kind,
			uint64_t *limit, const char **why)
{
	static const char bad[] =
		"is not a queue limit (use packets as 1000 or 1000p, "
		"bytes as 64kb, or a time as 10ms)";
	const struct units_suffix *u;
	const char *end;
	double v;
	bool neg;

	if (!units_lead(s, bad, &v, &neg, &end, why))
		return false;
	if (!*end || !strcasecmp(end, "p")) {
		uint64_t n = 0;

		if (neg)
			return units_fail(why, "is negative");
		/* Packets are whole: scan the digits again as an integer. */
		for (const char *p = s; p < end; p++) {
			if (*p == '.')
				return units_fail(why, "is not a whole number "
						       "of packets");
			if (n > (UINT64_MAX - 9) / 10)
				return units_fail(why, "is too large");
			n = n * 10 + (uint64_t)(*p - '0');
		}
		if (n == 0)
			return units_fail(why, "must be positive");
		*kind = LINKPARAMS_Q_PACKETS;
		*limit = n;
		return true;
	}
	if ((u = units_find(units_bytes, end)))
		*kind = LINKPARAMS_Q_BYTES;
	else if ((u = units_find(units_time, end)))
		*kind = LINKPARAMS_Q_TIME;
	else
		return units_fail(why, bad);
	if (neg)
		return units_fail(why, "is negative");
	v = round(v * u->scale);
	if (v < 1)
		return units_fail(why, "must be positive");
	if (!(v < UNITS_U64_LIMIT) ||
	    (*kind == LINKPARAMS_Q_TIME && !(v < UNITS_I64_LIMIT)))
		return units_fail(why, "is too large");
	*limit = (uint64_t)v;
	return true;
}

bool units_parse_angle(const char *s, double *deg, const char **why)
{
	static const char bad[] =
		"is not an angle (degrees, as 53 or 53deg)";
	const char *end;
	double v;
	bool neg;

	if (!units_lead(s, bad, &v, &neg, &end, why))
		return false;
	if (*end && strcasecmp(end, "deg") && strcasecmp(end, "degrees") &&
	    strcmp(end, "\xc2\xb0"))
		return units_fail(why, bad);
	*deg = neg ? -v : v;
	return true;
}

bool units_parse_percent(const char *s, double *prob, const char **why)
{
	static const char bad[] = "is not a percentage (as 5% or 0.1%)";
	const char *end;
	double v;
	bool neg;

	if (!units_lead(s, bad, &v, &neg, &end, why))
		return false;
	if (strcmp(end, "%"))
		return units_fail(why, bad);
	if (neg)
		return units_fail(why, "is negative");
	if (v > 100)
		return units_fail(why, "is over 100%");
	*prob = v / 100;
	return true;
}

bool units_parse_bool(const char *s, bool *v, const char **why)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	if (!*s)
		return units_fail(why, "is empty");
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcasecmp(s, yes[i])) {
			*v = true;
			return true;
		}
		if (!strcasecmp(s, no[i])) {
			*v = false;
			return true;
		}
	}
	return units_fail(why, "is not a boolean (use yes or no)");
}

bool units_parse_u64(const char *s, uint64_t *v, const char **why)
{
	uint64_t n = 0;
	const char *p = s;

	if (!*s)
		return units_fail(why, "is empty");
	if (*p == '-' && isdigit((unsigned char)p[1]))
		return units_fail(why, "is negative");
	for (; *p; p++) {
		unsigned d;

		if (!isdigit((unsigned char)*p))
			return units_fail(why, "is not a whole number");
		d = (unsigned)(*p - '0');
		if (n > (UINT64_MAX - d) / 10)
			return units_fail(why, "is too large");
		n = n * 10 + d;
	}
	*v = n;
	return true;
}

bool units_parse_real(const char *s, double *v, const char **why)
{
	const char *end;
	double x;
	bool neg;

	if (!units_lead(s, "is not a number", &x, &neg, &end, why))
		return false;
	if (*end)
		return units_fail(why, "is not a number");
	if (neg)
		return units_fail(why, "is negative");
	*v = x;
	return true;
}

/* parse(s) with a leading '-' allowed: the result negated. */
static bool units_signed(const char *s, bool (*parse)(const char *, double *,
						       const char **),
			 double *v, const char **why)
{
	bool neg = s[0] == '-';
	double x;

	if (!parse(s + neg, &x, why))
		return false;
	*v = neg ? -x : x;
	return true;
}

bool units_parse_signed_length(const char *s, double *km, const char **why)
{
	return units_signed(s, units_parse_length, km, why);
}

bool units_parse_signed_real(const char *s, double *v, const char **why)
{
	return units_signed(s, units_parse_real, v, why);
}

bool units_parse_time_arg(const char *s, int64_t *ns, const char **why)
{
	const char *end;
	double v;
	bool neg;

	if (!units_lead(s, "is not a time (use ns, us, ms, s, min or h)", &v,
			&neg, &end, why))
		return false;
	if (*end)
		return units_parse_time(s, ns, why);
	if (neg)
		return units_fail(why, "is negative");
	v = round(v * 1e9);
	if (!(v < UNITS_I64_LIMIT))
		return units_fail(why, "is too large");
	*ns = (int64_t)v;
	return true;
}

#define UNITS_LOSS_WORDS 6
#define UNITS_WORD_MAX 32

/*
 * Split s at white space into at most max words of UNITS_WORD_MAX - 1
 * characters (longer words are cut, and then fail their own parser).
 * Returns the number of words found, which may exceed max.
 */
static size_t units_words(const char *s, char w[][UNITS_WORD_MAX], size_t max)
{
	size_t n = 0;

	for (;;) {
		size_t len = 0;

		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			return n;
		while (*s && !isspace((unsigned char)*s)) {
			if (n < max && len < UNITS_WORD_MAX - 1)
				w[n][len++] = *s;
			s++;
		}
		if (n < max)
			w[n][len] = '\0';
		n++;
	}
}

bool units_parse_loss(const char *s, struct linkparams_lossmodel *loss,
		      const char **why)
{
	static const char badpct[] =
		"has a value that is not a percentage from 0% to 100%";
	char w[UNITS_LOSS_WORDS][UNITS_WORD_MAX];
	struct linkparams_lossmodel m = { .kind = LINKPARAMS_LOSS_RANDOM };
	double pct[4];
	size_t n = units_words(s, w, UNITS_LOSS_WORDS);

	if (n == 0)
		return units_fail(why, "is empty");
	if (n == 1 && !strcasecmp(w[0], "none")) {
		m.kind = LINKPARAMS_LOSS_NONE;
	} else if (!strcasecmp(w[0], "random")) {
		if (n < 2)
			return units_fail(why, "needs a percentage after "
					       "random (random 5%)");
		if (n > 2)
			return units_fail(why, "takes one percentage after "
					       "random (loss correlation is "
					       "not supported)");
		if (!units_parse_percent(w[1], &m.p, NULL))
			return units_fail(why, badpct);
	} else if (!strcasecmp(w[0], "gemodel") ||
		   !strcasecmp(w[0], "gmodel")) {
		if (n < 2 || n > 5)
			return units_fail(why, "needs 1 to 4 percentages after "
					       "gemodel (gemodel P [R [1-H "
					       "[1-K]]])");
		for (size_t i = 1; i < n; i++)
			if (!units_parse_percent(w[i], &pct[i - 1], NULL))
				return units_fail(why, badpct);
		/* netem's defaults (q_netem.c, get_loss_gemodel). */
		m.kind = LINKPARAMS_LOSS_GEMODEL;
		m.p = pct[0];
		m.r = n > 2 ? pct[1] : 1 - m.p;
		m.h1 = n > 3 ? pct[2] : 1;
		m.k1 = n > 4 ? pct[3] : 0;
	} else if (n == 1 && (isdigit((unsigned char)w[0][0]) ||
			      w[0][0] == '.' || w[0][0] == '-')) {
		if (!units_parse_percent(w[0], &m.p, why))
			return false;
	} else {
		return units_fail(why, "is not a loss model (use none, 5%, "
				       "random 5% or gemodel P [R [1-H "
				       "[1-K]]])");
	}
	if (m.kind == LINKPARAMS_LOSS_RANDOM && m.p == 0)
		m.kind = LINKPARAMS_LOSS_NONE;
	*loss = m;
	return true;
}
