// SPDX-License-Identifier: MIT
/* test_gso.c - software segmentation of GSO super-frames: valid frames out */
#include <arpa/inet.h>
#include <string.h>

#include <criterion/criterion.h>

#include "emu/net/gso.h"
#include "emu/net/pkt.h"
#include "tests/lib/frame.h"

#define V PKT_VNET_LEN
#define E PKT_ETH_LEN
#define TCP_FIN 0x01
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_CWR 0x80
#define SEQ0 0xfffff000u	/* wraps within the frame */
#define ID0 0xfffe		/* wraps too */

/* ---- checks of gso.c by tests/lib/frame.h's own checksum ---- */

static uint32_t t_pseudo(const uint8_t *ip, bool v6, uint8_t proto,
			 uint32_t len)
{
	uint8_t ph[40];

	if (!v6) {
		memcpy(ph, ip + 12, 8);
		return frame_sum(ph, 8, proto + len);
	}
	memcpy(ph, ip + 8, 32);
	return frame_sum(ph, 32, proto + len);
}

static uint32_t t_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void t_vnet16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static uint16_t t_vnet_get16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

/*
 * A super-frame: virtio-net header (gso type, size, NEEDS_CSUM or not),
 * Ethernet, IPv4 or IPv6, TCP (with 12 bytes of options) or UDP, payload
 * bytes i * 7 + 3. The L4 checksum field holds the kernel's partial sum of
 * the whole super-frame with NEEDS_CSUM, else the full checksum.
 */
static size_t t_super(uint8_t *b, bool v6, uint8_t proto, uint8_t gso_type,
		      uint16_t gso_size, bool partial, uint8_t flags,
		      size_t payload)
{
	uint8_t *eth = b + V, *ip = eth + E, *l4;
	size_t iph = v6 ? 40 : 20, l4h = proto == IPPROTO_TCP ? 32 : 8;
	size_t l4len = l4h + payload, n = V + E + iph + l4len;
	uint32_t s;

	memset(b, 0, n);
	b[0] = partial ? PKT_VNET_F_NEEDS_CSUM : 0;
	b[1] = gso_type;
	t_vnet16(b + 2, (uint16_t)(E + iph + l4h));
	t_vnet16(b + 4, gso_size);
	t_vnet16(b + 6, (uint16_t)(E + iph));
	t_vnet16(b + 8, proto == IPPROTO_TCP ? 16 : 6);
	memcpy(eth, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
	frame_put16(eth + 12, v6 ? 0x86dd : 0x0800);
	if (v6) {
		ip[0] = 0x60;
		frame_put16(ip + 4, (uint16_t)l4len);
		ip[6] = proto;
		ip[7] = 64;
		inet_pton(AF_INET6, "fd6c:6d00::2", ip + 8);
		inet_pton(AF_INET6, "fd6c:6d00::9", ip + 24);
	} else {
		ip[0] = 0x45;
		frame_put16(ip + 2, (uint16_t)(iph + l4len));
		frame_put16(ip + 4, ID0);
		frame_put16(ip + 6, 0x4000);
		ip[8] = 64;
		ip[9] = proto;
		inet_pton(AF_INET, "100.64.0.2", ip + 12);
		inet_pton(AF_INET, "100.64.0.9", ip + 16);
		frame_put16(ip + 10, (uint16_t)~frame_sum(ip, 20, 0));
	}
	l4 = ip + iph;
	frame_put16(l4, 40000);
	frame_put16(l4 + 2, 5201);
	if (proto == IPPROTO_TCP) {
		l4[4] = 0xff, l4[5] = 0xff, l4[6] = 0xf0, l4[7] = 0x00;
		l4[12] = (uint8_t)((l4h / 4) << 4);
		l4[13] = flags;
		frame_put16(l4 + 14, 512);
		for (size_t i = 20; i < l4h; i++)
			l4[i] = 1;	/* NOPs */
	} else {
		frame_put16(l4 + 4, (uint16_t)l4len);
	}
	for (size_t i = 0; i < payload; i++)
		l4[l4h + i] = (uint8_t)(i * 7 + 3);
	s = t_pseudo(ip, v6, proto, (uint32_t)l4len);
	if (partial)
		frame_put16(l4 + (proto == IPPROTO_TCP ? 16 : 6), (uint16_t)s);
	else
		frame_put16(l4 + 16, (uint16_t)~frame_sum(l4, l4len, s));
	return n;
}

/*
 * Check every segment of the super-frame b: a valid ordinary frame with
 * the right lengths, id, sequence number, flags, checksums and bytes.
 * Returns the flags of each segment in flags_out.
 */
static void t_check_segments(const uint8_t *b, size_t n, uint32_t want_segs,
			     uint8_t *flags_out)
{
	static uint8_t seg[70000];
	struct pkt_info pi, si;
	size_t iph, l4h, payload, done = 0;

	cr_assert(pkt_parse(b, n, &pi), "super-frame refused: %s",
		  pkt_reason_name(pi.why));
	cr_assert_eq(pi.gso_segs, want_segs);
	iph = pi.l4_off - pi.l3_off;
	l4h = pi.l4_hdr_len;
	payload = pi.l4_len - l4h;
	cr_assert_eq(gso_segment_len(&pi, want_segs), 0);
	for (uint32_t i = 0; i < want_segs; i++) {
		size_t len = gso_segment_len(&pi, i);
		size_t plen = payload - done < pi.gso_size ? payload - done :
							     pi.gso_size;
		const uint8_t *ip = seg + V + E, *l4 = ip + iph;
		bool v6 = pi.kind == PKT_IP6;
		uint8_t tmp[70000];
		uint32_t s;

		cr_assert_eq(len, V + E + iph + l4h + plen);
		cr_assert_eq(gso_segment(b, &pi, i, seg, len - 1), 0,
			     "wrote past cap");
		cr_assert_eq(gso_segment(b, &pi, i, seg, sizeof(seg)), len);
		cr_assert(pkt_parse(seg, len, &si), "segment %u refused: %s", i,
			  pkt_reason_name(si.why));
		cr_assert_eq(si.gso_type, PKT_GSO_NONE);
		cr_assert_eq(si.gso_segs, 1);
		cr_assert_eq(t_vnet_get16(seg + 4), 0);
		cr_assert_eq(seg[0], b[0], "vnet flags changed");
		cr_assert_eq(memcmp(seg + V, b + V, E), 0);
		if (v6) {
			cr_assert_eq(frame_get16(ip + 4), l4h + plen);
		} else {
			cr_assert_eq(frame_get16(ip + 2), iph + l4h + plen);
			cr_assert_eq(frame_get16(ip + 4), (uint16_t)(ID0 + i));
			cr_assert_eq(frame_sum(ip, iph, 0), 0xffff,
				     "segment %u: IPv4 header checksum", i);
		}
		if (si.l4_proto == IPPROTO_TCP) {
			cr_assert_eq(t_get32(l4 + 4),
				     SEQ0 + i * (uint32_t)pi.gso_size);
			flags_out[i] = l4[13];
			/* options copied */
			cr_assert_eq(memcmp(l4 + 20, b + pi.l4_off + 20,
					    l4h - 20), 0);
		} else {
			cr_assert_eq(frame_get16(l4 + 4), l4h + plen);
		}
		cr_assert_eq(memcmp(l4 + l4h, b + pi.l4_off + l4h + done,
				    plen), 0, "segment %u payload", i);
		/*
		 * The checksum: with NEEDS_CSUM complete it as a device
		 * would (sum from csum_start, field included); then the
		 * whole segment with its pseudo-header must sum to 0xffff.
		 */
		memcpy(tmp, l4, l4h + plen);
		if (seg[0] & PKT_VNET_F_NEEDS_CSUM) {
			size_t off = t_vnet_get16(seg + 8);

			cr_assert_eq(t_vnet_get16(seg + 6), E + iph);
			frame_put16(tmp + off,
				(uint16_t)~frame_sum(tmp, l4h + plen, 0));
		}
		s = t_pseudo(ip, v6, si.l4_proto, (uint32_t)(l4h + plen));
		cr_assert_eq(frame_sum(tmp, l4h + plen, s), 0xffff,
			     "segment %u: L4 checksum", i);
		done += plen;
	}
	cr_assert_eq(done, payload);
}

Test(gso, tcp4_partial_checksum)
{
	static uint8_t b[70000];
	uint8_t fl[64];
	size_t n = t_super(b, false, IPPROTO_TCP, PKT_GSO_TCPV4 | PKT_GSO_ECN,
			   1000, true, TCP_ACK | TCP_PSH | TCP_FIN | TCP_CWR,
			   2500);

	t_check_segments(b, n, 3, fl);
	cr_assert_eq(fl[0], TCP_ACK | TCP_CWR);
	cr_assert_eq(fl[1], TCP_ACK);
	cr_assert_eq(fl[2], TCP_ACK | TCP_PSH | TCP_FIN);
}

Test(gso, tcp6_full_checksum)
{
	static uint8_t b[70000];
	uint8_t fl[64];
	size_t n = t_super(b, true, IPPROTO_TCP, PKT_GSO_TCPV6, 1428, false,
			   TCP_ACK | TCP_PSH, 44 * 1428);

	t_check_segments(b, n, 44, fl);
	for (int i = 0; i < 43; i++)
		cr_assert_eq(fl[i], TCP_ACK, "segment %d", i);
	cr_assert_eq(fl[43], TCP_ACK | TCP_PSH);
}

/* AccECN uses CWR as a counter bit: the kernel keeps it on every segment. */
Test(gso, accecn_keeps_cwr)
{
	static uint8_t b[70000];
	uint8_t fl[64];
	size_t n = t_super(b, false, IPPROTO_TCP,
			   PKT_GSO_TCPV4 | PKT_GSO_ACCECN, 500, true,
			   TCP_ACK | TCP_CWR, 1200);

	t_check_segments(b, n, 3, fl);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(fl[i], TCP_ACK | TCP_CWR);
}

Test(gso, udp4_and_udp6)
{
	static uint8_t b[70000];
	uint8_t fl[64];
	size_t n;

	n = t_super(b, false, IPPROTO_UDP, PKT_GSO_UDP_L4, 1200, true, 0,
		    5000);
	t_check_segments(b, n, 5, fl);
	n = t_super(b, true, IPPROTO_UDP, PKT_GSO_UDP_L4, 1000, true, 0, 999);
	t_check_segments(b, n, 1, fl);
}

Test(gso, not_a_super_frame)
{
	static uint8_t b[70000], out[2048];
	struct pkt_info pi;
	size_t n = t_super(b, false, IPPROTO_TCP, PKT_GSO_NONE, 0, false,
			   TCP_ACK, 100);

	cr_assert(pkt_parse(b, n, &pi));
	cr_assert_eq(gso_segment_len(&pi, 0), 0);
	cr_assert_eq(gso_segment(b, &pi, 0, out, sizeof(out)), 0);
}
