// SPDX-License-Identifier: MIT
/* cmd_exec.c - `lasermesh exec NODE -- CMD...`: run a command inside a node of a running mesh */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emu/cli/cmd.h"
#include "emu/cli/cmd_common.h"
#include "emu/run/log.h"
#include "tap/runfile.h"

static void exec_usage(FILE *f)
{
	fprintf(f, "usage: lasermesh exec NODE -- CMD [ARGS...]\n"
		   "Run CMD in the network namespace of NODE, a tapped node of\n"
		   "a running mesh, with its hosts file (as ip netns exec).\n"
		   "CMD and its children are in NODE's freezer cgroup: a\n"
		   "`down node NODE freeze` stops them until `up`.\n"
		   "Exits with CMD's status; 127 when CMD is not found, 126\n"
		   "when it cannot be executed, 1 when NODE is not running.\n");
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
	struct freezer fz;
	const char *node;
	char **args;
	int err;
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
			log_err(0, "no run is active (start one with "
				"lasermesh run)");
		else
			log_err(0, "node \"%s\" is not a tapped node of a "
				"running mesh", node);
		return 1;
	}
	ret = cmd_runnable(argv[i]);
	if (ret)
		return ret;
	/* ip, then CMD and its children, in the node's freezer cgroup */
	if (cmd_node_cgroup(node, &fz))
		cmd_node_cgroup_join(node, &fz);
	cmd_state_env(node);
	/* ip netns exec bind-mounts /etc/netns/NODE/hosts and a fresh /sys */
	args = cmd_netns_argv(node, argv + i);
	if (!args) {
		log_err(-ENOMEM, "cannot build the command line");
		return 1;
	}
	execvp(args[0], args);
	err = errno;
	log_err(-err, "cannot run ip");
	ret = cmd_exec_status(err);
	free(args);
	return ret;
}
