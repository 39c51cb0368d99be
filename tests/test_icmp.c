// SPDX-License-Identifier: MIT
/* test_icmp.c - ICMP errors and echo replies: layout, quotes, checksums */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "emu/net/addr.h"
#include "emu/net/icmp.h"
#include "emu/net/pkt.h"
#include "tests/lib/frame.h"

static const uint8_t tap_mac[6] = { 0x5a, 0x11, 0x22, 0x33, 0x44, 0x55 };

/*
 * Frame from node 1 (100.64.0.2 / fd6c:6d00::2, MAC tap_mac) to node 9:
 * IP version v, protocol proto, hop limit ttl, l4 bytes of payload
 * patterned; returns its length. The L4 header is up to the caller.
 */
static size_t t_frame(uint8_t *b, int v, uint8_t proto, uint8_t ttl,
		      size_t l4)
{
	uint8_t *ip = b + 24;
	size_t hl = v == 4 ? 20 : 40;

	memset(b, 0, 24 + hl);
	addr_mac(9, b + 10);
	memcpy(b + 16, tap_mac, 6);
	if (v == 4) {
		b[22] = 0x08;
		ip[0] = 0x45;
		frame_put16(ip + 2, 20 + l4);
		frame_put16(ip + 4, 0xbeef);
		frame_put16(ip + 6, 0x4000);
		ip[8] = ttl;
		ip[9] = proto;
		inet_pton(AF_INET, "100.64.0.2", ip + 12);
		inet_pton(AF_INET, "100.64.0.10", ip + 16);
		frame_ip4_csum(ip);
	} else {
		b[22] = 0x86;
		b[23] = 0xdd;
		ip[0] = 0x60;
		frame_put16(ip + 4, l4);
		ip[6] = proto;
		ip[7] = ttl;
		inet_pton(AF_INET6, "fd6c:6d00::2", ip + 8);
		inet_pton(AF_INET6, "fd6c:6d00::a", ip + 24);
	}
	for (size_t i = 0; i < l4; i++)
		ip[hl + i] = (uint8_t)(i * 13 + 5);
	return 24 + hl + l4;
}

/* An echo request of n data bytes (IPv4 or IPv6) to node 9. */
static size_t t_echo(uint8_t *b, int v, size_t n)
{
	size_t len = t_frame(b, v, v == 4 ? 1 : 58, 64, 8 + n);
	uint8_t *ip = b + 24, *m = ip + (v == 4 ? 20 : 40);

	m[0] = v == 4 ? 8 : 128;
	m[1] = 0;
	frame_put16(m + 4, 0x1234);	/* identifier */
	frame_put16(m + 6, 7);	/* sequence */
	frame_put16(m + 2, 0);
	if (v == 4)
		frame_put16(m + 2, ~frame_sum(m, 8 + n, 0) & 0xffff);
	else
		frame_put16(m + 2, ~frame_l4_sum(ip, m, 8 + n, 58) & 0xffff);
	return len;
}

static struct pkt_info parse_ok(const uint8_t *b, size_t n)
{
	struct pkt_info pi;

	cr_assert(pkt_parse(b, n, &pi), "refused: %s",
		  pkt_reason_name(pi.why));
	return pi;
}

/*
 * Check the headers of a built frame: from node `from` to node 1 (the
 * original source), TTL 64, checksums right; returns the ICMP message.
 */
static const uint8_t *check_reply(const uint8_t *out, size_t m, int v,
				  uint32_t from, size_t *icmp_len)
{
	const uint8_t *ip = out + 24;
	uint8_t mac[6], zero[PKT_VNET_LEN] = { 0 };
	struct pkt_info pi;

	addr_mac(from, mac);
	cr_assert_arr_eq(out, zero, PKT_VNET_LEN);
	cr_assert_arr_eq(out + 10, tap_mac, 6, "not to the sender's MAC");
	cr_assert_arr_eq(out + 16, mac, 6, "not from the node's MAC");
	if (v == 4) {
		struct in_addr s = addr_v4(from), d = addr_v4(1);

		cr_assert_eq(frame_get16(out + 22), 0x0800);
		cr_assert_eq(ip[0], 0x45);
		cr_assert_eq(frame_get16(ip + 2), m - 24);
		cr_assert_eq(frame_get16(ip + 6), 0x4000, "DF, no fragment");
		cr_assert_eq(ip[8], 64);
		cr_assert_eq(ip[9], 1);
		cr_assert_eq(frame_sum(ip, 20, 0), 0xffff,
			     "IPv4 header checksum");
		cr_assert_arr_eq(ip + 12, &s, 4);
		cr_assert_arr_eq(ip + 16, &d, 4);
		*icmp_len = m - 24 - 20;
		cr_assert_eq(frame_sum(ip + 20, *icmp_len, 0), 0xffff,
			     "ICMP checksum");
		cr_assert(m - 24 <= ICMP_V4_ERR_MAX || ip[20] == 0);
	} else {
		struct in6_addr s = addr_v6(from), d = addr_v6(1);

		cr_assert_eq(frame_get16(out + 22), 0x86dd);
		cr_assert_eq(ip[0] >> 4, 6);
		cr_assert_eq(frame_get16(ip + 4), m - 24 - 40);
		cr_assert_eq(ip[6], 58);
		cr_assert_eq(ip[7], 64);
		cr_assert_arr_eq(ip + 8, &s, 16);
		cr_assert_arr_eq(ip + 24, &d, 16);
		*icmp_len = m - 24 - 40;
		cr_assert_eq(frame_l4_sum(ip, ip + 40, *icmp_len, 58), 0xffff,
			     "ICMPv6 checksum");
		cr_assert(m - 24 <= ICMP_V6_ERR_MAX || ip[40] == 129);
	}
	/* the frame built is one the parser takes, checksum included */
	cr_assert(pkt_parse(out, m, &pi), "built frame refused: %s",
		  pkt_reason_name(pi.why));
	cr_assert(pkt_l4_csum_ok(out, &pi));
	return ip + (v == 4 ? 20 : 40);
}

static size_t error(const uint8_t *b, size_t n, enum icmp_kind k,
		    uint32_t from, uint32_t mtu, uint8_t *out, size_t cap,
		    enum pkt_reason *why)
{
	struct pkt_info pi = parse_ok(b, n);

	return icmp_error(b, &pi, k, from, mtu, out, cap, why);
}

static void error_refused(const uint8_t *b, size_t n, enum icmp_kind k,
			  enum pkt_reason r)
{
	uint8_t out[ICMP_ERR_BUF];
	enum pkt_reason why = PKT_R_OK;

	cr_assert_eq(error(b, n, k, 4, 1500, out, sizeof(out), &why), 0);
	cr_assert_eq(why, r, "reason %s, expected %s", pkt_reason_name(why),
		     pkt_reason_name(r));
}

/* A small UDP packet with TTL 1 at node 4: time exceeded quotes it all. */
Test(icmp, time_exceeded_v4)
{
	uint8_t b[256], out[ICMP_ERR_BUF];
	size_t n = t_frame(b, 4, 17, 1, 8 + 20), len;
	struct pkt_info pi = parse_ok(b, n);
	enum pkt_reason why;
	const uint8_t *m;
	size_t o;

	cr_assert_not(pkt_ttl_decrement(b, &pi), "TTL 1 must expire");
	o = icmp_error(b, &pi, ICMP_TIME_EXCEEDED, 4, 0, out, sizeof(out),
		       &why);
	cr_assert_eq(why, PKT_R_OK);
	cr_assert_eq(o, 24 + 20 + 8 + 20 + 28);
	m = check_reply(out, o, 4, 4, &len);
	cr_assert_eq(out[24 + 1], 0xc0, "TOS internetwork control");
	cr_assert_eq(m[0], 11);
	cr_assert_eq(m[1], 0);
	cr_assert_eq(m[4] | m[5] | m[6] | m[7], 0, "unused must be 0");
	/* the quote is the packet as received: TTL 1, header checksum */
	cr_assert_arr_eq(m + 8, b + 24, 48);
	cr_assert_eq(m[8 + 8], 1);
}

/* A large packet: IP header + as much as fits in 576 bytes. */
Test(icmp, quote_limit_v4)
{
	uint8_t b[2048], out[ICMP_ERR_BUF];
	size_t n = t_frame(b, 4, 6, 64, 1480), len;
	enum pkt_reason why;
	size_t o = error(b, n, ICMP_NET_UNREACH, 4, 0, out, sizeof(out), &why);
	const uint8_t *m = check_reply(out, o, 4, 4, &len);

	cr_assert_eq(o - 24, ICMP_V4_ERR_MAX);
	cr_assert_eq(len, 8 + 548);
	cr_assert_eq(m[0], 3);
	cr_assert_eq(m[1], 0);
	/* at least the IP header + 64 bits (RFC 792), all of it verbatim */
	cr_assert_arr_eq(m + 8, b + 24, 20 + 8);
	cr_assert_arr_eq(m + 8, b + 24, 548);
}

/* IP options are quoted with the header. */
Test(icmp, quote_with_options_v4)
{
	uint8_t b[256], out[ICMP_ERR_BUF];
	size_t n = t_frame(b, 4, 17, 64, 4 + 8), len;
	enum pkt_reason why;
	const uint8_t *m;
	size_t o;

	b[24] = 0x46;
	memset(b + 24 + 20, 1, 4);
	frame_ip4_csum(b + 24);
	o = error(b, n, ICMP_HOST_UNREACH, 4, 0, out, sizeof(out), &why);
	m = check_reply(out, o, 4, 4, &len);
	cr_assert_eq(m[0], 3);
	cr_assert_eq(m[1], 1);
	cr_assert_eq(len, 8 + 32);
	cr_assert_arr_eq(m + 8, b + 24, 32);
}

Test(icmp, errors_v6)
{
	static const struct {
		enum icmp_kind k;
		uint8_t type, code;
	} c[] = {
		{ ICMP_TIME_EXCEEDED, 3, 0 },
		{ ICMP_NET_UNREACH, 1, 0 },
		{ ICMP_HOST_UNREACH, 1, 3 },
		{ ICMP_TOO_BIG, 2, 0 },
	};
	uint8_t b[4096], out[ICMP_ERR_BUF];

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		size_t n = t_frame(b, 6, 17, 1, 3000), len;
		enum pkt_reason why;
		size_t o = error(b, n, c[i].k, 7, 1400, out, sizeof(out),
				 &why);
		const uint8_t *m = check_reply(out, o, 6, 7, &len);

		cr_assert_eq(o - 24, ICMP_V6_ERR_MAX, "case %zu", i);
		cr_assert_eq(m[0], c[i].type);
		cr_assert_eq(m[1], c[i].code);
		if (c[i].k == ICMP_TOO_BIG)
			cr_assert_eq((uint32_t)m[4] << 24 | m[5] << 16 |
					     m[6] << 8 | m[7], 1400);
		else
			cr_assert_eq(m[4] | m[5] | m[6] | m[7], 0);
		cr_assert_eq(len, 8 + 1280 - 48);
		cr_assert_arr_eq(m + 8, b + 24, len - 8);
	}
	/* a small packet is quoted whole */
	{
		size_t n = t_frame(b, 6, 17, 1, 100), len;
		enum pkt_reason why;
		size_t o = error(b, n, ICMP_TIME_EXCEEDED, 7, 0, out,
				 sizeof(out), &why);
		const uint8_t *m = check_reply(out, o, 6, 7, &len);

		cr_assert_eq(len, 8 + 40 + 100);
		cr_assert_arr_eq(m + 8, b + 24, 140);
	}
}

Test(icmp, errors_v4_codes)
{
	static const struct {
		enum icmp_kind k;
		uint8_t type, code;
	} c[] = {
		{ ICMP_TIME_EXCEEDED, 11, 0 },
		{ ICMP_NET_UNREACH, 3, 0 },
		{ ICMP_HOST_UNREACH, 3, 1 },
		{ ICMP_TOO_BIG, 3, 4 },
	};
	uint8_t b[256], out[ICMP_ERR_BUF];

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		size_t n = t_frame(b, 4, 17, 9, 40), len;
		enum pkt_reason why;
		size_t o = error(b, n, c[i].k, 3, 1400, out, sizeof(out),
				 &why);
		const uint8_t *m = check_reply(out, o, 4, 3, &len);

		cr_assert_eq(m[0], c[i].type);
		cr_assert_eq(m[1], c[i].code);
		cr_assert_eq(m[4] | m[5], 0);
		cr_assert_eq(frame_get16(m + 6),
			     c[i].k == ICMP_TOO_BIG ? 1400u : 0u);
	}
}

/* A super-frame is quoted as its first segment, lengths to match. */
Test(icmp, quote_gso_first_segment)
{
	static uint8_t b[70000];
	uint8_t out[ICMP_ERR_BUF];
	enum pkt_reason why;
	size_t n, o, len;
	const uint8_t *m;
	uint16_t v;

	/* IPv4 TCP, 40000 bytes in 1448-byte segments: 548 bytes quoted */
	n = t_frame(b, 4, 6, 64, 20 + 40000);
	b[24 + 20 + 12] = 0x50;
	v = 54;
	memcpy(b + 2, &v, 2);
	b[1] = PKT_GSO_TCPV4;
	v = 1448;
	memcpy(b + 4, &v, 2);
	o = error(b, n, ICMP_TIME_EXCEEDED, 4, 0, out, sizeof(out), &why);
	cr_assert_eq(why, PKT_R_OK);
	m = check_reply(out, o, 4, 4, &len);
	cr_assert_eq(len, 8 + 548);
	cr_assert_eq(frame_get16(m + 8 + 2), 20 + 20 + 1448, "quoted tot_len");
	cr_assert_eq(frame_sum(m + 8, 20, 0), 0xffff, "quoted header checksum");
	cr_assert_arr_eq(m + 8 + 20, b + 44, 528);

	/* small segments: the whole first segment fits */
	v = 100;
	memcpy(b + 4, &v, 2);
	o = error(b, n, ICMP_TIME_EXCEEDED, 4, 0, out, sizeof(out), &why);
	m = check_reply(out, o, 4, 4, &len);
	cr_assert_eq(len, 8 + 140);
	cr_assert_eq(frame_get16(m + 8 + 2), 140);
	cr_assert_eq(frame_sum(m + 8, 20, 0), 0xffff);

	/* IPv6 TCP with small segments */
	n = t_frame(b, 6, 6, 64, 20 + 5000);
	b[24 + 40 + 12] = 0x50;
	v = 74;
	memcpy(b + 2, &v, 2);
	b[1] = PKT_GSO_TCPV6;
	v = 200;
	memcpy(b + 4, &v, 2);
	o = error(b, n, ICMP_HOST_UNREACH, 4, 0, out, sizeof(out), &why);
	m = check_reply(out, o, 6, 4, &len);
	cr_assert_eq(len, 8 + 40 + 20 + 200);
	cr_assert_eq(frame_get16(m + 8 + 4), 220, "quoted payload length");
	cr_assert_arr_eq(m + 8 + 8, b + 24 + 8, 32);
	cr_assert_arr_eq(m + 8 + 40, b + 64, 220);
}

Test(icmp, not_about)
{
	uint8_t b[256], *ip = b + 24;
	size_t n;

	/* ICMP errors about ICMP errors: never (RFC 1122 3.2.2) */
	static const uint8_t err4[] = { 3, 4, 5, 11, 12, 1, 2, 7, 42, 255 };

	for (size_t i = 0; i < sizeof(err4); i++) {
		n = t_frame(b, 4, 1, 1, 36);
		ip[20] = err4[i];
		error_refused(b, n, ICMP_TIME_EXCEEDED,
			      PKT_R_ICMP_ABOUT_ERROR);
	}
	n = t_frame(b, 4, 1, 1, 3);	/* ICMP too short to know */
	error_refused(b, n, ICMP_TIME_EXCEEDED, PKT_R_ICMP_ABOUT_ERROR);
	n = t_frame(b, 6, 58, 1, 36);
	ip[40] = 1;
	error_refused(b, n, ICMP_TIME_EXCEEDED, PKT_R_ICMP_ABOUT_ERROR);
	ip[40] = 127;
	error_refused(b, n, ICMP_TIME_EXCEEDED, PKT_R_ICMP_ABOUT_ERROR);

	/* ... but about queries, yes */
	{
		static const uint8_t info4[] = { 0, 8, 13, 17 };
		uint8_t out[ICMP_ERR_BUF];
		enum pkt_reason why;

		for (size_t i = 0; i < sizeof(info4); i++) {
			n = t_frame(b, 4, 1, 1, 36);
			ip[20] = info4[i];
			cr_assert_neq(error(b, n, ICMP_TIME_EXCEEDED, 4, 0,
					    out, sizeof(out), &why), 0);
		}
		n = t_frame(b, 6, 58, 1, 36);
		ip[40] = 128;
		cr_assert_neq(error(b, n, ICMP_TIME_EXCEEDED, 4, 0, out,
				    sizeof(out), &why), 0);
	}

	/* non-first fragments */
	n = t_frame(b, 4, 17, 1, 36);
	frame_put16(ip + 6, 0x0010);
	frame_ip4_csum(ip);
	error_refused(b, n, ICMP_TIME_EXCEEDED, PKT_R_ICMP_ABOUT_FRAG);
	/* the first one is fine */
	{
		uint8_t out[ICMP_ERR_BUF];
		enum pkt_reason why;

		frame_put16(ip + 6, 0x2000);
		frame_ip4_csum(ip);
		cr_assert_neq(error(b, n, ICMP_TIME_EXCEEDED, 4, 0, out,
				    sizeof(out), &why), 0);
	}

	/* sources that name no single host */
	static const char *const src4[] = { "0.0.0.0", "0.1.2.3",
					    "127.0.0.1", "240.0.0.1" };

	for (size_t i = 0; i < sizeof(src4) / sizeof(src4[0]); i++) {
		n = t_frame(b, 4, 17, 1, 36);
		inet_pton(AF_INET, src4[i], ip + 12);
		frame_ip4_csum(ip);
		error_refused(b, n, ICMP_TIME_EXCEEDED, PKT_R_ICMP_ABOUT_SRC);
	}
	n = t_frame(b, 6, 17, 1, 36);
	memset(ip + 8, 0, 16);
	error_refused(b, n, ICMP_TIME_EXCEEDED, PKT_R_ICMP_ABOUT_SRC);
	ip[23] = 1;
	error_refused(b, n, ICMP_TIME_EXCEEDED, PKT_R_ICMP_ABOUT_SRC);
}

Test(icmp, arguments)
{
	uint8_t b[256], out[ICMP_ERR_BUF];
	enum pkt_reason why;
	struct pkt_info pi;
	size_t n = t_frame(b, 4, 17, 1, 36);

	pi = parse_ok(b, n);
	cr_assert_eq(icmp_error(b, &pi, ICMP_TOO_BIG, 4, 67, out, sizeof(out),
				&why), 0);
	cr_assert_eq(why, PKT_R_BAD_ARG);
	cr_assert_eq(icmp_error(b, &pi, ICMP_TOO_BIG, 4, 65536, out,
				sizeof(out), &why), 0);
	cr_assert_eq(why, PKT_R_BAD_ARG);
	cr_assert_neq(icmp_error(b, &pi, ICMP_TOO_BIG, 4, 68, out,
				 sizeof(out), &why), 0);
	cr_assert_eq(icmp_error(b, &pi, (enum icmp_kind)99, 4, 0, out,
				sizeof(out), &why), 0);
	cr_assert_eq(why, PKT_R_BAD_ARG);
	cr_assert_eq(icmp_error(b, &pi, ICMP_TIME_EXCEEDED, 4, 0, out,
				24 + 20 + 8 + 56 - 1, &why), 0);
	cr_assert_eq(why, PKT_R_NO_ROOM);
	cr_assert_eq(icmp_error(b, &pi, ICMP_TIME_EXCEEDED, 4, 0, out,
				24 + 20 + 8 + 56, &why), 24 + 20 + 8 + 56);
	/* multicast (only NDP frames pass the parser so; forced here) */
	pi.l3_mcast = true;
	cr_assert_eq(icmp_error(b, &pi, ICMP_TIME_EXCEEDED, 4, 0, out,
				sizeof(out), &why), 0);
	cr_assert_eq(why, PKT_R_ICMP_ABOUT_MCAST);
	pi.l3_mcast = false;
	pi.kind = PKT_ARP;
	cr_assert_eq(icmp_error(b, &pi, ICMP_TIME_EXCEEDED, 4, 0, out,
				sizeof(out), &why), 0);
	cr_assert_eq(why, PKT_R_ICMP_NOT_IP);
	n = t_frame(b, 6, 17, 1, 36);
	pi = parse_ok(b, n);
	cr_assert_eq(icmp_error(b, &pi, ICMP_TOO_BIG, 4, 1279, out,
				sizeof(out), &why), 0);
	cr_assert_eq(why, PKT_R_BAD_ARG);
}

/* ---- echo ---- */

static void check_echo(const uint8_t *b, size_t n, int v, size_t data)
{
	uint8_t *out = malloc(n);
	enum pkt_reason why = PKT_R__COUNT;
	struct pkt_info pi = parse_ok(b, n);
	size_t o, len;
	const uint8_t *m, *q = b + pi.l4_off;

	cr_assert_not_null(out);
	cr_assert(icmp_is_echo_request(&pi));
	o = icmp_echo_reply(b, &pi, 9, out, n, &why);
	cr_assert_eq(why, PKT_R_OK);
	cr_assert_eq(o, 24 + (v == 4 ? 20 : 40) + 8 + data);
	m = check_reply(out, o, v, 9, &len);
	cr_assert_eq(len, 8 + data);
	cr_assert_eq(m[0], v == 4 ? 0 : 129);
	cr_assert_eq(m[1], 0);
	cr_assert_arr_eq(m + 4, q + 4, 4 + data, "id, sequence or data");
	free(out);
}

Test(icmp, echo_reply_v4)
{
	static uint8_t b[70000];
	static const size_t sizes[] = { 0, 1, 56, 1472, 9000, 65507 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		check_echo(b, t_echo(b, 4, sizes[i]), 4, sizes[i]);
	/* the request's TOS comes back */
	{
		uint8_t out[256];
		enum pkt_reason why;
		size_t n = t_echo(b, 4, 56);
		struct pkt_info pi;

		b[24 + 1] = 0xb8;
		frame_ip4_csum(b + 24);
		pi = parse_ok(b, n);
		cr_assert_neq(icmp_echo_reply(b, &pi, 9, out, sizeof(out),
					      &why), 0);
		cr_assert_eq(out[24 + 1], 0xb8);
	}
}

Test(icmp, echo_reply_v6)
{
	static uint8_t b[70000];
	static const size_t sizes[] = { 0, 3, 56, 1452, 65527 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		check_echo(b, t_echo(b, 6, sizes[i]), 6, sizes[i]);
}

/* A hop-by-hop header in the request is not echoed: reply is shorter. */
Test(icmp, echo_reply_v6_exthdr)
{
	uint8_t b[256], out[256];
	size_t n = t_echo(b, 6, 56), len;
	uint8_t *ip = b + 24;
	enum pkt_reason why;
	struct pkt_info pi;
	const uint8_t *m;
	size_t o;

	memmove(ip + 48, ip + 40, 64);
	memset(ip + 40, 0, 8);
	ip[40] = 58;
	ip[6] = 0;
	frame_put16(ip + 4, 72);
	pi = parse_ok(b, n + 8);
	cr_assert_eq(pi.l4_off, 24 + 48);
	o = icmp_echo_reply(b, &pi, 9, out, sizeof(out), &why);
	cr_assert_eq(o, n);
	m = check_reply(out, o, 6, 9, &len);
	cr_assert_eq(m[0], 129);
	cr_assert_arr_eq(m + 4, ip + 48 + 4, 60);
}

Test(icmp, echo_refused)
{
	uint8_t b[256], out[256];
	enum pkt_reason why;
	struct pkt_info pi;
	size_t n;

	/* for another node */
	n = t_echo(b, 4, 56);
	pi = parse_ok(b, n);
	cr_assert_eq(icmp_echo_reply(b, &pi, 8, out, sizeof(out), &why), 0);
	cr_assert_eq(why, PKT_R_ECHO_NOT_NODE);
	n = t_echo(b, 6, 56);
	pi = parse_ok(b, n);
	cr_assert_eq(icmp_echo_reply(b, &pi, 10, out, sizeof(out), &why), 0);
	cr_assert_eq(why, PKT_R_ECHO_NOT_NODE);
	/* bad checksum */
	b[n - 1] ^= 1;
	pi = parse_ok(b, n);
	cr_assert_eq(icmp_echo_reply(b, &pi, 9, out, sizeof(out), &why), 0);
	cr_assert_eq(why, PKT_R_ICMP_CSUM);
	n = t_echo(b, 4, 56);
	b[n - 1] ^= 1;
	pi = parse_ok(b, n);
	cr_assert_eq(icmp_echo_reply(b, &pi, 9, out, sizeof(out), &why), 0);
	cr_assert_eq(why, PKT_R_ICMP_CSUM);
	/* not a request */
	n = t_echo(b, 4, 56);
	b[44] = 0;
	pi = parse_ok(b, n);
	cr_assert_not(icmp_is_echo_request(&pi));
	cr_assert_eq(icmp_echo_reply(b, &pi, 9, out, sizeof(out), &why), 0);
	cr_assert_eq(why, PKT_R_ECHO_NOT_REQUEST);
	n = t_frame(b, 4, 17, 64, 20);
	pi = parse_ok(b, n);
	cr_assert_eq(icmp_echo_reply(b, &pi, 9, out, sizeof(out), &why), 0);
	cr_assert_eq(why, PKT_R_ECHO_NOT_REQUEST);
	/* too short to be an echo request */
	n = t_echo(b, 4, 0);
	frame_put16(b + 24 + 2, 20 + 6);
	frame_ip4_csum(b + 24);
	pi = parse_ok(b, n - 2);
	cr_assert_eq(icmp_echo_reply(b, &pi, 9, out, sizeof(out), &why), 0);
	cr_assert_eq(why, PKT_R_L4_TRUNC);
	/* first fragment of a big ping: no reassembly */
	n = t_echo(b, 4, 56);
	frame_put16(b + 24 + 6, 0x2000);
	frame_ip4_csum(b + 24);
	pi = parse_ok(b, n);
	cr_assert_eq(icmp_echo_reply(b, &pi, 9, out, sizeof(out), &why), 0);
	cr_assert_eq(why, PKT_R_ECHO_FRAG);
	/* a super-frame (forced: the parser refuses GSO on ICMP) */
	n = t_echo(b, 4, 56);
	pi = parse_ok(b, n);
	pi.gso_type = PKT_GSO_TCPV4;
	cr_assert_eq(icmp_echo_reply(b, &pi, 9, out, sizeof(out), &why), 0);
	cr_assert_eq(why, PKT_R_ECHO_GSO);
	/* no room */
	pi = parse_ok(b, n);
	cr_assert_eq(icmp_echo_reply(b, &pi, 9, out, n - 1, &why), 0);
	cr_assert_eq(why, PKT_R_NO_ROOM);
	cr_assert_eq(icmp_echo_reply(b, &pi, 9, out, n, &why), n);
	/* from 0.0.0.0 */
	inet_pton(AF_INET, "0.0.0.0", b + 24 + 12);
	frame_ip4_csum(b + 24);
	pi = parse_ok(b, n);
	cr_assert_eq(icmp_echo_reply(b, &pi, 9, out, sizeof(out), &why), 0);
	cr_assert_eq(why, PKT_R_ICMP_ABOUT_SRC);
}
