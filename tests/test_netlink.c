// SPDX-License-Identifier: MIT
/* test_netlink.c - rtnetlink in a namespace: link settings, addresses */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <linux/ethtool.h>
#include <linux/if_ether.h>
#include <linux/sockios.h>
#include <linux/udp.h>
#include <linux/virtio_net.h>

#include <criterion/criterion.h>

#include "tap/netlink.h"
#include "tap/netns.h"
#include "tap/tap.h"
#include "tests/lib/netns_fixture.h"

TestSuite(netlink, .fini = fx_remove_mine);

/*
 * A TAP made inside a namespace (as node_open() makes it, tap_open_in()),
 * set up through a context opened from outside: link settings, addresses,
 * the kernel's own errno, and counters.
 */
Test(netlink, link_address_stats)
{
	struct netlink_stats a, b;
	struct in_addr v4;
	struct in6_addr v6;
	unsigned char buf[128];
	struct netlink *in;
	struct fx_link li;
	struct tap *t;
	const char *ns = fx_ns_name("nl");
	int nsfd, idx;
	char *out;

	fx_need_tap();
	cr_assert_eq(netns_add(ns), 0);
	cr_assert_eq(netns_open(ns, &nsfd), 0);
	cr_assert_eq(tap_open_in(nsfd, "lmtnl0", 0, &t), 0);
	cr_assert(t->in_netns);
	idx = t->ifindex;
	/* Not here: the device is in the namespace only. */
	cr_assert_eq(fx_link_get(-1, 0, "lmtnl0", &li), -ENODEV);

	cr_assert_eq(netlink_open(nsfd, &in), 0);
	cr_assert_eq(netlink_link_set_mtu(in, idx, 1400), 0);
	cr_assert_eq(netlink_link_set_mtu(in, idx, 0), -EINVAL);
	cr_assert_eq(netlink_link_set_txqlen(in, idx, 123), 0);
	cr_assert_eq(netlink_link_set_up(in, idx, true), 0);
	cr_assert_eq(netlink_lo_up(in), 0);
	cr_assert_eq(fx_link_get(nsfd, idx, NULL, &li), 0);
	cr_assert_str_eq(li.name, "lmtnl0");
	cr_assert_eq(li.mtu, 1400);
	cr_assert_eq(li.txqlen, 123);
	cr_assert(li.flags & IFF_UP);
	cr_assert_eq(fx_link_get(nsfd, 1, NULL, &li), 0);
	cr_assert(li.flags & IFF_UP, "lo is down");
	/* The kernel's own errno comes back, not libnl's NLE_FAILURE. */
	cr_assert_eq(netlink_link_set_mtu(in, 9999, 1400), -ENODEV);
	cr_assert_eq(netlink_link_set_up(in, idx, false), 0);
	cr_assert_eq(fx_link_get(nsfd, idx, NULL, &li), 0);
	cr_assert_not(li.flags & IFF_UP);
	cr_assert_eq(netlink_link_set_up(in, idx, true), 0);

	inet_pton(AF_INET, "100.64.2.1", &v4);
	inet_pton(AF_INET6, "fd6c:6d00::2:1", &v6);
	cr_assert_eq(netlink_addr4_add(in, idx, &v4, 10), 0);
	cr_assert_eq(netlink_addr4_add(in, idx, &v4, 10), -EEXIST);
	cr_assert_eq(netlink_addr4_add(in, idx, &v4, 33), -EINVAL);
	cr_assert_eq(netlink_addr6_add(in, idx, &v6, 64), 0);
	cr_assert_eq(netlink_addr6_add(in, idx, &v6, 129), -EINVAL);
	out = fx_run("ip -n %s -o addr show dev lmtnl0", ns);
	cr_assert(strstr(out, "inet 100.64.2.1/10 "), "%s", out);
	cr_assert(strstr(out, "inet6 fd6c:6d00::2:1/64 "), "%s", out);
	cr_assert(strstr(out, "nodad"), "%s", out);
	free(out);

	/* A frame written to the fd is counted by the device. */
	cr_assert_eq(netlink_link_stats(in, idx, &a), 0);
	cr_assert_eq(tap_write(t, buf, fx_make_frame(buf, 60)),
		     VNET_HDR_LEN + 60);
	cr_assert_eq(netlink_link_stats(in, idx, &b), 0);
	cr_assert_eq(b.rx_packets - a.rx_packets, 1);

	/* Closing the fd deletes the (non-persistent) device. */
	tap_free(t);
	cr_assert_eq(netlink_link_stats(in, idx, &a), -ENODEV);
	cr_assert_eq(fx_link_get(nsfd, 0, "lmtnl0", &li), -ENODEV);
	netlink_free(in);
	close(nsfd);
	cr_assert_eq(netns_del(ns), 0);
}
