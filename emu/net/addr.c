// SPDX-License-Identifier: MIT
/* addr.c - the address plan: each mesh node's IPv4, IPv6 and MAC address */
#include <arpa/inet.h>
#include <string.h>

#include "emu/net/addr.h"

/* fd6c:6d00:0000:0000, the first 8 bytes of every mesh IPv6 address. */
static const uint8_t addr_v6_net[8] = { 0xfd, 0x6c, 0x6d, 0x00, 0, 0, 0, 0 };

struct in_addr addr_v4(uint32_t i)
{
	struct in_addr a;
	uint32_t h = (i + 1) & ((1u << 22) - 1);

	a.s_addr = htonl(ADDR_V4_NET | h);
	return a;
}

struct in6_addr addr_v6(uint32_t i)
{
	struct in6_addr a;
	uint32_t h = i + 1;

	memset(&a, 0, sizeof(a));
	memcpy(a.s6_addr, addr_v6_net, sizeof(addr_v6_net));
	a.s6_addr[12] = h >> 24;
	a.s6_addr[13] = h >> 16;
	a.s6_addr[14] = h >> 8;
	a.s6_addr[15] = h;
	return a;
}

void addr_mac(uint32_t i, uint8_t mac[6])
{
	uint32_t h = i + 1;

	mac[0] = ADDR_MAC_OUI0;
	mac[1] = ADDR_MAC_OUI1;
	mac[2] = ADDR_MAC_OUI2;
	mac[3] = h >> 16;
	mac[4] = h >> 8;
	mac[5] = h;
}

struct in6_addr addr_v6_prefix(void)
{
	struct in6_addr a;

	memset(&a, 0, sizeof(a));
	memcpy(a.s6_addr, addr_v6_net, sizeof(addr_v6_net));
	return a;
}

/* Host number h (1..n) to node index, or -1. */
static int32_t addr_host_to_node(uint32_t h, uint32_t n)
{
	if (n > ADDR_MAX_NODES)
		n = ADDR_MAX_NODES;
	if (h == 0 || h > n)
		return -1;
	return (int32_t)(h - 1);
}

int32_t addr_node_v4(struct in_addr a, uint32_t n)
{
	uint32_t v = ntohl(a.s_addr);

	if ((v & ~((1u << 22) - 1)) != ADDR_V4_NET)
		return -1;
	return addr_host_to_node(v & ((1u << 22) - 1), n);
}

int32_t addr_node_v6(const struct in6_addr *a, uint32_t n)
{
	const uint8_t *b = a->s6_addr;
	uint32_t h;

	if (memcmp(b, addr_v6_net, sizeof(addr_v6_net)) != 0)
		return -1;
	if (b[8] | b[9] | b[10] | b[11])
		return -1;
	h = (uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 |
	    (uint32_t)b[14] << 8 | b[15];
	return addr_host_to_node(h, n);
}

int32_t addr_node_mac(const uint8_t mac[6], uint32_t n)
{
	if (mac[0] != ADDR_MAC_OUI0 || mac[1] != ADDR_MAC_OUI1 ||
	    mac[2] != ADDR_MAC_OUI2)
		return -1;
	return addr_host_to_node((uint32_t)mac[3] << 16 | mac[4] << 8 | mac[5],
				 n);
}
