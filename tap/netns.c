// SPDX-License-Identifier: MIT
/* netns.c - named network namespaces, made and removed as `ip netns` does */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <linux/magic.h>
#include <net/if.h>

#include "tap/netns.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71	/* Linux 5.14 */
#endif

/* The calling thread's own namespace (not the thread group leader's). */
#define NETNS_SELF "/proc/thread-self/ns/net"

static bool netns_has_space(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return true;
	return false;
}

bool netns_name_valid(const char *name, const char **why)
{
	const char *reason = NULL;

	if (!name || !*name)
		reason = "is empty";
	else if (strchr(name, '/'))
		reason = "contains '/'";
	else if (netns_has_space(name))
		reason = "contains white space or a control character";
	else if (!strcmp(name, ".") || !strcmp(name, ".."))
		reason = "is \".\" or \"..\"";
	else if (strlen(name) > NAME_MAX)
		reason = "is longer than NAME_MAX (255) bytes";
	if (why)
		*why = reason;
	return !reason;
}

static int netns_path(const char *name, char *buf, size_t len)
{
	int n;

	if (!netns_name_valid(name, NULL))
		return -EINVAL;
	n = snprintf(buf, len, "%s/%s", NETNS_RUN_DIR, name);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

static pthread_mutex_t netns_share_lock = PTHREAD_MUTEX_INITIALIZER;
static bool netns_shared;

/*
 * As iproute2's netns_add(): make /run/netns a mount point with shared
 * propagation, so that unmounting a name in one mount namespace unmounts it
 * in all of them and the namespace can be freed. Done once per process:
 * with MS_REC the cost of the call grows with the number of names below.
 * A failure is not remembered: the next call tries again.
 */
static int netns_share_run_dir(void)
{
	bool bound = false;
	int ret = 0;

	pthread_mutex_lock(&netns_share_lock);
	if (netns_shared)
		goto out_unlock;
	if (mkdir(NETNS_RUN_DIR, 0755) < 0 && errno != EEXIST) {
		ret = -errno;
		goto out_unlock;
	}
	while (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) < 0) {
		/* EINVAL: not a mount point yet; bind it onto itself once. */
		if (errno != EINVAL || bound) {
			ret = -errno;
			goto out_unlock;
		}
		if (mount(NETNS_RUN_DIR, NETNS_RUN_DIR, "none",
			  MS_BIND | MS_REC, NULL) < 0) {
			ret = -errno;
			goto out_unlock;
		}
		bound = true;
	}
	netns_shared = true;
out_unlock:
	pthread_mutex_unlock(&netns_share_lock);
	return ret;
}

int netns_add(const char *name)
{
	char path[sizeof(NETNS_RUN_DIR) + NAME_MAX + 2];
	int fd, saved, ret;

	ret = netns_path(name, path, sizeof(path));
	if (ret < 0)
		return ret;
	ret = netns_share_run_dir();
	if (ret < 0)
		return ret;

	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	close(fd);

	saved = open(NETNS_SELF, O_RDONLY | O_CLOEXEC);
	if (saved < 0) {
		ret = -errno;
		goto out_unlink;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		ret = -errno;
		goto out_close_saved;
	}
	/* Bind the namespace last, as iproute2 does: watchers see it whole. */
	if (mount(NETNS_SELF, path, "none", MS_BIND, NULL) < 0)
		ret = -errno;
	if (setns(saved, CLONE_NEWNET) < 0 && ret == 0)
		ret = -errno;
	close(saved);
	if (ret < 0)
		goto out_umount;
	return 0;

out_umount:
	umount2(path, MNT_DETACH);
	goto out_unlink;
out_close_saved:
	close(saved);
out_unlink:
	unlink(path);
	return ret;
}

int netns_del(const char *name)
{
	char path[sizeof(NETNS_RUN_DIR) + NAME_MAX + 2];
	int ret;

	ret = netns_path(name, path, sizeof(path));
	if (ret < 0)
		return ret;
	/* Not mounted (a half-made name) is fine: the file still goes. */
	umount2(path, MNT_DETACH);
	if (unlink(path) < 0)
		return -errno;
	return 0;
}

static bool netns_is_nsfs(const char *path)
{
	struct statfs sfs;

	return statfs(path, &sfs) == 0 && sfs.f_type == NSFS_MAGIC;
}

bool netns_exists(const char *name)
{
	char path[sizeof(NETNS_RUN_DIR) + NAME_MAX + 2];

	if (netns_path(name, path, sizeof(path)) < 0)
		return false;
	return netns_is_nsfs(path);
}

/*
 * What `ip netns add` or netns_add() leaves when killed after creating the
 * name and before the bind mount, or `ip netns del` / netns_del() between
 * the unmount and the unlink: an empty regular file on /run/netns's own
 * file system (a mount point would be on another device).
 */
static bool netns_path_is_stub(const char *path)
{
	struct stat st, dir;

	if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size != 0)
		return false;
	if (stat(NETNS_RUN_DIR, &dir) < 0 || dir.st_dev != st.st_dev)
		return false;
	return !netns_is_nsfs(path);
}

bool netns_is_stub(const char *name)
{
	char path[sizeof(NETNS_RUN_DIR) + NAME_MAX + 2];

	if (netns_path(name, path, sizeof(path)) < 0)
		return false;
	return netns_path_is_stub(path);
}

int netns_remove_stub(const char *name)
{
	char path[sizeof(NETNS_RUN_DIR) + NAME_MAX + 2];
	struct stat st;
	int ret;

	ret = netns_path(name, path, sizeof(path));
	if (ret < 0)
		return ret;
	if (lstat(path, &st) < 0)
		return -errno;
	if (!netns_path_is_stub(path))
		return -EBUSY;
	if (unlink(path) < 0)
		return -errno;
	return 0;
}

/* Whether an interface other than "lo" is in the namespace nsfd. */
static int netns_has_links(int nsfd, bool *has)
{
	struct if_nameindex *idx;
	int saved, ret, err = 0;

	ret = netns_enter(nsfd, &saved);
	if (ret < 0)
		return ret;
	/* glibc asks the netlink socket of the thread's namespace. */
	idx = if_nameindex();
	if (!idx)
		err = -errno;
	ret = netns_leave(saved);
	if (!idx)
		return ret ?: err;
	*has = false;
	for (struct if_nameindex *i = idx; i->if_index; i++)
		if (strcmp(i->if_name, "lo") != 0)
			*has = true;
	if_freenameindex(idx);
	return ret;
}

/* Whether a thread of pid (a /proc entry) has ns as its namespace. */
static bool netns_pid_in(const char *pid, const struct stat *ns)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat st;
	bool in = false;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%s/task", pid);
	d = opendir(path);
	if (!d)
		return false;	/* gone meanwhile */
	while (!in && (de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/task/%s/ns/net", pid,
			 de->d_name);
		in = stat(path, &st) == 0 && st.st_dev == ns->st_dev &&
		     st.st_ino == ns->st_ino;
	}
	closedir(d);
	return in;
}

int netns_in_use(const char *name, bool *in_use)
{
	struct dirent *de;
	struct stat ns;
	int fd, ret;
	DIR *d;

	ret = netns_open(name, &fd);
	if (ret < 0)
		return ret;
	if (fstat(fd, &ns) < 0)
		ret = -errno;
	else
		ret = netns_has_links(fd, in_use);
	close(fd);
	if (ret < 0 || *in_use)
		return ret;

	d = opendir("/proc");
	if (!d)
		return -errno;
	while (!*in_use && (de = readdir(d)))
		if (de->d_name[0] >= '0' && de->d_name[0] <= '9')
			*in_use = netns_pid_in(de->d_name, &ns);
	closedir(d);
	return 0;
}

int netns_open(const char *name, int *fd)
{
	char path[sizeof(NETNS_RUN_DIR) + NAME_MAX + 2];
	int ret;

	ret = netns_path(name, path, sizeof(path));
	if (ret < 0)
		return ret;
	if (!netns_is_nsfs(path))
		return -ENOENT;
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return -errno;
	return 0;
}

int netns_enter(int nsfd, int *saved)
{
	int old, ret;

	old = open(NETNS_SELF, O_RDONLY | O_CLOEXEC);
	if (old < 0)
		return -errno;
	if (setns(nsfd, CLONE_NEWNET) < 0) {
		ret = -errno;
		close(old);
		return ret;
	}
	*saved = old;
	return 0;
}

int netns_leave(int saved)
{
	int ret = 0;

	if (setns(saved, CLONE_NEWNET) < 0)
		ret = -errno;
	close(saved);
	return ret;
}

int netns_cookie(const char *name, uint64_t *cookie)
{
	socklen_t len = sizeof(*cookie);
	int nsfd, saved, sock, ret;

	ret = netns_open(name, &nsfd);
	if (ret < 0)
		return ret;
	ret = netns_enter(nsfd, &saved);
	if (ret < 0)
		goto out_close_ns;
	/* Any socket tells the namespace it was created in. */
	sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		ret = -errno;
	ret = netns_leave(saved) ?: ret;
	if (sock < 0)
		goto out_close_ns;
	if (ret == 0 &&
	    getsockopt(sock, SOL_SOCKET, SO_NETNS_COOKIE, cookie, &len) < 0)
		ret = -errno;
	close(sock);
out_close_ns:
	close(nsfd);
	return ret;
}
