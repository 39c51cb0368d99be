// SPDX-License-Identifier: MIT
/* icmp.c - ICMP and ICMPv6 errors and echo replies sent by mesh nodes */
/*
 * Every satellite and ground station answers like a router (RFC 1812
 * 4.3.2, RFC 4443 2.4) from its own address in the plan, so traceroute
 * shows the laser path hop by hop and a node without a TAP answers ping.
 *
 * Errors quote as much of the offending packet as fits in the minimum
 * MTU (576 bytes for IPv4 as RFC 1812 4.3.2.3 asks of routers, beyond the
 * IP header + 64 bits of RFC 792; 1280 for IPv6). A GSO super-frame never
 * existed on a real link: a router would have seen its first segment, so
 * that is what is quoted, with its lengths made to match.
 *
 * IPv4 datagrams built here are atomic (DF set, identification 0, RFC
 * 6864 4.1): they are never fragmented, so the identification is unused.
 */
#include <arpa/inet.h>
#include <string.h>

#include "emu/net/addr.h"
#include "emu/net/csum.h"
#include "emu/net/icmp.h"

#define ICMP_IP4_HDR 20
#define ICMP_IP6_HDR 40
#define ICMP_HDR 8
#define ICMP_TOS_INTERNETWORK_CONTROL 0xc0	/* RFC 1812 4.3.2.5 */

static size_t icmp_refuse(enum pkt_reason *why, enum pkt_reason r)
{
	*why = r;
	return 0;
}

/* ICMPv4 types that are not errors (RFC 792, 950, 1256). */
static bool icmp4_is_info(uint8_t type)
{
	switch (type) {
	case 0:		/* echo reply */
	case 8:		/* echo request */
	case 9:		/* router advertisement */
	case 10:	/* router solicitation */
	case 13:	/* timestamp */
	case 14:	/* timestamp reply */
	case 15:	/* information request */
	case 16:	/* information reply */
	case 17:	/* address mask request */
	case 18:	/* address mask reply */
		return true;
	default:
		return false;
	}
}

/* RFC 1812 4.3.2.7: the source must name one host. */
static bool icmp4_src_ok(struct in_addr a)
{
	uint32_t v = ntohl(a.s_addr);

	return (v >> 24) != 0 && (v >> 24) != 127 && (v >> 28) < 0xe;
}

/* RFC 4443 2.4(e): not the unspecified, loopback or a multicast address. */
static bool icmp6_src_ok(const struct in6_addr *a)
{
	static const struct in6_addr any;
	static const struct in6_addr loop = { .s6_addr = { [15] = 1 } };

	return memcmp(a, &any, sizeof(any)) != 0 &&
	       memcmp(a, &loop, sizeof(loop)) != 0 && a->s6_addr[0] != 0xff;
}

/*
 * Virtio-net header (zero), Ethernet and IP header of a packet from node
 * from to the source of pi carrying l4_len bytes of ICMP. Returns where
 * the ICMP message goes.
 */
static uint8_t *icmp_headers(const uint8_t *buf, const struct pkt_info *pi,
			     uint32_t from, uint8_t tos, uint32_t l4_len,
			     uint8_t *out)
{
	uint8_t *e = out + PKT_VNET_LEN, *ip = e + PKT_ETH_LEN;
	uint8_t mac[6];

	memset(out, 0, PKT_VNET_LEN);
	addr_mac(from, mac);
	memcpy(e, buf + PKT_VNET_LEN + 6, 6);
	memcpy(e + 6, mac, 6);
	if (pi->kind == PKT_IP4) {
		struct in_addr src = addr_v4(from);

		pkt_put16(e + 12, PKT_ETH_P_IP);
		ip[0] = 0x45;
		ip[1] = tos;
		pkt_put16(ip + 2, (uint16_t)(ICMP_IP4_HDR + l4_len));
		pkt_put16(ip + 4, 0);
		pkt_put16(ip + 6, 0x4000);	/* DF */
		ip[8] = ICMP_TTL;
		ip[9] = IPPROTO_ICMP;
		pkt_put16(ip + 10, 0);
		memcpy(ip + 12, &src.s_addr, 4);
		memcpy(ip + 16, &pi->src4.s_addr, 4);
		pkt_put16(ip + 10, csum_fold(csum_add(0, ip, ICMP_IP4_HDR)));
		return ip + ICMP_IP4_HDR;
	} else {
		struct in6_addr src = addr_v6(from);

		pkt_put16(e + 12, PKT_ETH_P_IPV6);
		pkt_put32(ip, 6u << 28 | (uint32_t)tos << 20);
		pkt_put16(ip + 4, (uint16_t)l4_len);
		ip[6] = IPPROTO_ICMPV6;
		ip[7] = ICMP_TTL;
		memcpy(ip + 8, src.s6_addr, 16);
		memcpy(ip + 24, pi->src6.s6_addr, 16);
		return ip + ICMP_IP6_HDR;
	}
}

/* Fill in the checksum of the ICMP message m of l4_len bytes. */
static void icmp_checksum(uint8_t *m, uint32_t l4_len, bool v6)
{
	uint32_t sum = 0;

	pkt_put16(m + 2, 0);
	if (v6) {
		const uint8_t *ip = m - ICMP_IP6_HDR;
		struct in6_addr s, d;

		memcpy(s.s6_addr, ip + 8, 16);
		memcpy(d.s6_addr, ip + 24, 16);
		sum = csum_pseudo_v6(&s, &d, IPPROTO_ICMPV6, l4_len);
	}
	pkt_put16(m + 2, csum_fold(csum_add(sum, m, l4_len)));
}

/* Type and code of kind for IPv4 or IPv6; false for no such kind. */
static bool icmp_type_code(enum icmp_kind kind, bool v6, uint8_t *type,
			   uint8_t *code)
{
	static const uint8_t v4[][2] = {
		[ICMP_TIME_EXCEEDED] = { 11, 0 },
		[ICMP_NET_UNREACH] = { 3, 0 },
		[ICMP_HOST_UNREACH] = { 3, 1 },
		[ICMP_TOO_BIG] = { 3, 4 },
	};
	static const uint8_t v6t[][2] = {
		[ICMP_TIME_EXCEEDED] = { 3, 0 },
		[ICMP_NET_UNREACH] = { 1, 0 },
		[ICMP_HOST_UNREACH] = { 1, 3 },
		[ICMP_TOO_BIG] = { 2, 0 },
	};

	if ((unsigned)kind > ICMP_TOO_BIG)
		return false;
	*type = v6 ? v6t[kind][0] : v4[kind][0];
	*code = v6 ? v6t[kind][1] : v4[kind][1];
	return true;
}

size_t icmp_error(const uint8_t *buf, const struct pkt_info *pi,
		  enum icmp_kind kind, uint32_t from, uint32_t mtu,
		  uint8_t *out, size_t cap, enum pkt_reason *why)
{
	bool v6 = pi->kind == PKT_IP6;
	uint32_t first, room, quote, l4_len, total;
	uint8_t type, code, *m, *q;

	if (pi->kind != PKT_IP4 && pi->kind != PKT_IP6)
		return icmp_refuse(why, PKT_R_ICMP_NOT_IP);
	if (!icmp_type_code(kind, v6, &type, &code))
		return icmp_refuse(why, PKT_R_BAD_ARG);
	if (kind == ICMP_TOO_BIG &&
	    (v6 ? mtu < 1280 : (mtu < 68 || mtu > 65535)))
		return icmp_refuse(why, PKT_R_BAD_ARG);
	if (pi->l2_mcast || pi->l3_mcast)
		return icmp_refuse(why, PKT_R_ICMP_ABOUT_MCAST);
	if (v6 ? !icmp6_src_ok(&pi->src6) : !icmp4_src_ok(pi->src4))
		return icmp_refuse(why, PKT_R_ICMP_ABOUT_SRC);
	if (pi->frag_later)
		return icmp_refuse(why, PKT_R_ICMP_ABOUT_FRAG);
	if (!v6 && pi->l4_proto == IPPROTO_ICMP &&
	    (!pi->has_icmp || !icmp4_is_info(pi->icmp_type)))
		return icmp_refuse(why, PKT_R_ICMP_ABOUT_ERROR);
	if (v6 && pi->l4_proto == IPPROTO_ICMPV6 &&
	    (!pi->has_icmp || pi->icmp_type < 128))
		return icmp_refuse(why, PKT_R_ICMP_ABOUT_ERROR);

	first = pi->l3_len;
	if (pi->gso_type != PKT_GSO_NONE &&
	    pi->seg_hdr_len - PKT_ETH_LEN + pi->gso_size < first)
		first = pi->seg_hdr_len - PKT_ETH_LEN + pi->gso_size;
	room = (v6 ? ICMP_V6_ERR_MAX - ICMP_IP6_HDR
		   : ICMP_V4_ERR_MAX - ICMP_IP4_HDR) - ICMP_HDR;
	quote = first < room ? first : room;
	l4_len = ICMP_HDR + quote;
	total = PKT_VNET_LEN + PKT_ETH_LEN +
		(v6 ? ICMP_IP6_HDR : ICMP_IP4_HDR) + l4_len;
	if (cap < total)
		return icmp_refuse(why, PKT_R_NO_ROOM);

	m = icmp_headers(buf, pi, from,
			 v6 ? 0 : ICMP_TOS_INTERNETWORK_CONTROL, l4_len, out);
	m[0] = type;
	m[1] = code;
	pkt_put32(m + 4, 0);
	if (kind == ICMP_TOO_BIG) {
		if (v6)
			pkt_put32(m + 4, mtu);
		else
			pkt_put16(m + 6, (uint16_t)mtu);
	}
	q = m + ICMP_HDR;
	memcpy(q, buf + pi->l3_off, quote);
	if (first != pi->l3_len) {
		/* the first segment of a super-frame, as a router saw it */
		if (v6) {
			pkt_put16(q + 4, (uint16_t)(first - ICMP_IP6_HDR));
		} else {
			uint32_t hl = (q[0] & 0x0f) * 4u;

			pkt_put16(q + 2, (uint16_t)first);
			pkt_put16(q + 10, 0);
			pkt_put16(q + 10, csum_fold(csum_add(0, q, hl)));
		}
	}
	icmp_checksum(m, l4_len, v6);
	*why = PKT_R_OK;
	return total;
}

bool icmp_is_echo_request(const struct pkt_info *pi)
{
	if (!pi->has_icmp || pi->icmp_code != 0)
		return false;
	if (pi->kind == PKT_IP4)
		return pi->icmp_type == 8;
	if (pi->kind == PKT_IP6)
		return pi->icmp_type == 128;
	return false;
}

size_t icmp_echo_reply(const uint8_t *buf, const struct pkt_info *pi,
		       uint32_t from, uint8_t *out, size_t cap,
		       enum pkt_reason *why)
{
	bool v6 = pi->kind == PKT_IP6;
	const uint8_t *ip = buf + pi->l3_off;
	uint32_t total;
	uint8_t tos, *m;

	if (pi->kind != PKT_IP4 && pi->kind != PKT_IP6)
		return icmp_refuse(why, PKT_R_ICMP_NOT_IP);
	if (pi->frag)
		return icmp_refuse(why, PKT_R_ECHO_FRAG);
	if (!icmp_is_echo_request(pi))
		return icmp_refuse(why, PKT_R_ECHO_NOT_REQUEST);
	if (pi->gso_type != PKT_GSO_NONE)
		return icmp_refuse(why, PKT_R_ECHO_GSO);
	if (pi->l4_len < ICMP_HDR)
		return icmp_refuse(why, PKT_R_L4_TRUNC);
	if (pi->l2_mcast || pi->l3_mcast)
		return icmp_refuse(why, PKT_R_ICMP_ABOUT_MCAST);
	if (v6) {
		struct in6_addr me = addr_v6(from);

		if (memcmp(&me, &pi->dst6, sizeof(me)) != 0)
			return icmp_refuse(why, PKT_R_ECHO_NOT_NODE);
		if (!icmp6_src_ok(&pi->src6))
			return icmp_refuse(why, PKT_R_ICMP_ABOUT_SRC);
		tos = (uint8_t)(pkt_get16(ip) >> 4);
	} else {
		if (addr_v4(from).s_addr != pi->dst4.s_addr)
			return icmp_refuse(why, PKT_R_ECHO_NOT_NODE);
		if (!icmp4_src_ok(pi->src4))
			return icmp_refuse(why, PKT_R_ICMP_ABOUT_SRC);
		tos = ip[1];
	}
	if (!pkt_l4_csum_ok(buf, pi))
		return icmp_refuse(why, PKT_R_ICMP_CSUM);
	total = PKT_VNET_LEN + PKT_ETH_LEN +
		(v6 ? ICMP_IP6_HDR : ICMP_IP4_HDR) + pi->l4_len;
	if (cap < total)
		return icmp_refuse(why, PKT_R_NO_ROOM);

	m = icmp_headers(buf, pi, from, tos, pi->l4_len, out);
	memcpy(m, buf + pi->l4_off, pi->l4_len);
	m[0] = v6 ? 129 : 0;
	m[1] = 0;
	icmp_checksum(m, pi->l4_len, v6);
	*why = PKT_R_OK;
	return total;
}
