// SPDX-License-Identifier: MIT
/* test_diag.c - collected diagnostics: kinds, escaping, the cap, NULL */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "topo/lib/diag.h"

Test(diag, kinds_are_stored)
{
	struct diag d;

	diag_init(&d);
	diag_error(&d, "f", 3, "bad \"%s\"", "x");
	diag_warn(&d, "f", 0, "odd");
	diag_warn(&d, NULL, 0, "plain");
	cr_assert_eq(d.n, 3);
	cr_assert_eq(d.errors, 1);
	cr_assert_eq(d.warnings, 2);
	cr_assert_eq(d.kind[0], DIAG_ERROR);
	cr_assert_eq(d.kind[1], DIAG_WARNING);
	cr_assert_str_eq(d.msg[0], "f:3: bad \"x\"");
	cr_assert_str_eq(d.msg[1], "f: warning: odd");
	cr_assert_str_eq(d.msg[2], "warning: plain");
	diag_free(&d);
}

/* Control characters never reach a terminal raw. */
Test(diag, control_characters_escaped)
{
	struct diag d;

	diag_init(&d);
	diag_error(&d, "f", 1, "v \"%s\"", "\x1b]0;pwned\x07\r\n\x7f ok");
	cr_assert_str_eq(d.msg[0], "f:1: v \"\\x1b]0;pwned\\x07\\x0d\\x0a"
				   "\\x7f ok\"");
	diag_free(&d);
}

/*
 * Only DIAG_KEEP messages of each kind are kept; the counts stay exact and
 * the printout ends with a summary line per kind.
 */
Test(diag, warnings_are_capped_and_summarised)
{
	char *out = NULL;
	size_t outlen = 0, lines = 0;
	struct diag d;
	FILE *f;

	diag_init(&d);
	for (int i = 0; i < 5000; i++)
		diag_warn(&d, "junk", (unsigned)i + 1, "junk line");
	for (int i = 0; i < 150; i++)
		diag_error(&d, "junk", (unsigned)i + 1, "bad line");
	diag_count(&d, DIAG_WARNING, 10);
	cr_assert_eq(d.warnings, 5010);
	cr_assert_eq(d.errors, 150);
	cr_assert_eq(d.n, 2 * DIAG_KEEP);
	cr_assert_eq(diag_unlisted(&d, DIAG_WARNING), 5010 - DIAG_KEEP);
	cr_assert_eq(diag_unlisted(&d, DIAG_ERROR), 150 - DIAG_KEEP);
	f = open_memstream(&out, &outlen);
	cr_assert_not_null(f);
	diag_print(&d, f);
	fclose(f);
	for (char *p = out; *p; p++)
		lines += *p == '\n';
	cr_assert_eq(lines, 2 * DIAG_KEEP + 2);
	cr_assert_not_null(strstr(out, "... and 4910 more warnings\n"));
	cr_assert_not_null(strstr(out, "... and 50 more errors\n"));
	free(out);
	diag_free(&d);
}

Test(diag, null_is_accepted)
{
	diag_init(NULL);
	diag_error(NULL, "f", 1, "x");
	diag_warn(NULL, "f", 1, "x");
	diag_count(NULL, DIAG_ERROR, 1);
	cr_assert_eq(diag_unlisted(NULL, DIAG_ERROR), 0);
	diag_print(NULL, stderr);
	diag_free(NULL);
}

Test(diag, nouns)
{
	cr_assert_str_eq(diag_noun(DIAG_WARNING, 1), "warning");
	cr_assert_str_eq(diag_noun(DIAG_WARNING, 0), "warnings");
	cr_assert_str_eq(diag_noun(DIAG_ERROR, 1), "error");
	cr_assert_str_eq(diag_noun(DIAG_ERROR, 2), "errors");
}
