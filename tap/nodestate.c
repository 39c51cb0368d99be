// SPDX-License-Identifier: MIT
/* nodestate.c - the state file of a tapped node, readable from inside it */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap/file.h"
#include "tap/nodestate.h"
#include "tap/owner.h"
#include "topo/utc.h"

void nodestate_path(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", NODESTATE_DIR, name);
}

static int nodestate_mkdir(void)
{
	int ret = mark_mkdirs();

	if (ret < 0)
		return ret;
	if (mkdir(NODESTATE_DIR, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int nodestate_write(const char *name, const struct nodestate *s)
{
	char path[PATH_MAX], tmp[PATH_MAX], buf[512], when[40];
	int n, ret;

	ret = nodestate_mkdir();
	if (ret < 0)
		return ret;
	utc_format_iso8601(s->orbital_ns, 6, when, sizeof(when));
	n = snprintf(buf, sizeof(buf),
		     "node %s\nstate %s\npower %s\norbital %s\nstep %" PRId64
		     "\n", name, s->up ? "up" : "down",
		     s->eclipse ? "eclipse" : "sunlit", when, s->step);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return -ENAMETOOLONG;
	ret = owner_temp_path(NODESTATE_DIR, NULL, tmp, sizeof(tmp));
	if (ret < 0)
		return ret;
	nodestate_path(name, path, sizeof(path));
	return file_write_atomic(path, tmp, buf, (size_t)n);
}

int nodestate_remove(const char *name)
{
	char path[PATH_MAX];

	nodestate_path(name, path, sizeof(path));
	if (unlink(path) < 0)
		return -errno;
	return 0;
}
