/* SPDX-License-Identifier: MIT */
/* vnet.h - the virtio-net header of TAP frames and the largest one, once */
#ifndef TOPO_LIB_VNET_H
#define TOPO_LIB_VNET_H

/*
 * Every frame read from or written to a TAP opened with IFF_VNET_HDR starts
 * with a struct virtio_net_hdr (<linux/virtio_net.h>): flags, gso_type,
 * hdr_len, gso_size, csum_start, csum_offset, 16-bit fields in host byte
 * order (the kernel's default for legacy headers; TUNSETVNETLE/BE are not
 * set). We use the plain 10-byte header, not the 12-byte
 * virtio_net_hdr_mrg_rxbuf / virtio_net_hdr_v1 with num_buffers: a TAP
 * never merges buffers, the design measured 10, and 10 + 14 bytes of
 * Ethernet puts the IP header on a 4-byte boundary when the buffer is
 * 8-byte aligned (12 would not).
 *
 * Here, in the lowest floor, because both the kernel edge (tap/) and the
 * frame parser (emu/net/) need it and neither may include the other.
 */
#define VNET_HDR_LEN 10

/*
 * gso_type of the UDP super-frames that USO (Linux 6.2) hands us;
 * Debian 12's <linux/virtio_net.h> lacks VIRTIO_NET_HDR_GSO_UDP_L4.
 */
#define VNET_GSO_UDP_L4 5

#define VNET_ETH_LEN 14

/*
 * The largest frame a TAP gives or takes with TSO/USO on, without the
 * header: Ethernet, an IPv6 header and the most that its 16-bit payload
 * length can carry (65,535). An IPv4 super-frame is smaller (its total
 * length is 16 bits, header included).
 */
#define VNET_FRAME_MAX (VNET_ETH_LEN + 40 + 65535)

/*
 * A read buffer this large always holds a whole frame and its header, and
 * one byte more, so that a frame longer than VNET_FRAME_MAX is seen as
 * such (tun truncates a super-frame that does not fit, silently).
 */
#define VNET_BUF_MAX (VNET_HDR_LEN + VNET_FRAME_MAX + 1)

#endif
