// SPDX-License-Identifier: MIT
/* cmd_check.c - `lasermesh check [FILE]`: validate a configuration */
#include <getopt.h>
#include <stdio.h>

#include "emu/cli/cmd.h"
#include "emu/conf/config.h"
#include "emu/conf/scenario.h"
#include "topo/lib/diag.h"

static void check_usage(FILE *f)
{
	fprintf(f,
		"usage: lasermesh check [FILE] [--events FILE]\n"
		"\n"
		"Read the configuration FILE (without FILE: the embedded "
		"default,\nsee `lasermesh config`) and report every problem, "
		"one per line as\nfile:line: key \"value\" why. Prints "
		"\"configuration OK\" and exits 0\nwhen there is none, "
		"exits 1 otherwise. The events file ([emulation] events, or\n"
		"--events FILE instead) is checked against the node list.\n");
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "events", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *events = NULL;
	struct config *c = NULL;
	struct diag d;
	int opt, ret;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "e:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'e':
			events = optarg;
			break;
		case 'h':
			check_usage(stdout);
			return 0;
		default:
			check_usage(stderr);
			return 1;
		}
	}
	if (argc - optind > 1) {
		check_usage(stderr);
		return 1;
	}

	diag_init(&d);
	ret = config_load(optind < argc ? argv[optind] : NULL, &c, &d);
	if (!ret)
		ret = scenario_check(c, events, &d);
	diag_print(&d, stderr);
	if (!ret && d.errors)
		ret = -1;
	if (!ret)
		printf("configuration OK\n");
	config_free(c);
	diag_free(&d);
	return ret ? 1 : 0;
}
