/* SPDX-License-Identifier: MIT */
/* lines.h - the one line reader: split a text in memory into numbered lines */
#ifndef TOPO_LIB_LINES_H
#define TOPO_LIB_LINES_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Every reader of a text format (the configuration, its side files, TLE
 * files, lasermesh's own mark and run files) walks its text with this, so
 * that line numbers, CR LF endings and a UTF-8 byte-order mark are handled
 * once. A line has no length limit. The text is not changed; a line is a
 * pointer and a length, not NUL-terminated. Comments are each format's own
 * grammar: lines_cut_comment() gives the two the project uses.
 */
struct lines {
	const char *text;
	size_t len, pos;
	unsigned no;		/* number of the next line, from 1 */
};

struct line {
	const char *s;
	size_t n;		/* without the '\n' and a '\r' before it */
	unsigned no;		/* from 1 */
};

/* Start at the beginning of text (len bytes); a leading BOM is skipped. */
void lines_init(struct lines *l, const char *text, size_t len);
/* The next line without moving on; false at the end. */
bool lines_peek(const struct lines *l, struct line *out);
/* The next line, moving on; false at the end. */
bool lines_next(struct lines *l, struct line *out);

/* Remove white space (isspace) at both ends of a line. */
void lines_trim(struct line *ln);

enum lines_comment {
	LINES_HASH_ANYWHERE,	/* '#' starts a comment anywhere */
	LINES_HASH_AFTER_SPACE,	/* '#' or ';' at the start or after white space */
};

/* Cut a comment off the line by the given grammar (then trim it). */
void lines_cut_comment(struct line *ln, enum lines_comment kind);

/* True if the line holds a NUL byte (text files never should). */
bool lines_has_nul(const struct line *ln);

#endif
