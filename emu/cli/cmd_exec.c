// SPDX-License-Identifier: MIT
/* cmd_exec.c - `lasermesh exec NODE -- CMD...`: run a command inside a node of a running mesh */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emu/cli/cmd.h"
#include "emu/cli/cmd_common.h"
#include "tap/marker.h"

static void exec_usage(FILE *f)
{
	fprintf(f, "usage: lasermesh exec NODE -- CMD [ARGS...]\n"
		   "Run CMD in the network namespace of NODE, a tapped node of\n"
		   "a running mesh, with its hosts file (as ip netns exec).\n"
		   "Exits with CMD's status; 127 when CMD is not found, 126\n"
		   "when it cannot be executed, 1 when NODE is not running.\n");
}

/* Whether a live run has tapped node; *any tells if any run is live. */
static bool exec_node_live(const char *node, bool *any)
{
	struct marker_run *runs = NULL;
	size_t n = 0;
	bool found = false;

	*any = false;
	if (marker_run_list(&runs, &n) < 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!runs[i].alive)
			continue;
		*any = true;
		for (size_t j = 0; j < runs[i].n; j++)
			if (!strcmp(runs[i].names[j], node))
				found = true;
	}
	marker_run_list_free(runs, n);
	return found;
}

int cmd_exec(int argc, char **argv)
{
	const char *node;
	char **args;
	bool any;
	int i = 1, ret;

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		exec_usage(stdout);
		return 0;
	}
	if (argc < 3) {
		exec_usage(stderr);
		return 1;
	}
	node = argv[i++];
	if (!strcmp(argv[i], "--"))
		i++;
	if (i >= argc) {
		exec_usage(stderr);
		return 1;
	}
	if (!exec_node_live(node, &any)) {
		if (!any)
			fprintf(stderr, "lasermesh exec: no run is active "
				"(start one with lasermesh run)\n");
		else
			fprintf(stderr, "lasermesh exec: node \"%s\" is not "
				"a tapped node of a running mesh\n", node);
		return 1;
	}
	ret = cmd_runnable("exec", argv[i]);
	if (ret)
		return ret;
	/* ip netns exec bind-mounts /etc/netns/NODE/hosts and a fresh /sys */
	args = cmd_netns_argv(node, argv + i);
	if (!args) {
		fprintf(stderr, "lasermesh exec: out of memory\n");
		return 1;
	}
	execvp(args[0], args);
	ret = cmd_exec_status(errno);
	fprintf(stderr, "lasermesh exec: cannot run ip: %s\n", strerror(errno));
	free(args);
	return ret;
}
