/* SPDX-License-Identifier: MIT */
/* mark.h - the ownership mark of each namespace a run creates */
#ifndef TAP_MARK_H
#define TAP_MARK_H

#include <stddef.h>
#include <stdint.h>

#include <sys/types.h>

#include "tap/owner.h"

/*
 * Where the marks live: one file per namespace, MARK_NETNS_DIR/NAME,
 * written before the namespace is created (the run files of runfile.h
 * live in MARK_DIR).
 *
 * Not in /etc/netns/NAME (where iproute2 keeps per-namespace /etc files):
 * `ip netns exec` bind-mounts every file of that directory over /etc/FILE
 * and prints "Bind ... failed" for each one that /etc lacks, on every exec.
 * The hosts file that we do write there carries its own owner line instead
 * (see hosts.h), so a leftover /etc/netns/NAME is recognised as well.
 *
 * The file (owner.h's format):
 *
 *	lasermesh-mark 1
 *	pid 4242
 *	start 123456
 *	boot c3dc82c1-...
 *	cookie 8193		(0 until mark_bind())
 */
#define MARK_DIR "/run/lasermesh"
#define MARK_NETNS_DIR MARK_DIR "/netns"
/* a run's control socket, PID.sock (emu/run/ctl.h); cleanup removes it */
#define MARK_CTL_DIR MARK_DIR "/ctl"

/* Create MARK_DIR and MARK_NETNS_DIR if they are not there. */
int mark_mkdirs(void);

/*
 * Mark the namespace NAME (valid per netns_name_valid()) as owned by pid.
 * Call it before netns_add() so that a kill -9 in between leaves a mark,
 * then mark_bind() once the namespace exists. Atomic, and exclusive: a
 * mark already there (of a live run or a dead one, even pid's own) is left
 * as it is and gives -EEXIST; mark_read() says whose it is. A run refused
 * so touches nothing of the run that holds the name, and a dead run's
 * mark stays for `lasermesh cleanup`, which removes it with the namespace.
 */
int mark_write(const char *name, pid_t pid);

/* Record in NAME's mark the cookie of the namespace now at /run/netns/NAME. */
int mark_bind(const char *name);

/*
 * Read NAME's mark: owner and the namespace cookie (0 if not bound yet;
 * cookie may be NULL). -ENOENT without a mark, -EBADMSG if the file is not
 * one of ours.
 */
int mark_read(const char *name, struct owner *o, uint64_t *cookie);

/* Remove NAME's mark (only the mark). -ENOENT if there is none. */
int mark_remove(const char *name);

/*
 * Remove NAME's mark only if o owns it: -EPERM (left alone) if another
 * process does, -ENOENT if there is none.
 */
int mark_remove_own(const char *name, const struct owner *o);

#endif
