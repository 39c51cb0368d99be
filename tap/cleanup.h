/* SPDX-License-Identifier: MIT */
/* cleanup.h - find and remove what runs left behind (`lasermesh cleanup`) */
#ifndef TAP_CLEANUP_H
#define TAP_CLEANUP_H

#include <stdbool.h>
#include <stddef.h>

#include <limits.h>
#include <sys/types.h>

#include "tap/owner.h"

struct cleanup_entry {
	char name[NAME_MAX + 1];
	struct owner owner;
	bool alive;		/* owner still running */
	bool has_mark;		/* MARK_NETNS_DIR/NAME is there */
	bool has_netns;		/* /run/netns/NAME is a namespace... */
	bool netns_ours;	/* ...and the one the mark recorded */
	bool has_stub;		/* /run/netns/NAME is an unmounted stub */
	bool has_etc;		/* /etc/netns/NAME/hosts, written by us */
};

/*
 * Everything marked: every mark in MARK_NETNS_DIR, plus every
 * /etc/netns/NAME whose hosts file we wrote but that has no mark left.
 * *out is one malloc'd array (free() it), sorted by name.
 */
int cleanup_list(struct cleanup_entry **out, size_t *n);

/*
 * Whose leftovers to remove: of runs no longer running (only_dead, plain
 * `lasermesh cleanup`), of every run (`--all`), and with pid > 0 only of
 * the runs with that pid (`--pid PID`; pids are reused, so this may be a
 * dead run and a live one with the same pid: with only_dead, the dead
 * one's only).
 */
struct cleanup_filter {
	bool only_dead;
	pid_t pid;
};

/*
 * What was removed. netns + stubs is the number of names that left
 * /run/netns (what `ip netns list` shows): namespaces, and names that a
 * kill inside netns_add() or netns_del() left without a namespace.
 */
struct cleanup_counts {
	size_t netns;		/* namespaces deleted */
	size_t stubs;		/* unmounted names removed */
	size_t hosts;		/* our /etc/netns/NAME/hosts removed */
	size_t marks;		/* marks removed */
	size_t runs;		/* run files removed */
	size_t temps;		/* temp files of killed writers removed */
	size_t cgroups;		/* nodes' freezer cgroups removed */
	size_t sockets;		/* control sockets of dead runs removed */
};

/*
 * Remove what runs left behind: for each entry of cleanup_list() that f
 * wants, the namespace if it is the one marked (or the stub), our
 * /etc/netns/NAME/hosts and the directory if then empty, and the mark;
 * then the run files f wants, and the temp files of killed writers. A
 * namespace without our mark is never touched. *counts (may be NULL)
 * says what went. Goes on after an error and returns the first one.
 *
 * Which namespace is "the one marked": the one whose cookie the mark
 * recorded. A mark without a cookie (killed between mark_write() and
 * mark_bind()) claims the namespace of its name only while that one is
 * not in use (netns_in_use()): netns_add() creates the name exclusively
 * and binds a fresh namespace, so an unused one is ours, or at worst an
 * empty one that somebody made by hand under the same name after our run
 * died and before the cleanup; one holding interfaces or processes is left
 * alone. A marked name that is a stub (netns_is_stub()) is removed: it
 * names no namespace and blocks every later netns_add() of that name.
 *
 * Marked entries are read again just before they are acted upon, and
 * skipped if another run has marked the name meanwhile. /etc/netns/NAME
 * is removed once empty, also when our hosts file never arrived in it
 * (a kill inside hosts_write()).
 *
 * Temp files of file_write_atomic() and hosts_write() left by a kill
 * (owner.h names them by their writer), in MARK_DIR, MARK_NETNS_DIR and
 * HOSTS_ETC_NETNS_DIR: removed when f wants their writer and the writer
 * is not at work: it is dead, or of another boot (the boot id is in the
 * name: no clock is read). A name without a writer (older versions) goes
 * once older than CLEANUP_TEMP_AGE seconds, and in the /etc/netns/NAME of
 * an entry being removed at once.
 */
#define CLEANUP_TEMP_AGE 60

/*
 * Nodes' freezer cgroups (freezer.h: DIR/lasermesh/NAME) go by the same
 * rule as the namespaces: NAME's cgroup is the run's that marks NAME.
 * After the entries, each one is removed (thawed first, any process left
 * in it moved to the hierarchy's root cgroup, then rmdir) when NAME's
 * mark is one that f wants, or was removed just before, or, for a
 * cleanup not limited to one pid, when NAME has neither a mark nor a
 * namespace left (nobody claims it). Without a freezer hierarchy there
 * is nothing to do.
 */

int cleanup_run(const struct cleanup_filter *f, struct cleanup_counts *counts);

#endif
