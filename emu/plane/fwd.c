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
 * A node without a TAP answers echo requests itself, so any satellite can be
 * pinged; ICMP messages the mesh generates travel back through the mesh like
 * any packet. Destinations without a next-hop table (satellites that are not
 * routing destinations) are reached by a source route taken at the ingress
 * from the source's own shortest-path tree (the graph is undirected with
 * symmetric delays, so the path back is the path there).
 *
 * Directed links are created when traffic first uses them and live until
 * the end of the run; when the geometry takes one down, what it holds is
 * dropped and counted (link down), and traffic follows the new routes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "emu/net/addr.h"
#include "emu/net/arp.h"
#include "emu/plane/fwd.h"
#include "emu/net/icmp.h"
#include "emu/net/ndp.h"

#define FWD_MAX_ROUTE 128
/*
 * Packet buffers come from two free lists: small ones for ordinary frames
 * and PKT_BUF_MAX ones for super-frames. A TAP is read straight into a big
 * buffer, which a super-frame keeps (no copy) and a small frame gives back
 * after copying itself out. Reusing buffers matters: a fresh 64 KiB malloc
 * per super-frame cost ~16 page faults each and halved TCP throughput.
 */
#define FWD_SMALL 2048
#define FWD_KEEP_SMALL 16384		/* 32 MiB cached at most */
#define FWD_KEEP_BIG 256		/* 16 MiB cached at most */

struct fwd_linkent {
	uint64_t key;			/* a << 32 | b */
	struct link link;
};

/* A packet on its way: embedded link record, addressing, the bytes. */
struct fwd_pkt {
	struct link_pkt lp;		/* first: container_of is a cast */
	uint32_t src, dst;		/* mesh nodes of the IP addresses */
	uint32_t ingress;		/* node where it entered the mesh */
	uint32_t at;			/* node it is travelling to / at */
	uint32_t *route;		/* source route, or NULL */
	uint16_t nroute, iroute;
	struct pkt_info pi;
	uint32_t len;
	bool big;			/* buffer of PKT_BUF_MAX, not FWD_SMALL */
	uint8_t data[];
};

static const char *const fwd_drop_names[FWD_D__COUNT] = {
	[FWD_D_PARSE] = "malformed",
	[FWD_D_NOT_ANSWERED] = "not-answered",
	[FWD_D_SRC] = "source-not-mesh",
	[FWD_D_DST] = "destination-not-mesh",
	[FWD_D_SELF] = "to-itself",
	[FWD_D_NO_ROUTE] = "no-route",
	[FWD_D_TTL] = "ttl-expired",
	[FWD_D_UNTAPPED] = "to-untapped-node",
	[FWD_D_QUEUE] = "queue",
	[FWD_D_LOSS] = "loss",
	[FWD_D_LINK_DOWN] = "link-down",
	[FWD_D_TAP_WRITE] = "tap-write",
	[FWD_D_NOMEM] = "no-memory",
};

const char *fwd_drop_name(enum fwd_drop d)
{
	return d < FWD_D__COUNT ? fwd_drop_names[d] : "?";
}

static struct fwd_pkt *fwd_pkt_alloc(struct fwd *f, size_t len)
{
	bool big = len > FWD_SMALL;
	struct fwd_pkt **list = big ? &f->free_big : &f->free_small;
	struct fwd_pkt *p = *list;

	if (p) {
		*list = (struct fwd_pkt *)p->lp.next;
		if (big)
			f->nfree_big--;
		else
			f->nfree_small--;
	} else {
		p = malloc(sizeof(*p) + (big ? PKT_BUF_MAX : FWD_SMALL));
		if (!p)
			return NULL;
	}
	memset(p, 0, sizeof(*p));
	p->big = big;
	return p;
}

static void fwd_pkt_free(struct fwd *f, struct fwd_pkt *p)
{
	if (!p)
		return;
	free(p->route);
	p->route = NULL;
	if (p->big && f->nfree_big < FWD_KEEP_BIG) {
		p->lp.next = (struct link_pkt *)f->free_big;
		f->free_big = p;
		f->nfree_big++;
	} else if (!p->big && f->nfree_small < FWD_KEEP_SMALL) {
		p->lp.next = (struct link_pkt *)f->free_small;
		f->free_small = p;
		f->nfree_small++;
	} else {
		free(p);
	}
}

static void fwd_pool_free(struct fwd_pkt *list)
{
	while (list) {
		struct fwd_pkt *next = (struct fwd_pkt *)list->lp.next;

		free(list);
		list = next;
	}
}

uint8_t *fwd_rx_buffer(struct fwd *f)
{
	if (!f->spare) {
		f->spare = fwd_pkt_alloc(f, PKT_BUF_MAX);
		if (!f->spare)
			return NULL;
	}
	return f->spare->data;
}

static void fwd_drop(struct fwd *f, struct fwd_pkt *p, enum fwd_drop why)
{
	f->st.drop[why]++;
	fwd_pkt_free(f, p);
}

/* ---- the link table -------------------------------------------------- */

static uint64_t fwd_hash(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return k;
}

static int fwd_ltab_grow(struct fwd *f)
{
	size_t cap = f->lcap ? 2 * f->lcap : 256;
	struct fwd_linkent **t = calloc(cap, sizeof(*t));

	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < f->lcap; i++) {
		struct fwd_linkent *e = f->ltab[i];
		size_t j;

		if (!e)
			continue;
		for (j = fwd_hash(e->key) & (cap - 1); t[j]; j = (j + 1) & (cap - 1))
			;
		t[j] = e;
	}
	free(f->ltab);
	f->ltab = t;
	f->lcap = cap;
	return 0;
}

static struct link *fwd_link_get(struct fwd *f, uint32_t a, uint32_t b,
				 uint32_t kind)
{
	uint64_t key = (uint64_t)a << 32 | b;
	struct fwd_linkent *e;
	size_t j;

	if (f->lcap) {
		for (j = fwd_hash(key) & (f->lcap - 1); f->ltab[j];
		     j = (j + 1) & (f->lcap - 1))
			if (f->ltab[j]->key == key)
				return &f->ltab[j]->link;
	}
	if (2 * (f->lcount + 1) > f->lcap && fwd_ltab_grow(f) < 0)
		return NULL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->key = key;
	/* the id seeds the link's random stream: the same in every run */
	link_init(&e->link, (uint32_t)(a * 2654435761u) ^ b,
		  kind == GRAPH_ISL ? &f->isl_lp : &f->gsl_lp, f->seed);
	for (j = fwd_hash(key) & (f->lcap - 1); f->ltab[j];
	     j = (j + 1) & (f->lcap - 1))
		;
	f->ltab[j] = e;
	f->lcount++;
	return &e->link;
}

void fwd_links_foreach(const struct fwd *f,
		       void (*fn)(uint32_t a, uint32_t b, const struct link *l,
				  void *arg),
		       void *arg)
{
	for (size_t i = 0; i < f->lcap; i++) {
		const struct fwd_linkent *e = f->ltab[i];

		if (e)
			fn((uint32_t)(e->key >> 32), (uint32_t)e->key,
			   &e->link, arg);
	}
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

static void fwd_flush_cb(struct link_pkt *lp, void *arg)
{
	fwd_pkt_free(arg, (struct fwd_pkt *)lp);
}

void fwd_free(struct fwd *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->lcap; i++) {
		if (!f->ltab[i])
			continue;
		link_flush(&f->ltab[i]->link, fwd_flush_cb, f);
		free(f->ltab[i]);
	}
	free(f->ltab);
	fwd_pkt_free(f, f->spare);
	fwd_pool_free(f->free_small);
	fwd_pool_free(f->free_big);
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

	if (step == f->step_seen)
		return;
	for (size_t i = 0; i < f->lcap; i++) {
		struct fwd_linkent *e = f->ltab[i];
		bool up;

		if (!e)
			continue;
		up = graph_find(&st->graph, (uint32_t)(e->key >> 32),
				(uint32_t)e->key) >= 0;
		if (up == e->link.up)
			continue;
		link_set_up(&e->link, up);
		if (!up && e->link.head) {
			f->st.link_flushes++;
			f->st.drop[FWD_D_LINK_DOWN] +=
				link_flush(&e->link, fwd_flush_cb, f);
			sched_update(&f->sched, &e->link);
		}
	}
	for (size_t p = 0; p < f->nports; p++) {
		for (size_t di = 0; di < rt->ndest; di++) {
			uint64_t h = fwd_path_hash(rt, di, f->port[p].node);
			uint64_t *old = &f->path_hash[p * rt->ndest + di];

			if (f->step_seen >= 0 && h != *old &&
			    rt->dest[di] != f->port[p].node)
				f->st.route_changes++;
			*old = h;
		}
	}
	f->step_seen = step;
}

/* ---- output ---------------------------------------------------------------- */

static void fwd_output(struct fwd *f, size_t pi, uint8_t *buf, size_t len,
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

/* ---- routing one packet at one node ------------------------------------------ */

static void fwd_at_node(struct fwd *f, struct fwd_pkt *p, int64_t now);

static struct fwd_pkt *fwd_pkt_new(struct fwd *f, const uint8_t *buf,
				   size_t len)
{
	struct fwd_pkt *p = fwd_pkt_alloc(f, len);

	if (!p)
		return NULL;
	memcpy(p->data, buf, len);
	p->len = (uint32_t)len;
	return p;
}

/*
 * A packet the mesh itself sends from node from (an ICMP message): parse it
 * like any frame and send it on its way from there.
 */
static void fwd_inject(struct fwd *f, uint32_t from, const uint8_t *buf,
		       size_t len, int64_t now)
{
	uint32_t n = (uint32_t)f->constel->n;
	struct fwd_pkt *p = fwd_pkt_new(f, buf, len);
	int32_t dst;

	if (!p) {
		f->st.drop[FWD_D_NOMEM]++;
		return;
	}
	if (!pkt_parse(p->data, p->len, &p->pi)) {
		f->st.reason[p->pi.why]++;
		fwd_drop(f, p, FWD_D_PARSE);
		return;
	}
	dst = p->pi.kind == PKT_IP4 ? addr_node_v4(p->pi.dst4, n) :
				      addr_node_v6(&p->pi.dst6, n);
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
	uint8_t out[ICMP_ERR_BUF];
	enum pkt_reason why;
	size_t n;

	n = icmp_error(p->data, &p->pi, kind, at, 0, out, sizeof(out), &why);
	if (!n) {
		f->st.reason[why]++;
		return;
	}
	f->st.icmp_errors++;
	fwd_inject(f, at, out, n, now);
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

/* Put p on the link v -> w at logical time now. */
static void fwd_send(struct fwd *f, struct fwd_pkt *p, uint32_t v, uint32_t w,
		     int64_t now)
{
	const struct topo_state *st = ring_current(f->ring);
	long li = graph_find(&st->graph, v, w);
	struct link *l;
	int64_t finish, prop;

	if (li < 0) {
		if (v != p->src)
			fwd_icmp_error(f, p, v, ICMP_NET_UNREACH, now);
		fwd_drop(f, p, FWD_D_NO_ROUTE);
		return;
	}
	l = fwd_link_get(f, v, w, st->links.v[li].kind);
	if (!l) {
		fwd_drop(f, p, FWD_D_NOMEM);
		return;
	}
	if (!l->up)
		link_set_up(l, true);
	p->lp.wire_bytes = p->pi.wire_len;
	p->lp.segments = p->pi.gso_segs;
	finish = link_finish_ns(l, now, p->lp.wire_bytes);
	prop = ring_delay_ns(f->ring, v, w, finish);
	p->at = w;
	switch (link_enqueue(l, &p->lp, now, prop)) {
	case LINK_QUEUED:
		f->st.forwarded++;
		if (sched_update(&f->sched, l) < 0) {
			/* cannot schedule: take it back out and drop it */
			link_flush(l, fwd_flush_cb, f);
			f->st.drop[FWD_D_NOMEM]++;
		}
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

/* The packet reached its destination node dst. */
static void fwd_arrive(struct fwd *f, struct fwd_pkt *p, int64_t now)
{
	int32_t port = f->port_of[p->dst];
	uint8_t mac[6];

	if (port >= 0) {
		addr_mac(p->src, mac);
		pkt_eth_set(p->data, f->port[port].mac, mac);
		f->st.delivered++;
		fwd_output(f, (size_t)port, p->data, p->len, now);
		fwd_pkt_free(f, p);
		return;
	}
	if (icmp_is_echo_request(&p->pi)) {
		uint8_t *out = malloc(p->len);
		enum pkt_reason why;
		size_t n;

		if (!out) {
			fwd_drop(f, p, FWD_D_NOMEM);
			return;
		}
		n = icmp_echo_reply(p->data, &p->pi, p->dst, out, p->len, &why);
		if (n) {
			f->st.echo_replies++;
			f->st.delivered++;
			fwd_inject(f, p->dst, out, n, now);
		} else {
			f->st.reason[why]++;
			f->st.drop[FWD_D_UNTAPPED]++;
		}
		free(out);
		fwd_pkt_free(f, p);
		return;
	}
	fwd_icmp_error(f, p, p->dst, ICMP_HOST_UNREACH, now);
	fwd_drop(f, p, FWD_D_UNTAPPED);
}

static void fwd_at_node(struct fwd *f, struct fwd_pkt *p, int64_t now)
{
	uint32_t v = p->at;
	int32_t w;

	if (v == p->dst) {
		fwd_arrive(f, p, now);
		return;
	}
	if (v != p->ingress && pkt_ttl_dec(p->data, &p->pi)) {
		fwd_icmp_error(f, p, v, ICMP_TIME_EXCEEDED, now);
		fwd_drop(f, p, FWD_D_TTL);
		return;
	}
	w = fwd_next_hop(f, p, v);
	if (w < 0) {
		/*
		 * An error from the sender's own router would carry the
		 * sender's own address, which its kernel drops as a martian:
		 * only routers further on answer.
		 */
		if (v != p->src)
			fwd_icmp_error(f, p, v, ICMP_NET_UNREACH, now);
		fwd_drop(f, p, FWD_D_NO_ROUTE);
		return;
	}
	fwd_send(f, p, v, (uint32_t)w, now);
}

/* ---- frames from TAPs ----------------------------------------------------- */

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

void fwd_ingress(struct fwd *f, size_t pi, const uint8_t *buf, size_t len,
		 int64_t now)
{
	struct fwd_port *port = &f->port[pi];
	uint32_t n = (uint32_t)f->constel->n;
	struct pkt_info info;
	struct fwd_pkt *p;
	int32_t src, dst;

	f->st.rx_frames++;
	f->st.rx_bytes += len;
	port->rx_frames++;
	port->rx_bytes += len;
	if (!pkt_parse(buf, len, &info)) {
		f->st.reason[info.why]++;
		f->st.drop[FWD_D_PARSE]++;
		port->drops++;
		return;
	}
	/* the TAP's own MAC, learned from what it sends */
	if (len >= PKT_VNET_LEN + PKT_ETH_LEN)
		memcpy(port->mac, buf + PKT_VNET_LEN + 6, 6);
	if (info.kind == PKT_ARP || info.kind == PKT_NDP) {
		fwd_answer(f, pi, buf, &info, now);
		return;
	}
	if (info.kind == PKT_IP4) {
		src = addr_node_v4(info.src4, n);
		dst = addr_node_v4(info.dst4, n);
	} else {
		src = addr_node_v6(&info.src6, n);
		dst = addr_node_v6(&info.dst6, n);
	}
	if (src < 0 || dst < 0 || (uint32_t)dst == port->node) {
		f->st.drop[src < 0 ? FWD_D_SRC : dst < 0 ? FWD_D_DST :
						 FWD_D_SELF]++;
		port->drops++;
		return;
	}
	if (f->spare && buf == f->spare->data && len > FWD_SMALL) {
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
}

int64_t fwd_release(struct fwd *f, int64_t now)
{
	struct link *l;

	while ((l = sched_peek_due(&f->sched, now))) {
		struct link_pkt *lp = link_pop_due(l, now);

		sched_update(&f->sched, l);
		if (!lp)
			continue;
		hist_add(&f->late, now - lp->due_ns);
		fwd_at_node(f, (struct fwd_pkt *)lp, lp->due_ns);
	}
	return sched_next_due(&f->sched);
}
