// SPDX-License-Identifier: MIT
/* test_tap.c - TAP devices, netlink set-up inside namespaces, frames (root) */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/ethtool.h>
#include <linux/if_ether.h>
#include <linux/sockios.h>
#include <linux/udp.h>
#include <linux/virtio_net.h>

#include <criterion/criterion.h>

#include "tap/hosts.h"
#include "tap/marker.h"
#include "tap/netns.h"
#include "tap/nl.h"
#include "tap/tap.h"

/*
 * Every test runs in its own process (Criterion forks) and first moves
 * that process into a private network namespace, so the TAPs it opens
 * "here" never appear in the host's namespace. Named namespaces are
 * "lmt-PID-TAG" and the fini removes all of this process's, even after a
 * failed assertion.
 */

static void need_root(void)
{
	if (geteuid() != 0)
		cr_skip_test("needs root: TAP devices and network namespaces");
	if (access("/dev/net/tun", R_OK | W_OK) != 0)
		cr_skip_test("no usable /dev/net/tun: %s", strerror(errno));
	if (unshare(CLONE_NEWNET) != 0)
		cr_skip_test("unshare(CLONE_NEWNET): %s", strerror(errno));
}

static const char *ns_name(const char *tag)
{
	static char buf[4][64];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "lmt-%d-%s", (int)getpid(), tag);
	return buf[i];
}

/* Remove every namespace, mark and hosts file named lmt-PID-*. */
static void remove_mine(void)
{
	const char *dirs[] = { NETNS_RUN_DIR, MARKER_NETNS_DIR,
			       HOSTS_ETC_NETNS_DIR };
	char prefix[32];
	struct dirent *de;
	DIR *d;

	snprintf(prefix, sizeof(prefix), "lmt-%d-", (int)getpid());
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		d = opendir(dirs[i]);
		if (!d)
			continue;
		while ((de = readdir(d)))
			if (!strncmp(de->d_name, prefix, strlen(prefix)))
				tap_node_remove(de->d_name);
		closedir(d);
	}
}

/* stdout of a shell command, NUL-terminated, malloc'd. */
static char *run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *run(const char *fmt, ...)
{
	char cmd[512], *out = NULL;
	size_t len = 0, n;
	char chunk[1024];
	va_list ap;
	FILE *p, *m;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	cr_assert_not_null(p, "popen %s", cmd);
	m = open_memstream(&out, &len);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		fwrite(chunk, 1, n, m);
	pclose(p);
	fclose(m);
	return out;
}

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

/* A minimal broadcast frame behind a zeroed virtio-net header. */
static size_t make_frame(unsigned char *buf, size_t eth_len)
{
	unsigned char *eth = buf + TAP_VNET_HDR_LEN;

	memset(buf, 0, TAP_VNET_HDR_LEN + eth_len);
	memset(eth, 0xff, 6);
	memcpy(eth + 6, "\x02\x00\x00\x00\x00\x01", 6);
	eth[12] = 0x88;		/* 0x88b5: IEEE local experimental */
	eth[13] = 0xb5;
	return TAP_VNET_HDR_LEN + eth_len;
}

static void node_defaults(struct tap_node *n, const char *netns, int host)
{
	memset(n, 0, sizeof(*n));
	n->netns = netns;
	n->has_v4 = n->has_v6 = true;
	n->v4.s_addr = htonl(0x64400100u + (unsigned)host); /* 100.64.1.x */
	n->v4_prefix = 10;
	cr_assert_eq(inet_pton(AF_INET6, "fd6c:6d00::1:0", &n->v6), 1);
	n->v6.s6_addr[15] = (unsigned char)host;
	n->v6_prefix = 64;
}

TestSuite(tap, .fini = remove_mine);

Test(tap, open_sets_flags_and_offloads)
{
	struct ifreq ifr;
	unsigned char buf[256];
	struct tap *t;
	int hdr = 0;

	need_root();
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
	cr_assert_eq(hdr, TAP_VNET_HDR_LEN);
	cr_assert_eq(TAP_VNET_HDR_LEN, sizeof(struct virtio_net_hdr));

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
	cr_assert_eq(tap_write(t, buf, make_frame(buf, 60)), -EIO);
	tap_free(t);
}

Test(tap, open_without_offloads_and_bad_names)
{
	struct tap *t = NULL;

	need_root();
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

Test(tap, node_open_configures_namespace)
{
	struct tap_node n;
	struct nl_link_info li;
	struct tap *t;
	const char *ns = ns_name("node");
	char *out;

	need_root();
	node_defaults(&n, ns, 2);
	n.mtu = 9000;
	n.txqlen = 2000;
	n.default_v4 = n.default_v6 = true;
	cr_assert_eq(tap_node_open(&n, &t), 0);
	cr_assert(t->in_netns);
	cr_assert_str_eq(t->ifname, TAP_IFNAME);
	cr_assert(netns_exists(ns));

	cr_assert_eq(nl_link_info(t->nl, t->ifindex, &li), 0);
	cr_assert_str_eq(li.name, TAP_IFNAME);
	cr_assert_eq(li.mtu, 9000);
	cr_assert_eq(li.txqlen, 2000);
	cr_assert(li.flags & IFF_UP);
	cr_assert_eq(nl_link_info(t->nl, 1, &li), 0);
	cr_assert_str_eq(li.name, "lo");
	cr_assert(li.flags & IFF_UP);

	/* What iproute2 sees in the namespace. */
	out = run("ip -n %s -o addr show dev " TAP_IFNAME, ns);
	cr_assert(strstr(out, "inet 100.64.1.2/10 "), "%s", out);
	cr_assert(strstr(out, "inet6 fd6c:6d00::1:2/64 "), "%s", out);
	cr_assert(strstr(out, "nodad"), "%s", out);
	free(out);
	out = run("ip -n %s -o link show dev " TAP_IFNAME, ns);
	cr_assert(strstr(out, "mtu 9000"), "%s", out);
	cr_assert(strstr(out, ",UP"), "%s", out);
	free(out);
	out = run("ip -n %s -4 route", ns);
	cr_assert(strstr(out, "default dev " TAP_IFNAME " scope link"), "%s",
		  out);
	cr_assert(strstr(out, "100.64.0.0/10 dev " TAP_IFNAME), "%s", out);
	free(out);
	out = run("ip -n %s -6 route", ns);
	cr_assert(strstr(out, "default dev " TAP_IFNAME), "%s", out);
	cr_assert(strstr(out, "fd6c:6d00::/64 dev " TAP_IFNAME), "%s", out);
	free(out);

	/* The mark names us and this very namespace. */
	struct marker_owner o;
	uint64_t cookie, now;

	cr_assert_eq(marker_read(ns, &o, &cookie), 0);
	cr_assert_eq(o.pid, getpid());
	cr_assert(marker_owner_alive(&o));
	cr_assert_eq(netns_cookie(ns, &now), 0);
	cr_assert_eq(cookie, now);

	/* The name is taken now. */
	struct tap *t2;

	cr_assert_eq(tap_node_open(&n, &t2), -EEXIST);
	cr_assert(netns_exists(ns), "a failed open removed the namespace");
	tap_free(t);
	cr_assert_eq(tap_node_remove(ns), 0);
	cr_assert_not(netns_exists(ns));
	cr_assert_eq(marker_read(ns, &o, NULL), -ENOENT);
}

Test(tap, written_frame_counted_by_kernel)
{
	struct nl_link_stats a, b;
	struct tap_node n;
	unsigned char buf[128];
	struct tap *t;
	size_t len;

	need_root();
	node_defaults(&n, ns_name("rx"), 2);
	cr_assert_eq(tap_node_open(&n, &t), 0);
	cr_assert_eq(nl_link_stats(t->nl, t->ifindex, &a), 0);
	len = make_frame(buf, 60);
	cr_assert_eq(tap_write(t, buf, len), (ssize_t)len);
	cr_assert_eq(tap_write(t, buf, len), (ssize_t)len);
	cr_assert_eq(nl_link_stats(t->nl, t->ifindex, &b), 0);
	cr_assert_eq(b.rx_packets - a.rx_packets, 2);
	cr_assert_eq(b.rx_bytes - a.rx_bytes, 120, "rx_bytes +%llu",
		     (unsigned long long)(b.rx_bytes - a.rx_bytes));

	/* A frame in two pieces: header and Ethernet frame. */
	struct iovec iov[2] = {
		{ .iov_base = buf, .iov_len = TAP_VNET_HDR_LEN },
		{ .iov_base = buf + TAP_VNET_HDR_LEN, .iov_len = 60 },
	};

	cr_assert_eq(tap_writev(t, iov, 2), (ssize_t)len);
	cr_assert_eq(nl_link_stats(t->nl, t->ifindex, &a), 0);
	cr_assert_eq(a.rx_packets - b.rx_packets, 1);
	tap_free(t);
}

/* A socket of the namespace netns (made there, used from here). */
static int socket_in(const char *netns, int domain, int type)
{
	int nsfd, saved, s;

	cr_assert_eq(netns_open(netns, &nsfd), 0);
	cr_assert_eq(netns_enter(nsfd, &saved), 0);
	s = socket(domain, type | SOCK_CLOEXEC, 0);
	cr_assert_eq(netns_leave(saved), 0);
	close(nsfd);
	cr_assert_geq(s, 0, "socket: %s", strerror(errno));
	return s;
}

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
		if (r < TAP_VNET_HDR_LEN + 14 + 28)
			continue;
		memcpy(&vh, buf, sizeof(vh));
		const unsigned char *eth = buf + TAP_VNET_HDR_LEN;
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

Test(tap, ping_from_namespace_gives_arp_on_fd)
{
	struct tap_node n;
	struct tap *t;
	const char *ns = ns_name("arp");
	uint32_t target = htonl(0x64400103u);	/* 100.64.1.3 */

	need_root();
	node_defaults(&n, ns, 2);
	cr_assert_eq(tap_node_open(&n, &t), 0);
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
		int s = socket_in(ns, AF_INET, SOCK_DGRAM);

		sin.sin_addr.s_addr = target;
		sendto(s, "x", 1, 0, (struct sockaddr *)&sin, sizeof(sin));
		close(s);
	}
	cr_assert(read_arp_request(t, n.v4.s_addr, target),
		  "no ARP request for 100.64.1.3 read from the TAP");
	tap_free(t);
}

Test(tap, overrun_counted_as_tx_dropped)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(9) };
	unsigned char buf[2048];
	struct nl_link_stats st;
	struct tap_node n;
	struct tap *t;
	uint64_t dropped = 0;
	int s, one = 1, queued = 0;
	const int sent = 200, ring = 16;

	need_root();
	node_defaults(&n, ns_name("drop"), 2);
	n.txqlen = ring;
	cr_assert_eq(tap_node_open(&n, &t), 0);

	/* Nobody reads the TAP while the node sends broadcasts (no ARP). */
	s = socket_in(n.netns, AF_INET, SOCK_DGRAM);
	cr_assert_eq(setsockopt(s, SOL_SOCKET, SO_BROADCAST, &one,
				sizeof(one)), 0);
	sin.sin_addr.s_addr = htonl(0x647fffffu);	/* 100.127.255.255 */
	for (int i = 0; i < sent; i++)
		cr_assert_eq(sendto(s, "lasermesh", 9, 0,
				    (struct sockaddr *)&sin, sizeof(sin)), 9,
			     "sendto: %s", strerror(errno));
	close(s);

	cr_assert_eq(tap_tx_dropped(t, &dropped), 0);
	cr_assert_eq(nl_link_stats(t->nl, t->ifindex, &st), 0);
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

/*
 * Send 8,000 bytes of UDP as 1,000-byte segments (UDP_SEGMENT) from the
 * node; return how many UDP frames came out of its TAP, and in *vh and
 * *len the first one's header and length.
 */
static int udp_gso_frames(struct tap *t, const char *netns,
			  struct virtio_net_hdr *vh, ssize_t *len)
{
	static unsigned char payload[8000], buf[TAP_FRAME_MAX];
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(9) };
	int s, one = 1, gso = 1000, frames = 0;
	ssize_t r;

	s = socket_in(netns, AF_INET, SOCK_DGRAM);
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
		const unsigned char *eth = buf + TAP_VNET_HDR_LEN;

		if (r < TAP_VNET_HDR_LEN + 14 + 28 || eth[12] != 0x08 ||
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

Test(tap, uso_gives_one_superframe)
{
	struct virtio_net_hdr vh;
	struct tap_node n;
	struct tap *t;
	ssize_t len = 0;

	need_root();
	node_defaults(&n, ns_name("uso"), 2);
	cr_assert_eq(tap_node_open(&n, &t), 0);
	cr_assert(t->offloads & TUN_F_USO4);
	cr_assert_eq(udp_gso_frames(t, n.netns, &vh, &len), 1);
	/* One super-frame: 10 + 14 + 20 + 8 + 8,000 bytes, to segment. */
	cr_assert_eq(len, TAP_VNET_HDR_LEN + 14 + 20 + 8 + 8000);
	cr_assert_eq(vh.gso_type, VIRTIO_NET_HDR_GSO_UDP_L4);
	cr_assert_eq(vh.gso_size, 1000);
	cr_assert(vh.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM);
	cr_assert_eq(vh.csum_start, 14 + 20);
	cr_assert_eq(vh.csum_offset, 6);	/* offsetof(udphdr, check) */
	tap_free(t);

	/* Without USO the kernel segments: eight plain frames. */
	node_defaults(&n, ns_name("nouso"), 2);
	n.tap_flags = TAP_F_NO_USO;
	cr_assert_eq(tap_node_open(&n, &t), 0);
	cr_assert_eq(udp_gso_frames(t, n.netns, &vh, &len), 8);
	cr_assert_eq(vh.gso_type, VIRTIO_NET_HDR_GSO_NONE);
	cr_assert_eq(len, TAP_VNET_HDR_LEN + 14 + 20 + 8 + 1000);
	tap_free(t);
}

Test(tap, move_rename_address_route)
{
	struct nl_ctx *host, *in;
	struct nl_link_info li;
	struct nl_link_stats a, b;
	struct in_addr v4, net, gw, bad;
	struct in6_addr v6, net6, gw6;
	unsigned char buf[128];
	struct tap *t;
	const char *ns = ns_name("move");
	int nsfd, idx;
	char *out;

	need_root();
	cr_assert_eq(tap_open("lmtmove0", 0, &t), 0);
	cr_assert_eq(netns_add(ns), 0);
	cr_assert_eq(netns_open(ns, &nsfd), 0);
	cr_assert_eq(nl_ctx_open(-1, &host), 0);
	cr_assert_eq(nl_link_move(host, t->ifindex, nsfd), 0);
	cr_assert_eq(nl_link_index(host, "lmtmove0", &idx), -ENODEV);
	nl_ctx_free(host);

	cr_assert_eq(nl_ctx_open(nsfd, &in), 0);
	close(nsfd);
	cr_assert_eq(nl_link_index(in, "lmtmove0", &idx), 0);
	cr_assert_eq(nl_link_rename(in, idx, "bad/name"), -EINVAL);
	cr_assert_eq(nl_link_rename(in, idx, TAP_IFNAME), 0);
	cr_assert_eq(nl_link_set_mtu(in, idx, 1400), 0);
	cr_assert_eq(nl_link_set_up(in, idx, true), 0);
	cr_assert_eq(nl_link_info(in, idx, &li), 0);
	cr_assert_str_eq(li.name, TAP_IFNAME);
	cr_assert_eq(li.mtu, 1400);
	cr_assert(li.flags & IFF_UP);
	/* The kernel's own errno comes back, not libnl's NLE_FAILURE. */
	cr_assert_eq(nl_link_set_mtu(in, 9999, 1400), -ENODEV);

	inet_pton(AF_INET, "100.64.2.1", &v4);
	inet_pton(AF_INET, "10.9.0.0", &net);
	inet_pton(AF_INET, "10.9.1.0", &bad);
	inet_pton(AF_INET, "100.64.0.1", &gw);
	inet_pton(AF_INET6, "fd6c:6d00::2:1", &v6);
	inet_pton(AF_INET6, "2001:db8::", &net6);
	inet_pton(AF_INET6, "fd6c:6d00::1", &gw6);
	cr_assert_eq(nl_addr4_add(in, idx, &v4, 10), 0);
	cr_assert_eq(nl_addr4_add(in, idx, &v4, 10), -EEXIST);
	cr_assert_eq(nl_addr4_add(in, idx, &v4, 33), -EINVAL);
	cr_assert_eq(nl_addr6_add(in, idx, &v6, 64), 0);
	cr_assert_eq(nl_route4_add(in, idx, &net, 16, NULL), 0);
	cr_assert_eq(nl_route4_add(in, idx, &net, 16, NULL), -EEXIST);
	cr_assert_eq(nl_route4_add(in, idx, &bad, 16, NULL), -EINVAL);
	cr_assert_eq(nl_route4_add(in, idx, NULL, 0, &gw), 0);
	cr_assert_eq(nl_route6_add(in, idx, &net6, 32, NULL), 0);
	cr_assert_eq(nl_route6_add(in, idx, NULL, 0, &gw6), 0);

	out = run("ip -n %s -4 route", ns);
	cr_assert(strstr(out, "default via 100.64.0.1 dev " TAP_IFNAME), "%s",
		  out);
	/* iproute2 leaves out "proto boot", the protocol of `ip route add`. */
	cr_assert(strstr(out, "10.9.0.0/16 dev " TAP_IFNAME " scope link"),
		  "%s", out);
	free(out);
	out = run("ip -n %s -6 route", ns);
	cr_assert(strstr(out, "2001:db8::/32 dev " TAP_IFNAME), "%s", out);
	cr_assert(strstr(out, "default via fd6c:6d00::1 dev " TAP_IFNAME),
		  "%s", out);
	free(out);

	/* The fd opened before the move still feeds the moved device. */
	cr_assert_eq(nl_link_stats(in, idx, &a), 0);
	cr_assert_eq(tap_write(t, buf, make_frame(buf, 60)),
		     TAP_VNET_HDR_LEN + 60);
	cr_assert_eq(nl_link_stats(in, idx, &b), 0);
	cr_assert_eq(b.rx_packets - a.rx_packets, 1);

	/* Closing the fd deletes the (non-persistent) device. */
	tap_free(t);
	cr_assert_eq(nl_link_info(in, idx, &li), -ENODEV);
	cr_assert_eq(nl_link_index(in, TAP_IFNAME, &idx), -ENODEV);
	nl_ctx_free(in);
	cr_assert_eq(netns_del(ns), 0);
}

/* Whether a link called name exists in the calling thread's namespace. */
static bool link_here(const char *name)
{
	struct nl_ctx *nl;
	int idx, ret;

	cr_assert_eq(nl_ctx_open(-1, &nl), 0);
	ret = nl_link_index(nl, name, &idx);
	nl_ctx_free(nl);
	cr_assert(ret == 0 || ret == -ENODEV, "nl_link_index: %s",
		  strerror(-ret));
	return ret == 0;
}

Test(tap, devices_go_with_fd_or_namespace)
{
	struct nl_link_info li;
	struct tap_node n;
	struct nl_ctx *nl;
	struct tap *t;
	int nsfd, idx;

	need_root();

	/* 1. Close: gone from the namespace, which itself stays. */
	node_defaults(&n, ns_name("gone1"), 2);
	n.ifname = "lmtgone1";
	cr_assert_eq(tap_node_open(&n, &t), 0);
	idx = t->ifindex;
	cr_assert_eq(netns_open(n.netns, &nsfd), 0);
	cr_assert_eq(nl_ctx_open(nsfd, &nl), 0);
	close(nsfd);
	cr_assert_eq(nl_link_info(nl, idx, &li), 0);
	tap_free(t);
	cr_assert_eq(nl_link_info(nl, idx, &li), -ENODEV);
	cr_assert_eq(nl_link_info(nl, 1, &li), 0, "lo went too");
	nl_ctx_free(nl);
	cr_assert_eq(tap_node_remove(n.netns), 0);
	cr_assert_not(netns_exists(n.netns));

	/* 2. Namespace deleted while the fd is open, then the fd closed. */
	node_defaults(&n, ns_name("gone2"), 3);
	n.ifname = "lmtgone2";
	cr_assert_eq(tap_node_open(&n, &t), 0);
	cr_assert_eq(tap_node_remove(n.netns), 0);
	cr_assert_not(netns_exists(n.netns));
	tap_free(t);

	/* 3. The deferred way: persistent, goes with the namespace. */
	node_defaults(&n, ns_name("gone3"), 4);
	n.ifname = "lmtgone3";
	cr_assert_eq(tap_node_open(&n, &t), 0);
	tap_free_deferred(t);
	cr_assert_eq(tap_node_remove(n.netns), 0);
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
