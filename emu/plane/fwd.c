// SPDX-License-Identifier: MIT
/* fwd.c - hop-by-hop forwarding of real frames through the moving laser mesh */
/*
 * The model. A tapped node's namespace is the computer on board (or on the
 * ground); the emulator is every node's router. A frame read from a TAP is
 * parsed once. ARP requests and neighbour solicitations for any mesh
 * address are answered at once with that node's MAC (addr.h). An IP packet
 * then travels hop by hop: at each node the next hop toward its destination
 * comes from the current step's next-hop table (route.h: one Dijkstra per
 * destination, lowest total delay), and the packet joins the FIFO of the
 * directed link to that hop. The link (link.h) gives it its logical times:
 * start = max(arrival, link free), finish = start + bits / rate, due at the
 * far end = finish + the propagation delay at finish, interpolated from the
 * moving positions (ring.h). When due it is handled at the next node with
 * its logical due time as "now", so the real lateness of a wake-up never
 * adds up over hops.
 *
 * Every node between the ingress and the destination is a router: it
 * decrements the TTL / hop limit and, when it expires, answers with an ICMP
 * time exceeded from its own address, so traceroute lists the laser path.
 * In fabric mode (ttl_fabric) the mesh is one router, as a label-switched
 * network looks from outside: only the first node after the ingress
 * decrements (and answers when it expires), so paths of any length work
 * with the hosts' default TTL of 64 and traceroute shows one hop.
 * A node without a TAP answers echo requests itself, so any satellite can be
 * pinged; ICMP messages the mesh generates travel back through the mesh like
 * any packet. Destinations without a next-hop table (satellites that are not
 * routing destinations) are reached by a source route taken at the ingress
 * from the source's own shortest-path tree (the graph is undirected with
 * symmetric delays, so the path back is the path there).
 *
 * Directed links are created when traffic first uses them (linktab.h);
 * when the geometry takes one down, what it holds is dropped and counted
 * (link down), and traffic follows the new routes. A link left empty and
 * unused for f->link_idle_ns leaves the table at the next step, so the
 * table holds the links of the recent past, not every link a long run
 * ever used.
 *
 * Loss per segment. A TSO/USO super-frame crosses lossless links whole (the
 * fast path: one enqueue, one write at the end). Before a link with a loss
 * model it is cut into its segments (gso.h), which go on as ordinary
 * frames, so each segment meets the configured loss on its own, as on a
 * real link, instead of the super-frame being lost whole.
 *
 * Frames from and to the TAPs, and the source address check, are in
 * fwd_tap.c; the table of directed links in use, in fwd_links.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "emu/net/addr.h"
#include "emu/net/gso.h"
#include "emu/net/icmp.h"
#include "emu/plane/fwd.h"
#include "emu/plane/fwd_pkt.h"
#include "topo/lib/util.h"

#define FWD_MAX_ROUTE 128

static const char *const fwd_drop_names[FWD_D__COUNT] = {
	[FWD_D_PARSE] = "malformed",
	[FWD_D_NOT_ANSWERED] = "not-answered",
	[FWD_D_SRC] = "source-not-mesh",
	[FWD_D_SPOOF] = "spoofed-source",
	[FWD_D_DST] = "destination-not-mesh",
	[FWD_D_SELF] = "to-itself",
	[FWD_D_NO_ROUTE] = "no-route",
	[FWD_D_TTL] = "ttl-expired",
	[FWD_D_UNTAPPED] = "to-untapped-node",
	[FWD_D_QUEUE] = "queue",
	[FWD_D_LOSS] = "loss",
	[FWD_D_LINK_DOWN] = "link-down",
	[FWD_D_NODE_DOWN] = "node-down",
	[FWD_D_TAP_WRITE] = "tap-write",
	[FWD_D_NOMEM] = "no-memory",
};

const char *fwd_drop_name(enum fwd_drop d)
{
	return d < FWD_D__COUNT ? fwd_drop_names[d] : "?";
}

struct fwd_pkt *fwd_pkt_alloc(struct fwd *f, size_t len)
{
	bool big = pool_is_big(len);
	struct fwd_pkt *p = pool_get(&f->pool, big);

	if (!p)
		return NULL;
	memset(p, 0, sizeof(*p));
	p->big = big;
	return p;
}

void fwd_pkt_free(struct fwd *f, struct fwd_pkt *p)
{
	if (!p)
		return;
	free(p->route);
	pool_put(&f->pool, p, p->big);
}

static void fwd_drop(struct fwd *f, struct fwd_pkt *p, enum fwd_drop why)
{
	f->st.drop[why]++;
	fwd_pkt_free(f, p);
}

/* The mesh node of a parsed packet's source (or destination), or -1. */
int32_t fwd_node_of(const struct fwd *f, const struct pkt_info *pi, bool src)
{
	uint32_t n = (uint32_t)f->constel->n;

	if (pi->kind == PKT_IP4)
		return addr_node_v4(src ? pi->src4 : pi->dst4, n);
	return addr_node_v6(src ? &pi->src6 : &pi->dst6, n);
}

/* ---- set-up ------------------------------------------------------------ */

int fwd_init(struct fwd *f, const struct ring *ring, const struct constel *c,
	     const struct fwd_port *ports, size_t nports,
	     const struct linkparams *isl, const struct linkparams *gsl,
	     uint64_t seed, fwd_output_fn output, void *arg)
{
	memset(f, 0, sizeof(*f));
	f->ring = ring;
	f->constel = c;
	f->isl_lp = *isl;
	f->gsl_lp = *gsl;
	f->seed = seed;
	f->output = output;
	f->arg = arg;
	f->step_seen = -1;
	f->now = INT64_MIN;
	f->source_check = true;
	f->link_idle_ns = FWD_LINK_IDLE_NS;
	pool_init(&f->pool, sizeof(struct fwd_pkt), PKT_BUF_MAX);
	hist_init(&f->late);
	f->port = calloc(nports ? nports : 1, sizeof(*f->port));
	f->port_of = malloc((c->n ? c->n : 1) * sizeof(*f->port_of));
	f->path_hash = calloc((nports ? nports : 1) *
			      (ring->model->ndest ? ring->model->ndest : 1),
			      sizeof(*f->path_hash));
	if (!f->port || !f->port_of || !f->path_hash ||
	    sched_init(&f->sched, 64) < 0) {
		fwd_free(f);
		return -ENOMEM;
	}
	memcpy(f->port, ports, nports * sizeof(*ports));
	f->nports = nports;
	for (size_t v = 0; v < c->n; v++)
		f->port_of[v] = -1;
	for (size_t i = 0; i < nports; i++)
		f->port_of[ports[i].node] = (int32_t)i;
	fwd_step(f);
	return 0;
}

void fwd_free(struct fwd *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->links.cap; i++)
		if (f->links.t[i])
			link_flush(&f->links.t[i]->link, fwd_flush_cb, f);
	linktab_free(&f->links);
	fwd_pkt_free(f, f->spare);
	pool_free(&f->pool);
	sched_destroy(&f->sched);
	free(f->port);
	free(f->port_of);
	free(f->path_hash);
	memset(f, 0, sizeof(*f));
}

/* ---- the geometry moved -------------------------------------------------- */

static uint64_t fwd_path_hash(const struct route_table *rt, size_t di,
			      uint32_t from)
{
	uint64_t h = 1469598103934665603ULL;
	int32_t v = (int32_t)from;

	for (size_t hops = 0; v >= 0 && hops < FWD_MAX_ROUTE; hops++) {
		h = (h ^ (uint32_t)v) * 1099511628211ULL;
		if ((size_t)v == rt->dest[di])
			return h;
		v = route_next(rt, di, (uint32_t)v);
	}
	return v < 0 ? 0 : h;
}

void fwd_step(struct fwd *f)
{
	const struct topo_state *st = ring_current(f->ring);
	const struct route_table *rt = &st->routes;
	int64_t step = ring_cur(f->ring);

	fwd_links_update(f, &st->graph);
	if (st->faults.version != f->faults_seen) {
		fwd_links_reparam(f);
		f->faults_seen = st->faults.version;
	}
	if (step == f->step_seen)
		return;
	for (size_t p = 0; p < f->nports; p++) {
		for (size_t di = 0; di < rt->ndest; di++) {
			uint64_t h = fwd_path_hash(rt, di, f->port[p].node);
			uint64_t *old = &f->path_hash[p * rt->ndest + di];

			if (f->step_seen >= 0 && h != *old &&
			    rt->dest[di] != f->port[p].node) {
				struct fwd_note n = {
					.kind = FWD_NOTE_ROUTE, .port = p,
					.a = f->port[p].node,
					.b = rt->dest[di],
				};

				f->st.route_changes++;
				if (f->notify)
					f->notify(f, &n);
			}
			*old = h;
		}
	}
	f->step_seen = step;
}

/* ---- routing one packet at one node ------------------------------------------ */

struct fwd_pkt *fwd_pkt_new(struct fwd *f, const uint8_t *buf, size_t len)
{
	struct fwd_pkt *p = fwd_pkt_alloc(f, len);

	if (!p)
		return NULL;
	memcpy(p->data, buf, len);
	p->len = (uint32_t)len;
	return p;
}

/*
 * A packet the mesh itself sends from node from (an ICMP message), built
 * in p: parse it like any frame and send it on its way from there.
 */
static void fwd_inject(struct fwd *f, struct fwd_pkt *p, uint32_t from,
		       int64_t now)
{
	int32_t dst;

	if (!pkt_parse(p->data, p->len, &p->pi)) {
		f->st.reason[p->pi.why]++;
		fwd_drop(f, p, FWD_D_PARSE);
		return;
	}
	dst = fwd_node_of(f, &p->pi, false);
	if (dst < 0) {
		fwd_drop(f, p, FWD_D_DST);
		return;
	}
	p->src = from;
	p->dst = (uint32_t)dst;
	p->ingress = from;
	p->at = from;
	fwd_at_node(f, p, now);
}

static void fwd_icmp_error(struct fwd *f, struct fwd_pkt *p, uint32_t at,
			   enum icmp_kind kind, int64_t now)
{
	struct fwd_pkt *e = fwd_pkt_alloc(f, ICMP_ERR_BUF);
	enum pkt_reason why;

	if (!e) {
		f->st.drop[FWD_D_NOMEM]++;
		return;
	}
	e->len = (uint32_t)icmp_error(p->data, &p->pi, kind, at, 0, e->data,
				      ICMP_ERR_BUF, &why);
	if (!e->len) {
		f->st.reason[why]++;
		fwd_pkt_free(f, e);
		return;
	}
	f->st.icmp_errors++;
	fwd_inject(f, e, at, now);
}

/*
 * No way on from v: drop p, with an ICMP net unreachable from v unless v
 * is the sender's own router. That error would carry the sender's own
 * address, which its kernel drops as a martian: only routers further on
 * answer.
 */
static void fwd_no_route(struct fwd *f, struct fwd_pkt *p, uint32_t v,
			 int64_t now)
{
	if (v != p->src)
		fwd_icmp_error(f, p, v, ICMP_NET_UNREACH, now);
	/* a destination that failed is unreachable because it failed */
	fwd_drop(f, p, fwd_node_down(f, p->dst) ? FWD_D_NODE_DOWN
						: FWD_D_NO_ROUTE);
}

/* The node after v on p's way, or -1. */
static int32_t fwd_next_hop(struct fwd *f, struct fwd_pkt *p, uint32_t v)
{
	const struct route_table *rt = &ring_current(f->ring)->routes;
	long di = route_dest_index(rt, p->dst);

	if (di >= 0)
		return route_next(rt, (size_t)di, v);
	if (!p->route) {
		/* source route from the ingress's own tree (see top) */
		long si = route_dest_index(rt, p->ingress);
		uint32_t hops[FWD_MAX_ROUTE];
		size_t n;

		if (si < 0)
			return -1;
		n = route_path(rt, (size_t)si, p->dst, hops, FWD_MAX_ROUTE);
		if (!n || n > FWD_MAX_ROUTE)
			return -1;
		p->route = malloc(n * sizeof(*p->route));
		if (!p->route)
			return -1;
		for (size_t i = 0; i < n; i++)	/* reversed: ingress first */
			p->route[i] = hops[n - 1 - i];
		p->nroute = (uint16_t)n;
		p->iroute = 0;
	}
	while (p->iroute + 1 < p->nroute && p->route[p->iroute] != v)
		p->iroute++;
	if (p->iroute + 1 >= p->nroute || p->route[p->iroute] != v)
		return -1;
	return (int32_t)p->route[p->iroute + 1];
}

/* Put p (p->at the far end) on link l from v at logical time now. */
static void fwd_enqueue(struct fwd *f, struct fwd_pkt *p, struct link *l,
			uint32_t v, int64_t now)
{
	int64_t finish, prop;

	p->lp.wire_bytes = p->pi.wire_len;
	p->lp.segments = p->pi.gso_segs;
	finish = link_finish_ns(l, now, p->lp.wire_bytes);
	prop = ring_delay_ns(f->ring, v, p->at, finish) +
	       container_of(l, struct linktab_ent, link)->extra_ns;
	switch (link_enqueue(l, &p->lp, now, prop)) {
	case LINK_QUEUED:
		f->st.forwarded++;
		if (sched_update(&f->sched, l) < 0) {
			/* cannot schedule: take it back out and drop it */
			link_flush(l, fwd_flush_cb, f);
			f->st.drop[FWD_D_NOMEM]++;
			return;
		}
		if (fwd_remote(f, p->at))
			fwd_shard_cut(f, p, v, p->lp.due_ns);
		return;
	case LINK_DROP_QUEUE:
		fwd_drop(f, p, FWD_D_QUEUE);
		return;
	case LINK_DROP_LOSS:
		fwd_drop(f, p, FWD_D_LOSS);
		return;
	case LINK_DROP_DOWN:
		fwd_drop(f, p, FWD_D_LINK_DOWN);
		return;
	}
}

/* Segment s of p goes where p goes: same nodes, same source route. */
static bool fwd_pkt_follow(struct fwd_pkt *s, const struct fwd_pkt *p)
{
	s->src = p->src;
	s->dst = p->dst;
	s->ingress = p->ingress;
	s->at = p->at;
	s->ttl_done = p->ttl_done;
	if (p->route) {
		s->route = malloc(p->nroute * sizeof(*s->route));
		if (!s->route)
			return false;
		memcpy(s->route, p->route, p->nroute * sizeof(*s->route));
		s->nroute = p->nroute;
		s->iroute = p->iroute;
	}
	return true;
}

/*
 * A super-frame about to cross a lossy link goes on as its segments
 * (gso.h), so that each meets the link's loss on its own as on a real
 * link; from here on they are ordinary frames. Their wire bytes add up to
 * the super-frame's, so the link's timing is the same.
 */
static void fwd_send_segments(struct fwd *f, struct fwd_pkt *p,
			      struct link *l, uint32_t v, int64_t now)
{
	f->st.gso_split++;
	for (uint32_t i = 0; i < p->pi.gso_segs; i++) {
		size_t n = gso_segment_len(&p->pi, i);
		struct fwd_pkt *s = fwd_pkt_alloc(f, n);

		if (!s || !fwd_pkt_follow(s, p)) {
			fwd_drop(f, s, FWD_D_NOMEM);
			continue;
		}
		s->len = (uint32_t)gso_segment(p->data, &p->pi, i, s->data, n);
		if (!s->len || !pkt_parse(s->data, s->len, &s->pi)) {
			f->st.reason[s->pi.why]++;
			fwd_drop(f, s, FWD_D_PARSE);
			continue;
		}
		fwd_enqueue(f, s, l, v, now);
	}
	fwd_pkt_free(f, p);
}

/* Put p on the link v -> w at logical time now. */
static void fwd_send(struct fwd *f, struct fwd_pkt *p, uint32_t v, uint32_t w,
		     int64_t now)
{
	const struct topo_state *st = ring_current(f->ring);
	long li = graph_find(&st->graph, v, w);
	struct link *l;

	if (li < 0) {
		fwd_no_route(f, p, v, now);
		return;
	}
	l = fwd_link_get(f, v, w, st->links.v[li].kind, now);
	if (!l) {
		fwd_drop(f, p, FWD_D_NOMEM);
		return;
	}
	if (!l->up)
		link_set_up(l, true);
	p->at = w;
	if (p->pi.gso_segs > 1 && l->params.loss.kind != LINKPARAMS_LOSS_NONE)
		fwd_send_segments(f, p, l, v, now);
	else
		fwd_enqueue(f, p, l, v, now);
}

/* The packet reached its destination node dst. */
static void fwd_arrive(struct fwd *f, struct fwd_pkt *p, int64_t now)
{
	int32_t port = f->port_of[p->dst];
	struct fwd_pkt *r;
	enum pkt_reason why;
	uint8_t mac[6];

	if (port >= 0) {
		addr_mac(p->src, mac);
		pkt_eth_set(p->data, f->port[port].mac, mac);
		f->st.delivered++;
		fwd_output(f, (size_t)port, p->data, p->len, now);
		fwd_pkt_free(f, p);
		return;
	}
	if (!icmp_is_echo_request(&p->pi)) {
		fwd_icmp_error(f, p, p->dst, ICMP_HOST_UNREACH, now);
		fwd_drop(f, p, FWD_D_UNTAPPED);
		return;
	}
	/* a reply is never longer than the request (icmp.h) */
	r = fwd_pkt_alloc(f, p->len);
	if (!r) {
		fwd_drop(f, p, FWD_D_NOMEM);
		return;
	}
	r->len = (uint32_t)icmp_echo_reply(p->data, &p->pi, p->dst, r->data,
					   p->len, &why);
	if (r->len) {
		f->st.echo_replies++;
		f->st.delivered++;
		fwd_inject(f, r, p->dst, now);
	} else {
		f->st.reason[why]++;
		f->st.drop[FWD_D_UNTAPPED]++;
		fwd_pkt_free(f, r);
	}
	fwd_pkt_free(f, p);
}

void fwd_at_node(struct fwd *f, struct fwd_pkt *p, int64_t now)
{
	uint32_t v = p->at;
	int32_t w;

	if (fwd_node_down(f, v)) {
		/* it reached a node that failed meanwhile: nobody answers */
		fwd_drop(f, p, FWD_D_NODE_DOWN);
		return;
	}
	if (v == p->dst) {
		fwd_arrive(f, p, now);
		return;
	}
	if (v != p->ingress && !(f->ttl_fabric && p->ttl_done)) {
		if (!pkt_ttl_decrement(p->data, &p->pi)) {
			fwd_icmp_error(f, p, v, ICMP_TIME_EXCEEDED, now);
			fwd_drop(f, p, FWD_D_TTL);
			return;
		}
		p->ttl_done = true;
	}
	w = fwd_next_hop(f, p, v);
	if (w < 0) {
		fwd_no_route(f, p, v, now);
		return;
	}
	fwd_send(f, p, v, (uint32_t)w, now);
}

int64_t fwd_release(struct fwd *f, int64_t now)
{
	struct link *l;

	if (now > f->now)
		f->now = now;
	while ((l = sched_peek_due(&f->sched, now))) {
		struct link_pkt *lp = link_pop_due(l, now);

		sched_update(&f->sched, l);
		if (!lp)
			continue;
		if (fwd_remote(f, ((struct fwd_pkt *)lp)->at)) {
			/* its owner got it at enqueue: the copy is done */
			fwd_pkt_free(f, (struct fwd_pkt *)lp);
			continue;
		}
		hist_add(&f->late, now - lp->due_ns);
		if (f->on_hop) {
			const struct linktab_ent *e =
				container_of(l, struct linktab_ent, link);
			const struct fwd_pkt *p = (struct fwd_pkt *)lp;

			f->on_hop(f, linktab_a(e), linktab_b(e), p->data,
				  p->len, lp->due_ns);
		}
		fwd_at_node(f, (struct fwd_pkt *)lp, lp->due_ns);
	}
	return sched_next_due(&f->sched);
}
