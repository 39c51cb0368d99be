/* SPDX-License-Identifier: MIT */
/* marker.h - ownership marks on everything a run creates, and their cleanup */
#ifndef TAP_MARKER_H
#define TAP_MARKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <limits.h>
#include <sys/types.h>

/*
 * Where the marks live. One file per namespace, MARKER_NETNS_DIR/NAME,
 * written before the namespace is created; one file per run,
 * MARKER_DIR/PID.run, listing the run's node names.
 *
 * Not in /etc/netns/NAME (where iproute2 keeps per-namespace /etc files):
 * `ip netns exec` bind-mounts every file of that directory over /etc/FILE
 * and prints "Bind ... failed" for each one that /etc lacks, on every exec.
 * The hosts file that we do write there carries its own owner line instead
 * (see hosts.h), so a leftover /etc/netns/NAME is recognised as well.
 */
#define MARKER_DIR "/run/lasermesh"
#define MARKER_NETNS_DIR MARKER_DIR "/netns"

/*
 * A process, identified across pid reuse and reboots: its pid, its start
 * time (clock ticks after boot, field 22 of /proc/PID/stat) and the boot id
 * (/proc/sys/kernel/random/boot_id; /run is not always a tmpfs).
 */
struct marker_owner {
	pid_t pid;
	uint64_t start;
	char boot[40];
};

/* Fill o for the live process pid (usually getpid()). -ESRCH if none. */
int marker_owner_of(pid_t pid, struct marker_owner *o);

/* Whether o is still running: same boot, same pid and start, not a zombie. */
bool marker_owner_alive(const struct marker_owner *o);

/*
 * Mark the namespace NAME (valid per netns_name_valid()) as owned by pid.
 * Call it before netns_add() so that a kill -9 in between leaves a mark,
 * then marker_bind() once the namespace exists. Atomic (temp + rename).
 */
int marker_write(const char *name, pid_t pid);

/* Record in NAME's mark the cookie of the namespace now at /run/netns/NAME. */
int marker_bind(const char *name);

/*
 * Read NAME's mark: owner and the namespace cookie (0 if not bound yet).
 * -ENOENT without a mark, -EBADMSG if the file is not one of ours.
 */
int marker_read(const char *name, struct marker_owner *o, uint64_t *cookie);

/* Remove NAME's mark (only the mark). -ENOENT if there is none. */
int marker_remove(const char *name);

struct marker_entry {
	char name[NAME_MAX + 1];
	struct marker_owner owner;
	bool alive;		/* owner still running */
	bool has_mark;		/* MARKER_NETNS_DIR/NAME is there */
	bool has_netns;		/* /run/netns/NAME is a namespace... */
	bool netns_ours;	/* ...and the one the mark recorded */
	bool has_stub;		/* /run/netns/NAME is an unmounted stub */
	bool has_etc;		/* /etc/netns/NAME/hosts, written by us */
};

/*
 * Everything marked: every mark in MARKER_NETNS_DIR, plus every
 * /etc/netns/NAME whose hosts file we wrote but that has no mark left.
 * *out is one malloc'd array (free() it), sorted by name.
 */
int marker_list(struct marker_entry **out, size_t *n);

/*
 * Remove what runs left behind: for each entry of marker_list() whose
 * owner is dead (or every entry if !only_dead), the namespace if it is the
 * one marked, our /etc/netns/NAME/hosts and the directory if then empty,
 * and the mark; then the run files of dead owners (all if !only_dead).
 * A namespace without our mark is never touched. *removed (may be NULL)
 * counts the namespaces deleted. Goes on after an error and returns the
 * first one.
 *
 * Which namespace is "the one marked": the one whose cookie the mark
 * recorded. A mark without a cookie (killed between marker_write() and
 * marker_bind()) claims the namespace of its name only while that one is
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
 * Temp files of marker_file_write() left by a kill before its rename():
 * in MARKER_DIR, MARKER_NETNS_DIR and HOSTS_ETC_NETNS_DIR, removed when
 * the writer named in them is dead (any age), or for a name without a
 * writer (older versions) once older than MARKER_TEMP_AGE seconds; in the
 * /etc/netns/NAME of an entry being removed, also every one without a
 * writer. A live writer's temp file is never removed (it is about to be
 * renamed), except by !only_dead; the owner's ones by
 * marker_cleanup_owner().
 */
int marker_cleanup(bool only_dead, size_t *removed);

/*
 * The same for the entries and run file of one owner, alive or not (same
 * pid, start time and boot): `lasermesh cleanup --pid`, or a run's own
 * last sweep at exit.
 */
int marker_cleanup_owner(const struct marker_owner *owner, size_t *removed);

/*
 * The run file MARKER_DIR/PID.run: the owner and the node names of one
 * run, written (atomically) before its namespaces are created and removed
 * at normal exit.
 */
int marker_run_write(pid_t pid, const char *const *names, size_t n);
int marker_run_remove(pid_t pid);

struct marker_run {
	struct marker_owner owner;
	bool alive;
	char **names;
	size_t n;
};

/* Read MARKER_DIR/PID.run. -ENOENT if there is none. */
int marker_run_read(pid_t pid, struct marker_run *run);
void marker_run_release(struct marker_run *run);

/* Every run file, sorted by pid; free with marker_run_list_free(). */
int marker_run_list(struct marker_run **out, size_t *n);
void marker_run_list_free(struct marker_run *runs, size_t n);

/*
 * Write len bytes of buf as path (mode 0644) atomically: a temp file
 * MARKER_TEMP_PREFIX "PID-START-XXXXXX" in tmpdir (on the same file
 * system), then rename(). Readers see the old file or the new one, never a
 * part. The writer's pid and start time in the name let marker_cleanup()
 * tell the temp file of a killed writer from one being written right now.
 */
#define MARKER_TEMP_PREFIX ".lasermesh-"
/* Age (s) after which a temp file that names no writer is debris. */
#define MARKER_TEMP_AGE 60

int marker_file_write(const char *path, const char *tmpdir, const void *buf,
		      size_t len);

#endif
