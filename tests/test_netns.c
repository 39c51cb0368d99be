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
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "tap/hosts.h"
#include "tap/marker.h"
#include "tap/netns.h"
#include "tap/tap.h"

/*
 * Root suites use namespaces "lmt-PID-TAG" ("lmt-h11-PID-TAG" for the
 * leftovers of kills during set-up); each test runs in its own process
 * (Criterion forks) and the fini removes everything of that process, even
 * after a failed assertion. Tests that run a cleanup of the whole system,
 * or leave things of dead owners for one, take turns (cleanup_turn()), so
 * that the suite's own tests running in parallel do not disturb each
 * other.
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

static const char *h11_name(const char *tag)
{
	static char buf[8][64];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "lmt-h11-%d-%s", (int)getpid(), tag);
	return buf[i];
}

/* Temp files that a test made outside its namespaces' directories. */
static char made[32][512];
static size_t nmade;

/* Children not reaped yet: the fini kills them after a failed assertion. */
static pid_t kids[8];

static void kid_add(pid_t pid)
{
	for (size_t i = 0; i < sizeof(kids) / sizeof(kids[0]); i++)
		if (!kids[i]) {
			kids[i] = pid;
			return;
		}
	kill(pid, SIGKILL);
	cr_assert_fail("more than %zu children",
		       sizeof(kids) / sizeof(kids[0]));
}

static void kid_forget(pid_t pid)
{
	for (size_t i = 0; i < sizeof(kids) / sizeof(kids[0]); i++)
		if (kids[i] == pid)
			kids[i] = 0;
}

/* Empty /etc/netns/NAME of whatever a test put there, and remove it. */
static void remove_etc_dir(const char *name)
{
	char dir[512], path[1024];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/%s", HOSTS_ETC_NETNS_DIR, name);
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

/*
 * Remove every namespace (or stub), mark and /etc/netns dir named
 * lmt-PID-* or lmt-h11-PID-*, and the temp files a test made.
 */
static void remove_mine(void)
{
	const char *dirs[] = { NETNS_RUN_DIR, MARKER_NETNS_DIR,
			       HOSTS_ETC_NETNS_DIR };
	char prefix[2][32];
	struct dirent *de;
	DIR *d;

	snprintf(prefix[0], sizeof(prefix[0]), "lmt-%d-", (int)getpid());
	snprintf(prefix[1], sizeof(prefix[1]), "lmt-h11-%d-", (int)getpid());
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		d = opendir(dirs[i]);
		if (!d)
			continue;
		while ((de = readdir(d))) {
			if (strncmp(de->d_name, prefix[0], strlen(prefix[0])) &&
			    strncmp(de->d_name, prefix[1], strlen(prefix[1])))
				continue;
			netns_del(de->d_name);
			marker_remove(de->d_name);
			remove_etc_dir(de->d_name);
		}
		closedir(d);
	}
	for (size_t i = 0; i < nmade; i++)
		unlink(made[i]);
	marker_run_remove(getpid());
	for (size_t i = 0; i < sizeof(kids) / sizeof(kids[0]); i++) {
		if (!kids[i])
			continue;
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
		kids[i] = 0;
	}
}

/*
 * Wait for our turn to look at (or leave for) a cleanup of the whole
 * system; the turn ends with the test's process.
 */
static void cleanup_turn(void)
{
	int fd;

	fd = open("/tmp/lmt-netns-cleanup.lock", O_RDWR | O_CREAT | O_CLOEXEC,
		  0600);
	cr_assert_geq(fd, 0, "lock: %s", strerror(errno));
	cr_assert_eq(flock(fd, LOCK_EX), 0, "lock: %s", strerror(errno));
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
	kid_add(pid);
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
	kid_forget(pid);
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
	cleanup_turn();
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
	cleanup_turn();
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

/* What netns_add() leaves when killed before its bind mount. */
static void make_stub(const char *name)
{
	char path[512];
	int fd;

	mkdir(NETNS_RUN_DIR, 0755);
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name);
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	cr_assert_geq(fd, 0, "%s: %s", path, strerror(errno));
	close(fd);
}

/* A child living in the namespace name until killed. */
static pid_t spawn_in(const char *name)
{
	int p[2], fd, saved;
	pid_t pid;
	char c;

	cr_assert_eq(pipe(p), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		close(p[0]);
		if (netns_open(name, &fd) == 0 &&
		    netns_enter(fd, &saved) == 0 && write(p[1], "1", 1) == 1)
			pause();
		_exit(1);
	}
	kid_add(pid);
	close(p[1]);
	cr_assert_eq(read(p[0], &c, 1), 1, "the child did not enter %s",
		     name);
	close(p[0]);
	return pid;
}

/* A persistent TAP "lmth11" in the namespace name, made by iproute2. */
static void add_tap_in(const char *name)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd),
		 "ip -n %s tuntap add dev lmth11 mode tap 2>&1", name);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
}

static time_t boot_time(void)
{
	char *text = slurp("/proc/stat"), *p;
	time_t t;

	cr_assert_not_null(text);
	p = strstr(text, "\nbtime ");
	cr_assert_not_null(p);
	t = (time_t)strtoll(p + 7, NULL, 10);
	free(text);
	cr_assert_gt(t, 0);
	return t;
}

/*
 * A temp file as marker_file_write() leaves it when killed before its
 * rename(): in dir, naming its writer (pid, start; pid 0: no writer, as
 * older versions named them), part of a mark in it, modified at mtime
 * (0: now). Recorded for the fini.
 */
static const char *make_temp(const char *dir, pid_t pid, uint64_t start,
			     time_t mtime)
{
	char *path;
	int fd;

	cr_assert_lt(nmade, sizeof(made) / sizeof(made[0]));
	path = made[nmade];
	if (pid)
		snprintf(path, sizeof(made[0]),
			 "%s/" MARKER_TEMP_PREFIX "%d-%" PRIu64 "-XXXXXX", dir,
			 (int)pid, start);
	else
		snprintf(path, sizeof(made[0]),
			 "%s/" MARKER_TEMP_PREFIX "XXXXXX", dir);
	fd = mkstemp(path);
	cr_assert_geq(fd, 0, "%s: %s", path, strerror(errno));
	nmade++;
	cr_assert_eq(write(fd, "lasermesh-mark 1\npid", 20), 20);
	close(fd);
	if (mtime) {
		struct timespec ts[2] = { { .tv_sec = mtime },
					  { .tv_sec = mtime } };

		cr_assert_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
	}
	return path;
}

/* mkdir /etc/netns/NAME, the path into dir. */
static void make_etc_dir(const char *name, char *dir, size_t len)
{
	mkdir(HOSTS_ETC_NETNS_DIR, 0755);
	snprintf(dir, len, HOSTS_ETC_NETNS_DIR "/%s", name);
	cr_assert_eq(mkdir(dir, 0755), 0, "%s: %s", dir, strerror(errno));
}

Test(netns, stub_and_in_use)
{
	const char *a = h11_name("use"), *s = h11_name("stub");
	char path[256];
	bool busy = true;
	pid_t child;

	need_root();
	/* Fresh from netns_add(): not in use, not a stub. */
	cr_assert_eq(netns_add(a), 0);
	cr_assert_eq(netns_in_use(a, &busy), 0);
	cr_assert_not(busy);
	cr_assert_not(netns_is_stub(a));
	cr_assert_eq(netns_remove_stub(a), -EBUSY);
	cr_assert(netns_exists(a));
	/* A process in it... */
	child = spawn_in(a);
	cr_assert_eq(netns_in_use(a, &busy), 0);
	cr_assert(busy, "a process lives in it");
	kill_child(child);
	cr_assert_eq(netns_in_use(a, &busy), 0);
	cr_assert_not(busy);
	/* ...or an interface besides lo. */
	add_tap_in(a);
	cr_assert_eq(netns_in_use(a, &busy), 0);
	cr_assert(busy, "a TAP is in it");

	/* Unmounted (netns_del() killed before the unlink): a stub. */
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", a);
	cr_assert_eq(umount2(path, MNT_DETACH), 0);
	cr_assert_not(netns_exists(a));
	cr_assert(netns_is_stub(a));
	cr_assert_eq(netns_in_use(a, &busy), -ENOENT);
	cr_assert_eq(netns_remove_stub(a), 0);
	cr_assert_not(exists("%s", path));
	cr_assert_eq(netns_remove_stub(a), -ENOENT);
	cr_assert_not(netns_is_stub(a));

	/* Never mounted (netns_add() killed before the mount). */
	make_stub(s);
	cr_assert(netns_is_stub(s));
	cr_assert_eq(netns_add(s), -EEXIST);
	cr_assert_eq(netns_remove_stub(s), 0);
	cr_assert_eq(netns_add(s), 0);
	cr_assert_not(netns_is_stub(s));
	cr_assert_eq(netns_del(s), 0);

	/* Not empty: not something a namespace is made from. */
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", s);
	put_file(path, "x\n");
	cr_assert_not(netns_is_stub(s));
	cr_assert_eq(netns_remove_stub(s), -EBUSY);
	cr_assert(exists("%s", path));
	cr_assert_eq(netns_is_stub("a/b"), false);
	cr_assert_eq(netns_remove_stub(".."), -EINVAL);
}

/*
 * Killed inside netns_add() (before marker_bind() records the cookie) or
 * inside netns_del() (after the unmount): cleanup removes the stub, and
 * the namespace without a cookie if nothing lives in it; everything not
 * marked by the dead run, or in use, stays.
 */
Test(marker, cleanup_after_kill_in_netns_add)
{
	const char *stub = h11_name("stub"), *unbound = h11_name("unbound");
	const char *teardown = h11_name("teardown");
	const char *busy_if = h11_name("busy-if");
	const char *busy_proc = h11_name("busy-proc");
	const char *full = h11_name("full"), *bare = h11_name("bare");
	const char *live = h11_name("live");
	const char *dead_marked[] = { stub, unbound, teardown, busy_if,
				      busy_proc, full };
	struct marker_owner dead;
	struct marker_entry *list;
	size_t n, removed = 0;
	char path[256];
	pid_t child, inside;
	int seen = 0;

	need_root();
	cleanup_turn();
	child = spawn_child(&dead);
	for (size_t i = 0; i < 6; i++)
		cr_assert_eq(marker_write(dead_marked[i], child), 0);
	/* Killed after creating the name, before the bind mount. */
	make_stub(stub);
	/* Killed after the bind mount, before marker_bind(). */
	cr_assert_eq(netns_add(unbound), 0);
	/* Killed in netns_del() at exit, between umount and unlink. */
	cr_assert_eq(netns_add(teardown), 0);
	cr_assert_eq(marker_bind(teardown), 0);
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", teardown);
	cr_assert_eq(umount2(path, MNT_DETACH), 0);
	/*
	 * No cookie either, but in use: somebody else's under the same name
	 * (made after the run died), or somebody uses ours. Left alone.
	 */
	cr_assert_eq(netns_add(busy_if), 0);
	add_tap_in(busy_if);
	cr_assert_eq(netns_add(busy_proc), 0);
	inside = spawn_in(busy_proc);
	/* Not empty: nothing netns_add() leaves. */
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", full);
	put_file(path, "x\n");
	/* Not ours: a stub without a mark; a live run's stub. */
	make_stub(bare);
	cr_assert_eq(marker_write(live, getpid()), 0);
	make_stub(live);
	kill_child(child);

	cr_assert_eq(marker_list(&list, &n), 0);
	for (size_t i = 0; i < n; i++) {
		struct marker_entry *e = &list[i];

		if (!strcmp(e->name, stub) || !strcmp(e->name, teardown)) {
			seen++;
			cr_assert(e->has_stub && !e->has_netns && !e->alive,
				  "%s", e->name);
		} else if (!strcmp(e->name, unbound)) {
			seen++;
			cr_assert(e->has_netns && e->netns_ours &&
				  !e->has_stub);
		} else if (!strcmp(e->name, busy_if) ||
			   !strcmp(e->name, busy_proc)) {
			seen++;
			cr_assert(e->has_netns && !e->netns_ours, "%s",
				  e->name);
		} else if (!strcmp(e->name, full)) {
			seen++;
			cr_assert(!e->has_netns && !e->has_stub);
		} else if (!strcmp(e->name, live)) {
			seen++;
			cr_assert(e->has_stub && e->alive);
		} else {
			cr_assert(strcmp(e->name, bare), "%s listed", bare);
		}
	}
	free(list);
	cr_assert_eq(seen, 7);

	cr_assert_eq(marker_cleanup(true, &removed), 0);
	cr_assert_geq(removed, 1);
	cr_assert_not(exists(NETNS_RUN_DIR "/%s", stub));
	cr_assert_not(exists(NETNS_RUN_DIR "/%s", unbound));
	cr_assert_not(exists(NETNS_RUN_DIR "/%s", teardown));
	for (size_t i = 0; i < 6; i++)
		cr_assert_not(exists(MARKER_NETNS_DIR "/%s", dead_marked[i]),
			      "mark of %s", dead_marked[i]);
	/* The next run of those nodes can create them. */
	cr_assert_eq(netns_add(stub), 0);
	cr_assert_eq(netns_add(unbound), 0);
	cr_assert_eq(netns_add(teardown), 0);
	/* Stayed. */
	cr_assert(netns_exists(busy_if));
	cr_assert(netns_exists(busy_proc));
	cr_assert(exists(NETNS_RUN_DIR "/%s", full));
	cr_assert(netns_is_stub(bare));
	cr_assert(netns_is_stub(live));
	cr_assert(exists(MARKER_NETNS_DIR "/%s", live));
	kill_child(inside);
}

/*
 * Killed inside hosts_write() between mkdir /etc/netns/NAME and the
 * rename of the hosts file: the directory goes with the dead run's mark,
 * unless something else than our temp files is in it; directories not
 * marked, or marked by a live run, stay.
 */
Test(marker, cleanup_after_kill_in_hosts_write)
{
	const char *killed = h11_name("killed"), *temp = h11_name("temp");
	const char *user = h11_name("user"), *livetemp = h11_name("livetemp");
	const char *unmarked = h11_name("unmarked"), *live = h11_name("live");
	struct marker_owner me, dead;
	char dir[256], conf[300];
	const char *t[3];
	pid_t child;

	need_root();
	cleanup_turn();
	cr_assert_eq(marker_owner_of(getpid(), &me), 0);
	child = spawn_child(&dead);
	/* A node set up whole; killed in hosts_write() after the mkdir. */
	cr_assert_eq(marker_write(killed, child), 0);
	cr_assert_eq(netns_add(killed), 0);
	cr_assert_eq(marker_bind(killed), 0);
	make_etc_dir(killed, dir, sizeof(dir));
	/* With only temp files in it, of no writer and of the dead one. */
	cr_assert_eq(marker_write(temp, child), 0);
	make_etc_dir(temp, dir, sizeof(dir));
	t[0] = make_temp(dir, 0, 0, 0);
	t[1] = make_temp(dir, child, dead.start, 0);
	/* With a file of the user's: the temp file goes, the dir stays. */
	cr_assert_eq(marker_write(user, child), 0);
	make_etc_dir(user, dir, sizeof(dir));
	snprintf(conf, sizeof(conf), "%s/resolv.conf", dir);
	put_file(conf, "nameserver 192.0.2.1\n");
	t[2] = make_temp(dir, 0, 0, 0);
	/* A live writer's temp file stays, and so does its dir. */
	cr_assert_eq(marker_write(livetemp, child), 0);
	make_etc_dir(livetemp, dir, sizeof(dir));
	const char *lt = make_temp(dir, getpid(), me.start, 0);
	/* Not ours; a live run's, between mkdir and rename right now. */
	make_etc_dir(unmarked, dir, sizeof(dir));
	cr_assert_eq(marker_write(live, getpid()), 0);
	make_etc_dir(live, dir, sizeof(dir));
	kill_child(child);

	cr_assert_eq(marker_cleanup(true, NULL), 0);
	cr_assert_not(exists(HOSTS_ETC_NETNS_DIR "/%s", killed));
	cr_assert_not(netns_exists(killed));
	cr_assert_not(exists(NETNS_RUN_DIR "/%s", killed));
	cr_assert_not(exists(MARKER_NETNS_DIR "/%s", killed));
	cr_assert_not(exists("%s", t[0]));
	cr_assert_not(exists("%s", t[1]));
	cr_assert_not(exists(HOSTS_ETC_NETNS_DIR "/%s", temp));
	cr_assert_not(exists("%s", t[2]));
	cr_assert(exists("%s", conf));
	cr_assert(exists("%s", lt));
	cr_assert(exists(HOSTS_ETC_NETNS_DIR "/%s", unmarked));
	cr_assert(exists(HOSTS_ETC_NETNS_DIR "/%s", live));
	cr_assert(exists(MARKER_NETNS_DIR "/%s", live));
}

/* marker_file_write()'s temp file names its writer: pid and start time. */
Test(marker, temp_file_names_its_writer)
{
	char dir[] = "/tmp/lmt-h11-XXXXXX", path[256], want[128];
	char ev[4096] __attribute__((aligned(8)));
	struct marker_owner me;
	const char *name = NULL;
	ssize_t len;
	int fd;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/file", dir);
	fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	cr_assert_geq(fd, 0);
	cr_assert_geq(inotify_add_watch(fd, dir, IN_CREATE), 0);
	cr_assert_eq(marker_file_write(path, dir, "x\n", 2), 0);
	len = read(fd, ev, sizeof(ev));
	cr_assert_gt(len, 0);
	for (char *p = ev; p < ev + len;) {
		struct inotify_event *e = (struct inotify_event *)p;

		if (e->len && !strncmp(e->name, MARKER_TEMP_PREFIX,
				       strlen(MARKER_TEMP_PREFIX)))
			name = e->name;
		p += sizeof(*e) + e->len;
	}
	cr_assert_not_null(name, "no temp file was created");
	cr_assert_eq(marker_owner_of(getpid(), &me), 0);
	snprintf(want, sizeof(want), MARKER_TEMP_PREFIX "%d-%" PRIu64 "-",
		 (int)getpid(), me.start);
	cr_assert(!strncmp(name, want, strlen(want)), "temp file \"%s\"",
		  name);
	cr_assert_eq(strlen(name), strlen(want) + 6, "temp file \"%s\"", name);
	close(fd);

	/* Renamed: only the file is left. */
	char *text = slurp(path);

	cr_assert_not_null(text);
	cr_assert_str_eq(text, "x\n");
	free(text);
	cr_assert_eq(unlink(path), 0);
	cr_assert_eq(rmdir(dir), 0, "%s not empty", dir);
}

/*
 * Killed inside marker_file_write() between mkstemp() and rename(): temp
 * files of dead writers go at once, and those that name no writer once
 * older than MARKER_TEMP_AGE; a live writer's stay, whatever their age.
 */
Test(marker, cleanup_removes_temp_files_of_dead_writers)
{
	const char *dirs[] = { MARKER_DIR, MARKER_NETNS_DIR,
			       HOSTS_ETC_NETNS_DIR };
	const char *gone[3][4], *kept[3][3];
	struct marker_owner me, dead;
	time_t now, btime;
	pid_t child;

	need_root();
	cleanup_turn();
	now = time(NULL);
	btime = boot_time();
	cr_assert_eq(marker_owner_of(getpid(), &me), 0);
	mkdir(MARKER_DIR, 0755);
	mkdir(MARKER_NETNS_DIR, 0755);
	mkdir(HOSTS_ETC_NETNS_DIR, 0755);
	child = spawn_child(&dead);
	for (size_t i = 0; i < 3; i++) {
		/* The killed writer's. */
		gone[i][0] = make_temp(dirs[i], child, dead.start, 0);
		/* Our pid, but another process's (pid reuse). */
		gone[i][1] = make_temp(dirs[i], getpid(), me.start + 1, 0);
		/* Our pid and start time, but from an earlier boot. */
		gone[i][2] = make_temp(dirs[i], getpid(), me.start,
				       btime - 3600);
		/* No writer named, and old. */
		gone[i][3] = make_temp(dirs[i], 0, 0,
				       now - MARKER_TEMP_AGE - 60);
		/* A live writer's, young or (stopped?) old. */
		kept[i][0] = make_temp(dirs[i], getpid(), me.start, 0);
		kept[i][1] = make_temp(dirs[i], getpid(), me.start,
				       now - 3600);
		/* No writer named, and young: maybe being written. */
		kept[i][2] = make_temp(dirs[i], 0, 0,
				       now - MARKER_TEMP_AGE / 2);
	}
	kill_child(child);

	cr_assert_eq(marker_cleanup(true, NULL), 0);
	for (size_t i = 0; i < 3; i++) {
		for (size_t j = 0; j < 4; j++)
			cr_assert_not(exists("%s", gone[i][j]), "%s kept (%zu)",
				      gone[i][j], j);
		for (size_t j = 0; j < 3; j++)
			cr_assert(exists("%s", kept[i][j]), "%s removed (%zu)",
				  kept[i][j], j);
	}

	/* Cleanup by owner takes the owner's, not the others. */
	struct marker_owner other = me;

	other.start++;
	cr_assert_eq(marker_cleanup_owner(&other, NULL), 0);
	for (size_t i = 0; i < 3; i++)
		for (size_t j = 0; j < 3; j++)
			cr_assert(exists("%s", kept[i][j]));
	cr_assert_eq(marker_cleanup_owner(&me, NULL), 0);
	for (size_t i = 0; i < 3; i++) {
		cr_assert_not(exists("%s", kept[i][0]));
		cr_assert_not(exists("%s", kept[i][1]));
		cr_assert(exists("%s", kept[i][2]));
	}
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
