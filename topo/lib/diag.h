/* SPDX-License-Identifier: MIT */
/* diag.h - a list of diagnostics ("file:line: key "value" why") to report all at once */
#ifndef TOPO_DIAG_H
#define TOPO_DIAG_H

#include <stddef.h>

/*
 * Readers (configuration, TLE files, CSV files) do not stop at the first
 * error: they add one message per problem here and the caller prints them
 * all. Messages are already formatted as `file:line: what "value" why`.
 */
struct diag {
	char **msg;
	size_t n, cap;
	size_t warnings;	/* how many of msg are warnings, not errors */
	size_t errors;
};

void diag_init(struct diag *d);
void diag_free(struct diag *d);
/* Add an error: file and line (line 0 = no line) then a printf message. */
void diag_error(struct diag *d, const char *file, unsigned line,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Add a warning: reported but does not make the input invalid. */
void diag_warn(struct diag *d, const char *file, unsigned line,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Write every message, one per line, to f (a FILE *). */
void diag_print(const struct diag *d, void *f);

#endif
