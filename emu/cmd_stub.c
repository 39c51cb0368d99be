// SPDX-License-Identifier: MIT
/* cmd_stub.c - TEMPORARY weak stubs for commands not written yet */
#include <stdio.h>

#include "emu/cmd.h"

#define STUB(fn)                                                          \
	__attribute__((weak)) int fn(int argc, char **argv)                                     \
	{                                                                 \
		(void)argc;                                               \
		fprintf(stderr, "lasermesh %s: not implemented yet\n",    \
			argv[0]);                                         \
		return 1;                                                 \
	}

STUB(cmd_run)
STUB(cmd_exec)
STUB(cmd_wrap)
STUB(cmd_topo)
STUB(cmd_path)
STUB(cmd_check)
STUB(cmd_config)
STUB(cmd_cleanup)
