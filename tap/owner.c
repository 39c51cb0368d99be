// SPDX-License-Identifier: MIT
/* owner.c - a process identified across pid reuse and reboots */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap/file.h"
#include "tap/owner.h"
#include "topo/lib/lines.h"

#define OWNER_BOOT_ID "/proc/sys/kernel/random/boot_id"
/* /proc/PID/stat: a few hundred bytes; the command is at most 64. */
#define OWNER_STAT_MAX 4096

static int owner_boot_id(char boot[40])
{
	char *buf, *nl;
	size_t len;
	int ret;

	ret = file_read_all(OWNER_BOOT_ID, 64, 0, &buf, &len);
	if (ret < 0)
		return ret;
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	snprintf(boot, 40, "%s", buf);
	free(buf);
	return boot[0] && !strchr(boot, ' ') ? 0 : -EIO;
}

/*
 * State (field 3) and start time (field 22) of /proc/PID/stat. Field 2,
 * the command, may hold spaces and parentheses: count from the last ')'.
 */
static int owner_proc_stat(pid_t pid, char *state, uint64_t *start)
{
	char path[64], *buf, *p, *end;
	size_t len;
	int ret;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	ret = file_read_all(path, OWNER_STAT_MAX, 0, &buf, &len);
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

int owner_of(pid_t pid, struct owner *o)
{
	char state;
	int ret;

	if (pid <= 0)
		return -EINVAL;
	memset(o, 0, sizeof(*o));
	ret = owner_proc_stat(pid, &state, &o->start);
	if (ret < 0)
		return ret;
	o->pid = pid;
	return owner_boot_id(o->boot);
}

/*
 * The one liveness rule: pid runs with that start time (and is no zombie)
 * in the boot whose id is boot, or starts with boot when n is not 0 (the
 * n characters of a temp file's name). -errno when /proc cannot tell.
 */
static int owner_runs(pid_t pid, uint64_t start, const char *boot, size_t n)
{
	char now[40], state;
	uint64_t s;
	int ret;

	if (pid <= 0)
		return 0;
	ret = owner_boot_id(now);
	if (ret < 0)
		return ret;
	if (n ? strlen(boot) != n || strncmp(now, boot, n) != 0 :
		strcmp(now, boot) != 0)
		return 0;
	ret = owner_proc_stat(pid, &state, &s);
	if (ret == -ESRCH)
		return 0;
	if (ret < 0)
		return ret;
	return s == start && state != 'Z' && state != 'X';
}

bool owner_alive(const struct owner *o)
{
	return o && owner_runs(o->pid, o->start, o->boot, 0) > 0;
}

bool owner_same(const struct owner *a, const struct owner *b)
{
	return a->pid == b->pid && a->start == b->start &&
	       !strcmp(a->boot, b->boot);
}

int owner_temp_path(const char *dir, const char *tag, char *buf, size_t len)
{
	struct owner me;
	int n, ret;

	if (tag && (!*tag || strchr(tag, '-') || strchr(tag, '/')))
		return -EINVAL;
	ret = owner_of(getpid(), &me);
	if (ret < 0)
		return ret;
	n = snprintf(buf, len,
		     "%s/" OWNER_TEMP_PREFIX "%d-%" PRIu64 "-%.*s%s%s", dir,
		     (int)me.pid, me.start, OWNER_BOOT_SHORT, me.boot,
		     tag ? "-" : "", tag ? tag : "");
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

/* A decimal number at *p up to the next '-', into *v; moves *p past it. */
static bool owner_temp_field(const char **p, unsigned long long *v)
{
	char *end;

	if (!isdigit((unsigned char)**p))
		return false;
	errno = 0;
	*v = strtoull(*p, &end, 10);
	if (errno || *end != '-')
		return false;
	*p = end + 1;
	return true;
}

bool owner_temp_writer(const char *name, struct owner *w)
{
	const char *p = name;
	unsigned long long pid, start;
	size_t n;

	if (strncmp(p, OWNER_TEMP_PREFIX, strlen(OWNER_TEMP_PREFIX)) != 0)
		return false;
	p += strlen(OWNER_TEMP_PREFIX);
	if (!owner_temp_field(&p, &pid) || pid == 0 || pid > INT32_MAX ||
	    !owner_temp_field(&p, &start))
		return false;
	n = strcspn(p, "-");
	if (n != OWNER_BOOT_SHORT || (p[n] == '-' && !p[n + 1]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)p[i]))
			return false;
	memset(w, 0, sizeof(*w));
	w->pid = (pid_t)pid;
	w->start = start;
	memcpy(w->boot, p, n);
	return true;
}

bool owner_temp_writer_alive(const struct owner *w)
{
	return owner_runs(w->pid, w->start, w->boot, OWNER_BOOT_SHORT) != 0;
}

void owner_file_format(FILE *f, const char *magic, const struct owner *o)
{
	fprintf(f, "%s\npid %d\nstart %" PRIu64 "\nboot %s\n", magic,
		(int)o->pid, o->start, o->boot);
}

/* A whole decimal number, no sign, into *v. */
static bool owner_number(const char *s, unsigned long long *v)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return !errno && !*end;
}

/* One "key value" line into k (key and val point into buf). */
static int owner_file_line(const struct line *ln, char *buf, size_t size,
			   struct owner_key *k)
{
	char *sp;

	if (ln->n >= size || lines_has_nul(ln))
		return -EBADMSG;
	memcpy(buf, ln->s, ln->n);
	buf[ln->n] = '\0';
	sp = strchr(buf, ' ');
	if (!sp)
		return -EBADMSG;
	*sp = '\0';
	k->key = buf;
	k->val = sp + 1;
	return 0;
}

int owner_file_parse(const char *text, size_t len, const char *magic,
		     struct owner *o,
		     int (*on_key)(const struct owner_key *k, void *arg),
		     void *arg)
{
	char buf[PATH_MAX + 16];
	unsigned long long v;
	struct owner_key k;
	struct lines l;
	struct line ln;
	bool have_pid = false;
	int ret;

	memset(o, 0, sizeof(*o));
	lines_init(&l, text, len);
	if (!lines_next(&l, &ln) || ln.n != strlen(magic) ||
	    memcmp(ln.s, magic, ln.n) != 0)
		return -EBADMSG;
	while (lines_next(&l, &ln)) {
		if (ln.n == 0)
			continue;
		ret = owner_file_line(&ln, buf, sizeof(buf), &k);
		if (ret < 0)
			return ret;
		if (!strcmp(k.key, "pid")) {
			if (!owner_number(k.val, &v) || !v || v > INT32_MAX)
				return -EBADMSG;
			o->pid = (pid_t)v;
			have_pid = true;
		} else if (!strcmp(k.key, "start")) {
			if (!owner_number(k.val, &v))
				return -EBADMSG;
			o->start = v;
		} else if (!strcmp(k.key, "boot")) {
			snprintf(o->boot, sizeof(o->boot), "%s", k.val);
		} else if (on_key) {
			ret = on_key(&k, arg);
			if (ret < 0)
				return ret;
		}
	}
	return have_pid ? 0 : -EBADMSG;
}
