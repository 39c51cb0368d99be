/* SPDX-License-Identifier: MIT */
/* addr.h - the address plan: each mesh node's IPv4, IPv6 and MAC address */
#ifndef EMU_ADDR_H
#define EMU_ADDR_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

/*
 * Every node of the mesh (index i from 0: satellites first, then ground
 * stations) has one address of each kind, derived from its host number
 * h = i + 1 so that no node gets a network's .0 or ::0 address:
 *
 *   IPv4  100.64.0.0/10 + h       (RFC 6598 shared address space)
 *   IPv6  fd6c:6d00::/64 + h      (RFC 4193 unique local; 6c 6d = "lm")
 *   MAC   02:6c:6d:00:00:00 + h   (locally administered, unicast)
 *
 * so node 5 is 100.64.0.6, fd6c:6d00::6 and 02:6c:6d:00:00:06 and a capture
 * shows the same number in all three. A tapped node's interface carries
 * its addresses with the prefix lengths below, so every mesh address is
 * on-link and no gateway is needed: the emulator answers ARP and neighbour
 * solicitations for all the others.
 */
#define ADDR_V4_NET 0x64400000u		/* 100.64.0.0, host byte order */
#define ADDR_V4_PREFIX_LEN 10
#define ADDR_V6_PREFIX_LEN 64
#define ADDR_MAC_OUI0 0x02
#define ADDR_MAC_OUI1 0x6c
#define ADDR_MAC_OUI2 0x6d

/*
 * Largest number of nodes the plan can address: the /10 has 2^22
 * addresses, less the network and broadcast addresses.
 */
#define ADDR_MAX_NODES ((1u << 22) - 2)

/* "No node": e.g. the self argument of a frame that no node sent. */
#define ADDR_NONE UINT32_MAX

/* Addresses of node i (i < ADDR_MAX_NODES; larger i wraps, never faults). */
struct in_addr addr_v4(uint32_t i);
struct in6_addr addr_v6(uint32_t i);
void addr_mac(uint32_t i, uint8_t mac[6]);

/*
 * Inverse lookups: the node index owning the address in a mesh of n nodes,
 * or -1 when the address is outside the plan or names no node below n.
 */
int32_t addr_node_v4(struct in_addr a, uint32_t n);
int32_t addr_node_v6(const struct in6_addr *a, uint32_t n);
int32_t addr_node_mac(const uint8_t mac[6], uint32_t n);

/* The IPv6 prefix, fd6c:6d00::, for configuring interfaces and routes. */
struct in6_addr addr_v6_prefix(void);

#endif
