// SPDX-License-Identifier: MIT
/* cmd_config.c - `lasermesh config`: print the embedded default configuration */
#include <getopt.h>
#include <stdio.h>

#include "emu/cli/cmd.h"
#include "emu/conf/config.h"

static void config_cmd_usage(FILE *f)
{
	fprintf(f,
		"usage: lasermesh config\n"
		"\n"
		"Print the embedded default configuration, commented, as a "
		"starting\npoint: lasermesh config > my.conf, edit, then "
		"lasermesh check my.conf.\n");
}

int cmd_config(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			config_cmd_usage(stdout);
			return 0;
		default:
			config_cmd_usage(stderr);
			return 1;
		}
	}
	if (optind < argc) {
		config_cmd_usage(stderr);
		return 1;
	}
	if (fputs(config_default_text, stdout) == EOF || fflush(stdout)) {
		perror("lasermesh config");
		return 1;
	}
	return 0;
}
