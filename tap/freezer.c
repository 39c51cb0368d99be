// SPDX-License-Identifier: MIT
/* freezer.c - one cgroup per node, to stop and resume what runs in it */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include <linux/magic.h>

#include "tap/file.h"
#include "tap/freezer.h"
#include "tap/netns.h"

#define FREEZER_CGROUP_ROOT "/sys/fs/cgroup"
#define FREEZER_MOUNTINFO "/proc/self/mountinfo"
#define FREEZER_REMOVE_ROUNDS 10

static int freezer_fail(struct freezer *fz, int err, const char *what,
			const char *path)
{
	snprintf(fz->err, sizeof(fz->err), "cannot %s \"%s\": %s", what, path,
		 strerror(-err));
	return err;
}

/* The file system magic of path, or 0. */
static unsigned long freezer_magic(const char *path)
{
	struct statfs st;

	if (statfs(path, &st) < 0)
		return 0;
	return (unsigned long)st.f_type;
}

/* Decode mountinfo's octal escapes (\040 for a space) in place. */
static void freezer_unescape(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
				      (s[3] - '0'));
			s += 3;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

/* Whether the comma-separated list opts holds word. */
static bool freezer_has_opt(const char *opts, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = opts; p; p = strchr(p, ',')) {
		if (*p == ',')
			p++;
		if (!strncmp(p, word, n) && (p[n] == ',' || p[n] == '\0'))
			return true;
	}
	return false;
}

/*
 * The mount point of the first cgroup hierarchy of kind in mountinfo
 * (FREEZER_V1: a cgroup v1 mount with the freezer controller) into dir;
 * with at (not NULL) only a mount at that point counts. -ENOENT if none.
 */
static int freezer_find_mount(enum freezer_kind kind, const char *at,
			      char *dir, size_t len)
{
	char *text, *line, *save = NULL;
	size_t n;
	int ret;

	ret = file_read_all(FREEZER_MOUNTINFO, 1 << 22, 0, &text, &n);
	if (ret < 0)
		return ret;
	ret = -ENOENT;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[5], *sep, *fstype, *super, *p = line;
		bool want;
		int i;

		/* id parent maj:min root mountpoint ... - type source opts */
		for (i = 0; i < 5 && p; i++) {
			f[i] = p;
			p = strchr(p, ' ');
			if (p)
				*p++ = '\0';
		}
		sep = p ? strstr(p, " - ") : NULL;
		if (i < 5 || !sep)
			continue;
		fstype = sep + 3;
		p = strchr(fstype, ' ');
		if (!p)
			continue;
		*p++ = '\0';
		super = strchr(p, ' ');	/* after the source */
		super = super ? super + 1 : "";
		if (kind == FREEZER_V2)
			want = !strcmp(fstype, "cgroup2");
		else
			want = !strcmp(fstype, "cgroup") &&
			       freezer_has_opt(super, "freezer");
		if (!want)
			continue;
		freezer_unescape(f[4]);
		if (at && strcmp(at, f[4]))
			continue;
		if (strlen(f[4]) >= len) {
			ret = -ENAMETOOLONG;
			continue;
		}
		strcpy(dir, f[4]);
		ret = 0;
		break;
	}
	free(text);
	return ret;
}

static int freezer_use(struct freezer *fz, enum freezer_kind kind,
		       const char *dir)
{
	size_t n = strlen(dir);

	if (n >= sizeof(fz->dir))
		return freezer_fail(fz, -ENAMETOOLONG, "use", dir);
	memcpy(fz->dir, dir, n + 1);
	fz->kind = kind;
	fz->err[0] = '\0';
	return 0;
}

int freezer_open(struct freezer *fz)
{
	char dir[PATH_MAX];
	int ret;

	memset(fz, 0, sizeof(*fz));
	if (freezer_magic(FREEZER_CGROUP_ROOT) == CGROUP2_SUPER_MAGIC)
		return freezer_use(fz, FREEZER_V2, FREEZER_CGROUP_ROOT);
	ret = freezer_find_mount(FREEZER_V1, NULL, dir, sizeof(dir));
	if (ret == 0)
		return freezer_use(fz, FREEZER_V1, dir);
	if (ret == -ENOENT)
		ret = freezer_find_mount(FREEZER_V2, NULL, dir, sizeof(dir));
	if (ret == 0)
		return freezer_use(fz, FREEZER_V2, dir);
	if (ret == -ENOENT) {
		snprintf(fz->err, sizeof(fz->err),
			 "no cgroup freezer available: \"%s\" is not "
			 "cgroup2, and \"%s\" lists no cgroup v1 hierarchy "
			 "with the freezer controller and no cgroup2 mount",
			 FREEZER_CGROUP_ROOT, FREEZER_MOUNTINFO);
		return ret;
	}
	return freezer_fail(fz, ret, "read", FREEZER_MOUNTINFO);
}

int freezer_open_at(struct freezer *fz, const char *dir)
{
	char found[PATH_MAX];
	unsigned long magic = freezer_magic(dir);
	int ret;

	memset(fz, 0, sizeof(*fz));
	if (magic == CGROUP2_SUPER_MAGIC)
		return freezer_use(fz, FREEZER_V2, dir);
	if (magic == CGROUP_SUPER_MAGIC) {
		ret = freezer_find_mount(FREEZER_V1, dir, found, sizeof(found));
		if (ret == 0)
			return freezer_use(fz, FREEZER_V1, found);
		if (ret != -ENOENT)
			return freezer_fail(fz, ret, "read", FREEZER_MOUNTINFO);
	}
	snprintf(fz->err, sizeof(fz->err),
		 "\"%s\" is neither a cgroup2 mount nor a cgroup v1 hierarchy "
		 "with the freezer controller", dir);
	return -ENOENT;
}

int freezer_path(const struct freezer *fz, const char *node,
		 const char *file, char *buf, size_t len)
{
	int n;

	n = snprintf(buf, len, "%s/%s/%s%s%s", fz->dir, FREEZER_SUBDIR, node,
		     file ? "/" : "", file ? file : "");
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

/* The path of node's cgroup (or a file in it), with a message on error. */
static int freezer_path_of(struct freezer *fz, const char *node,
			   const char *file, char *buf, size_t len)
{
	const char *why;
	int ret;

	if (fz->kind == FREEZER_NONE) {
		snprintf(fz->err, sizeof(fz->err), "no cgroup freezer opened");
		return -ENOENT;
	}
	if (!netns_name_valid(node, &why)) {
		snprintf(fz->err, sizeof(fz->err),
			 "node \"%s\" cannot name a cgroup: %s", node, why);
		return -EINVAL;
	}
	ret = freezer_path(fz, node, file, buf, len);
	if (ret < 0)
		snprintf(fz->err, sizeof(fz->err),
			 "the cgroup of node \"%s\" under \"%s\": %s", node,
			 fz->dir, strerror(-ret));
	return ret;
}

/* Write text to path (a cgroup file: one write() is one request). */
static int freezer_write(struct freezer *fz, const char *path,
			 const char *text)
{
	size_t n = strlen(text);
	ssize_t w;
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		goto out_err;
	}
	w = write(fd, text, n);
	if (w < 0)
		ret = -errno;
	else if ((size_t)w != n)
		ret = -EIO;
	close(fd);
	if (ret == 0)
		return 0;
out_err:
	snprintf(fz->err, sizeof(fz->err), "cannot write \"%s\" to \"%s\": %s",
		 text, path, strerror(-ret));
	return ret;
}

/* A small cgroup file, NUL-terminated, into buf. */
static int freezer_read(struct freezer *fz, const char *path, char *buf,
			size_t len)
{
	ssize_t r;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return freezer_fail(fz, -errno, "read", path);
	r = read(fd, buf, len - 1);
	ret = r < 0 ? -errno : 0;
	close(fd);
	if (ret < 0)
		return freezer_fail(fz, ret, "read", path);
	buf[r] = '\0';
	return 0;
}

/* mkdir path; an existing directory is fine. */
static int freezer_mkdir(struct freezer *fz, const char *path)
{
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return freezer_fail(fz, -errno, "create", path);
	return 0;
}

int freezer_node_create(struct freezer *fz, const char *node)
{
	char path[PATH_MAX], base[PATH_MAX];
	int ret, n;

	ret = freezer_path_of(fz, node, NULL, path, sizeof(path));
	if (ret < 0)
		return ret;
	n = snprintf(base, sizeof(base), "%s/%s", fz->dir, FREEZER_SUBDIR);
	if (n < 0 || (size_t)n >= sizeof(base))
		return freezer_fail(fz, -ENAMETOOLONG, "create", path);
	/* freezer_node_remove() of another node may rmdir base meanwhile. */
	for (int i = 0; i < 3; i++) {
		ret = freezer_mkdir(fz, base);
		if (ret < 0)
			return ret;
		if (mkdir(path, 0755) == 0 || errno == EEXIST)
			return 0;
		if (errno != ENOENT)
			break;
	}
	return freezer_fail(fz, -errno, "create", path);
}

int freezer_join(struct freezer *fz, const char *node, pid_t pid)
{
	char path[PATH_MAX], text[24];
	int ret;

	ret = freezer_path_of(fz, node, "cgroup.procs", path, sizeof(path));
	if (ret < 0)
		return ret;
	snprintf(text, sizeof(text), "%d", (int)pid);
	return freezer_write(fz, path, text);
}

/* The file to write the request to. */
static const char *freezer_state_file(const struct freezer *fz)
{
	return fz->kind == FREEZER_V1 ? "freezer.state" : "cgroup.freeze";
}

/* Whether the kernel is done: *done for the state frozen. */
static int freezer_done(struct freezer *fz, const char *node, bool frozen,
			bool *done, char *seen, size_t len)
{
	char path[PATH_MAX], buf[512];
	const char *p;
	int ret;

	ret = freezer_path_of(fz, node,
			      fz->kind == FREEZER_V1 ? "freezer.state" :
						       "cgroup.events",
			      path, sizeof(path));
	if (ret < 0)
		return ret;
	ret = freezer_read(fz, path, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	if (fz->kind == FREEZER_V1) {
		buf[strcspn(buf, "\n")] = '\0';
		*done = !strcmp(buf, frozen ? "FROZEN" : "THAWED");
		snprintf(seen, len, "%.15s", buf);
		return 0;
	}
	/* cgroup.events: "populated 1\nfrozen 0\n" */
	for (p = buf; p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (!strncmp(p, "frozen ", 7)) {
			*done = (p[7] == '1') == frozen;
			snprintf(seen, len, "frozen %c", p[7]);
			return 0;
		}
	}
	snprintf(fz->err, sizeof(fz->err), "\"%s\" has no \"frozen\" line",
		 path);
	return -EOPNOTSUPP;
}

static int64_t freezer_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int freezer_request(struct freezer *fz, const char *node, bool frozen)
{
	const char *text = fz->kind == FREEZER_V1 ?
				   (frozen ? "FROZEN" : "THAWED") :
				   (frozen ? "1" : "0");
	char path[PATH_MAX];
	int ret;

	ret = freezer_path_of(fz, node, freezer_state_file(fz), path,
			      sizeof(path));
	if (ret < 0)
		return ret;
	ret = freezer_write(fz, path, text);
	if (ret == -ENOENT && fz->kind == FREEZER_V2) {
		char dir[PATH_MAX];

		/* The cgroup is there but not its cgroup.freeze: < 5.2. */
		if (freezer_path_of(fz, node, NULL, dir, sizeof(dir)) == 0 &&
		    access(dir, F_OK) == 0) {
			snprintf(fz->err, sizeof(fz->err),
				 "\"%s\" is missing: this kernel's cgroup v2 "
				 "has no freezer (Linux 5.2)", path);
			return -EOPNOTSUPP;
		}
	}
	return ret;
}

int freezer_set(struct freezer *fz, const char *node, bool frozen)
{
	const char *text = fz->kind == FREEZER_V1 ?
				   (frozen ? "FROZEN" : "THAWED") :
				   (frozen ? "1" : "0");
	char path[PATH_MAX], seen[32] = "";
	int64_t end;
	long delay_us = 500;
	bool done;
	int ret;

	ret = freezer_request(fz, node, frozen);
	if (ret < 0)
		return ret;
	ret = freezer_path_of(fz, node, freezer_state_file(fz), path,
			      sizeof(path));
	if (ret < 0)
		return ret;
	end = freezer_now_ms() + FREEZER_WAIT_MS;
	for (;;) {
		ret = freezer_done(fz, node, frozen, &done, seen, sizeof(seen));
		if (ret < 0 || done)
			return ret;
		if (freezer_now_ms() >= end)
			break;
		usleep((useconds_t)delay_us);
		if (delay_us < 16000)
			delay_us *= 2;
	}
	snprintf(fz->err, sizeof(fz->err),
		 "node \"%s\" still reads \"%s\" %d ms after \"%s\" was "
		 "written to \"%s\": a process in uninterruptible sleep "
		 "freezes when that sleep ends", node, seen, FREEZER_WAIT_MS,
		 text, path);
	return -ETIMEDOUT;
}

int freezer_get(struct freezer *fz, const char *node, bool *frozen)
{
	char seen[32];

	return freezer_done(fz, node, true, frozen, seen, sizeof(seen));
}

/*
 * Move every process listed in node's cgroup.procs to the root cgroup;
 * *moved counts them. Processes that exit meanwhile are no error.
 */
static int freezer_evict(struct freezer *fz, const char *node, size_t *moved)
{
	char procs[PATH_MAX], root[PATH_MAX], num[24];
	char *text, *p, *end;
	size_t len;
	int ret, n;

	ret = freezer_path_of(fz, node, "cgroup.procs", procs, sizeof(procs));
	if (ret < 0)
		return ret;
	n = snprintf(root, sizeof(root), "%s/cgroup.procs", fz->dir);
	if (n < 0 || (size_t)n >= sizeof(root))
		return freezer_fail(fz, -ENAMETOOLONG, "write", root);
	ret = file_read_all(procs, 1 << 24, 0, &text, &len);
	if (ret < 0)
		return freezer_fail(fz, ret, "read", procs);
	*moved = 0;
	for (p = text; *p; p = end) {
		long pid = strtol(p, &end, 10);

		if (end == p)
			break;
		while (*end == '\n')
			end++;
		if (pid <= 0)
			continue;
		snprintf(num, sizeof(num), "%ld", pid);
		ret = freezer_write(fz, root, num);
		if (ret == -ESRCH)
			continue;
		if (ret < 0)
			break;
		(*moved)++;
	}
	free(text);
	return ret == -ESRCH ? 0 : ret;
}

int freezer_node_remove(struct freezer *fz, const char *node)
{
	char path[PATH_MAX], base[PATH_MAX];
	size_t moved = 0;
	int ret, n;

	ret = freezer_path_of(fz, node, NULL, path, sizeof(path));
	if (ret < 0)
		return ret;
	if (access(path, F_OK) < 0)
		return freezer_fail(fz, -errno, "remove", path);
	ret = freezer_set(fz, node, false);
	if (ret < 0)
		return ret;
	for (int i = 0; i < FREEZER_REMOVE_ROUNDS; i++) {
		if (rmdir(path) == 0)
			goto out_base;
		if (errno == ENOENT)
			goto out_base;	/* removed by another cleanup */
		if (errno != EBUSY)
			return freezer_fail(fz, -errno, "remove", path);
		ret = freezer_evict(fz, node, &moved);
		if (ret < 0)
			return ret;
	}
	snprintf(fz->err, sizeof(fz->err),
		 "cannot remove \"%s\": processes keep arriving in it (%zu "
		 "moved out in the last of %d rounds)", path, moved,
		 FREEZER_REMOVE_ROUNDS);
	return -EBUSY;

out_base:
	/* The last node's removal takes DIR/lasermesh; others keep it. */
	n = snprintf(base, sizeof(base), "%s/%s", fz->dir, FREEZER_SUBDIR);
	if (n > 0 && (size_t)n < sizeof(base))
		rmdir(base);
	return 0;
}
