// SPDX-License-Identifier: MIT
/* ndp.c - answer IPv6 neighbour solicitations for every mesh address */
/*
 * The IPv6 twin of arp.c: the tapped node's interface holds a /64 of the
 * plan, so the kernel solicits every mesh address it talks to and the
 * emulator advertises each node's MAC (RFC 4861 7.2.4). Nothing else of
 * NDP is spoken: there is no router on the link (every mesh address is
 * on-link), so router solicitations go unanswered and the kernel simply
 * never learns a default route; MLD reports are dropped because the
 * emulator forwards no multicast.
 */
#include <string.h>

#include "emu/net/addr.h"
#include "emu/net/csum.h"
#include "emu/net/ndp.h"

#define NDP_RS 133
#define NDP_RA 134
#define NDP_NS 135
#define NDP_NA 136
#define NDP_REDIRECT 137
#define NDP_OPT_SLLA 1
#define NDP_OPT_TLLA 2
#define NDP_NA_F_SOLICITED 0x40000000u
#define NDP_NA_F_OVERRIDE 0x20000000u

static size_t ndp_refuse(enum pkt_reason *why, enum pkt_reason r)
{
	*why = r;
	return 0;
}

struct in6_addr ndp_solicited_node(const struct in6_addr *a)
{
	struct in6_addr m;

	memset(&m, 0, sizeof(m));
	m.s6_addr[0] = 0xff;
	m.s6_addr[1] = 0x02;
	m.s6_addr[11] = 0x01;
	m.s6_addr[12] = 0xff;
	memcpy(m.s6_addr + 13, a->s6_addr + 13, 3);
	return m;
}

static bool ndp_is_unspecified(const struct in6_addr *a)
{
	static const struct in6_addr any;

	return memcmp(a, &any, sizeof(any)) == 0;
}

/*
 * RFC 4861 7.1.1: what a node must check before acting on a solicitation.
 * Returns true if it is valid; *slla tells whether it carries a source
 * link-layer address option.
 */
static bool ndp_ns_valid(const uint8_t *buf, const struct pkt_info *pi,
			 bool *slla)
{
	const uint8_t *m = buf + pi->l4_off;
	uint32_t off;

	*slla = false;
	if (pi->ttl != 255 || pi->icmp_code != 0 || pi->l4_len < 24 ||
	    pi->frag)
		return false;
	if (!pkt_l4_csum_ok(buf, pi))
		return false;
	if (m[8] == 0xff)		/* target multicast */
		return false;
	for (off = 24; off < pi->l4_len;) {
		uint32_t olen;

		if (off + 2 > pi->l4_len)
			return false;
		olen = m[off + 1] * 8u;
		if (olen == 0 || off + olen > pi->l4_len)
			return false;
		if (m[off] == NDP_OPT_SLLA)
			*slla = true;
		off += olen;
	}
	return true;
}

size_t ndp_reply(const uint8_t *buf, const struct pkt_info *pi, uint32_t self,
		 uint32_t nnodes, uint8_t *out, size_t cap,
		 enum pkt_reason *why)
{
	struct in6_addr target, sn;
	uint8_t mac[6], *e, *ip, *na;
	uint32_t sum;
	int32_t node;
	bool slla;

	if (pi->kind != PKT_NDP || !pi->has_icmp)
		return ndp_refuse(why, PKT_R_BAD_ARG);
	switch (pi->icmp_type) {
	case NDP_NS:
		break;
	case NDP_RS:
		return ndp_refuse(why, PKT_R_NDP_RS);
	case NDP_RA:
		return ndp_refuse(why, PKT_R_NDP_RA);
	case NDP_NA:
		return ndp_refuse(why, PKT_R_NDP_NA);
	case NDP_REDIRECT:
		return ndp_refuse(why, PKT_R_NDP_REDIRECT);
	default:	/* 130-132, 143: MLD */
		return ndp_refuse(why, PKT_R_MLD);
	}

	if (!ndp_ns_valid(buf, pi, &slla))
		return ndp_refuse(why, PKT_R_NDP_BAD);
	memcpy(target.s6_addr, buf + pi->l4_off + 8, 16);
	sn = ndp_solicited_node(&target);
	if (ndp_is_unspecified(&pi->src6)) {
		/* DAD: must go to the solicited-node group, without SLLA */
		if (slla || memcmp(&pi->dst6, &sn, sizeof(sn)) != 0)
			return ndp_refuse(why, PKT_R_NDP_BAD);
		return ndp_refuse(why, PKT_R_NDP_DAD);
	}
	if (memcmp(&pi->dst6, &sn, sizeof(sn)) != 0 &&
	    memcmp(&pi->dst6, &target, sizeof(target)) != 0)
		return ndp_refuse(why, PKT_R_NDP_BAD);
	node = addr_node_v6(&target, nnodes);
	if (node < 0)
		return ndp_refuse(why, PKT_R_NDP_NOT_MESH);
	if ((uint32_t)node == self)
		return ndp_refuse(why, PKT_R_NDP_SELF);
	if (cap < NDP_NA_LEN)
		return ndp_refuse(why, PKT_R_NO_ROOM);

	addr_mac((uint32_t)node, mac);
	memset(out, 0, NDP_NA_LEN);
	e = out + PKT_VNET_LEN;
	memcpy(e, buf + PKT_VNET_LEN + 6, 6);	/* to the soliciting MAC */
	memcpy(e + 6, mac, 6);
	pkt_put16(e + 12, PKT_ETH_P_IPV6);

	ip = e + PKT_ETH_LEN;
	ip[0] = 0x60;
	pkt_put16(ip + 4, 24 + 8);
	ip[6] = IPPROTO_ICMPV6;
	ip[7] = 255;
	memcpy(ip + 8, target.s6_addr, 16);
	memcpy(ip + 24, pi->src6.s6_addr, 16);

	na = ip + 40;
	na[0] = NDP_NA;
	na[1] = 0;
	pkt_put32(na + 4, NDP_NA_F_SOLICITED | NDP_NA_F_OVERRIDE);
	memcpy(na + 8, target.s6_addr, 16);
	na[24] = NDP_OPT_TLLA;
	na[25] = 1;
	memcpy(na + 26, mac, 6);
	sum = csum_pseudo_v6(&target, &pi->src6, IPPROTO_ICMPV6, 24 + 8);
	pkt_put16(na + 2, csum_fold(csum_add(sum, na, 24 + 8)));
	*why = PKT_R_OK;
	return NDP_NA_LEN;
}
