// SPDX-License-Identifier: MIT
/* marker.c - ownership marks on everything a run creates, and their cleanup */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tap/hosts.h"
#include "tap/marker.h"
#include "tap/netns.h"

/*
 * File formats, one "key value" per line after a magic first line:
 *
 *	lasermesh-mark 1		lasermesh-run 1
 *	pid 4242			pid 4242
 *	start 123456			start 123456
 *	boot c3dc82c1-...		boot c3dc82c1-...
 *	cookie 8193			node london
 *					node paris
 */
#define MARKER_MAGIC "lasermesh-mark 1\n"
#define MARKER_RUN_MAGIC "lasermesh-run 1\n"
#define MARKER_BOOT_ID "/proc/sys/kernel/random/boot_id"

/* Read a whole small file into a NUL-terminated malloc'd buffer. */
static int marker_slurp(const char *path, char **out)
{
	size_t cap = 4096, len = 0;
	char *buf, *nbuf;
	ssize_t r;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(cap);
	if (!buf) {
		ret = -ENOMEM;
		goto out_close;
	}
	for (;;) {
		if (len + 1 >= cap) {
			nbuf = realloc(buf, cap * 2);
			if (!nbuf) {
				ret = -ENOMEM;
				goto out_free;
			}
			buf = nbuf;
			cap *= 2;
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = -errno;
			goto out_free;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	buf[len] = '\0';
	close(fd);
	*out = buf;
	return 0;

out_free:
	free(buf);
out_close:
	close(fd);
	return ret;
}

static int marker_boot_id(char boot[40])
{
	char *buf, *nl;
	int ret;

	ret = marker_slurp(MARKER_BOOT_ID, &buf);
	if (ret < 0)
		return ret;
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	snprintf(boot, 40, "%s", buf);
	free(buf);
	return boot[0] ? 0 : -EIO;
}

/*
 * State (field 3) and start time (field 22) of /proc/PID/stat. Field 2,
 * the command, may hold spaces and parentheses: count from the last ')'.
 */
static int marker_proc_stat(pid_t pid, char *state, uint64_t *start)
{
	char path[64], *buf, *p, *end;
	int ret;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	ret = marker_slurp(path, &buf);
	if (ret == -ENOENT)
		return -ESRCH;
	if (ret < 0)
		return ret;
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ' || !p[2]) {
		ret = -EIO;
		goto out_free;
	}
	p += 2;
	*state = *p;
	for (int field = 3; field < 22; field++) {
		p = strchr(p, ' ');
		if (!p) {
			ret = -EIO;
			goto out_free;
		}
		p++;
	}
	errno = 0;
	*start = strtoull(p, &end, 10);
	if (errno || end == p)
		ret = -EIO;
out_free:
	free(buf);
	return ret;
}

int marker_owner_of(pid_t pid, struct marker_owner *o)
{
	char state;
	int ret;

	if (pid <= 0)
		return -EINVAL;
	memset(o, 0, sizeof(*o));
	ret = marker_proc_stat(pid, &state, &o->start);
	if (ret < 0)
		return ret;
	o->pid = pid;
	return marker_boot_id(o->boot);
}

bool marker_owner_alive(const struct marker_owner *o)
{
	char boot[40], state;
	uint64_t start;

	if (!o || o->pid <= 0)
		return false;
	if (marker_boot_id(boot) < 0 || strcmp(boot, o->boot) != 0)
		return false;
	if (marker_proc_stat(o->pid, &state, &start) < 0)
		return false;
	/* A zombie has exited: its namespaces are nobody's any more. */
	return start == o->start && state != 'Z' && state != 'X';
}

int marker_file_write(const char *path, const char *tmpdir, const void *buf,
		      size_t len)
{
	char tmp[PATH_MAX], state;
	const char *p = buf;
	uint64_t start;
	ssize_t w;
	int fd, n, ret = 0;

	/* The writer in the name: see marker_temp_writer(). */
	if (marker_proc_stat(getpid(), &state, &start) == 0)
		n = snprintf(tmp, sizeof(tmp),
			     "%s/" MARKER_TEMP_PREFIX "%d-%" PRIu64 "-XXXXXX",
			     tmpdir, (int)getpid(), start);
	else
		n = snprintf(tmp, sizeof(tmp),
			     "%s/" MARKER_TEMP_PREFIX "XXXXXX", tmpdir);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len > 0) {
		w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			ret = -errno;
			goto out_close;
		}
		p += w;
		len -= (size_t)w;
	}
	if (fchmod(fd, 0644) < 0)
		ret = -errno;
out_close:
	if (close(fd) < 0 && ret == 0)
		ret = -errno;
	if (ret == 0 && rename(tmp, path) < 0)
		ret = -errno;
	if (ret < 0)
		unlink(tmp);
	return ret;
}

static int marker_mkdirs(void)
{
	if (mkdir(MARKER_DIR, 0755) < 0 && errno != EEXIST)
		return -errno;
	if (mkdir(MARKER_NETNS_DIR, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int marker_path(const char *name, char *buf, size_t len)
{
	int n;

	if (!netns_name_valid(name, NULL))
		return -EINVAL;
	n = snprintf(buf, len, "%s/%s", MARKER_NETNS_DIR, name);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

static int marker_store(const char *name, const struct marker_owner *o,
			uint64_t cookie)
{
	char path[PATH_MAX], buf[256];
	int ret, n;

	ret = marker_path(name, path, sizeof(path));
	if (ret < 0)
		return ret;
	ret = marker_mkdirs();
	if (ret < 0)
		return ret;
	n = snprintf(buf, sizeof(buf),
		     MARKER_MAGIC "pid %d\nstart %" PRIu64 "\nboot %s\n"
		     "cookie %" PRIu64 "\n",
		     (int)o->pid, o->start, o->boot, cookie);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return -EOVERFLOW;
	return marker_file_write(path, MARKER_DIR, buf, (size_t)n);
}

int marker_write(const char *name, pid_t pid)
{
	struct marker_owner o;
	int ret;

	if (!netns_name_valid(name, NULL))
		return -EINVAL;
	ret = marker_owner_of(pid, &o);
	if (ret < 0)
		return ret;
	return marker_store(name, &o, 0);
}

int marker_bind(const char *name)
{
	struct marker_owner o;
	uint64_t cookie;
	int ret;

	ret = marker_read(name, &o, &cookie);
	if (ret < 0)
		return ret;
	ret = netns_cookie(name, &cookie);
	if (ret < 0)
		return ret;
	return marker_store(name, &o, cookie);
}

/*
 * Parse "key value" lines after magic: the owner keys into o, and each
 * other key to on_key (may be NULL) with its value.
 */
static int marker_parse(char *text, const char *magic,
			struct marker_owner *o,
			int (*on_key)(const char *key, const char *val,
				      void *arg),
			void *arg)
{
	char *line, *save = NULL, *val, *end;
	unsigned long long v;
	bool have_pid = false;
	int ret;

	if (strncmp(text, magic, strlen(magic)) != 0)
		return -EBADMSG;
	memset(o, 0, sizeof(*o));
	for (line = strtok_r(text + strlen(magic), "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		val = strchr(line, ' ');
		if (!val)
			return -EBADMSG;
		*val++ = '\0';
		if (!strcmp(line, "pid") || !strcmp(line, "start")) {
			errno = 0;
			v = strtoull(val, &end, 10);
			if (errno || end == val || *end)
				return -EBADMSG;
			if (line[0] == 'p') {
				if (v == 0 || v > INT32_MAX)
					return -EBADMSG;
				o->pid = (pid_t)v;
				have_pid = true;
			} else {
				o->start = v;
			}
		} else if (!strcmp(line, "boot")) {
			snprintf(o->boot, sizeof(o->boot), "%s", val);
		} else if (on_key) {
			ret = on_key(line, val, arg);
			if (ret < 0)
				return ret;
		}
	}
	return have_pid ? 0 : -EBADMSG;
}

static int marker_cookie_key(const char *key, const char *val, void *arg)
{
	uint64_t *cookie = arg;
	char *end;

	if (strcmp(key, "cookie") != 0)
		return 0;	/* a key from a later version */
	errno = 0;
	*cookie = strtoull(val, &end, 10);
	if (errno || end == val || *end)
		return -EBADMSG;
	return 0;
}

int marker_read(const char *name, struct marker_owner *o, uint64_t *cookie)
{
	char path[PATH_MAX], *text;
	uint64_t c = 0;
	int ret;

	ret = marker_path(name, path, sizeof(path));
	if (ret < 0)
		return ret;
	ret = marker_slurp(path, &text);
	if (ret < 0)
		return ret;
	ret = marker_parse(text, MARKER_MAGIC, o, marker_cookie_key, &c);
	free(text);
	if (ret == 0 && cookie)
		*cookie = c;
	return ret;
}

int marker_remove(const char *name)
{
	char path[PATH_MAX];
	int ret;

	ret = marker_path(name, path, sizeof(path));
	if (ret < 0)
		return ret;
	if (unlink(path) < 0)
		return -errno;
	return 0;
}

/* The entry for name in list, or NULL. */
static struct marker_entry *marker_find(struct marker_entry *list, size_t n,
					const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i].name, name))
			return &list[i];
	return NULL;
}

static int marker_push(struct marker_entry **list, size_t *n, size_t *cap,
		       struct marker_entry **e)
{
	struct marker_entry *nl;

	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;

		nl = realloc(*list, ncap * sizeof(**list));
		if (!nl)
			return -ENOMEM;
		*list = nl;
		*cap = ncap;
	}
	*e = &(*list)[(*n)++];
	memset(*e, 0, sizeof(**e));
	return 0;
}

static int marker_entry_cmp(const void *a, const void *b)
{
	const struct marker_entry *x = a, *y = b;

	return strcmp(x->name, y->name);
}

/* Every mark in MARKER_NETNS_DIR. */
static int marker_scan_marks(struct marker_entry **list, size_t *n,
			     size_t *cap)
{
	struct marker_entry *e;
	struct marker_owner o, h;
	struct dirent *de;
	uint64_t cookie, now;
	bool busy;
	DIR *d;
	int ret = 0;

	d = opendir(MARKER_NETNS_DIR);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (!netns_name_valid(de->d_name, NULL))
			continue;	/* ".", ".." */
		if (marker_read(de->d_name, &o, &cookie) < 0)
			continue;	/* vanished, or not a mark of ours */
		ret = marker_push(list, n, cap, &e);
		if (ret < 0)
			break;
		snprintf(e->name, sizeof(e->name), "%s", de->d_name);
		e->owner = o;
		e->alive = marker_owner_alive(&o);
		e->has_mark = true;
		e->has_netns = netns_exists(e->name);
		e->has_stub = !e->has_netns && netns_is_stub(e->name);
		/*
		 * A mark not yet bound (killed between netns_add() and
		 * marker_bind()) claims the namespace of its name only while
		 * nothing is in it: see marker_cleanup() in marker.h.
		 */
		if (e->has_netns && cookie)
			e->netns_ours = netns_cookie(e->name, &now) == 0 &&
					now == cookie;
		else if (e->has_netns)
			e->netns_ours = netns_in_use(e->name, &busy) == 0 &&
					!busy;
		e->has_etc = hosts_owner(e->name, &h) == 0;
	}
	closedir(d);
	return ret;
}

/* Every /etc/netns/NAME holding our hosts file but no mark any more. */
static int marker_scan_etc(struct marker_entry **list, size_t *n,
			   size_t *cap)
{
	struct marker_entry *e;
	struct marker_owner o;
	struct dirent *de;
	DIR *d;
	int ret = 0;

	d = opendir(HOSTS_ETC_NETNS_DIR);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (!netns_name_valid(de->d_name, NULL))
			continue;
		if (marker_find(*list, *n, de->d_name))
			continue;
		if (hosts_owner(de->d_name, &o) < 0)
			continue;	/* not ours, or not a directory */
		ret = marker_push(list, n, cap, &e);
		if (ret < 0)
			break;
		snprintf(e->name, sizeof(e->name), "%s", de->d_name);
		e->owner = o;
		e->alive = marker_owner_alive(&o);
		e->has_netns = netns_exists(e->name);
		e->has_etc = true;
	}
	closedir(d);
	return ret;
}

int marker_list(struct marker_entry **out, size_t *n)
{
	struct marker_entry *list = NULL;
	size_t cnt = 0, cap = 0;
	int ret;

	ret = marker_scan_marks(&list, &cnt, &cap);
	if (ret == 0)
		ret = marker_scan_etc(&list, &cnt, &cap);
	if (ret < 0) {
		free(list);
		return ret;
	}
	if (cnt)
		qsort(list, cnt, sizeof(*list), marker_entry_cmp);
	*out = list;
	*n = cnt;
	return 0;
}

static bool marker_same_owner(const struct marker_owner *a,
			      const struct marker_owner *b)
{
	return a->pid == b->pid && a->start == b->start &&
	       !strcmp(a->boot, b->boot);
}

/*
 * Which entries to remove: owner dead (only_dead), the given owner (owner
 * not NULL), or everything.
 */
struct marker_filter {
	bool only_dead;
	const struct marker_owner *owner;
};

static bool marker_wanted(const struct marker_filter *f,
			  const struct marker_owner *o, bool alive)
{
	if (f->owner)
		return marker_same_owner(f->owner, o);
	return !(f->only_dead && alive);
}

/*
 * The writer named by a temp file's name: MARKER_TEMP_PREFIX, pid, '-',
 * start time, '-' and mkstemp()'s six characters. False for a name without
 * one (written by an older version).
 */
static bool marker_temp_writer(const char *name, pid_t *pid,
			       uint64_t *start)
{
	const char *p = name + strlen(MARKER_TEMP_PREFIX);
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)*p))
		return false;
	errno = 0;
	v = strtoull(p, &end, 10);
	if (errno || *end != '-' || v == 0 || v > INT32_MAX)
		return false;
	*pid = (pid_t)v;
	p = end + 1;
	if (!isdigit((unsigned char)*p))
		return false;
	*start = strtoull(p, &end, 10);
	return !errno && *end == '-' && strlen(end + 1) == 6;
}

/* Boot time (s since the epoch, "btime" of /proc/stat), 0 if unknown. */
static time_t marker_boot_time(void)
{
	char *buf, *p;
	time_t t = 0;

	if (marker_slurp("/proc/stat", &buf) < 0)
		return 0;
	p = strstr(buf, "\nbtime ");
	if (p)
		t = (time_t)strtoll(p + 7, NULL, 10);
	free(buf);
	return t;
}

/*
 * Whether the writer of a temp file may still be at work: pid runs with
 * that start time, and the file is from this boot (btime moves by a second
 * from one read to the next). Unsure (cannot read /proc) counts as alive.
 */
static bool marker_temp_writer_alive(pid_t pid, uint64_t start,
				     const struct stat *st, time_t btime)
{
	uint64_t now;
	char state;
	int ret;

	if (btime && st->st_mtime + 2 < btime)
		return false;
	ret = marker_proc_stat(pid, &state, &now);
	if (ret < 0)
		return ret != -ESRCH;
	return now == start && state != 'Z' && state != 'X';
}

struct marker_sweep {
	const struct marker_filter *f;
	bool claimed;		/* the directory of an entry being removed */
	time_t now, btime;
};

/*
 * Whether the temp file name (stat st) is debris. One that names its
 * writer goes when the writer is dead (or is the owner being cleaned up);
 * one that does not, when older than MARKER_TEMP_AGE, since a writer
 * spends microseconds between mkstemp() and rename(), or at once in a
 * directory that belongs to an entry being removed.
 */
static bool marker_temp_doomed(const struct marker_sweep *sw,
			       const char *name, const struct stat *st)
{
	const struct marker_filter *f = sw->f;
	uint64_t start;
	pid_t pid;

	if (!marker_temp_writer(name, &pid, &start)) {
		if (sw->claimed)
			return true;
		return !f->owner && sw->now - st->st_mtime > MARKER_TEMP_AGE;
	}
	if (f->owner)
		return f->owner->pid == pid && f->owner->start == start;
	if (!f->only_dead)
		return true;
	return !marker_temp_writer_alive(pid, start, st, sw->btime);
}

/* Remove the temp files of dir that are debris. */
static int marker_sweep_temps(const char *dir, const struct marker_filter *f,
			      bool claimed)
{
	struct marker_sweep sw = {
		.f = f,
		.claimed = claimed,
		.now = time(NULL),
		.btime = marker_boot_time(),
	};
	struct dirent *de;
	struct stat st;
	int fd, ret = 0;
	DIR *d;

	/* Never follow a symlink put in place of an entry's directory. */
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
		       (claimed ? O_NOFOLLOW : 0));
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	d = fdopendir(fd);
	if (!d) {
		ret = -errno;
		close(fd);
		return ret;
	}
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, MARKER_TEMP_PREFIX,
			    strlen(MARKER_TEMP_PREFIX)) != 0)
			continue;
		if (fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (!marker_temp_doomed(&sw, de->d_name, &st))
			continue;
		if (unlinkat(fd, de->d_name, 0) < 0 && errno != ENOENT &&
		    ret == 0)
			ret = -errno;
	}
	closedir(d);
	return ret;
}

/*
 * /etc/netns/NAME of an entry being removed, after our hosts file: its
 * temp files, then the directory if that leaves it empty. A kill inside
 * hosts_write() between mkdir() and rename() leaves it so, without the
 * hosts file that would say it is ours; the entry's mark says it instead.
 */
static int marker_remove_etc_dir(const char *name,
				 const struct marker_filter *f)
{
	char dir[PATH_MAX];
	int n, ret;

	n = snprintf(dir, sizeof(dir), "%s/%s", HOSTS_ETC_NETNS_DIR, name);
	if (n < 0 || (size_t)n >= sizeof(dir))
		return -ENAMETOOLONG;
	ret = marker_sweep_temps(dir, f, true);
	if (ret == -ENOTDIR || ret == -ELOOP)
		return 0;	/* not a directory: not ours */
	if (ret < 0)
		return ret;
	if (rmdir(dir) < 0 && errno != ENOENT && errno != ENOTEMPTY &&
	    errno != EEXIST)
		return -errno;
	return 0;
}

/*
 * Whether e still stands as marker_list() found it: the same owner's mark,
 * or still no mark. Another run may have marked the name meanwhile.
 */
static bool marker_unchanged(const struct marker_entry *e)
{
	struct marker_owner o;

	if (!e->has_mark)
		return marker_read(e->name, &o, NULL) == -ENOENT;
	return marker_read(e->name, &o, NULL) == 0 &&
	       marker_same_owner(&o, &e->owner);
}

static int marker_cleanup_filter(const struct marker_filter *f,
				 size_t *removed)
{
	static const char *const temp_dirs[] = {
		MARKER_DIR, MARKER_NETNS_DIR, HOSTS_ETC_NETNS_DIR,
	};
	struct marker_entry *list;
	struct marker_run *runs;
	size_t n, nruns, count = 0;
	int ret, first = 0;

	ret = marker_list(&list, &n);
	if (ret < 0)
		return ret;
	for (size_t i = 0; i < n; i++) {
		struct marker_entry *e = &list[i];

		if (!marker_wanted(f, &e->owner, e->alive))
			continue;
		if (!marker_unchanged(e))
			continue;
		if (e->has_netns && e->netns_ours) {
			ret = netns_del(e->name);
			if (ret < 0 && ret != -ENOENT) {
				/* Keep the mark, so that a retry finds it. */
				first = first ?: ret;
				continue;
			}
			count++;
		} else if (e->has_stub) {
			/* -EBUSY: no longer a stub, somebody else's now */
			ret = netns_remove_stub(e->name);
			if (ret < 0 && ret != -ENOENT && ret != -EBUSY) {
				first = first ?: ret;
				continue;
			}
		}
		if (e->has_etc) {
			ret = hosts_remove(e->name);
			if (ret < 0 && ret != -ENOENT)
				first = first ?: ret;
		}
		ret = marker_remove_etc_dir(e->name, f);
		if (ret < 0)
			first = first ?: ret;
		if (e->has_mark) {
			ret = marker_remove(e->name);
			if (ret < 0 && ret != -ENOENT)
				first = first ?: ret;
		}
	}
	free(list);

	ret = marker_run_list(&runs, &nruns);
	if (ret < 0) {
		first = first ?: ret;
	} else {
		for (size_t i = 0; i < nruns; i++) {
			if (!marker_wanted(f, &runs[i].owner, runs[i].alive))
				continue;
			ret = marker_run_remove(runs[i].owner.pid);
			if (ret < 0 && ret != -ENOENT)
				first = first ?: ret;
		}
		marker_run_list_free(runs, nruns);
	}
	for (size_t i = 0; i < sizeof(temp_dirs) / sizeof(*temp_dirs); i++) {
		ret = marker_sweep_temps(temp_dirs[i], f, false);
		if (ret < 0)
			first = first ?: ret;
	}
	if (removed)
		*removed = count;
	return first;
}

int marker_cleanup(bool only_dead, size_t *removed)
{
	struct marker_filter f = { .only_dead = only_dead };

	return marker_cleanup_filter(&f, removed);
}

int marker_cleanup_owner(const struct marker_owner *owner, size_t *removed)
{
	struct marker_filter f = { .owner = owner };

	if (!owner)
		return -EINVAL;
	return marker_cleanup_filter(&f, removed);
}

static void marker_run_path(pid_t pid, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%d.run", MARKER_DIR, (int)pid);
}

int marker_run_write(pid_t pid, const char *const *names, size_t n)
{
	struct marker_owner o;
	char path[PATH_MAX];
	size_t len;
	char *buf;
	FILE *f;
	int ret;

	for (size_t i = 0; i < n; i++)
		if (!netns_name_valid(names[i], NULL))
			return -EINVAL;
	ret = marker_owner_of(pid, &o);
	if (ret < 0)
		return ret;
	ret = marker_mkdirs();
	if (ret < 0)
		return ret;
	f = open_memstream(&buf, &len);
	if (!f)
		return -errno;
	fprintf(f, MARKER_RUN_MAGIC "pid %d\nstart %" PRIu64 "\nboot %s\n",
		(int)o.pid, o.start, o.boot);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "node %s\n", names[i]);
	ret = ferror(f) ? -EIO : 0;
	if (fclose(f) != 0 && ret == 0)
		ret = -errno;
	if (ret == 0) {
		marker_run_path(pid, path, sizeof(path));
		ret = marker_file_write(path, MARKER_DIR, buf, len);
	}
	free(buf);
	return ret;
}

int marker_run_remove(pid_t pid)
{
	char path[PATH_MAX];

	marker_run_path(pid, path, sizeof(path));
	if (unlink(path) < 0)
		return -errno;
	return 0;
}

static int marker_run_key(const char *key, const char *val, void *arg)
{
	struct marker_run *run = arg;
	char **names;

	if (strcmp(key, "node") != 0)
		return 0;
	names = realloc(run->names, (run->n + 1) * sizeof(*names));
	if (!names)
		return -ENOMEM;
	run->names = names;
	names[run->n] = strdup(val);
	if (!names[run->n])
		return -ENOMEM;
	run->n++;
	return 0;
}

int marker_run_read(pid_t pid, struct marker_run *run)
{
	char path[PATH_MAX], *text;
	int ret;

	memset(run, 0, sizeof(*run));
	if (pid <= 0)
		return -EINVAL;
	marker_run_path(pid, path, sizeof(path));
	ret = marker_slurp(path, &text);
	if (ret < 0)
		return ret;
	ret = marker_parse(text, MARKER_RUN_MAGIC, &run->owner,
			   marker_run_key, run);
	free(text);
	if (ret < 0) {
		marker_run_release(run);
		return ret;
	}
	run->alive = marker_owner_alive(&run->owner);
	return 0;
}

void marker_run_release(struct marker_run *run)
{
	if (!run)
		return;
	for (size_t i = 0; i < run->n; i++)
		free(run->names[i]);
	free(run->names);
	run->names = NULL;
	run->n = 0;
}

static int marker_run_cmp(const void *a, const void *b)
{
	const struct marker_run *x = a, *y = b;

	return (x->owner.pid > y->owner.pid) - (x->owner.pid < y->owner.pid);
}

int marker_run_list(struct marker_run **out, size_t *n)
{
	struct marker_run *runs = NULL, *nr;
	size_t cnt = 0, cap = 0;
	struct dirent *de;
	char *end;
	long pid;
	DIR *d;
	int ret = 0;

	*out = NULL;
	*n = 0;
	d = opendir(MARKER_DIR);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		errno = 0;
		pid = strtol(de->d_name, &end, 10);
		if (errno || end == de->d_name || strcmp(end, ".run") != 0 ||
		    pid <= 0 || pid > INT32_MAX)
			continue;
		if (cnt == cap) {
			cap = cap ? cap * 2 : 8;
			nr = realloc(runs, cap * sizeof(*runs));
			if (!nr) {
				ret = -ENOMEM;
				break;
			}
			runs = nr;
		}
		if (marker_run_read((pid_t)pid, &runs[cnt]) == 0)
			cnt++;
	}
	closedir(d);
	if (ret < 0) {
		marker_run_list_free(runs, cnt);
		return ret;
	}
	if (cnt)
		qsort(runs, cnt, sizeof(*runs), marker_run_cmp);
	*out = runs;
	*n = cnt;
	return 0;
}

void marker_run_list_free(struct marker_run *runs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		marker_run_release(&runs[i]);
	free(runs);
}
