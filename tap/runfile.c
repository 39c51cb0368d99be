// SPDX-License-Identifier: MIT
/* runfile.c - one file per run: its owner, its configuration and its nodes */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap/file.h"
#include "tap/mark.h"
#include "tap/netns.h"
#include "tap/runfile.h"
#include "topo/lib/array.h"

#define RUNFILE_MAGIC "lasermesh-run 1"
/* 64 MiB: a run file names every tapped node (about 20 bytes each). */
#define RUNFILE_MAX (64u << 20)

static void runfile_path(pid_t pid, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%d.run", MARK_DIR, (int)pid);
}

/* "config PATH": absolute if it can be made so, control bytes as '?'. */
static void runfile_config(FILE *f, const char *config)
{
	char *abs;

	if (!config)
		return;
	abs = realpath(config, NULL);
	fputs("config ", f);
	for (const char *p = abs ? abs : config; *p; p++)
		fputc((unsigned char)*p < ' ' || *p == 0x7f ? '?' : *p, f);
	fputc('\n', f);
	free(abs);
}

int runfile_write(pid_t pid, const char *config, const char *const *names,
		  size_t n)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	struct owner o;
	size_t len;
	char *buf;
	FILE *f;
	int ret;

	for (size_t i = 0; i < n; i++)
		if (!netns_name_valid(names[i], NULL))
			return -EINVAL;
	ret = owner_of(pid, &o);
	if (ret < 0)
		return ret;
	ret = mark_mkdirs();
	if (ret < 0)
		return ret;
	f = open_memstream(&buf, &len);
	if (!f)
		return -errno;
	owner_file_format(f, RUNFILE_MAGIC, &o);
	runfile_config(f, config);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "node %s\n", names[i]);
	ret = ferror(f) ? -EIO : 0;
	if (fclose(f) != 0 && ret == 0)
		ret = -errno;
	if (ret == 0)
		ret = owner_temp_path(MARK_DIR, NULL, tmp, sizeof(tmp));
	if (ret == 0) {
		runfile_path(pid, path, sizeof(path));
		ret = file_write_atomic(path, tmp, buf, len);
	}
	free(buf);
	return ret;
}

int runfile_remove(pid_t pid)
{
	char path[PATH_MAX];

	runfile_path(pid, path, sizeof(path));
	if (unlink(path) < 0)
		return -errno;
	return 0;
}

struct runfile_cap {
	struct runfile *run;
	size_t cap;
};

static int runfile_key(const struct owner_key *k, void *arg)
{
	struct runfile_cap *rc = arg;
	struct runfile *run = rc->run;
	int ret;

	if (!strcmp(k->key, "config")) {
		free(run->config);
		run->config = strdup(k->val);
		return run->config ? 0 : -ENOMEM;
	}
	if (strcmp(k->key, "node") != 0)
		return 0;	/* a key from a later version */
	ret = array_grow((void **)&run->names, &rc->cap, run->n + 1,
			 sizeof(*run->names), 8);
	if (ret < 0)
		return ret;
	run->names[run->n] = strdup(k->val);
	if (!run->names[run->n])
		return -ENOMEM;
	run->n++;
	return 0;
}

int runfile_read(pid_t pid, struct runfile *run)
{
	struct runfile_cap rc = { .run = run };
	char path[PATH_MAX], *text;
	size_t len;
	int ret;

	memset(run, 0, sizeof(*run));
	if (pid <= 0)
		return -EINVAL;
	runfile_path(pid, path, sizeof(path));
	ret = file_read_all(path, RUNFILE_MAX, FILE_F_REGULAR, &text, &len);
	if (ret < 0)
		return ret;
	ret = owner_file_parse(text, len, RUNFILE_MAGIC, &run->owner,
			       runfile_key, &rc);
	free(text);
	if (ret < 0) {
		runfile_release(run);
		return ret;
	}
	run->alive = owner_alive(&run->owner);
	return 0;
}

void runfile_release(struct runfile *run)
{
	if (!run)
		return;
	for (size_t i = 0; i < run->n; i++)
		free(run->names[i]);
	free(run->names);
	free(run->config);
	run->names = NULL;
	run->config = NULL;
	run->n = 0;
}

static int runfile_cmp(const void *a, const void *b)
{
	const struct runfile *x = a, *y = b;

	return (x->owner.pid > y->owner.pid) - (x->owner.pid < y->owner.pid);
}

int runfile_list(struct runfile **out, size_t *n)
{
	struct runfile *runs = NULL;
	size_t cnt = 0, cap = 0;
	struct dirent *de;
	char *end;
	long pid;
	DIR *d;
	int ret = 0;

	*out = NULL;
	*n = 0;
	d = opendir(MARK_DIR);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		errno = 0;
		pid = strtol(de->d_name, &end, 10);
		if (errno || end == de->d_name || strcmp(end, ".run") != 0 ||
		    pid <= 0 || pid > INT32_MAX)
			continue;
		ret = array_grow((void **)&runs, &cap, cnt + 1, sizeof(*runs),
				 8);
		if (ret < 0)
			break;
		if (runfile_read((pid_t)pid, &runs[cnt]) == 0)
			cnt++;
	}
	closedir(d);
	if (ret < 0) {
		runfile_list_free(runs, cnt);
		return ret;
	}
	if (cnt)
		qsort(runs, cnt, sizeof(*runs), runfile_cmp);
	*out = runs;
	*n = cnt;
	return 0;
}

void runfile_list_free(struct runfile *runs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		runfile_release(&runs[i]);
	free(runs);
}
