/* SPDX-License-Identifier: MIT */
/* netlink.h - rtnetlink in one network namespace: links, addresses, stats */
#ifndef TAP_NETLINK_H
#define TAP_NETLINK_H

#include <stdbool.h>
#include <stdint.h>

#include <net/if.h>
#include <netinet/in.h>

/*
 * One route netlink socket (libnl-route-3) bound to the namespace it was
 * opened in: a netlink socket keeps talking to the namespace of its
 * creation whatever namespace the thread is in later. Every function
 * returns 0 or -errno; when the kernel refused a request the errno is the
 * kernel's own (captured from NLMSG_ERROR, not libnl's lossy NLE_* code).
 * A context is not thread-safe: one per thread.
 */
struct netlink;

/*
 * Open a context in the namespace nsfd (an fd of /run/netns/NAME or
 * /proc/.../ns/net), or in the calling thread's namespace if nsfd < 0.
 * The thread enters the namespace only while the socket is created.
 */
int netlink_open(int nsfd, struct netlink **out);
void netlink_free(struct netlink *nl);

int netlink_link_set_mtu(struct netlink *nl, int ifindex, unsigned mtu);
/* txqueuelen: for a TAP, the number of frames its ring holds for us. */
int netlink_link_set_txqlen(struct netlink *nl, int ifindex, unsigned qlen);
int netlink_link_set_up(struct netlink *nl, int ifindex, bool up);
/* Bring up "lo" (ifindex 1 in every namespace). */
int netlink_lo_up(struct netlink *nl);

/* The kernel's 64-bit counters of one link (IFLA_STATS64). */
struct netlink_stats {
	uint64_t rx_packets, tx_packets;
	uint64_t rx_bytes, tx_bytes;
	uint64_t rx_errors, tx_errors;
	uint64_t rx_dropped, tx_dropped;
};

int netlink_link_stats(struct netlink *nl, int ifindex,
		       struct netlink_stats *st);

/*
 * The link's carrier (IFLA_CARRIER, what `ip link` shows as NO-CARRIER
 * when off) and operational state (IFLA_OPERSTATE: IF_OPER_UP,
 * IF_OPER_DOWN, ... of <linux/if.h>). The kernel updates the operational
 * state from the carrier in the background (linkwatch), up to about a
 * second later; the carrier is at once.
 */
int netlink_link_carrier(struct netlink *nl, int ifindex, bool *carrier,
			 unsigned *operstate);

/*
 * Add an address with its prefix length (like `ip addr add A/P dev X`; the
 * kernel adds the prefix route). IPv6 addresses get IFA_F_NODAD so they are
 * usable at once. -EEXIST if the address is already there.
 */
int netlink_addr4_add(struct netlink *nl, int ifindex,
		      const struct in_addr *addr, unsigned prefix);
int netlink_addr6_add(struct netlink *nl, int ifindex,
		      const struct in6_addr *addr, unsigned prefix);

#endif
