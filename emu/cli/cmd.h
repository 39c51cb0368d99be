/* SPDX-License-Identifier: MIT */
/* cmd.h - the subcommands of lasermesh; each returns the process exit status */
#ifndef EMU_CMD_H
#define EMU_CMD_H

/*
 * Each command gets argv with argv[0] set to the command's name (as
 * getopt expects) and returns 0 on success, 1 on a usage or input error
 * (after printing why to stderr), or another status where documented.
 */
int cmd_run(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_wrap(int argc, char **argv);
int cmd_topo(int argc, char **argv);
int cmd_path(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_cleanup(int argc, char **argv);
int cmd_ctl(int argc, char **argv);
int cmd_clocks(int argc, char **argv);

#endif
