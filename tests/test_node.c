// SPDX-License-Identifier: MIT
/* test_node.c - one tapped node: mark, namespace, TAP, MAC, addresses (root) */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
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

#include "tap/mark.h"
#include "tap/netlink.h"
#include "tap/netns.h"
#include "tap/node.h"
#include "tap/runfile.h"
#include "tap/tap.h"
#include "tests/lib/netns_fixture.h"

TestSuite(node, .fini = fx_remove_mine);

/* Read frames until an ARP request for target shows up (2 s at most). */
static bool read_arp_request(struct tap *t, uint32_t sender, uint32_t target)
{
	unsigned char buf[2048];
	struct pollfd pfd = { .fd = t->fd, .events = POLLIN };
	struct virtio_net_hdr vh;
	ssize_t r;

	for (int rounds = 0; rounds < 200; rounds++) {
		r = tap_read(t, buf, sizeof(buf));
		if (r == -EAGAIN) {
			poll(&pfd, 1, 10);
			continue;
		}
		cr_assert_gt(r, 0, "tap_read: %s", strerror((int)-r));
		if (r < VNET_HDR_LEN + 14 + 28)
			continue;
		memcpy(&vh, buf, sizeof(vh));
		const unsigned char *eth = buf + VNET_HDR_LEN;
		const unsigned char *arp = eth + 14;

		if (eth[12] != 0x08 || eth[13] != 0x06)
			continue;	/* IPv6 RS, MLD, DAD: not ours */
		/* Nothing to offload in ARP: an all-zero header. */
		cr_assert_eq(vh.flags, 0);
		cr_assert_eq(vh.gso_type, VIRTIO_NET_HDR_GSO_NONE);
		cr_assert_eq(memcmp(eth, "\xff\xff\xff\xff\xff\xff", 6), 0);
		cr_assert_eq(arp[6], 0);
		cr_assert_eq(arp[7], 1, "ARP opcode %u", arp[7]);
		cr_assert_eq(memcmp(arp + 8, eth + 6, 6), 0,
			     "sender MAC is not the frame's source");
		cr_assert_eq(memcmp(arp + 14, &sender, 4), 0);
		if (memcmp(arp + 24, &target, 4) == 0)
			return true;
	}
	return false;
}

Test(node, node_open_configures_namespace)
{
	static const uint8_t mac[6] = { 0x02, 0x6c, 0x6d, 0x00, 0x01, 0x02 };
	struct node_conf n;
	struct fx_link li;
	struct tap *t;
	const char *ns = fx_ns_name("node");
	char *out;
	int nsfd;

	fx_need_tap();
	fx_node_defaults(&n, ns, 2);
	n.mtu = 9000;
	n.txqlen = 2000;
	n.has_mac = true;
	memcpy(n.mac, mac, sizeof(mac));
	cr_assert_eq(node_open(&n, &t), 0);
	cr_assert(t->in_netns);
	cr_assert_str_eq(t->ifname, TAP_IFNAME);
	cr_assert(netns_exists(ns));

	cr_assert_eq(netns_open(ns, &nsfd), 0);
	cr_assert_eq(fx_link_get(nsfd, t->ifindex, NULL, &li), 0);
	cr_assert_str_eq(li.name, TAP_IFNAME);
	cr_assert_eq(li.mtu, 9000);
	cr_assert_eq(li.txqlen, 2000);
	cr_assert(li.flags & IFF_UP);
	cr_assert_eq(memcmp(li.mac, mac, 6), 0, "MAC %02x:%02x:...:%02x",
		     li.mac[0], li.mac[1], li.mac[5]);
	cr_assert_eq(fx_link_get(nsfd, 1, NULL, &li), 0);
	cr_assert_str_eq(li.name, "lo");
	cr_assert(li.flags & IFF_UP);
	close(nsfd);

	/* What iproute2 sees in the namespace. */
	out = fx_run("ip -n %s -o addr show dev " TAP_IFNAME, ns);
	cr_assert(strstr(out, "inet 100.64.1.2/10 "), "%s", out);
	cr_assert(strstr(out, "inet6 fd6c:6d00::1:2/64 "), "%s", out);
	cr_assert(strstr(out, "nodad"), "%s", out);
	free(out);
	out = fx_run("ip -n %s -o link show dev " TAP_IFNAME, ns);
	cr_assert(strstr(out, "mtu 9000"), "%s", out);
	cr_assert(strstr(out, ",UP"), "%s", out);
	free(out);
	out = fx_run("ip -n %s -o link show dev " TAP_IFNAME, ns);
	cr_assert(strstr(out, "link/ether 02:6c:6d:00:01:02 "), "%s", out);
	free(out);
	/* The prefix routes, which the kernel adds with the addresses. */
	out = fx_run("ip -n %s -4 route", ns);
	cr_assert(strstr(out, "100.64.0.0/10 dev " TAP_IFNAME), "%s", out);
	free(out);
	out = fx_run("ip -n %s -6 route", ns);
	cr_assert(strstr(out, "fd6c:6d00::/64 dev " TAP_IFNAME), "%s", out);
	free(out);

	/* The mark names us and this very namespace. */
	struct owner o;
	uint64_t cookie, now;

	cr_assert_eq(mark_read(ns, &o, &cookie), 0);
	cr_assert_eq(o.pid, getpid());
	cr_assert(owner_alive(&o));
	cr_assert_eq(netns_cookie(ns, &now), 0);
	cr_assert_eq(cookie, now);

	/* The name is taken now. */
	struct tap *t2;

	cr_assert_eq(node_open(&n, &t2), -EEXIST);
	cr_assert(netns_exists(ns), "a failed open removed the namespace");
	tap_free(t);
	cr_assert_eq(node_remove(ns), 0);
	cr_assert_not(netns_exists(ns));
	cr_assert_eq(mark_read(ns, &o, NULL), -ENOENT);
}

Test(node, ping_from_namespace_gives_arp_on_fd)
{
	struct node_conf n;
	struct tap *t;
	const char *ns = fx_ns_name("arp");
	uint32_t target = htonl(0x64400103u);	/* 100.64.1.3 */

	fx_need_tap();
	fx_node_defaults(&n, ns, 2);
	cr_assert_eq(node_open(&n, &t), 0);
	if (access("/usr/bin/ping", X_OK) == 0 ||
	    access("/bin/ping", X_OK) == 0) {
		/* Nobody answers: ping waits its second, ARP is queued. */
		char cmd[256];
		int rc;

		snprintf(cmd, sizeof(cmd),
			 "ip netns exec %s ping -c1 -W1 100.64.1.3 "
			 ">/dev/null 2>&1", ns);
		rc = system(cmd);
		cr_assert_neq(rc, -1);
	} else {
		/* No ping here: any datagram to the address asks ARP. */
		struct sockaddr_in sin = { .sin_family = AF_INET,
					   .sin_port = htons(9) };
		int s = fx_socket_in(ns, AF_INET, SOCK_DGRAM);

		sin.sin_addr.s_addr = target;
		sendto(s, "x", 1, 0, (struct sockaddr *)&sin, sizeof(sin));
		close(s);
	}
	cr_assert(read_arp_request(t, n.v4.s_addr, target),
		  "no ARP request for 100.64.1.3 read from the TAP");
	tap_free(t);
}

/*
 * A node name that another run holds: node_open() fails before it makes
 * or removes anything, the other run's mark stays as it was (alive or
 * dead: a dead run's is for `lasermesh cleanup`), and node_strerror()
 * names that run and its configuration.
 */
Test(node, refused_open_touches_nothing_of_the_holder)
{
	const char *live = fx_ns_name("held"), *dead = fx_ns_name("left");
	const char *plain = fx_ns_name("plain");
	char before[2][256], *text, why[512], path[256], cwd[PATH_MAX];
	struct owner o;
	struct node_conf n;
	struct tap *t;
	uint64_t cookie;
	pid_t holder, gone;

	fx_need_tap();
	fx_cleanup_turn();
	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	/* A live run holding one node (its namespace bound), a dead one. */
	holder = fx_spawn_child(NULL);
	cr_assert_eq(runfile_write(holder, "tests/data/e2e/ek.conf", &live, 1),
		     0);
	cr_assert_eq(mark_write(live, holder), 0);
	cr_assert_eq(netns_add(live), 0);
	cr_assert_eq(mark_bind(live), 0);
	gone = fx_spawn_child(NULL);
	cr_assert_eq(mark_write(dead, gone), 0);
	fx_kill_child(gone);
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), MARK_NETNS_DIR "/%s",
			 i ? dead : live);
		text = fx_slurp(path);
		cr_assert_not_null(text);
		snprintf(before[i], sizeof(before[i]), "%s", text);
		free(text);
	}

	fx_node_defaults(&n, live, 2);
	cr_assert_eq(node_open(&n, &t), -EEXIST);
	fx_node_defaults(&n, dead, 3);
	cr_assert_eq(node_open(&n, &t), -EEXIST);
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), MARK_NETNS_DIR "/%s",
			 i ? dead : live);
		text = fx_slurp(path);
		cr_assert_not_null(text, "%s: the refused open removed it",
				   path);
		cr_assert_str_eq(text, before[i]);
		free(text);
	}
	cr_assert(netns_exists(live));
	cr_assert_not(netns_exists(dead));
	cr_assert_eq(mark_read(live, &o, &cookie), 0);
	cr_assert_eq(o.pid, holder);
	cr_assert_neq(cookie, 0);

	/* Who holds it, in words. */
	char want[PATH_MAX + 128];

	snprintf(want, sizeof(want), "it belongs to lasermesh run %d "
		 "(%s/tests/data/e2e/ek.conf), which is still running",
		 (int)holder, cwd);
	cr_assert_str_eq(node_strerror(live, -EEXIST, why, sizeof(why)), want);
	cr_assert(strstr(node_strerror(dead, -EEXIST, why, sizeof(why)),
			 "which is no longer running: `lasermesh cleanup`"),
		  "%s", why);
	cr_assert_eq(netns_add(plain), 0);
	cr_assert(strstr(node_strerror(plain, -EEXIST, why, sizeof(why)),
			 "no lasermesh run marked"), "%s", why);
	cr_assert_str_eq(node_strerror(plain, -ENOMEM, why, sizeof(why)),
			 strerror(ENOMEM));
	/* An unmarked namespace of the name: refused, left alone. */
	fx_node_defaults(&n, plain, 4);
	cr_assert_eq(node_open(&n, &t), -EEXIST);
	cr_assert(netns_exists(plain));
	cr_assert_eq(mark_read(plain, &o, NULL), -ENOENT);
	runfile_remove(holder);
}
