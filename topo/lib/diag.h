/* SPDX-License-Identifier: MIT */
/* diag.h - a list of diagnostics ("file:line: key "value" why") to report all at once */
#ifndef TOPO_DIAG_H
#define TOPO_DIAG_H

#include <stddef.h>

/*
 * Readers (configuration, TLE files, CSV files) do not stop at the first
 * error: they add one message per problem here and the caller prints them
 * all. Messages are already formatted as `file:line: what "value" why`.
 *
 * Each message has a kind (kind[i]). Control characters in a message (a
 * quoted value may hold an escape sequence that would clear a terminal)
 * are stored escaped as \xNN. At most DIAG_KEEP messages of each kind are
 * kept; the rest are only counted (errors, warnings stay exact), and
 * diag_unlisted() says how many were left out, so that 100 MB of junk
 * gives a hundred lines and a count, not millions of lines.
 *
 * Every function accepts d == NULL (and then records nothing).
 */
enum diag_kind {
	DIAG_ERROR,
	DIAG_WARNING,
};

#define DIAG_KEEP 100

struct diag {
	char **msg;
	enum diag_kind *kind;	/* of msg[i] */
	size_t n, cap;
	size_t warnings;	/* how many warnings were added, kept or not */
	size_t errors;
	size_t kept[2];		/* messages kept, by kind */
};

void diag_init(struct diag *d);
void diag_free(struct diag *d);
/* Add an error: file and line (line 0 = no line) then a printf message. */
void diag_error(struct diag *d, const char *file, unsigned line,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Add a warning: reported but does not make the input invalid. */
void diag_warn(struct diag *d, const char *file, unsigned line,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Count n more messages of kind that are not listed (summarised only). */
void diag_count(struct diag *d, enum diag_kind kind, size_t n);
/* How many messages of kind were counted but not kept. */
size_t diag_unlisted(const struct diag *d, enum diag_kind kind);
/*
 * Write every message, one per line, to f (a FILE *), then a line such as
 * "... and 12 more warnings" for each kind that was not listed whole.
 */
void diag_print(const struct diag *d, void *f);
/* "error"/"errors", "warning"/"warnings": the word for n of kind. */
const char *diag_noun(enum diag_kind kind, size_t n);

#endif
