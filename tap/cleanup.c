// SPDX-License-Identifier: MIT
/* cleanup.c - find and remove what runs left behind (`lasermesh cleanup`) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tap/cleanup.h"
#include "tap/freezer.h"
#include "tap/hosts.h"
#include "tap/mark.h"
#include "tap/netns.h"
#include "tap/nodestate.h"
#include "tap/runfile.h"
#include "topo/lib/array.h"
#include "topo/lib/util.h"

struct cleanup_vec {
	struct cleanup_entry *e;
	size_t n, cap;
};

/* The entry for name, or NULL. */
static struct cleanup_entry *cleanup_find(const struct cleanup_vec *v,
					  const char *name)
{
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->e[i].name, name))
			return &v->e[i];
	return NULL;
}

/* A new zeroed entry called name at the end of v. */
static int cleanup_push(struct cleanup_vec *v, const char *name,
			struct cleanup_entry **e)
{
	int ret;

	ret = array_grow((void **)&v->e, &v->cap, v->n + 1, sizeof(*v->e), 16);
	if (ret < 0)
		return ret;
	*e = &v->e[v->n++];
	memset(*e, 0, sizeof(**e));
	snprintf((*e)->name, sizeof((*e)->name), "%s", name);
	return 0;
}

static int cleanup_entry_cmp(const void *a, const void *b)
{
	const struct cleanup_entry *x = a, *y = b;

	return strcmp(x->name, y->name);
}

/* Every mark in MARK_NETNS_DIR. */
static int cleanup_scan_marks(struct cleanup_vec *v)
{
	struct cleanup_entry *e;
	struct owner o, h;
	struct dirent *de;
	uint64_t cookie, now;
	bool busy;
	DIR *d;
	int ret = 0;

	d = opendir(MARK_NETNS_DIR);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (!netns_name_valid(de->d_name, NULL))
			continue;	/* ".", ".." */
		if (mark_read(de->d_name, &o, &cookie) < 0)
			continue;	/* vanished, or not a mark of ours */
		ret = cleanup_push(v, de->d_name, &e);
		if (ret < 0)
			break;
		e->owner = o;
		e->alive = owner_alive(&o);
		e->has_mark = true;
		e->has_netns = netns_exists(e->name);
		e->has_stub = !e->has_netns && netns_is_stub(e->name);
		/*
		 * A mark not yet bound (killed between netns_add() and
		 * mark_bind()) claims the namespace of its name only while
		 * nothing is in it: see cleanup_run() in cleanup.h.
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
static int cleanup_scan_etc(struct cleanup_vec *v)
{
	struct cleanup_entry *e;
	struct owner o;
	struct dirent *de;
	DIR *d;
	int ret = 0;

	d = opendir(HOSTS_ETC_NETNS_DIR);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (!netns_name_valid(de->d_name, NULL))
			continue;
		if (cleanup_find(v, de->d_name))
			continue;
		if (hosts_owner(de->d_name, &o) < 0)
			continue;	/* not ours, or not a directory */
		ret = cleanup_push(v, de->d_name, &e);
		if (ret < 0)
			break;
		e->owner = o;
		e->alive = owner_alive(&o);
		e->has_netns = netns_exists(e->name);
		e->has_etc = true;
	}
	closedir(d);
	return ret;
}

int cleanup_list(struct cleanup_entry **out, size_t *n)
{
	struct cleanup_vec v = { 0 };
	int ret;

	ret = cleanup_scan_marks(&v);
	if (ret == 0)
		ret = cleanup_scan_etc(&v);
	if (ret < 0) {
		free(v.e);
		return ret;
	}
	if (v.n)
		qsort(v.e, v.n, sizeof(*v.e), cleanup_entry_cmp);
	*out = v.e;
	*n = v.n;
	return 0;
}

static bool cleanup_wanted(const struct cleanup_filter *f,
			   const struct owner *o, bool alive)
{
	if (f->pid > 0 && o->pid != f->pid)
		return false;
	return !(f->only_dead && alive);
}

/*
 * Whether the temp file name (stat st) is debris. One that names its
 * writer goes when f wants that writer and the writer is not at work. One
 * that does not (older versions) goes at once in a directory that belongs
 * to an entry being removed, else when older than CLEANUP_TEMP_AGE (a
 * writer spends microseconds between creating and renaming it), but never
 * for a cleanup of one pid.
 */
static bool cleanup_temp_doomed(const struct cleanup_filter *f, bool claimed,
				const char *name, const struct stat *st)
{
	struct owner w;

	if (!owner_temp_writer(name, &w)) {
		if (claimed)
			return true;
		return f->pid <= 0 &&
		       time(NULL) - st->st_mtime > CLEANUP_TEMP_AGE;
	}
	if (f->pid > 0 && w.pid != f->pid)
		return false;
	if (!f->only_dead)
		return true;
	return !owner_temp_writer_alive(&w);
}

/* Remove the temp files of dir that are debris; count them in *n. */
static int cleanup_sweep_temps(const char *dir,
			       const struct cleanup_filter *f, bool claimed,
			       size_t *n)
{
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
		if (strncmp(de->d_name, OWNER_TEMP_PREFIX,
			    strlen(OWNER_TEMP_PREFIX)) != 0)
			continue;
		if (fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (!cleanup_temp_doomed(f, claimed, de->d_name, &st))
			continue;
		if (unlinkat(fd, de->d_name, 0) == 0)
			(*n)++;
		else if (errno != ENOENT && ret == 0)
			ret = -errno;
	}
	closedir(d);
	return ret;
}

/*
 * /etc/netns/NAME of an entry being removed, after our hosts file: its
 * temp files, then the directory if that leaves it empty. A kill inside
 * hosts_write() between mkdir() and link() leaves it so, without the
 * hosts file that would say it is ours; the entry's mark says it instead.
 */
static int cleanup_etc_dir(const char *name, const struct cleanup_filter *f,
			   size_t *temps)
{
	char dir[PATH_MAX];
	int n, ret;

	n = snprintf(dir, sizeof(dir), "%s/%s", HOSTS_ETC_NETNS_DIR, name);
	if (n < 0 || (size_t)n >= sizeof(dir))
		return -ENAMETOOLONG;
	ret = cleanup_sweep_temps(dir, f, true, temps);
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
 * Whether e still stands as cleanup_list() found it: the same owner's
 * mark, or still no mark. Another run may have marked the name meanwhile.
 */
static bool cleanup_unchanged(const struct cleanup_entry *e)
{
	struct owner o;

	if (!e->has_mark)
		return mark_read(e->name, &o, NULL) == -ENOENT;
	return mark_read(e->name, &o, NULL) == 0 && owner_same(&o, &e->owner);
}

/* Remove one entry's pieces; the first error, 0 if none. */
static int cleanup_entry(const struct cleanup_entry *e,
			 const struct cleanup_filter *f,
			 struct cleanup_counts *c)
{
	int ret, first = 0;

	if (e->has_netns && e->netns_ours) {
		ret = netns_del(e->name);
		if (ret == 0)
			c->netns++;
		else if (ret != -ENOENT)
			return ret;	/* keep the mark: a retry finds it */
	} else if (e->has_stub) {
		/* -EBUSY: no longer a stub, somebody else's now */
		ret = netns_remove_stub(e->name);
		if (ret == 0)
			c->stubs++;
		else if (ret != -ENOENT && ret != -EBUSY)
			return ret;
	}
	if (e->has_etc) {
		ret = hosts_remove(e->name);
		if (ret == 0)
			c->hosts++;
		else if (ret != -ENOENT)
			first = first ?: ret;
	}
	ret = cleanup_etc_dir(e->name, f, &c->temps);
	if (ret < 0)
		first = first ?: ret;
	ret = nodestate_remove(e->name);
	if (ret < 0 && ret != -ENOENT)
		first = first ?: ret;
	if (e->has_mark) {
		ret = mark_remove(e->name);
		if (ret == 0)
			c->marks++;
		else if (ret != -ENOENT)
			first = first ?: ret;
	}
	return first;
}

/* Whether cleanup_run() removed name's entry just before (gone[i]). */
static bool cleanup_was_removed(const struct cleanup_entry *list,
				const bool *gone, size_t n, const char *name)
{
	struct cleanup_entry key;
	const struct cleanup_entry *e;

	snprintf(key.name, sizeof(key.name), "%s", name);
	e = bsearch(&key, list, n, sizeof(*list), cleanup_entry_cmp);
	return e && gone[e - list];
}

/* The freezer cgroups that f wants gone: see cleanup.h. */
static int cleanup_cgroups(const struct cleanup_filter *f,
			   const struct cleanup_entry *list, const bool *gone,
			   size_t n, size_t *count)
{
	char base[PATH_MAX];
	struct freezer fz;
	struct dirent *de;
	struct owner o;
	int ret, first = 0;
	DIR *d;

	if (freezer_open(&fz) < 0)
		return 0;	/* no hierarchy: no cgroup of ours either */
	ret = snprintf(base, sizeof(base), "%s/%s", fz.dir, FREEZER_SUBDIR);
	if (ret < 0 || (size_t)ret >= sizeof(base))
		return -ENAMETOOLONG;
	d = opendir(base);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (de->d_type != DT_DIR ||
		    !netns_name_valid(de->d_name, NULL))
			continue;
		if (mark_read(de->d_name, &o, NULL) == 0) {
			if (!cleanup_wanted(f, &o, owner_alive(&o)))
				continue;
		} else if (!cleanup_was_removed(list, gone, n, de->d_name)) {
			if (f->pid > 0 || netns_exists(de->d_name) ||
			    netns_is_stub(de->d_name))
				continue;
		}
		ret = freezer_node_remove(&fz, de->d_name);
		if (ret == 0)
			(*count)++;
		else if (ret != -ENOENT)
			first = first ?: ret;
	}
	closedir(d);
	return first;
}

/*
 * Control sockets (MARK_CTL_DIR/PID.sock): a run's goes with its run file
 * when f wants that run; one whose pid has no run file at all belongs to
 * no run (a run writes its run file first and removes it last) and goes,
 * unless f names another pid.
 */
static int cleanup_sockets(const struct cleanup_filter *f,
			   const struct runfile *runs, size_t nruns,
			   size_t *count)
{
	DIR *d = opendir(MARK_CTL_DIR);
	struct dirent *de;
	int first = 0;

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		char path[PATH_MAX], *end;
		const struct runfile *run = NULL;
		long pid = strtol(de->d_name, &end, 10);

		if (pid <= 0 || strcmp(end, ".sock") != 0)
			continue;
		for (size_t i = 0; i < nruns; i++)
			if (runs[i].owner.pid == pid)
				run = &runs[i];
		if (run ? !cleanup_wanted(f, &run->owner, run->alive) :
			  (f->pid > 0 && f->pid != pid))
			continue;
		snprintf(path, sizeof(path), "%s/%s", MARK_CTL_DIR,
			 de->d_name);
		if (unlink(path) == 0)
			(*count)++;
		else if (errno != ENOENT)
			first = first ?: -errno;
	}
	closedir(d);
	return first;
}

int cleanup_run(const struct cleanup_filter *f, struct cleanup_counts *counts)
{
	static const char *const temp_dirs[] = {
		MARK_DIR, MARK_NETNS_DIR, HOSTS_ETC_NETNS_DIR, NODESTATE_DIR,
	};
	struct cleanup_counts c = { 0 };
	struct cleanup_entry *list;
	struct runfile *runs;
	size_t n, nruns;
	bool *gone;
	int ret, first = 0;

	ret = cleanup_list(&list, &n);
	if (ret < 0)
		return ret;
	gone = calloc(n ? n : 1, sizeof(*gone));
	if (!gone) {
		free(list);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		if (!cleanup_wanted(f, &list[i].owner, list[i].alive) ||
		    !cleanup_unchanged(&list[i]))
			continue;
		ret = cleanup_entry(&list[i], f, &c);
		if (ret < 0)
			first = first ?: ret;
		gone[i] = true;
	}
	ret = cleanup_cgroups(f, list, gone, n, &c.cgroups);
	if (ret < 0)
		first = first ?: ret;
	free(gone);
	free(list);

	ret = runfile_list(&runs, &nruns);
	if (ret < 0) {
		first = first ?: ret;
	} else {
		ret = cleanup_sockets(f, runs, nruns, &c.sockets);
		if (ret < 0)
			first = first ?: ret;
		for (size_t i = 0; i < nruns; i++) {
			if (!cleanup_wanted(f, &runs[i].owner, runs[i].alive))
				continue;
			ret = runfile_remove(runs[i].owner.pid);
			if (ret == 0)
				c.runs++;
			else if (ret != -ENOENT)
				first = first ?: ret;
		}
		runfile_list_free(runs, nruns);
	}
	for (size_t i = 0; i < ARRAY_SIZE(temp_dirs); i++) {
		ret = cleanup_sweep_temps(temp_dirs[i], f, false, &c.temps);
		if (ret < 0)
			first = first ?: ret;
	}
	if (counts)
		*counts = c;
	return first;
}
