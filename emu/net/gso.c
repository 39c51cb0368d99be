// SPDX-License-Identifier: MIT
/* gso.c - cut a GSO super-frame into the frames the receiving kernel would make */
/*
 * A TAP with offloads hands us TCP (TSO) and UDP (USO) super-frames of up
 * to 64 KiB; the kernel that receives one cuts it into gso_size pieces.
 * Where a link loses packets, the forwarder cuts it here instead, so that
 * each segment meets the link's loss on its own, as on a real link: a
 * super-frame lost whole would make TCP lose tens of segments at once
 * (docs/design.md, "The data plane").
 *
 * The arithmetic is that of the kernel's inet_gso_segment(),
 * ipv6_gso_segment(), tcp_gso_segment() and __udp_gso_segment(): headers
 * copied, lengths and the IPv4 id per segment, sequence numbers advanced,
 * flags that belong to the end (FIN, PSH) or the start (CWR) of the data
 * kept only there. pkt_parse() has checked every header this reads.
 */
#include <string.h>

#include "emu/net/csum.h"
#include "emu/net/gso.h"

#define GSO_TCP_FIN 0x01
#define GSO_TCP_PSH 0x08
#define GSO_TCP_CWR 0x80

static uint32_t gso_payload(const struct pkt_info *pi)
{
	return pi->l4_len - pi->l4_hdr_len;
}

size_t gso_segment_len(const struct pkt_info *pi, uint32_t i)
{
	uint32_t payload = gso_payload(pi), off;

	if (pi->gso_type == PKT_GSO_NONE || i >= pi->gso_segs)
		return 0;
	off = i * (uint32_t)pi->gso_size;
	if (off > payload)
		return 0;
	payload -= off;
	if (payload > pi->gso_size)
		payload = pi->gso_size;
	return pi->l4_off + pi->l4_hdr_len + payload;
}

static void gso_vnet16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));	/* host byte order (pkt.h) */
}

/* The L4 checksum of the segment's l4 bytes at th: partial or full. */
static void gso_l4_csum(uint8_t *th, uint32_t l4, const struct pkt_info *pi,
			bool partial)
{
	uint8_t *field = th + (pi->l4_proto == IPPROTO_TCP ? 16 : 6);
	uint32_t sum;
	uint16_t v;

	if (pi->kind == PKT_IP4)
		sum = csum_pseudo_v4(pi->src4, pi->dst4, pi->l4_proto, l4);
	else
		sum = csum_pseudo_v6(&pi->src6, &pi->dst6, pi->l4_proto, l4);
	if (partial) {
		/* what the kernel leaves for the device: the folded sum */
		pkt_put16(field, (uint16_t)~csum_fold(sum));
		return;
	}
	pkt_put16(field, 0);
	v = csum_fold(csum_add(sum, th, l4));
	if (v == 0 && pi->l4_proto == IPPROTO_UDP)
		v = 0xffff;	/* RFC 768: 0 would mean "no checksum" */
	pkt_put16(field, v);
}

size_t gso_segment(const uint8_t *buf, const struct pkt_info *pi, uint32_t i,
		   uint8_t *out, size_t cap)
{
	size_t len = gso_segment_len(pi, i);
	uint32_t hdr = pi->l4_off + pi->l4_hdr_len;
	uint32_t seg = (uint32_t)len - hdr, l4 = pi->l4_hdr_len + seg;
	uint8_t *ip = out + pi->l3_off, *th = out + pi->l4_off;
	bool accecn = buf[1] & PKT_GSO_ACCECN;

	if (!len || len > cap)
		return 0;
	memcpy(out, buf, hdr);
	memcpy(out + hdr, buf + hdr + (size_t)i * pi->gso_size, seg);

	out[0] = pi->vnet_flags;
	out[1] = PKT_GSO_NONE;
	gso_vnet16(out + 2, 0);		/* hdr_len */
	gso_vnet16(out + 4, 0);		/* gso_size */

	if (pi->kind == PKT_IP4) {
		uint32_t ihl = pi->l4_off - pi->l3_off;

		pkt_put16(ip + 2, (uint16_t)(ihl + l4));
		pkt_put16(ip + 4, (uint16_t)(pkt_get16(ip + 4) + i));
		pkt_put16(ip + 10, 0);
		pkt_put16(ip + 10, csum_fold(csum_add(0, ip, ihl)));
	} else {
		uint32_t ext = pi->l4_off - pi->l3_off - 40;

		pkt_put16(ip + 4, (uint16_t)(ext + l4));
	}

	if (pi->l4_proto == IPPROTO_TCP) {
		uint32_t seq = pkt_get32(th + 4) + i * (uint32_t)pi->gso_size;

		pkt_put32(th + 4, seq);
		if (i + 1 < pi->gso_segs)
			th[13] &= (uint8_t)~(GSO_TCP_FIN | GSO_TCP_PSH);
		if (i > 0 && !accecn)
			th[13] &= (uint8_t)~GSO_TCP_CWR;
	} else {
		pkt_put16(th + 4, (uint16_t)l4);
	}
	gso_l4_csum(th, l4, pi, pi->vnet_flags & PKT_VNET_F_NEEDS_CSUM);
	return len;
}
