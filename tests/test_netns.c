// SPDX-License-Identifier: MIT
/* test_netns.c - named namespaces, ownership marks, cleanup and hosts files */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "tap/hosts.h"
#include "tap/marker.h"
#include "tap/netns.h"
#include "tap/tap.h"

/*
 * Root suites use namespaces "lmt-PID-TAG"; each test runs in its own
 * process (Criterion forks) and the fini removes everything of that
 * process, even after a failed assertion. Cleanup runs that look at every
 * mark of the system are kept in one test, so that the suite's own tests
 * running in parallel do not disturb each other.
 */

static void need_root(void)
{
	if (geteuid() != 0)
		cr_skip_test("needs root: network namespaces, /run, /etc");
}

static const char *ns_name(const char *tag)
{
	static char buf[8][64];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "lmt-%d-%s", (int)getpid(), tag);
	return buf[i];
}

/* Remove every namespace, mark and hosts file named lmt-PID-*. */
static void remove_mine(void)
{
	const char *dirs[] = { NETNS_RUN_DIR, MARKER_NETNS_DIR,
			       HOSTS_ETC_NETNS_DIR };
	char prefix[32], path[512];
	struct dirent *de;
	DIR *d;

	snprintf(prefix, sizeof(prefix), "lmt-%d-", (int)getpid());
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		d = opendir(dirs[i]);
		if (!d)
			continue;
		while ((de = readdir(d))) {
			if (strncmp(de->d_name, prefix, strlen(prefix)))
				continue;
			tap_node_remove(de->d_name);
			/* What the tests put there by hand. */
			snprintf(path, sizeof(path), "%s/%s/hosts",
				 HOSTS_ETC_NETNS_DIR, de->d_name);
			unlink(path);
			snprintf(path, sizeof(path), "%s/%s/resolv.conf",
				 HOSTS_ETC_NETNS_DIR, de->d_name);
			unlink(path);
			snprintf(path, sizeof(path), "%s/%s",
				 HOSTS_ETC_NETNS_DIR, de->d_name);
			rmdir(path);
		}
		closedir(d);
	}
	marker_run_remove(getpid());
}

static char *slurp(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	char chunk[4096];
	size_t n;
	FILE *f, *m;

	f = fopen(path, "r");
	if (!f)
		return NULL;
	m = open_memstream(&buf, &len);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, m);
	fclose(f);
	fclose(m);
	return buf;
}

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
}

static ino_t ns_ino(const char *path)
{
	struct stat st;

	cr_assert_eq(stat(path, &st), 0, "%s: %s", path, strerror(errno));
	return st.st_ino;
}

static bool exists(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static bool exists(const char *fmt, ...)
{
	char path[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return access(path, F_OK) == 0;
}

/* A child that waits to be killed; its owner identity into o. */
static pid_t spawn_child(struct marker_owner *o)
{
	pid_t pid;

	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		pause();
		_exit(0);
	}
	if (o)
		cr_assert_eq(marker_owner_of(pid, o), 0);
	return pid;
}

/* Kill and reap it: from now on its pid is dead. */
static void kill_child(pid_t pid)
{
	int st;

	kill(pid, SIGKILL);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
}

TestSuite(netns, .fini = remove_mine);
TestSuite(marker, .fini = remove_mine);
TestSuite(hosts, .fini = remove_mine);

Test(netns, name_validation)
{
	const char *why = NULL;
	char longname[NAME_MAX + 2];

	cr_assert(netns_name_valid("london", &why));
	cr_assert_null(why);
	cr_assert(netns_name_valid("STARLINK-1007", NULL));
	cr_assert(netns_name_valid(".hidden", NULL));
	cr_assert_not(netns_name_valid("", &why));
	cr_assert_str_eq(why, "is empty");
	cr_assert_not(netns_name_valid(NULL, &why));
	cr_assert_not(netns_name_valid("a/b", &why));
	cr_assert_str_eq(why, "contains '/'");
	cr_assert_not(netns_name_valid(".", &why));
	cr_assert_not(netns_name_valid("..", &why));
	cr_assert_str_eq(why, "is \".\" or \"..\"");
	cr_assert_not(netns_name_valid("new york", &why));
	cr_assert_not(netns_name_valid("a\nb", &why));
	cr_assert_str_eq(why, "contains white space or a control character");
	memset(longname, 'x', NAME_MAX);
	longname[NAME_MAX] = '\0';
	cr_assert(netns_name_valid(longname, NULL));
	longname[NAME_MAX] = 'x';
	longname[NAME_MAX + 1] = '\0';
	cr_assert_not(netns_name_valid(longname, &why));
	cr_assert_str_eq(why, "is longer than NAME_MAX (255) bytes");
	cr_assert_eq(netns_add("a/b"), -EINVAL);
	cr_assert_eq(netns_del(".."), -EINVAL);
}

Test(netns, add_enter_leave_delete)
{
	const char *a = ns_name("a"), *b = ns_name("b");
	char path[128], self[] = "/proc/thread-self/ns/net";
	uint64_t ca, cb, ca2;
	ino_t home;
	int fd, saved;

	need_root();
	home = ns_ino(self);
	cr_assert_not(netns_exists(a));
	cr_assert_eq(netns_add(a), 0);
	cr_assert_eq(netns_add(a), -EEXIST);
	cr_assert_eq(netns_add(b), 0);
	cr_assert(netns_exists(a));
	/* The creating thread is back home. */
	cr_assert_eq(ns_ino(self), home);

	/* iproute2 sees it. */
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "ip netns list | grep -qx '%s\\( .*\\)\\?'",
		 a);
	cr_assert_eq(system(cmd), 0, "ip netns list does not show %s", a);

	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", a);
	cr_assert_eq(netns_open(a, &fd), 0);
	cr_assert_eq(netns_enter(fd, &saved), 0);
	cr_assert_eq(ns_ino(self), ns_ino(path));
	cr_assert_neq(ns_ino(self), home);
	cr_assert_eq(netns_leave(saved), 0);
	cr_assert_eq(ns_ino(self), home);
	close(fd);

	cr_assert_eq(netns_cookie(a, &ca), 0);
	cr_assert_eq(netns_cookie(b, &cb), 0);
	cr_assert_neq(ca, cb);
	cr_assert_eq(netns_cookie(a, &ca2), 0);
	cr_assert_eq(ca, ca2);

	cr_assert_eq(netns_del(a), 0);
	cr_assert_not(netns_exists(a));
	cr_assert_not(exists("%s", path));
	cr_assert_eq(netns_del(a), -ENOENT);
	cr_assert_eq(netns_open(a, &fd), -ENOENT);
	cr_assert_eq(netns_cookie(a, &ca2), -ENOENT);

	/* Same name again: a new namespace with another cookie. */
	cr_assert_eq(netns_add(a), 0);
	cr_assert_eq(netns_cookie(a, &ca2), 0);
	cr_assert_neq(ca, ca2);
	cr_assert_eq(netns_del(a), 0);
	cr_assert_eq(netns_del(b), 0);
}

Test(netns, two_hundred_in_a_row)
{
	enum { N = 200 };
	char names[N][64], prefix[64], line[1024];
	size_t left = 0;
	struct dirent *de;
	FILE *mi;
	DIR *d;

	need_root();
	for (int i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "%s", ns_name("bulk"));
		snprintf(names[i] + strlen(names[i]),
			 sizeof(names[i]) - strlen(names[i]), "-%d", i);
		cr_assert_eq(netns_add(names[i]), 0, "%s", names[i]);
	}
	for (int i = 0; i < N; i++)
		cr_assert(netns_exists(names[i]));
	for (int i = 0; i < N; i++)
		cr_assert_eq(netns_del(names[i]), 0, "%s", names[i]);

	snprintf(prefix, sizeof(prefix), "%s-", ns_name("bulk"));
	d = opendir(NETNS_RUN_DIR);
	cr_assert_not_null(d);
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, prefix, strlen(prefix)))
			left++;
	closedir(d);
	cr_assert_eq(left, 0, "%zu names left in " NETNS_RUN_DIR, left);

	/* No bind mount left either. */
	mi = fopen("/proc/self/mountinfo", "r");
	cr_assert_not_null(mi);
	while (fgets(line, sizeof(line), mi))
		cr_assert_null(strstr(line, prefix), "still mounted: %s",
			       line);
	fclose(mi);
}

Test(marker, owner_identity)
{
	struct marker_owner me, o;
	pid_t child;
	int st;

	cr_assert_eq(marker_owner_of(getpid(), &me), 0);
	cr_assert_eq(me.pid, getpid());
	cr_assert_gt(me.start, 0);
	cr_assert_eq(strlen(me.boot), 36, "boot id \"%s\"", me.boot);
	cr_assert(marker_owner_alive(&me));

	/* pid reuse: same pid, another start time. */
	o = me;
	o.start++;
	cr_assert_not(marker_owner_alive(&o));
	/* Another boot. */
	o = me;
	o.boot[0] = o.boot[0] == '0' ? '1' : '0';
	cr_assert_not(marker_owner_alive(&o));

	/* A zombie is dead; a reaped child is gone. */
	child = fork();
	cr_assert_geq(child, 0);
	if (child == 0) {
		pause();
		_exit(0);
	}
	cr_assert_eq(marker_owner_of(child, &o), 0);
	cr_assert(marker_owner_alive(&o));
	kill(child, SIGKILL);
	for (int i = 0; i < 200 && marker_owner_alive(&o); i++)
		usleep(5000);
	cr_assert_not(marker_owner_alive(&o), "zombie taken for alive");
	cr_assert_eq(waitpid(child, &st, 0), child);
	cr_assert_not(marker_owner_alive(&o));
	cr_assert_eq(marker_owner_of(child, &o), -ESRCH);
	cr_assert_eq(marker_owner_of(0, &o), -EINVAL);
}

Test(marker, write_bind_read_remove)
{
	const char *a = ns_name("mark");
	struct marker_owner o;
	uint64_t cookie = 1, real;
	char *text;

	need_root();
	cr_assert_eq(marker_read(a, &o, &cookie), -ENOENT);
	cr_assert_eq(marker_write(a, getpid()), 0);
	cr_assert_eq(marker_read(a, &o, &cookie), 0);
	cr_assert_eq(o.pid, getpid());
	cr_assert(marker_owner_alive(&o));
	cr_assert_eq(cookie, 0, "bound before the namespace exists");
	cr_assert_eq(marker_bind(a), -ENOENT);

	cr_assert_eq(netns_add(a), 0);
	cr_assert_eq(marker_bind(a), 0);
	cr_assert_eq(marker_read(a, &o, &cookie), 0);
	cr_assert_eq(netns_cookie(a, &real), 0);
	cr_assert_eq(cookie, real);

	/* The file itself: readable by a person. */
	char path[128];

	snprintf(path, sizeof(path), MARKER_NETNS_DIR "/%s", a);
	text = slurp(path);
	cr_assert_not_null(text);
	char want[64];

	snprintf(want, sizeof(want), "pid %d\n", (int)getpid());
	cr_assert(strstr(text, "lasermesh-mark 1\n") == text, "%s", text);
	cr_assert(strstr(text, want), "%s", text);
	free(text);

	/* Not one of ours: refused, not taken for a mark. */
	put_file(path, "hello\n");
	cr_assert_eq(marker_read(a, &o, &cookie), -EBADMSG);

	cr_assert_eq(marker_remove(a), 0);
	cr_assert_eq(marker_remove(a), -ENOENT);
	cr_assert_eq(marker_write("a/b", getpid()), -EINVAL);
	cr_assert_eq(netns_del(a), 0);
}

Test(marker, run_file)
{
	const char *names[] = { "london", "paris", "STARLINK-1007" };
	struct marker_run run, *runs;
	struct marker_owner dead;
	pid_t child;
	size_t n;
	bool found = false;

	need_root();
	cr_assert_eq(marker_run_write(getpid(), names, 3), 0);
	cr_assert_eq(marker_run_read(getpid(), &run), 0);
	cr_assert_eq(run.owner.pid, getpid());
	cr_assert(run.alive);
	cr_assert_eq(run.n, 3);
	for (size_t i = 0; i < 3; i++)
		cr_assert_str_eq(run.names[i], names[i]);
	marker_run_release(&run);

	cr_assert_eq(marker_run_list(&runs, &n), 0);
	for (size_t i = 0; i < n; i++)
		if (runs[i].owner.pid == getpid()) {
			found = true;
			cr_assert_eq(runs[i].n, 3);
			cr_assert(runs[i].alive);
		}
	marker_run_list_free(runs, n);
	cr_assert(found, "run file not listed");

	const char *bad[] = { "ok", "not ok" };

	cr_assert_eq(marker_run_write(getpid(), bad, 2), -EINVAL);
	cr_assert_eq(marker_run_remove(getpid()), 0);
	cr_assert_eq(marker_run_read(getpid(), &run), -ENOENT);

	/* The run file of a dead run reads as dead. */
	child = spawn_child(&dead);
	cr_assert_eq(marker_run_write(child, names, 1), 0);
	kill_child(child);
	cr_assert_eq(marker_run_read(child, &run), 0);
	cr_assert_not(run.alive);
	marker_run_release(&run);
	cr_assert_eq(marker_run_remove(child), 0);
}

/*
 * The whole story of `lasermesh cleanup`, in one test (it looks at every
 * mark on the system): leftovers of a dead run go, a live run's and
 * unmarked namespaces stay.
 */
Test(marker, cleanup_removes_exactly_dead_marked)
{
	const char *dead1 = ns_name("dead1"), *dead2 = ns_name("dead2");
	const char *plain = ns_name("plain"), *live = ns_name("live");
	const char *reused = ns_name("reused"), *orphan = ns_name("orphan");
	const char *foreign = ns_name("foreign");
	const char *names[] = { dead1, dead2 };
	struct marker_owner dead;
	struct marker_entry *list;
	struct marker_run run;
	size_t n, removed = 0;
	char *buf;
	size_t len;
	pid_t child;

	need_root();
	child = spawn_child(&dead);
	/* A run that died: two marked namespaces, hosts files, run file. */
	cr_assert_eq(marker_run_write(child, names, 2), 0);
	struct hosts_entry he = { .name = "x", .has_v4 = true };

	cr_assert_eq(hosts_render(&dead, &he, 1, &buf, &len), 0);
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(marker_write(names[i], child), 0);
		cr_assert_eq(netns_add(names[i]), 0);
		cr_assert_eq(marker_bind(names[i]), 0);
		cr_assert_eq(hosts_write(names[i], buf, len), 0);
	}
	/* Marked by the dead run, deleted, then made again by someone else. */
	cr_assert_eq(marker_write(reused, child), 0);
	cr_assert_eq(netns_add(reused), 0);
	cr_assert_eq(marker_bind(reused), 0);
	cr_assert_eq(netns_del(reused), 0);
	cr_assert_eq(netns_add(reused), 0);
	/* Only the hosts file of the dead run is left. */
	cr_assert_eq(hosts_write(orphan, buf, len), 0);
	kill_child(child);
	free(buf);

	/* Not ours: a namespace without a mark, an /etc dir of the user. */
	cr_assert_eq(netns_add(plain), 0);
	cr_assert_eq(netns_add(foreign), 0);
	mkdir(HOSTS_ETC_NETNS_DIR, 0755);
	char path[256];

	snprintf(path, sizeof(path), HOSTS_ETC_NETNS_DIR "/%s", foreign);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), HOSTS_ETC_NETNS_DIR "/%s/hosts", foreign);
	put_file(path, "127.0.0.1 localhost\n");
	/* A live run: ours. */
	cr_assert_eq(marker_write(live, getpid()), 0);
	cr_assert_eq(netns_add(live), 0);
	cr_assert_eq(marker_bind(live), 0);

	/* What marker_list() sees. */
	cr_assert_eq(marker_list(&list, &n), 0);
	int seen = 0;

	for (size_t i = 0; i < n; i++) {
		struct marker_entry *e = &list[i];

		if (!strcmp(e->name, dead1) || !strcmp(e->name, dead2)) {
			seen++;
			cr_assert(e->has_mark && e->has_netns &&
				  e->netns_ours && e->has_etc && !e->alive);
			cr_assert_eq(e->owner.pid, child);
		} else if (!strcmp(e->name, live)) {
			seen++;
			cr_assert(e->has_mark && e->netns_ours && e->alive);
		} else if (!strcmp(e->name, reused)) {
			seen++;
			cr_assert(e->has_mark && e->has_netns &&
				  !e->netns_ours);
		} else if (!strcmp(e->name, orphan)) {
			seen++;
			cr_assert(!e->has_mark && e->has_etc && !e->has_netns);
		} else {
			cr_assert(strcmp(e->name, plain) &&
				  strcmp(e->name, foreign), "%s listed",
				  e->name);
		}
	}
	free(list);
	cr_assert_eq(seen, 5);

	cr_assert_eq(marker_cleanup(true, &removed), 0);
	/* Other dead runs' leftovers on this system may go too. */
	cr_assert_geq(removed, 2);
	cr_assert_not(netns_exists(dead1));
	cr_assert_not(netns_exists(dead2));
	cr_assert_not(exists(MARKER_NETNS_DIR "/%s", dead1));
	cr_assert_not(exists(HOSTS_ETC_NETNS_DIR "/%s", dead2));
	cr_assert_not(exists(HOSTS_ETC_NETNS_DIR "/%s", orphan));
	cr_assert_eq(marker_run_read(child, &run), -ENOENT);
	/* The reused name: its stale mark went, the namespace stays. */
	cr_assert(netns_exists(reused));
	cr_assert_not(exists(MARKER_NETNS_DIR "/%s", reused));
	/* Never touched. */
	cr_assert(netns_exists(plain));
	cr_assert(netns_exists(foreign));
	cr_assert(exists(HOSTS_ETC_NETNS_DIR "/%s/hosts", foreign));
	cr_assert(netns_exists(live));
	cr_assert(exists(MARKER_NETNS_DIR "/%s", live));

	/*
	 * The live run's, by owner. (Not marker_cleanup(false): on a shared
	 * machine that would take other live runs with it.)
	 */
	struct marker_owner me;

	cr_assert_eq(marker_owner_of(getpid(), &me), 0);
	cr_assert_eq(marker_run_write(getpid(), &live, 1), 0);
	cr_assert_eq(marker_cleanup_owner(&me, &removed), 0);
	cr_assert_eq(removed, 1);
	cr_assert_not(netns_exists(live));
	cr_assert_not(exists(MARKER_NETNS_DIR "/%s", live));
	cr_assert_eq(marker_run_read(getpid(), &run), -ENOENT);
	cr_assert(netns_exists(plain));
	cr_assert(netns_exists(reused));

	cr_assert_eq(netns_del(plain), 0);
	cr_assert_eq(netns_del(reused), 0);
	cr_assert_eq(netns_del(foreign), 0);
}

Test(hosts, name_validation)
{
	const char *why;

	cr_assert(hosts_name_valid("london", NULL));
	cr_assert(hosts_name_valid("STARLINK-1007", NULL));
	cr_assert(hosts_name_valid("gs_svalbard.mesh", NULL));
	cr_assert_not(hosts_name_valid("", &why));
	cr_assert_str_eq(why, "is empty");
	cr_assert_not(hosts_name_valid("-x", &why));
	cr_assert_str_eq(why, "starts with '-' or '.'");
	cr_assert_not(hosts_name_valid("new york", &why));
	cr_assert_not(hosts_name_valid("a#b", &why));
	cr_assert_str_eq(why, "has a character other than letters, digits, "
			      "'-', '_' and '.'");
}

Test(hosts, render_lines)
{
	struct marker_owner o = { .pid = 4242, .start = 77, .boot = "b-o-o-t" };
	struct hosts_entry e[2] = {
		{ .name = "london", .has_v4 = true, .has_v6 = true },
		{ .name = "sat-1", .has_v4 = true },
	};
	char *buf;
	size_t len;

	cr_assert_eq(inet_pton(AF_INET, "100.64.0.1", &e[0].v4), 1);
	cr_assert_eq(inet_pton(AF_INET6, "fd6c:6d00::1", &e[0].v6), 1);
	cr_assert_eq(inet_pton(AF_INET, "100.64.3.7", &e[1].v4), 1);
	cr_assert_eq(hosts_render(&o, e, 2, &buf, &len), 0);
	cr_assert_eq(strlen(buf), len);
	cr_assert(strstr(buf, "# lasermesh pid=4242 start=77 boot=b-o-o-t\n") ==
		  buf, "%s", buf);
	cr_assert(strstr(buf, "\n127.0.0.1\tlocalhost\n"), "%s", buf);
	cr_assert(strstr(buf, "\n::1\tlocalhost ip6-localhost ip6-loopback\n"));
	cr_assert(strstr(buf, "\n100.64.0.1\tlondon\nfd6c:6d00::1\tlondon\n"
			      "100.64.3.7\tsat-1\n"), "%s", buf);
	cr_assert_eq(buf[len - 1], '\n');
	free(buf);

	e[1].has_v4 = false;
	cr_assert_eq(hosts_render(&o, e, 2, &buf, &len), -EINVAL);
	e[1].has_v4 = true;
	e[1].name = "bad name";
	cr_assert_eq(hosts_render(&o, e, 2, &buf, &len), -EINVAL);
}

Test(hosts, write_exec_remove)
{
	const char *a = ns_name("hosts"), *b = ns_name("hosts-foreign");
	struct hosts_entry e[2] = {
		{ .name = "london", .has_v4 = true },
		{ .name = "paris", .has_v4 = true, .has_v6 = true },
	};
	struct marker_owner me, o;
	char path[512], dir[256], cmd[512], *buf, *text, *out;
	size_t len, olen;
	FILE *p;

	need_root();
	inet_pton(AF_INET, "100.64.0.1", &e[0].v4);
	inet_pton(AF_INET, "100.64.0.2", &e[1].v4);
	inet_pton(AF_INET6, "fd6c:6d00::2", &e[1].v6);
	cr_assert_eq(marker_owner_of(getpid(), &me), 0);
	cr_assert_eq(hosts_render(&me, e, 2, &buf, &len), 0);

	snprintf(dir, sizeof(dir), HOSTS_ETC_NETNS_DIR "/%s", a);
	snprintf(path, sizeof(path), "%s/hosts", dir);
	cr_assert_eq(hosts_owner(a, &o), -ENOENT);
	cr_assert_eq(hosts_write(a, buf, len), 0);
	text = slurp(path);
	cr_assert_not_null(text);
	cr_assert_str_eq(text, buf);
	free(text);
	cr_assert_eq(hosts_owner(a, &o), 0);
	cr_assert_eq(o.pid, getpid());
	cr_assert_eq(o.start, me.start);
	cr_assert_str_eq(o.boot, me.boot);
	/* Ours: rewritten in place. */
	cr_assert_eq(hosts_write(a, buf, len), 0);

	/* `ip netns exec` shows it as /etc/hosts, and says nothing else. */
	cr_assert_eq(netns_add(a), 0);
	snprintf(cmd, sizeof(cmd),
		 "ip netns exec %s getent hosts paris 2>&1; "
		 "ip netns exec %s cat /etc/hosts 2>&1", a, a);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	{
		FILE *m = open_memstream(&out, &olen);
		char chunk[4096];
		size_t k;

		while ((k = fread(chunk, 1, sizeof(chunk), p)) > 0)
			fwrite(chunk, 1, k, m);
		fclose(m);
	}
	pclose(p);
	cr_assert(strstr(out, "fd6c:6d00::2    paris\n") == out ||
		  strstr(out, "100.64.0.2      paris\n") == out, "%s", out);
	cr_assert(strstr(out, buf), "%s", out);
	cr_assert_null(strstr(out, "Bind"), "%s", out);
	free(out);
	cr_assert_eq(netns_del(a), 0);

	/* The user's own file next to ours stays, and so does the dir. */
	snprintf(cmd, sizeof(cmd), "%s/resolv.conf", dir);
	put_file(cmd, "nameserver 192.0.2.1\n");
	cr_assert_eq(hosts_remove(a), 0);
	cr_assert_not(exists("%s", path));
	cr_assert(exists("%s", cmd));
	unlink(cmd);
	cr_assert_eq(hosts_write(a, buf, len), 0);
	cr_assert_eq(hosts_remove(a), 0);
	cr_assert_not(exists("%s", dir));
	cr_assert_eq(hosts_remove(a), -ENOENT);

	/* Somebody else's hosts file is neither overwritten nor removed. */
	snprintf(dir, sizeof(dir), HOSTS_ETC_NETNS_DIR "/%s", b);
	snprintf(path, sizeof(path), "%s/hosts", dir);
	cr_assert_eq(mkdir(dir, 0755), 0);
	put_file(path, "10.0.0.1 mine\n");
	cr_assert_eq(hosts_write(b, buf, len), -EEXIST);
	cr_assert_eq(hosts_owner(b, &o), -EBADMSG);
	cr_assert_eq(hosts_remove(b), -EBADMSG);
	text = slurp(path);
	cr_assert_str_eq(text, "10.0.0.1 mine\n");
	free(text);
	free(buf);
}
