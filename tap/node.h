/* SPDX-License-Identifier: MIT */
/* node.h - one tapped node: mark, namespace, TAP with its MAC, addresses */
#ifndef TAP_NODE_H
#define TAP_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netinet/in.h>

#include "tap/tap.h"

/* One tapped node, as the emulator sets it up. */
struct node_conf {
	const char *netns;	/* namespace name, usually the node's name */
	const char *ifname;	/* name inside; NULL: TAP_IFNAME */
	unsigned mtu;		/* 0: leave the kernel's 1500 */
	unsigned txqlen;	/* TAP ring in frames; 0: the kernel's 1000 */
	unsigned tap_flags;	/* TAP_F_* */
	bool has_mac;		/* else the kernel's random one */
	uint8_t mac[6];
	bool has_v4, has_v6;
	struct in_addr v4;	/* address of the node and its prefix */
	unsigned v4_prefix;
	struct in6_addr v6;
	unsigned v6_prefix;
};

/*
 * Set up one tapped node: mark NAME as ours (mark_write()), create the
 * namespace NAME, bind the mark to it, open the TAP ifname directly inside
 * it (tap_open_in()), and there set the MAC, MTU and txqueuelen, bring it
 * and lo up and add the addresses (the kernel adds the prefix routes). On
 * success *out has the TAP with nl, ifindex and ifname of the inside. On
 * failure everything made is undone, and nothing else is touched.
 * -EEXIST if NAME is taken: marked by another run, live or dead, or a
 * namespace of that name exists; node_strerror() says by whom.
 * About 0.5-2 ms per node measured here (1,000 nodes: docs/performance.md).
 */
int node_open(const struct node_conf *node, struct tap **out);

/*
 * Remove what node_open() and hosts_write() made for NAME: the namespace,
 * our /etc/netns/NAME/hosts and the mark. Free the TAP first (or the
 * kernel deletes the device with the namespace). Goes on after an error
 * and returns the first; absent pieces are not errors.
 */
int node_remove(const char *netns);

/*
 * Why node_open(NAME) failed with err, for a message: for -EEXIST who
 * holds NAME ("it belongs to lasermesh run 4242 (/home/me/rz.conf), which
 * is still running"), written into buf; else strerror(-err).
 */
const char *node_strerror(const char *netns, int err, char *buf,
			  size_t len);

#endif
