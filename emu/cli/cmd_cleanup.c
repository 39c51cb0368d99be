// SPDX-License-Identifier: MIT
/* cmd_cleanup.c - `lasermesh cleanup`: remove what runs left behind, and nothing else */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emu/cli/cmd.h"
#include "emu/run/log.h"
#include "tap/cleanup.h"

static void cleanup_usage(FILE *f)
{
	fprintf(f, "usage: lasermesh cleanup [--all | --pid PID]\n"
		   "Remove the namespaces, interfaces and hosts files of runs "
		   "that\nare no longer running (after kill -9 or a crash), "
		   "recognised by\nlasermesh's marker; nothing without the "
		   "marker is touched.\n"
		   "--all also removes those of runs still running.\n"
		   "--pid PID removes those of the run with that pid, running "
		   "or not.\n");
}

/* A pid: a decimal number from 1 to INT32_MAX, nothing else. */
static bool cleanup_pid(const char *s, pid_t *pid)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v <= 0 || v > INT32_MAX)
		return false;
	*pid = (pid_t)v;
	return true;
}

static const char *cleanup_s(size_t n)
{
	return n == 1 ? "" : "s";
}

int cmd_cleanup(int argc, char **argv)
{
	struct cleanup_filter f = { .only_dead = true };
	struct cleanup_counts c;
	int ret;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--all")) {
			f.only_dead = false;
		} else if (!strcmp(argv[i], "--pid")) {
			if (i + 1 >= argc) {
				log_err(0, "--pid needs a pid");
				return 1;
			}
			if (!cleanup_pid(argv[++i], &f.pid)) {
				log_err(0, "--pid \"%s\" is not a pid (1 to "
					"%d)", argv[i], INT32_MAX);
				return 1;
			}
		} else if (!strcmp(argv[i], "--help") ||
			   !strcmp(argv[i], "-h")) {
			cleanup_usage(stdout);
			return 0;
		} else {
			log_err(0, "unexpected \"%s\"", argv[i]);
			cleanup_usage(stderr);
			return 1;
		}
	}
	/* One run's leftovers, whether it still runs or not. */
	if (f.pid > 0)
		f.only_dead = false;
	if (geteuid() != 0) {
		log_err(0, "needs root");
		return 1;
	}
	ret = cleanup_run(&f, &c);
	/* What `ip netns list` showed: namespaces, and names without one. */
	printf("lasermesh cleanup: removed %zu namespace%s", c.netns + c.stubs,
	       cleanup_s(c.netns + c.stubs));
	if (c.stubs)
		printf(" (%zu of them unmounted, left by a kill)", c.stubs);
	printf(", %zu hosts file%s, %zu run file%s", c.hosts,
	       cleanup_s(c.hosts), c.runs, cleanup_s(c.runs));
	if (c.cgroups)
		printf(", %zu freezer cgroup%s", c.cgroups,
		       cleanup_s(c.cgroups));
	if (c.sockets)
		printf(", %zu control socket%s", c.sockets,
		       cleanup_s(c.sockets));
	printf("\n");
	if (ret < 0) {
		log_err(ret, "cannot remove what earlier runs left");
		return 1;
	}
	return 0;
}
