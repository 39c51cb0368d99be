/* SPDX-License-Identifier: MIT */
/* log.h - diagnostics on stderr, prefixed with the command that runs */
#ifndef EMU_LOG_H
#define EMU_LOG_H

/*
 * Every diagnostic of a command leaves through here, prefixed once with
 * the command's name ("lasermesh wrap: ..."), so code shared by commands
 * (run.c under wrap) names the command the user typed. The kinds are
 * functions, not words inside strings:
 *
 *   log_err(err, ...)   an error; err is a -errno (0: no reason) whose
 *                       text follows the message after ": "
 *   log_warn(err, ...)  a warning, the same with "warning: " first
 *   log_warnx(...)      a warning without a reason
 *   log_info(...)       progress and notes
 *
 * Normal output (topo, path, config, the run's banner and summary) is not
 * a diagnostic and does not go through here.
 */

/* Name the command once, in main() ("run" gives "lasermesh run"). */
void log_init(const char *cmd);
/* The prefix in use, e.g. "lasermesh wrap" ("lasermesh" before log_init). */
const char *log_prefix(void);

void log_err(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void log_warn(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
