/* SPDX-License-Identifier: MIT */
/* ndp.h - answer IPv6 neighbour solicitations for every mesh address */
#ifndef EMU_NDP_H
#define EMU_NDP_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "emu/net/pkt.h"

/*
 * Bytes ndp_reply() writes: zeroed virtio-net header, Ethernet, IPv6,
 * 24-byte advertisement and an 8-byte target link-layer address option.
 */
#define NDP_NA_LEN (PKT_VNET_LEN + PKT_ETH_LEN + 40 + 24 + 8)

/*
 * Build the Neighbour Advertisement (RFC 4861 4.4, 7.2.4) answering a
 * Neighbour Solicitation parsed by pkt_parse() (pi->kind == PKT_NDP) that
 * a TAP of node self sent (ADDR_NONE: of no node), in a mesh of nnodes
 * nodes: Solicited and Override set, Router clear, target link-layer
 * address = addr_mac(target node), from the target address to the
 * solicitation's source, hop limit 255, behind a zeroed virtio-net header.
 * The solicitation may go to the target's solicited-node multicast group
 * or to the target itself (unreachability detection).
 *
 * Returns the bytes written to out (never overlapping buf), or 0 with *why
 * set: invalid solicitations (RFC 4861 7.1.1), duplicate address detection,
 * targets outside the mesh or the asking node's own, and every other NDP
 * or MLD message (router solicitations and advertisements, advertisements,
 * redirects, listener queries and reports) are not answered.
 */
size_t ndp_reply(const uint8_t *buf, const struct pkt_info *pi, uint32_t self,
		 uint32_t nnodes, uint8_t *out, size_t cap,
		 enum pkt_reason *why);

/* The solicited-node multicast address of a (RFC 4291 2.7.1). */
struct in6_addr ndp_solicited_node(const struct in6_addr *a);

#endif
