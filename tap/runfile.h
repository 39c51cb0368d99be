/* SPDX-License-Identifier: MIT */
/* runfile.h - one file per run: its owner, its configuration and its nodes */
#ifndef TAP_RUNFILE_H
#define TAP_RUNFILE_H

#include <stdbool.h>
#include <stddef.h>

#include <sys/types.h>

#include "tap/owner.h"

/*
 * MARK_DIR/PID.run (mark.h), written atomically before the run's
 * namespaces are created and removed at normal exit, in owner.h's format:
 *
 *	lasermesh-run 1
 *	pid 4242
 *	start 123456
 *	boot c3dc82c1-...
 *	config /home/me/rz.conf		(absolute; absent for the default)
 *	node london
 *	node paris
 *
 * `lasermesh exec` finds live nodes here, and a run refused because a node
 * is taken names the configuration of the run that holds it.
 */

/* config may be NULL; a newline or other control character in it is
 * written as '?'. */
int runfile_write(pid_t pid, const char *config, const char *const *names,
		  size_t n);
int runfile_remove(pid_t pid);

struct runfile {
	struct owner owner;
	bool alive;
	char *config;		/* NULL when the file names none */
	char **names;
	size_t n;
};

/* Read MARK_DIR/PID.run. -ENOENT if there is none. */
int runfile_read(pid_t pid, struct runfile *run);
void runfile_release(struct runfile *run);

/* Every run file, sorted by pid; free with runfile_list_free(). */
int runfile_list(struct runfile **out, size_t *n);
void runfile_list_free(struct runfile *runs, size_t n);

#endif
