/* SPDX-License-Identifier: MIT */
/* units.h - strict parsers for configuration values, in netem's units */
#ifndef EMU_UNITS_H
#define EMU_UNITS_H

#include <stdbool.h>
#include <stdint.h>

#include "emu/plane/linkparams.h"

/*
 * One parser per unit. Each takes the whole text of one value (already
 * trimmed: no white space is skipped), returns true and stores the result,
 * or returns false, leaves the output untouched and, if why is not NULL,
 * points *why at a short static reason written to follow the quoted value:
 *
 *	altitude "55Okm" is not a length (use m or km)
 *
 * Every parser rejects empty text, trailing junk, numbers too large for the
 * result, and (except angles) negative values. Numbers are plain decimals
 * (digits with an optional fraction): no exponent, hex, inf or nan. Unit
 * names are matched without regard to case, as tc(8) does.
 */

/* Length: "550km", "80000m", "1.5km"; the unit is required (bare "0" is
 * allowed). Result in km. */
bool units_parse_length(const char *s, double *km, const char **why);

/*
 * Time: ns, us, ms, s, min, h, with tc's long forms (nsec, nsecs, usec,
 * usecs, msec, msecs, sec, secs); "10ms", "1.5s". The unit is required (bare
 * "0" is allowed). Rounded to whole nanoseconds.
 */
bool units_parse_time(const char *s, int64_t *ns, const char **why);

/*
 * Rate as tc writes it: bit, kbit, mbit, gbit, tbit (SI, bits per second),
 * kibit, mibit, gibit, tibit (binary), and bps, kbps, mbps, gbps, tbps,
 * kibps, mibps, gibps, tibps (BYTES per second, times 8, as tc does).
 * "unlimited" gives 0. A rate must be at least 1 bit/s.
 */
bool units_parse_rate(const char *s, uint64_t *bps, const char **why);

/*
 * Queue limit: packets ("1000" or "1000p"), bytes with tc's 1024 multiples
 * ("500b", "64kb", "1mb", "1gb"), or a time ("10ms"). Must be positive.
 */
bool units_parse_qlimit(const char *s, enum linkparams_qlimit *kind,
			uint64_t *limit, const char **why);

/* Angle in degrees: a bare number or one with "deg" or "degrees"; may be
 * negative (ranges are the caller's). */
bool units_parse_angle(const char *s, double *deg, const char **why);

/* Percentage "5%", "0.1%", 0% to 100%, as a probability 0 to 1. */
bool units_parse_percent(const char *s, double *prob, const char **why);

/* yes/no, true/false, on/off, 1/0. */
bool units_parse_bool(const char *s, bool *v, const char **why);

/* Unsigned decimal integer up to UINT64_MAX. */
bool units_parse_u64(const char *s, uint64_t *v, const char **why);

/* Non-negative plain decimal number ("1", "0.5", "10.25"). */
bool units_parse_real(const char *s, double *v, const char **why);

/*
 * The same two with a leading '-' allowed (a ground station may sit below
 * the ellipsoid): "-0.5km", "-30".
 */
bool units_parse_signed_length(const char *s, double *km, const char **why);
bool units_parse_signed_real(const char *s, double *v, const char **why);

/*
 * A time given on the command line (-d, --at, --step, ...). The one rule
 * for bare numbers: in the configuration file a time needs its unit (bare
 * "0" only), because a file is read long after it was written and "step =
 * 100" could mean anything; on the command line a bare number is seconds,
 * as for sleep(1) and timeout(1): "-d 8" is 8 s, "--at 90" is 90 s, "1.5"
 * is 1.5 s. With a unit it is units_parse_time().
 */
bool units_parse_time_arg(const char *s, int64_t *ns, const char **why);

/*
 * Loss model with netem's words: "none", "5%" or "random 5%" (Bernoulli),
 * "gemodel P [R [1-H [1-K]]]" (Gilbert-Elliott, each a percentage; netem's
 * defaults R = 100% - P, 1-H = 100%, 1-K = 0%). A loss of 0% is "none".
 */
bool units_parse_loss(const char *s, struct linkparams_lossmodel *loss,
		      const char **why);

#endif
