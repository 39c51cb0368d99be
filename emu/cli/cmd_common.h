/* SPDX-License-Identifier: MIT */
/* cmd_common.h - what several commands share: loading a scenario, parsing times */
#ifndef EMU_CMD_COMMON_H
#define EMU_CMD_COMMON_H

#include <stdbool.h>
#include <stdint.h>

#include "emu/conf/config.h"
#include "emu/conf/scenario.h"

/*
 * Load the configuration at path (NULL: the embedded default) and build
 * its scenario, printing every error (and warnings when verbose) to stderr
 * prefixed by the command's name. 0 on success; on failure nothing is left
 * allocated.
 */
int cmd_load(const char *cmd, const char *path, bool verbose,
	     struct config **cfg, struct scenario *s);

/*
 * A moment of the emulation: seconds after the epoch ("90", "1.5", "90s",
 * "10ms" with any time unit) or an ISO-8601 UTC time. Absolute result in
 * unix ns. False if s is neither.
 */
bool cmd_parse_moment(const char *s, int64_t epoch_unix_ns, int64_t *unix_ns);

#endif
