// SPDX-License-Identifier: MIT
/* tap.c - TAP devices with virtio-net headers and offloads */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "tap/netlink.h"
#include "tap/netns.h"
#include "tap/tap.h"
#include "tap/tapstamp.h"

#define TAP_DEV "/dev/net/tun"

/*
 * Offloads: the kernel may hand us checksum-less frames and TCP super-frames
 * up to 64 KiB (the design measured 7.4-8.8 Gbit/s for one TCP flow against
 * 1.1 without). USO4/USO6 (Linux 6.2) must be given together; an older
 * kernel rejects the unknown bits with EINVAL, and we retry without them.
 */
static int tap_set_offload(int fd, unsigned flags, unsigned *taken)
{
	unsigned off = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;

	*taken = 0;
	if (flags & TAP_F_NO_OFFLOAD)
		return 0;
	if (!(flags & TAP_F_NO_USO)) {
		unsigned uso = off | TUN_F_USO4 | TUN_F_USO6;

		if (ioctl(fd, TUNSETOFFLOAD, (unsigned long)uso) == 0) {
			*taken = uso;
			return 0;
		}
		if (errno != EINVAL)
			return -errno;
	}
	if (ioctl(fd, TUNSETOFFLOAD, (unsigned long)off) < 0)
		return -errno;
	*taken = off;
	return 0;
}

int tap_open(const char *name, unsigned flags, struct tap **out)
{
	int hdrlen = VNET_HDR_LEN;
	struct ifreq ifr;
	struct tap *t;
	size_t len;
	int ret;

	len = name ? strlen(name) : 0;
	if (len >= IFNAMSIZ)
		return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->fd = open(TAP_DEV, O_RDWR | O_CLOEXEC |
			      (flags & TAP_F_BLOCKING ? 0 : O_NONBLOCK));
	if (t->fd < 0) {
		ret = -errno;
		goto out_free;
	}

	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, name ? name : "", len);	/* rest stays NUL */
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	if (ioctl(t->fd, TUNSETIFF, &ifr) < 0) {
		ret = -errno;
		goto out_close;
	}
	/* The kernel wrote back the final name ("lm%d" -> "lm7"). */
	memcpy(t->ifname, ifr.ifr_name, IFNAMSIZ);
	t->ifname[IFNAMSIZ - 1] = '\0';

	if (ioctl(t->fd, TUNSETVNETHDRSZ, &hdrlen) < 0) {
		ret = -errno;
		goto out_close;
	}
	ret = tap_set_offload(t->fd, flags, &t->offloads);
	if (ret < 0)
		goto out_close;
	t->ifindex = (int)if_nametoindex(t->ifname);
	if (t->ifindex == 0) {
		ret = -errno;
		goto out_close;
	}
	*out = t;
	return 0;

out_close:
	close(t->fd);
out_free:
	free(t);
	return ret;
}

void tap_free(struct tap *t)
{
	if (!t)
		return;
	netlink_free(t->nl);
	tapstamp_free(t->stamp);
	if (t->fd >= 0)
		close(t->fd);
	free(t);
}

void tap_free_deferred(struct tap *t)
{
	if (!t)
		return;
	/*
	 * Persistent, the device outlives the fd and the kernel deletes it
	 * with its namespace, together with the devices of every other
	 * namespace going away then (one unregister_netdevice_many() batch)
	 * instead of one RCU-synchronised unregister per close. Never for a
	 * TAP outside a namespace of ours: it would stay behind.
	 */
	if (t->in_netns && t->fd >= 0)
		ioctl(t->fd, TUNSETPERSIST, 1UL);
	tap_free(t);
}

ssize_t tap_read(struct tap *t, void *buf, size_t len)
{
	ssize_t r = read(t->fd, buf, len);

	return r < 0 ? -errno : r;
}

ssize_t tap_write(struct tap *t, const void *buf, size_t len)
{
	ssize_t r = write(t->fd, buf, len);

	return r < 0 ? -errno : r;
}

int tap_set_carrier(struct tap *t, bool on)
{
	int carrier = on;

	if (ioctl(t->fd, TUNSETCARRIER, &carrier) < 0)
		return -errno;
	return 0;
}

int tap_tx_dropped(struct tap *t, uint64_t *out)
{
	struct netlink_stats st;
	struct netlink *nl = t->nl;
	int ret;

	if (!nl) {
		ret = netlink_open(-1, &nl);
		if (ret < 0)
			return ret;
	}
	ret = netlink_link_stats(nl, t->ifindex, &st);
	if (nl != t->nl)
		netlink_free(nl);
	if (ret == 0)
		*out = st.tx_dropped;
	return ret;
}

/*
 * The TAP is created inside the namespace, not created here and moved: a
 * tun fd makes its device in the namespace the fd was opened in, and
 * moving a device (like deleting one) waits for RCU grace periods under
 * the RTNL lock, measured at 17 ms per move on this machine kind against
 * 0.3 ms for the whole open here. Same for the netlink socket.
 */
int tap_open_in(int nsfd, const char *ifname, unsigned flags,
		struct tap **out)
{
	struct tap *t;
	int saved, ret, err;

	ret = netns_enter(nsfd, &saved);
	if (ret < 0)
		return ret;
	ret = tap_open(ifname, flags, &t);
	if (ret == 0) {
		ret = netlink_open(-1, &t->nl);
		if (ret < 0)
			tap_free(t);
	}
	/* without its stamps the TAP still works: the caller says so */
	if (ret == 0 && (flags & TAP_F_STAMP))
		t->stamp_err = tapstamp_open(t->ifindex, &t->stamp);
	err = netns_leave(saved);
	if (err < 0) {
		if (ret == 0)
			tap_free(t);
		return err;
	}
	if (ret < 0)
		return ret;
	t->in_netns = true;
	*out = t;
	return 0;
}
