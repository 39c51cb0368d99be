/* SPDX-License-Identifier: MIT */
/* tap.h - TAP devices with virtio-net headers and offloads, one per node */
#ifndef TAP_TAP_H
#define TAP_TAP_H

#include <stdbool.h>
#include <stdint.h>

#include <net/if.h>
#include <netinet/in.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <linux/if_tun.h>
#include <linux/virtio_net.h>

/* Debian 12's <linux/if_tun.h> predates UDP segmentation offload (6.2). */
#ifndef TUN_F_USO4
#define TUN_F_USO4 0x20
#endif
#ifndef TUN_F_USO6
#define TUN_F_USO6 0x40
#endif
/* ...and the gso_type of the UDP super-frames that USO hands us. */
#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define VIRTIO_NET_HDR_GSO_UDP_L4 5
#endif

/*
 * Every frame read from or written to a TAP starts with a struct
 * virtio_net_hdr (<linux/virtio_net.h>): flags, gso_type, hdr_len,
 * gso_size, csum_start, csum_offset, in native byte order. We use the
 * plain 10-byte header, not the 12-byte virtio_net_hdr_mrg_rxbuf /
 * virtio_net_hdr_v1 with num_buffers: a TAP never merges buffers, the
 * design measured 10, and 10 + 14 bytes of Ethernet puts the IP header on
 * a 4-byte boundary when the buffer is 8-byte aligned (12 would not).
 */
#define TAP_VNET_HDR_LEN 10

/*
 * The largest frame one read can return with TSO/USO on: the header, an
 * Ethernet header with a VLAN tag and 64 KiB of IP (the kernel's default
 * GSO limit). Read into buffers this big: tun truncates a super-frame that
 * does not fit, silently.
 */
#define TAP_FRAME_MAX (TAP_VNET_HDR_LEN + 18 + 65536)

/* The name of the TAP inside each node's namespace (`ip -n london addr`). */
#define TAP_IFNAME "lm0"

/* tap_open() flags. */
enum {
	TAP_F_NO_OFFLOAD = 1U << 0,	/* no TUNSETOFFLOAD: no GSO, no csum */
	TAP_F_NO_USO = 1U << 1,		/* do not ask for USO4/USO6 */
	TAP_F_BLOCKING = 1U << 2,	/* leave the fd blocking */
};

struct nl_ctx;

struct tap {
	int fd;			/* read/write frames here (O_NONBLOCK) */
	int ifindex;		/* in the namespace the device lives in now */
	unsigned offloads;	/* TUN_F_* the kernel accepted, 0 if none */
	char ifname[IFNAMSIZ];	/* its name there */
	struct nl_ctx *nl;	/* socket in that namespace, or NULL (owned) */
	bool in_netns;		/* made by tap_node_open() in a namespace */
};

/*
 * Create a non-persistent TAP (IFF_TAP | IFF_NO_PI | IFF_VNET_HDR) called
 * name in the calling thread's namespace ("lm%d" lets the kernel pick the
 * number; NULL or "" gives "tap%d"), set the virtio-net header length and
 * the offloads CSUM, TSO4, TSO6 and, where the kernel has them, USO4 and
 * USO6 (falling back without them on EINVAL). The device goes away when
 * the fd is closed. Returns 0 or -errno (-EINVAL: name too long; -EBUSY:
 * a device of that name exists; -ENOENT: no /dev/net/tun).
 */
int tap_open(const char *name, unsigned flags, struct tap **out);

/*
 * Close the fd (the kernel then deletes the device) and free. NULL is ok.
 * The kernel's deletion waits for RCU grace periods: about 17-20 ms per
 * TAP measured here, in the caller's time.
 */
void tap_free(struct tap *t);

/*
 * For shutting down many nodes: make a TAP of tap_node_open() persistent,
 * then close and free it, so that its device is deleted with its
 * namespace by tap_node_remove() (the kernel does that in the background,
 * in batches; about 0.1 ms per TAP here). For any other TAP, tap_free().
 * A crash still closes the fds of non-persistent TAPs: nothing is left in
 * the host's namespace either way.
 */
void tap_free_deferred(struct tap *t);

/*
 * One frame, virtio-net header first. Bytes or -errno: -EAGAIN when no
 * frame is queued (read) or the socket buffer is full (write); writing to
 * a device that is down gives -EIO.
 */
ssize_t tap_read(struct tap *t, void *buf, size_t len);
ssize_t tap_write(struct tap *t, const void *buf, size_t len);
ssize_t tap_writev(struct tap *t, const struct iovec *iov, int iovcnt);

/*
 * The device's tx_dropped counter: frames the kernel threw away because
 * our reader fell behind and the device's ring (txqueuelen frames) was
 * full. Asked over t->nl, the netlink socket opened in the device's
 * namespace; without one, in the calling thread's namespace.
 */
int tap_tx_dropped(struct tap *t, uint64_t *out);

/* One tapped node, as the emulator sets it up. */
struct tap_node {
	const char *netns;	/* namespace name, usually the node's name */
	const char *ifname;	/* name inside; NULL: TAP_IFNAME */
	unsigned mtu;		/* 0: leave the kernel's 1500 */
	unsigned txqlen;	/* TAP ring in frames; 0: the kernel's 1000 */
	unsigned tap_flags;	/* TAP_F_* */
	bool has_v4, has_v6;
	struct in_addr v4;	/* address of the node and its prefix */
	unsigned v4_prefix;
	struct in6_addr v6;
	unsigned v6_prefix;
	bool default_v4;	/* default route on-link through the TAP */
	bool default_v6;
};

/*
 * Set up one tapped node: mark NAME as ours (marker_write), create the
 * namespace NAME, bind the mark to it, open the TAP ifname directly inside
 * it (no move, see tap.c), and there set MTU and txqueuelen, bring it and
 * lo up, add the addresses (the kernel adds the prefix routes) and the
 * default routes asked for. On success *out has the TAP with nl, ifindex
 * and ifname of the inside. On failure everything made is undone.
 * -EEXIST if the namespace exists already (run `lasermesh cleanup`).
 * About 0.5-2 ms per node measured here (1,000 nodes: see the report).
 */
int tap_node_open(const struct tap_node *node, struct tap **out);

/*
 * Remove what tap_node_open() and hosts_write() made for NAME: the
 * namespace, our /etc/netns/NAME/hosts and the mark. Free the TAP first
 * (or the kernel deletes the device with the namespace). Goes on after an
 * error and returns the first; absent pieces are not errors.
 */
int tap_node_remove(const char *netns);

#endif
