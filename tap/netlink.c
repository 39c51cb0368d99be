// SPDX-License-Identifier: MIT
/* netlink.c - rtnetlink in one network namespace: links, addresses, stats */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>

#include "tap/netns.h"
#include "tap/netlink.h"

/* Every namespace numbers its loopback device 1 (LOOPBACK_IFINDEX). */
#define NETLINK_LOOPBACK_IFINDEX 1

struct netlink {
	struct nl_sock *sk;
	int kerr;		/* errno of the kernel's last NLMSG_ERROR */
};

/*
 * libnl folds the kernel's errno into its own NLE_* codes (many of them to
 * NLE_FAILURE). The kernel's value is kept by netlink_err_cb(); this table
 * is for errors that libnl raises itself.
 */
static int netlink_nle_errno(int nle)
{
	switch (nle < 0 ? -nle : nle) {
	case NLE_SUCCESS:		return 0;
	case NLE_INTR:			return -EINTR;
	case NLE_BAD_SOCK:		return -EBADF;
	case NLE_AGAIN:			return -EAGAIN;
	case NLE_NOMEM:			return -ENOMEM;
	case NLE_EXIST:			return -EEXIST;
	case NLE_INVAL:			return -EINVAL;
	case NLE_RANGE:			return -ERANGE;
	case NLE_MSGSIZE:		return -EMSGSIZE;
	case NLE_OPNOTSUPP:		return -EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:		return -EAFNOSUPPORT;
	case NLE_OBJ_NOTFOUND:		return -ENOENT;
	case NLE_NOATTR:		return -ENOENT;
	case NLE_MISSING_ATTR:		return -EINVAL;
	case NLE_AF_MISMATCH:		return -EINVAL;
	case NLE_SEQ_MISMATCH:		return -EPROTO;
	case NLE_MSG_OVERFLOW:		return -EOVERFLOW;
	case NLE_MSG_TRUNC:		return -EMSGSIZE;
	case NLE_NOADDR:		return -EADDRNOTAVAIL;
	case NLE_SRCRT_NOSUPPORT:	return -EOPNOTSUPP;
	case NLE_MSG_TOOSHORT:		return -EPROTO;
	case NLE_MSGTYPE_NOSUPPORT:	return -EOPNOTSUPP;
	case NLE_OBJ_MISMATCH:		return -EINVAL;
	case NLE_NOCACHE:		return -ENOENT;
	case NLE_BUSY:			return -EBUSY;
	case NLE_PROTO_MISMATCH:	return -EPROTONOSUPPORT;
	case NLE_NOACCESS:		return -EACCES;
	case NLE_PERM:			return -EPERM;
	case NLE_PKTLOC_FILE:		return -ENOENT;
	case NLE_PARSE_ERR:		return -EINVAL;
	case NLE_NODEV:			return -ENODEV;
	case NLE_IMMUTABLE:		return -EPERM;
	case NLE_DUMP_INTR:		return -EINTR;
	case NLE_ATTRSIZE:		return -ERANGE;
	default:			return -EIO;
	}
}

/* The boundary: a libnl return value to 0 or -errno. */
static int netlink_ret(struct netlink *nl, int err)
{
	if (err >= 0)
		return 0;
	if (nl->kerr)
		return -nl->kerr;
	return netlink_nle_errno(err);
}

static int netlink_err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e,
			 void *arg)
{
	struct netlink *nl = arg;

	(void)nla;
	nl->kerr = e->error < 0 ? -e->error : e->error;
	return NL_STOP;		/* libnl then returns its NLE_* as usual */
}

int netlink_open(int nsfd, struct netlink **out)
{
	struct netlink *nl;
	int saved = -1, ret, err;

	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		ret = -ENOMEM;
		goto out_free;
	}
	err = nl_socket_modify_err_cb(nl->sk, NL_CB_CUSTOM, netlink_err_cb, nl);
	if (err < 0) {
		ret = netlink_nle_errno(err);
		goto out_free_sock;
	}
	if (nsfd >= 0) {
		ret = netns_enter(nsfd, &saved);
		if (ret < 0)
			goto out_free_sock;
	}
	err = nl_connect(nl->sk, NETLINK_ROUTE);
	ret = err < 0 ? netlink_nle_errno(err) : 0;
	if (nsfd >= 0) {
		err = netns_leave(saved);
		if (err < 0 && ret == 0)
			ret = err;
	}
	if (ret < 0)
		goto out_free_sock;
	*out = nl;
	return 0;

out_free_sock:
	nl_socket_free(nl->sk);
out_free:
	free(nl);
	return ret;
}

void netlink_free(struct netlink *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);	/* closes the socket */
	free(nl);
}

/* The link object of ifindex; put it back. */
static int netlink_link_get(struct netlink *nl, int ifindex,
			    struct rtnl_link **link)
{
	nl->kerr = 0;
	return netlink_ret(nl,
			   rtnl_link_get_kernel(nl->sk, ifindex, NULL, link));
}

/* Apply changes to the link ifindex (RTM_NEWLINK, or RTM_SETLINK). */
static int netlink_link_change(struct netlink *nl, int ifindex,
			       struct rtnl_link *changes)
{
	struct rtnl_link *orig;
	int err;

	if (ifindex <= 0)
		return -EINVAL;
	orig = rtnl_link_alloc();
	if (!orig)
		return -ENOMEM;
	rtnl_link_set_ifindex(orig, ifindex);
	nl->kerr = 0;
	err = rtnl_link_change(nl->sk, orig, changes, 0);
	rtnl_link_put(orig);
	return netlink_ret(nl, err);
}

int netlink_link_set_mtu(struct netlink *nl, int ifindex, unsigned mtu)
{
	struct rtnl_link *changes;
	int ret;

	if (mtu == 0)
		return -EINVAL;
	changes = rtnl_link_alloc();
	if (!changes)
		return -ENOMEM;
	rtnl_link_set_mtu(changes, mtu);
	ret = netlink_link_change(nl, ifindex, changes);
	rtnl_link_put(changes);
	return ret;
}

int netlink_link_set_txqlen(struct netlink *nl, int ifindex, unsigned qlen)
{
	struct rtnl_link *changes;
	int ret;

	changes = rtnl_link_alloc();
	if (!changes)
		return -ENOMEM;
	rtnl_link_set_txqlen(changes, qlen);
	ret = netlink_link_change(nl, ifindex, changes);
	rtnl_link_put(changes);
	return ret;
}

int netlink_link_set_up(struct netlink *nl, int ifindex, bool up)
{
	struct rtnl_link *changes;
	int ret;

	changes = rtnl_link_alloc();
	if (!changes)
		return -ENOMEM;
	if (up)
		rtnl_link_set_flags(changes, IFF_UP);
	else
		rtnl_link_unset_flags(changes, IFF_UP);
	ret = netlink_link_change(nl, ifindex, changes);
	rtnl_link_put(changes);
	return ret;
}

int netlink_lo_up(struct netlink *nl)
{
	return netlink_link_set_up(nl, NETLINK_LOOPBACK_IFINDEX, true);
}

int netlink_link_stats(struct netlink *nl, int ifindex,
		       struct netlink_stats *st)
{
	struct rtnl_link *link;
	int ret;

	if (ifindex <= 0)
		return -EINVAL;
	ret = netlink_link_get(nl, ifindex, &link);
	if (ret < 0)
		return ret;
	st->rx_packets = rtnl_link_get_stat(link, RTNL_LINK_RX_PACKETS);
	st->tx_packets = rtnl_link_get_stat(link, RTNL_LINK_TX_PACKETS);
	st->rx_bytes = rtnl_link_get_stat(link, RTNL_LINK_RX_BYTES);
	st->tx_bytes = rtnl_link_get_stat(link, RTNL_LINK_TX_BYTES);
	st->rx_errors = rtnl_link_get_stat(link, RTNL_LINK_RX_ERRORS);
	st->tx_errors = rtnl_link_get_stat(link, RTNL_LINK_TX_ERRORS);
	st->rx_dropped = rtnl_link_get_stat(link, RTNL_LINK_RX_DROPPED);
	st->tx_dropped = rtnl_link_get_stat(link, RTNL_LINK_TX_DROPPED);
	rtnl_link_put(link);
	return 0;
}

int netlink_link_carrier(struct netlink *nl, int ifindex, bool *carrier,
			 unsigned *operstate)
{
	struct rtnl_link *link;
	int ret;

	if (ifindex <= 0)
		return -EINVAL;
	ret = netlink_link_get(nl, ifindex, &link);
	if (ret < 0)
		return ret;
	*carrier = rtnl_link_get_carrier(link) != 0;
	*operstate = rtnl_link_get_operstate(link);
	rtnl_link_put(link);
	return 0;
}

/* An nl_addr of family with len bytes from buf (zeros if NULL), /prefix. */
static struct nl_addr *netlink_addr_of(int family, const void *buf, size_t len,
				       unsigned prefix)
{
	static const unsigned char zero[16];
	struct nl_addr *a;

	a = nl_addr_build(family, buf ? buf : zero, len);
	if (a)
		nl_addr_set_prefixlen(a, (int)prefix);
	return a;
}

static int netlink_addr_add(struct netlink *nl, int family, int ifindex,
			    const void *buf, size_t len, unsigned prefix)
{
	struct rtnl_addr *addr;
	struct nl_addr *local;
	int ret, err;

	if (ifindex <= 0 || prefix > len * 8)
		return -EINVAL;
	addr = rtnl_addr_alloc();
	if (!addr)
		return -ENOMEM;
	local = netlink_addr_of(family, buf, len, prefix);
	if (!local) {
		ret = -ENOMEM;
		goto out_put_addr;
	}
	rtnl_addr_set_ifindex(addr, ifindex);
	rtnl_addr_set_family(addr, family);
	err = rtnl_addr_set_local(addr, local); /* takes its own reference */
	if (err < 0) {
		ret = netlink_nle_errno(err);
		goto out_put_local;
	}
	rtnl_addr_set_prefixlen(addr, (int)prefix);
	if (family == AF_INET6)
		rtnl_addr_set_flags(addr, IFA_F_NODAD);
	nl->kerr = 0;
	ret = netlink_ret(nl, rtnl_addr_add(nl->sk, addr, NLM_F_EXCL));

out_put_local:
	nl_addr_put(local);
out_put_addr:
	rtnl_addr_put(addr);
	return ret;
}

int netlink_addr4_add(struct netlink *nl, int ifindex,
		      const struct in_addr *addr, unsigned prefix)
{
	if (!addr)
		return -EINVAL;
	return netlink_addr_add(nl, AF_INET, ifindex, addr, 4, prefix);
}

int netlink_addr6_add(struct netlink *nl, int ifindex,
		      const struct in6_addr *addr, unsigned prefix)
{
	if (!addr)
		return -EINVAL;
	return netlink_addr_add(nl, AF_INET6, ifindex, addr, 16, prefix);
}
