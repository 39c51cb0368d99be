// SPDX-License-Identifier: MIT
/* test_arp.c - ARP replies for mesh addresses, and what is not answered */
#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "emu/net/addr.h"
#include "emu/net/arp.h"
#include "emu/net/pkt.h"
#include "tests/lib/frame.h"

#define NNODES 100

static const uint8_t tap_mac[6] = { 0x5a, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const struct frame_responder arp = { PKT_ARP, arp_reply, NNODES };

/* An ARP frame (zero virtio-net header); returns its length, 52. */
static size_t t_arp(uint8_t *b, const uint8_t dst[6], unsigned op,
		    const char *spa, const char *tpa)
{
	uint8_t *a = b + 24;

	memset(b, 0, 52);
	memcpy(b + 10, dst, 6);
	memcpy(b + 16, tap_mac, 6);
	b[22] = 0x08;
	b[23] = 0x06;
	a[1] = 1;
	a[2] = 0x08;
	a[4] = 6;
	a[5] = 4;
	a[7] = (uint8_t)op;
	memcpy(a + 8, tap_mac, 6);
	inet_pton(AF_INET, spa, a + 14);
	inet_pton(AF_INET, tpa, a + 24);
	return 52;
}

/* Node 1 (100.64.0.2) asks for node 41 (100.64.0.42). */
Test(arp, reply_layout)
{
	uint8_t b[64], out[128], mac41[6], zero[PKT_VNET_LEN] = { 0 };
	size_t n = t_arp(b, bcast, 1, "100.64.0.2", "100.64.0.42");
	enum pkt_reason why = PKT_R__COUNT;
	size_t m = frame_reply(&arp, b, n, 1, out, sizeof(out), &why);
	const uint8_t *a = out + 24;
	struct in_addr ip;
	struct pkt_info pi;

	addr_mac(41, mac41);
	cr_assert_eq(m, ARP_REPLY_LEN);
	cr_assert_eq(m, 52);
	cr_assert_eq(why, PKT_R_OK);
	cr_assert_arr_eq(out, zero, PKT_VNET_LEN);
	cr_assert_arr_eq(out + 10, tap_mac, 6, "not sent to the requester");
	cr_assert_arr_eq(out + 16, mac41, 6, "not from node 41's MAC");
	cr_assert_eq(out[22], 0x08);
	cr_assert_eq(out[23], 0x06);
	cr_assert_eq(a[0] << 8 | a[1], 1, "htype");
	cr_assert_eq(a[2] << 8 | a[3], 0x0800, "ptype");
	cr_assert_eq(a[4], 6);
	cr_assert_eq(a[5], 4);
	cr_assert_eq(a[6] << 8 | a[7], 2, "opcode");
	cr_assert_arr_eq(a + 8, mac41, 6, "sender hardware address");
	inet_pton(AF_INET, "100.64.0.42", &ip);
	cr_assert_arr_eq(a + 14, &ip, 4, "sender protocol address");
	cr_assert_arr_eq(a + 18, tap_mac, 6, "target hardware address");
	inet_pton(AF_INET, "100.64.0.2", &ip);
	cr_assert_arr_eq(a + 24, &ip, 4, "target protocol address");
	/* and the reply is a valid frame */
	cr_assert(pkt_parse(out, m, &pi));
	cr_assert_eq(pi.kind, PKT_ARP);
	cr_assert_not(pi.l2_mcast);
}

/* Neighbour revalidation asks by unicast: answered the same way. */
Test(arp, unicast_request)
{
	uint8_t b[64], out[128], mac7[6];
	enum pkt_reason why;
	size_t n;

	addr_mac(7, mac7);
	n = t_arp(b, mac7, 1, "100.64.0.2", "100.64.0.8");
	cr_assert_eq(frame_reply(&arp, b, n, 1, out, sizeof(out), &why),
		     ARP_REPLY_LEN);
	cr_assert_arr_eq(out + 24 + 8, mac7, 6);
}

/* Every node of the mesh answers, except the asker. */
Test(arp, all_nodes)
{
	uint8_t b[64], out[128], mac[6];
	enum pkt_reason why;

	for (uint32_t i = 0; i < NNODES; i++) {
		struct in_addr t = addr_v4(i);
		char ts[INET_ADDRSTRLEN];
		size_t n;

		inet_ntop(AF_INET, &t, ts, sizeof(ts));
		n = t_arp(b, bcast, 1, "100.64.0.6", ts);
		if (i == 5) {	/* its own address: gratuitous */
			frame_refused(&arp, b, n, 5, PKT_R_ARP_GRATUITOUS);
			continue;
		}
		cr_assert_eq(frame_reply(&arp, b, n, 5, out, sizeof(out), &why),
			     ARP_REPLY_LEN, "node %u", i);
		addr_mac(i, mac);
		cr_assert_arr_eq(out + 24 + 8, mac, 6, "node %u", i);
		cr_assert_arr_eq(out + 24 + 14, &t, 4, "node %u", i);
	}
}

Test(arp, not_answered)
{
	uint8_t b[64];
	size_t n;

	n = t_arp(b, bcast, 2, "100.64.0.2", "100.64.0.42");
	frame_refused(&arp, b, n, 1, PKT_R_ARP_NOT_REQUEST);
	n = t_arp(b, bcast, 3, "100.64.0.2", "100.64.0.42");	/* RARP op */
	frame_refused(&arp, b, n, 1, PKT_R_ARP_NOT_REQUEST);
	n = t_arp(b, bcast, 1, "0.0.0.0", "100.64.0.42");
	frame_refused(&arp, b, n, 1, PKT_R_ARP_PROBE);
	n = t_arp(b, bcast, 1, "100.64.0.2", "100.64.0.2");
	frame_refused(&arp, b, n, 1, PKT_R_ARP_GRATUITOUS);
	n = t_arp(b, bcast, 1, "100.64.0.2", "10.0.0.1");
	frame_refused(&arp, b, n, 1, PKT_R_ARP_NOT_MESH);
	/* node 1 asks, from another address, for its own mesh address */
	n = t_arp(b, bcast, 1, "192.0.2.1", "100.64.0.2");
	frame_refused(&arp, b, n, 1, PKT_R_ARP_SELF);
	n = t_arp(b, bcast, 1, "100.64.0.2", "100.64.0.0");
	frame_refused(&arp, b, n, 1, PKT_R_ARP_NOT_MESH);
	n = t_arp(b, bcast, 1, "100.64.0.2", "100.127.255.255");
	frame_refused(&arp, b, n, 1, PKT_R_ARP_NOT_MESH);
	/* node NNODES exists in the plan but not in this mesh */
	n = t_arp(b, bcast, 1, "100.64.0.2", "100.64.0.101");
	frame_refused(&arp, b, n, 1, PKT_R_ARP_NOT_MESH);
}

/* A TAP of no node (self = ADDR_NONE) gets every node answered. */
Test(arp, no_self)
{
	uint8_t b[64], out[128];
	enum pkt_reason why;
	size_t n = t_arp(b, bcast, 1, "100.64.0.99", "100.64.0.2");

	cr_assert_eq(frame_reply(&arp, b, n, ADDR_NONE, out, sizeof(out), &why),
		     ARP_REPLY_LEN);
	/* the last node of the mesh */
	n = t_arp(b, bcast, 1, "100.64.0.2", "100.64.0.100");
	cr_assert_eq(frame_reply(&arp, b, n, ADDR_NONE, out, sizeof(out), &why),
		     ARP_REPLY_LEN);
}

Test(arp, arguments)
{
	uint8_t b[64], out[128];
	enum pkt_reason why;
	struct pkt_info pi;
	size_t n = t_arp(b, bcast, 1, "100.64.0.2", "100.64.0.42");

	cr_assert_eq(frame_reply(&arp, b, n, 1, out, ARP_REPLY_LEN - 1, &why),
		     0);
	cr_assert_eq(why, PKT_R_NO_ROOM);
	cr_assert(pkt_parse(b, n, &pi));
	pi.kind = PKT_IP4;
	cr_assert_eq(arp_reply(b, &pi, 1, NNODES, out, sizeof(out), &why), 0);
	cr_assert_eq(why, PKT_R_BAD_ARG);
}
