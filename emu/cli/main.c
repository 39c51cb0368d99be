// SPDX-License-Identifier: MIT
/* main.c - lasermesh's entry point: a dispatch table of subcommands */
#include <stdio.h>
#include <string.h>

#include "emu/cli/cmd.h"
#include "emu/run/log.h"
#include "topo/lib/util.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "run", cmd_run, "start the emulated mesh [FILE]" },
	{ "exec", cmd_exec, "run a command in a node: NODE -- CMD..." },
	{ "ctl", cmd_ctl, "control a running mesh: [RUN] status|down|up|set|pause|..." },
	{ "wrap", cmd_wrap, "start the mesh, run CMD, tear down: [FILE] -- CMD..." },
	{ "topo", cmd_topo, "nodes and links at a moment: [FILE] --at T" },
	{ "path", cmd_path, "RTT and path over time: [FILE] A B --from --to --step" },
	{ "map", cmd_map, "the mesh on a world map as SVG: [FILE] --at T -o OUT.svg" },
	{ "check", cmd_check, "validate a configuration: FILE" },
	{ "config", cmd_config, "print the embedded default configuration" },
	{ "cleanup", cmd_cleanup, "remove what earlier runs left behind" },
	{ "clocks", cmd_clocks, "clock offset and latency between shards' hosts (under mpirun)" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: lasermesh COMMAND [ARGS...]\n\ncommands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'lasermesh COMMAND --help' describes one command; "
		   "see also lasermesh(1) and docs/.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		/* every diagnostic from here on names the command */
		log_init(commands[i].name);
		return commands[i].fn(argc - 1, argv + 1);
	}
	log_err(0, "unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return 1;
}
