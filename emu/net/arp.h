/* SPDX-License-Identifier: MIT */
/* arp.h - answer ARP requests for every mesh address with its node's MAC */
#ifndef EMU_ARP_H
#define EMU_ARP_H

#include <stddef.h>
#include <stdint.h>

#include "emu/net/pkt.h"

/* Bytes arp_reply() writes: zeroed virtio-net header + 42-byte frame. */
#define ARP_REPLY_LEN (PKT_VNET_LEN + PKT_ETH_LEN + 28)

/*
 * Build the reply to an ARP request parsed by pkt_parse() (pi->kind ==
 * PKT_ARP) that a TAP of node self sent (ADDR_NONE: of no node), in a mesh
 * of nnodes nodes: "target IP is at addr_mac(target node)", sent to the
 * requester's hardware and protocol addresses, behind a zeroed virtio-net
 * header. Requests by broadcast and unicast (neighbour revalidation) are
 * both answered. Returns the bytes written to out, or 0 with *why set:
 * replies, probes (sender 0.0.0.0), gratuitous ARP, targets outside the
 * mesh and the asking node's own address are not answered.
 */
size_t arp_reply(const uint8_t *buf, const struct pkt_info *pi, uint32_t self,
		 uint32_t nnodes, uint8_t *out, size_t cap,
		 enum pkt_reason *why);

#endif
