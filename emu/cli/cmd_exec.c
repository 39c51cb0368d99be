// SPDX-License-Identifier: MIT
/* cmd_exec.c - `lasermesh exec NODE -- CMD...`: run a command inside a node of a running mesh */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emu/cli/cmd.h"
#include "tap/runfile.h"

static void exec_usage(FILE *f)
{
	fprintf(f, "usage: lasermesh exec NODE -- CMD [ARGS...]\n"
		   "Run CMD in the network namespace of NODE, a tapped node of\n"
		   "a running mesh, with its hosts file (as ip netns exec).\n");
}

/* Whether a live run has tapped node; *any tells if any run is live. */
static bool exec_node_live(const char *node, bool *any)
{
	struct runfile *runs = NULL;
	size_t n = 0;
	bool found = false;

	*any = false;
	if (runfile_list(&runs, &n) < 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!runs[i].alive)
			continue;
		*any = true;
		for (size_t j = 0; j < runs[i].n; j++)
			if (!strcmp(runs[i].names[j], node))
				found = true;
	}
	runfile_list_free(runs, n);
	return found;
}

int cmd_exec(int argc, char **argv)
{
	const char *node;
	char **args;
	bool any;
	int i = 1;

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
	/* ip netns exec bind-mounts /etc/netns/NODE/hosts and a fresh /sys */
	args = calloc((size_t)(argc - i) + 5, sizeof(*args));
	if (!args)
		return 1;
	args[0] = "ip";
	args[1] = "netns";
	args[2] = "exec";
	args[3] = (char *)node;
	for (int k = i; k < argc; k++)
		args[4 + k - i] = argv[k];
	execvp("ip", args);
	fprintf(stderr, "lasermesh exec: cannot run ip: %s\n", strerror(errno));
	free(args);
	return 127;
}
