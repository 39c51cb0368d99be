// SPDX-License-Identifier: MIT
/* hosts.c - /etc/netns/NAME/hosts, so nodes reach each other by name */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap/file.h"
#include "tap/hosts.h"
#include "tap/netns.h"

/* First line of every hosts file we write; hosts_owner() looks for it. */
#define HOSTS_MAGIC "# lasermesh "

bool hosts_name_valid(const char *name, const char **why)
{
	const char *reason = NULL;

	if (!name || !*name) {
		reason = "is empty";
	} else if (strlen(name) > 253) {
		reason = "is longer than 253 bytes";
	} else if (name[0] == '-' || name[0] == '.') {
		reason = "starts with '-' or '.'";
	} else {
		for (const char *p = name; *p; p++) {
			char c = *p;

			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
			    c == '.')
				continue;
			reason = "has a character other than letters, digits, "
				 "'-', '_' and '.'";
			break;
		}
	}
	if (why)
		*why = reason;
	return !reason;
}

int hosts_render(const struct owner *owner, const struct hosts_entry *e,
		 size_t n, char **buf, size_t *len)
{
	char a[INET6_ADDRSTRLEN];
	FILE *f;
	int ret = 0;

	for (size_t i = 0; i < n; i++)
		if (!hosts_name_valid(e[i].name, NULL) ||
		    (!e[i].has_v4 && !e[i].has_v6))
			return -EINVAL;
	if (!owner || !owner->boot[0] || strpbrk(owner->boot, " \t\n"))
		return -EINVAL;

	f = open_memstream(buf, len);
	if (!f)
		return -errno;
	fprintf(f, HOSTS_MAGIC "pid=%d start=%" PRIu64 " boot=%s\n"
		"# Written by lasermesh for the namespaces of that run; "
		"`lasermesh cleanup` removes it.\n"
		"127.0.0.1\tlocalhost\n"
		"::1\tlocalhost ip6-localhost ip6-loopback\n"
		"ff02::1\tip6-allnodes\n"
		"ff02::2\tip6-allrouters\n\n",
		(int)owner->pid, owner->start, owner->boot);
	for (size_t i = 0; i < n; i++) {
		if (e[i].has_v4 && inet_ntop(AF_INET, &e[i].v4, a, sizeof(a)))
			fprintf(f, "%s\t%s\n", a, e[i].name);
		if (e[i].has_v6 &&
		    inet_ntop(AF_INET6, &e[i].v6, a, sizeof(a)))
			fprintf(f, "%s\t%s\n", a, e[i].name);
	}
	if (ferror(f))
		ret = -EIO;
	if (fclose(f) != 0 && ret == 0)
		ret = -errno;
	if (ret < 0) {
		free(*buf);
		*buf = NULL;
	}
	return ret;
}

/* /etc/netns/NAME into dir, /etc/netns/NAME/hosts into file. */
static int hosts_paths(const char *netns, char *dir, char *file, size_t len)
{
	int n;

	if (!netns_name_valid(netns, NULL))
		return -EINVAL;
	n = snprintf(dir, len, "%s/%s", HOSTS_ETC_NETNS_DIR, netns);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	n = snprintf(file, len, "%s/hosts", dir);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

static int hosts_owner_of_file(const char *file, struct owner *o)
{
	char line[256];
	unsigned long long start;
	int pid, used = 0;
	FILE *f;

	f = fopen(file, "re");
	if (!f)
		return -errno;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return -EBADMSG;
	}
	fclose(f);
	memset(o, 0, sizeof(*o));
	if (sscanf(line, HOSTS_MAGIC "pid=%d start=%llu boot=%39s%n", &pid,
		   &start, o->boot, &used) != 3 || used == 0 || pid <= 0)
		return -EBADMSG;
	o->pid = pid;
	o->start = start;
	return 0;
}

int hosts_owner(const char *netns, struct owner *o)
{
	char dir[PATH_MAX], file[PATH_MAX];
	int ret;

	ret = hosts_paths(netns, dir, file, sizeof(dir));
	if (ret < 0)
		return ret;
	return hosts_owner_of_file(file, o);
}

/*
 * Link master (a file in HOSTS_ETC_NETNS_DIR) as file, replacing a hosts
 * file of ours there: a link with another temp name, renamed over it.
 */
static int hosts_link(const char *master, const char *file)
{
	char tmp[PATH_MAX];
	int ret;

	if (link(master, file) == 0)
		return 0;
	if (errno != EEXIST)
		return -errno;
	ret = owner_temp_path(HOSTS_ETC_NETNS_DIR, "link", tmp, sizeof(tmp));
	if (ret < 0)
		return ret;
	if (unlink(tmp) < 0 && errno != ENOENT)
		return -errno;
	if (link(master, tmp) < 0)
		return -errno;
	if (rename(tmp, file) < 0) {
		ret = -errno;
		unlink(tmp);
		return ret;
	}
	return 0;
}

int hosts_write(const char *const *netns, size_t n, const char *buf,
		size_t len)
{
	char dir[PATH_MAX], file[PATH_MAX], master[PATH_MAX];
	struct owner o;
	int ret;

	for (size_t i = 0; i < n; i++)
		if (!netns_name_valid(netns[i], NULL))
			return -EINVAL;
	if (mkdir(HOSTS_ETC_NETNS_DIR, 0755) < 0 && errno != EEXIST)
		return -errno;
	/*
	 * The one file, as a temp file named by us in /etc/netns (not in a
	 * NAME directory, where `ip netns exec` would try to bind-mount it
	 * over /etc): a kill before its unlink below leaves debris that
	 * `lasermesh cleanup` recognises.
	 */
	ret = owner_temp_path(HOSTS_ETC_NETNS_DIR, "hosts", master,
			      sizeof(master));
	if (ret < 0)
		return ret;
	ret = file_write_atomic(master, master, buf, len);
	if (ret < 0)
		return ret;
	for (size_t i = 0; i < n && ret == 0; i++) {
		ret = hosts_paths(netns[i], dir, file, sizeof(dir));
		if (ret < 0)
			break;
		if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
			ret = -errno;
			break;
		}
		ret = hosts_owner_of_file(file, &o);
		if (ret == -EBADMSG) {
			ret = -EEXIST;	/* somebody else's hosts file */
			break;
		}
		if (ret < 0 && ret != -ENOENT)
			break;
		ret = hosts_link(master, file);
		if (ret == -EMLINK) {
			/* The file system's limit of links: a new copy. */
			ret = file_write_atomic(master, master, buf, len);
			if (ret == 0)
				ret = hosts_link(master, file);
		}
	}
	/* The links keep the file; the temp name goes. */
	unlink(master);
	return ret;
}

int hosts_remove(const char *netns)
{
	char dir[PATH_MAX], file[PATH_MAX];
	struct owner o;
	int ret;

	ret = hosts_paths(netns, dir, file, sizeof(dir));
	if (ret < 0)
		return ret;
	ret = hosts_owner_of_file(file, &o);
	if (ret < 0)
		return ret;
	if (unlink(file) < 0)
		return -errno;
	/* Leave the directory if the user keeps other files there. */
	if (rmdir(dir) < 0 && errno != ENOTEMPTY && errno != EEXIST &&
	    errno != ENOENT)
		return -errno;
	return 0;
}
