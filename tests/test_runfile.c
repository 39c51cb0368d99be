// SPDX-License-Identifier: MIT
/* test_runfile.c - one file per run: owner, configuration, nodes (root) */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
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

#include "tap/runfile.h"
#include "tests/lib/netns_fixture.h"

TestSuite(runfile, .fini = fx_remove_mine);

Test(runfile, run_file)
{
	const char *names[] = { "london", "paris", "STARLINK-1007" };
	struct runfile run, *runs;
	struct owner dead;
	pid_t child;
	size_t n;
	bool found = false;

	fx_need_root();
	fx_cleanup_turn();
	cr_assert_eq(runfile_write(getpid(), "/no/such/dir/rz\n.conf", names,
				   3), 0);
	cr_assert_eq(runfile_read(getpid(), &run), 0);
	cr_assert_eq(run.owner.pid, getpid());
	/* As given when it cannot be resolved; no line break gets in. */
	cr_assert_str_eq(run.config, "/no/such/dir/rz?.conf");
	cr_assert(run.alive);
	cr_assert_eq(run.n, 3);
	for (size_t i = 0; i < 3; i++)
		cr_assert_str_eq(run.names[i], names[i]);
	runfile_release(&run);

	cr_assert_eq(runfile_list(&runs, &n), 0);
	for (size_t i = 0; i < n; i++)
		if (runs[i].owner.pid == getpid()) {
			found = true;
			cr_assert_eq(runs[i].n, 3);
			cr_assert(runs[i].alive);
		}
	runfile_list_free(runs, n);
	cr_assert(found, "run file not listed");

	const char *bad[] = { "ok", "not ok" };

	cr_assert_eq(runfile_write(getpid(), NULL, bad, 2), -EINVAL);
	cr_assert_eq(runfile_remove(getpid()), 0);
	cr_assert_eq(runfile_read(getpid(), &run), -ENOENT);

	/* A relative configuration path is written absolute. */
	char cwd[PATH_MAX], want[PATH_MAX + 16];

	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	cr_assert_eq(runfile_write(getpid(), ".", names, 1), 0);
	cr_assert_eq(runfile_read(getpid(), &run), 0);
	snprintf(want, sizeof(want), "%s", cwd);
	cr_assert_str_eq(run.config, want);
	runfile_release(&run);
	cr_assert_eq(runfile_write(getpid(), NULL, names, 1), 0);
	cr_assert_eq(runfile_read(getpid(), &run), 0);
	cr_assert_null(run.config);
	runfile_release(&run);
	cr_assert_eq(runfile_remove(getpid()), 0);

	/* The run file of a dead run reads as dead. */
	child = fx_spawn_child(&dead);
	cr_assert_eq(runfile_write(child, NULL, names, 1), 0);
	fx_kill_child(child);
	cr_assert_eq(runfile_read(child, &run), 0);
	cr_assert_not(run.alive);
	runfile_release(&run);
	cr_assert_eq(runfile_remove(child), 0);
}
