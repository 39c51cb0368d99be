// SPDX-License-Identifier: MIT
/* arp.c - answer ARP requests for every mesh address with its node's MAC */
/*
 * The tapped node's interface holds a /10 (addr.h), so the kernel ARPs for
 * every mesh address it talks to; the emulator stands in for all of them
 * (proxy ARP in the sense of RFC 1027, but for addresses that exist only
 * in the emulator). The reply follows RFC 826: swap sender and target,
 * fill in the node's hardware address, opcode 2.
 */
#include <string.h>

#include "emu/net/addr.h"
#include "emu/net/arp.h"

#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY 2

static size_t arp_refuse(enum pkt_reason *why, enum pkt_reason r)
{
	*why = r;
	return 0;
}

size_t arp_reply(const uint8_t *buf, const struct pkt_info *pi, uint32_t self,
		 uint32_t nnodes, uint8_t *out, size_t cap,
		 enum pkt_reason *why)
{
	const uint8_t *a = buf + pi->l3_off;
	const uint8_t *sha = a + 8, *spa = a + 14, *tpa = a + 24;
	uint8_t mac[6], *e, *r;
	struct in_addr target;
	int32_t node;

	if (pi->kind != PKT_ARP)
		return arp_refuse(why, PKT_R_BAD_ARG);
	if (pkt_get16(a + 6) != ARP_OP_REQUEST)
		return arp_refuse(why, PKT_R_ARP_NOT_REQUEST);
	if (pkt_get32(spa) == 0)
		return arp_refuse(why, PKT_R_ARP_PROBE);
	if (memcmp(spa, tpa, 4) == 0)
		return arp_refuse(why, PKT_R_ARP_GRATUITOUS);
	memcpy(&target.s_addr, tpa, 4);
	node = addr_node_v4(target, nnodes);
	if (node < 0)
		return arp_refuse(why, PKT_R_ARP_NOT_MESH);
	if ((uint32_t)node == self)
		return arp_refuse(why, PKT_R_ARP_SELF);
	if (cap < ARP_REPLY_LEN)
		return arp_refuse(why, PKT_R_NO_ROOM);

	addr_mac((uint32_t)node, mac);
	memset(out, 0, PKT_VNET_LEN);
	e = out + PKT_VNET_LEN;
	memcpy(e, sha, 6);
	memcpy(e + 6, mac, 6);
	pkt_put16(e + 12, PKT_ETH_P_ARP);
	r = e + PKT_ETH_LEN;
	pkt_put16(r, 1);		/* Ethernet */
	pkt_put16(r + 2, PKT_ETH_P_IP);
	r[4] = 6;
	r[5] = 4;
	pkt_put16(r + 6, ARP_OP_REPLY);
	memcpy(r + 8, mac, 6);		/* sender: the node */
	memcpy(r + 14, tpa, 4);
	memcpy(r + 18, sha, 6);		/* target: the requester */
	memcpy(r + 24, spa, 4);
	*why = PKT_R_OK;
	return ARP_REPLY_LEN;
}
