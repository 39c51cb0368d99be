/* SPDX-License-Identifier: MIT */
/* freezer.h - one cgroup per node, to stop and resume what runs in it */
#ifndef TAP_FREEZER_H
#define TAP_FREEZER_H

#include <limits.h>
#include <stdbool.h>

#include <sys/types.h>

/*
 * `down node NAME freeze` stops the processes started in node NAME (by
 * `lasermesh exec NAME` and `lasermesh wrap --node NAME`, and all their
 * descendants, which inherit the cgroup) as a computer that lost power
 * would, and `up` resumes them. Each node has one cgroup,
 *
 *	DIR/lasermesh/NODE	(e.g. /sys/fs/cgroup/freezer/lasermesh/s1-0-0)
 *
 * where DIR is the hierarchy freezer_open() picks, in this order:
 *
 * 1. /sys/fs/cgroup itself is cgroup2 (unified mode, the default of
 *    current systemd): cgroup v2's freezer, `cgroup.freeze` (Linux 5.2),
 *    done when `cgroup.events` reads "frozen 1". The only hierarchy such
 *    a host has, and the one its tools watch.
 * 2. A cgroup v1 hierarchy with the freezer controller (legacy and hybrid
 *    modes; this machine kind: /sys/fs/cgroup/freezer): `freezer.state`
 *    FROZEN or THAWED, done when it reads FROZEN, not FREEZING. Before a
 *    hybrid host's v2 tree because that tree is the one systemd tracks its
 *    units' processes in (moving a process there takes it out of its
 *    unit), while nothing tracks processes by the v1 freezer hierarchy.
 * 3. Any other cgroup2 mount (hybrid mode's /sys/fs/cgroup/unified when
 *    the freezer controller is not mounted): `cgroup.freeze` as in 1; the
 *    v2 freezer is part of the core, it needs no controller.
 *
 * Otherwise freezer_open() fails with -ENOENT and fz->err says that none
 * is available. Processes are joined by cgroup.procs (whole processes).
 * Only root may do any of this.
 *
 * Every function returns 0 or -errno; on failure fz->err holds a message
 * that quotes the path (`cannot write "FROZEN" to "/sys/.../freezer.state":
 * Invalid argument`).
 */
enum freezer_kind {
	FREEZER_NONE,
	FREEZER_V2,		/* cgroup.freeze and cgroup.events */
	FREEZER_V1,		/* freezer.state */
};

/* The directory under DIR that holds the nodes' cgroups. */
#define FREEZER_SUBDIR "lasermesh"

/*
 * How long freezer_set() waits for the kernel to be done: a process in
 * uninterruptible sleep (state D: a disk or NFS wait, a vfork parent)
 * only freezes when that sleep ends.
 */
#define FREEZER_WAIT_MS 2000

struct freezer {
	enum freezer_kind kind;
	char dir[PATH_MAX];		/* the hierarchy's mount point */
	char err[PATH_MAX + 256];	/* the last failure, a sentence */
};

/* Pick the hierarchy as above. -ENOENT: none (fz->err says so). */
int freezer_open(struct freezer *fz);

/*
 * Use the hierarchy mounted at dir (a cgroup2 mount, or a cgroup v1 one
 * with the freezer controller): for tests, and to choose by hand.
 * -ENOENT if dir is neither.
 */
int freezer_open_at(struct freezer *fz, const char *dir);

/* DIR/lasermesh/NODE into buf (file: a file in it, or NULL). */
int freezer_path(const struct freezer *fz, const char *node,
		 const char *file, char *buf, size_t len);

/*
 * Create node's cgroup (and DIR/lasermesh) if not there; an existing one
 * is left as it is, frozen or not. -EINVAL if node is not a valid name
 * (netns_name_valid()).
 */
int freezer_node_create(struct freezer *fz, const char *node);

/*
 * Move the process pid (0: the calling one), all its threads, into node's
 * cgroup; its children from then on are born there. A process joined to
 * a frozen cgroup freezes at once. Uses only open(), write(), close() and
 * snprintf(): safe in a child between fork() and exec(). -ENOENT if the
 * cgroup is not there, -ESRCH if the process is not.
 */
int freezer_join(struct freezer *fz, const char *node, pid_t pid);

/*
 * Ask for node's processes to be frozen (or thawed) and return at once:
 * the kernel finishes it as each process reaches a safe point
 * (freezer_get says when). For a caller that must not wait, such as the
 * data plane. 0 or -errno (fz->err says why).
 */
int freezer_request(struct freezer *fz, const char *node, bool frozen);
/*
 * Freeze or thaw node's cgroup, and wait until the kernel is done, at
 * most FREEZER_WAIT_MS. After that -ETIMEDOUT: the request stays, the
 * kernel completes it when the last process leaves uninterruptible sleep
 * (v1 reads FREEZING meanwhile, v2's events "frozen 0"). Thawing is at
 * once. -EOPNOTSUPP on a v2 kernel without cgroup.freeze (before 5.2).
 */
int freezer_set(struct freezer *fz, const char *node, bool frozen);

/* Whether node's cgroup is frozen (all of it: FREEZING is not frozen). */
int freezer_get(struct freezer *fz, const char *node, bool *frozen);

/*
 * Remove node's cgroup: thaw it, move every process still in it to DIR's
 * own cgroup (the root of the hierarchy: nothing of the process is lost,
 * it is just no longer frozen with the node), then rmdir it, and
 * DIR/lasermesh if that leaves it empty. A cgroup cannot be removed while
 * a process is in it; one that forks as fast as we move it keeps it there:
 * after 10 rounds -EBUSY. -ENOENT if there is no such cgroup.
 */
int freezer_node_remove(struct freezer *fz, const char *node);

#endif
