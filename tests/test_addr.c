// SPDX-License-Identifier: MIT
/* test_addr.c - the address plan: known addresses, inverses, bounds */
#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "emu/net/addr.h"

static struct in_addr v4(const char *s)
{
	struct in_addr a;

	cr_assert_eq(inet_pton(AF_INET, s, &a), 1, "bad test address %s", s);
	return a;
}

static struct in6_addr v6(const char *s)
{
	struct in6_addr a;

	cr_assert_eq(inet_pton(AF_INET6, s, &a), 1, "bad test address %s", s);
	return a;
}

static void check_node(uint32_t i, const char *s4, const char *s6,
		       const uint8_t mac[6])
{
	struct in_addr a = addr_v4(i), e4 = v4(s4);
	struct in6_addr b = addr_v6(i), e6 = v6(s6);
	uint8_t m[6];
	char got[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET, &a, got, sizeof(got));
	cr_assert_eq(a.s_addr, e4.s_addr, "node %u: %s, expected %s", i, got,
		     s4);
	inet_ntop(AF_INET6, &b, got, sizeof(got));
	cr_assert_eq(memcmp(&b, &e6, 16), 0, "node %u: %s, expected %s", i,
		     got, s6);
	addr_mac(i, m);
	cr_assert_arr_eq(m, mac, 6,
			 "node %u: MAC %02x:%02x:%02x:%02x:%02x:%02x", i, m[0],
			 m[1], m[2], m[3], m[4], m[5]);
}

Test(addr, known_nodes)
{
	check_node(0, "100.64.0.1", "fd6c:6d00::1",
		   (const uint8_t[]){ 0x02, 0x6c, 0x6d, 0, 0, 1 });
	check_node(5, "100.64.0.6", "fd6c:6d00::6",
		   (const uint8_t[]){ 0x02, 0x6c, 0x6d, 0, 0, 6 });
	check_node(254, "100.64.0.255", "fd6c:6d00::ff",
		   (const uint8_t[]){ 0x02, 0x6c, 0x6d, 0, 0, 0xff });
	check_node(255, "100.64.1.0", "fd6c:6d00::100",
		   (const uint8_t[]){ 0x02, 0x6c, 0x6d, 0, 1, 0 });
	/* 1,000,000 + 1 = 0x0f4241 */
	check_node(1000000, "100.79.66.65", "fd6c:6d00::f:4241",
		   (const uint8_t[]){ 0x02, 0x6c, 0x6d, 0x0f, 0x42, 0x41 });
	check_node(ADDR_MAX_NODES - 1, "100.127.255.254",
		   "fd6c:6d00::3f:fffe",
		   (const uint8_t[]){ 0x02, 0x6c, 0x6d, 0x3f, 0xff, 0xfe });
}

Test(addr, prefix)
{
	struct in6_addr p = addr_v6_prefix(), e = v6("fd6c:6d00::");
	struct in_addr net;

	cr_assert_eq(memcmp(&p, &e, 16), 0);
	net.s_addr = htonl(ADDR_V4_NET);
	cr_assert_eq(net.s_addr, v4("100.64.0.0").s_addr);
	/* every node address is inside its prefix */
	for (uint32_t i = 0; i < ADDR_MAX_NODES; i += 4099) {
		struct in_addr a = addr_v4(i);
		struct in6_addr b = addr_v6(i);
		uint32_t mask = ~0u << (32 - ADDR_V4_PREFIX_LEN);

		cr_assert_eq(ntohl(a.s_addr) & mask, ADDR_V4_NET);
		cr_assert_eq(memcmp(&b, &p, ADDR_V6_PREFIX_LEN / 8), 0);
	}
}

/* Every node's MAC is unicast and locally administered (IEEE 802). */
Test(addr, mac_is_local_unicast)
{
	for (uint32_t i = 0; i < ADDR_MAX_NODES; i += 997) {
		uint8_t m[6];

		addr_mac(i, m);
		cr_assert_eq(m[0] & 1, 0, "node %u: multicast MAC", i);
		cr_assert_eq(m[0] & 2, 2, "node %u: not locally administered",
			     i);
	}
}

/* Nodes from..n-1 of a mesh of n: each kind of address leads back to it. */
static void round_trip(uint32_t from, uint32_t n)
{
	for (uint32_t i = from; i < n; i++) {
		struct in6_addr b = addr_v6(i);
		uint8_t m[6];

		addr_mac(i, m);
		cr_assert_eq(addr_node_v4(addr_v4(i), n), (int32_t)i);
		cr_assert_eq(addr_node_v6(&b, n), (int32_t)i);
		cr_assert_eq(addr_node_mac(m, n), (int32_t)i);
	}
}

Test(addr, round_trip_million)
{
	round_trip(0, 1000000);
}

Test(addr, round_trip_largest_plan)
{
	round_trip(ADDR_MAX_NODES - 1000, ADDR_MAX_NODES);
}

/* An address of the plan beyond the mesh's n nodes names no node. */
Test(addr, beyond_mesh_size)
{
	uint32_t n = 1584;
	struct in6_addr b = addr_v6(n), c = addr_v6(n - 1);
	uint8_t m[6];

	cr_assert_eq(addr_node_v4(addr_v4(n), n), -1);
	cr_assert_eq(addr_node_v4(addr_v4(n - 1), n), (int32_t)(n - 1));
	cr_assert_eq(addr_node_v6(&b, n), -1);
	cr_assert_eq(addr_node_v6(&c, n), (int32_t)(n - 1));
	addr_mac(n, m);
	cr_assert_eq(addr_node_mac(m, n), -1);
	addr_mac(n - 1, m);
	cr_assert_eq(addr_node_mac(m, n), (int32_t)(n - 1));
	cr_assert_eq(addr_node_v4(addr_v4(0), 0), -1);
}

Test(addr, outside_plan)
{
	const uint32_t n = ADDR_MAX_NODES;
	static const char *const bad4[] = {
		"100.64.0.0",		/* network */
		"100.127.255.255",	/* broadcast of the /10 */
		"100.63.255.255", "100.128.0.0", "10.0.0.1", "0.0.0.0",
		"255.255.255.255", "224.0.0.1",
	};
	static const char *const bad6[] = {
		"fd6c:6d00::",		/* subnet-router anycast */
		"fd6c:6d00::1:0:0:1",	/* bytes 8-11 not zero */
		"fd6c:6d00:0:1::1",	/* another /64 */
		"fd6c:6d01::1", "fe80::1", "::", "ff02::1", "::ffff:100.64.0.1",
		"fd6c:6d00::40:0",	/* host 2^22: beyond the largest plan */
	};
	static const uint8_t bad_mac[][6] = {
		{ 0x02, 0x6c, 0x6d, 0, 0, 0 },		/* host 0 */
		{ 0x02, 0x6c, 0x6e, 0, 0, 1 },
		{ 0x03, 0x6c, 0x6d, 0, 0, 1 },
		{ 0x02, 0x6d, 0x6d, 0, 0, 1 },
		{ 0x02, 0x6c, 0x6d, 0xff, 0xff, 0xff },	/* beyond the plan */
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	};

	for (size_t i = 0; i < sizeof(bad4) / sizeof(bad4[0]); i++)
		cr_assert_eq(addr_node_v4(v4(bad4[i]), n), -1, "%s", bad4[i]);
	for (size_t i = 0; i < sizeof(bad6) / sizeof(bad6[0]); i++) {
		struct in6_addr a = v6(bad6[i]);

		cr_assert_eq(addr_node_v6(&a, n), -1, "%s", bad6[i]);
	}
	for (size_t i = 0; i < sizeof(bad_mac) / sizeof(bad_mac[0]); i++)
		cr_assert_eq(addr_node_mac(bad_mac[i], n), -1, "MAC %zu", i);
}
