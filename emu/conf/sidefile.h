/* SPDX-License-Identifier: MIT */
/* sidefile.h - the files a configuration names: stations CSV and ISL pairs */
#ifndef EMU_CONF_SIDEFILE_H
#define EMU_CONF_SIDEFILE_H

#include <stddef.h>

#include "emu/conf/config.h"
#include "topo/lib/diag.h"

/*
 * A side file is named by a key of the configuration (`file = x.csv`).
 * Its readers return plain arrays and add one message per problem to a
 * diag; they know nothing of the configuration's reader. Lines come from
 * topo/lib/lines.h with '#' comments anywhere; a line with a NUL byte is
 * reported, not skipped.
 */
struct sidefile_src {
	const char *conf;	/* the configuration, for messages */
	unsigned line;		/* of the key in it */
	const char *key, *val;	/* as written */
	const char *path;	/* val resolved against the config's dir */
};

/* One data row of a stations CSV. */
struct sidefile_station {
	char name[CONFIG_NAME_MAX];
	double lat_deg, lon_deg, alt_m;
	unsigned line;
};

/*
 * Can src->path be read as a regular file? If not, add
 * `conf:line: key "val" cannot be read (path): why` and return false.
 */
bool sidefile_check(const struct sidefile_src *src, struct diag *d);

/*
 * Read a CSV of name,latitude_deg,longitude_deg[,altitude_m]: blank lines,
 * '#' comments and a first line starting with "name" are skipped. Good
 * rows go into *out (n of them; the caller frees *out), bad rows into d.
 * 0, -EINVAL when the file cannot be read (reported) or -ENOMEM.
 */
int sidefile_stations(const struct sidefile_src *src,
		      struct sidefile_station **out, size_t *n,
		      struct diag *d);

/*
 * Read a pairs file: two node names per line. Good pairs go into *out
 * (their file is src->path, borrowed); bad lines, self-links and links
 * listed twice (in either order) into d. 0, -EINVAL or -ENOMEM as above.
 */
int sidefile_pairs(const struct sidefile_src *src, struct config_pair **out,
		   size_t *n, struct diag *d);

#endif
