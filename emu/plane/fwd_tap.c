// SPDX-License-Identifier: MIT
/* fwd_tap.c - the forwarder's edge: frames read from TAPs, frames written to them */
/*
 * A frame read from a TAP is parsed once and checked: ARP requests and
 * neighbour solicitations are answered at once (arp.h, ndp.h), IP packets
 * enter the mesh at the node (fwd.c). Isolation: a node may only speak
 * with its own addresses. With the source check on (the default,
 * `[emulation] source-check`), an IP packet with another node's source
 * address, or an ARP/NDP frame with another's sender address, is dropped
 * and counted as spoofed, so replies never reach a node that did not ask.
 * MAC addresses are not checked: the emulator learns each TAP's MAC from
 * what it sends and addresses every frame it writes by the IP plan.
 */
#include <string.h>

#include "emu/net/addr.h"
#include "emu/net/arp.h"
#include "emu/net/ndp.h"
#include "emu/plane/fwd.h"
#include "emu/plane/fwd_pkt.h"

uint8_t *fwd_rx_buffer(struct fwd *f)
{
	if (!f->spare) {
		f->spare = fwd_pkt_alloc(f, PKT_BUF_MAX);
		if (!f->spare)
			return NULL;
	}
	return f->spare->data;
}

void fwd_output(struct fwd *f, size_t pi, uint8_t *buf, size_t len,
		int64_t now)
{
	struct fwd_port *p = &f->port[pi];

	if (f->output(f, pi, buf, len, now) < 0) {
		f->st.drop[FWD_D_TAP_WRITE]++;
		p->drops++;
		return;
	}
	f->st.tx_frames++;
	f->st.tx_bytes += len;
	p->tx_frames++;
	p->tx_bytes += len;
}

static void fwd_answer(struct fwd *f, size_t pi, const uint8_t *buf,
		       const struct pkt_info *info, int64_t now)
{
	uint32_t self = f->port[pi].node, n = (uint32_t)f->constel->n;
	uint8_t out[NDP_NA_LEN > ARP_REPLY_LEN ? NDP_NA_LEN : ARP_REPLY_LEN];
	enum pkt_reason why;
	size_t len;

	if (info->kind == PKT_ARP)
		len = arp_reply(buf, info, self, n, out, sizeof(out), &why);
	else
		len = ndp_reply(buf, info, self, n, out, sizeof(out), &why);
	if (!len) {
		f->st.reason[why]++;
		f->st.drop[FWD_D_NOT_ANSWERED]++;
		return;
	}
	if (info->kind == PKT_ARP)
		f->st.arp_replies++;
	else
		f->st.nd_replies++;
	fwd_output(f, pi, out, len, now);
}

/*
 * Whether an ARP or NDP frame from node self carries its own sender
 * address: ARP's sender protocol address is the node's or 0.0.0.0 (a
 * probe); NDP's IPv6 source is the node's, :: (address detection) or
 * link-local (the kernel's choice for MLD and router solicitations).
 */
static bool fwd_answer_source_ok(const uint8_t *buf,
				 const struct pkt_info *info, uint32_t self)
{
	struct in_addr spa, own4 = addr_v4(self);
	struct in6_addr own6 = addr_v6(self);

	if (info->kind == PKT_ARP) {
		memcpy(&spa, buf + info->l3_off + PKT_ARP_SPA_OFF, 4);
		return spa.s_addr == 0 || spa.s_addr == own4.s_addr;
	}
	return IN6_IS_ADDR_UNSPECIFIED(&info->src6) ||
	       IN6_IS_ADDR_LINKLOCAL(&info->src6) ||
	       IN6_ARE_ADDR_EQUAL(&info->src6, &own6);
}

void fwd_ingress(struct fwd *f, size_t pi, const uint8_t *buf, size_t len,
		 int64_t now)
{
	struct fwd_port *port = &f->port[pi];
	enum fwd_drop why;
	struct pkt_info info;
	struct fwd_pkt *p;
	int32_t src, dst;

	if (now > f->now)
		f->now = now;
	f->st.rx_frames++;
	f->st.rx_bytes += len;
	port->rx_frames++;
	port->rx_bytes += len;
	if (!pkt_parse(buf, len, &info)) {
		f->st.reason[info.why]++;
		why = FWD_D_PARSE;
		goto drop;
	}
	/* the TAP's own MAC, learned from what it sends */
	memcpy(port->mac, pkt_eth_src(buf), 6);
	if (info.kind == PKT_ARP || info.kind == PKT_NDP) {
		if (f->source_check &&
		    !fwd_answer_source_ok(buf, &info, port->node)) {
			why = FWD_D_SPOOF;
			goto drop;
		}
		fwd_answer(f, pi, buf, &info, now);
		return;
	}
	src = fwd_node_of(f, &info, true);
	dst = fwd_node_of(f, &info, false);
	if (src < 0)
		why = FWD_D_SRC;
	else if (f->source_check && (uint32_t)src != port->node)
		why = FWD_D_SPOOF;
	else if (dst < 0)
		why = FWD_D_DST;
	else if ((uint32_t)dst == port->node)
		why = FWD_D_SELF;
	else
		why = FWD_D__COUNT;
	if (why != FWD_D__COUNT)
		goto drop;
	if (f->spare && buf == f->spare->data && pool_is_big(len)) {
		/* read straight into a big buffer: keep it, no copy */
		p = f->spare;
		f->spare = NULL;
		p->len = (uint32_t)len;
	} else {
		p = fwd_pkt_new(f, buf, len);
	}
	if (!p) {
		f->st.drop[FWD_D_NOMEM]++;
		return;
	}
	p->pi = info;
	p->src = (uint32_t)src;
	p->dst = (uint32_t)dst;
	p->ingress = port->node;
	p->at = port->node;
	fwd_at_node(f, p, now);
	return;
drop:
	f->st.drop[why]++;
	port->drops++;
}
