// SPDX-License-Identifier: MIT
/* log.c - diagnostics on stderr, prefixed with the command that runs */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "emu/run/log.h"

static char log_name[64] = "lasermesh";

void log_init(const char *cmd)
{
	if (cmd && *cmd)
		snprintf(log_name, sizeof(log_name), "lasermesh %s", cmd);
	else
		snprintf(log_name, sizeof(log_name), "lasermesh");
}

const char *log_prefix(void)
{
	return log_name;
}

/* One line, written whole: "PREFIX: [KIND]MESSAGE[: REASON]\n". */
static void log_vline(const char *kind, int err, const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (err)
		fprintf(stderr, "%s: %s%s: %s\n", log_name, kind, msg,
			strerror(err < 0 ? -err : err));
	else
		fprintf(stderr, "%s: %s%s\n", log_name, kind, msg);
}

void log_err(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vline("", err, fmt, ap);
	va_end(ap);
}

void log_warn(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vline("warning: ", err, fmt, ap);
	va_end(ap);
}

void log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vline("warning: ", 0, fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vline("", 0, fmt, ap);
	va_end(ap);
}
