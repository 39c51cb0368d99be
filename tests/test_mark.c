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
