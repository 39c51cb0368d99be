/* SPDX-License-Identifier: MIT */
/* pkt.h - parse frames read from a TAP (virtio-net header + Ethernet) */
#ifndef EMU_PKT_H
#define EMU_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "topo/lib/vnet.h"

/*
 * A TAP opened with IFF_VNET_HDR gives, per read(), a struct virtio_net_hdr
 * (10 bytes, <linux/virtio_net.h>, 16-bit fields in host byte order: the
 * kernel's default for legacy headers; do not set TUNSETVNETLE/BE and leave
 * TUNSETVNETHDRSZ at 10) followed by one Ethernet frame without FCS. With
 * TUNSETOFFLOAD (TSO4/TSO6, USO) a frame may be a GSO "super-frame" of up
 * to 64 KiB that the receiving kernel cuts into gso_size segments.
 *
 * Every function here takes buf = that whole read (header included) and
 * every offset in struct pkt_info counts from buf[0].
 */
#define PKT_VNET_LEN VNET_HDR_LEN
#define PKT_ETH_LEN VNET_ETH_LEN
/* The largest frame accepted: Ethernet + IPv6 header + 65535 bytes. */
#define PKT_FRAME_MAX VNET_FRAME_MAX
/* A read buffer this large always holds a whole frame (and one more byte). */
#define PKT_BUF_MAX VNET_BUF_MAX

/* virtio-net header values (<linux/virtio_net.h>; UDP_L4 is missing there). */
#define PKT_VNET_F_NEEDS_CSUM 1
#define PKT_VNET_F_DATA_VALID 2
#define PKT_GSO_NONE 0
#define PKT_GSO_TCPV4 1
#define PKT_GSO_TCPV6 4
#define PKT_GSO_UDP_L4 VNET_GSO_UDP_L4
#define PKT_GSO_ACCECN 0x10	/* kernel 6.18: TCP with AccECN */
#define PKT_GSO_ECN 0x80
/* Kernel special value of gso_size, refused by virtio_net_hdr_to_skb(). */
#define PKT_GSO_BY_FRAGS 0xffff

#define PKT_ETH_P_IP 0x0800
#define PKT_ETH_P_ARP 0x0806
#define PKT_ETH_P_IPV6 0x86dd

/* Ethernet/IPv4 ARP (RFC 826): where the sender protocol address is. */
#define PKT_ARP_SPA_OFF 14

/*
 * Why a frame was refused or not answered: pkt_parse(), arp_reply(),
 * ndp_reply(), icmp_error() and icmp_echo_reply() all report one of these,
 * so a forwarder can keep one counter per reason. pkt_reason_name() gives
 * a stable lower-case name for statistics.
 */
enum pkt_reason {
	PKT_R_OK = 0,
	/* whole frame and virtio-net header */
	PKT_R_RUNT,		/* shorter than vnet header + Ethernet header */
	PKT_R_OVERSIZE,		/* longer than PKT_FRAME_MAX */
	PKT_R_VNET_FLAGS,	/* unknown virtio-net flag bits */
	PKT_R_VNET_GSO_TYPE,	/* unknown gso_type (UFO included) */
	PKT_R_VNET_GSO_SIZE,	/* gso_size 0 or 0xffff with a gso_type */
	PKT_R_VNET_HDR_LEN,	/* hdr_len beyond the frame */
	PKT_R_VNET_CSUM,	/* csum_start/offset past the frame or not L4 */
	PKT_R_VNET_GSO_PROTO,	/* gso_type does not match the packet */
	/* Ethernet */
	PKT_R_VLAN,		/* 802.1Q/802.1ad tagged */
	PKT_R_ETHERTYPE,	/* neither IPv4, IPv6 nor ARP */
	PKT_R_ETH_SRC,		/* source MAC multicast or broadcast */
	PKT_R_MULTICAST,	/* broadcast/multicast, not ARP/NDP/MLD */
	/* ARP, IPv4, IPv6, L4 */
	PKT_R_ARP_MALFORMED,	/* not Ethernet/IPv4 ARP, or truncated */
	PKT_R_IP4_TRUNC,	/* shorter than the IPv4 header */
	PKT_R_IP4_VERSION,	/* version field not 4 */
	PKT_R_IP4_IHL,		/* IHL below 5 */
	PKT_R_IP4_LEN,		/* total length beyond the frame or < header */
	PKT_R_IP4_CSUM,		/* header checksum wrong */
	PKT_R_IP6_TRUNC,	/* shorter than the IPv6 header */
	PKT_R_IP6_VERSION,	/* version field not 6 */
	PKT_R_IP6_LEN,		/* payload length beyond the frame */
	PKT_R_IP6_EXTHDR,	/* extension header runs past the packet */
	PKT_R_IP_SRC,		/* source address multicast or broadcast */
	PKT_R_L4_TRUNC,		/* TCP/UDP (GSO) or ICMP echo header cut */
	/* arp_reply() */
	PKT_R_ARP_NOT_REQUEST,	/* an ARP reply or other operation */
	PKT_R_ARP_PROBE,	/* sender address 0.0.0.0 (RFC 5227 probe) */
	PKT_R_ARP_GRATUITOUS,	/* sender address = target address */
	PKT_R_ARP_NOT_MESH,	/* target is no node of the mesh */
	PKT_R_ARP_SELF,		/* target is the asking node's own address */
	/* ndp_reply() */
	PKT_R_NDP_BAD,		/* fails RFC 4861 7.1.1 validity checks */
	PKT_R_NDP_DAD,		/* duplicate address detection (source ::) */
	PKT_R_NDP_NOT_MESH,	/* target is no node of the mesh */
	PKT_R_NDP_SELF,		/* target is the asking node's own address */
	PKT_R_NDP_RS,		/* router solicitation */
	PKT_R_NDP_RA,		/* router advertisement */
	PKT_R_NDP_NA,		/* neighbour advertisement (unsolicited) */
	PKT_R_NDP_REDIRECT,	/* redirect */
	PKT_R_MLD,		/* multicast listener query/report/done */
	/* icmp_error(), icmp_echo_reply() */
	PKT_R_ICMP_NOT_IP,	/* not an IPv4/IPv6 packet */
	PKT_R_ICMP_ABOUT_ERROR,	/* no error about an ICMP error (RFC 1122) */
	PKT_R_ICMP_ABOUT_MCAST,	/* no error about multicast/broadcast */
	PKT_R_ICMP_ABOUT_SRC,	/* original source is not a unicast host */
	PKT_R_ICMP_ABOUT_FRAG,	/* no error about a non-first fragment */
	PKT_R_ICMP_CSUM,	/* echo request checksum wrong */
	PKT_R_ECHO_NOT_REQUEST,	/* not an echo request */
	PKT_R_ECHO_NOT_NODE,	/* echo request not addressed to that node */
	PKT_R_ECHO_FRAG,	/* fragmented echo request (no reassembly) */
	PKT_R_ECHO_GSO,		/* echo request in a GSO super-frame */
	PKT_R_BAD_ARG,		/* caller's argument out of range */
	PKT_R_NO_ROOM,		/* output buffer too small */
	PKT_R__COUNT
};

const char *pkt_reason_name(enum pkt_reason r);

/*
 * What the forwarder does with a parsed frame:
 * ARP -> arp_reply(); NDP (ICMPv6 neighbour discovery or MLD, unicast or
 * multicast) -> ndp_reply(); IP4/IP6 -> route by destination address.
 */
enum pkt_kind {
	PKT_ARP,
	PKT_IP4,
	PKT_IP6,
	PKT_NDP,
};

struct pkt_info {
	enum pkt_reason why;	/* PKT_R_OK, or why pkt_parse() refused */
	enum pkt_kind kind;
	uint32_t len;		/* bytes in buf: header + frame */

	/* virtio-net header, host byte order */
	uint8_t vnet_flags;
	uint8_t gso_type;	/* PKT_GSO_*, without the ECN bits */
	bool gso_ecn;		/* PKT_GSO_ECN or PKT_GSO_ACCECN set */
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;	/* from the Ethernet header, as in virtio */
	uint16_t csum_offset;

	/* Ethernet; offset PKT_VNET_LEN */
	uint16_t ethertype;
	bool l2_mcast;		/* destination MAC broadcast or multicast */

	/* network layer */
	uint32_t l3_off;	/* PKT_VNET_LEN + PKT_ETH_LEN */
	uint32_t l3_len;	/* ARP 28; IP total length (v6: 40 + payload) */
	uint32_t trailer;	/* bytes after l3_off + l3_len (padding) */
	uint8_t ttl;		/* TTL or hop limit */
	bool l3_mcast;		/* IP destination multicast or broadcast */
	bool frag;		/* a fragment (v4 MF/offset, v6 fragment hdr) */
	bool frag_later;	/* not the first fragment: no L4 header */
	struct in_addr src4, dst4;	/* PKT_IP4 */
	struct in6_addr src6, dst6;	/* PKT_IP6, PKT_NDP */

	/* transport layer */
	uint8_t l4_proto;	/* IPv4 protocol or the last IPv6 next header */
	uint32_t l4_off;	/* after IP header and v6 extension headers */
	uint32_t l4_len;	/* bytes from l4_off to the end of the packet */
	uint32_t l4_hdr_len;	/* TCP or UDP header bytes when GSO, else 0 */
	bool has_icmp;		/* ICMP/ICMPv6 type and code are present */
	uint8_t icmp_type;
	uint8_t icmp_code;

	/*
	 * Serialisation. A GSO frame leaves the receiving kernel as gso_segs
	 * segments, each repeating the seg_hdr_len bytes of Ethernet, IP and
	 * TCP/UDP headers: wire_len is the sum of their Ethernet frame
	 * lengths (no preamble, FCS or gap). Without GSO: 1 segment,
	 * seg_hdr_len 0, wire_len = the frame's length.
	 */
	uint32_t gso_segs;
	uint32_t seg_hdr_len;
	uint32_t wire_len;
};

/*
 * Parse and validate one read from a TAP. On success returns true with pi
 * filled; on failure returns false and pi->why says why (the other fields
 * are then partly filled and must not be used). Reads only buf[0, len).
 */
bool pkt_parse(const uint8_t *buf, size_t len, struct pkt_info *pi);

/*
 * Whether the L4 checksum of a parsed packet holds: ICMP without a pseudo-
 * header, ICMPv6/TCP/UDP with one. True without looking when the virtio-net
 * header says NEEDS_CSUM (only a partial sum is there) or DATA_VALID. False
 * for non-first fragments and packets without an L4 header.
 */
bool pkt_l4_csum_ok(const uint8_t *buf, const struct pkt_info *pi);

/*
 * The hop of a router (RFC 1812 5.3.1, RFC 8200 3): decrement the TTL/hop
 * limit in place, update the IPv4 header checksum incrementally (RFC 1624;
 * IPv6 has none) and pi->ttl, and return true: the packet may go on. A
 * packet that arrives with TTL/hop limit 0 or 1 has expired: returns false
 * and leaves the frame as it is (an ICMP time exceeded quotes it as
 * received). Only for PKT_IP4 and PKT_IP6 (for others returns true and
 * changes nothing). A NEEDS_CSUM partial sum stays valid: the TTL is not in
 * the pseudo-header.
 */
bool pkt_ttl_decrement(uint8_t *buf, struct pkt_info *pi);

/*
 * Set the Ethernet addresses of a frame for delivery to a TAP: dst = the
 * MAC of that TAP's interface, src = e.g. addr_mac() of the sending node.
 */
void pkt_eth_set(uint8_t *buf, const uint8_t dst[6], const uint8_t src[6]);

/* Where a frame's Ethernet destination and source addresses are. */
#define PKT_ETH_DST_OFF PKT_VNET_LEN
#define PKT_ETH_SRC_OFF (PKT_VNET_LEN + 6)

static inline const uint8_t *pkt_eth_src(const uint8_t *buf)
{
	return buf + PKT_ETH_SRC_OFF;
}

static inline uint16_t pkt_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t pkt_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline void pkt_put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static inline void pkt_put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

#endif
