/* SPDX-License-Identifier: MIT */
/* hosts.h - /etc/netns/NAME/hosts, so nodes reach each other by name */
#ifndef TAP_HOSTS_H
#define TAP_HOSTS_H

#include <stdbool.h>
#include <stddef.h>

#include <netinet/in.h>

#include "tap/owner.h"

/* `ip netns exec` bind-mounts the files of this directory over /etc. */
#define HOSTS_ETC_NETNS_DIR "/etc/netns"

struct hosts_entry {
	const char *name;
	bool has_v4, has_v6;
	struct in_addr v4;
	struct in6_addr v6;
};

/*
 * A host name for a hosts file: 1 to 253 bytes of letters, digits, '-',
 * '_' and '.', not starting with '-' or '.'. On false, *why says why.
 *
 * This is what a hosts file can carry (RFC 952/1123 host names plus the
 * '_' that resolvers accept), not the rule a node name obeys: that rule
 * (a-z, 0-9 and '-', at most 63 characters) is the configuration's,
 * config_name_ok() in emu/conf/config.h, and every name lasermesh makes
 * passes both. tap/ checks only what its own files need, because it must
 * not include emu/.
 */
bool hosts_name_valid(const char *name, const char **why);

/*
 * Format a whole hosts file into *buf (malloc'd, NUL-terminated, *len
 * bytes without the NUL): an owner line that marks the file as ours
 * ("# lasermesh pid=P start=S boot=B ..."), the usual localhost lines, then
 * one line per address of each entry. Render once, write it into every
 * namespace. -EINVAL if a name is not valid or an entry has no address.
 */
int hosts_render(const struct owner *owner, const struct hosts_entry *e,
		 size_t n, char **buf, size_t *len);

/*
 * Give each of the n namespaces netns[] buf as /etc/netns/NAME/hosts,
 * creating the directories. Every node's hosts file is the same, so they
 * are one file: written once, then hard-linked into each directory (the
 * cost is one file and a directory entry per node, not n copies; a file
 * system that limits links per file gets a new copy at the limit). A
 * hosts file of ours already there is replaced atomically. -EEXIST at the
 * first one that we did not write (it is left alone; the ones before it
 * are written). Stops at the first error.
 */
int hosts_write(const char *const *netns, size_t n, const char *buf,
		size_t len);

/*
 * The owner recorded in /etc/netns/NAME/hosts: 0, -ENOENT if there is no
 * file, -EBADMSG if it is not ours.
 */
int hosts_owner(const char *netns, struct owner *o);

/*
 * Remove our /etc/netns/NAME/hosts, then the directory if nothing else is
 * in it. -ENOENT if there is no file, -EBADMSG if it is not ours.
 */
int hosts_remove(const char *netns);

#endif
