/* SPDX-License-Identifier: MIT */
/* tap.h - TAP devices with virtio-net headers and offloads */
#ifndef TAP_TAP_H
#define TAP_TAP_H

#include <stdbool.h>
#include <stdint.h>

#include <net/if.h>
#include <sys/types.h>

#include <linux/if_tun.h>
#include <linux/virtio_net.h>

#include "topo/lib/vnet.h"

/* Debian 12's <linux/if_tun.h> predates UDP segmentation offload (6.2). */
#ifndef TUN_F_USO4
#define TUN_F_USO4 0x20
#endif
#ifndef TUN_F_USO6
#define TUN_F_USO6 0x40
#endif
/* Linux 5.0; for headers older than that. */
#ifndef TUNSETCARRIER
#define TUNSETCARRIER _IOW('T', 226, int)
#endif

/*
 * Every frame read from or written to a TAP starts with a struct
 * virtio_net_hdr of VNET_HDR_LEN bytes; read into buffers of VNET_BUF_MAX
 * bytes (topo/lib/vnet.h).
 */

/* The name of the TAP inside each node's namespace (`ip -n london addr`). */
#define TAP_IFNAME "lm0"

/* tap_open() flags. */
enum {
	TAP_F_NO_OFFLOAD = 1U << 0,	/* no TUNSETOFFLOAD: no GSO, no csum */
	TAP_F_NO_USO = 1U << 1,		/* do not ask for USO4/USO6 */
	TAP_F_BLOCKING = 1U << 2,	/* leave the fd blocking */
	TAP_F_STAMP = 1U << 3,		/* tap_open_in(): send times too */
};

struct netlink;
struct tapstamp;

struct tap {
	int fd;			/* read/write frames here (O_NONBLOCK) */
	int ifindex;		/* in the namespace the device lives in now */
	unsigned offloads;	/* TUN_F_* the kernel accepted, 0 if none */
	char ifname[IFNAMSIZ];	/* its name there */
	struct netlink *nl;	/* socket in that namespace, or NULL (owned) */
	bool in_netns;		/* made in a namespace of ours (node.h) */
	/* TAP_F_STAMP: the send times of its frames (tapstamp.h), or NULL */
	struct tapstamp *stamp;
	int stamp_err;		/* why stamp is NULL: -errno, or 0 */
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
 * For shutting down many nodes: make a TAP of node_open() persistent,
 * then close and free it, so that its device is deleted with its
 * namespace by node_remove() (the kernel does that in the background,
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

/*
 * The device's tx_dropped counter: frames the kernel threw away because
 * our reader fell behind and the device's ring (txqueuelen frames) was
 * full. Asked over t->nl, the netlink socket opened in the device's
 * namespace; without one, in the calling thread's namespace.
 */
int tap_tx_dropped(struct tap *t, uint64_t *out);

/*
 * Switch the device's carrier on or off (TUNSETCARRIER, Linux 5.0), as a
 * cable plugged in or pulled out: with it off, `ip link` inside shows
 * NO-CARRIER, the operational state goes DOWN (within about a second,
 * the kernel's linkwatch), routes over it stop being used and what the
 * node sends is not queued to us; the device stays administratively up
 * and its addresses stay. A new TAP has its carrier on. -EINVAL on a
 * kernel without the ioctl.
 */
int tap_set_carrier(struct tap *t, bool on);

/*
 * Open a TAP (tap_open()) inside the namespace nsfd, with a netlink socket
 * there in t->nl, and mark it in_netns: the device lives and dies with
 * that namespace. The calling thread enters the namespace only meanwhile.
 * With TAP_F_STAMP, also the socket of its frames' send times in t->stamp
 * (tapstamp.h); if that fails the TAP is still made, with t->stamp NULL
 * and the error in t->stamp_err.
 */
int tap_open_in(int nsfd, const char *ifname, unsigned flags,
		struct tap **out);

#endif
