/* SPDX-License-Identifier: MIT */
/* nl.h - rtnetlink in one network namespace: links, addresses, routes, stats */
#ifndef TAP_NL_H
#define TAP_NL_H

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
struct nl_ctx;

/*
 * Open a context in the namespace nsfd (an fd of /run/netns/NAME or
 * /proc/.../ns/net), or in the calling thread's namespace if nsfd < 0.
 * The thread enters the namespace only while the socket is created.
 */
int nl_ctx_open(int nsfd, struct nl_ctx **out);
void nl_ctx_free(struct nl_ctx *nl);

/* The ifindex of the link called name in the context's namespace. */
int nl_link_index(struct nl_ctx *nl, const char *name, int *ifindex);

/*
 * Move a link of the context's namespace into the namespace nsfd. The link
 * keeps its name; its ifindex can change (look it up again by name on the
 * other side). Open fds (a TAP's) stay valid.
 */
int nl_link_move(struct nl_ctx *nl, int ifindex, int nsfd);

int nl_link_rename(struct nl_ctx *nl, int ifindex, const char *name);
int nl_link_set_mtu(struct nl_ctx *nl, int ifindex, unsigned mtu);
/* txqueuelen: for a TAP, the number of frames its ring holds for us. */
int nl_link_set_txqlen(struct nl_ctx *nl, int ifindex, unsigned qlen);
int nl_link_set_up(struct nl_ctx *nl, int ifindex, bool up);
/* Bring up "lo" (ifindex 1 in every namespace). */
int nl_lo_up(struct nl_ctx *nl);

struct nl_link_info {
	char name[IFNAMSIZ];
	int ifindex;
	unsigned mtu;
	unsigned txqlen;
	unsigned flags;		/* IFF_UP, IFF_RUNNING, ... */
};

int nl_link_info(struct nl_ctx *nl, int ifindex, struct nl_link_info *info);

/* The kernel's 64-bit counters of one link (IFLA_STATS64). */
struct nl_link_stats {
	uint64_t rx_packets, tx_packets;
	uint64_t rx_bytes, tx_bytes;
	uint64_t rx_errors, tx_errors;
	uint64_t rx_dropped, tx_dropped;
};

int nl_link_stats(struct nl_ctx *nl, int ifindex, struct nl_link_stats *st);

/*
 * Add an address with its prefix length (like `ip addr add A/P dev X`; the
 * kernel adds the prefix route). IPv6 addresses get IFA_F_NODAD so they are
 * usable at once. -EEXIST if the address is already there.
 */
int nl_addr4_add(struct nl_ctx *nl, int ifindex, const struct in_addr *addr,
		 unsigned prefix);
int nl_addr6_add(struct nl_ctx *nl, int ifindex, const struct in6_addr *addr,
		 unsigned prefix);

/*
 * Add a route in the main table out of ifindex: dst/prefix (dst NULL: the
 * default route; host bits of dst must be zero), through the gateway via,
 * or on-link (scope link) when via is NULL. -EEXIST if present.
 */
int nl_route4_add(struct nl_ctx *nl, int ifindex, const struct in_addr *dst,
		  unsigned prefix, const struct in_addr *via);
int nl_route6_add(struct nl_ctx *nl, int ifindex, const struct in6_addr *dst,
		  unsigned prefix, const struct in6_addr *via);

#endif
