// SPDX-License-Identifier: MIT
/* node.c - one tapped node: mark, namespace, TAP with its MAC, addresses */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <net/if_arp.h>

#include "tap/hosts.h"
#include "tap/mark.h"
#include "tap/netlink.h"
#include "tap/netns.h"
#include "tap/node.h"
#include "tap/nodestate.h"
#include "tap/runfile.h"

/* The MAC, through the TAP's own descriptor (as `ip link set address`). */
static int node_set_mac(struct tap *t, const uint8_t mac[6])
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
	memcpy(ifr.ifr_hwaddr.sa_data, mac, 6);
	return ioctl(t->fd, SIOCSIFHWADDR, &ifr) < 0 ? -errno : 0;
}

/* Inside the node's namespace: MAC, MTU, ring, up, lo, addresses. */
static int node_configure(struct tap *t, const struct node_conf *node)
{
	struct netlink *nl = t->nl;
	int ret;

	if (node->has_mac) {
		ret = node_set_mac(t, node->mac);
		if (ret < 0)
			return ret;
	}
	if (node->mtu) {
		ret = netlink_link_set_mtu(nl, t->ifindex, node->mtu);
		if (ret < 0)
			return ret;
	}
	if (node->txqlen) {
		ret = netlink_link_set_txqlen(nl, t->ifindex, node->txqlen);
		if (ret < 0)
			return ret;
	}
	ret = netlink_link_set_up(nl, t->ifindex, true);
	if (ret < 0)
		return ret;
	ret = netlink_lo_up(nl);
	if (ret < 0)
		return ret;
	if (node->has_v4) {
		ret = netlink_addr4_add(nl, t->ifindex, &node->v4,
					node->v4_prefix);
		if (ret < 0)
			return ret;
	}
	if (node->has_v6) {
		ret = netlink_addr6_add(nl, t->ifindex, &node->v6,
					node->v6_prefix);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int node_open(const struct node_conf *node, struct tap **out)
{
	const char *ifname;
	struct owner me;
	struct tap *t;
	int nsfd, ret;

	if (!node || !netns_name_valid(node->netns, NULL))
		return -EINVAL;
	ifname = node->ifname ? node->ifname : TAP_IFNAME;
	if (!*ifname || strlen(ifname) >= IFNAMSIZ || strchr(ifname, '%'))
		return -EINVAL;
	ret = owner_of(getpid(), &me);
	if (ret < 0)
		return ret;

	/*
	 * The mark first: a kill -9 from here on leaves something to find.
	 * It is exclusive: a name marked by another run fails here, before
	 * anything is made or removed.
	 */
	ret = mark_write(node->netns, me.pid);
	if (ret < 0)
		return ret;
	ret = netns_add(node->netns);
	if (ret < 0)
		goto out_unmark;
	ret = mark_bind(node->netns);
	if (ret < 0)
		goto out_del_netns;
	ret = netns_open(node->netns, &nsfd);
	if (ret < 0)
		goto out_del_netns;
	ret = tap_open_in(nsfd, ifname, node->tap_flags, &t);
	close(nsfd);
	if (ret < 0)
		goto out_del_netns;
	ret = node_configure(t, node);
	if (ret < 0)
		goto out_free_tap;
	*out = t;
	return 0;

out_free_tap:
	tap_free(t);
out_del_netns:
	netns_del(node->netns);
out_unmark:
	mark_remove_own(node->netns, &me);
	return ret;
}

int node_remove(const char *netns)
{
	int ret, first = 0;

	if (!netns_name_valid(netns, NULL))
		return -EINVAL;
	ret = netns_del(netns);
	if (ret < 0 && ret != -ENOENT)
		first = ret;
	ret = hosts_remove(netns);
	if (ret < 0 && ret != -ENOENT && ret != -EBADMSG)
		first = first ?: ret;
	ret = nodestate_remove(netns);
	if (ret < 0 && ret != -ENOENT)
		first = first ?: ret;
	/* The mark goes last, and only once the namespace is gone. */
	if (first == 0) {
		ret = mark_remove(netns);
		if (ret < 0 && ret != -ENOENT)
			first = ret;
	}
	return first;
}

const char *node_strerror(const char *netns, int err, char *buf, size_t len)
{
	struct runfile run;
	const char *config = NULL;
	struct owner o;
	bool alive;

	if (err != -EEXIST)
		return strerror(-err);
	if (mark_read(netns, &o, NULL) == 0) {
		alive = owner_alive(&o);
		if (runfile_read(o.pid, &run) == 0 &&
		    owner_same(&run.owner, &o) && run.config)
			config = run.config;
		snprintf(buf, len,
			 "it belongs to lasermesh run %d (%s), which %s",
			 (int)o.pid, config ? config : "configuration unknown",
			 alive ? "is still running" :
				 "is no longer running: `lasermesh cleanup` "
				 "removes what it left");
		runfile_release(&run);
		return buf;
	}
	if (netns_exists(netns) || netns_is_stub(netns)) {
		snprintf(buf, len,
			 "a namespace of that name exists that no lasermesh "
			 "run marked (`ip netns del %s` removes it)",
			 netns);
		return buf;
	}
	return strerror(-err);
}
