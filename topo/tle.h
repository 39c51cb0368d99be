/* SPDX-License-Identifier: MIT */
/* tle.h - read two- and three-line element sets into SGP4 mean elements */
#ifndef TOPO_TLE_H
#define TOPO_TLE_H

#include <stdbool.h>
#include <stddef.h>

#include "topo/lib/diag.h"
#include "topo/sgp4.h"

/* Columns of a TLE data line, the checksum being the last. */
#define TLE_LINE_LEN 69
/* Room for a name line (CelesTrak's are 24 columns), with the NUL. */
#define TLE_NAME_MAX 64

struct tle_entry {
	char name[TLE_NAME_MAX];	/* "" when the set has no name line */
	struct sgp4_elements el;
	unsigned line;			/* line number of line 1 in the file */
};

/* A growing array of element sets; zero-initialise before first use. */
struct tle_set {
	struct tle_entry *v;
	size_t n, cap;
};

enum {
	/* Do not check the checksums (column 69). */
	TLE_F_NO_CHECKSUM = 1U << 0,
};

/* Why two lines are not an element set. */
struct tle_error {
	unsigned which;		/* the line at fault: 1 or 2 */
	char msg[192];		/* e.g. line 2 checksum is "7", expected 3 */
};

/*
 * Parse one element set from line 1 (l1, n1 bytes) and line 2 (l2, n2
 * bytes), without line terminators; trailing blanks are ignored. Checks the
 * line numbers, the column layout, the syntax of every field, the checksums
 * (unless TLE_F_NO_CHECKSUM), the value ranges (0 <= e < 1, inclination 0 to
 * 180 degrees, node, perigee and mean anomaly 0 to 360 degrees, mean motion
 * > 0, epoch day within its year) and that both lines name the same object.
 * Two-digit epoch years 57-99 are 19xx, 00-56 20xx. Catalogue numbers may
 * use the Alpha-5 form (A0000 = 100000). Returns true and fills el, or false
 * with the first problem in err.
 */
bool tle_parse_lines(const char *l1, size_t n1, const char *l2, size_t n2,
		     unsigned flags, struct sgp4_elements *el,
		     struct tle_error *err);

/*
 * Parse a whole file's text (len bytes, need not be NUL-terminated): element
 * sets of two lines or of three (a name line first), in any mix, LF or CRLF,
 * blank lines between sets allowed. A line is a data line when it begins
 * with a digit 1-9 and a blank; any other non-blank line is a name line (a
 * leading "0 ", as Space-Track writes, is dropped; trailing blanks too).
 * Good sets are appended to out. Each bad set adds one error to d (which may
 * be NULL), as `filename:LINE: why "value"`, and is skipped; a text without
 * any element set adds "filename: no element sets". Returns 0, or -ENOMEM
 * (out then holds the sets read so far).
 */
int tle_parse(const char *text, size_t len, const char *filename,
	      struct tle_set *out, struct diag *d);

/* Free the array of s (s itself is the caller's); accepts NULL. */
void tle_set_free(struct tle_set *s);

/*
 * The mod-10 checksum of the first 68 columns of a line (or of its n
 * bytes, if fewer): the sum of the digits, each '-' counting 1.
 */
int tle_checksum(const char *line, size_t n);

/* Line length without trailing blanks (and a stray CR). */
size_t tle_trim(const char *p, size_t n);

/* Copy n bytes into buf for quoting, blanks trimmed, unprintable as '?'. */
const char *tle_quote(char *buf, size_t size, const char *p, size_t n);

#endif
