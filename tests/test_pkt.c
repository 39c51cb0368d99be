// SPDX-License-Identifier: MIT
/* test_pkt.c - the frame parser, checksums, TTL decrement, hostile frames */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "emu/net/addr.h"
#include "emu/net/arp.h"
#include "emu/net/csum.h"
#include "emu/net/gso.h"
#include "emu/net/icmp.h"
#include "emu/net/ndp.h"
#include "emu/net/pkt.h"
#include "tests/lib/frame.h"

#define BIG (PKT_BUF_MAX + 64)

static const uint8_t mac_a[6] = { 0x5a, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t mac_b[6] = { 0x02, 0x6c, 0x6d, 0x00, 0x00, 0x08 };
static const uint8_t mac_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static void t_vnet(uint8_t *b, uint8_t flags, uint8_t gso, uint16_t hdr_len,
		   uint16_t gso_size, uint16_t cs, uint16_t co)
{
	b[0] = flags;
	b[1] = gso;
	memcpy(b + 2, &hdr_len, 2);	/* host order, like the kernel */
	memcpy(b + 4, &gso_size, 2);
	memcpy(b + 6, &cs, 2);
	memcpy(b + 8, &co, 2);
}

/* Zero virtio-net header and an Ethernet header; returns 24. */
static size_t t_eth(uint8_t *b, const uint8_t dst[6], const uint8_t src[6],
		    unsigned type)
{
	memset(b, 0, PKT_VNET_LEN);
	memcpy(b + 10, dst, 6);
	memcpy(b + 16, src, 6);
	frame_put16(b + 22, type);
	return 24;
}

/* IPv4 header (IHL 5) at b + off for l4 bytes of payload; returns off + 20. */
static size_t t_ip4(uint8_t *b, size_t off, const char *src, const char *dst,
		    uint8_t proto, uint8_t ttl, unsigned frag, size_t l4)
{
	uint8_t *ip = b + off;

	memset(ip, 0, 20);
	ip[0] = 0x45;
	frame_put16(ip + 2, 20 + l4);
	frame_put16(ip + 4, 0x1234);
	frame_put16(ip + 6, frag);
	ip[8] = ttl;
	ip[9] = proto;
	inet_pton(AF_INET, src, ip + 12);
	inet_pton(AF_INET, dst, ip + 16);
	frame_ip4_csum(ip);
	return off + 20;
}

static size_t t_ip6(uint8_t *b, size_t off, const char *src, const char *dst,
		    uint8_t nh, uint8_t hop, size_t plen)
{
	uint8_t *ip = b + off;

	memset(ip, 0, 40);
	ip[0] = 0x60;
	frame_put16(ip + 4, plen);
	ip[6] = nh;
	ip[7] = hop;
	inet_pton(AF_INET6, src, ip + 8);
	inet_pton(AF_INET6, dst, ip + 24);
	return off + 40;
}

/* A plain IPv4/UDP frame of n payload bytes; returns its length. */
static size_t t_udp4(uint8_t *b, const char *src, const char *dst, size_t n,
		     uint8_t ttl)
{
	size_t o = t_eth(b, mac_b, mac_a, PKT_ETH_P_IP);

	o = t_ip4(b, o, src, dst, IPPROTO_UDP, ttl, 0x4000, 8 + n);
	frame_put16(b + o, 40000);
	frame_put16(b + o + 2, 5001);
	frame_put16(b + o + 4, 8 + n);
	for (size_t i = 0; i < n; i++)
		b[o + 8 + i] = (uint8_t)(i * 7 + 1);
	frame_l4_csum(b + 24, b + o, 8 + n, 6, IPPROTO_UDP);
	return o + 8 + n;
}

/* A TCP segment (doff words of header) of n payload bytes over IPv4/6. */
static size_t t_tcp(uint8_t *b, bool v6, unsigned doff, size_t n)
{
	size_t o = t_eth(b, mac_b, mac_a, v6 ? PKT_ETH_P_IPV6 : PKT_ETH_P_IP);
	size_t l4 = doff * 4 + n;

	if (v6)
		o = t_ip6(b, o, "fd6c:6d00::2", "fd6c:6d00::9", IPPROTO_TCP,
			  64, l4);
	else
		o = t_ip4(b, o, "100.64.0.2", "100.64.0.9", IPPROTO_TCP, 64,
			  0x4000, l4);
	memset(b + o, 0, l4);
	frame_put16(b + o, 40000);
	frame_put16(b + o + 2, 5201);
	b[o + 12] = (uint8_t)(doff << 4);
	b[o + 13] = 0x18;
	for (size_t i = 0; i < n; i++)
		b[o + doff * 4 + i] = (uint8_t)i;
	frame_l4_csum(b + 24, b + o, l4, 16, IPPROTO_TCP);
	return o + l4;
}

static struct pkt_info parse_ok(const uint8_t *b, size_t len)
{
	struct pkt_info pi;

	cr_assert(pkt_parse(b, len, &pi), "refused: %s",
		  pkt_reason_name(pi.why));
	cr_assert_eq(pi.why, PKT_R_OK);
	return pi;
}

static void parse_bad(const uint8_t *b, size_t len, enum pkt_reason r)
{
	struct pkt_info pi;

	cr_assert_not(pkt_parse(b, len, &pi), "accepted, expected %s",
		      pkt_reason_name(r));
	cr_assert_eq(pi.why, r, "reason %s, expected %s",
		     pkt_reason_name(pi.why), pkt_reason_name(r));
}

/* Parse a copy in a buffer of exactly len bytes (ASan sees overreads). */
static bool parse_exact(const uint8_t *b, size_t len, struct pkt_info *pi)
{
	uint8_t *c = malloc(len ? len : 1);
	bool ok;

	cr_assert_not_null(c);
	memcpy(c, b, len);
	ok = pkt_parse(c, len, pi);
	free(c);
	return ok;
}

/* ---- checksums ---- */

/* RFC 1071 section 3's example: sum 0xddf2 over 00 01 f2 03 f4 f5 f6 f7. */
Test(csum, rfc1071_example)
{
	static const uint8_t d[] = { 0x00, 0x01, 0xf2, 0x03,
				     0xf4, 0xf5, 0xf6, 0xf7 };

	cr_assert_eq(csum_add(0, d, sizeof(d)), 0xddf2);
	cr_assert_eq(csum_fold(csum_add(0, d, sizeof(d))), 0x220d);
	/* in two pieces, the first even */
	cr_assert_eq(csum_add(csum_add(0, d, 4), d + 4, 4), 0xddf2);
}

Test(csum, odd_length_and_large)
{
	static uint8_t big[65535 + 40];
	uint32_t x = 12345;

	for (size_t i = 0; i < sizeof(big); i++) {
		x = x * 1103515245 + 12345;
		big[i] = (uint8_t)(x >> 16);
	}
	for (size_t n = 0; n < 300; n++)
		cr_assert_eq(csum_add(0, big, n), frame_sum(big, n, 0),
			     "n=%zu", n);
	cr_assert_eq(csum_add(0, big, sizeof(big)),
		     frame_sum(big, sizeof(big), 0));
	memset(big, 0xff, sizeof(big));
	cr_assert_eq(csum_add(0, big, sizeof(big)),
		     frame_sum(big, sizeof(big), 0));
}

/* RFC 1624: the incremental update equals a full recomputation. */
Test(csum, replace16_matches_recompute)
{
	uint8_t h[20];
	uint32_t x = 1;

	for (int iter = 0; iter < 200000; iter++) {
		uint16_t old, nw, c;

		for (int i = 0; i < 20; i++) {
			x = x * 1664525 + 1013904223;
			h[i] = (uint8_t)(x >> 24);
		}
		if (iter % 7 == 0)
			memset(h, 0, 10);	/* sums near zero */
		frame_put16(h + 10, 0);
		frame_put16(h + 10, ~frame_sum(h, 20, 0) & 0xffff);
		old = (uint16_t)(h[8] << 8 | h[9]);
		x = x * 1664525 + 1013904223;
		nw = (uint16_t)(x >> 16);
		c = csum_replace16((uint16_t)(h[10] << 8 | h[11]), old, nw);
		frame_put16(h + 8, nw);
		frame_put16(h + 10, c);
		cr_assert_eq(frame_sum(h, 20, 0), 0xffff, "iter %d", iter);
	}
}

Test(csum, pseudo_headers)
{
	struct in_addr s, d;
	struct in6_addr s6, d6;
	uint8_t ph[40];

	inet_pton(AF_INET, "100.64.0.2", &s);
	inet_pton(AF_INET, "100.79.66.65", &d);
	memcpy(ph, &s, 4);
	memcpy(ph + 4, &d, 4);
	ph[8] = 0;
	ph[9] = 17;
	frame_put16(ph + 10, 1234);
	cr_assert_eq(csum_pseudo_v4(s, d, 17, 1234), frame_sum(ph, 12, 0));

	inet_pton(AF_INET6, "fd6c:6d00::2", &s6);
	inet_pton(AF_INET6, "ff02::1:ff00:9", &d6);
	memset(ph, 0, sizeof(ph));
	memcpy(ph, &s6, 16);
	memcpy(ph + 16, &d6, 16);
	ph[33] = 1;		/* length 70000 = 0x11170 */
	frame_put16(ph + 34, 0x1170);
	ph[39] = 58;
	cr_assert_eq(csum_pseudo_v6(&s6, &d6, 58, 70000), frame_sum(ph, 40, 0));
}

/* ---- well-formed frames ---- */

Test(pkt, udp4_fields)
{
	uint8_t b[256];
	size_t n = t_udp4(b, "100.64.0.2", "100.64.0.9", 100, 17);
	struct pkt_info pi = parse_ok(b, n);
	struct in_addr s, d;

	inet_pton(AF_INET, "100.64.0.2", &s);
	inet_pton(AF_INET, "100.64.0.9", &d);
	cr_assert_eq(pi.kind, PKT_IP4);
	cr_assert_eq(pi.len, n);
	cr_assert_eq(pi.ethertype, PKT_ETH_P_IP);
	cr_assert_not(pi.l2_mcast);
	cr_assert_not(pi.l3_mcast);
	cr_assert_eq(pi.l3_off, 24);
	cr_assert_eq(pi.l3_len, 20 + 8 + 100);
	cr_assert_eq(pi.trailer, 0);
	cr_assert_eq(pi.ttl, 17);
	cr_assert_eq(pi.l4_proto, IPPROTO_UDP);
	cr_assert_eq(pi.l4_off, 44);
	cr_assert_eq(pi.l4_len, 108);
	cr_assert_eq(pi.src4.s_addr, s.s_addr);
	cr_assert_eq(pi.dst4.s_addr, d.s_addr);
	cr_assert_not(pi.frag);
	cr_assert_not(pi.has_icmp);
	cr_assert_eq(pi.gso_type, PKT_GSO_NONE);
	cr_assert_eq(pi.gso_segs, 1);
	cr_assert_eq(pi.seg_hdr_len, 0);
	cr_assert_eq(pi.wire_len, n - PKT_VNET_LEN);
	cr_assert(pkt_l4_csum_ok(b, &pi));
	b[n - 1] ^= 1;
	cr_assert_not(pkt_l4_csum_ok(b, &pi));
}

/* IPv4 with options: IHL 6. */
Test(pkt, ip4_options)
{
	uint8_t b[128];
	size_t o = t_eth(b, mac_b, mac_a, PKT_ETH_P_IP);
	struct pkt_info pi;

	t_ip4(b, o, "100.64.0.2", "100.64.0.9", IPPROTO_UDP, 64, 0, 4 + 8);
	b[o] = 0x46;
	memset(b + o + 20, 1, 4);	/* four NOPs */
	frame_ip4_csum(b + o);
	memset(b + o + 24, 0, 8);
	pi = parse_ok(b, o + 32);
	cr_assert_eq(pi.l4_off, o + 24);
	cr_assert_eq(pi.l4_len, 8);
}

/* Ethernet padding after a short IP packet is allowed and counted. */
Test(pkt, trailer)
{
	uint8_t b[128];
	size_t n = t_udp4(b, "100.64.0.2", "100.64.0.9", 2, 64);
	struct pkt_info pi;

	memset(b + n, 0, 60 + PKT_VNET_LEN - n);
	pi = parse_ok(b, 60 + PKT_VNET_LEN);
	cr_assert_eq(pi.l3_len, 30);
	cr_assert_eq(pi.trailer, 60 - 14 - 30);
}

Test(pkt, ipv6_tcp_fields)
{
	uint8_t b[256];
	size_t n = t_tcp(b, true, 5, 50);
	struct pkt_info pi = parse_ok(b, n);
	struct in6_addr s;

	inet_pton(AF_INET6, "fd6c:6d00::2", &s);
	cr_assert_eq(pi.kind, PKT_IP6);
	cr_assert_eq(pi.l3_len, 40 + 20 + 50);
	cr_assert_eq(pi.l4_off, 24 + 40);
	cr_assert_eq(pi.l4_len, 70);
	cr_assert_eq(pi.l4_proto, IPPROTO_TCP);
	cr_assert_eq(pi.ttl, 64);
	cr_assert_eq(memcmp(&pi.src6, &s, 16), 0);
	cr_assert(pkt_l4_csum_ok(b, &pi));
}

/* Extension headers are walked to find the upper layer. */
Test(pkt, ipv6_extension_headers)
{
	uint8_t b[256];
	size_t o = t_eth(b, mac_b, mac_a, PKT_ETH_P_IPV6);
	struct pkt_info pi;

	/* hop-by-hop (8) -> destination options (16) -> ICMPv6 echo (12) */
	o = t_ip6(b, o, "fd6c:6d00::2", "fd6c:6d00::9", IPPROTO_HOPOPTS, 64,
		  8 + 16 + 12);
	memset(b + o, 0, 8 + 16 + 12);
	b[o] = IPPROTO_DSTOPTS;
	b[o + 8] = IPPROTO_ICMPV6;
	b[o + 9] = 1;
	b[o + 24] = 128;
	pi = parse_ok(b, o + 36);
	cr_assert_eq(pi.l4_proto, IPPROTO_ICMPV6);
	cr_assert_eq(pi.l4_off, o + 24);
	cr_assert_eq(pi.l4_len, 12);
	cr_assert(pi.has_icmp);
	cr_assert_eq(pi.icmp_type, 128);

	/* the destination options header claims 32 bytes: past the end */
	b[o + 9] = 3;
	parse_bad(b, o + 36, PKT_R_IP6_EXTHDR);
	/* the packet ends inside the first extension header */
	frame_put16(b + 24 + 4, 1);
	parse_bad(b, 24 + 41, PKT_R_IP6_EXTHDR);
}

Test(pkt, arp_request)
{
	uint8_t b[64];
	size_t o = t_eth(b, mac_bcast, mac_a, PKT_ETH_P_ARP);
	struct pkt_info pi;

	memset(b + o, 0, 28);
	frame_put16(b + o, 1);
	frame_put16(b + o + 2, PKT_ETH_P_IP);
	b[o + 4] = 6;
	b[o + 5] = 4;
	frame_put16(b + o + 6, 1);
	memcpy(b + o + 8, mac_a, 6);
	pi = parse_ok(b, o + 28);
	cr_assert_eq(pi.kind, PKT_ARP);
	cr_assert(pi.l2_mcast);
	cr_assert_eq(pi.l3_len, 28);
	cr_assert_eq(pi.wire_len, 42);

	b[o + 5] = 16;
	parse_bad(b, o + 28, PKT_R_ARP_MALFORMED);
	b[o + 5] = 4;
	frame_put16(b + o + 2, PKT_ETH_P_IPV6);
	parse_bad(b, o + 28, PKT_R_ARP_MALFORMED);
	frame_put16(b + o + 2, PKT_ETH_P_IP);
	b[o + 8] = 0x01;	/* multicast sender hardware address */
	parse_bad(b, o + 28, PKT_R_ARP_MALFORMED);
	b[o + 8] = mac_a[0];
	parse_bad(b, o + 27, PKT_R_ARP_MALFORMED);
	parse_bad(b, o + 2, PKT_R_ARP_MALFORMED);
}

/* ---- hostile frames ---- */

Test(pkt, runts)
{
	uint8_t b[256];
	size_t n = t_udp4(b, "100.64.0.2", "100.64.0.9", 10, 64);
	size_t lens[] = { 0, 1, 9, 10, 13, 14, 23 };

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct pkt_info pi;

		cr_assert_not(parse_exact(b, lens[i], &pi));
		cr_assert_eq(pi.why, PKT_R_RUNT, "len %zu: %s", lens[i],
			     pkt_reason_name(pi.why));
	}
	/* Ethernet header and 2 bytes of IPv4 / IPv6 */
	parse_bad(b, 24 + 2, PKT_R_IP4_TRUNC);
	parse_bad(b, 24 + 19, PKT_R_IP4_TRUNC);
	b[22] = 0x86;
	b[23] = 0xdd;
	parse_bad(b, 24 + 2, PKT_R_IP6_TRUNC);
	parse_bad(b, 24 + 39, PKT_R_IP6_TRUNC);
	(void)n;
}

Test(pkt, ip4_lying_lengths)
{
	uint8_t b[256];
	size_t n = t_udp4(b, "100.64.0.2", "100.64.0.9", 10, 64);
	uint8_t *ip = b + 24;

	/* total length one byte more than the frame holds */
	frame_put16(ip + 2, n - 24 + 1);
	frame_ip4_csum(ip);
	parse_bad(b, n, PKT_R_IP4_LEN);
	frame_put16(ip + 2, 65535);
	frame_ip4_csum(ip);
	parse_bad(b, n, PKT_R_IP4_LEN);
	/* smaller than the header */
	frame_put16(ip + 2, 19);
	frame_ip4_csum(ip);
	parse_bad(b, n, PKT_R_IP4_LEN);
	frame_put16(ip + 2, 0);
	frame_ip4_csum(ip);
	parse_bad(b, n, PKT_R_IP4_LEN);
	/* exactly the header: accepted, no payload */
	frame_put16(ip + 2, 20);
	frame_ip4_csum(ip);
	cr_assert_eq(parse_ok(b, n).l4_len, 0);
}

Test(pkt, ip4_header_fields)
{
	uint8_t b[256];
	size_t n = t_udp4(b, "100.64.0.2", "100.64.0.9", 10, 64);
	uint8_t *ip = b + 24;

	for (unsigned ihl = 0; ihl < 5; ihl++) {
		ip[0] = (uint8_t)(0x40 | ihl);
		frame_ip4_csum(ip);
		parse_bad(b, n, PKT_R_IP4_IHL);
	}
	ip[0] = 0x4f;		/* 60-byte header in a 38-byte packet */
	parse_bad(b, 24 + 40, PKT_R_IP4_TRUNC);
	for (unsigned v = 0; v < 16; v++) {
		if (v == 4)
			continue;
		ip[0] = (uint8_t)(v << 4 | 5);
		frame_ip4_csum(ip);
		parse_bad(b, n, PKT_R_IP4_VERSION);
	}
	ip[0] = 0x45;
	frame_ip4_csum(ip);
	parse_ok(b, n);
	ip[10] ^= 0x40;
	parse_bad(b, n, PKT_R_IP4_CSUM);
	ip[10] ^= 0x40;
	ip[15] ^= 1;		/* source changed, checksum not */
	parse_bad(b, n, PKT_R_IP4_CSUM);
	ip[15] ^= 1;
	/* multicast and broadcast sources */
	inet_pton(AF_INET, "224.0.0.1", ip + 12);
	frame_ip4_csum(ip);
	parse_bad(b, n, PKT_R_IP_SRC);
	inet_pton(AF_INET, "255.255.255.255", ip + 12);
	frame_ip4_csum(ip);
	parse_bad(b, n, PKT_R_IP_SRC);
}

Test(pkt, ip6_header_fields)
{
	uint8_t b[256];
	size_t n = t_tcp(b, true, 5, 10);
	uint8_t *ip = b + 24;

	frame_put16(ip + 4, n - 24 - 40 + 1);
	parse_bad(b, n, PKT_R_IP6_LEN);
	frame_put16(ip + 4, 65535);
	parse_bad(b, n, PKT_R_IP6_LEN);
	frame_put16(ip + 4, n - 24 - 40);
	ip[0] = 0x40;
	parse_bad(b, n, PKT_R_IP6_VERSION);
	ip[0] = 0x60;
	ip[8] = 0xff;
	parse_bad(b, n, PKT_R_IP_SRC);
	ip[8] = 0xfd;
	parse_ok(b, n);
	/* shorter payload length: the rest is a trailer */
	frame_put16(ip + 4, 20);
	cr_assert_eq(parse_ok(b, n).trailer, 10);
}

Test(pkt, ethertypes)
{
	uint8_t b[256];
	size_t n = t_udp4(b, "100.64.0.2", "100.64.0.9", 10, 64);
	static const unsigned other[] = { 0x88cc, 0x8035, 0x0842, 0x05dc,
					  0x0000, 0x88e5, 0xffff };
	static const unsigned vlan[] = { 0x8100, 0x88a8, 0x9100 };

	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		frame_put16(b + 22, other[i]);
		parse_bad(b, n, PKT_R_ETHERTYPE);
	}
	for (size_t i = 0; i < sizeof(vlan) / sizeof(vlan[0]); i++) {
		frame_put16(b + 22, vlan[i]);
		parse_bad(b, n, PKT_R_VLAN);
	}
	frame_put16(b + 22, PKT_ETH_P_IP);
	b[16] |= 1;
	parse_bad(b, n, PKT_R_ETH_SRC);
}

Test(pkt, multicast_dropped_unless_ndp)
{
	uint8_t b[256];
	size_t n = t_udp4(b, "100.64.0.2", "224.0.0.251", 10, 1);
	static const uint8_t m4[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb };

	memcpy(b + 10, m4, 6);
	parse_bad(b, n, PKT_R_MULTICAST);
	/* L3 multicast behind a unicast MAC */
	memcpy(b + 10, mac_b, 6);
	parse_bad(b, n, PKT_R_MULTICAST);
	/* L2 broadcast of a unicast IP packet (and DHCP-like) */
	n = t_udp4(b, "100.64.0.2", "100.64.0.9", 10, 64);
	memcpy(b + 10, mac_bcast, 6);
	parse_bad(b, n, PKT_R_MULTICAST);
	n = t_udp4(b, "100.64.0.2", "255.255.255.255", 10, 64);
	parse_bad(b, n, PKT_R_MULTICAST);

	/* IPv6 UDP to ff02::fb */
	{
		size_t o = t_eth(b, (const uint8_t[]){ 0x33, 0x33, 0, 0, 0,
						      0xfb },
				 mac_a, PKT_ETH_P_IPV6);

		o = t_ip6(b, o, "fd6c:6d00::2", "ff02::fb", IPPROTO_UDP, 255,
			  8);
		memset(b + o, 0, 8);
		parse_bad(b, o + 8, PKT_R_MULTICAST);
		/* ICMPv6 echo to all nodes: not NDP */
		b[24 + 6] = IPPROTO_ICMPV6;
		b[o] = 128;
		parse_bad(b, o + 8, PKT_R_MULTICAST);
		/* neighbour solicitation: kept for ndp_reply() */
		b[o] = 135;
		cr_assert_eq(parse_ok(b, o + 8).kind, PKT_NDP);
		/* MLDv2 report: kept, ndp_reply() counts it */
		b[o] = 143;
		cr_assert_eq(parse_ok(b, o + 8).kind, PKT_NDP);
	}
}

Test(pkt, vnet_header)
{
	uint8_t b[256];
	size_t n = t_udp4(b, "100.64.0.2", "100.64.0.9", 10, 64);
	uint16_t flen = (uint16_t)(n - PKT_VNET_LEN);
	static const uint8_t bad_types[] = { 2, 3, 6, 7, 0x7f, 0x83, 0x85,
					     0x21, 0x41, 0x95 };

	for (size_t i = 0; i < sizeof(bad_types) / sizeof(bad_types[0]); i++) {
		t_vnet(b, 0, bad_types[i], 0, 1000, 0, 0);
		parse_bad(b, n, PKT_R_VNET_GSO_TYPE);
	}
	t_vnet(b, 0x04, 0, 0, 0, 0, 0);
	parse_bad(b, n, PKT_R_VNET_FLAGS);
	t_vnet(b, 0x80, 0, 0, 0, 0, 0);
	parse_bad(b, n, PKT_R_VNET_FLAGS);
	/* ECN and AccECN only with TCP */
	t_vnet(b, 0, PKT_GSO_ECN, 0, 0, 0, 0);
	parse_bad(b, n, PKT_R_VNET_GSO_TYPE);
	t_vnet(b, 0, PKT_GSO_ACCECN, 0, 0, 0, 0);
	parse_bad(b, n, PKT_R_VNET_GSO_TYPE);
	t_vnet(b, 0, PKT_GSO_UDP_L4 | PKT_GSO_ECN, 42, 1000, 0, 0);
	parse_bad(b, n, PKT_R_VNET_GSO_TYPE);
	/* the kernel's GSO_BY_FRAGS */
	t_vnet(b, 0, PKT_GSO_UDP_L4, 42, 0xffff, 0, 0);
	parse_bad(b, n, PKT_R_VNET_GSO_SIZE);
	/* gso_size 0 with a GSO type */
	t_vnet(b, 0, PKT_GSO_UDP_L4, 42, 0, 0, 0);
	parse_bad(b, n, PKT_R_VNET_GSO_SIZE);
	/* hdr_len */
	t_vnet(b, 0, 0, flen, 0, 0, 0);
	parse_ok(b, n);
	t_vnet(b, 0, 0, flen + 1, 0, 0, 0);
	parse_bad(b, n, PKT_R_VNET_HDR_LEN);
	t_vnet(b, 0, 0, 0xffff, 0, 0, 0);
	parse_bad(b, n, PKT_R_VNET_HDR_LEN);
	/* partial checksum: the 2-byte field must lie inside the frame */
	t_vnet(b, PKT_VNET_F_NEEDS_CSUM, 0, 0, 0, 34, 6);
	parse_ok(b, n);
	t_vnet(b, PKT_VNET_F_NEEDS_CSUM, 0, 0, 0, flen - 2, 0);
	parse_ok(b, n);
	t_vnet(b, PKT_VNET_F_NEEDS_CSUM, 0, 0, 0, flen - 1, 0);
	parse_bad(b, n, PKT_R_VNET_CSUM);
	t_vnet(b, PKT_VNET_F_NEEDS_CSUM, 0, 0, 0, flen + 100, 0);
	parse_bad(b, n, PKT_R_VNET_CSUM);
	t_vnet(b, PKT_VNET_F_NEEDS_CSUM, 0, 0, 0, 34, 0xffff);
	parse_bad(b, n, PKT_R_VNET_CSUM);
	t_vnet(b, PKT_VNET_F_NEEDS_CSUM, 0, 0, 0, 0xffff, 0xffff);
	parse_bad(b, n, PKT_R_VNET_CSUM);
	/* DATA_VALID is fine, and the checksum is then trusted */
	t_vnet(b, PKT_VNET_F_DATA_VALID, 0, 0, 0, 0, 0);
	b[n - 1] ^= 0x55;
	{
		struct pkt_info pi = parse_ok(b, n);

		cr_assert(pkt_l4_csum_ok(b, &pi));
	}
}

Test(pkt, gso_mismatch)
{
	uint8_t b[4096];
	size_t n = t_udp4(b, "100.64.0.2", "100.64.0.9", 3000, 64);

	t_vnet(b, 0, PKT_GSO_TCPV4, 42, 1448, 0, 0);
	parse_bad(b, n, PKT_R_VNET_GSO_PROTO);
	n = t_tcp(b, false, 5, 3000);
	t_vnet(b, 0, PKT_GSO_TCPV6, 54, 1448, 0, 0);
	parse_bad(b, n, PKT_R_VNET_GSO_PROTO);
	t_vnet(b, 0, PKT_GSO_UDP_L4, 54, 1448, 0, 0);
	parse_bad(b, n, PKT_R_VNET_GSO_PROTO);
	n = t_tcp(b, true, 5, 3000);
	t_vnet(b, 0, PKT_GSO_TCPV4, 74, 1448, 0, 0);
	parse_bad(b, n, PKT_R_VNET_GSO_PROTO);
	/* a fragment cannot be a super-frame */
	n = t_tcp(b, false, 5, 3000);
	b[24 + 6] = 0x20;	/* MF */
	frame_ip4_csum(b + 24);
	t_vnet(b, 0, PKT_GSO_TCPV4, 54, 1448, 0, 0);
	parse_bad(b, n, PKT_R_VNET_GSO_PROTO);
	/* TCP data offset below 5 or beyond the packet */
	n = t_tcp(b, false, 5, 3000);
	b[24 + 20 + 12] = 0x40;
	t_vnet(b, 0, PKT_GSO_TCPV4, 54, 1448, 0, 0);
	parse_bad(b, n, PKT_R_L4_TRUNC);
	n = t_tcp(b, false, 5, 10);
	b[24 + 20 + 12] = 0xf0;
	t_vnet(b, 0, PKT_GSO_TCPV4, 54, 1448, 0, 0);
	parse_bad(b, n, PKT_R_L4_TRUNC);
	/* fewer than 20 bytes of TCP, and of UDP fewer than 8 */
	n = t_tcp(b, false, 5, 0);
	frame_put16(b + 24 + 2, 20 + 19);
	frame_ip4_csum(b + 24);
	t_vnet(b, 0, PKT_GSO_TCPV4, 34, 1448, 0, 0);
	parse_bad(b, n - 1, PKT_R_L4_TRUNC);
	n = t_udp4(b, "100.64.0.2", "100.64.0.9", 0, 64);
	frame_put16(b + 24 + 2, 20 + 7);
	frame_ip4_csum(b + 24);
	t_vnet(b, 0, PKT_GSO_UDP_L4, 34, 1448, 0, 0);
	parse_bad(b, n - 1, PKT_R_L4_TRUNC);
	/* partial checksum of a super-frame: at the TCP/UDP checksum */
	n = t_tcp(b, false, 5, 3000);
	t_vnet(b, PKT_VNET_F_NEEDS_CSUM, PKT_GSO_TCPV4, 54, 1448, 34, 16);
	parse_ok(b, n);
	t_vnet(b, PKT_VNET_F_NEEDS_CSUM, PKT_GSO_TCPV4 | PKT_GSO_ACCECN, 54,
	       1448, 34, 16);
	cr_assert(parse_ok(b, n).gso_ecn);
	t_vnet(b, PKT_VNET_F_NEEDS_CSUM, PKT_GSO_TCPV4, 54, 1448, 14, 16);
	parse_bad(b, n, PKT_R_VNET_CSUM);
	t_vnet(b, PKT_VNET_F_NEEDS_CSUM, PKT_GSO_TCPV4, 54, 1448, 34, 6);
	parse_bad(b, n, PKT_R_VNET_CSUM);
	n = t_udp4(b, "100.64.0.2", "100.64.0.9", 3000, 64);
	t_vnet(b, PKT_VNET_F_NEEDS_CSUM, PKT_GSO_UDP_L4, 42, 1472, 34, 6);
	parse_ok(b, n);
	t_vnet(b, PKT_VNET_F_NEEDS_CSUM, PKT_GSO_UDP_L4, 42, 1472, 34, 16);
	parse_bad(b, n, PKT_R_VNET_CSUM);
	t_vnet(b, 0, PKT_GSO_UDP_L4, 42, 1472, 0, 0);	/* USO needs it */
	parse_bad(b, n, PKT_R_VNET_CSUM);
	/* GSO on an ARP frame */
	n = t_eth(b, mac_bcast, mac_a, PKT_ETH_P_ARP);
	memset(b + n, 0, 28);
	frame_put16(b + n, 1);
	frame_put16(b + n + 2, PKT_ETH_P_IP);
	b[n + 4] = 6;
	b[n + 5] = 4;
	t_vnet(b, 0, PKT_GSO_TCPV4, 0, 1448, 0, 0);
	parse_bad(b, n + 28, PKT_R_VNET_GSO_PROTO);
}

/* Segments of super-frames: ceil(payload / gso_size), headers repeated. */
Test(pkt, gso_segments)
{
	static uint8_t b[70000];
	struct {
		bool v6;
		unsigned doff;
		size_t payload;
		uint16_t gso_size;
		uint32_t segs;
	} c[] = {
		{ false, 8, 10000, 1448, 7 },
		{ false, 5, 2 * 1448, 1448, 2 },
		{ false, 5, 2 * 1448 + 1, 1448, 3 },
		{ false, 5, 100, 1448, 1 },
		{ false, 5, 0, 1448, 1 },
		{ true, 8, 65535 - 40 - 32, 1428, 46 },
		{ true, 5, 64000, 9000, 8 },
		{ false, 15, 1, 1, 1 },
		{ false, 5, 60000, 1, 60000 },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		size_t n = t_tcp(b, c[i].v6, c[i].doff, c[i].payload);
		uint32_t hdr = 14 + (c[i].v6 ? 40 : 20) + c[i].doff * 4;
		uint8_t gso = c[i].v6 ? PKT_GSO_TCPV6
				      : PKT_GSO_TCPV4 | PKT_GSO_ECN;
		struct pkt_info pi;

		t_vnet(b, PKT_VNET_F_NEEDS_CSUM, gso, (uint16_t)hdr,
		       c[i].gso_size, (uint16_t)(hdr - c[i].doff * 4), 16);
		pi = parse_ok(b, n);
		cr_assert_eq(pi.gso_type,
			     c[i].v6 ? PKT_GSO_TCPV6 : PKT_GSO_TCPV4);
		cr_assert_eq(pi.gso_ecn, !c[i].v6);
		cr_assert_eq(pi.gso_size, c[i].gso_size);
		cr_assert_eq(pi.l4_hdr_len, c[i].doff * 4);
		cr_assert_eq(pi.seg_hdr_len, hdr, "case %zu", i);
		cr_assert_eq(pi.gso_segs, c[i].segs, "case %zu: %u segments",
			     i, pi.gso_segs);
		cr_assert_eq(pi.wire_len, c[i].segs * hdr + c[i].payload,
			     "case %zu", i);
	}

	/* UDP segmentation offload over IPv4 */
	{
		size_t n = t_udp4(b, "100.64.0.2", "100.64.0.9", 8000, 64);
		struct pkt_info pi;

		t_vnet(b, PKT_VNET_F_NEEDS_CSUM, PKT_GSO_UDP_L4, 42, 1472, 34,
		       6);
		pi = parse_ok(b, n);
		cr_assert_eq(pi.seg_hdr_len, 42);
		cr_assert_eq(pi.gso_segs, 6);
		cr_assert_eq(pi.wire_len, 6 * 42 + 8000);
	}
}

/* The largest frame is accepted; one byte more is oversize. */
Test(pkt, oversize)
{
	uint8_t *b = calloc(1, BIG);
	size_t n;
	struct pkt_info pi;

	cr_assert_not_null(b);
	n = t_eth(b, mac_b, mac_a, PKT_ETH_P_IPV6);
	t_ip6(b, n, "fd6c:6d00::2", "fd6c:6d00::9", 59, 64, 65535);
	n = PKT_VNET_LEN + PKT_FRAME_MAX;
	pi = parse_ok(b, n);
	cr_assert_eq(pi.l3_len, 40 + 65535);
	cr_assert_eq(pi.l4_proto, 59);
	parse_bad(b, n + 1, PKT_R_OVERSIZE);
	parse_bad(b, BIG, PKT_R_OVERSIZE);
	cr_assert_not(pkt_parse(b, SIZE_MAX, &pi));
	cr_assert_eq(pi.why, PKT_R_OVERSIZE);
	/* the largest IPv4 packet */
	n = t_eth(b, mac_b, mac_a, PKT_ETH_P_IP);
	t_ip4(b, n, "100.64.0.2", "100.64.0.9", 253, 64, 0, 65535 - 20);
	cr_assert_eq(parse_ok(b, 24 + 65535).l3_len, 65535);
	free(b);
}

Test(pkt, fragments)
{
	uint8_t b[256];
	size_t o = t_eth(b, mac_b, mac_a, PKT_ETH_P_IP);
	struct pkt_info pi;

	/* first fragment of an echo request: ICMP header visible */
	t_ip4(b, o, "100.64.0.2", "100.64.0.9", IPPROTO_ICMP, 64, 0x2000, 40);
	memset(b + o + 20, 0, 40);
	b[o + 20] = 8;
	pi = parse_ok(b, o + 60);
	cr_assert(pi.frag);
	cr_assert_not(pi.frag_later);
	cr_assert(pi.has_icmp);
	cr_assert_eq(pi.icmp_type, 8);
	cr_assert_eq(pi.gso_segs, 1);
	/* a later fragment: no L4 header */
	t_ip4(b, o, "100.64.0.2", "100.64.0.9", IPPROTO_ICMP, 64, 0x0005, 40);
	pi = parse_ok(b, o + 60);
	cr_assert(pi.frag);
	cr_assert(pi.frag_later);
	cr_assert_not(pi.has_icmp);
	/* last fragment: offset, no MF */
	t_ip4(b, o, "100.64.0.2", "100.64.0.9", IPPROTO_UDP, 64, 0x00b9, 40);
	pi = parse_ok(b, o + 60);
	cr_assert(pi.frag && pi.frag_later);
	/* DF alone is no fragment */
	t_ip4(b, o, "100.64.0.2", "100.64.0.9", IPPROTO_UDP, 64, 0x4000, 40);
	cr_assert_not(parse_ok(b, o + 60).frag);

	/* IPv6 fragment header, first and later fragment */
	o = t_eth(b, mac_b, mac_a, PKT_ETH_P_IPV6);
	o = t_ip6(b, o, "fd6c:6d00::2", "fd6c:6d00::9", IPPROTO_FRAGMENT, 64,
		  8 + 16);
	memset(b + o, 0, 24);
	b[o] = IPPROTO_ICMPV6;
	frame_put16(b + o + 2, 0x0001);	/* offset 0, M */
	b[o + 8] = 128;
	pi = parse_ok(b, o + 24);
	cr_assert(pi.frag);
	cr_assert_not(pi.frag_later);
	cr_assert_eq(pi.l4_proto, IPPROTO_ICMPV6);
	cr_assert_eq(pi.l4_off, o + 8);
	cr_assert(pi.has_icmp);
	frame_put16(b + o + 2, 0x00b8);	/* offset 23 * 8 */
	pi = parse_ok(b, o + 24);
	cr_assert(pi.frag_later);
	cr_assert_not(pi.has_icmp);
	cr_assert_eq(pi.l4_proto, IPPROTO_ICMPV6);
	/* the fragment header itself cut short */
	frame_put16(b + 24 + 4, 4);
	parse_bad(b, o + 4, PKT_R_IP6_EXTHDR);
}

Test(pkt, reason_names)
{
	for (int i = 0; i < PKT_R__COUNT; i++) {
		const char *a = pkt_reason_name((enum pkt_reason)i);

		cr_assert_not_null(a);
		cr_assert_str_neq(a, "unknown", "reason %d has no name", i);
		for (int j = 0; j < i; j++)
			cr_assert_str_neq(a,
					  pkt_reason_name((enum pkt_reason)j),
					  "reasons %d and %d share a name", i,
					  j);
	}
	cr_assert_str_eq(pkt_reason_name(PKT_R_OK), "ok");
	cr_assert_str_eq(pkt_reason_name(PKT_R__COUNT), "unknown");
	cr_assert_str_eq(pkt_reason_name((enum pkt_reason)-1), "unknown");
}

/* ---- TTL and Ethernet rewriting ---- */

Test(pkt, ttl_expiry)
{
	uint8_t b[256], c[256];
	size_t n;
	struct pkt_info pi;

	for (unsigned ttl = 0; ttl <= 1; ttl++) {
		n = t_udp4(b, "100.64.0.2", "100.64.0.9", 10, (uint8_t)ttl);
		memcpy(c, b, n);
		pi = parse_ok(b, n);
		cr_assert_eq(pi.ttl, ttl);
		cr_assert_not(pkt_ttl_decrement(b, &pi), "ttl %u did not expire",
			      ttl);
		cr_assert_eq(memcmp(b, c, n), 0, "expired frame changed");
		cr_assert_eq(pi.ttl, ttl);
	}
	n = t_tcp(b, true, 5, 10);
	for (unsigned hop = 0; hop <= 1; hop++) {
		b[24 + 7] = (uint8_t)hop;
		memcpy(c, b, n);
		pi = parse_ok(b, n);
		cr_assert_not(pkt_ttl_decrement(b, &pi));
		cr_assert_eq(memcmp(b, c, n), 0);
	}
}

/* Every TTL from 2 to 255, many headers: checksum stays right. */
Test(pkt, ttl_decrement_checksum)
{
	uint8_t b[256];
	uint32_t x = 7;

	for (unsigned ttl = 2; ttl <= 255; ttl++) {
		for (int k = 0; k < 50; k++) {
			size_t n = t_udp4(b, "100.64.0.2", "100.64.0.9", 10,
					  (uint8_t)ttl);
			struct pkt_info pi;
			uint8_t *ip = b + 24;

			x = x * 1664525 + 1013904223;
			frame_put16(ip + 4, x >> 16);	/* identification */
			ip[1] = (uint8_t)x;		/* TOS */
			ip[9] = (uint8_t)(x >> 8);	/* protocol */
			frame_ip4_csum(ip);
			pi = parse_ok(b, n);
			cr_assert(pkt_ttl_decrement(b, &pi));
			cr_assert_eq(ip[8], ttl - 1);
			cr_assert_eq(pi.ttl, ttl - 1);
			cr_assert_eq(frame_sum(ip, 20, 0), 0xffff,
				     "ttl %u: bad checksum", ttl);
			parse_ok(b, n);
		}
	}
	/* IPv6: just the hop limit */
	{
		size_t n = t_tcp(b, true, 5, 10);
		struct pkt_info pi = parse_ok(b, n);

		cr_assert(pkt_ttl_decrement(b, &pi));
		cr_assert_eq(b[24 + 7], 63);
		cr_assert_eq(pi.ttl, 63);
	}
}

/* A super-frame with a partial L4 sum keeps it valid through the hop. */
Test(pkt, ttl_decrement_gso)
{
	static uint8_t b[70000];
	size_t n = t_tcp(b, false, 5, 30000);
	struct pkt_info pi;
	uint8_t tcp_before[20];

	t_vnet(b, PKT_VNET_F_NEEDS_CSUM, PKT_GSO_TCPV4, 54, 1448, 34, 16);
	memcpy(tcp_before, b + 44, 20);
	pi = parse_ok(b, n);
	cr_assert(pkt_ttl_decrement(b, &pi));
	cr_assert_eq(frame_sum(b + 24, 20, 0), 0xffff);
	cr_assert_eq(memcmp(tcp_before, b + 44, 20), 0);
	pi = parse_ok(b, n);
	cr_assert_eq(pi.gso_segs, 21);
}

Test(pkt, eth_set)
{
	uint8_t b[256];
	size_t n = t_udp4(b, "100.64.0.2", "100.64.0.9", 10, 64);
	uint8_t tap[6] = { 0x9e, 1, 2, 3, 4, 5 }, node[6];

	addr_mac(1, node);
	pkt_eth_set(b, tap, node);
	cr_assert_arr_eq(b + 10, tap, 6);
	cr_assert_arr_eq(b + 16, node, 6);
	cr_assert_eq(b[22], 0x08);
	parse_ok(b, n);
}

/* ---- fuzz ---- */

static uint64_t fz_state = 0x9e3779b97f4a7c15ull;

static uint32_t fz(void)
{
	fz_state ^= fz_state << 13;
	fz_state ^= fz_state >> 7;
	fz_state ^= fz_state << 17;
	return (uint32_t)(fz_state >> 16);
}

/* Replies built by arp, ndp, icmp errors, echo: each must happen. */
static unsigned fz_built[5];

/* A built reply must itself parse, with a correct checksum. */
static void fz_check_built(const uint8_t *o, size_t n, int who)
{
	struct pkt_info pi;

	if (!n)
		return;
	fz_built[who]++;
	cr_assert(parse_exact(o, n, &pi), "built frame refused: %s",
		  pkt_reason_name(pi.why));
	if (pi.kind != PKT_ARP)
		cr_assert(pkt_l4_csum_ok(o, &pi), "built frame bad checksum");
}

static void fz_invariants(const uint8_t *b, size_t len,
			  const struct pkt_info *pi)
{
	cr_assert_eq(pi->len, len);
	cr_assert_eq(pi->l3_off + pi->l3_len + pi->trailer, len);
	if (pi->kind != PKT_ARP) {
		cr_assert(pi->l4_off >= pi->l3_off + 20);
		cr_assert_eq(pi->l4_off + pi->l4_len, pi->l3_off + pi->l3_len);
	}
	cr_assert(pi->gso_segs >= 1);
	cr_assert(pi->wire_len >= len - PKT_VNET_LEN - pi->trailer);
	if (pi->gso_type != PKT_GSO_NONE)
		cr_assert(pi->seg_hdr_len <= len - PKT_VNET_LEN);
	(void)b;
}

/* Every consumer of a parsed frame, on a frame of exactly len bytes. */
static void fz_consume(const uint8_t *src, size_t len)
{
	static uint8_t out[PKT_BUF_MAX];
	uint8_t *b = malloc(len ? len : 1);
	struct pkt_info pi;
	enum pkt_reason why;
	size_t n;

	cr_assert_not_null(b);
	memcpy(b, src, len);
	if (!pkt_parse(b, len, &pi)) {
		cr_assert(pi.why > PKT_R_OK && pi.why <= PKT_R_L4_TRUNC,
			  "parser reason %d", pi.why);
		free(b);
		return;
	}
	fz_invariants(b, len, &pi);
	pkt_l4_csum_ok(b, &pi);
	fz_check_built(out, arp_reply(b, &pi, fz() % 4, 1 + fz() % 16, out,
				      sizeof(out), &why), 0);
	fz_check_built(out, ndp_reply(b, &pi, fz() % 4, 1 + fz() % 16, out,
				      sizeof(out), &why), 1);
	for (int k = ICMP_TIME_EXCEEDED; k <= ICMP_TOO_BIG; k++)
		fz_check_built(out, icmp_error(b, &pi, (enum icmp_kind)k,
					       fz() % 16, 1500, out,
					       sizeof(out), &why), 2);
	/* the templates' echo requests go to node 3 */
	n = icmp_echo_reply(b, &pi, fz() % 4 ? 3 : fz() % 16, out,
			    sizeof(out), &why);
	if (n)
		cr_assert(n <= len);
	fz_check_built(out, n, 3);
	/* every segment of a super-frame is a frame the parser accepts */
	for (uint32_t i = 0; pi.gso_type != PKT_GSO_NONE && i < pi.gso_segs;
	     i++) {
		struct pkt_info seg;

		n = gso_segment(b, &pi, i, out, sizeof(out));
		cr_assert_eq(n, gso_segment_len(&pi, i));
		cr_assert(n > 0 && parse_exact(out, n, &seg),
			  "segment %u of %u refused: %s", i, pi.gso_segs,
			  pkt_reason_name(seg.why));
		fz_built[4]++;
	}
	pkt_ttl_decrement(b, &pi);
	if (pi.kind == PKT_IP4 || pi.kind == PKT_IP6) {
		struct pkt_info again;

		cr_assert(pkt_parse(b, len, &again),
			  "refused after the TTL decrement: %s",
			  pkt_reason_name(again.why));
	}
	free(b);
}

/* Valid frames of every kind to mutate. */
static size_t fz_template(uint8_t *b, unsigned which)
{
	size_t o, n;

	switch (which % 9) {
	case 0:
		return t_udp4(b, "100.64.0.2", "100.64.0.5", fz() % 200, 64);
	case 1:
		n = t_tcp(b, false, 5 + fz() % 11, fz() % 3000);
		t_vnet(b, PKT_VNET_F_NEEDS_CSUM, PKT_GSO_TCPV4, 54,
		       (uint16_t)(1 + fz() % 1500), 34, 16);
		return n;
	case 2:
		n = t_tcp(b, true, 5, fz() % 3000);
		t_vnet(b, PKT_VNET_F_NEEDS_CSUM, PKT_GSO_TCPV6, 74,
		       (uint16_t)(1 + fz() % 1500), 54, 16);
		return n;
	case 3:	/* echo request v4 to node 3 */
		o = t_eth(b, mac_b, mac_a, PKT_ETH_P_IP);
		n = 8 + fz() % 100;
		o = t_ip4(b, o, "100.64.0.2", "100.64.0.4", IPPROTO_ICMP, 64,
			  0, n);
		memset(b + o, 0xa5, n);
		b[o] = 8;
		b[o + 1] = 0;
		frame_put16(b + o + 2, 0);
		frame_put16(b + o + 2, ~frame_sum(b + o, n, 0) & 0xffff);
		return o + n;
	case 4:	/* echo request v6 to node 3 */
		o = t_eth(b, mac_b, mac_a, PKT_ETH_P_IPV6);
		n = 8 + fz() % 100;
		o = t_ip6(b, o, "fd6c:6d00::2", "fd6c:6d00::4", IPPROTO_ICMPV6,
			  64, n);
		memset(b + o, 0x5a, n);
		b[o] = 128;
		b[o + 1] = 0;
		frame_l4_csum(b + 24, b + o, n, 2, IPPROTO_ICMPV6);
		return o + n;
	case 5:	/* neighbour solicitation for node 3 */
		o = t_eth(b, (const uint8_t[]){ 0x33, 0x33, 0xff, 0, 0, 4 },
			  mac_a, PKT_ETH_P_IPV6);
		o = t_ip6(b, o, "fd6c:6d00::2", "ff02::1:ff00:4",
			  IPPROTO_ICMPV6, 255, 32);
		memset(b + o, 0, 32);
		b[o] = 135;
		inet_pton(AF_INET6, "fd6c:6d00::4", b + o + 8);
		b[o + 24] = 1;
		b[o + 25] = 1;
		memcpy(b + o + 26, mac_a, 6);
		frame_l4_csum(b + 24, b + o, 32, 2, IPPROTO_ICMPV6);
		return o + 32;
	case 6:	/* ARP request for node 3 */
		o = t_eth(b, mac_bcast, mac_a, PKT_ETH_P_ARP);
		memset(b + o, 0, 28);
		frame_put16(b + o, 1);
		frame_put16(b + o + 2, PKT_ETH_P_IP);
		b[o + 4] = 6;
		b[o + 5] = 4;
		frame_put16(b + o + 6, 1);
		memcpy(b + o + 8, mac_a, 6);
		inet_pton(AF_INET, "100.64.0.2", b + o + 14);
		inet_pton(AF_INET, "100.64.0.4", b + o + 24);
		return o + 28;
	case 7:	/* MLD report behind hop-by-hop */
		o = t_eth(b, (const uint8_t[]){ 0x33, 0x33, 0, 0, 0, 0x16 },
			  mac_a, PKT_ETH_P_IPV6);
		o = t_ip6(b, o, "fd6c:6d00::2", "ff02::16", IPPROTO_HOPOPTS,
			  1, 8 + 28);
		memset(b + o, 0, 36);
		b[o] = IPPROTO_ICMPV6;
		b[o + 2] = 5;	/* router alert */
		b[o + 3] = 2;
		b[o + 8] = 143;
		return o + 36;
	default:	/* first IPv4 fragment with TTL 1 */
		o = t_eth(b, mac_b, mac_a, PKT_ETH_P_IP);
		o = t_ip4(b, o, "100.64.0.2", "100.64.0.9", IPPROTO_UDP, 1,
			  0x2000, 64);
		memset(b + o, 3, 64);
		return o + 64;
	}
}

Test(pkt, fuzz_100k, .timeout = 300)
{
	static uint8_t b[BIG];
	unsigned accepted = 0;

	for (unsigned iter = 0; iter < 100000; iter++) {
		size_t len;

		if (iter % 10 == 0) {
			/* pure noise, mostly short */
			len = fz() % (iter % 1000 == 0 ? BIG : 200);
			for (size_t i = 0; i < len; i++)
				b[i] = (uint8_t)fz();
		} else {
			unsigned flips = 1 + fz() % 4;

			len = fz_template(b, iter);
			for (unsigned f = 0; f < flips; f++) {
				uint32_t r = fz();

				switch (r % 5) {
				case 0:	/* flip a bit */
					b[fz() % len] ^=
						(uint8_t)(1u << (r >> 8) % 8);
					break;
				case 1:	/* random byte */
					b[fz() % len] = (uint8_t)(r >> 8);
					break;
				case 2:	/* truncate */
					len = fz() % (len + 1);
					if (!len)
						len = 1;
					break;
				case 3:	/* grow with noise */
					for (unsigned k = fz() % 64; k; k--)
						b[len++] = (uint8_t)fz();
					break;
				default:	/* random vnet header */
					for (int k = 0; k < 10; k++)
						b[k] = (uint8_t)fz();
					break;
				}
			}
		}
		{
			struct pkt_info pi;

			if (parse_exact(b, len, &pi))
				accepted++;
		}
		fz_consume(b, len);
	}
	/* mutations must leave a good share valid, or the test is hollow */
	cr_assert(accepted > 10000, "only %u frames accepted", accepted);
	cr_log_info("fuzz: %u of 100000 accepted; built %u ARP, %u NA, "
		    "%u ICMP errors, %u echo replies, %u segments", accepted,
		    fz_built[0], fz_built[1], fz_built[2], fz_built[3],
		    fz_built[4]);
	for (int k = 0; k < 5; k++)
		cr_assert(fz_built[k] > 100, "builder %d: only %u frames", k,
			  fz_built[k]);
}
