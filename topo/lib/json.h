/* SPDX-License-Identifier: MIT */
/* json.h - the one JSON string writer: quoting and escaping for the log, ctl and status */
#ifndef TOPO_LIB_JSON_H
#define TOPO_LIB_JSON_H

#include <stddef.h>
#include <stdio.h>

/*
 * lasermesh writes JSON (the event log, `ctl` replies) but never reads it,
 * and its values are numbers and short strings: a writer of one string is
 * all it needs, not a JSON library. Strings are written as RFC 8259 says:
 * quote, reverse solidus and control characters escaped (\n, \t, \uXXXX),
 * bytes of 0x80 and above passed through (names are ASCII; anything else
 * is the caller's UTF-8).
 */

/* Write s as a JSON string, with its quotes, to f. */
void json_str(FILE *f, const char *s);

/*
 * The same into buf (always NUL-terminated when len > 0). Returns the
 * length the whole string needs, as snprintf does.
 */
size_t json_str_buf(char *buf, size_t len, const char *s);

#endif
