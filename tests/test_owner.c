// SPDX-License-Identifier: MIT
/* test_owner.c - process identity, temp file names, state file format */
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
#include <sys/inotify.h>

#include <criterion/criterion.h>

#include "tap/file.h"
#include "tap/owner.h"
#include "tests/lib/netns_fixture.h"

TestSuite(owner, .fini = fx_remove_mine);

Test(owner, owner_identity)
{
	struct owner me, o;
	pid_t child;
	int st;

	cr_assert_eq(owner_of(getpid(), &me), 0);
	cr_assert_eq(me.pid, getpid());
	cr_assert_gt(me.start, 0);
	cr_assert_eq(strlen(me.boot), 36, "boot id \"%s\"", me.boot);
	cr_assert(owner_alive(&me));

	/* pid reuse: same pid, another start time. */
	o = me;
	o.start++;
	cr_assert_not(owner_alive(&o));
	/* Another boot. */
	o = me;
	o.boot[0] = o.boot[0] == '0' ? '1' : '0';
	cr_assert_not(owner_alive(&o));

	/* A zombie is dead; a reaped child is gone. */
	child = fork();
	cr_assert_geq(child, 0);
	if (child == 0) {
		pause();
		_exit(0);
	}
	cr_assert_eq(owner_of(child, &o), 0);
	cr_assert(owner_alive(&o));
	kill(child, SIGKILL);
	for (int i = 0; i < 200 && owner_alive(&o); i++)
		usleep(5000);
	cr_assert_not(owner_alive(&o), "zombie taken for alive");
	cr_assert_eq(waitpid(child, &st, 0), child);
	cr_assert_not(owner_alive(&o));
	cr_assert_eq(owner_of(child, &o), -ESRCH);
	cr_assert_eq(owner_of(0, &o), -EINVAL);
}

/*
 * The temp file of file_write_atomic(), named by owner_temp_path(), names
 * its writer: pid, start time and boot; and it is renamed into place.
 */
Test(owner, temp_file_names_its_writer)
{
	char dir[] = "/tmp/lmt-h11-XXXXXX", path[256], want[128], tmp[256];
	char ev[4096] __attribute__((aligned(8)));
	struct owner me;
	const char *name = NULL;
	ssize_t len;
	int fd;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/file", dir);
	fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	cr_assert_geq(fd, 0);
	cr_assert_geq(inotify_add_watch(fd, dir, IN_CREATE), 0);
	cr_assert_eq(owner_temp_path(dir, NULL, tmp, sizeof(tmp)), 0);
	cr_assert_eq(file_write_atomic(path, tmp, "x\n", 2), 0);
	len = read(fd, ev, sizeof(ev));
	cr_assert_gt(len, 0);
	for (char *p = ev; p < ev + len;) {
		struct inotify_event *e = (struct inotify_event *)p;

		if (e->len && !strncmp(e->name, OWNER_TEMP_PREFIX,
				       strlen(OWNER_TEMP_PREFIX)))
			name = e->name;
		p += sizeof(*e) + e->len;
	}
	cr_assert_not_null(name, "no temp file was created");
	cr_assert_eq(owner_of(getpid(), &me), 0);
	snprintf(want, sizeof(want), OWNER_TEMP_PREFIX "%d-%" PRIu64 "-%.8s",
		 (int)getpid(), me.start, me.boot);
	cr_assert_str_eq(name, want);
	close(fd);

	/* What cleanup reads back from the name: us, alive. */
	struct owner w;

	cr_assert(owner_temp_writer(name, &w));
	cr_assert_eq(w.pid, getpid());
	cr_assert_eq(w.start, me.start);
	cr_assert(owner_temp_writer_alive(&w));
	w.boot[0] = w.boot[0] == '0' ? '1' : '0';
	cr_assert_not(owner_temp_writer_alive(&w), "another boot's writer");

	/* Renamed: only the file is left. */
	char *text = fx_slurp(path);

	cr_assert_not_null(text);
	cr_assert_str_eq(text, "x\n");
	free(text);
	cr_assert_eq(unlink(path), 0);
	cr_assert_eq(rmdir(dir), 0, "%s not empty", dir);
}

/* Which names name a writer: only the whole, well-formed ones. */
Test(owner, temp_writer_names)
{
	struct owner w;
	char tmp[256];

	cr_assert(owner_temp_writer(".lasermesh-42-7-0a1b2c3d", &w));
	cr_assert_eq(w.pid, 42);
	cr_assert_eq(w.start, 7);
	cr_assert_str_eq(w.boot, "0a1b2c3d");
	cr_assert(owner_temp_writer(".lasermesh-42-7-0a1b2c3d-hosts", &w));
	cr_assert_str_eq(w.boot, "0a1b2c3d");
	/* Older versions: no writer, or no boot. */
	cr_assert_not(owner_temp_writer(".lasermesh-Ab12cD", &w));
	cr_assert_not(owner_temp_writer(".lasermesh-42-7-Ab12cD", &w));
	cr_assert_not(owner_temp_writer(".lasermesh-42-7-0a1b2c3d-", &w));
	cr_assert_not(owner_temp_writer(".lasermesh-0-7-0a1b2c3d", &w));
	cr_assert_not(owner_temp_writer(".lasermesh-42-7-0a1b2c3x", &w));
	cr_assert_not(owner_temp_writer("lasermesh-42-7-0a1b2c3d", &w));
	cr_assert_eq(owner_temp_path("/tmp", "a-b", tmp, sizeof(tmp)),
		     -EINVAL);
	cr_assert_eq(owner_temp_path("/tmp", NULL, tmp, 8), -ENAMETOOLONG);
}

/* The state files' format: owner keys, other keys to the caller. */
static int count_keys(const struct owner_key *k, void *arg)
{
	if (!strcmp(k->key, "node"))
		(*(int *)arg)++;
	return 0;
}

Test(owner, state_file_format)
{
	const char ok[] = "\xef\xbb\xbfmagic 1\r\npid 12\nstart 34\n"
			  "boot b-o-o-t\n\nnode a\nnode b c\nlater x\n";
	struct owner o, me;
	char *buf;
	size_t len;
	FILE *f;
	int n = 0;

	cr_assert_eq(owner_file_parse(ok, sizeof(ok) - 1, "magic 1", &o,
				      count_keys, &n), 0);
	cr_assert_eq(o.pid, 12);
	cr_assert_eq(o.start, 34);
	cr_assert_str_eq(o.boot, "b-o-o-t");
	cr_assert_eq(n, 2);
	cr_assert_eq(owner_file_parse(ok, sizeof(ok) - 1, "magic 2", &o, NULL,
				      NULL), -EBADMSG);
	cr_assert_eq(owner_file_parse("magic 1\nstart 3\n", 16, "magic 1",
				      &o, NULL, NULL), -EBADMSG, "no pid");
	cr_assert_eq(owner_file_parse("magic 1\npid -3\n", 15, "magic 1",
				      &o, NULL, NULL), -EBADMSG);
	cr_assert_eq(owner_file_parse("magic 1\npid\n", 12, "magic 1", &o,
				      NULL, NULL), -EBADMSG);

	/* What owner_file_format() writes, owner_file_parse() reads. */
	cr_assert_eq(owner_of(getpid(), &me), 0);
	f = open_memstream(&buf, &len);
	owner_file_format(f, "magic 1", &me);
	fclose(f);
	cr_assert_eq(owner_file_parse(buf, len, "magic 1", &o, NULL, NULL), 0);
	cr_assert(owner_same(&o, &me));
	free(buf);
}
