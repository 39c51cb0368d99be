// SPDX-License-Identifier: MIT
/* test_tap.c - TAP devices: flags, offloads, frames, counters (root) */
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
#include "tap/node.h"
#include "tap/tap.h"
#include "tests/lib/netns_fixture.h"

TestSuite(tap, .fini = fx_remove_mine);

/* Whether the ethtool feature called name is active on ifname (here). */
static bool feature_on(const char *ifname, const char *name)
{
	struct ethtool_sset_info *sset;
	struct ethtool_gstrings *strs;
	struct ethtool_gfeatures *gf;
	struct ifreq ifr;
	unsigned n, idx = ~0U, blocks;
	bool on;
	int s;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	cr_assert_geq(s, 0);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);

	sset = calloc(1, sizeof(*sset) + sizeof(uint32_t));
	sset->cmd = ETHTOOL_GSSET_INFO;
	sset->sset_mask = 1ULL << ETH_SS_FEATURES;
	ifr.ifr_data = (void *)sset;
	cr_assert_eq(ioctl(s, SIOCETHTOOL, &ifr), 0, "GSSET_INFO: %s",
		     strerror(errno));
	n = sset->data[0];
	free(sset);

	strs = calloc(1, sizeof(*strs) + (size_t)n * ETH_GSTRING_LEN);
	strs->cmd = ETHTOOL_GSTRINGS;
	strs->string_set = ETH_SS_FEATURES;
	strs->len = n;
	ifr.ifr_data = (void *)strs;
	cr_assert_eq(ioctl(s, SIOCETHTOOL, &ifr), 0);
	for (unsigned i = 0; i < n; i++)
		if (!strncmp((char *)strs->data + i * ETH_GSTRING_LEN, name,
			     ETH_GSTRING_LEN))
			idx = i;
	free(strs);
	cr_assert_neq(idx, ~0U, "no ethtool feature \"%s\"", name);

	blocks = (n + 31) / 32;
	gf = calloc(1, sizeof(*gf) + blocks * sizeof(gf->features[0]));
	gf->cmd = ETHTOOL_GFEATURES;
	gf->size = blocks;
	ifr.ifr_data = (void *)gf;
	cr_assert_eq(ioctl(s, SIOCETHTOOL, &ifr), 0);
	on = gf->features[idx / 32].active & (1U << (idx % 32));
	free(gf);
	close(s);
	return on;
}

/*
 * Send 8,000 bytes of UDP as 1,000-byte segments (UDP_SEGMENT) from the
 * node; return how many UDP frames came out of its TAP, and in *vh and
 * *len the first one's header and length.
 */
static int udp_gso_frames(struct tap *t, const char *netns,
			  struct virtio_net_hdr *vh, ssize_t *len)
{
	static unsigned char payload[8000], buf[VNET_BUF_MAX];
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(9) };
	int s, one = 1, gso = 1000, frames = 0;
	ssize_t r;

	s = fx_socket_in(netns, AF_INET, SOCK_DGRAM);
	cr_assert_eq(setsockopt(s, SOL_SOCKET, SO_BROADCAST, &one,
				sizeof(one)), 0);
	cr_assert_eq(setsockopt(s, IPPROTO_UDP, UDP_SEGMENT, &gso, sizeof(gso)),
		     0);
	sin.sin_addr.s_addr = htonl(0x647fffffu);	/* no ARP */
	cr_assert_eq(sendto(s, payload, sizeof(payload), 0,
			    (struct sockaddr *)&sin, sizeof(sin)),
		     (ssize_t)sizeof(payload), "sendto: %s", strerror(errno));
	close(s);
	while ((r = tap_read(t, buf, sizeof(buf))) > 0) {
		const unsigned char *eth = buf + VNET_HDR_LEN;

		if (r < VNET_HDR_LEN + 14 + 28 || eth[12] != 0x08 ||
		    eth[13] != 0x00 || eth[14 + 9] != IPPROTO_UDP)
			continue;
		if (frames++ == 0) {
			memcpy(vh, buf, sizeof(*vh));
			*len = r;
		}
	}
	cr_assert_eq(r, -EAGAIN);
	return frames;
}

/* Whether a link called name exists in the calling thread's namespace. */
static bool link_here(const char *name)
{
	struct fx_link l;
	int ret;

	ret = fx_link_get(-1, 0, name, &l);
	cr_assert(ret == 0 || ret == -ENODEV, "fx_link_get: %s",
		  strerror(-ret));
	return ret == 0;
}

Test(tap, open_sets_flags_and_offloads)
{
	struct ifreq ifr;
	unsigned char buf[256];
	struct tap *t;
	int hdr = 0;

	fx_need_tap();
	cr_assert_eq(tap_open("lmt%d", 0, &t), 0);
	cr_assert_geq(t->fd, 0);
	cr_assert_gt(t->ifindex, 0);
	cr_assert_eq(strncmp(t->ifname, "lmt", 3), 0, "name %s", t->ifname);
	cr_assert_neq(strchr("0123456789", t->ifname[3]), NULL,
		      "kernel did not number \"%s\"", t->ifname);
	cr_assert(fcntl(t->fd, F_GETFL) & O_NONBLOCK);
	cr_assert(fcntl(t->fd, F_GETFD) & FD_CLOEXEC);

	memset(&ifr, 0, sizeof(ifr));
	cr_assert_eq(ioctl(t->fd, TUNGETIFF, &ifr), 0);
	cr_assert_str_eq(ifr.ifr_name, t->ifname);
	cr_assert_eq(ifr.ifr_flags & (IFF_TUN | IFF_TAP | IFF_NO_PI |
				      IFF_VNET_HDR | IFF_PERSIST |
				      IFF_MULTI_QUEUE),
		     IFF_TAP | IFF_NO_PI | IFF_VNET_HDR, "flags %#x",
		     ifr.ifr_flags);
	cr_assert_eq(ioctl(t->fd, TUNGETVNETHDRSZ, &hdr), 0);
	cr_assert_eq(hdr, VNET_HDR_LEN);
	cr_assert_eq(VNET_HDR_LEN, sizeof(struct virtio_net_hdr));

	unsigned base = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;

	cr_assert_eq(t->offloads & base, base, "offloads %#x", t->offloads);
	/* What the kernel made of it, seen through ethtool. */
	cr_assert(feature_on(t->ifname, "tx-checksum-ip-generic"));
	cr_assert(feature_on(t->ifname, "tx-tcp-segmentation"));
	cr_assert(feature_on(t->ifname, "tx-tcp6-segmentation"));
	bool uso = (t->offloads & (TUN_F_USO4 | TUN_F_USO6)) ==
		   (TUN_F_USO4 | TUN_F_USO6);
	cr_assert_eq(feature_on(t->ifname, "tx-udp-segmentation"), uso);
	/* Linux 6.2 and later take USO; this machine runs 6.18. */
	cr_assert(uso, "kernel refused USO4/USO6");

	/* Nothing queued (the device is down): EAGAIN, passed through. */
	cr_assert_eq(tap_read(t, buf, sizeof(buf)), -EAGAIN);
	/* Writing to a device that is down. */
	cr_assert_eq(tap_write(t, buf, fx_make_frame(buf, 60)), -EIO);
	tap_free(t);
}

Test(tap, open_without_offloads_and_bad_names)
{
	struct tap *t = NULL;

	fx_need_tap();
	cr_assert_eq(tap_open("lmtnooff", TAP_F_NO_OFFLOAD | TAP_F_BLOCKING,
			      &t), 0);
	cr_assert_eq(t->offloads, 0);
	cr_assert_not(fcntl(t->fd, F_GETFL) & O_NONBLOCK);
	cr_assert_not(feature_on("lmtnooff", "tx-tcp-segmentation"));

	struct tap *t2 = NULL;

	/* Same name while the first holds it: the kernel says EBUSY. */
	cr_assert_eq(tap_open("lmtnooff", 0, &t2), -EBUSY);
	tap_free(t);

	cr_assert_eq(tap_open("lmt-name-too-long0", 0, &t2), -EINVAL);
	cr_assert_eq(tap_open("lmtnouso", TAP_F_NO_USO, &t2), 0);
	cr_assert_eq(t2->offloads, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6);
	cr_assert_not(feature_on("lmtnouso", "tx-udp-segmentation"));
	tap_free(t2);
}

Test(tap, written_frame_counted_by_kernel)
{
	struct netlink_stats a, b;
	struct node_conf n;
	unsigned char buf[128];
	struct tap *t;
	size_t len;

	fx_need_tap();
	fx_node_defaults(&n, fx_ns_name("rx"), 2);
	cr_assert_eq(node_open(&n, &t), 0);
	cr_assert_eq(netlink_link_stats(t->nl, t->ifindex, &a), 0);
	len = fx_make_frame(buf, 60);
	cr_assert_eq(tap_write(t, buf, len), (ssize_t)len);
	cr_assert_eq(tap_write(t, buf, len), (ssize_t)len);
	cr_assert_eq(netlink_link_stats(t->nl, t->ifindex, &b), 0);
	cr_assert_eq(b.rx_packets - a.rx_packets, 2);
	cr_assert_eq(b.rx_bytes - a.rx_bytes, 120, "rx_bytes +%llu",
		     (unsigned long long)(b.rx_bytes - a.rx_bytes));
	tap_free(t);
}

Test(tap, overrun_counted_as_tx_dropped)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(9) };
	unsigned char buf[2048];
	struct netlink_stats st;
	struct node_conf n;
	struct tap *t;
	uint64_t dropped = 0;
	int s, one = 1, queued = 0;
	const int sent = 200, ring = 16;

	fx_need_tap();
	fx_node_defaults(&n, fx_ns_name("drop"), 2);
	n.txqlen = ring;
	cr_assert_eq(node_open(&n, &t), 0);

	/* Nobody reads the TAP while the node sends broadcasts (no ARP). */
	s = fx_socket_in(n.netns, AF_INET, SOCK_DGRAM);
	cr_assert_eq(setsockopt(s, SOL_SOCKET, SO_BROADCAST, &one,
				sizeof(one)), 0);
	sin.sin_addr.s_addr = htonl(0x647fffffu);	/* 100.127.255.255 */
	for (int i = 0; i < sent; i++)
		cr_assert_eq(sendto(s, "lasermesh", 9, 0,
				    (struct sockaddr *)&sin, sizeof(sin)), 9,
			     "sendto: %s", strerror(errno));
	close(s);

	cr_assert_eq(tap_tx_dropped(t, &dropped), 0);
	cr_assert_eq(netlink_link_stats(t->nl, t->ifindex, &st), 0);
	cr_assert_eq(st.tx_dropped, dropped);
	while (tap_read(t, buf, sizeof(buf)) > 0)
		queued++;
	cr_assert_leq(queued, ring, "%d frames queued in a ring of %d",
		      queued, ring);
	cr_assert_geq(dropped, (uint64_t)(sent - ring - ring),
		      "only %llu of %d dropped",
		      (unsigned long long)dropped, sent);
	cr_assert_leq(dropped, (uint64_t)sent);
	tap_free(t);
}

Test(tap, uso_gives_one_superframe)
{
	struct virtio_net_hdr vh;
	struct node_conf n;
	struct tap *t;
	ssize_t len = 0;

	fx_need_tap();
	fx_node_defaults(&n, fx_ns_name("uso"), 2);
	cr_assert_eq(node_open(&n, &t), 0);
	cr_assert(t->offloads & TUN_F_USO4);
	cr_assert_eq(udp_gso_frames(t, n.netns, &vh, &len), 1);
	/* One super-frame: 10 + 14 + 20 + 8 + 8,000 bytes, to segment. */
	cr_assert_eq(len, VNET_HDR_LEN + 14 + 20 + 8 + 8000);
	cr_assert_eq(vh.gso_type, VNET_GSO_UDP_L4);
	cr_assert_eq(vh.gso_size, 1000);
	cr_assert(vh.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM);
	cr_assert_eq(vh.csum_start, 14 + 20);
	cr_assert_eq(vh.csum_offset, 6);	/* offsetof(udphdr, check) */
	tap_free(t);

	/* Without USO the kernel segments: eight plain frames. */
	fx_node_defaults(&n, fx_ns_name("nouso"), 2);
	n.tap_flags = TAP_F_NO_USO;
	cr_assert_eq(node_open(&n, &t), 0);
	cr_assert_eq(udp_gso_frames(t, n.netns, &vh, &len), 8);
	cr_assert_eq(vh.gso_type, VIRTIO_NET_HDR_GSO_NONE);
	cr_assert_eq(len, VNET_HDR_LEN + 14 + 20 + 8 + 1000);
	tap_free(t);
}

Test(tap, devices_go_with_fd_or_namespace)
{
	struct fx_link li;
	struct node_conf n;
	struct tap *t;
	int nsfd, idx;

	fx_need_tap();

	/* 1. Close: gone from the namespace, which itself stays. */
	fx_node_defaults(&n, fx_ns_name("gone1"), 2);
	n.ifname = "lmtgone1";
	cr_assert_eq(node_open(&n, &t), 0);
	idx = t->ifindex;
	cr_assert_eq(netns_open(n.netns, &nsfd), 0);
	cr_assert_eq(fx_link_get(nsfd, idx, NULL, &li), 0);
	tap_free(t);
	cr_assert_eq(fx_link_get(nsfd, idx, NULL, &li), -ENODEV);
	cr_assert_eq(fx_link_get(nsfd, 1, NULL, &li), 0, "lo went too");
	close(nsfd);
	cr_assert_eq(node_remove(n.netns), 0);
	cr_assert_not(netns_exists(n.netns));

	/* 2. Namespace deleted while the fd is open, then the fd closed. */
	fx_node_defaults(&n, fx_ns_name("gone2"), 3);
	n.ifname = "lmtgone2";
	cr_assert_eq(node_open(&n, &t), 0);
	cr_assert_eq(node_remove(n.netns), 0);
	cr_assert_not(netns_exists(n.netns));
	tap_free(t);

	/* 3. The deferred way: persistent, goes with the namespace. */
	fx_node_defaults(&n, fx_ns_name("gone3"), 4);
	n.ifname = "lmtgone3";
	cr_assert_eq(node_open(&n, &t), 0);
	tap_free_deferred(t);
	cr_assert_eq(node_remove(n.netns), 0);
	cr_assert_not(netns_exists(n.netns));

	/*
	 * Neither device may come back to this (the creating) namespace:
	 * a TAP is deleted, not refunded, when its namespace dies. The
	 * kernel does that in the background, so look for a while.
	 */
	for (int i = 0; i < 20; i++) {
		cr_assert_not(link_here("lmtgone2"));
		cr_assert_not(link_here("lmtgone3"));
		usleep(50 * 1000);
	}

	/* A TAP outside any namespace of ours is never made persistent. */
	cr_assert_eq(tap_open("lmtgone4", 0, &t), 0);
	tap_free_deferred(t);
	cr_assert_not(link_here("lmtgone4"));
}

/*
 * RFC 2863's operational states, as IFLA_OPERSTATE gives them. A new TAP
 * is UNKNOWN (nothing has set one yet), DOWN without its carrier, UP once
 * it is back.
 */
enum { OPER_UNKNOWN = 0, OPER_DOWN = 2, OPER_UP = 6 };

/*
 * Wait up to 3 s (the kernel's linkwatch runs within about a second) for
 * the operational state to be DOWN or not (down); the carrier into
 * *carrier. The state last seen.
 */
static unsigned wait_oper(struct tap *t, bool down, bool *carrier)
{
	unsigned oper = 0;

	for (int i = 0; i < 300; i++) {
		cr_assert_eq(netlink_link_carrier(t->nl, t->ifindex, carrier,
						  &oper), 0);
		if ((oper == OPER_DOWN) == down)
			break;
		usleep(10 * 1000);
	}
	return oper;
}

/* UDP frames out of the TAP for one broadcast datagram from the node. */
static int udp_frames_out(struct tap *t, const char *netns)
{
	static unsigned char buf[VNET_BUF_MAX];
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(9) };
	int s, one = 1, frames = 0;
	ssize_t r;

	s = fx_socket_in(netns, AF_INET, SOCK_DGRAM);
	cr_assert_eq(setsockopt(s, SOL_SOCKET, SO_BROADCAST, &one,
				sizeof(one)), 0);
	sin.sin_addr.s_addr = htonl(0x647fffffu);	/* no ARP */
	cr_assert_eq(sendto(s, "x", 1, 0, (struct sockaddr *)&sin,
			    sizeof(sin)), 1, "sendto: %s", strerror(errno));
	close(s);
	usleep(20 * 1000);
	while ((r = tap_read(t, buf, sizeof(buf))) > 0) {
		const unsigned char *eth = buf + VNET_HDR_LEN;

		if (r >= VNET_HDR_LEN + 14 + 28 && eth[12] == 0x08 &&
		    eth[13] == 0x00 && eth[14 + 9] == IPPROTO_UDP)
			frames++;
	}
	cr_assert_eq(r, -EAGAIN);
	return frames;
}

/*
 * Carrier off: the kernel inside sees the cable pulled (NO-CARRIER,
 * operational state DOWN) and sends nothing; on: back as before.
 */
Test(tap, carrier_off_and_on)
{
	struct node_conf n;
	struct tap *t;
	bool carrier = false;
	unsigned oper;
	char *out;

	fx_need_tap();
	fx_node_defaults(&n, fx_ns_name("carrier"), 2);
	cr_assert_eq(node_open(&n, &t), 0);
	cr_assert_eq(wait_oper(t, false, &carrier), OPER_UNKNOWN);
	cr_assert(carrier);
	cr_assert_eq(udp_frames_out(t, n.netns), 1);

	cr_assert_eq(tap_set_carrier(t, false), 0);
	cr_assert_eq(wait_oper(t, true, &carrier), OPER_DOWN,
		     "operstate stays up without carrier");
	cr_assert_not(carrier, "IFLA_CARRIER still 1");
	out = fx_run("ip -n %s -o link show %s", n.netns, TAP_IFNAME);
	cr_assert(strstr(out, "NO-CARRIER") && strstr(out, "state DOWN"),
		  "ip link: %s", out);
	free(out);
	cr_assert_eq(udp_frames_out(t, n.netns), 0,
		     "a node without carrier still sends");

	cr_assert_eq(tap_set_carrier(t, true), 0);
	oper = wait_oper(t, false, &carrier);
	cr_assert(oper == OPER_UP, "operstate %u", oper);
	cr_assert(carrier);
	out = fx_run("ip -n %s -o link show %s", n.netns, TAP_IFNAME);
	cr_assert(!strstr(out, "NO-CARRIER") && strstr(out, "state UP"),
		  "ip link: %s", out);
	free(out);
	cr_assert_eq(udp_frames_out(t, n.netns), 1);
	tap_free(t);
}
