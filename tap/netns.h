/* SPDX-License-Identifier: MIT */
/* netns.h - named network namespaces, made and removed as `ip netns` does */
#ifndef TAP_NETNS_H
#define TAP_NETNS_H

#include <stdbool.h>
#include <stdint.h>

/* Where iproute2 keeps the bind mounts that name the namespaces. */
#define NETNS_RUN_DIR "/run/netns"

/*
 * A name usable as /run/netns/NAME: not empty, no '/', not "." or "..",
 * at most NAME_MAX bytes, and (stricter than iproute2, because names go
 * into line-oriented files) no white space or control characters.
 * On false, *why (if not NULL) says what is wrong.
 *
 * This is what the kernel edge needs (a file name, a line of a mark), not
 * the rule a node name obeys: that rule (a-z, 0-9 and '-', at most 63
 * characters) is the configuration's, config_name_ok() in
 * emu/conf/config.h, and every name lasermesh makes passes both. tap/
 * checks only what its own files need, because it must not include emu/.
 */
bool netns_name_valid(const char *name, const char **why);

/*
 * Create the network namespace NAME exactly like `ip netns add NAME`:
 * make /run/netns a shared mount point (once), create /run/netns/NAME,
 * unshare(CLONE_NEWNET) on the calling thread, bind-mount that thread's
 * namespace onto the file and return the thread to its namespace.
 * -EEXIST if the name is taken, -EINVAL if it is not valid. Only the
 * calling thread switches namespaces, and only for the duration of the call.
 */
int netns_add(const char *name);

/* Unmount (MNT_DETACH) and unlink /run/netns/NAME; -ENOENT if absent. */
int netns_del(const char *name);

/* Whether /run/netns/NAME is a mounted network namespace. */
bool netns_exists(const char *name);

/*
 * Whether /run/netns/NAME is a stub: an empty regular file that is not
 * mounted, as netns_add() (or `ip netns add`) leaves it when killed before
 * the bind mount, or netns_del() when killed between unmount and unlink.
 * No namespace is bound to it and none ever will be.
 */
bool netns_is_stub(const char *name);

/*
 * Unlink /run/netns/NAME if (checked again just before) it is a stub.
 * -ENOENT if absent, -EBUSY if it is anything else (left alone).
 */
int netns_remove_stub(const char *name);

/*
 * Whether the namespace at /run/netns/NAME holds anything: an interface
 * other than "lo", or a thread of some process living in it. A namespace
 * that netns_add() made and nobody used yet is not in use. Open file
 * descriptors and bind mounts elsewhere are not looked for. -ENOENT if
 * NAME is not a mounted namespace.
 */
int netns_in_use(const char *name, bool *in_use);

/* Open /run/netns/NAME (O_RDONLY | O_CLOEXEC) into *fd; close it yourself. */
int netns_open(const char *name, int *fd);

/*
 * Move the calling thread into the namespace nsfd. *saved receives an fd of
 * the namespace the thread was in, to pass to netns_leave(), which returns
 * there and closes it. Other threads are not affected.
 */
int netns_enter(int nsfd, int *saved);
int netns_leave(int saved);

/*
 * The kernel's cookie of the namespace bound at /run/netns/NAME
 * (SO_NETNS_COOKIE): a 64-bit number never given to another namespace
 * while the system runs (inode numbers are reused), so it tells our
 * namespace from a later one created under the same name.
 */
int netns_cookie(const char *name, uint64_t *cookie);

#endif
