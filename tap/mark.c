// SPDX-License-Identifier: MIT
/* mark.c - the ownership mark of each namespace a run creates */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap/file.h"
#include "tap/mark.h"
#include "tap/netns.h"

#define MARK_MAGIC "lasermesh-mark 1"
/* A mark is about 100 bytes; anything much larger is not one. */
#define MARK_FILE_MAX 4096

int mark_mkdirs(void)
{
	if (mkdir(MARK_DIR, 0755) < 0 && errno != EEXIST)
		return -errno;
	if (mkdir(MARK_NETNS_DIR, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int mark_path(const char *name, char *buf, size_t len)
{
	int n;

	if (!netns_name_valid(name, NULL))
		return -EINVAL;
	n = snprintf(buf, len, "%s/%s", MARK_NETNS_DIR, name);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

/* The text of a mark into buf (size len); its length, or -errno. */
static int mark_format(const struct owner *o, uint64_t cookie, char *buf,
		       size_t len)
{
	int n;

	n = snprintf(buf, len,
		     MARK_MAGIC "\npid %d\nstart %" PRIu64 "\nboot %s\n"
		     "cookie %" PRIu64 "\n",
		     (int)o->pid, o->start, o->boot, cookie);
	if (n < 0 || (size_t)n >= len)
		return -EOVERFLOW;
	return n;
}

/*
 * Write the mark of NAME. Exclusive: the whole mark is written to the temp
 * file, which is then linked to the mark's name; link() fails if a file of
 * that name is there, and it is left as it was.
 */
static int mark_store(const char *name, const struct owner *o,
		      uint64_t cookie, bool exclusive)
{
	char path[PATH_MAX], tmp[PATH_MAX], buf[256];
	int ret, n;

	ret = mark_path(name, path, sizeof(path));
	if (ret < 0)
		return ret;
	ret = mark_mkdirs();
	if (ret < 0)
		return ret;
	n = mark_format(o, cookie, buf, sizeof(buf));
	if (n < 0)
		return n;
	ret = owner_temp_path(MARK_DIR, NULL, tmp, sizeof(tmp));
	if (ret < 0)
		return ret;
	if (!exclusive)
		return file_write_atomic(path, tmp, buf, (size_t)n);

	/* The whole mark in the temp file, then link it into place. */
	ret = file_write_atomic(tmp, tmp, buf, (size_t)n);
	if (ret < 0)
		return ret;
	if (link(tmp, path) == 0) {
		ret = 0;
	} else if (errno != EEXIST) {
		ret = -errno;
	} else {
		ret = -EEXIST;	/* somebody's mark: leave it as it is */
	}
	unlink(tmp);
	return ret;
}

int mark_write(const char *name, pid_t pid)
{
	struct owner o;
	int ret;

	if (!netns_name_valid(name, NULL))
		return -EINVAL;
	ret = owner_of(pid, &o);
	if (ret < 0)
		return ret;
	return mark_store(name, &o, 0, true);
}

int mark_bind(const char *name)
{
	struct owner o;
	uint64_t cookie;
	int ret;

	ret = mark_read(name, &o, &cookie);
	if (ret < 0)
		return ret;
	ret = netns_cookie(name, &cookie);
	if (ret < 0)
		return ret;
	return mark_store(name, &o, cookie, false);
}

static int mark_cookie_key(const struct owner_key *k, void *arg)
{
	uint64_t *cookie = arg;
	char *end;

	if (strcmp(k->key, "cookie") != 0)
		return 0;	/* a key from a later version */
	errno = 0;
	*cookie = strtoull(k->val, &end, 10);
	if (errno || end == k->val || *end)
		return -EBADMSG;
	return 0;
}

int mark_read(const char *name, struct owner *o, uint64_t *cookie)
{
	char path[PATH_MAX], *text;
	uint64_t c = 0;
	size_t len;
	int ret;

	ret = mark_path(name, path, sizeof(path));
	if (ret < 0)
		return ret;
	ret = file_read_all(path, MARK_FILE_MAX, FILE_F_REGULAR, &text, &len);
	if (ret == -EFBIG || ret == -EINVAL || ret == -EISDIR)
		return -EBADMSG;
	if (ret < 0)
		return ret;
	ret = owner_file_parse(text, len, MARK_MAGIC, o, mark_cookie_key, &c);
	free(text);
	if (ret == 0 && cookie)
		*cookie = c;
	return ret;
}

int mark_remove(const char *name)
{
	char path[PATH_MAX];
	int ret;

	ret = mark_path(name, path, sizeof(path));
	if (ret < 0)
		return ret;
	if (unlink(path) < 0)
		return -errno;
	return 0;
}

int mark_remove_own(const char *name, const struct owner *o)
{
	struct owner cur;
	int ret;

	ret = mark_read(name, &cur, NULL);
	if (ret == -EBADMSG)
		return -EPERM;
	if (ret < 0)
		return ret;
	if (!owner_same(&cur, o))
		return -EPERM;
	return mark_remove(name);
}
