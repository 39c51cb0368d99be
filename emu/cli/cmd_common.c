// SPDX-License-Identifier: MIT
/* cmd_common.c - loading a scenario and parsing moments for the commands */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu/cli/cmd_common.h"
#include "emu/conf/units.h"
#include "topo/utc.h"

/* "... and 12 more warnings" after the messages a diag kept. */
static void cmd_load_unlisted(const char *cmd, const struct diag *d,
			      enum diag_kind kind)
{
	size_t more = diag_unlisted(d, kind);

	if (more)
		fprintf(stderr, "lasermesh %s: ... and %zu more %s\n", cmd,
			more, diag_noun(kind, more));
}

int cmd_load(const char *cmd, const char *path, bool verbose,
	     struct config **cfg, struct scenario *s)
{
	struct diag d;
	int ret;

	diag_init(&d);
	ret = config_load(path, cfg, &d);
	if (ret == 0) {
		ret = scenario_build(s, *cfg, &d);
		if (ret < 0) {
			config_free(*cfg);
			*cfg = NULL;
		}
	}
	for (size_t i = 0; i < d.n; i++) {
		bool warn = d.kind[i] == DIAG_WARNING;

		if (!warn || verbose || ret < 0)
			fprintf(stderr, "lasermesh %s: %s\n", cmd, d.msg[i]);
	}
	cmd_load_unlisted(cmd, &d, DIAG_ERROR);
	if (verbose || ret < 0)
		cmd_load_unlisted(cmd, &d, DIAG_WARNING);
	if (ret == 0 && d.warnings && !verbose)
		fprintf(stderr, "lasermesh %s: %zu %s (-v lists them)\n",
			cmd, d.warnings, diag_noun(DIAG_WARNING, d.warnings));
	if (ret == -ENOMEM)
		fprintf(stderr, "lasermesh %s: out of memory\n", cmd);
	diag_free(&d);
	return ret;
}

bool cmd_parse_moment(const char *s, int64_t epoch_unix_ns, int64_t *unix_ns)
{
	const char *why;
	int64_t ns;
	char *end;
	double sec;

	if (!s || !*s)
		return false;
	if (utc_parse_iso8601(s, unix_ns))
		return true;
	errno = 0;
	sec = strtod(s, &end);
	if (end != s && !*end && !errno && isfinite(sec) && sec >= 0 &&
	    sec < 9.2e9) {
		*unix_ns = epoch_unix_ns + (int64_t)llround(sec * 1e9);
		return true;
	}
	if (units_parse_time(s, &ns, &why)) {
		*unix_ns = epoch_unix_ns + ns;
		return true;
	}
	return false;
}
