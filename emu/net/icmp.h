/* SPDX-License-Identifier: MIT */
/* icmp.h - ICMP and ICMPv6 errors and echo replies sent by mesh nodes */
#ifndef EMU_ICMP_H
#define EMU_ICMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emu/net/pkt.h"

/* The errors a forwarding node sends (type/code for IPv4; IPv6). */
enum icmp_kind {
	ICMP_TIME_EXCEEDED,	/* 11/0 TTL exceeded; 3/0 hop limit exceeded */
	ICMP_NET_UNREACH,	/* 3/0 net unreachable; 1/0 no route */
	ICMP_HOST_UNREACH,	/* 3/1 host unreachable; 1/3 address unreach. */
	ICMP_TOO_BIG,		/* 3/4 fragmentation needed; 2/0 too big */
};

/* Largest error datagrams: RFC 1812 4.3.2.3 (IPv4), RFC 4443 2.4(c). */
#define ICMP_V4_ERR_MAX 576
#define ICMP_V6_ERR_MAX 1280
/* An output buffer this large holds any error icmp_error() builds. */
#define ICMP_ERR_BUF (PKT_VNET_LEN + PKT_ETH_LEN + ICMP_V6_ERR_MAX)
/* Hop limit / TTL of everything built here. */
#define ICMP_TTL 64

/*
 * Build the ICMP error kind about the packet in buf (parsed by pkt_parse(),
 * pi->kind PKT_IP4 or PKT_IP6, before or after pkt_ttl_decrement()), sent by node
 * from: source addr_v4/addr_v6(from), destination the packet's source, TTL
 * ICMP_TTL, as much of the packet quoted as fits in 576 (IPv4) or 1280
 * (IPv6) bytes. For a GSO super-frame only its first segment is quoted, with
 * the quoted IPv4 total length (and header checksum) or IPv6 payload length
 * of that segment, as a router on the path would have seen it. mtu is the
 * next-hop MTU for ICMP_TOO_BIG (IPv4 68-65535, IPv6 >= 1280), else unused.
 *
 * The frame is addressed to the packet's source MAC from addr_mac(from),
 * behind a zeroed virtio-net header; out must not overlap buf. Returns the
 * bytes written, or 0 with *why set: no error is sent about an ICMP error,
 * a non-first fragment, a multicast/broadcast packet or one whose source is
 * not a unicast host (RFC 1122 3.2.2, RFC 1812 4.3.2.7, RFC 4443 2.4(e)).
 * Rate limiting is the caller's business.
 */
size_t icmp_error(const uint8_t *buf, const struct pkt_info *pi,
		  enum icmp_kind kind, uint32_t from, uint32_t mtu,
		  uint8_t *out, size_t cap, enum pkt_reason *why);

/* Whether a parsed packet is an ICMP or ICMPv6 echo request. */
bool icmp_is_echo_request(const struct pkt_info *pi);

/*
 * Build node from's Echo Reply (RFC 792, RFC 4443 4.2) to the echo request
 * in buf: same identifier, sequence number and data, checksum recomputed,
 * source = the request's destination, which must be from's address, TTL
 * ICMP_TTL, no IP options or extension headers, so never longer than the
 * request: cap = pi->len always suffices. Returns the bytes written to out
 * (not overlapping buf), or 0 with *why set: fragments (no reassembly
 * here), GSO frames, a bad checksum, a request not for from.
 */
size_t icmp_echo_reply(const uint8_t *buf, const struct pkt_info *pi,
		       uint32_t from, uint8_t *out, size_t cap,
		       enum pkt_reason *why);

#endif
