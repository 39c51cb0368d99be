// SPDX-License-Identifier: MIT
/* test_netns.c - named namespaces: add, enter, delete, stubs, use */
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
#include <dirent.h>

#include <criterion/criterion.h>

#include "tap/netns.h"
#include "tests/lib/netns_fixture.h"

TestSuite(netns, .fini = fx_remove_mine);

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
	const char *a = fx_ns_name("a"), *b = fx_ns_name("b");
	char path[128], self[] = "/proc/thread-self/ns/net";
	uint64_t ca, cb, ca2;
	ino_t home;
	int fd, saved;

	fx_need_root();
	home = fx_ns_ino(self);
	cr_assert_not(netns_exists(a));
	cr_assert_eq(netns_add(a), 0);
	cr_assert_eq(netns_add(a), -EEXIST);
	cr_assert_eq(netns_add(b), 0);
	cr_assert(netns_exists(a));
	/* The creating thread is back home. */
	cr_assert_eq(fx_ns_ino(self), home);

	/* iproute2 sees it. */
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "ip netns list | grep -qx '%s\\( .*\\)\\?'",
		 a);
	cr_assert_eq(system(cmd), 0, "ip netns list does not show %s", a);

	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", a);
	cr_assert_eq(netns_open(a, &fd), 0);
	cr_assert_eq(netns_enter(fd, &saved), 0);
	cr_assert_eq(fx_ns_ino(self), fx_ns_ino(path));
	cr_assert_neq(fx_ns_ino(self), home);
	cr_assert_eq(netns_leave(saved), 0);
	cr_assert_eq(fx_ns_ino(self), home);
	close(fd);

	cr_assert_eq(netns_cookie(a, &ca), 0);
	cr_assert_eq(netns_cookie(b, &cb), 0);
	cr_assert_neq(ca, cb);
	cr_assert_eq(netns_cookie(a, &ca2), 0);
	cr_assert_eq(ca, ca2);

	cr_assert_eq(netns_del(a), 0);
	cr_assert_not(netns_exists(a));
	cr_assert_not(fx_exists("%s", path));
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

	fx_need_root();
	for (int i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "%s", fx_ns_name("bulk"));
		snprintf(names[i] + strlen(names[i]),
			 sizeof(names[i]) - strlen(names[i]), "-%d", i);
		cr_assert_eq(netns_add(names[i]), 0, "%s", names[i]);
	}
	for (int i = 0; i < N; i++)
		cr_assert(netns_exists(names[i]));
	for (int i = 0; i < N; i++)
		cr_assert_eq(netns_del(names[i]), 0, "%s", names[i]);

	snprintf(prefix, sizeof(prefix), "%s-", fx_ns_name("bulk"));
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

Test(netns, stub_and_in_use)
{
	const char *a = fx_h11_name("use"), *s = fx_h11_name("stub");
	char path[256];
	bool busy = true;
	pid_t child;

	fx_need_root();
	/* Fresh from netns_add(): not in use, not a stub. */
	cr_assert_eq(netns_add(a), 0);
	cr_assert_eq(netns_in_use(a, &busy), 0);
	cr_assert_not(busy);
	cr_assert_not(netns_is_stub(a));
	cr_assert_eq(netns_remove_stub(a), -EBUSY);
	cr_assert(netns_exists(a));
	/* A process in it... */
	child = fx_spawn_in(a);
	cr_assert_eq(netns_in_use(a, &busy), 0);
	cr_assert(busy, "a process lives in it");
	fx_kill_child(child);
	cr_assert_eq(netns_in_use(a, &busy), 0);
	cr_assert_not(busy);
	/* ...or an interface besides lo. */
	fx_add_tap_in(a);
	cr_assert_eq(netns_in_use(a, &busy), 0);
	cr_assert(busy, "a TAP is in it");

	/* Unmounted (netns_del() killed before the unlink): a stub. */
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", a);
	cr_assert_eq(umount2(path, MNT_DETACH), 0);
	cr_assert_not(netns_exists(a));
	cr_assert(netns_is_stub(a));
	cr_assert_eq(netns_in_use(a, &busy), -ENOENT);
	cr_assert_eq(netns_remove_stub(a), 0);
	cr_assert_not(fx_exists("%s", path));
	cr_assert_eq(netns_remove_stub(a), -ENOENT);
	cr_assert_not(netns_is_stub(a));

	/* Never mounted (netns_add() killed before the mount). */
	fx_make_stub(s);
	cr_assert(netns_is_stub(s));
	cr_assert_eq(netns_add(s), -EEXIST);
	cr_assert_eq(netns_remove_stub(s), 0);
	cr_assert_eq(netns_add(s), 0);
	cr_assert_not(netns_is_stub(s));
	cr_assert_eq(netns_del(s), 0);

	/* Not empty: not something a namespace is made from. */
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", s);
	fx_put_file(path, "x\n");
	cr_assert_not(netns_is_stub(s));
	cr_assert_eq(netns_remove_stub(s), -EBUSY);
	cr_assert(fx_exists("%s", path));
	cr_assert_eq(netns_is_stub("a/b"), false);
	cr_assert_eq(netns_remove_stub(".."), -EINVAL);
}
