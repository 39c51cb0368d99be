// SPDX-License-Identifier: MIT
/* test_ndp.c - neighbour advertisements for mesh addresses (RFC 4861) */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "emu/net/addr.h"
#include "emu/net/ndp.h"
#include "emu/net/pkt.h"
#include "tests/lib/frame.h"

#define NNODES 100

static const uint8_t tap_mac[6] = { 0x5a, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const struct frame_responder ndp = { PKT_NDP, ndp_reply, NNODES };

/* Sum of the ICMPv6 message of the IPv6 packet at ip with its pseudo-header. */
static uint32_t t_icmp6_sum(const uint8_t *ip)
{
	return frame_l4_sum(ip, ip + 40, frame_get16(ip + 4), 58);
}

static void t_icmp6_csum(uint8_t *ip)
{
	frame_l4_csum(ip, ip + 40, frame_get16(ip + 4), 2, 58);
}

/* Multicast MAC of an IPv6 group (RFC 2464 7). */
static void t_mcast_mac(uint8_t mac[6], const uint8_t *group)
{
	mac[0] = mac[1] = 0x33;
	memcpy(mac + 2, group + 12, 4);
}

/*
 * A neighbour solicitation for target from src to dst (NULL: the target's
 * solicited-node group), with or without a source link-layer option.
 */
static size_t t_ns(uint8_t *b, const char *src, const char *dst,
		   const char *target, bool slla)
{
	uint8_t *ip = b + 24, *m = ip + 40;
	size_t len = 24 + (slla ? 8 : 0);

	memset(b, 0, 24 + 40 + len);
	memcpy(b + 16, tap_mac, 6);
	b[22] = 0x86;
	b[23] = 0xdd;
	ip[0] = 0x60;
	ip[5] = (uint8_t)len;
	ip[6] = 58;
	ip[7] = 255;
	inet_pton(AF_INET6, src, ip + 8);
	inet_pton(AF_INET6, target, m + 8);
	if (dst) {
		inet_pton(AF_INET6, dst, ip + 24);
	} else {
		static const uint8_t sn[13] = { 0xff, 0x02, [11] = 1,
						[12] = 0xff };

		memcpy(ip + 24, sn, 13);
		memcpy(ip + 24 + 13, m + 8 + 13, 3);
	}
	if (ip[24] == 0xff)
		t_mcast_mac(b + 10, ip + 24);
	else
		addr_mac(0, b + 10);
	m[0] = 135;
	if (slla) {
		m[24] = 1;
		m[25] = 1;
		memcpy(m + 26, tap_mac, 6);
	}
	t_icmp6_csum(ip);
	return 24 + 40 + len;
}

/* Check an advertisement for target node t sent to dst/dst_mac. */
static void check_na(const uint8_t *out, size_t m, uint32_t t,
		     const char *dst, const uint8_t dst_mac[6])
{
	const uint8_t *ip = out + 24, *a = ip + 40;
	uint8_t mac[6], zero[PKT_VNET_LEN] = { 0 };
	struct in6_addr tgt = addr_v6(t), d;
	struct pkt_info pi;

	addr_mac(t, mac);
	inet_pton(AF_INET6, dst, &d);
	cr_assert_eq(m, NDP_NA_LEN);
	cr_assert_eq(m, 10 + 14 + 40 + 32);
	cr_assert_arr_eq(out, zero, PKT_VNET_LEN);
	cr_assert_arr_eq(out + 10, dst_mac, 6);
	cr_assert_arr_eq(out + 16, mac, 6);
	cr_assert_eq(out[22] << 8 | out[23], 0x86dd);
	/* IPv6: version 6, class 0, flow 0, 32 bytes, ICMPv6, hop limit 255 */
	cr_assert_eq(ip[0], 0x60);
	cr_assert_eq(ip[1] | ip[2] | ip[3], 0);
	cr_assert_eq(ip[4] << 8 | ip[5], 32);
	cr_assert_eq(ip[6], 58);
	cr_assert_eq(ip[7], 255);
	cr_assert_arr_eq(ip + 8, &tgt, 16, "source is not the target");
	cr_assert_arr_eq(ip + 24, &d, 16, "not sent to the solicitor");
	/* RFC 4861 4.4: type 136, code 0, R=0 S=1 O=1, reserved 0, target */
	cr_assert_eq(a[0], 136);
	cr_assert_eq(a[1], 0);
	cr_assert_eq(t_icmp6_sum(ip), 0xffff, "ICMPv6 checksum");
	cr_assert_eq(a[4], 0x60, "flags %02x", a[4]);
	cr_assert_eq(a[5] | a[6] | a[7], 0);
	cr_assert_arr_eq(a + 8, &tgt, 16);
	/* target link-layer address option: type 2, 1 unit of 8 bytes */
	cr_assert_eq(a[24], 2);
	cr_assert_eq(a[25], 1);
	cr_assert_arr_eq(a + 26, mac, 6);
	cr_assert(pkt_parse(out, m, &pi), "NA refused: %s",
		  pkt_reason_name(pi.why));
	cr_assert_eq(pi.kind, PKT_NDP);
	cr_assert_eq(pi.icmp_type, 136);
	cr_assert(pkt_l4_csum_ok(out, &pi));
}

Test(ndp, solicited_node)
{
	struct in6_addr a, e, m;

	inet_pton(AF_INET6, "fd6c:6d00::abc:def1", &a);
	inet_pton(AF_INET6, "ff02::1:ffbc:def1", &e);
	m = ndp_solicited_node(&a);
	cr_assert_arr_eq(&m, &e, 16);
}

/* Address resolution: to the solicited-node group, with SLLA. */
Test(ndp, advert_multicast)
{
	uint8_t b[256], out[256];
	enum pkt_reason why = PKT_R__COUNT;
	size_t n = t_ns(b, "fd6c:6d00::2", NULL, "fd6c:6d00::2a", true);
	size_t m = frame_reply(&ndp, b, n, 1, out, sizeof(out), &why);

	cr_assert_eq(why, PKT_R_OK);
	check_na(out, m, 41, "fd6c:6d00::2", tap_mac);
}

/* Unreachability detection: unicast to the target, no SLLA. */
Test(ndp, advert_unicast)
{
	uint8_t b[256], out[256];
	enum pkt_reason why;
	size_t n = t_ns(b, "fd6c:6d00::2", "fd6c:6d00::2a", "fd6c:6d00::2a",
			false);
	size_t m = frame_reply(&ndp, b, n, 1, out, sizeof(out), &why);

	check_na(out, m, 41, "fd6c:6d00::2", tap_mac);
}

/* The kernel may solicit from its link-local address. */
Test(ndp, advert_to_link_local)
{
	uint8_t b[256], out[256];
	enum pkt_reason why;
	size_t n = t_ns(b, "fe80::5811:22ff:fe33:4455", NULL, "fd6c:6d00::64",
			true);
	size_t m = frame_reply(&ndp, b, n, 1, out, sizeof(out), &why);

	check_na(out, m, 99, "fe80::5811:22ff:fe33:4455", tap_mac);
}

/* Extra options (a nonce, RFC 3971) are skipped. */
Test(ndp, other_options)
{
	uint8_t b[256], out[256];
	enum pkt_reason why;
	size_t n = t_ns(b, "fd6c:6d00::2", NULL, "fd6c:6d00::2a", true);
	uint8_t *ip = b + 24;

	ip[5] = 24 + 8 + 8;
	memset(b + n, 0, 8);
	b[n] = 14;		/* nonce option */
	b[n + 1] = 1;
	t_icmp6_csum(ip);
	check_na(out,
		 frame_reply(&ndp, b, n + 8, 1, out, sizeof(out), &why),
		 41, "fd6c:6d00::2", tap_mac);
}

Test(ndp, invalid_solicitations)
{
	uint8_t b[256];
	size_t n;

	n = t_ns(b, "fd6c:6d00::2", NULL, "fd6c:6d00::2a", true);
	b[24 + 7] = 64;		/* hop limit */
	frame_refused(&ndp, b, n, 1, PKT_R_NDP_BAD);
	n = t_ns(b, "fd6c:6d00::2", NULL, "fd6c:6d00::2a", true);
	b[24 + 41] = 1;		/* code */
	t_icmp6_csum(b + 24);
	frame_refused(&ndp, b, n, 1, PKT_R_NDP_BAD);
	n = t_ns(b, "fd6c:6d00::2", NULL, "fd6c:6d00::2a", true);
	b[24 + 43] ^= 1;	/* checksum */
	frame_refused(&ndp, b, n, 1, PKT_R_NDP_BAD);
	n = t_ns(b, "fd6c:6d00::2", "fd6c:6d00::2a", "ff02::1", true);
	frame_refused(&ndp, b, n, 1, PKT_R_NDP_BAD);	/* multicast target */
	n = t_ns(b, "fd6c:6d00::2", NULL, "fd6c:6d00::2a", true);
	b[24 + 40 + 25] = 0;	/* option of length 0 */
	t_icmp6_csum(b + 24);
	frame_refused(&ndp, b, n, 1, PKT_R_NDP_BAD);
	n = t_ns(b, "fd6c:6d00::2", NULL, "fd6c:6d00::2a", true);
	b[24 + 40 + 25] = 2;	/* option runs past the message */
	t_icmp6_csum(b + 24);
	frame_refused(&ndp, b, n, 1, PKT_R_NDP_BAD);
	/* message shorter than 24 bytes */
	n = t_ns(b, "fd6c:6d00::2", NULL, "fd6c:6d00::2a", false);
	b[24 + 5] = 20;
	t_icmp6_csum(b + 24);
	frame_refused(&ndp, b, n - 4, 1, PKT_R_NDP_BAD);
	/* to neither the target nor its solicited-node group */
	n = t_ns(b, "fd6c:6d00::2", "ff02::1", "fd6c:6d00::2a", true);
	frame_refused(&ndp, b, n, 1, PKT_R_NDP_BAD);
	n = t_ns(b, "fd6c:6d00::2", "fd6c:6d00::2b", "fd6c:6d00::2a", true);
	frame_refused(&ndp, b, n, 1, PKT_R_NDP_BAD);
}

Test(ndp, not_answered)
{
	uint8_t b[256];
	size_t n;

	/* duplicate address detection of the node's own address */
	n = t_ns(b, "::", NULL, "fd6c:6d00::2", false);
	frame_refused(&ndp, b, n, 1, PKT_R_NDP_DAD);
	n = t_ns(b, "::", NULL, "fd6c:6d00::2a", false);
	frame_refused(&ndp, b, n, 1, PKT_R_NDP_DAD);
	/* DAD with a source link-layer option is invalid */
	n = t_ns(b, "::", NULL, "fd6c:6d00::2a", true);
	frame_refused(&ndp, b, n, 1, PKT_R_NDP_BAD);
	/* DAD not to the solicited-node group is invalid */
	n = t_ns(b, "::", "fd6c:6d00::2a", "fd6c:6d00::2a", false);
	frame_refused(&ndp, b, n, 1, PKT_R_NDP_BAD);
	/* outside the mesh, beyond its size, itself */
	n = t_ns(b, "fd6c:6d00::2", NULL, "fd00::2a", true);
	frame_refused(&ndp, b, n, 1, PKT_R_NDP_NOT_MESH);
	n = t_ns(b, "fd6c:6d00::2", NULL, "fd6c:6d00::65", true);
	frame_refused(&ndp, b, n, 1, PKT_R_NDP_NOT_MESH);
	n = t_ns(b, "fe80::1", NULL, "fe80::2", true);
	frame_refused(&ndp, b, n, 1, PKT_R_NDP_NOT_MESH);
	n = t_ns(b, "fe80::1", NULL, "fd6c:6d00::2", true);
	frame_refused(&ndp, b, n, 1, PKT_R_NDP_SELF);
	/* a TAP of no node gets node 1 answered */
	{
		uint8_t out[256];
		enum pkt_reason why;

		cr_assert_eq(frame_reply(&ndp, b, n, ADDR_NONE, out,
					 sizeof(out), &why),
			     NDP_NA_LEN);
		cr_assert_eq(frame_reply(&ndp, b, n, 1, out, NDP_NA_LEN - 1,
					 &why),
			     0);
		cr_assert_eq(why, PKT_R_NDP_SELF);
		cr_assert_eq(frame_reply(&ndp, b, n, 2, out, NDP_NA_LEN - 1,
					 &why),
			     0);
		cr_assert_eq(why, PKT_R_NO_ROOM);
	}
}

/* Other NDP and MLD messages are counted, never answered. */
Test(ndp, other_messages)
{
	static const struct {
		uint8_t type;
		enum pkt_reason r;
	} c[] = {
		{ 133, PKT_R_NDP_RS }, { 134, PKT_R_NDP_RA },
		{ 136, PKT_R_NDP_NA }, { 137, PKT_R_NDP_REDIRECT },
		{ 130, PKT_R_MLD }, { 131, PKT_R_MLD }, { 132, PKT_R_MLD },
		{ 143, PKT_R_MLD },
	};
	uint8_t b[256];

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		size_t n = t_ns(b, "fd6c:6d00::2", "ff02::2", "fd6c:6d00::2a",
				true);

		b[24 + 40] = c[i].type;
		t_icmp6_csum(b + 24);
		frame_refused(&ndp, b, n, 1, c[i].r);
	}
}

/* An MLDv2 report as Linux sends it: behind a hop-by-hop header. */
Test(ndp, mld_behind_hop_by_hop)
{
	uint8_t b[256];
	uint8_t *ip = b + 24, *h = ip + 40;

	memset(b, 0, sizeof(b));
	b[10] = b[11] = 0x33;
	b[15] = 0x16;
	memcpy(b + 16, tap_mac, 6);
	b[22] = 0x86;
	b[23] = 0xdd;
	ip[0] = 0x60;
	ip[5] = 8 + 28;
	ip[6] = 0;		/* hop-by-hop */
	ip[7] = 1;
	inet_pton(AF_INET6, "fe80::1", ip + 8);
	inet_pton(AF_INET6, "ff02::16", ip + 24);
	h[0] = 58;
	h[2] = 5;		/* router alert */
	h[3] = 2;
	h[8] = 143;
	frame_refused(&ndp, b, 24 + 40 + 36, 1, PKT_R_MLD);
}

Test(ndp, not_ndp)
{
	uint8_t b[256], out[256];
	enum pkt_reason why;
	struct pkt_info pi;
	size_t n = t_ns(b, "fd6c:6d00::2", NULL, "fd6c:6d00::2a", true);

	cr_assert(pkt_parse(b, n, &pi));
	pi.kind = PKT_IP6;
	cr_assert_eq(ndp_reply(b, &pi, 1, NNODES, out, sizeof(out), &why), 0);
	cr_assert_eq(why, PKT_R_BAD_ARG);
}
