/* SPDX-License-Identifier: MIT */
/* utc.h - time as int64 nanoseconds since 1970-01-01T00:00:00Z, and conversions */
#ifndef TOPO_UTC_H
#define TOPO_UTC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * All of lasermesh measures absolute time as int64 nanoseconds since the Unix
 * epoch, UTC, without leap seconds (UT1 - UTC, under 1 s, is ignored: it moves
 * a ground station by under 0.5 km). Times relative to the emulation epoch are
 * int64 nanoseconds too.
 */
#define UTC_NS_PER_S INT64_C(1000000000)
#define UTC_NS_PER_DAY (INT64_C(86400) * UTC_NS_PER_S)
#define UTC_JD_UNIX_EPOCH 2440587.5	/* Julian date of 1970-01-01T00:00Z */

/* Julian date split into a whole part and a fraction for precision. */
struct utc_jd {
	double jd;	/* whole days (ends in .5, as Vallado's jday) */
	double frac;	/* fraction of a day, 0 <= frac < 1 */
};

struct utc_jd utc_to_jd(int64_t unix_ns);
int64_t utc_from_jd(struct utc_jd jd);
/* Civil date to Julian date, as Vallado's jday(). */
struct utc_jd utc_jday(int year, int mon, int day, int hr, int min, double sec);

/*
 * The times lasermesh represents: every int64 ns, 1677-09-21T00:12:43.145Z
 * to 2262-04-11T23:47:16.854Z. In whole seconds, as errors quote it:
 */
#define UTC_RANGE_TEXT "1677-09-21T00:12:44Z to 2262-04-11T23:47:16Z"

/*
 * Parse an ISO-8601 UTC time: YYYY-MM-DDTHH:MM:SS[.frac](Z|+00:00), also with a
 * space for T, or a bare date YYYY-MM-DD. Returns false on anything else
 * (trailing junk, out-of-range fields, another zone) and on a time outside
 * the range above; *why (if why is not NULL) then says which, written to
 * follow the quoted value.
 */
bool utc_parse(const char *s, int64_t *unix_ns, const char **why);
/* The same without the reason. */
bool utc_parse_iso8601(const char *s, int64_t *unix_ns);
/* Format as YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ (digits: 0, 3, 6 or 9). */
void utc_format_iso8601(int64_t unix_ns, int digits, char *buf, size_t len);

#endif
