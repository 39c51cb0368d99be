// SPDX-License-Identifier: MIT
/* fwd_shard.c - the forwarder at a cut: frames to and from the shards that own
 * the next node */
/*
 * A mesh split over shards (docs/design.md, "Shards"). At node v, owned
 * here, a frame whose next hop w is another shard's joins the link v -> w
 * here as any frame does: its queue, serialisation and loss are decided at
 * enqueue (link.c), which gives its due time at w. It is then handed at
 * once to cut_send (the run's UDP sender) with that due time; the copy in
 * the link's FIFO keeps the queue model right (later frames wait behind
 * it) and is freed when due, without going further (fwd_release). The
 * lookahead: w's shard gets the frame a LAN latency after it entered the
 * link and releases it at its due time, which is the link's own delay
 * (milliseconds for a laser hop) later, so it is on time as long as the
 * LAN is faster than the link.
 *
 * At w's shard the frame waits on the link v -> w of its own table: a
 * link from another shard's node is unlimited, lossless and has no added
 * delay (fwd_links.c), so it only holds frames until their due time (its
 * FIFO keeps them in order). When due, w handles it as if it had crossed
 * the link here: captures (on_hop), the TTL, the next hop.
 *
 * A super-frame longer than one datagram holds (GENEVE_FRAME_MAX, about
 * 64 KiB) is sent as its segments (gso.h); shorter ones go whole and the
 * kernel fragments the datagram on the LAN (docs/design.md says why).
 */
#include <errno.h>
#include <string.h>

#include "emu/net/gso.h"
#include "emu/plane/fwd.h"
#include "emu/plane/fwd_pkt.h"
#include "emu/plane/geneve.h"

/* Hand one frame (virtio-net header first in buf) to cut_send. */
static void fwd_shard_send(struct fwd *f, const struct fwd_pkt *p, uint32_t v,
			   const uint8_t *buf, size_t len, int64_t due_ns)
{
	struct fwd_cut c = {
	    .v = v,
	    .w = p->at,
	    .ingress = p->ingress,
	    .ttl_done = p->ttl_done,
	    .frame = buf + PKT_VNET_LEN,
	    .len = len - PKT_VNET_LEN,
	    .due_ns = due_ns,
	};

	memcpy(c.vnet, buf, PKT_VNET_LEN);
	f->st.cut_sent++;
	f->cut_send(f, &c);
}

void fwd_shard_cut(struct fwd *f, const struct fwd_pkt *p, uint32_t v,
		   int64_t due_ns)
{
	uint8_t seg[PKT_BUF_MAX];

	if (!f->cut_send)
		return;
	if (p->len - PKT_VNET_LEN <= GENEVE_FRAME_MAX || p->pi.gso_segs <= 1) {
		fwd_shard_send(f, p, v, p->data, p->len, due_ns);
		return;
	}
	f->st.gso_split++;
	for (uint32_t i = 0; i < p->pi.gso_segs; i++) {
		size_t n = gso_segment(p->data, &p->pi, i, seg, sizeof(seg));

		if (n)
			fwd_shard_send(f, p, v, seg, n, due_ns);
	}
}

int fwd_shard_ingress(struct fwd *f, const struct fwd_cut *c, int64_t now)
{
	const struct topo_state *st = ring_current(f->ring);
	struct fwd_pkt *p;
	struct link *l;
	int32_t src, dst;
	long li;

	if (now > f->now)
		f->now = now;
	if (c->len + PKT_VNET_LEN > PKT_BUF_MAX) {
		f->st.drop[FWD_D_PARSE]++;
		return -EINVAL;
	}
	p = fwd_pkt_alloc(f, c->len + PKT_VNET_LEN);
	if (!p) {
		f->st.drop[FWD_D_NOMEM]++;
		return -ENOMEM;
	}
	memcpy(p->data, c->vnet, PKT_VNET_LEN);
	memcpy(p->data + PKT_VNET_LEN, c->frame, c->len);
	p->len = (uint32_t)(c->len + PKT_VNET_LEN);
	if (!pkt_parse(p->data, p->len, &p->pi) ||
	    (p->pi.kind != PKT_IP4 && p->pi.kind != PKT_IP6)) {
		f->st.reason[p->pi.why]++;
		goto refuse;
	}
	src = fwd_node_of(f, &p->pi, true);
	dst = fwd_node_of(f, &p->pi, false);
	if (src < 0 || dst < 0 || c->ingress >= f->constel->n)
		goto refuse;
	p->src = (uint32_t)src;
	p->dst = (uint32_t)dst;
	p->ingress = c->ingress;
	p->at = c->w;
	p->ttl_done = c->ttl_done;
	f->st.cut_received++;
	li = graph_find(&st->graph, c->v, c->w);
	if (li < 0) {
		/* down at our step: as a flush of the link would have */
		fwd_pkt_free(f, p);
		f->st.drop[FWD_D_LINK_DOWN]++;
		return -ENETDOWN;
	}
	l = fwd_link_get(f, c->v, c->w, st->links.v[li].kind, now);
	if (!l) {
		fwd_pkt_free(f, p);
		f->st.drop[FWD_D_NOMEM]++;
		return -ENOMEM;
	}
	if (!l->up)
		link_set_up(l, true);
	p->lp.wire_bytes = p->pi.wire_len;
	p->lp.segments = p->pi.gso_segs;
	if (link_enqueue(l, &p->lp, c->due_ns, 0) != LINK_QUEUED) {
		fwd_pkt_free(f, p);
		f->st.drop[FWD_D_LINK_DOWN]++;
		return -ENETDOWN;
	}
	if (sched_update(&f->sched, l) < 0) {
		link_flush(l, fwd_flush_cb, f);
		f->st.drop[FWD_D_NOMEM]++;
		return -ENOMEM;
	}
	return 0;
refuse:
	fwd_pkt_free(f, p);
	f->st.drop[FWD_D_PARSE]++;
	return -EINVAL;
}
