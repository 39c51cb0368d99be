// SPDX-License-Identifier: MIT
/* test_cleanup.c - `lasermesh cleanup`: what runs left goes, nothing else */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "tap/cleanup.h"
#include "tap/hosts.h"
#include "tap/mark.h"
#include "tap/netns.h"
#include "tap/runfile.h"
#include "tests/lib/netns_fixture.h"

TestSuite(cleanup, .fini = fx_remove_mine);

/* cleanup_run(); *removed (may be NULL): names gone from /run/netns. */
static int sweep(bool only_dead, pid_t pid, size_t *removed)
{
	struct cleanup_filter f = { .only_dead = only_dead, .pid = pid };
	struct cleanup_counts c;
	int ret;

	ret = cleanup_run(&f, &c);
	if (removed)
		*removed = c.netns + c.stubs;
	return ret;
}

/*
 * The whole story of `lasermesh cleanup`, in one test (it looks at every
 * mark on the system): leftovers of a dead run go, a live run's and
 * unmarked namespaces stay.
 */
Test(cleanup, cleanup_removes_exactly_dead_marked)
{
	const char *dead1 = fx_ns_name("dead1"), *dead2 = fx_ns_name("dead2");
	const char *plain = fx_ns_name("plain"), *live = fx_ns_name("live");
	const char *reused = fx_ns_name("reused"),
		   *orphan = fx_ns_name("orphan");
	const char *foreign = fx_ns_name("foreign");
	const char *names[] = {dead1, dead2};
	struct owner dead;
	struct cleanup_entry *list;
	struct runfile run;
	size_t n, removed = 0;
	char *buf;
	size_t len;
	pid_t child;

	fx_need_root();
	fx_cleanup_turn();
	child = fx_spawn_child(&dead);
	/* A run that died: two marked namespaces, hosts files, run file. */
	cr_assert_eq(runfile_write(child, NULL, names, 2), 0);
	struct hosts_entry he = { .name = "x", .has_v4 = true };

	cr_assert_eq(hosts_render(&dead, &he, 1, &buf, &len), 0);
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(mark_write(names[i], child), 0);
		cr_assert_eq(netns_add(names[i]), 0);
		cr_assert_eq(mark_bind(names[i]), 0);
		cr_assert_eq(fx_hosts_write(names[i], buf, len), 0);
	}
	/* Marked by the dead run, deleted, then made again by someone else. */
	cr_assert_eq(mark_write(reused, child), 0);
	cr_assert_eq(netns_add(reused), 0);
	cr_assert_eq(mark_bind(reused), 0);
	cr_assert_eq(netns_del(reused), 0);
	cr_assert_eq(netns_add(reused), 0);
	/* Only the hosts file of the dead run is left. */
	cr_assert_eq(fx_hosts_write(orphan, buf, len), 0);
	fx_kill_child(child);
	free(buf);

	/* Not ours: a namespace without a mark, an /etc dir of the user. */
	cr_assert_eq(netns_add(plain), 0);
	cr_assert_eq(netns_add(foreign), 0);
	mkdir(HOSTS_ETC_NETNS_DIR, 0755);
	char path[256];

	snprintf(path, sizeof(path), HOSTS_ETC_NETNS_DIR "/%s", foreign);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), HOSTS_ETC_NETNS_DIR "/%s/hosts", foreign);
	fx_put_file(path, "127.0.0.1 localhost\n");
	/* A live run: ours. */
	cr_assert_eq(mark_write(live, getpid()), 0);
	cr_assert_eq(netns_add(live), 0);
	cr_assert_eq(mark_bind(live), 0);

	/* What cleanup_list() sees. */
	cr_assert_eq(cleanup_list(&list, &n), 0);
	int seen = 0;

	for (size_t i = 0; i < n; i++) {
		struct cleanup_entry *e = &list[i];

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

	cr_assert_eq(sweep(true, 0, &removed), 0);
	/* Other dead runs' leftovers on this system may go too. */
	cr_assert_geq(removed, 2);
	cr_assert_not(netns_exists(dead1));
	cr_assert_not(netns_exists(dead2));
	cr_assert_not(fx_exists(MARK_NETNS_DIR "/%s", dead1));
	cr_assert_not(fx_exists(HOSTS_ETC_NETNS_DIR "/%s", dead2));
	cr_assert_not(fx_exists(HOSTS_ETC_NETNS_DIR "/%s", orphan));
	cr_assert_eq(runfile_read(child, &run), -ENOENT);
	/* The reused name: its stale mark went, the namespace stays. */
	cr_assert(netns_exists(reused));
	cr_assert_not(fx_exists(MARK_NETNS_DIR "/%s", reused));
	/* Never touched. */
	cr_assert(netns_exists(plain));
	cr_assert(netns_exists(foreign));
	cr_assert(fx_exists(HOSTS_ETC_NETNS_DIR "/%s/hosts", foreign));
	cr_assert(netns_exists(live));
	cr_assert(fx_exists(MARK_NETNS_DIR "/%s", live));

	/*
	 * The live run's, by pid (`lasermesh cleanup --pid`). (Not --all: on
	 * a shared machine that would take other live runs with it.)
	 */
	struct owner me;

	cr_assert_eq(owner_of(getpid(), &me), 0);
	cr_assert_eq(runfile_write(getpid(), NULL, &live, 1), 0);
	cr_assert_eq(sweep(false, getpid(), &removed), 0);
	cr_assert_eq(removed, 1);
	cr_assert_not(netns_exists(live));
	cr_assert_not(fx_exists(MARK_NETNS_DIR "/%s", live));
	cr_assert_eq(runfile_read(getpid(), &run), -ENOENT);
	cr_assert(netns_exists(plain));
	cr_assert(netns_exists(reused));

	cr_assert_eq(netns_del(plain), 0);
	cr_assert_eq(netns_del(reused), 0);
	cr_assert_eq(netns_del(foreign), 0);
}

/*
 * Killed inside netns_add() (before mark_bind() records the cookie) or
 * inside netns_del() (after the unmount): cleanup removes the stub, and
 * the namespace without a cookie if nothing lives in it; everything not
 * marked by the dead run, or in use, stays.
 */
Test(cleanup, cleanup_after_kill_in_netns_add)
{
	const char *stub = fx_h11_name("stub"),
		   *unbound = fx_h11_name("unbound");
	const char *teardown = fx_h11_name("teardown");
	const char *busy_if = fx_h11_name("busy-if");
	const char *busy_proc = fx_h11_name("busy-proc");
	const char *full = fx_h11_name("full"), *bare = fx_h11_name("bare");
	const char *live = fx_h11_name("live");
	const char *dead_marked[] = { stub, unbound, teardown, busy_if,
				      busy_proc, full };
	struct owner dead;
	struct cleanup_entry *list;
	size_t n, removed = 0;
	char path[256];
	pid_t child, inside;
	int seen = 0;

	fx_need_root();
	fx_cleanup_turn();
	child = fx_spawn_child(&dead);
	for (size_t i = 0; i < 6; i++)
		cr_assert_eq(mark_write(dead_marked[i], child), 0);
	/* Killed after creating the name, before the bind mount. */
	fx_make_stub(stub);
	/* Killed after the bind mount, before mark_bind(). */
	cr_assert_eq(netns_add(unbound), 0);
	/* Killed in netns_del() at exit, between umount and unlink. */
	cr_assert_eq(netns_add(teardown), 0);
	cr_assert_eq(mark_bind(teardown), 0);
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", teardown);
	cr_assert_eq(umount2(path, MNT_DETACH), 0);
	/*
	 * No cookie either, but in use: somebody else's under the same name
	 * (made after the run died), or somebody uses ours. Left alone.
	 */
	cr_assert_eq(netns_add(busy_if), 0);
	fx_add_tap_in(busy_if);
	cr_assert_eq(netns_add(busy_proc), 0);
	inside = fx_spawn_in(busy_proc);
	/* Not empty: nothing netns_add() leaves. */
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", full);
	fx_put_file(path, "x\n");
	/* Not ours: a stub without a mark; a live run's stub. */
	fx_make_stub(bare);
	cr_assert_eq(mark_write(live, getpid()), 0);
	fx_make_stub(live);
	fx_kill_child(child);

	cr_assert_eq(cleanup_list(&list, &n), 0);
	for (size_t i = 0; i < n; i++) {
		struct cleanup_entry *e = &list[i];

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

	cr_assert_eq(sweep(true, 0, &removed), 0);
	cr_assert_geq(removed, 1);
	cr_assert_not(fx_exists(NETNS_RUN_DIR "/%s", stub));
	cr_assert_not(fx_exists(NETNS_RUN_DIR "/%s", unbound));
	cr_assert_not(fx_exists(NETNS_RUN_DIR "/%s", teardown));
	for (size_t i = 0; i < 6; i++)
		cr_assert_not(fx_exists(MARK_NETNS_DIR "/%s", dead_marked[i]),
			      "mark of %s", dead_marked[i]);
	/* The next run of those nodes can create them. */
	cr_assert_eq(netns_add(stub), 0);
	cr_assert_eq(netns_add(unbound), 0);
	cr_assert_eq(netns_add(teardown), 0);
	/* Stayed. */
	cr_assert(netns_exists(busy_if));
	cr_assert(netns_exists(busy_proc));
	cr_assert(fx_exists(NETNS_RUN_DIR "/%s", full));
	cr_assert(netns_is_stub(bare));
	cr_assert(netns_is_stub(live));
	cr_assert(fx_exists(MARK_NETNS_DIR "/%s", live));
	fx_kill_child(inside);
}

/*
 * Killed inside fx_hosts_write() between mkdir /etc/netns/NAME and the
 * rename of the hosts file: the directory goes with the dead run's mark,
 * unless something else than our temp files is in it; directories not
 * marked, or marked by a live run, stay.
 */
Test(cleanup, cleanup_after_kill_in_hosts_write)
{
	const char *killed = fx_h11_name("killed"), *temp = fx_h11_name("temp");
	const char *user = fx_h11_name("user"),
		   *livetemp = fx_h11_name("livetemp");
	const char *unmarked = fx_h11_name("unmarked"),
		   *live = fx_h11_name("live");
	struct owner me, dead;
	char dir[256], conf[300];
	const char *t[3];
	pid_t child;

	fx_need_root();
	fx_cleanup_turn();
	cr_assert_eq(owner_of(getpid(), &me), 0);
	child = fx_spawn_child(&dead);
	/* A node set up whole; killed in fx_hosts_write() after the mkdir. */
	cr_assert_eq(mark_write(killed, child), 0);
	cr_assert_eq(netns_add(killed), 0);
	cr_assert_eq(mark_bind(killed), 0);
	fx_make_etc_dir(killed, dir, sizeof(dir));
	/* With only temp files in it, of no writer and of the dead one. */
	cr_assert_eq(mark_write(temp, child), 0);
	fx_make_etc_dir(temp, dir, sizeof(dir));
	t[0] = fx_make_temp(dir, 0, 0, NULL, 0);
	t[1] = fx_make_temp(dir, child, dead.start, dead.boot, 0);
	/* With a file of the user's: the temp file goes, the dir stays. */
	cr_assert_eq(mark_write(user, child), 0);
	fx_make_etc_dir(user, dir, sizeof(dir));
	snprintf(conf, sizeof(conf), "%s/resolv.conf", dir);
	fx_put_file(conf, "nameserver 192.0.2.1\n");
	t[2] = fx_make_temp(dir, 0, 0, NULL, 0);
	/* A live writer's temp file stays, and so does its dir. */
	cr_assert_eq(mark_write(livetemp, child), 0);
	fx_make_etc_dir(livetemp, dir, sizeof(dir));
	const char *lt = fx_make_temp(dir, getpid(), me.start, me.boot, 0);
	/* Not ours; a live run's, between mkdir and rename right now. */
	fx_make_etc_dir(unmarked, dir, sizeof(dir));
	cr_assert_eq(mark_write(live, getpid()), 0);
	fx_make_etc_dir(live, dir, sizeof(dir));
	fx_kill_child(child);

	cr_assert_eq(sweep(true, 0, NULL), 0);
	cr_assert_not(fx_exists(HOSTS_ETC_NETNS_DIR "/%s", killed));
	cr_assert_not(netns_exists(killed));
	cr_assert_not(fx_exists(NETNS_RUN_DIR "/%s", killed));
	cr_assert_not(fx_exists(MARK_NETNS_DIR "/%s", killed));
	cr_assert_not(fx_exists("%s", t[0]));
	cr_assert_not(fx_exists("%s", t[1]));
	cr_assert_not(fx_exists(HOSTS_ETC_NETNS_DIR "/%s", temp));
	cr_assert_not(fx_exists("%s", t[2]));
	cr_assert(fx_exists("%s", conf));
	cr_assert(fx_exists("%s", lt));
	cr_assert(fx_exists(HOSTS_ETC_NETNS_DIR "/%s", unmarked));
	cr_assert(fx_exists(HOSTS_ETC_NETNS_DIR "/%s", live));
	cr_assert(fx_exists(MARK_NETNS_DIR "/%s", live));
}

/*
 * Killed inside file_write_atomic() between creating and renaming its
 * temp file: temp files of dead writers, or of another boot, go at once,
 * and those that name no writer once older than CLEANUP_TEMP_AGE; a live
 * writer's stay, whatever their age. No clock decides whether a writer is
 * of this boot (the boot id is in the name), so this holds on a machine
 * booted a minute ago.
 */
Test(cleanup, cleanup_removes_temp_files_of_dead_writers)
{
	const char *dirs[] = { MARK_DIR, MARK_NETNS_DIR,
			       HOSTS_ETC_NETNS_DIR };
	const char *gone[3][4], *kept[3][3];
	struct owner me, dead;
	char boot[40];
	time_t now;
	pid_t child;

	fx_need_root();
	fx_cleanup_turn();
	now = time(NULL);
	cr_assert_eq(owner_of(getpid(), &me), 0);
	snprintf(boot, sizeof(boot), "%s", me.boot);
	boot[0] = boot[0] == '0' ? '1' : '0';
	mkdir(MARK_DIR, 0755);
	mkdir(MARK_NETNS_DIR, 0755);
	mkdir(HOSTS_ETC_NETNS_DIR, 0755);
	child = fx_spawn_child(&dead);
	for (size_t i = 0; i < 3; i++) {
		/* The killed writer's. */
		gone[i][0] = fx_make_temp(dirs[i], child, dead.start,
					  dead.boot, 0);
		/* Our pid, but another process's (pid reuse). */
		gone[i][1] = fx_make_temp(dirs[i], getpid(), me.start + 1,
					  me.boot, 0);
		/* Our pid and start time, but from an earlier boot. */
		gone[i][2] = fx_make_temp(dirs[i], getpid(), me.start, boot,
					  0);
		/* No writer named, and old. */
		gone[i][3] = fx_make_temp(dirs[i], 0, 0, NULL,
					  now - CLEANUP_TEMP_AGE - 60);
		/* A live writer's, young or (stopped?) old. */
		kept[i][0] = fx_make_temp(dirs[i], getpid(), me.start, me.boot,
					  0);
		kept[i][1] = fx_make_temp(dirs[i], getpid(), me.start, me.boot,
					  now - 3600);
		/* No writer named, and young: maybe being written. */
		kept[i][2] = fx_make_temp(dirs[i], 0, 0, NULL,
					  now - CLEANUP_TEMP_AGE / 2);
	}
	fx_kill_child(child);

	cr_assert_eq(sweep(true, 0, NULL), 0);
	for (size_t i = 0; i < 3; i++) {
		for (size_t j = 0; j < 4; j++)
			cr_assert_not(fx_exists("%s", gone[i][j]),
				      "%s kept (%zu)", gone[i][j], j);
		for (size_t j = 0; j < 3; j++)
			cr_assert(fx_exists("%s", kept[i][j]),
				  "%s removed (%zu)", kept[i][j], j);
	}

	/* Cleanup of one pid takes that pid's, not the others. */
	cr_assert_eq(sweep(false, child, NULL), 0);
	for (size_t i = 0; i < 3; i++)
		for (size_t j = 0; j < 3; j++)
			cr_assert(fx_exists("%s", kept[i][j]));
	cr_assert_eq(sweep(false, getpid(), NULL), 0);
	for (size_t i = 0; i < 3; i++) {
		cr_assert_not(fx_exists("%s", kept[i][0]));
		cr_assert_not(fx_exists("%s", kept[i][1]));
		cr_assert(fx_exists("%s", kept[i][2]));
	}
}

/*
 * The counts are exact: every name that leaves /run/netns is counted once,
 * a namespace or a name a kill left unmounted alike (`lasermesh cleanup`
 * said 854 namespaces when `ip netns list` had shown 855: the one left
 * unmounted by a kill inside netns_add() went uncounted), and nothing is
 * counted that was not removed. A cleanup of one pid sees only that run.
 */
Test(cleanup, counts_are_exact)
{
	const char *bound = fx_h11_name("c-bound"),
		   *unbound = fx_h11_name("c-unb");
	const char *stub = fx_h11_name("c-stub"), *down = fx_h11_name("c-down");
	const char *names[] = {bound, unbound, stub, down};
	struct hosts_entry he = {.name = "x", .has_v4 = true};
	struct cleanup_filter f = {.pid = 0};
	struct cleanup_counts c;
	struct owner dead;
	char path[256], *buf;
	size_t len;
	pid_t child;

	fx_need_root();
	fx_cleanup_turn();
	child = fx_spawn_child(&dead);
	cr_assert_eq(runfile_write(child, NULL, names, 4), 0);
	for (size_t i = 0; i < 4; i++)
		cr_assert_eq(mark_write(names[i], child), 0);
	/* Whole; killed before mark_bind(); inside netns_add(); netns_del(). */
	cr_assert_eq(netns_add(bound), 0);
	cr_assert_eq(mark_bind(bound), 0);
	cr_assert_eq(netns_add(unbound), 0);
	fx_make_stub(stub);
	cr_assert_eq(netns_add(down), 0);
	cr_assert_eq(mark_bind(down), 0);
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", down);
	cr_assert_eq(umount2(path, MNT_DETACH), 0);
	cr_assert_eq(hosts_render(&dead, &he, 1, &buf, &len), 0);
	cr_assert_eq(hosts_write(names, 2, buf, len), 0);
	free(buf);
	/* A temp file the dead writer left, as a kill inside a write. */
	fx_make_temp(MARK_DIR, child, dead.start, dead.boot, 0);
	fx_kill_child(child);

	/* Another pid's cleanup: nothing of this run, nothing counted. */
	f.pid = getpid();
	cr_assert_eq(cleanup_run(&f, &c), 0);
	cr_assert_eq(c.netns + c.stubs + c.hosts + c.marks + c.runs, 0);
	cr_assert(netns_exists(bound));

	f.pid = child;
	cr_assert_eq(cleanup_run(&f, &c), 0);
	cr_assert_eq(c.netns, 2, "namespaces %zu", c.netns);
	cr_assert_eq(c.stubs, 2, "unmounted names %zu", c.stubs);
	cr_assert_eq(c.hosts, 2, "hosts files %zu", c.hosts);
	cr_assert_eq(c.marks, 4, "marks %zu", c.marks);
	cr_assert_eq(c.runs, 1, "run files %zu", c.runs);
	cr_assert_eq(c.temps, 1, "temp files %zu", c.temps);
	for (size_t i = 0; i < 4; i++) {
		cr_assert_not(fx_exists(NETNS_RUN_DIR "/%s", names[i]));
		cr_assert_not(fx_exists(MARK_NETNS_DIR "/%s", names[i]));
		cr_assert_not(fx_exists(HOSTS_ETC_NETNS_DIR "/%s", names[i]));
	}
	/* Again: nothing left, nothing counted. */
	cr_assert_eq(cleanup_run(&f, &c), 0);
	cr_assert_eq(c.netns + c.stubs + c.hosts + c.marks + c.runs + c.temps,
		     0);
}
