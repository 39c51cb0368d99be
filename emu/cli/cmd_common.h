/* SPDX-License-Identifier: MIT */
/* cmd_common.h - what several commands share: loading a scenario, times, CSV, running a command */
#ifndef EMU_CMD_COMMON_H
#define EMU_CMD_COMMON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "emu/conf/config.h"
#include "emu/conf/scenario.h"
#include "tap/freezer.h"
#include "topo/replay.h"

/*
 * Bounds on loops whose count comes from the command line: steps replayed
 * from the epoch (topo_replay_cost; at the default 100 ms step, 27.7 hours
 * of orbit) and moments printed by path.
 */
#define CMD_MAX_REPLAY 1000000
#define CMD_MAX_MOMENTS 1000000
/*
 * The longest path path and map follow, in nodes: a path across a +Grid
 * shell of P x S takes up to P/2 + S/2 hops, 400 in a shell of 400 x 400
 * (docs/examples/spacex-odc.conf), 1,000 in one of 1,000 x 1,000. A longer
 * path is reported unreachable.
 */
#define CMD_MAX_HOPS 4096

/*
 * Load the configuration at path (NULL: the embedded default) and build
 * its scenario with its faults (events: an events file instead of
 * [emulation] events, or NULL), printing every error (and warnings when
 * verbose) to stderr prefixed by the command's name. 0 on success; on
 * failure nothing is left allocated.
 */
int cmd_load(const char *path, const char *events, bool verbose,
	     struct config **cfg, struct scenario *s);

/*
 * A moment of the emulation: a duration after the epoch (as above) or an
 * ISO-8601 UTC time. The moment and its distance from the epoch must both
 * fit in int64 ns (topo/utc.h: 1677 to 2262, and at most 292 years from the
 * epoch). On failure prints `lasermesh CMD: OPT "S" why` naming the range,
 * and returns false.
 */
bool cmd_parse_moment(const char *opt, const char *s,
		      int64_t epoch_unix_ns, int64_t *unix_ns);

/*
 * Prepare s (with the extra destinations) and a replay at its routing step
 * from the epoch; prints why on failure. 0 or -errno.
 */
int cmd_replay_init(struct scenario *s,
		    const struct config *cfg, const uint32_t *extra,
		    size_t nextra, bool fresh, struct topo_replay *r);

/*
 * Whether reaching moment t (given as opt "val") replays at most
 * CMD_MAX_REPLAY steps; prints why not, with the ways out.
 */
bool cmd_replay_bounded(const struct topo_replay *r,
			int64_t t, const char *opt, const char *val);

/*
 * The route from a to b at r's last moment (topo_replay_at), as path
 * prints it: its nodes into hops (at most CMD_MAX_HOPS) and its round-trip
 * propagation time, a set link's added delay included, into *rtt_ns. The
 * number of nodes, 0 when b is unreachable.
 */
size_t cmd_route(const struct topo_replay *r, uint32_t a, uint32_t b,
		 uint32_t *hops, int64_t *rtt_ns);

/*
 * With re-pointing ([isl] repoint), say on stderr how many terminals
 * re-pointed from the epoch to the replay's last step, and per satellite
 * per hour.
 */
void cmd_repoint_report(const struct topo_replay *r, size_t nsat);

/* Satellites that could not be placed at one moment or more. */
struct cmd_down {
	size_t nsat, n;		/* satellites, and how many were down */
	uint8_t *why;		/* first enum topo_down seen, 0: never */
	int64_t *when;		/* the first moment it was down */
};

int cmd_down_init(struct cmd_down *d, size_t nsat);
/* Note the satellites down in st (positions at one moment). */
void cmd_down_add(struct cmd_down *d, const struct topo_state *st);
/*
 * On stderr: how many and why (always, when any), each by name and
 * reason with verbose.
 */
void cmd_down_report(const struct cmd_down *d,
		     const struct constel *c, bool verbose);
void cmd_down_free(struct cmd_down *d);

/*
 * Print s as one CSV field (RFC 4180): quoted, with quotes doubled, when it
 * holds a comma, a quote or a line break; as it is otherwise.
 */
void cmd_csv_field(FILE *f, const char *s);

/*
 * The argv of `ip netns exec NODE CMD...` (cmd is NULL-terminated), in one
 * allocation the caller frees; its strings are node's and cmd's. NULL when
 * out of memory.
 */
char **cmd_netns_argv(const char *node, char *const *cmd);

/*
 * Whether cmd can be run as execvp would (searched in PATH unless it holds
 * a '/'): 0 if so; otherwise prints `lasermesh WHO: cannot run "CMD": why`
 * and returns the shell's status for it, 127 (not found) or 126 (found but
 * not executable).
 */
int cmd_runnable(const char *cmd);

/*
 * Before starting a command in node (exec, wrap --node): open the freezer
 * hierarchy and create node's cgroup (freezer.h), so that `down node NODE
 * freeze` can stop the command. false when it cannot be frozen: silently
 * when the host has no freezer hierarchy, with a warning quoting the path
 * when creating the cgroup failed. The command runs either way.
 */
bool cmd_node_cgroup(const char *node, struct freezer *fz);

/*
 * Move the calling process into node's cgroup (after cmd_node_cgroup()
 * said true), so the command and its children are born there; warns on
 * failure. Safe between fork() and exec().
 */
void cmd_node_cgroup_join(const char *node, struct freezer *fz);

/*
 * LASERMESH_STATE: the path of node's state file (tap/nodestate.h), for
 * the command exec or wrap --node starts there.
 */
void cmd_state_env(const char *node);

/* The exit status for an exec that failed with err: 127 or 126, as sh. */
int cmd_exec_status(int err);

#endif
