// SPDX-License-Identifier: MIT
/* test_mark.c - the ownership mark of each namespace (root) */
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

#include "tap/mark.h"
#include "tap/netns.h"
#include "tests/lib/netns_fixture.h"

TestSuite(mark, .fini = fx_remove_mine);

Test(mark, write_bind_read_remove)
{
	const char *a = fx_ns_name("mark");
	struct owner o;
	uint64_t cookie = 1, real;
	char *text;

	fx_need_root();
	cr_assert_eq(mark_read(a, &o, &cookie), -ENOENT);
	cr_assert_eq(mark_write(a, getpid()), 0);
	cr_assert_eq(mark_read(a, &o, &cookie), 0);
	cr_assert_eq(o.pid, getpid());
	cr_assert(owner_alive(&o));
	cr_assert_eq(cookie, 0, "bound before the namespace exists");
	cr_assert_eq(mark_bind(a), -ENOENT);

	cr_assert_eq(netns_add(a), 0);
	cr_assert_eq(mark_bind(a), 0);
	cr_assert_eq(mark_read(a, &o, &cookie), 0);
	cr_assert_eq(netns_cookie(a, &real), 0);
	cr_assert_eq(cookie, real);

	/* The file itself: readable by a person. */
	char path[128];

	snprintf(path, sizeof(path), MARK_NETNS_DIR "/%s", a);
	text = fx_slurp(path);
	cr_assert_not_null(text);
	char want[64];

	snprintf(want, sizeof(want), "pid %d\n", (int)getpid());
	cr_assert(strstr(text, "lasermesh-mark 1\n") == text, "%s", text);
	cr_assert(strstr(text, want), "%s", text);
	free(text);

	/* Not one of ours: refused, not taken for a mark. */
	fx_put_file(path, "hello\n");
	cr_assert_eq(mark_read(a, &o, &cookie), -EBADMSG);

	cr_assert_eq(mark_remove(a), 0);
	cr_assert_eq(mark_remove(a), -ENOENT);
	cr_assert_eq(mark_write("a/b", getpid()), -EINVAL);
	cr_assert_eq(netns_del(a), 0);
}

/*
 * A mark is created exclusively: whoever's mark is there (a live run's, a
 * dead one's, our own, or a file that is no mark) stays byte for byte, and
 * no temp file is left behind.
 */
Test(mark, write_is_exclusive)
{
	const char *a = fx_ns_name("excl"), *b = fx_ns_name("excl-dead");
	const char *c = fx_ns_name("excl-junk");
	char path[256], *before, *after;
	struct owner o;
	pid_t child;

	fx_need_root();
	child = fx_spawn_child(NULL);
	cr_assert_eq(mark_write(a, child), 0);
	snprintf(path, sizeof(path), MARK_NETNS_DIR "/%s", a);
	before = fx_slurp(path);
	cr_assert_not_null(before);
	/* Taken by a live process: refused, left as it was. */
	cr_assert_eq(mark_write(a, getpid()), -EEXIST);
	after = fx_slurp(path);
	cr_assert_str_eq(after, before);
	free(after);
	/* ...and when that process is dead: still refused. */
	fx_kill_child(child);
	cr_assert_eq(mark_write(a, getpid()), -EEXIST);
	after = fx_slurp(path);
	cr_assert_str_eq(after, before);
	free(after);
	free(before);
	cr_assert_eq(mark_read(a, &o, NULL), 0);
	cr_assert_eq(o.pid, child);

	/* Our own mark: refused too (a second open of one name). */
	cr_assert_eq(mark_write(b, getpid()), 0);
	cr_assert_eq(mark_write(b, getpid()), -EEXIST);
	/* A file that is not a mark is not replaced either. */
	snprintf(path, sizeof(path), MARK_NETNS_DIR "/%s", c);
	fx_put_file(path, "hello\n");
	cr_assert_eq(mark_write(c, getpid()), -EEXIST);
	after = fx_slurp(path);
	cr_assert_str_eq(after, "hello\n");
	free(after);

	/* Only the owner's mark goes with mark_remove_own(). */
	struct owner me;

	cr_assert_eq(owner_of(getpid(), &me), 0);
	cr_assert_eq(mark_remove_own(a, &me), -EPERM);
	cr_assert_eq(mark_remove_own(c, &me), -EPERM);
	cr_assert(fx_exists(MARK_NETNS_DIR "/%s", a));
	cr_assert_eq(mark_remove_own(b, &me), 0);
	cr_assert_eq(mark_remove_own(b, &me), -ENOENT);

	/* No temp file of ours left in MARK_DIR. */
	char tmp[256];

	cr_assert_eq(owner_temp_path(MARK_DIR, NULL, tmp, sizeof(tmp)), 0);
	cr_assert_not(fx_exists("%s", tmp), "%s left", tmp);
}
