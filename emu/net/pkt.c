// SPDX-License-Identifier: MIT
/* pkt.c - parse frames read from a TAP (virtio-net header + Ethernet) */
/*
 * The parser trusts nothing: every length in a header is checked against
 * the bytes actually read before anything behind it is looked at, and the
 * first problem found is the reason recorded. It checks what a router must
 * (RFC 1812 5.2.2 for IPv4: version, IHL, total length, header checksum)
 * and what the receiving kernel would refuse in a virtio-net header
 * (tun_get_user(), virtio_net_hdr_to_skb()), so that a frame passed through
 * to another TAP is never one that the kernel rejects there.
 *
 * Not checked, because a router does not: L4 checksums of forwarded
 * packets (pkt_l4_csum_ok() is there for packets the emulator answers),
 * IPv4 options, the order of IPv6 extension headers.
 */
#include <string.h>

#include "emu/net/csum.h"
#include "emu/net/pkt.h"

#define PKT_ARP_LEN 28
#define PKT_IP4_HDR 20
#define PKT_IP6_HDR 40
#define PKT_MAX_EXTHDRS 16

static const char *const pkt_reason_names[PKT_R__COUNT] = {
	[PKT_R_OK] = "ok",
	[PKT_R_RUNT] = "runt",
	[PKT_R_OVERSIZE] = "oversize",
	[PKT_R_VNET_FLAGS] = "vnet_flags",
	[PKT_R_VNET_GSO_TYPE] = "vnet_gso_type",
	[PKT_R_VNET_GSO_SIZE] = "vnet_gso_size",
	[PKT_R_VNET_HDR_LEN] = "vnet_hdr_len",
	[PKT_R_VNET_CSUM] = "vnet_csum",
	[PKT_R_VNET_GSO_PROTO] = "vnet_gso_proto",
	[PKT_R_VLAN] = "vlan",
	[PKT_R_ETHERTYPE] = "ethertype",
	[PKT_R_ETH_SRC] = "eth_src",
	[PKT_R_MULTICAST] = "multicast",
	[PKT_R_ARP_MALFORMED] = "arp_malformed",
	[PKT_R_IP4_TRUNC] = "ip4_trunc",
	[PKT_R_IP4_VERSION] = "ip4_version",
	[PKT_R_IP4_IHL] = "ip4_ihl",
	[PKT_R_IP4_LEN] = "ip4_len",
	[PKT_R_IP4_CSUM] = "ip4_csum",
	[PKT_R_IP6_TRUNC] = "ip6_trunc",
	[PKT_R_IP6_VERSION] = "ip6_version",
	[PKT_R_IP6_LEN] = "ip6_len",
	[PKT_R_IP6_EXTHDR] = "ip6_exthdr",
	[PKT_R_IP_SRC] = "ip_src",
	[PKT_R_L4_TRUNC] = "l4_trunc",
	[PKT_R_ARP_NOT_REQUEST] = "arp_not_request",
	[PKT_R_ARP_PROBE] = "arp_probe",
	[PKT_R_ARP_GRATUITOUS] = "arp_gratuitous",
	[PKT_R_ARP_NOT_MESH] = "arp_not_mesh",
	[PKT_R_ARP_SELF] = "arp_self",
	[PKT_R_NDP_BAD] = "ndp_bad",
	[PKT_R_NDP_DAD] = "ndp_dad",
	[PKT_R_NDP_NOT_MESH] = "ndp_not_mesh",
	[PKT_R_NDP_SELF] = "ndp_self",
	[PKT_R_NDP_RS] = "ndp_rs",
	[PKT_R_NDP_RA] = "ndp_ra",
	[PKT_R_NDP_NA] = "ndp_na",
	[PKT_R_NDP_REDIRECT] = "ndp_redirect",
	[PKT_R_MLD] = "mld",
	[PKT_R_ICMP_NOT_IP] = "icmp_not_ip",
	[PKT_R_ICMP_ABOUT_ERROR] = "icmp_about_error",
	[PKT_R_ICMP_ABOUT_MCAST] = "icmp_about_mcast",
	[PKT_R_ICMP_ABOUT_SRC] = "icmp_about_src",
	[PKT_R_ICMP_ABOUT_FRAG] = "icmp_about_frag",
	[PKT_R_ICMP_CSUM] = "icmp_csum",
	[PKT_R_ECHO_NOT_REQUEST] = "echo_not_request",
	[PKT_R_ECHO_NOT_NODE] = "echo_not_node",
	[PKT_R_ECHO_FRAG] = "echo_frag",
	[PKT_R_ECHO_GSO] = "echo_gso",
	[PKT_R_BAD_ARG] = "bad_arg",
	[PKT_R_NO_ROOM] = "no_room",
};

const char *pkt_reason_name(enum pkt_reason r)
{
	if ((unsigned)r >= PKT_R__COUNT || !pkt_reason_names[r])
		return "unknown";
	return pkt_reason_names[r];
}

static bool pkt_fail(struct pkt_info *pi, enum pkt_reason r)
{
	pi->why = r;
	return false;
}

/* A virtio-net header field: host byte order (legacy, no TUNSETVNETLE). */
static uint16_t pkt_vnet16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * The virtio-net header on its own; what needs the packet (gso_type against
 * the protocol) is checked later by pkt_parse_gso().
 */
static bool pkt_parse_vnet(const uint8_t *buf, uint32_t flen,
			   struct pkt_info *pi)
{
	const uint8_t ecn = PKT_GSO_ECN | PKT_GSO_ACCECN;
	uint8_t gso = buf[1];

	pi->vnet_flags = buf[0];
	pi->gso_type = gso & (uint8_t)~ecn;
	pi->gso_ecn = gso & ecn;
	pi->hdr_len = pkt_vnet16(buf + 2);
	pi->gso_size = pkt_vnet16(buf + 4);
	pi->csum_start = pkt_vnet16(buf + 6);
	pi->csum_offset = pkt_vnet16(buf + 8);

	if (pi->vnet_flags & ~(PKT_VNET_F_NEEDS_CSUM | PKT_VNET_F_DATA_VALID))
		return pkt_fail(pi, PKT_R_VNET_FLAGS);
	switch (pi->gso_type) {
	case PKT_GSO_NONE:
	case PKT_GSO_UDP_L4:
		if (pi->gso_ecn)
			return pkt_fail(pi, PKT_R_VNET_GSO_TYPE);
		break;
	case PKT_GSO_TCPV4:
	case PKT_GSO_TCPV6:
		break;
	default:
		/*
		 * UFO (3) and UDP tunnels (0x20, 0x40) included: we never
		 * offer them to the kernel with TUNSETOFFLOAD.
		 */
		return pkt_fail(pi, PKT_R_VNET_GSO_TYPE);
	}
	if (pi->gso_type != PKT_GSO_NONE &&
	    (pi->gso_size == 0 || pi->gso_size == PKT_GSO_BY_FRAGS))
		return pkt_fail(pi, PKT_R_VNET_GSO_SIZE);
	if (pi->hdr_len > flen)
		return pkt_fail(pi, PKT_R_VNET_HDR_LEN);
	if ((pi->vnet_flags & PKT_VNET_F_NEEDS_CSUM) &&
	    (uint32_t)pi->csum_start + pi->csum_offset + 2 > flen)
		return pkt_fail(pi, PKT_R_VNET_CSUM);
	return true;
}

/* Ethernet/IPv4 ARP (RFC 826): fixed sizes, a unicast sender. */
static bool pkt_parse_arp(const uint8_t *buf, uint32_t avail,
			  struct pkt_info *pi)
{
	const uint8_t *p = buf + pi->l3_off;

	pi->kind = PKT_ARP;
	if (avail < PKT_ARP_LEN)
		return pkt_fail(pi, PKT_R_ARP_MALFORMED);
	if (pkt_get16(p) != 1 || pkt_get16(p + 2) != PKT_ETH_P_IP ||
	    p[4] != 6 || p[5] != 4)
		return pkt_fail(pi, PKT_R_ARP_MALFORMED);
	if (p[8] & 1)	/* sender hardware address multicast */
		return pkt_fail(pi, PKT_R_ARP_MALFORMED);
	pi->l3_len = PKT_ARP_LEN;
	pi->trailer = avail - PKT_ARP_LEN;
	return true;
}

static bool pkt_parse_ip4(const uint8_t *buf, uint32_t avail,
			  struct pkt_info *pi)
{
	const uint8_t *p = buf + pi->l3_off;
	uint32_t hl, tot, src, dst;
	uint16_t frag;

	pi->kind = PKT_IP4;
	if (avail < PKT_IP4_HDR)
		return pkt_fail(pi, PKT_R_IP4_TRUNC);
	if (p[0] >> 4 != 4)
		return pkt_fail(pi, PKT_R_IP4_VERSION);
	hl = (p[0] & 0x0f) * 4u;
	if (hl < PKT_IP4_HDR)
		return pkt_fail(pi, PKT_R_IP4_IHL);
	if (hl > avail)
		return pkt_fail(pi, PKT_R_IP4_TRUNC);
	tot = pkt_get16(p + 2);
	if (tot > avail || tot < hl)
		return pkt_fail(pi, PKT_R_IP4_LEN);
	if (csum_fold(csum_add(0, p, hl)) != 0)
		return pkt_fail(pi, PKT_R_IP4_CSUM);

	memcpy(&pi->src4.s_addr, p + 12, 4);
	memcpy(&pi->dst4.s_addr, p + 16, 4);
	src = pkt_get32(p + 12);
	dst = pkt_get32(p + 16);
	if ((src >> 28) == 0xe || src == 0xffffffffu)
		return pkt_fail(pi, PKT_R_IP_SRC);
	pi->l3_mcast = (dst >> 28) == 0xe || dst == 0xffffffffu;

	pi->l3_len = tot;
	pi->trailer = avail - tot;
	pi->ttl = p[8];
	pi->l4_proto = p[9];
	frag = pkt_get16(p + 6);
	pi->frag = frag & 0x3fff;	/* MF or a fragment offset */
	pi->frag_later = frag & 0x1fff;
	pi->l4_off = pi->l3_off + hl;
	pi->l4_len = tot - hl;
	if (!pi->frag_later && pi->l4_proto == IPPROTO_ICMP &&
	    pi->l4_len >= 4) {
		pi->has_icmp = true;
		pi->icmp_type = buf[pi->l4_off];
		pi->icmp_code = buf[pi->l4_off + 1];
	}
	return true;
}

/* ICMPv6 types that never leave the link: NDP (RFC 4861), MLD (RFC 3810). */
static bool pkt_icmp6_is_ndp(uint8_t type)
{
	return (type >= 130 && type <= 137) || type == 143;
}

/*
 * IPv6 (RFC 8200): the fixed header, then the extension headers up to the
 * upper-layer header, so that an ICMPv6 message behind a hop-by-hop header
 * (every MLD report has one) is found.
 */
static bool pkt_parse_ip6(const uint8_t *buf, uint32_t avail,
			  struct pkt_info *pi)
{
	const uint8_t *p = buf + pi->l3_off;
	uint32_t end, off = PKT_IP6_HDR, elen;
	uint8_t nh;
	int n;

	pi->kind = PKT_IP6;
	if (avail < PKT_IP6_HDR)
		return pkt_fail(pi, PKT_R_IP6_TRUNC);
	if (p[0] >> 4 != 6)
		return pkt_fail(pi, PKT_R_IP6_VERSION);
	end = PKT_IP6_HDR + pkt_get16(p + 4);
	if (end > avail)
		return pkt_fail(pi, PKT_R_IP6_LEN);
	memcpy(pi->src6.s6_addr, p + 8, 16);
	memcpy(pi->dst6.s6_addr, p + 24, 16);
	if (p[8] == 0xff)
		return pkt_fail(pi, PKT_R_IP_SRC);
	pi->l3_mcast = p[24] == 0xff;
	pi->l3_len = end;
	pi->trailer = avail - end;
	pi->ttl = p[7];

	nh = p[6];
	for (n = 0;; n++) {
		bool ext = true;

		if (n > PKT_MAX_EXTHDRS)
			return pkt_fail(pi, PKT_R_IP6_EXTHDR);
		switch (nh) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS:
			if (off + 2 > end)
				return pkt_fail(pi, PKT_R_IP6_EXTHDR);
			elen = (p[off + 1] + 1u) * 8;
			break;
		case IPPROTO_AH:
			if (off + 2 > end)
				return pkt_fail(pi, PKT_R_IP6_EXTHDR);
			elen = (p[off + 1] + 2u) * 4;
			break;
		case IPPROTO_FRAGMENT:
			elen = 8;
			if (off + elen > end)
				return pkt_fail(pi, PKT_R_IP6_EXTHDR);
			pi->frag = true;
			/* offset (13 bits, << 3) or M: a real fragment */
			pi->frag_later = pkt_get16(p + off + 2) & 0xfff8;
			break;
		default:
			ext = false;
			elen = 0;
			break;
		}
		if (!ext)
			break;
		if (off + elen > end)
			return pkt_fail(pi, PKT_R_IP6_EXTHDR);
		nh = p[off];
		off += elen;
		if (pi->frag_later)
			break;	/* the rest is a slice of the payload */
	}

	pi->l4_proto = nh;
	pi->l4_off = pi->l3_off + off;
	pi->l4_len = end - off;
	if (!pi->frag_later && nh == IPPROTO_ICMPV6 && pi->l4_len >= 4) {
		pi->has_icmp = true;
		pi->icmp_type = buf[pi->l4_off];
		pi->icmp_code = buf[pi->l4_off + 1];
		if (pkt_icmp6_is_ndp(pi->icmp_type))
			pi->kind = PKT_NDP;
	}
	return true;
}

/*
 * A GSO frame must be what its gso_type says (the receiving kernel's
 * segmentation would otherwise misparse it), have a whole TCP or UDP
 * header and, with a partial checksum, point csum_start at that header
 * and csum_offset at its checksum field, as virtio_net_hdr_to_skb()
 * demands (USO must have a partial checksum). Then count the segments it
 * becomes (the arithmetic of tcp_gso_segment()/__udp_gso_segment():
 * payload cut in gso_size pieces). Not checked: the kernel's limit on USO
 * segments (UDP_MAX_SEGMENTS, 64 or 128 depending on the version).
 */
static bool pkt_parse_gso(const uint8_t *buf, uint32_t flen,
			  struct pkt_info *pi)
{
	uint32_t payload;
	bool ok;

	if (pi->gso_type == PKT_GSO_NONE) {
		pi->gso_segs = 1;
		pi->wire_len = flen;
		return true;
	}
	switch (pi->gso_type) {
	case PKT_GSO_TCPV4:
		ok = pi->kind == PKT_IP4 && pi->l4_proto == IPPROTO_TCP;
		break;
	case PKT_GSO_TCPV6:
		ok = pi->kind == PKT_IP6 && pi->l4_proto == IPPROTO_TCP;
		break;
	default:	/* PKT_GSO_UDP_L4 */
		ok = (pi->kind == PKT_IP4 || pi->kind == PKT_IP6) &&
		     pi->l4_proto == IPPROTO_UDP;
		break;
	}
	if (!ok || pi->frag)
		return pkt_fail(pi, PKT_R_VNET_GSO_PROTO);

	if (pi->l4_proto == IPPROTO_TCP) {
		uint32_t doff;

		if (pi->l4_len < 20)
			return pkt_fail(pi, PKT_R_L4_TRUNC);
		doff = (buf[pi->l4_off + 12] >> 4) * 4u;
		if (doff < 20 || doff > pi->l4_len)
			return pkt_fail(pi, PKT_R_L4_TRUNC);
		pi->l4_hdr_len = doff;
	} else {
		if (pi->l4_len < 8)
			return pkt_fail(pi, PKT_R_L4_TRUNC);
		pi->l4_hdr_len = 8;
	}
	if (pi->vnet_flags & PKT_VNET_F_NEEDS_CSUM) {
		if (pi->csum_start != pi->l4_off - PKT_VNET_LEN ||
		    pi->csum_offset != (pi->l4_proto == IPPROTO_TCP ? 16 : 6))
			return pkt_fail(pi, PKT_R_VNET_CSUM);
	} else if (pi->gso_type == PKT_GSO_UDP_L4) {
		return pkt_fail(pi, PKT_R_VNET_CSUM);
	}
	pi->seg_hdr_len = pi->l4_off - PKT_VNET_LEN + pi->l4_hdr_len;
	payload = pi->l4_len - pi->l4_hdr_len;
	pi->gso_segs = payload ? (payload + pi->gso_size - 1) / pi->gso_size
			       : 1;
	pi->wire_len = pi->gso_segs * pi->seg_hdr_len + payload;
	return true;
}

bool pkt_parse(const uint8_t *buf, size_t len, struct pkt_info *pi)
{
	const uint8_t *eth = buf + PKT_VNET_LEN;
	uint32_t flen, avail;
	bool ok;

	memset(pi, 0, sizeof(*pi));
	if (len < PKT_VNET_LEN + PKT_ETH_LEN)
		return pkt_fail(pi, PKT_R_RUNT);
	if (len - PKT_VNET_LEN > PKT_FRAME_MAX)
		return pkt_fail(pi, PKT_R_OVERSIZE);
	pi->len = (uint32_t)len;
	flen = pi->len - PKT_VNET_LEN;
	if (!pkt_parse_vnet(buf, flen, pi))
		return false;

	pi->ethertype = pkt_get16(eth + 12);
	pi->l2_mcast = eth[0] & 1;
	if (eth[6] & 1)
		return pkt_fail(pi, PKT_R_ETH_SRC);
	pi->l3_off = PKT_VNET_LEN + PKT_ETH_LEN;
	avail = flen - PKT_ETH_LEN;
	switch (pi->ethertype) {
	case PKT_ETH_P_ARP:
		ok = pkt_parse_arp(buf, avail, pi);
		break;
	case PKT_ETH_P_IP:
		ok = pkt_parse_ip4(buf, avail, pi);
		break;
	case PKT_ETH_P_IPV6:
		ok = pkt_parse_ip6(buf, avail, pi);
		break;
	case 0x8100:	/* 802.1Q */
	case 0x88a8:	/* 802.1ad */
	case 0x9100:	/* old QinQ */
		return pkt_fail(pi, PKT_R_VLAN);
	default:
		return pkt_fail(pi, PKT_R_ETHERTYPE);
	}
	if (!ok)
		return false;

	if ((pi->l2_mcast || pi->l3_mcast) && pi->kind != PKT_ARP &&
	    pi->kind != PKT_NDP)
		return pkt_fail(pi, PKT_R_MULTICAST);
	if (pi->kind == PKT_ARP && pi->gso_type != PKT_GSO_NONE)
		return pkt_fail(pi, PKT_R_VNET_GSO_PROTO);
	if (!pkt_parse_gso(buf, flen, pi))
		return false;
	pi->why = PKT_R_OK;
	return true;
}

bool pkt_l4_csum_ok(const uint8_t *buf, const struct pkt_info *pi)
{
	const uint8_t *p = buf + pi->l4_off;
	uint32_t sum;

	if (pi->vnet_flags & (PKT_VNET_F_NEEDS_CSUM | PKT_VNET_F_DATA_VALID))
		return true;
	if (pi->kind == PKT_ARP || pi->frag)
		return false;
	switch (pi->l4_proto) {
	case IPPROTO_ICMP:
		if (pi->kind != PKT_IP4 || pi->l4_len < 4)
			return false;
		return csum_fold(csum_add(0, p, pi->l4_len)) == 0;
	case IPPROTO_ICMPV6:
		if (pi->kind == PKT_IP4 || pi->l4_len < 4)
			return false;
		break;
	case IPPROTO_TCP:
		if (pi->l4_len < 20)
			return false;
		break;
	case IPPROTO_UDP:
		if (pi->l4_len < 8)
			return false;
		/* RFC 768: zero means "no checksum" (IPv4 only) */
		if (pi->kind == PKT_IP4 && pkt_get16(p + 6) == 0)
			return true;
		break;
	default:
		return false;
	}
	if (pi->kind == PKT_IP4)
		sum = csum_pseudo_v4(pi->src4, pi->dst4, pi->l4_proto,
				     pi->l4_len);
	else
		sum = csum_pseudo_v6(&pi->src6, &pi->dst6, pi->l4_proto,
				     pi->l4_len);
	return csum_fold(csum_add(sum, p, pi->l4_len)) == 0;
}

bool pkt_ttl_decrement(uint8_t *buf, struct pkt_info *pi)
{
	uint8_t *p = buf + pi->l3_off;
	uint16_t old;

	switch (pi->kind) {
	case PKT_IP4:
		if (p[8] <= 1)
			return false;
		old = pkt_get16(p + 8);
		p[8]--;
		pkt_put16(p + 10, csum_replace16(pkt_get16(p + 10), old,
						 pkt_get16(p + 8)));
		pi->ttl = p[8];
		return true;
	case PKT_IP6:
		if (p[7] <= 1)
			return false;
		p[7]--;
		pi->ttl = p[7];
		return true;
	default:
		return true;
	}
}

void pkt_eth_set(uint8_t *buf, const uint8_t dst[6], const uint8_t src[6])
{
	memcpy(buf + PKT_ETH_DST_OFF, dst, 6);
	memcpy(buf + PKT_ETH_SRC_OFF, src, 6);
}
