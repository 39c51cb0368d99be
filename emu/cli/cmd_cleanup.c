// SPDX-License-Identifier: MIT
/* cmd_cleanup.c - `lasermesh cleanup`: remove what runs left behind, and nothing else */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "emu/cli/cmd.h"
#include "emu/run/log.h"
#include "tap/marker.h"

int cmd_cleanup(int argc, char **argv)
{
	bool all = false;
	size_t removed = 0;
	int ret;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--all")) {
			all = true;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: lasermesh cleanup [--all]\n"
			       "Remove the namespaces, interfaces and hosts files "
			       "of runs that\nare no longer running (after kill "
			       "-9 or a crash), recognised by\nlasermesh's "
			       "marker; nothing without the marker is touched.\n"
			       "--all also removes those of runs still "
			       "running.\n");
			return 0;
		} else {
			log_err(0, "unexpected \"%s\"", argv[i]);
			return 1;
		}
	}
	if (geteuid() != 0) {
		log_err(0, "needs root");
		return 1;
	}
	ret = marker_cleanup(!all, &removed);
	printf("lasermesh cleanup: removed %zu namespace%s\n", removed,
	       removed == 1 ? "" : "s");
	if (ret < 0) {
		log_err(ret, "cannot remove what earlier runs left");
		return 1;
	}
	return 0;
}
