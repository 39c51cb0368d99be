/* SPDX-License-Identifier: MIT */
/* hosts.h - /etc/netns/NAME/hosts, so nodes reach each other by name */
#ifndef TAP_HOSTS_H
#define TAP_HOSTS_H

#include <stdbool.h>
#include <stddef.h>

#include <netinet/in.h>

#include "tap/marker.h"

/* `ip netns exec NAME` bind-mounts the files of this directory over /etc. */
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
 */
bool hosts_name_valid(const char *name, const char **why);

/*
 * Format a whole hosts file into *buf (malloc'd, NUL-terminated, *len
 * bytes without the NUL): an owner line that marks the file as ours
 * ("# lasermesh pid=P start=S boot=B ..."), the usual localhost lines, then
 * one line per address of each entry. Render once, write it into every
 * namespace. -EINVAL if a name is not valid or an entry has no address.
 */
int hosts_render(const struct marker_owner *owner,
		 const struct hosts_entry *e, size_t n, char **buf,
		 size_t *len);

/*
 * Write buf as /etc/netns/NAME/hosts atomically (temp file + rename),
 * creating the directory. -EEXIST if a hosts file is there that we did
 * not write (it is left alone).
 */
int hosts_write(const char *netns, const char *buf, size_t len);

/*
 * The owner recorded in /etc/netns/NAME/hosts: 0, -ENOENT if there is no
 * file, -EBADMSG if it is not ours.
 */
int hosts_owner(const char *netns, struct marker_owner *o);

/*
 * Remove our /etc/netns/NAME/hosts, then the directory if nothing else is
 * in it. -ENOENT if there is no file, -EBADMSG if it is not ours.
 */
int hosts_remove(const char *netns);

#endif
