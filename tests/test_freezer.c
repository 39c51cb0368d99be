// SPDX-License-Identifier: MIT
/* test_freezer.c - nodes' freezer cgroups: freeze, thaw, remove, cleanup (root) */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/magic.h>

#include <criterion/criterion.h>

#include "tap/cleanup.h"
#include "tap/freezer.h"
#include "tap/mark.h"
#include "tap/netns.h"
#include "tests/lib/netns_fixture.h"

/* Children not reaped yet: the fini kills them after a failed assertion. */
static pid_t kids[4];

/*
 * Every cgroup a test makes is called "lmt-PID-TAG" (fx_ns_name()), in
 * whichever hierarchy it used, and marked as a live run's (this process)
 * so that the cleanup test running meanwhile leaves it alone. The fini
 * removes those of its pid in both this machine kind's hierarchies
 * (thawed first: a frozen child would not die), kills the children, then
 * fx_remove_mine() (namespaces, marks).
 */
static void fz_remove_mine(void)
{
	static const char *const dirs[] = { "", "/sys/fs/cgroup/unified" };
	char prefix[32], base[PATH_MAX + 16];
	struct freezer fz;
	struct dirent *de;
	DIR *d;

	snprintf(prefix, sizeof(prefix), "lmt-%d-", (int)getpid());
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (*dirs[i] ? freezer_open_at(&fz, dirs[i]) :
			       freezer_open(&fz))
			continue;
		snprintf(base, sizeof(base), "%s/%s", fz.dir, FREEZER_SUBDIR);
		d = opendir(base);
		if (!d)
			continue;
		while ((de = readdir(d)))
			if (!strncmp(de->d_name, prefix, strlen(prefix)))
				freezer_node_remove(&fz, de->d_name);
		closedir(d);
	}
	for (size_t i = 0; i < sizeof(kids) / sizeof(kids[0]); i++) {
		if (kids[i] <= 0)
			continue;
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
		kids[i] = 0;
	}
	fx_remove_mine();
}

TestSuite(freezer, .fini = fz_remove_mine);

/* Root and the host's own choice of hierarchy, or skip. */
static void need_freezer(struct freezer *fz)
{
	fx_need_root();
	if (freezer_open(fz) < 0)
		cr_skip_test("%s", fz->err);
}

/* A counter in memory shared with the children that advance it. */
static volatile uint64_t *counter_new(void)
{
	void *p = mmap(NULL, sizeof(uint64_t), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	cr_assert_neq(p, MAP_FAILED, "mmap: %s", strerror(errno));
	return p;
}

/* A child that adds 1 to *c every millisecond until killed. */
static pid_t counter_child(volatile uint64_t *c)
{
	const struct timespec ms = { 0, 1000000 };
	pid_t pid = fork();

	cr_assert_geq(pid, 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		for (;;) {
			(*c)++;
			nanosleep(&ms, NULL);
		}
	}
	for (size_t i = 0; i < sizeof(kids) / sizeof(kids[0]); i++) {
		if (kids[i] <= 0) {
			kids[i] = pid;
			break;
		}
	}
	return pid;
}

static void counter_kill(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	for (size_t i = 0; i < sizeof(kids) / sizeof(kids[0]); i++)
		if (kids[i] == pid)
			kids[i] = 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* How much *c advances in ms milliseconds. */
static uint64_t advance(volatile uint64_t *c, long ms)
{
	uint64_t a = *c;

	sleep_ms(ms);
	return *c - a;
}

/* The line of pid's /proc/PID/cgroup for the hierarchy of fz. */
static char *cgroup_of(const struct freezer *fz, pid_t pid)
{
	char path[64], *text, *line, *save = NULL, *found = NULL;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	text = fx_slurp(path);
	cr_assert_not_null(text, "%s: %s", path, strerror(errno));
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		/* v1: "6:freezer:/lasermesh/x"; v2: "0::/lasermesh/x" */
		if (fz->kind == FREEZER_V1 ? strstr(line, ":freezer:") != NULL :
					     !strncmp(line, "0::", 3))
			found = strdup(strrchr(line, ':') + 1);
	}
	free(text);
	cr_assert_not_null(found, "no line for the hierarchy in %s", path);
	return found;
}

/*
 * The whole life of a node's cgroup in the hierarchy fz: a child joined
 * to it stops advancing while frozen, advances again once thawed, and
 * the removal (of a frozen cgroup, with the child still in it) thaws it,
 * moves it to the root and leaves no directory.
 */
static void freeze_thaw_remove(struct freezer *fz)
{
	const char *node = fx_ns_name("frz");
	volatile uint64_t *c = counter_new();
	char dir[PATH_MAX], want[PATH_MAX], *cg;
	bool frozen = true;
	pid_t child;

	/* a live run's node, as the ones exec and wrap --node join */
	cr_assert_eq(mark_write(node, getpid()), 0);
	cr_assert_eq(freezer_node_create(fz, node), 0, "%s", fz->err);
	cr_assert_eq(freezer_node_create(fz, node), 0, "not idempotent: %s",
		     fz->err);
	cr_assert_eq(freezer_path(fz, node, NULL, dir, sizeof(dir)), 0);
	cr_assert(fx_exists("%s", dir), "no %s", dir);
	child = counter_child(c);
	cr_assert_eq(freezer_join(fz, node, child), 0, "%s", fz->err);
	cg = cgroup_of(fz, child);
	snprintf(want, sizeof(want), "/%s/%s", FREEZER_SUBDIR, node);
	cr_assert_str_eq(cg, want);
	free(cg);
	cr_assert_gt(advance(c, 100), 0, "the child does not count");
	cr_assert_eq(freezer_get(fz, node, &frozen), 0, "%s", fz->err);
	cr_assert_not(frozen);

	cr_assert_eq(freezer_set(fz, node, true), 0, "%s", fz->err);
	cr_assert_eq(freezer_get(fz, node, &frozen), 0, "%s", fz->err);
	cr_assert(frozen);
	cr_assert_eq(advance(c, 300), 0, "a frozen child counts on");
	if (fz->kind == FREEZER_V1) {
		char *state;

		cr_assert_eq(freezer_path(fz, node, "freezer.state", dir,
					  sizeof(dir)), 0);
		state = fx_slurp(dir);
		cr_assert_str_eq(state, "FROZEN\n");
		free(state);
	}

	cr_assert_eq(freezer_set(fz, node, false), 0, "%s", fz->err);
	cr_assert_eq(freezer_get(fz, node, &frozen), 0, "%s", fz->err);
	cr_assert_not(frozen);
	cr_assert_gt(advance(c, 300), 0, "a thawed child stays stopped");

	/* Removed frozen, with the child in it. */
	cr_assert_eq(freezer_set(fz, node, true), 0, "%s", fz->err);
	cr_assert_eq(freezer_node_remove(fz, node), 0, "%s", fz->err);
	cr_assert_eq(freezer_path(fz, node, NULL, dir, sizeof(dir)), 0);
	cr_assert_not(fx_exists("%s", dir), "%s is still there", dir);
	cr_assert_gt(advance(c, 300), 0, "removal left the child frozen");
	cg = cgroup_of(fz, child);
	cr_assert_str_eq(cg, "/", "the child is in \"%s\"", cg);
	free(cg);
	cr_assert_eq(freezer_node_remove(fz, node), -ENOENT);
	counter_kill(child);
}

/* The hierarchy the host's rule picks (v1's freezer here). */
Test(freezer, freeze_thaw_remove_default)
{
	struct freezer fz;

	need_freezer(&fz);
	freeze_thaw_remove(&fz);
}

/* A hybrid host's cgroup2 tree, with cgroup.freeze and cgroup.events. */
Test(freezer, freeze_thaw_remove_v2)
{
	const char *dir = "/sys/fs/cgroup/unified";
	struct freezer fz;
	struct statfs st;

	fx_need_root();
	if (statfs(dir, &st) < 0 || st.f_type != CGROUP2_SUPER_MAGIC)
		cr_skip_test("\"%s\" is not a cgroup2 mount", dir);
	cr_assert_eq(freezer_open_at(&fz, dir), 0, "%s", fz.err);
	cr_assert_eq(fz.kind, FREEZER_V2);
	freeze_thaw_remove(&fz);
}

/* The rule's choice on this machine kind, and the errors. */
Test(freezer, choice_and_errors)
{
	struct freezer fz;
	struct statfs st;

	need_freezer(&fz);
	if (statfs("/sys/fs/cgroup", &st) == 0 &&
	    st.f_type != CGROUP2_SUPER_MAGIC &&
	    fx_exists("/sys/fs/cgroup/freezer/cgroup.procs")) {
		cr_assert_eq(fz.kind, FREEZER_V1);
		cr_assert_str_eq(fz.dir, "/sys/fs/cgroup/freezer");
	}
	cr_assert_eq(freezer_join(&fz, fx_ns_name("none"), getpid()),
		     -ENOENT);
	cr_assert(strstr(fz.err, "/lasermesh/lmt-") &&
		  strstr(fz.err, "cgroup.procs\""), "%s", fz.err);
	cr_assert_eq(freezer_node_create(&fz, "../x"), -EINVAL);
	cr_assert(strstr(fz.err, "\"../x\""), "%s", fz.err);
	cr_assert_eq(freezer_open_at(&fz, "/tmp"), -ENOENT);
	cr_assert(strstr(fz.err, "\"/tmp\""), "%s", fz.err);
}

/*
 * `lasermesh cleanup`: cgroups of names nobody claims (no mark, no
 * namespace) and of a dead run go, thawed, with their processes moved
 * out; a live run's and one of a namespace that is not ours stay.
 */
Test(freezer, cleanup_removes_stale)
{
	const char *stale = fx_ns_name("stale"), *live = fx_ns_name("live");
	const char *dead = fx_ns_name("dead"), *other = fx_ns_name("other");
	struct cleanup_filter f = { .only_dead = true };
	struct cleanup_counts cnt;
	volatile uint64_t *c = counter_new();
	char dir[PATH_MAX];
	struct freezer fz;
	pid_t gone, child;

	need_freezer(&fz);
	fx_cleanup_turn();
	/* nobody's, frozen and empty */
	cr_assert_eq(freezer_node_create(&fz, stale), 0, "%s", fz.err);
	cr_assert_eq(freezer_set(&fz, stale, true), 0, "%s", fz.err);
	/* a live run's (this process), frozen */
	cr_assert_eq(mark_write(live, getpid()), 0);
	cr_assert_eq(freezer_node_create(&fz, live), 0, "%s", fz.err);
	cr_assert_eq(freezer_set(&fz, live, true), 0, "%s", fz.err);
	/* a dead run's, with its namespace and a frozen process in it */
	gone = fx_spawn_child(NULL);
	cr_assert_eq(mark_write(dead, gone), 0);
	cr_assert_eq(netns_add(dead), 0);
	cr_assert_eq(mark_bind(dead), 0);
	fx_kill_child(gone);
	cr_assert_eq(freezer_node_create(&fz, dead), 0, "%s", fz.err);
	child = counter_child(c);
	cr_assert_eq(freezer_join(&fz, dead, child), 0, "%s", fz.err);
	cr_assert_eq(freezer_set(&fz, dead, true), 0, "%s", fz.err);
	/* unmarked, but a namespace of that name exists */
	cr_assert_eq(netns_add(other), 0);
	cr_assert_eq(freezer_node_create(&fz, other), 0, "%s", fz.err);

	cr_assert_eq(cleanup_run(&f, &cnt), 0);
	cr_assert_geq(cnt.cgroups, 2, "cgroups removed: %zu", cnt.cgroups);
	cr_assert_eq(freezer_path(&fz, stale, NULL, dir, sizeof(dir)), 0);
	cr_assert_not(fx_exists("%s", dir), "%s stayed", dir);
	cr_assert_eq(freezer_path(&fz, dead, NULL, dir, sizeof(dir)), 0);
	cr_assert_not(fx_exists("%s", dir), "%s stayed", dir);
	cr_assert_not(netns_exists(dead));
	cr_assert_gt(advance(c, 300), 0, "the dead run's process stays frozen");
	cr_assert_eq(freezer_path(&fz, live, NULL, dir, sizeof(dir)), 0);
	cr_assert(fx_exists("%s", dir), "a live run's cgroup went");
	cr_assert_eq(freezer_path(&fz, other, NULL, dir, sizeof(dir)), 0);
	cr_assert(fx_exists("%s", dir), "a claimed name's cgroup went");
	counter_kill(child);
}
