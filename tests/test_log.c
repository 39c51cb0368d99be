// SPDX-License-Identifier: MIT
/* test_log.c - diagnostics name the command; errors, warnings and notes are kinds */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include "emu/run/log.h"

static void redirect(void)
{
	cr_redirect_stderr();
}

TestSuite(log, .init = redirect);

Test(log, prefix_before_and_after_init)
{
	cr_assert_str_eq(log_prefix(), "lasermesh");
	log_err(0, "unknown command \"%s\"", "x");
	log_init("wrap");
	cr_assert_str_eq(log_prefix(), "lasermesh wrap");
	log_err(0, "needs root");
	log_init(NULL);
	cr_assert_str_eq(log_prefix(), "lasermesh");
	fflush(stderr);
	cr_assert_stderr_eq_str("lasermesh: unknown command \"x\"\n"
				"lasermesh wrap: needs root\n");
}

Test(log, kinds_and_reasons)
{
	log_init("run");
	log_err(-ENOSPC, "capture \"%s\"", "c/a.pcap");
	log_err(0, "no node is tapped");
	log_warn(-EPERM, "no real-time priority");
	log_warnx("%d satellites left out", 3);
	log_info("stopped by %s", "Interrupt");
	fflush(stderr);
	cr_assert_stderr_eq_str(
		"lasermesh run: capture \"c/a.pcap\": No space left on device\n"
		"lasermesh run: no node is tapped\n"
		"lasermesh run: warning: no real-time priority: Operation not "
		"permitted\n"
		"lasermesh run: warning: 3 satellites left out\n"
		"lasermesh run: stopped by Interrupt\n");
}

/* A message longer than the line buffer is cut, never overflows. */
Test(log, long_message_is_cut)
{
	static char big[4000];

	memset(big, 'a', sizeof(big) - 1);
	log_init("topo");
	log_warnx("%s", big);
	fflush(stderr);
	{
		FILE *f = cr_get_redirected_stderr();
		char line[8192];

		cr_assert_not_null(fgets(line, sizeof(line), f));
		cr_assert(!strncmp(line, "lasermesh topo: warning: aaa", 28));
		cr_assert_lt(strlen(line), sizeof(big));
	}
}
