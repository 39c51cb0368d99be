// SPDX-License-Identifier: MIT
/* test_shard.c - shards: the partition, the step digest, GENEVE datagrams, a mesh split in two */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "emu/conf/config.h"
#include "emu/conf/scenario.h"
#include "emu/net/addr.h"
#include "emu/plane/fwd.h"
#include "emu/plane/geneve.h"
#include "tests/lib/frame.h"
#include "tests/lib/world.h"
#include "topo/ring.h"
#include "topo/shard.h"

#define MS INT64_C(1000000)
#define WALL0 INT64_C(7000000000)
#define T0 (WALL0 + 1 * MS)

/* ---- the partition ------------------------------------------------------ */

static const char two_shells[] =
	"[emulation]\n"
	"epoch = 2026-02-23T00:00:00Z\n"
	"[shell a]\n"
	"type = walker-delta\n"
	"planes = 4\n"
	"per-plane = 3\n"
	"phasing = 1\n"
	"altitude = 550km\n"
	"inclination = 53deg\n"
	"[shell b]\n"
	"type = walker-star\n"
	"planes = 2\n"
	"per-plane = 2\n"
	"phasing = 0\n"
	"altitude = 1000km\n"
	"inclination = 87deg\n"
	"[ground g1]\n"
	"latitude = 10\nlongitude = 10\n"
	"[ground g2]\n"
	"latitude = 20\nlongitude = 20\n"
	"[ground g3]\n"
	"latitude = 30\nlongitude = 30\n"
	"[tap]\n"
	"nodes = a-0-0\n";

static uint16_t owner_of(const struct constel *c, const uint16_t *own,
			 const char *name)
{
	long v = constel_find(c, name);

	cr_assert_geq(v, 0, "no node %s", name);
	return own[v];
}

/* Shard k gets the planes [k P / N, (k+1) P / N) over both shells. */
Test(shard, partition_by_planes)
{
	struct scenario s;
	struct config *cfg = world_scenario(two_shells, "p.conf", &s);
	const struct constel *c = &s.constel;
	uint16_t own[64];
	char name[32];

	cr_assert_eq(c->n, 12 + 4 + 3);
	shard_partition(c, 3, SHARD_PLANES, NULL, 0, own);
	/* 6 planes in all: a-0 a-1 | a-2 a-3 | b-0 b-1 */
	for (unsigned p = 0; p < 4; p++)
		for (unsigned k = 0; k < 3; k++) {
			snprintf(name, sizeof(name), "a-%u-%u", p, k);
			cr_assert_eq(owner_of(c, own, name), p / 2, "%s", name);
		}
	for (unsigned p = 0; p < 2; p++)
		for (unsigned k = 0; k < 2; k++) {
			snprintf(name, sizeof(name), "b-%u-%u", p, k);
			cr_assert_eq(owner_of(c, own, name), 2, "%s", name);
		}
	/* ground stations spread in their own order */
	cr_assert_eq(owner_of(c, own, "g1"), 0);
	cr_assert_eq(owner_of(c, own, "g2"), 1);
	cr_assert_eq(owner_of(c, own, "g3"), 2);
	/* one shard owns everything */
	shard_partition(c, 1, SHARD_PLANES, NULL, 0, own);
	for (size_t i = 0; i < c->n; i++)
		cr_assert_eq(own[i], 0);
	scenario_free(&s);
	config_free(cfg);
}

Test(shard, partition_blocks_and_pins)
{
	struct scenario s;
	struct config *cfg = world_scenario(two_shells, "p.conf", &s);
	const struct constel *c = &s.constel;
	struct shard_pin pins[2];
	uint16_t own[64], again[64];
	size_t count[2] = { 0 };

	shard_partition(c, 2, SHARD_BLOCKS, NULL, 0, own);
	for (size_t i = 0; i < c->n; i++) {
		cr_assert_eq(own[i], i * 2 / c->n);
		count[own[i]]++;
	}
	cr_assert_eq(count[0] + count[1], c->n);
	cr_assert_leq(count[1] - count[0] + 1, 2);
	pins[0] = (struct shard_pin){ .node = 0, .shard = 1 };
	pins[1] = (struct shard_pin){
		.node = (uint32_t)constel_find(c, "g3"), .shard = 0 };
	shard_partition(c, 2, SHARD_PLANES, pins, 2, own);
	cr_assert_eq(own[0], 1);
	cr_assert_eq(owner_of(c, own, "g3"), 0);
	/* from the configuration alone: the same table every time */
	shard_partition(c, 2, SHARD_PLANES, pins, 2, again);
	cr_assert_eq(memcmp(own, again, c->n * sizeof(*own)), 0);
	scenario_free(&s);
	config_free(cfg);
}

/* The [shards] keys reach the scenario; a bad name is said with its line. */
Test(shard, config_keys)
{
	char text[2048];
	struct scenario s;
	struct config *cfg;

	snprintf(text, sizeof(text),
		 "%s[shards]\npartition = blocks\nplace = 1 a-0-0 g2\n",
		 two_shells);
	cfg = world_scenario(text, "k.conf", &s);
	cr_assert_eq(cfg->shard_rule, SHARD_BLOCKS);
	cr_assert_eq(s.npins, 2);
	cr_assert_eq(s.pins[0].node, (uint32_t)constel_find(&s.constel,
							      "a-0-0"));
	cr_assert_eq(s.pins[1].shard, 1);
	scenario_free(&s);
	config_free(cfg);
}

/* ---- the digest --------------------------------------------------------- */

Test(shard, digest_same_step_same_value_and_sees_changes)
{
	struct scenario s;
	struct config *cfg = world_ring_scenario(&s);
	struct ring g1, g2;
	struct topo_state *st;
	uint64_t d1, d2;
	int64_t k;

	cr_assert_eq(ring_init(&g1, &s.model, s.epoch_unix_ns, s.step_ns, 1.0,
			       WALL0, NULL), 0);
	cr_assert_eq(ring_init(&g2, &s.model, s.epoch_unix_ns, s.step_ns, 1.0,
			       WALL0, NULL), 0);
	/* two geometries of one configuration agree */
	d1 = shard_digest(ring_current(&g1));
	d2 = shard_digest(ring_current(&g2));
	cr_assert_eq(d1, d2);
	/* lengths are left out: a last-bit difference of libm is no error */
	st = (struct topo_state *)ring_current(&g2);
	st->links.v[0].length_km += 1e-9;
	cr_assert_eq(shard_digest(st), d1);
	/* a link less, or a next hop changed, is */
	st->links.n--;
	cr_assert_neq(shard_digest(st), d1);
	st->links.n++;
	k = st->routes.next[0];
	st->routes.next[0] = k == 1 ? 2 : 1;
	cr_assert_neq(shard_digest(st), d1);
	st->routes.next[0] = (int32_t)k;
	cr_assert_eq(shard_digest(st), d1);
	ring_free(&g1);
	ring_free(&g2);
	scenario_free(&s);
	config_free(cfg);
}

/* ---- GENEVE --------------------------------------------------------------- */

static size_t data_dgram(uint8_t *buf, size_t frame_len)
{
	struct geneve_data d = {
		.v = 7, .w = 9, .ingress = 3, .due_ns = INT64_C(1) << 60,
		.shard = 2, .flags = GENEVE_F_TTL_DONE, .seq = 0xfffffffe,
		.vnet = { 1, 0, 0x5a, 0x05, 0xdc, 0x05, 0x22, 0, 0x10, 0 },
	};

	geneve_data_hdr(buf, &d);
	for (size_t i = 0; i < frame_len; i++)
		buf[GENEVE_DATA_HDR + i] = (uint8_t)i;
	return GENEVE_DATA_HDR + frame_len;
}

Test(shard, geneve_round_trip_and_wireshark_layout)
{
	uint8_t buf[GENEVE_DATA_HDR + 100], cbuf[GENEVE_CTL_LEN];
	struct geneve_ctl c = { .kind = GENEVE_C_DIGEST, .shard = 5,
				.seq = 9, .a = -1, .b = 42, .c = 3, .d = 4 };
	struct geneve_msg m;
	const char *why = NULL;
	size_t n = data_dgram(buf, 100);

	cr_assert(geneve_parse(buf, n, &m, &why), "%s", why);
	cr_assert(!m.ctl);
	cr_assert_eq(m.d.v, 7);
	cr_assert_eq(m.d.w, 9);
	cr_assert_eq(m.d.ingress, 3);
	cr_assert_eq(m.d.due_ns, INT64_C(1) << 60);
	cr_assert_eq(m.d.shard, 2);
	cr_assert_eq(m.d.flags, GENEVE_F_TTL_DONE);
	cr_assert_eq(m.d.seq, 0xfffffffe);
	cr_assert_eq(m.d.vnet[3], 0x05);
	cr_assert_eq(m.frame, buf + GENEVE_DATA_HDR);
	cr_assert_eq(m.frame_len, 100);
	/* RFC 8926: version 0, option length in words, TEB, VNI */
	cr_assert_eq(buf[0], (GENEVE_DATA_HDR - 8) / 4);
	cr_assert_eq(buf[1], 0);
	cr_assert_eq(frame_get16(buf + 2), 0x6558);
	cr_assert_eq(buf[4] << 16 | buf[5] << 8 | buf[6], GENEVE_VNI);
	cr_assert_eq(frame_get16(buf + 8), GENEVE_CLASS);

	geneve_ctl_build(cbuf, &c);
	cr_assert(geneve_parse(cbuf, sizeof(cbuf), &m, &why), "%s", why);
	cr_assert(m.ctl);
	cr_assert_eq(cbuf[1], 0x80, "control messages set the O bit");
	cr_assert_eq(m.c.kind, GENEVE_C_DIGEST);
	cr_assert_eq(m.c.shard, 5);
	cr_assert_eq(m.c.seq, 9);
	cr_assert_eq(m.c.a, -1);
	cr_assert_eq(m.c.b, 42);
	cr_assert_eq(m.c.d, 4);
}

/* Hostile datagrams are refused with a reason, never read past their end. */
Test(shard, geneve_refuses_malformed)
{
	uint8_t buf[GENEVE_DATA_HDR + 64], bad[sizeof(buf)];
	struct geneve_msg m;
	const char *why;
	size_t n = data_dgram(buf, 64);
	static const struct {
		size_t off;
		uint8_t val;
		const char *what;
	} flips[] = {
		{ 0, 0x40 | ((GENEVE_DATA_HDR - 8) / 4), "version 1" },
		{ 0, 63, "options longer than the datagram" },
		{ 1, 0x01, "reserved bits" },
		{ 2, 0x08, "protocol 0x0858" },
		{ 6, 0x54, "another VNI" },
		{ 8, 0x01, "another option class" },
		{ 10, 0x77, "unknown option type" },
		{ 10, 0x02, "LINK replaced by a second TIME" },
		{ 11, 0x04, "LINK of the wrong length" },
		{ 11, 0x23, "critical/reserved option bits" },
	};

	for (size_t i = 0; i < n; i++)
		cr_assert(!geneve_parse(buf, i, &m, &why) || i >= n - 50,
			  "cut to %zu bytes accepted", i);
	/* cut inside the frame: shorter than Ethernet */
	cr_assert(!geneve_parse(buf, GENEVE_DATA_HDR + 13, &m, &why));
	for (size_t i = 0; i < sizeof(flips) / sizeof(flips[0]); i++) {
		memcpy(bad, buf, n);
		bad[flips[i].off] = flips[i].val;
		why = NULL;
		cr_assert(!geneve_parse(bad, n, &m, &why), "%s accepted",
			  flips[i].what);
		cr_assert_not_null(why);
	}
	/* a frame with the O bit is no control message */
	memcpy(bad, buf, n);
	bad[1] = 0x80;
	cr_assert(!geneve_parse(bad, n, &m, &why));
	/* every single-byte change parses or is refused, never crashes */
	for (size_t i = 0; i < GENEVE_DATA_HDR; i++)
		for (unsigned v = 0; v < 256; v += 17) {
			memcpy(bad, buf, n);
			bad[i] = (uint8_t)v;
			(void)geneve_parse(bad, n, &m, &why);
		}
}

/* ---- a mesh split in two ----------------------------------------------------- */

struct side {
	struct fwd f;
	struct fwd *peer;
	int64_t got_at;		/* when the tapped node got the frame */
	size_t got;
	uint8_t frame[256];
	size_t len;
	int64_t late_by;	/* test: cut frames reach the peer this late */
};

static int side_output(struct fwd *f, size_t pi, const uint8_t *buf,
		       size_t len, int64_t now)
{
	struct side *s = f->arg;

	(void)pi;
	s->got++;
	s->got_at = now;
	cr_assert_leq(len, sizeof(s->frame));
	memcpy(s->frame, buf, len);
	s->len = len;
	return 0;
}

/* cut_send: the frame reaches the other shard at once (or late_by late). */
static void side_cut(struct fwd *f, const struct fwd_cut *c)
{
	struct side *s = f->arg;
	int64_t now = f->now + s->late_by;

	if (s->late_by)
		now = c->due_ns + s->late_by;
	cr_assert_eq(fwd_shard_ingress(s->peer, c, now), 0);
	if (s->late_by)
		fwd_release(s->peer, now);
}

static size_t echo4(uint8_t *b, uint32_t from, uint32_t to)
{
	uint8_t *eth = b + PKT_VNET_LEN, *ip = eth + PKT_ETH_LEN;
	struct in_addr src = addr_v4(from), dst = addr_v4(to);

	memset(b, 0, PKT_VNET_LEN + PKT_ETH_LEN + 28 + 32);
	addr_mac(to, eth);
	eth[6] = 2;
	frame_put16(eth + 12, PKT_ETH_P_IP);
	ip[0] = 0x45;
	frame_put16(ip + 2, 20 + 8 + 32);
	ip[8] = 64;
	ip[9] = IPPROTO_ICMP;
	memcpy(ip + 12, &src, 4);
	memcpy(ip + 16, &dst, 4);
	frame_ip4_csum(ip);
	ip[20] = 8;
	frame_l4_csum(ip, ip + 20, 8 + 32, 2, IPPROTO_ICMP);
	return PKT_VNET_LEN + PKT_ETH_LEN + 28 + 32;
}

/* Run both sides until nothing is due, in due order. */
static void drain2(struct fwd *a, struct fwd *b)
{
	for (int guard = 0; guard < 100000; guard++) {
		int64_t ta = fwd_next_due(a), tb = fwd_next_due(b);

		if (ta == INT64_MAX && tb == INT64_MAX)
			return;
		if (ta <= tb)
			fwd_release(a, ta);
		else
			fwd_release(b, tb);
	}
	cr_assert_fail("never drained");
}

/*
 * One configuration, whole and split in two (planes 0-1 and the rest, so
 * that w-0-0's path to w-3-4 crosses the cut): the frame arrives at the
 * same logical time, with the same bytes (TTL), as in one process; each
 * side counted the crossing.
 */
static void split_run(int64_t late_by)
{
	struct scenario s;
	struct config *cfg = world_ring_scenario(&s);
	struct ring g;
	struct side whole = { 0 }, a = { 0 }, b = { 0 };
	struct fwd_port pw[2], pa, pb;
	uint16_t *own;
	uint8_t buf[256];
	size_t len;
	uint32_t na = s.tapped[0], nb = s.tapped[1];

	cr_assert_str_eq(s.constel.node[nb].name, "w-3-4");
	cr_assert_eq(ring_init(&g, &s.model, s.epoch_unix_ns, s.step_ns, 1.0,
			       WALL0, NULL), 0);
	own = calloc(s.constel.n, sizeof(*own));
	for (size_t v = 0; v < s.constel.n; v++)
		own[v] = s.constel.node[v].kind == CONSTEL_SAT &&
			 s.constel.node[v].plane >= 2;
	cr_assert_eq(own[na], 0);
	cr_assert_eq(own[nb], 1);
	memset(pw, 0, sizeof(pw));
	pw[0].node = pa.node = na;
	pw[1].node = pb.node = nb;
	memset(pa.mac, 2, 6);
	memset(pb.mac, 2, 6);
	memcpy(pw[0].mac, pa.mac, 6);
	memcpy(pw[1].mac, pb.mac, 6);
	cr_assert_eq(fwd_init(&whole.f, &g, &s.constel, pw, 2, &s.isl_lp,
			      &s.gsl_lp, 1, side_output, &whole), 0);
	cr_assert_eq(fwd_init(&a.f, &g, &s.constel, &pa, 1, &s.isl_lp,
			      &s.gsl_lp, 1, side_output, &a), 0);
	cr_assert_eq(fwd_init(&b.f, &g, &s.constel, &pb, 1, &s.isl_lp,
			      &s.gsl_lp, 1, side_output, &b), 0);
	a.f.shard_of = b.f.shard_of = own;
	b.f.shard_self = 1;
	a.f.cut_send = b.f.cut_send = side_cut;
	a.peer = &b.f;
	b.peer = &a.f;
	a.late_by = b.late_by = late_by;

	len = echo4(buf, na, nb);
	fwd_ingress(&whole.f, 0, buf, len, T0);
	drain2(&whole.f, &whole.f);
	cr_assert_eq(whole.got, 1);

	fwd_ingress(&a.f, 0, buf, len, T0);
	drain2(&a.f, &b.f);
	cr_assert_eq(b.got, 1, "the split mesh did not deliver");
	cr_assert_eq(a.got, 0);
	cr_assert_geq(a.f.st.cut_sent, 1);
	cr_assert_eq(b.f.st.cut_received, a.f.st.cut_sent);
	cr_assert_eq(b.len, whole.len);
	cr_assert_eq(memcmp(b.frame, whole.frame, whole.len), 0,
		     "bytes differ (TTL?)");
	if (!late_by)
		cr_assert_eq(b.got_at, whole.got_at, "split %lld ns later",
			     (long long)(b.got_at - whole.got_at));
	else
		/* a late crossing is released at once; the next hops keep
		 * their logical times: only the crossing's lateness shows */
		cr_assert_eq(b.got_at, whole.got_at,
			     "late crossing changed the logical time");
	/* each hop counted once: the cut one where it was modelled */
	cr_assert_eq(b.f.st.forwarded + a.f.st.forwarded,
		     whole.f.st.forwarded);
	fwd_free(&whole.f);
	fwd_free(&a.f);
	fwd_free(&b.f);
	free(own);
	ring_free(&g);
	scenario_free(&s);
	config_free(cfg);
}

Test(shard, split_mesh_delivers_as_one)
{
	split_run(0);
}

Test(shard, late_crossing_released_at_once)
{
	split_run(3 * MS);
}

/* A frame for a link that is not up here is refused, not delivered. */
Test(shard, ingress_on_a_link_not_up)
{
	struct scenario s;
	struct config *cfg = world_ring_scenario(&s);
	struct ring g;
	struct fwd f;
	struct fwd_port p = { .node = s.tapped[1] };
	uint16_t *own = calloc(s.constel.n, sizeof(*own));
	uint8_t buf[256];
	size_t len = echo4(buf, s.tapped[0], s.tapped[1]);
	struct fwd_cut c = {
		.v = s.tapped[0], .w = s.tapped[1], .ingress = s.tapped[0],
		.frame = buf + PKT_VNET_LEN, .len = len - PKT_VNET_LEN,
		.due_ns = T0 + MS,
	};

	cr_assert_eq(ring_init(&g, &s.model, s.epoch_unix_ns, s.step_ns, 1.0,
			       WALL0, NULL), 0);
	own[s.tapped[1]] = 1;
	cr_assert_eq(fwd_init(&f, &g, &s.constel, &p, 1, &s.isl_lp,
			      &s.gsl_lp, 1, side_output, NULL), 0);
	f.shard_of = own;
	f.shard_self = 1;
	/* w-0-0 and w-3-4 are no neighbours */
	cr_assert_eq(fwd_shard_ingress(&f, &c, T0), -ENETDOWN);
	cr_assert_eq(f.st.drop[FWD_D_LINK_DOWN], 1);
	/* garbage is refused as malformed */
	c.len = 10;
	cr_assert_eq(fwd_shard_ingress(&f, &c, T0), -EINVAL);
	cr_assert_eq(fwd_next_due(&f), INT64_MAX);
	fwd_free(&f);
	free(own);
	ring_free(&g);
	scenario_free(&s);
	config_free(cfg);
}
