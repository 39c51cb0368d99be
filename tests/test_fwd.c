// SPDX-License-Identifier: MIT
/* test_fwd.c - the forwarder, fake clock: delays, TTL, ICMP, drops, flushes */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "emu/net/addr.h"
#include "emu/conf/config.h"
#include "emu/net/csum.h"
#include "emu/plane/fwd.h"
#include "emu/net/ndp.h"
#include "emu/net/pkt.h"
#include "emu/conf/scenario.h"
#include "topo/consts.h"
#include "tests/lib/world.h"

#define US INT64_C(1000)
#define MS INT64_C(1000000)
#define WALL0 INT64_C(7000000000)	/* the data plane's clock at epoch */
#define T0 (WALL0 + 1 * MS)		/* when the test frames are read */
#define PAYLOAD 56			/* ping's default */
#define ECHO_LEN (PKT_VNET_LEN + PKT_ETH_LEN + 20 + 8 + PAYLOAD)

/*
 * 12 planes of 12 at 550 km with +Grid links at 1 Gbit/s, three tapped
 * satellites, and a ground station at the pole, which a 53 degree shell
 * at 550 km never rises over (max latitude 53 + 20 degrees of coverage).
 */
static const char fwd_conf[] =
	"[emulation]\n"
	"epoch = 2026-02-23T00:00:00Z\n"
	"step = 100ms\n"
	"[shell w]\n"
	"type = walker-delta\n"
	"planes = 12\n"
	"per-plane = 12\n"
	"phasing = 5\n"
	"altitude = 550km\n"
	"inclination = 53deg\n"
	"[isl]\n"
	"rate = 1gbit\n"
	"queue = 100p\n"
	"[ground pole]\n"
	"latitude = 89.9\n"
	"longitude = 0\n"
	"altitude = 0m\n"
	"[tap]\n"
	"nodes = w-0-0 w-2-3 w-5-6\n";

/* What the output callback saw: one record per frame written. */
struct out {
	size_t port;
	uint32_t node;
	int64_t now;
	size_t len;
	uint8_t data[2048];
};

struct sink {
	struct out v[256];
	size_t n;		/* kept in v */
	size_t total;		/* written */
	int fail;		/* return this from the output (0 = write) */
};

struct world {
	struct config *cfg;
	struct scenario s;
	struct ring g;
	struct fwd f;
	struct sink sink;
	struct fwd_port ports[8];
	uint32_t a, b, c;	/* the tapped nodes (ports 0, 1, 2) */
};

static int sink_output(struct fwd *f, size_t pi, const uint8_t *buf,
		       size_t len, int64_t now)
{
	struct sink *s = f->arg;
	struct out *o;

	if (s->fail)
		return s->fail;
	s->total++;
	if (s->n == sizeof(s->v) / sizeof(s->v[0]))
		return 0;
	cr_assert_leq(len, sizeof(o->data));
	o = &s->v[s->n++];
	o->port = pi;
	o->node = f->port[pi].node;
	o->now = now;
	o->len = len;
	memcpy(o->data, buf, len);
	return 0;
}

static void port_mac(size_t i, uint8_t mac[6])
{
	static const uint8_t base[6] = { 0x02, 0xaa, 0xbb, 0, 0, 0 };

	memcpy(mac, base, 6);
	mac[5] = (uint8_t)(i + 1);
}

static void world_load(struct world *w)
{
	int ret;

	memset(w, 0, sizeof(*w));
	w->cfg = world_scenario(fwd_conf, "fwd.conf", &w->s);
	cr_assert_eq(w->s.ntapped, 3);
	w->a = w->s.tapped[0];
	w->b = w->s.tapped[1];
	w->c = w->s.tapped[2];
	cr_assert_str_eq(w->s.constel.node[w->a].name, "w-0-0");
	cr_assert_str_eq(w->s.constel.node[w->b].name, "w-2-3");
	ret = ring_init(&w->g, &w->s.model, w->s.epoch_unix_ns,
			w->s.step_ns, 1.0, WALL0, NULL);
	cr_assert_eq(ret, 0);
}

static void world_start(struct world *w, const struct linkparams *isl)
{
	for (size_t i = 0; i < w->s.ntapped; i++) {
		w->ports[i].node = w->s.tapped[i];
		port_mac(i, w->ports[i].mac);
	}
	cr_assert_eq(fwd_init(&w->f, &w->g, &w->s.constel, w->ports,
			      w->s.ntapped, isl ? isl : &w->s.isl_lp,
			      &w->s.gsl_lp, 1, sink_output, &w->sink),
		     0);
}

static void world_init(struct world *w)
{
	world_load(w);
	world_start(w, NULL);
}

static void world_free(struct world *w)
{
	fwd_free(&w->f);
	ring_free(&w->g);
	scenario_free(&w->s);
	config_free(w->cfg);
}

/* Release everything, in due order, as the data plane's timer would. */
static void drain(struct world *w)
{
	int64_t t;

	for (int guard = 0; (t = fwd_next_due(&w->f)) != INT64_MAX; guard++) {
		cr_assert_lt(guard, 100000);
		cr_assert_eq(fwd_release(&w->f, t), fwd_next_due(&w->f));
	}
}

/* ---- frames ------------------------------------------------------------ */

static void ip4_csum(uint8_t *ip)
{
	pkt_put16(ip + 10, 0);
	pkt_put16(ip + 10, csum_fold(csum_add(0, ip, (ip[0] & 15) * 4)));
}

static bool ip4_csum_ok(const uint8_t *ip)
{
	return csum_fold(csum_add(0, ip, (ip[0] & 15) * 4)) == 0;
}

/*
 * A zeroed virtio-net header, Ethernet from smac to the MAC of node dst
 * (any unicast MAC would do), IPv4 from src to dst with ttl, ICMP echo
 * request with seq and PAYLOAD bytes. Returns ECHO_LEN.
 */
static size_t mk_echo4_len(uint8_t *b, const uint8_t smac[6],
			   struct in_addr src, struct in_addr dst, uint8_t ttl,
			   uint16_t seq, size_t payload)
{
	uint8_t *eth = b + PKT_VNET_LEN, *ip = eth + PKT_ETH_LEN, *icmp;

	memset(b, 0, PKT_VNET_LEN + PKT_ETH_LEN + 28 + payload);
	addr_mac(5, eth);
	memcpy(eth + 6, smac, 6);
	pkt_put16(eth + 12, PKT_ETH_P_IP);
	ip[0] = 0x45;
	pkt_put16(ip + 2, (uint16_t)(20 + 8 + payload));
	pkt_put16(ip + 4, seq);
	pkt_put16(ip + 6, 0x4000);	/* DF */
	ip[8] = ttl;
	ip[9] = IPPROTO_ICMP;
	memcpy(ip + 12, &src, 4);
	memcpy(ip + 16, &dst, 4);
	ip4_csum(ip);
	icmp = ip + 20;
	icmp[0] = 8;
	pkt_put16(icmp + 4, 0x1234);
	pkt_put16(icmp + 6, seq);
	for (size_t i = 0; i < payload; i++)
		icmp[8 + i] = (uint8_t)(i * 7 + seq);
	pkt_put16(icmp + 2, csum_fold(csum_add(0, icmp, 8 + payload)));
	return PKT_VNET_LEN + PKT_ETH_LEN + 28 + payload;
}

static size_t mk_echo4(uint8_t *b, const uint8_t smac[6], struct in_addr src,
		       struct in_addr dst, uint8_t ttl, uint16_t seq)
{
	return mk_echo4_len(b, smac, src, dst, ttl, seq, PAYLOAD);
}

static size_t echo(struct world *w, size_t port, uint32_t dst, uint8_t ttl,
		   uint16_t seq, uint8_t *b)
{
	return mk_echo4(b, w->ports[port].mac, addr_v4(w->ports[port].node),
			addr_v4(dst), ttl, seq);
}

static const uint8_t *ip_of(const struct out *o)
{
	return o->data + PKT_VNET_LEN + PKT_ETH_LEN;
}

static uint32_t ip_src_node(const struct out *o, uint32_t n)
{
	struct in_addr a;

	memcpy(&a, ip_of(o) + 12, 4);
	return (uint32_t)addr_node_v4(a, n);
}

static uint32_t ip_dst_node(const struct out *o, uint32_t n)
{
	struct in_addr a;

	memcpy(&a, ip_of(o) + 16, 4);
	return (uint32_t)addr_node_v4(a, n);
}

/*
 * The same for IPv6: ICMPv6 echo request from src to dst with hop limit
 * hl, checksum over the pseudo-header. Returns its length.
 */
static size_t mk_echo6(uint8_t *b, const uint8_t smac[6], uint32_t src,
		       uint32_t dst, uint8_t hl, uint16_t seq)
{
	uint8_t *eth = b + PKT_VNET_LEN, *ip = eth + PKT_ETH_LEN;
	uint8_t *icmp = ip + 40;
	struct in6_addr s6 = addr_v6(src), d6 = addr_v6(dst);
	size_t plen = 8 + PAYLOAD;

	memset(b, 0, PKT_VNET_LEN + PKT_ETH_LEN + 40 + plen);
	addr_mac(dst, eth);
	memcpy(eth + 6, smac, 6);
	pkt_put16(eth + 12, PKT_ETH_P_IPV6);
	pkt_put32(ip, 0x60000000u);
	pkt_put16(ip + 4, (uint16_t)plen);
	ip[6] = IPPROTO_ICMPV6;
	ip[7] = hl;
	memcpy(ip + 8, &s6, 16);
	memcpy(ip + 24, &d6, 16);
	icmp[0] = 128;
	pkt_put16(icmp + 4, 0x4321);
	pkt_put16(icmp + 6, seq);
	for (size_t i = 0; i < PAYLOAD; i++)
		icmp[8 + i] = (uint8_t)(i ^ seq);
	pkt_put16(icmp + 2,
		  csum_fold(csum_add(csum_pseudo_v6(&s6, &d6, IPPROTO_ICMPV6,
						    (uint32_t)plen),
				     icmp, plen)));
	return PKT_VNET_LEN + PKT_ETH_LEN + 40 + plen;
}

static bool icmp6_csum_ok(const uint8_t *ip)
{
	struct in6_addr s6, d6;
	uint32_t plen = pkt_get16(ip + 4);

	memcpy(&s6, ip + 8, 16);
	memcpy(&d6, ip + 24, 16);
	return csum_fold(csum_add(csum_pseudo_v6(&s6, &d6, IPPROTO_ICMPV6,
						 plen),
				  ip + 40, plen)) == 0;
}

/* ---- expected times ---------------------------------------------------- */

static int64_t tx_ns(uint32_t wire, uint64_t rate)
{
	if (!rate)
		return 0;
	return (int64_t)(((uint64_t)wire * 8 * 1000000000u + rate - 1) / rate);
}

/*
 * The logical time at which a packet of wire bytes, offered at t to the
 * first node of path (n nodes), reaches the last, over idle links: each
 * hop serialises, then waits the light time at the end of serialisation.
 */
static int64_t walk(const struct ring *g, const uint32_t *path, size_t n,
		    int64_t t, uint32_t wire, uint64_t rate)
{
	for (size_t i = 0; i + 1 < n; i++) {
		int64_t finish = t + tx_ns(wire, rate);

		t = finish + ring_delay_ns(g, path[i], path[i + 1], finish);
	}
	return t;
}

/* The path from node from to node to in the current step's tables. */
static size_t path_to(const struct world *w, uint32_t from, uint32_t to,
		      uint32_t *out, size_t max)
{
	const struct route_table *rt = &ring_current(&w->g)->routes;
	long di = route_dest_index(rt, to);

	cr_assert_geq(di, 0, "node %u is not a destination", to);
	return route_path(rt, (size_t)di, from, out, max);
}

static double path_km(const struct world *w, uint32_t from, uint32_t to)
{
	const struct route_table *rt = &ring_current(&w->g)->routes;

	return route_dist(rt, (size_t)route_dest_index(rt, to), from);
}

/* ---- tests ------------------------------------------------------------- */

Test(fwd, delivery_time_ttl_checksum_macs)
{
	struct world w;
	uint8_t b[ECHO_LEN], mac[6];
	uint32_t path[64];
	size_t n, len;
	const struct out *o;
	int64_t want, approx;
	uint64_t rate;

	world_init(&w);
	rate = w.cfg->isl.lp.rate_bps;
	cr_assert_eq(rate, 1000000000u);
	n = path_to(&w, w.a, w.b, path, 64);
	cr_assert_geq(n, 4, "path of %zu nodes: too short for this test", n);
	cr_assert_eq(path[0], w.a);
	cr_assert_eq(path[n - 1], w.b);

	len = echo(&w, 0, w.b, 64, 1, b);
	fwd_ingress(&w.f, 0, b, len, T0);
	cr_assert_eq(w.sink.n, 0, "delivered before any delay");
	cr_assert_eq(w.f.st.rx_frames, 1);
	cr_assert_eq(w.f.st.forwarded, 1);
	cr_assert_eq(fwd_next_due(&w.f),
		     walk(&w.g, path, 2, T0, len - PKT_VNET_LEN, rate));
	/* nothing moves before it is due */
	cr_assert_eq(fwd_release(&w.f, fwd_next_due(&w.f) - 1),
		     fwd_next_due(&w.f));
	cr_assert_eq(w.f.st.forwarded, 1);
	drain(&w);

	cr_assert_eq(w.sink.n, 1);
	o = &w.sink.v[0];
	cr_assert_eq(o->port, 1);
	cr_assert_eq(o->len, len);
	/* exactly the hop-by-hop serialisation + light time */
	want = walk(&w.g, path, n, T0, len - PKT_VNET_LEN, rate);
	cr_assert_eq(o->now, want, "delivered at %lld, want %lld",
		     (long long)(o->now - T0), (long long)(want - T0));
	/* and within 1 us of the route's length / c plus serialisation */
	approx = T0 + (int64_t)(n - 1) * tx_ns(len - PKT_VNET_LEN, rate) +
		 llround(path_km(&w, w.a, w.b) * 1e9 / TOPO_C_KM_S);
	cr_assert_lt(llabs(o->now - approx), 1 * US, "%lld ns off",
		     (long long)(o->now - approx));
	cr_log_info("%zu hops, %.1f km: delivered after %.3f ms", n - 1,
		    path_km(&w, w.a, w.b), (o->now - T0) / 1e6);

	/* TTL less one per satellite in between, checksum still right */
	cr_assert_eq(ip_of(o)[8], 64 - (n - 2));
	cr_assert(ip4_csum_ok(ip_of(o)));
	/* the rest of the packet is what was sent */
	cr_assert_eq(memcmp(ip_of(o) + 20, b + PKT_VNET_LEN + PKT_ETH_LEN + 20,
			    8 + PAYLOAD), 0);
	/* Ethernet: to B's interface, from A's mesh MAC */
	cr_assert_eq(memcmp(o->data + PKT_VNET_LEN, w.ports[1].mac, 6), 0);
	addr_mac(w.a, mac);
	cr_assert_eq(memcmp(o->data + PKT_VNET_LEN + 6, mac, 6), 0);
	cr_assert_eq(w.f.st.delivered, 1);
	cr_assert_eq(w.f.st.forwarded, n - 1);
	cr_assert_eq(w.f.st.tx_frames, 1);
	cr_assert_eq(w.f.st.tx_bytes, len);
	cr_assert_eq(w.f.port[1].tx_frames, 1);
	cr_assert_eq(w.f.port[0].rx_frames, 1);
	for (int d = 0; d < FWD_D__COUNT; d++)
		cr_assert_eq(w.f.st.drop[d], 0, "drop %s",
			     fwd_drop_name((enum fwd_drop)d));
	world_free(&w);
}

/* Two frames back to back: the second waits for the first on each hop. */
Test(fwd, back_to_back_frames_queue)
{
	struct world w;
	uint8_t b[ECHO_LEN];
	uint32_t path[64];
	size_t n, len;
	int64_t tx;

	world_init(&w);
	n = path_to(&w, w.a, w.b, path, 64);
	len = echo(&w, 0, w.b, 64, 1, b);
	fwd_ingress(&w.f, 0, b, len, T0);
	len = echo(&w, 0, w.b, 64, 2, b);
	fwd_ingress(&w.f, 0, b, len, T0);
	drain(&w);
	cr_assert_eq(w.sink.n, 2);
	tx = tx_ns(len - PKT_VNET_LEN, w.cfg->isl.lp.rate_bps);
	/* in order, one serialisation apart (light time moves < 1 ns) */
	cr_assert_eq(pkt_get16(ip_of(&w.sink.v[0]) + 20 + 6), 1);
	cr_assert_eq(pkt_get16(ip_of(&w.sink.v[1]) + 20 + 6), 2);
	cr_assert_lt(llabs(w.sink.v[1].now - w.sink.v[0].now - tx), 3,
		     "spacing %lld, tx %lld",
		     (long long)(w.sink.v[1].now - w.sink.v[0].now),
		     (long long)tx);
	(void)n;
	world_free(&w);
}

Test(fwd, arp_answered_at_once)
{
	struct world w;
	uint8_t b[PKT_VNET_LEN + PKT_ETH_LEN + 28], mac[6];
	uint32_t targets[3];
	uint32_t nn;

	world_init(&w);
	nn = (uint32_t)w.s.constel.n;
	targets[0] = w.b;		/* a tapped node */
	targets[1] = 77;		/* a satellite without a TAP */
	targets[2] = nn - 1;		/* the ground station */
	for (size_t k = 0; k < 3; k++) {
		uint8_t *eth = b + PKT_VNET_LEN, *arp = eth + PKT_ETH_LEN;
		struct in_addr sip = addr_v4(w.a), tip = addr_v4(targets[k]);
		const struct out *o;
		struct in_addr got;

		memset(b, 0, sizeof(b));
		memset(eth, 0xff, 6);
		memcpy(eth + 6, w.ports[0].mac, 6);
		pkt_put16(eth + 12, PKT_ETH_P_ARP);
		pkt_put16(arp, 1);
		pkt_put16(arp + 2, PKT_ETH_P_IP);
		arp[4] = 6;
		arp[5] = 4;
		pkt_put16(arp + 6, 1);
		memcpy(arp + 8, w.ports[0].mac, 6);
		memcpy(arp + 14, &sip, 4);
		memcpy(arp + 24, &tip, 4);
		fwd_ingress(&w.f, 0, b, sizeof(b), T0 + (int64_t)k);

		cr_assert_eq(w.sink.n, k + 1, "no ARP reply for node %u",
			     targets[k]);
		o = &w.sink.v[k];
		cr_assert_eq(o->port, 0);
		cr_assert_eq(o->now, T0 + (int64_t)k);
		cr_assert_eq(o->len, sizeof(b));
		eth = (uint8_t *)o->data + PKT_VNET_LEN;
		arp = eth + PKT_ETH_LEN;
		addr_mac(targets[k], mac);
		cr_assert_eq(memcmp(eth, w.ports[0].mac, 6), 0);
		cr_assert_eq(memcmp(eth + 6, mac, 6), 0);
		cr_assert_eq(pkt_get16(eth + 12), PKT_ETH_P_ARP);
		cr_assert_eq(pkt_get16(arp + 6), 2);	/* reply */
		cr_assert_eq(memcmp(arp + 8, mac, 6), 0);
		memcpy(&got, arp + 14, 4);
		cr_assert_eq(got.s_addr, tip.s_addr);
		cr_assert_eq(memcmp(arp + 18, w.ports[0].mac, 6), 0);
		memcpy(&got, arp + 24, 4);
		cr_assert_eq(got.s_addr, sip.s_addr);
	}
	cr_assert_eq(w.f.st.arp_replies, 3);
	cr_assert_eq(fwd_next_due(&w.f), INT64_MAX);

	/* an address outside the mesh is not answered */
	{
		uint8_t *arp = b + PKT_VNET_LEN + PKT_ETH_LEN;
		struct in_addr other;

		inet_pton(AF_INET, "10.1.2.3", &other);
		memcpy(arp + 24, &other, 4);
		fwd_ingress(&w.f, 0, b, sizeof(b), T0);
		cr_assert_eq(w.sink.n, 3);
		cr_assert_eq(w.f.st.drop[FWD_D_NOT_ANSWERED], 1);
		cr_assert_eq(w.f.st.reason[PKT_R_ARP_NOT_MESH], 1);
	}
	world_free(&w);
}

/*
 * A satellite without a TAP answers ping: the request goes there by the
 * source route from A's tree, the reply comes back by the table toward A.
 */
Test(fwd, echo_to_untapped_satellite)
{
	struct world w;
	uint8_t b[ECHO_LEN], mac[6];
	uint32_t back[64], there[64], u;
	size_t n, len;
	const struct out *o;
	int64_t t, want;
	uint64_t rate;
	const uint8_t *icmp;

	world_init(&w);
	rate = w.cfg->isl.lp.rate_bps;
	u = (uint32_t)constel_find(&w.s.constel, "w-3-5");
	cr_assert_lt(route_dest_index(&ring_current(&w.g)->routes, u), 0,
		     "w-3-5 must not be a routing destination");
	cr_assert_lt(w.f.port_of[u], 0);
	n = path_to(&w, u, w.a, back, 64);	/* u ... A */
	cr_assert_geq(n, 3);
	for (size_t i = 0; i < n; i++)
		there[i] = back[n - 1 - i];

	len = echo(&w, 0, u, 64, 9, b);
	fwd_ingress(&w.f, 0, b, len, T0);
	drain(&w);
	cr_assert_eq(w.sink.n, 1, "%zu frames out", w.sink.n);
	o = &w.sink.v[0];
	cr_assert_eq(o->port, 0);
	cr_assert_eq(w.f.st.echo_replies, 1);

	t = walk(&w.g, there, n, T0, len - PKT_VNET_LEN, rate);
	want = walk(&w.g, back, n, t, o->len - PKT_VNET_LEN, rate);
	cr_assert_eq(o->now, want, "reply at %lld ns, want %lld",
		     (long long)(o->now - T0), (long long)(want - T0));
	cr_assert_lt(llabs(o->now - T0 - 2 * llround(path_km(&w, u, w.a) *
						      1e9 / TOPO_C_KM_S) -
			   2 * (int64_t)(n - 1) *
				   tx_ns(len - PKT_VNET_LEN, rate)),
		     2 * US);

	/* an echo reply from u to A, TTL 64 less the nodes in between */
	cr_assert_eq(ip_src_node(o, (uint32_t)w.s.constel.n), u);
	cr_assert_eq(ip_dst_node(o, (uint32_t)w.s.constel.n), w.a);
	cr_assert_eq(ip_of(o)[8], 64 - (n - 2));
	cr_assert(ip4_csum_ok(ip_of(o)));
	icmp = ip_of(o) + 20;
	cr_assert_eq(icmp[0], 0);
	cr_assert_eq(pkt_get16(icmp + 4), 0x1234);
	cr_assert_eq(pkt_get16(icmp + 6), 9);
	cr_assert_eq(csum_fold(csum_add(0, icmp, 8 + PAYLOAD)), 0);
	addr_mac(u, mac);
	cr_assert_eq(memcmp(o->data + PKT_VNET_LEN + 6, mac, 6), 0);
	cr_assert_eq(memcmp(o->data + PKT_VNET_LEN, w.ports[0].mac, 6), 0);
	cr_assert_eq(w.f.st.forwarded, 2 * (n - 1));
	world_free(&w);
}

/*
 * The light time of a hop is taken when serialisation ends (link.h:
 * link_finish_ns), not when the frame reached the link. On a 200 kbit/s
 * link a 1,442-byte frame takes 57.7 ms to serialise; toward the
 * neighbour of A whose distance changes fastest (0.2 km/s here) the two
 * differ by range rate * 57.7 ms / c, checked to be at least 20 ns.
 */
Test(fwd, light_time_at_end_of_serialisation)
{
	struct world w;
	struct linkparams lp = {
		.rate_bps = 200000, .qkind = LINKPARAMS_Q_PACKETS,
		.qlimit = 100, .loss = { .kind = LINKPARAMS_LOSS_NONE },
	};
	const struct topo_state *s0, *s1;
	const struct graph *gr;
	uint8_t b[1500];
	uint32_t u = 0, hop[2];
	double best = -1;
	size_t len;
	int64_t tx, at_finish, at_arrival, back;

	world_load(&w);
	world_start(&w, &lp);
	s0 = &w.g.st[0];
	s1 = &w.g.st[1];
	gr = &s0->graph;
	for (uint32_t k = gr->off[w.a]; k < gr->off[w.a + 1]; k++) {
		uint32_t v = gr->arc[k].to;
		double rr = fabs(vec3_dist(s1->pos[w.a], s1->pos[v]) -
				 vec3_dist(s0->pos[w.a], s0->pos[v]));

		if (w.f.port_of[v] < 0 && rr > best) {
			best = rr;
			u = v;
		}
	}
	cr_assert_geq(best, 0, "A has no untapped neighbour");
	len = mk_echo4_len(b, w.ports[0].mac, addr_v4(w.a), addr_v4(u), 64, 1,
			   1400);
	tx = tx_ns(len - PKT_VNET_LEN, lp.rate_bps);
	at_finish = T0 + tx + ring_delay_ns(&w.g, w.a, u, T0 + tx);
	at_arrival = T0 + tx + ring_delay_ns(&w.g, w.a, u, T0);
	cr_log_info("range rate %.3f km/s: light time at arrival %+lld ns",
		    best * 10, (long long)(at_arrival - at_finish));
	cr_assert_geq(llabs(at_finish - at_arrival), 20);
	fwd_ingress(&w.f, 0, b, len, T0);
	cr_assert_eq(fwd_next_due(&w.f), at_finish);
	drain(&w);
	cr_assert_eq(w.sink.n, 1);
	hop[0] = u;
	hop[1] = w.a;
	back = walk(&w.g, hop, 2, at_finish, (uint32_t)(len - PKT_VNET_LEN),
		    lp.rate_bps);
	cr_assert_eq(w.sink.v[0].now, back);
	world_free(&w);
}

/* Traceroute: TTL k expires at the k-th node after A, which says so. */
Test(fwd, ttl_expiry_sends_time_exceeded)
{
	struct world w;
	uint8_t b[ECHO_LEN];
	uint32_t path[64], back[64];
	size_t n, nb, len;
	uint64_t rate;

	world_init(&w);
	rate = w.cfg->isl.lp.rate_bps;
	n = path_to(&w, w.a, w.b, path, 64);
	cr_assert_geq(n, 4, "B is %zu hops away, want 3 or more", n - 1);
	for (size_t k = 1; k + 1 < n; k++) {
		const struct out *o;
		const uint8_t *icmp;
		int64_t t0 = T0 + (int64_t)k * 10 * US, t, want;

		/* 10 us apart: the links are idle again for each probe */
		len = echo(&w, 0, w.b, (uint8_t)k, (uint16_t)k, b);
		fwd_ingress(&w.f, 0, b, len, t0);
		drain(&w);
		cr_assert_eq(w.sink.n, k, "TTL %zu: %zu frames out", k,
			     w.sink.n);
		o = &w.sink.v[k - 1];
		cr_assert_eq(o->port, 0);
		cr_assert_eq(ip_src_node(o, (uint32_t)w.s.constel.n), path[k],
			     "TTL %zu answered by %u, want %u", k,
			     ip_src_node(o, (uint32_t)w.s.constel.n), path[k]);
		cr_assert_eq(ip_dst_node(o, (uint32_t)w.s.constel.n), w.a);
		cr_assert(ip4_csum_ok(ip_of(o)));
		icmp = ip_of(o) + 20;
		cr_assert_eq(icmp[0], 11);	/* time exceeded */
		cr_assert_eq(icmp[1], 0);
		/* it quotes the packet as it arrived: TTL 1, to B */
		cr_assert_eq(icmp[8 + 8], 1);
		{
			struct in_addr bd = addr_v4(w.b);

			cr_assert_eq(memcmp(icmp + 8 + 16, &bd, 4), 0);
		}
		cr_assert_eq(pkt_get16(icmp + 8 + 20 + 6), k);
		/* there k hops, back by the table toward A */
		nb = path_to(&w, path[k], w.a, back, 64);
		cr_assert_eq(nb, k + 1);
		t = walk(&w.g, path, k + 1, t0, len - PKT_VNET_LEN, rate);
		want = walk(&w.g, back, nb, t, o->len - PKT_VNET_LEN, rate);
		cr_assert_eq(o->now, want, "TTL %zu: at %lld, want %lld", k,
			     (long long)(o->now - t0),
			     (long long)(want - t0));
	}
	cr_assert_eq(w.f.st.drop[FWD_D_TTL], n - 2);
	cr_assert_eq(w.f.st.icmp_errors, n - 2);
	/* the probes died; what reached A were the errors */
	cr_assert_eq(w.f.st.delivered, n - 2);
	world_free(&w);
}

Test(fwd, addresses_outside_the_mesh)
{
	struct world w;
	uint8_t b[ECHO_LEN];
	struct in_addr out4;
	size_t len;

	world_init(&w);
	inet_pton(AF_INET, "8.8.8.8", &out4);
	len = mk_echo4(b, w.ports[0].mac, addr_v4(w.a), out4, 64, 1);
	fwd_ingress(&w.f, 0, b, len, T0);
	cr_assert_eq(w.f.st.drop[FWD_D_DST], 1);
	/* 100.64/10 beyond the last node is not the mesh either */
	len = mk_echo4(b, w.ports[0].mac, addr_v4(w.a),
		       addr_v4((uint32_t)w.s.constel.n), 64, 1);
	fwd_ingress(&w.f, 0, b, len, T0);
	cr_assert_eq(w.f.st.drop[FWD_D_DST], 2);
	len = mk_echo4(b, w.ports[0].mac, out4, addr_v4(w.b), 64, 1);
	fwd_ingress(&w.f, 0, b, len, T0);
	cr_assert_eq(w.f.st.drop[FWD_D_SRC], 1);
	len = mk_echo4(b, w.ports[0].mac, addr_v4(w.a), addr_v4(w.a), 64, 1);
	fwd_ingress(&w.f, 0, b, len, T0);
	cr_assert_eq(w.f.st.drop[FWD_D_SELF], 1);
	cr_assert_eq(w.f.port[0].drops, 4);
	cr_assert_eq(w.f.st.rx_frames, 4);
	cr_assert_eq(fwd_next_due(&w.f), INT64_MAX);
	drain(&w);
	cr_assert_eq(w.sink.n, 0);
	world_free(&w);
}

/* IPv6 the same way: hop limit, delivery, a satellite's echo reply. */
Test(fwd, ipv6_delivery_and_echo)
{
	struct world w;
	uint8_t b[256];
	uint32_t path[64], back[64], u;
	size_t n, nb, len;
	const struct out *o;
	struct in6_addr a6;
	uint64_t rate;

	world_init(&w);
	rate = w.cfg->isl.lp.rate_bps;
	n = path_to(&w, w.a, w.b, path, 64);
	len = mk_echo6(b, w.ports[0].mac, w.a, w.b, 64, 1);
	fwd_ingress(&w.f, 0, b, len, T0);
	drain(&w);
	cr_assert_eq(w.sink.n, 1);
	o = &w.sink.v[0];
	cr_assert_eq(o->port, 1);
	cr_assert_eq(o->now, walk(&w.g, path, n, T0, len - PKT_VNET_LEN, rate));
	cr_assert_eq(ip_of(o)[7], 64 - (n - 2));
	cr_assert_eq(memcmp(ip_of(o) + 40, b + PKT_VNET_LEN + PKT_ETH_LEN + 40,
			    8 + PAYLOAD), 0);

	/* a satellite without a TAP answers from its IPv6 address */
	u = (uint32_t)constel_find(&w.s.constel, "w-3-5");
	nb = path_to(&w, u, w.a, back, 64);
	len = mk_echo6(b, w.ports[0].mac, w.a, u, 64, 2);
	fwd_ingress(&w.f, 0, b, len, T0 + 1 * MS);
	drain(&w);
	cr_assert_eq(w.sink.n, 2);
	o = &w.sink.v[1];
	cr_assert_eq(o->port, 0);
	cr_assert_eq(ip_of(o)[40], 129);	/* echo reply */
	a6 = addr_v6(u);
	cr_assert_eq(memcmp(ip_of(o) + 8, &a6, 16), 0);
	a6 = addr_v6(w.a);
	cr_assert_eq(memcmp(ip_of(o) + 24, &a6, 16), 0);
	cr_assert_eq(ip_of(o)[7], 64 - (nb - 2));
	cr_assert(icmp6_csum_ok(ip_of(o)));
	cr_assert_eq(pkt_get16(ip_of(o) + 40 + 6), 2);

	/* hop limit 1: time exceeded (ICMPv6 3/0) from the first satellite */
	len = mk_echo6(b, w.ports[0].mac, w.a, w.b, 1, 3);
	fwd_ingress(&w.f, 0, b, len, T0 + 2 * MS);
	drain(&w);
	cr_assert_eq(w.sink.n, 3);
	o = &w.sink.v[2];
	cr_assert_eq(ip_of(o)[40], 3);
	cr_assert_eq(ip_of(o)[41], 0);
	a6 = addr_v6(path[1]);
	cr_assert_eq(memcmp(ip_of(o) + 8, &a6, 16), 0);
	cr_assert(icmp6_csum_ok(ip_of(o)));
	world_free(&w);
}

/* A neighbour solicitation for any mesh address is answered at once. */
Test(fwd, neighbour_solicitation_answered)
{
	struct world w;
	uint8_t b[PKT_VNET_LEN + PKT_ETH_LEN + 40 + 32], mac[6];
	uint8_t *eth = b + PKT_VNET_LEN, *ip = eth + PKT_ETH_LEN;
	uint8_t *ns = ip + 40;
	struct in6_addr s6, t6, d6;
	const struct out *o;

	world_init(&w);
	s6 = addr_v6(w.a);
	t6 = addr_v6(w.b);
	d6 = ndp_solicited_node(&t6);
	memset(b, 0, sizeof(b));
	eth[0] = 0x33;
	eth[1] = 0x33;
	memcpy(eth + 2, &d6.s6_addr[12], 4);
	memcpy(eth + 6, w.ports[0].mac, 6);
	pkt_put16(eth + 12, PKT_ETH_P_IPV6);
	pkt_put32(ip, 0x60000000u);
	pkt_put16(ip + 4, 32);
	ip[6] = IPPROTO_ICMPV6;
	ip[7] = 255;
	memcpy(ip + 8, &s6, 16);
	memcpy(ip + 24, &d6, 16);
	ns[0] = 135;
	memcpy(ns + 8, &t6, 16);
	ns[24] = 1;	/* source link-layer address option */
	ns[25] = 1;
	memcpy(ns + 26, w.ports[0].mac, 6);
	pkt_put16(ns + 2, csum_fold(csum_add(csum_pseudo_v6(&s6, &d6,
							     IPPROTO_ICMPV6,
							     32),
					     ns, 32)));
	fwd_ingress(&w.f, 0, b, sizeof(b), T0);
	cr_assert_eq(w.f.st.nd_replies, 1, "reasons: ndp_bad %llu",
		     (unsigned long long)w.f.st.reason[PKT_R_NDP_BAD]);
	cr_assert_eq(w.sink.n, 1);
	o = &w.sink.v[0];
	cr_assert_eq(o->now, T0);
	cr_assert_eq(o->len, NDP_NA_LEN);
	cr_assert_eq(ip_of(o)[40], 136);	/* advertisement */
	cr_assert_eq(memcmp(ip_of(o) + 40 + 8, &t6, 16), 0);
	addr_mac(w.b, mac);
	cr_assert_eq(memcmp(ip_of(o) + 40 + 24 + 2, mac, 6), 0);
	cr_assert(icmp6_csum_ok(ip_of(o)));
	world_free(&w);
}

/* A slow link with a backlog limit of 2 packets: 1 + 2 go, the rest drop. */
Test(fwd, queue_limit_drops_and_counts)
{
	struct world w;
	struct linkparams lp = {
		.rate_bps = 1000000, .qkind = LINKPARAMS_Q_PACKETS,
		.qlimit = 2, .loss = { .kind = LINKPARAMS_LOSS_NONE },
	};
	uint8_t b[ECHO_LEN];
	size_t len;
	const int sent = 10;
	int64_t tx;

	world_load(&w);
	world_start(&w, &lp);
	for (int i = 0; i < sent; i++) {
		len = echo(&w, 0, w.b, 64, (uint16_t)i, b);
		fwd_ingress(&w.f, 0, b, len, T0);
	}
	/* the first is on the wire at once, qlimit more wait */
	cr_assert_eq(w.f.st.forwarded, 1 + lp.qlimit);
	cr_assert_eq(w.f.st.drop[FWD_D_QUEUE], sent - 1 - lp.qlimit);
	drain(&w);
	cr_assert_eq(w.sink.n, 1 + lp.qlimit);
	cr_assert_eq(w.f.st.delivered, 1 + lp.qlimit);
	cr_assert_eq(w.f.st.drop[FWD_D_QUEUE], sent - 1 - lp.qlimit);
	tx = tx_ns(len - PKT_VNET_LEN, lp.rate_bps);
	cr_assert_eq(tx, 784000);
	for (size_t i = 0; i < w.sink.n; i++) {
		cr_assert_eq(pkt_get16(ip_of(&w.sink.v[i]) + 20 + 6), i);
		if (i)
			cr_assert_lt(llabs(w.sink.v[i].now -
					   w.sink.v[i - 1].now - tx),
				     10);
	}
	world_free(&w);
}

Test(fwd, loss_100_percent_drops_everything)
{
	struct world w;
	struct linkparams lp = {
		.rate_bps = 0, .qkind = LINKPARAMS_Q_PACKETS,
		.qlimit = 1000,
		.loss = { .kind = LINKPARAMS_LOSS_RANDOM, .p = 1.0 },
	};
	uint8_t b[ECHO_LEN];
	size_t len;

	world_load(&w);
	world_start(&w, &lp);
	for (int i = 0; i < 50; i++) {
		len = echo(&w, 0, w.b, 64, (uint16_t)i, b);
		fwd_ingress(&w.f, 0, b, len, T0 + i * US);
	}
	cr_assert_eq(w.f.st.drop[FWD_D_LOSS], 50);
	cr_assert_eq(w.f.st.forwarded, 0);
	cr_assert_eq(fwd_next_due(&w.f), INT64_MAX);
	drain(&w);
	cr_assert_eq(w.sink.n, 0);
	cr_assert_eq(w.f.st.delivered, 0);
	world_free(&w);
}

/* Paths of every (port, destination) pair, to count route changes. */
struct paths {
	uint32_t hop[8][8][64];
	size_t n[8][8];
};

static void paths_take(const struct world *w, struct paths *p)
{
	const struct route_table *rt = &ring_current(&w->g)->routes;

	memset(p, 0, sizeof(*p));
	cr_assert_leq(rt->ndest, 8);
	for (size_t i = 0; i < w->f.nports; i++)
		for (size_t d = 0; d < rt->ndest; d++)
			p->n[i][d] = route_path(rt, d, w->f.port[i].node,
						p->hop[i][d], 64);
}

static size_t paths_changed(const struct world *w, const struct paths *x,
			    const struct paths *y)
{
	const struct route_table *rt = &ring_current(&w->g)->routes;
	size_t k = 0;

	for (size_t i = 0; i < w->f.nports; i++)
		for (size_t d = 0; d < rt->ndest; d++)
			if (rt->dest[d] != w->f.port[i].node &&
			    (x->n[i][d] != y->n[i][d] ||
			     memcmp(x->hop[i][d], y->hop[i][d],
				    x->n[i][d] * sizeof(uint32_t))))
				k++;
	return k;
}

/*
 * A satellite on the path stops (its propagator refuses, as for a decayed
 * one) at step 1: its links vanish, the frame in flight toward it is
 * dropped and counted, the paths through it change, new traffic goes
 * round it.
 */
Test(fwd, link_down_at_step_flushes)
{
	struct world w;
	struct sgp4_sat *sat;
	struct paths before, after;
	uint8_t b[ECHO_LEN];
	uint32_t path[64], v1;
	double no;
	size_t n, n2, len, changed;
	int64_t e;

	world_init(&w);
	e = w.cfg->epoch_unix_ns;
	n = path_to(&w, w.a, w.b, path, 64);
	v1 = path[1];
	len = echo(&w, 0, w.b, 64, 1, b);
	fwd_ingress(&w.f, 0, b, len, T0);
	cr_assert_neq(fwd_next_due(&w.f), INT64_MAX);
	paths_take(&w, &before);

	/* recompute steps 1 and 2 with v1 down, as the thread would */
	sat = &w.s.constel.sat[v1];
	no = sat->no_unkozai;
	sat->no_unkozai = 0;
	cr_assert_eq(topo_step(&w.s.model, &w.g.st[0], e + 100 * MS,
			       &w.g.st[1]), 0);
	cr_assert_eq(topo_step(&w.s.model, &w.g.st[1], e + 200 * MS,
			       &w.g.st[2]), 0);
	sat->no_unkozai = no;
	cr_assert_eq(w.g.st[1].up[v1], 0);
	cr_assert_lt(graph_find(&w.g.st[1].graph, w.a, v1), 0);
	atomic_store(&w.g.ready, 2);
	/* the data plane moves on, as geom_advance() would */
	cr_assert_eq(ring_want(&w.g, WALL0 + 100 * MS), 1);
	atomic_store(&w.g.cur, 1);
	fwd_step(&w.f);

	cr_assert_eq(w.f.st.link_flushes, 1);
	cr_assert_eq(w.f.st.drop[FWD_D_LINK_DOWN], 1);
	cr_assert_eq(fwd_next_due(&w.f), INT64_MAX);
	paths_take(&w, &after);
	changed = paths_changed(&w, &before, &after);
	cr_assert_geq(changed, 2, "A-B and B-A went through v1");
	cr_assert_eq(w.f.st.route_changes, changed);
	/* a second call at the same step changes nothing */
	fwd_step(&w.f);
	cr_assert_eq(w.f.st.route_changes, changed);
	cr_assert_eq(w.f.st.link_flushes, 1);
	drain(&w);
	cr_assert_eq(w.sink.n, 0);

	/* new traffic goes round v1 */
	n2 = path_to(&w, w.a, w.b, path, 64);
	cr_assert_geq(n2, 2);
	for (size_t i = 0; i < n2; i++)
		cr_assert_neq(path[i], v1);
	len = echo(&w, 0, w.b, 64, 2, b);
	fwd_ingress(&w.f, 0, b, len, WALL0 + 101 * MS);
	drain(&w);
	cr_assert_eq(w.sink.n, 1);
	cr_assert_eq(ip_of(&w.sink.v[0])[8], 64 - (n2 - 2));
	cr_assert_eq(w.sink.v[0].now,
		     walk(&w.g, path, n2, WALL0 + 101 * MS,
			  len - PKT_VNET_LEN, w.cfg->isl.lp.rate_bps));
	(void)n;
	world_free(&w);
}

/*
 * A destination that no link reaches from the sender: dropped and counted,
 * and no ICMP error, which would come from the sender's own address (its
 * kernel drops such a packet as a martian).
 */
Test(fwd, unreachable_destination)
{
	struct world w;
	uint8_t b[ECHO_LEN];
	uint32_t g;
	const struct route_table *rt;
	size_t len;

	world_init(&w);
	g = (uint32_t)w.s.constel.n - 1;	/* pole */
	rt = &ring_current(&w.g)->routes;
	cr_assert_lt(route_next(rt, (size_t)route_dest_index(rt, g), w.a), 0);
	len = echo(&w, 0, g, 64, 1, b);
	fwd_ingress(&w.f, 0, b, len, T0);
	cr_assert_eq(w.f.st.drop[FWD_D_NO_ROUTE], 1);
	cr_assert_eq(w.f.st.icmp_errors, 0);
	cr_assert_eq(w.sink.n, 0);
	world_free(&w);
}

/* A TAP that refuses the write: counted as such, not as delivered twice. */
Test(fwd, output_failure_counted)
{
	struct world w;
	uint8_t b[ECHO_LEN];
	size_t len;

	world_init(&w);
	w.sink.fail = -EAGAIN;
	len = echo(&w, 0, w.b, 64, 1, b);
	fwd_ingress(&w.f, 0, b, len, T0);
	drain(&w);
	cr_assert_eq(w.f.st.drop[FWD_D_TAP_WRITE], 1);
	cr_assert_eq(w.f.port[1].drops, 1);
	cr_assert_eq(w.f.st.tx_frames, 0);
	world_free(&w);
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

Test(fwd, hostile_frames_counted_as_malformed)
{
	struct world w;
	uint8_t b[2048];
	size_t len, bad = 0;
	uint64_t seed = 0x9e3779b97f4a7c15ULL, parse;

	world_init(&w);
	/* runts: nothing, a header only, a header and half an Ethernet */
	fwd_ingress(&w.f, 0, b, 0, T0);
	memset(b, 0, sizeof(b));
	fwd_ingress(&w.f, 0, b, PKT_VNET_LEN, T0);
	fwd_ingress(&w.f, 0, b, PKT_VNET_LEN + 7, T0);
	bad += 3;
	/* IPv4 cut inside its header, then one with a wrong checksum */
	len = echo(&w, 0, w.b, 64, 1, b);
	fwd_ingress(&w.f, 0, b, PKT_VNET_LEN + PKT_ETH_LEN + 12, T0);
	b[PKT_VNET_LEN + PKT_ETH_LEN + 10] ^= 0x55;
	fwd_ingress(&w.f, 0, b, len, T0);
	bad += 2;
	cr_assert_eq(w.f.st.drop[FWD_D_PARSE], bad);
	cr_assert_eq(w.f.st.reason[PKT_R_RUNT], 3);
	cr_assert_eq(w.f.st.reason[PKT_R_IP4_TRUNC], 1);
	cr_assert_eq(w.f.st.reason[PKT_R_IP4_CSUM], 1);
	/* garbage, and frames that start right and go wrong at random */
	for (int i = 0; i < 20000; i++) {
		len = xorshift(&seed) % 200;
		if (i & 1) {
			echo(&w, 0, (uint32_t)(xorshift(&seed) % 145), 64,
			     (uint16_t)i, b);
			for (int k = 0; k < 3; k++)
				b[xorshift(&seed) % ECHO_LEN] =
					(uint8_t)xorshift(&seed);
			len = ECHO_LEN - xorshift(&seed) % 8;
		} else {
			for (size_t k = 0; k < len; k++)
				b[k] = (uint8_t)xorshift(&seed);
		}
		fwd_ingress(&w.f, 0, b, len, T0 + i);
		fwd_release(&w.f, T0 + i);
	}
	drain(&w);
	parse = w.f.st.drop[FWD_D_PARSE];
	cr_log_info("%llu of 20005 hostile frames refused by the parser",
		    (unsigned long long)parse);
	cr_assert_eq(w.f.st.rx_frames, 20005);
	cr_assert_gt(parse, 10000);
	/* each reason counted once per refused frame at least */
	{
		uint64_t sum = 0;

		for (int r = 1; r < PKT_R__COUNT; r++)
			sum += w.f.st.reason[r];
		cr_assert_geq(sum, parse);
	}
	world_free(&w);
}

/* The hash table of links grows past its first size and keeps them all. */
static void count_link(uint32_t a, uint32_t b, const struct link *l,
		       void *arg)
{
	size_t *n = arg;

	(void)a;
	(void)b;
	cr_assert(l->stats.enq_pkts > 0);
	(*n)++;
}

Test(fwd, many_links)
{
	struct world w;
	uint8_t b[ECHO_LEN];
	size_t len, nlinks = 0;
	uint32_t nsat;

	world_init(&w);
	nsat = (uint32_t)w.s.constel.nsat;
	for (uint32_t v = 0; v < nsat; v++) {
		if (v == w.a)
			continue;
		len = echo(&w, 0, v, 64, (uint16_t)v, b);
		fwd_ingress(&w.f, 0, b, len, T0 + v);
	}
	drain(&w);
	/* every satellite answered or was a TAP (B and C got the frame) */
	cr_assert_eq(w.sink.n, nsat - 1, "%zu of %u", w.sink.n, nsat - 1);
	fwd_links_foreach(&w.f, count_link, &nlinks);
	cr_assert_eq(nlinks, w.f.links.count);
	cr_assert_gt(nlinks, 128, "only %zu links used", nlinks);
	world_free(&w);
}

/* ---- loss per segment ---------------------------------------------------- */

/*
 * A TCP/IPv4 super-frame from port's node to node dst: NEEDS_CSUM with the
 * pseudo-header sum, segs segments of mss bytes. Returns its length.
 */
static size_t mk_tcp4_super(uint8_t *b, struct world *w, size_t port,
			    uint32_t dst, uint16_t mss, uint32_t segs)
{
	uint8_t *eth = b + PKT_VNET_LEN, *ip = eth + PKT_ETH_LEN;
	uint8_t *tcp = ip + 20;
	struct in_addr s4 = addr_v4(w->ports[port].node), d4 = addr_v4(dst);
	uint32_t l4 = 20 + (uint32_t)mss * segs;
	uint16_t v;

	memset(b, 0, PKT_VNET_LEN + PKT_ETH_LEN + 20 + l4);
	b[0] = PKT_VNET_F_NEEDS_CSUM;
	b[1] = PKT_GSO_TCPV4;
	v = PKT_ETH_LEN + 40;
	memcpy(b + 2, &v, 2);
	memcpy(b + 4, &mss, 2);
	v = PKT_ETH_LEN + 20;
	memcpy(b + 6, &v, 2);
	v = 16;
	memcpy(b + 8, &v, 2);
	addr_mac(dst, eth);
	memcpy(eth + 6, w->ports[port].mac, 6);
	pkt_put16(eth + 12, PKT_ETH_P_IP);
	ip[0] = 0x45;
	pkt_put16(ip + 2, (uint16_t)(20 + l4));
	pkt_put16(ip + 6, 0x4000);
	ip[8] = 64;
	ip[9] = IPPROTO_TCP;
	memcpy(ip + 12, &s4, 4);
	memcpy(ip + 16, &d4, 4);
	ip4_csum(ip);
	pkt_put16(tcp, 40000);
	pkt_put16(tcp + 2, 5201);
	pkt_put32(tcp + 4, 1000);
	tcp[12] = 5 << 4;
	tcp[13] = 0x18;		/* ACK PSH */
	pkt_put16(tcp + 16, (uint16_t)~csum_fold(csum_pseudo_v4(s4, d4,
						 IPPROTO_TCP, l4)));
	return PKT_VNET_LEN + PKT_ETH_LEN + 20 + l4;
}

/*
 * 5% Bernoulli loss on every laser link, 300 super-frames of 44 segments
 * from A to B: each segment offered to a link is lost with 5% (within four
 * standard deviations), not each super-frame; what arrives are valid
 * single segments. A whole super-frame lost at 1 - 0.95^44 = 90% would
 * put the rate far outside.
 */
Test(fwd, loss_per_segment)
{
	static uint8_t b[70000];
	struct world w;
	struct linkparams lp = {
		.rate_bps = 0, .qkind = LINKPARAMS_Q_PACKETS,
		.qlimit = 1000000,
		.loss = { .kind = LINKPARAMS_LOSS_RANDOM, .p = 0.05 },
	};
	const int nsuper = 300;
	uint64_t lost, offered;
	double rate, bound;
	size_t len;

	world_load(&w);
	world_start(&w, &lp);
	for (int i = 0; i < nsuper; i++) {
		len = mk_tcp4_super(b, &w, 0, w.b, 1000, 44);
		fwd_ingress(&w.f, 0, b, len, T0 + i * US);
	}
	drain(&w);
	cr_assert_eq(w.f.st.gso_split, nsuper, "cut at the first hop only");
	lost = w.f.st.drop[FWD_D_LOSS];
	offered = lost + w.f.st.forwarded;
	rate = (double)lost / (double)offered;
	bound = 4 * sqrt(0.05 * 0.95 / (double)offered);
	cr_assert_leq(fabs(rate - 0.05), bound,
		      "segment loss %.4f of %llu, expected 0.05 +- %.4f", rate,
		      (unsigned long long)offered, bound);
	cr_assert_eq(w.sink.total, w.f.st.delivered);
	cr_assert_gt(w.sink.total, (size_t)nsuper * 44 / 2);
	for (size_t i = 0; i < w.sink.n; i++) {
		struct pkt_info pi;

		cr_assert(pkt_parse(w.sink.v[i].data, w.sink.v[i].len, &pi));
		cr_assert_eq(pi.gso_type, PKT_GSO_NONE);
		cr_assert_eq(pi.l4_len, 20 + 1000);
		cr_assert(ip4_csum_ok(ip_of(&w.sink.v[i])));
	}
	world_free(&w);
}

/* Without loss a super-frame crosses whole: the fast path is untouched. */
Test(fwd, lossless_super_frame_stays_whole)
{
	static uint8_t b[70000];
	struct world w;
	struct pkt_info pi;
	size_t len;

	world_init(&w);
	len = mk_tcp4_super(b, &w, 0, w.b, 900, 2);
	fwd_ingress(&w.f, 0, b, len, T0);
	drain(&w);
	cr_assert_eq(w.f.st.gso_split, 0);
	cr_assert_eq(w.sink.n, 1);
	cr_assert_eq(w.sink.v[0].len, len);
	cr_assert(pkt_parse(w.sink.v[0].data, w.sink.v[0].len, &pi));
	cr_assert_eq(pi.gso_type, PKT_GSO_TCPV4);
	cr_assert_eq(pi.gso_segs, 2);
	world_free(&w);
}

/* ---- isolation: the source address check ------------------------------- */

static size_t mk_arp(uint8_t *b, const uint8_t smac[6], struct in_addr sip,
		     struct in_addr tip)
{
	uint8_t *eth = b + PKT_VNET_LEN, *arp = eth + PKT_ETH_LEN;

	memset(b, 0, PKT_VNET_LEN + PKT_ETH_LEN + 28);
	memset(eth, 0xff, 6);
	memcpy(eth + 6, smac, 6);
	pkt_put16(eth + 12, PKT_ETH_P_ARP);
	pkt_put16(arp, 1);
	pkt_put16(arp + 2, PKT_ETH_P_IP);
	arp[4] = 6;
	arp[5] = 4;
	pkt_put16(arp + 6, 1);
	memcpy(arp + 8, smac, 6);
	memcpy(arp + 14, &sip, 4);
	memcpy(arp + 24, &tip, 4);
	return PKT_VNET_LEN + PKT_ETH_LEN + 28;
}

/*
 * A sends frames with B's addresses: an echo request to C over IPv4 and
 * IPv6 (whose reply would reach B) and an ARP request. With the check on
 * (the default) all are dropped as spoofed and nothing reaches anyone;
 * with it off the pings reach C, as before.
 */
Test(fwd, spoofed_source_dropped)
{
	uint8_t b[ECHO_LEN + 64];
	struct world w;
	size_t len;

	for (int on = 1; on >= 0; on--) {
		world_init(&w);
		w.f.source_check = on;
		len = mk_echo4(b, w.ports[0].mac, addr_v4(w.b), addr_v4(w.c),
			       64, 1);
		fwd_ingress(&w.f, 0, b, len, T0);
		len = mk_echo6(b, w.ports[0].mac, w.b, w.c, 64, 2);
		fwd_ingress(&w.f, 0, b, len, T0 + US);
		len = mk_arp(b, w.ports[0].mac, addr_v4(w.b), addr_v4(w.c));
		fwd_ingress(&w.f, 0, b, len, T0 + 2 * US);
		drain(&w);
		if (on) {
			cr_assert_eq(w.f.st.drop[FWD_D_SPOOF], 3);
			cr_assert_eq(w.f.port[0].drops, 3);
			cr_assert_eq(w.sink.total, 0);
			cr_assert_str_eq(fwd_drop_name(FWD_D_SPOOF),
					 "spoofed-source");
		} else {
			cr_assert_eq(w.f.st.drop[FWD_D_SPOOF], 0);
			cr_assert_eq(w.f.st.arp_replies, 1);
			/* both pings reached C's TAP */
			cr_assert_eq(w.sink.total, 3);
			cr_assert_eq(w.sink.v[1].node, w.c);
			cr_assert_eq(w.sink.v[2].node, w.c);
		}
		/* its own addresses always pass */
		len = echo(&w, 0, w.c, 64, 3, b);
		fwd_ingress(&w.f, 0, b, len, T0 + 3 * US);
		len = mk_arp(b, w.ports[0].mac, addr_v4(w.a), addr_v4(w.c));
		fwd_ingress(&w.f, 0, b, len, T0 + 4 * US);
		drain(&w);
		cr_assert_eq(w.f.st.drop[FWD_D_SPOOF], on ? 3 : 0);
		cr_assert_eq(w.sink.total, on ? 2 : 5);
		world_free(&w);
	}
}

/* ---- the link table stays bounded ---------------------------------------- */

/*
 * Rounds 2 s apart (fake clock) each ping a different tenth of the
 * satellites, with links idle for 1 s freed: the table holds only the
 * links of the last round, not all of them, and a freed link comes back:
 * the same ping as in round 0 is answered again, on time.
 */
Test(fwd, idle_links_freed)
{
	struct world w;
	uint8_t b[ECHO_LEN];
	size_t len, max_count = 0, first_count = 0, n, created;
	uint32_t nsat, path[64], target;
	int64_t t;

	world_init(&w);
	w.f.link_idle_ns = 1000 * MS;
	nsat = (uint32_t)w.s.constel.nsat;
	for (int r = 0; r < 10; r++) {
		t = T0 + r * 2000 * MS;
		for (uint32_t v = (uint32_t)r; v < nsat; v += 10) {
			if (v == w.a)
				continue;
			len = echo(&w, 0, v, 64, (uint16_t)v, b);
			fwd_ingress(&w.f, 0, b, len, t + v);
		}
		drain(&w);
		if (r == 0)
			first_count = w.f.links.count;
		fwd_step(&w.f);
		if (w.f.links.count > max_count)
			max_count = w.f.links.count;
	}
	created = w.f.links.count + w.f.st.links_freed;
	cr_log_info("links: %zu in round 0, at most %zu held, %zu created",
		    first_count, max_count, created);
	cr_assert_leq(max_count, 2 * first_count,
		      "table grew to %zu (a round uses %zu)", max_count,
		      first_count);
	cr_assert_gt(created, 3 * max_count, "only %zu links created",
		     created);
	/* a freed link comes back: B gets A's ping on time */
	w.sink.n = 0;
	t += 2000 * MS;
	len = echo(&w, 0, w.b, 64, 9, b);
	fwd_ingress(&w.f, 0, b, len, t);
	fwd_step(&w.f);
	drain(&w);
	target = w.b;
	n = path_to(&w, w.a, target, path, 64);
	cr_assert_eq(w.sink.n, 1);
	cr_assert_eq(w.sink.v[0].node, w.b);
	cr_assert_eq(w.sink.v[0].now,
		     walk(&w.g, path, n, t, len - PKT_VNET_LEN,
			  w.cfg->isl.lp.rate_bps));
	world_free(&w);
}

/* ---- per-hop hook (on_hop) --------------------------------------------- */

struct hop_rec {
	uint32_t a, b;
	int64_t due;
	size_t len;
	uint8_t ttl;
};

static struct hop_rec hops[64];
static size_t nhops;

static void hop_cb(struct fwd *f, uint32_t a, uint32_t b, const uint8_t *buf,
		   size_t len, int64_t due_ns)
{
	(void)f;
	cr_assert_lt(nhops, 64);
	hops[nhops++] = (struct hop_rec){
		.a = a, .b = b, .due = due_ns, .len = len,
		/* IPv4's TTL as the frame crossed the link */
		.ttl = buf[PKT_VNET_LEN + PKT_ETH_LEN + 8],
	};
}

static void sum_sent(uint32_t a, uint32_t b, const struct link *l, void *arg)
{
	uint64_t *n = arg;

	(void)a;
	(void)b;
	*n += l->stats.sent_pkts;
}

/*
 * on_hop is called once per link a frame crossed, in path order, with the
 * link's ends, the frame as it crossed (TTL as the node before left it)
 * and its logical departure: the far end's due time, the same walk the
 * delivery follows; the last is the delivery time.
 */
Test(fwd, on_hop_at_each_departure)
{
	struct world w;
	uint8_t b[ECHO_LEN];
	uint32_t path[64];
	uint64_t sent = 0;
	size_t n, len;
	uint64_t rate;

	world_init(&w);
	w.f.on_hop = hop_cb;
	rate = w.cfg->isl.lp.rate_bps;
	n = path_to(&w, w.a, w.b, path, 64);
	cr_assert_geq(n, 4, "path of %zu nodes: too short for this test", n);
	len = echo(&w, 0, w.b, 64, 1, b);
	fwd_ingress(&w.f, 0, b, len, T0);
	drain(&w);
	cr_assert_eq(w.sink.n, 1);
	cr_assert_eq(nhops, n - 1, "%zu hops seen, path of %zu", nhops, n - 1);
	for (size_t i = 0; i + 1 < n; i++) {
		const struct hop_rec *h = &hops[i];

		cr_assert_eq(h->a, path[i], "hop %zu from %u", i, h->a);
		cr_assert_eq(h->b, path[i + 1], "hop %zu to %u", i, h->b);
		cr_assert_eq(h->len, len);
		cr_assert_eq(h->due, walk(&w.g, path, i + 2, T0,
					  len - PKT_VNET_LEN, rate),
			     "hop %zu at %lld", i, (long long)(h->due - T0));
		cr_assert_eq(h->ttl, 64 - i, "hop %zu ttl %u", i,
			     h->ttl);
	}
	cr_assert_eq(hops[n - 2].due, w.sink.v[0].now);
	fwd_links_foreach(&w.f, sum_sent, &sent);
	cr_assert_eq(sent, nhops);
	world_free(&w);
}

/*
 * `set link` faults reach the data plane: with the second hop of A's path
 * to B set to +2 ms, the frame arrives 2 ms after the plain walk; set to
 * 100% loss, every frame is dropped there as loss.
 */
static void world_faulted(struct world *w, struct fault_plan *plan,
			  const struct fault_event *ev)
{
	cr_assert_eq(fault_plan_init(plan, w->s.constel.n, w->s.constel.nsat,
				     1), 0);
	cr_assert_eq(fault_plan_add(plan, ev), 0);
	ring_free(&w->g);
	cr_assert_eq(ring_init(&w->g, &w->s.model, w->s.epoch_unix_ns,
			       w->s.step_ns, 1.0, WALL0, plan), 0);
	world_start(w, NULL);
}

Test(fwd, set_link_faults_delay_and_loss)
{
	struct world w;
	struct fault_plan plan;
	struct fault_event ev = { .t_ns = 0, .verb = FAULT_SET,
				  .target = FAULT_LINK,
				  .source = FAULT_SCHEDULED };
	uint32_t path[64];
	uint8_t b[ECHO_LEN];
	size_t n, len;
	int64_t plain;

	world_load(&w);
	n = path_to(&w, w.a, w.b, path, 64);
	cr_assert_geq(n, 3);
	ev.t_ns = w.s.epoch_unix_ns;
	ev.a = path[1];
	ev.b = path[2];
	ev.set.has = FAULT_SET_DELAY;
	ev.set.delay_ns = 2 * MS;
	world_faulted(&w, &plan, &ev);
	cr_assert_eq(path_to(&w, w.a, w.b, path, 64), n,
		     "an added delay does not move the route");
	len = echo(&w, 0, w.b, 64, 1, b);
	fwd_ingress(&w.f, 0, b, len, T0);
	drain(&w);
	cr_assert_eq(w.sink.n, 1);
	plain = walk(&w.g, path, n, T0, len - PKT_VNET_LEN,
		     w.cfg->isl.lp.rate_bps);
	cr_assert_lt(llabs(w.sink.v[0].now - plain - 2 * MS), 1 * US,
		     "%lld ns after the plain walk",
		     (long long)(w.sink.v[0].now - plain));
	fwd_free(&w.f);
	fault_plan_free(&plan);
	memset(&w.sink, 0, sizeof(w.sink));

	ev.set.has = FAULT_SET_LOSS;
	ev.set.loss = 1.0;
	world_faulted(&w, &plan, &ev);
	for (int i = 0; i < 20; i++) {
		len = echo(&w, 0, w.b, 64, (uint16_t)i, b);
		fwd_ingress(&w.f, 0, b, len, T0 + i * US);
	}
	drain(&w);
	cr_assert_eq(w.sink.n, 0);
	cr_assert_eq(w.f.st.drop[FWD_D_LOSS], 20, "lost on the set link");
	world_free(&w);
	fault_plan_free(&plan);
}
