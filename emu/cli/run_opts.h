/* SPDX-License-Identifier: MIT */
/* run_opts.h - the command-line options shared by `run` and `wrap` */
#ifndef EMU_RUN_OPTS_H
#define EMU_RUN_OPTS_H

#include <getopt.h>
#include <stdbool.h>

#include "emu/run/run.h"

#define RUN_OPTS_SHORT "c:s:d:t:qv"
extern const struct option run_opts_long[];
extern const char run_opts_help[];

void run_opts_default(struct run_opts *o);
/*
 * Apply one option (as returned by getopt_long). Returns 0 when taken, 1
 * after saying why the value is bad (log.h), -1 when opt is not ours.
 */
int run_opts_parse(struct run_opts *o, int opt, const char *arg,
		   bool *verbose);

#endif
