// SPDX-License-Identifier: MIT
/* geneve.c - the shards' datagrams: GENEVE (RFC 8926) headers with lasermesh's
 * options */
/*
 * A frame that leaves one shard's part of the mesh travels to the shard
 * that owns the next node in one UDP datagram to port 6081, GENEVE's, so
 * that a capture of the LAN decodes in Wireshark: the base header (version
 * 0, protocol 0x6558: the payload is an Ethernet frame, VNI "LMS"), then
 * four options of class 0xFFF1 (experimental use): LINK (the directed link
 * v -> w it crossed and the node where it entered the mesh), TIME (when its
 * last bit reaches w, ns of CLOCK_REALTIME: the common clock of the hosts),
 * SEQ (sender shard, flags, sequence number) and VNET (the frame's
 * virtio-net header: a TCP super-frame keeps its segmentation offload
 * across hosts), then the Ethernet frame. Control messages between shards
 * (hello, start, digest, bye, clock probes) set the O bit and carry one
 * CTL option. All fields are big-endian. The parser is strict: the sender
 * is another host, so a malformed datagram is refused and counted.
 */
#include <string.h>

#include "emu/plane/geneve.h"

static void geneve_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void geneve_put32(uint8_t *p, uint32_t v)
{
	geneve_put16(p, (uint16_t)(v >> 16));
	geneve_put16(p + 2, (uint16_t)v);
}

static void geneve_put64(uint8_t *p, int64_t v)
{
	geneve_put32(p, (uint32_t)((uint64_t)v >> 32));
	geneve_put32(p + 4, (uint32_t)v);
}

static uint16_t geneve_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t geneve_get32(const uint8_t *p)
{
	return (uint32_t)geneve_get16(p) << 16 | geneve_get16(p + 2);
}

static int64_t geneve_get64(const uint8_t *p)
{
	return (int64_t)((uint64_t)geneve_get32(p) << 32 | geneve_get32(p + 4));
}

/* The 8-byte base header with optlen bytes of options. */
static void geneve_base(uint8_t *p, size_t optlen, bool oam, uint16_t proto)
{
	p[0] = (uint8_t)(optlen / 4); /* version 0 in the top two bits */
	p[1] = oam ? 0x80 : 0;
	geneve_put16(p + 2, proto);
	geneve_put32(p + 4, (uint32_t)GENEVE_VNI << 8);
}

/* An option header of type with len bytes of data; returns its data. */
static uint8_t *geneve_opt(uint8_t *p, uint8_t type, size_t len)
{
	geneve_put16(p, GENEVE_CLASS);
	p[2] = type;
	p[3] = (uint8_t)(len / 4);
	return p + 4;
}

void geneve_data_hdr(uint8_t buf[GENEVE_DATA_HDR], const struct geneve_data *d)
{
	uint8_t *p;

	memset(buf, 0, GENEVE_DATA_HDR);
	geneve_base(buf, GENEVE_DATA_HDR - 8, false, GENEVE_PROTO_ETH);
	p = geneve_opt(buf + 8, GENEVE_T_LINK, 12);
	geneve_put32(p, d->v);
	geneve_put32(p + 4, d->w);
	geneve_put32(p + 8, d->ingress);
	p = geneve_opt(p + 12, GENEVE_T_TIME, 8);
	geneve_put64(p, d->due_ns);
	p = geneve_opt(p + 8, GENEVE_T_SEQ, 8);
	geneve_put16(p, d->shard);
	geneve_put16(p + 2, d->flags);
	geneve_put32(p + 4, d->seq);
	p = geneve_opt(p + 8, GENEVE_T_VNET, 12);
	memcpy(p, d->vnet, VNET_HDR_LEN);
}

void geneve_ctl_build(uint8_t buf[GENEVE_CTL_LEN], const struct geneve_ctl *c)
{
	uint8_t *p;

	memset(buf, 0, GENEVE_CTL_LEN);
	geneve_base(buf, GENEVE_CTL_LEN - 8, true, 0);
	p = geneve_opt(buf + 8, GENEVE_T_CTL, 64);
	p[0] = c->kind;
	geneve_put16(p + 2, c->shard);
	geneve_put32(p + 4, c->seq);
	geneve_put64(p + 8, c->a);
	geneve_put64(p + 16, c->b);
	geneve_put64(p + 24, c->c);
	geneve_put64(p + 32, c->d);
	geneve_put64(p + 40, c->e);
	geneve_put64(p + 48, c->f);
	geneve_put64(p + 56, c->g);
}

/* Data length of each option type, 0: unknown. */
static size_t geneve_opt_len(uint8_t type)
{
	switch (type) {
	case GENEVE_T_LINK:
	case GENEVE_T_VNET:
		return 12;
	case GENEVE_T_TIME:
	case GENEVE_T_SEQ:
		return 8;
	case GENEVE_T_CTL:
		return 64;
	default:
		return 0;
	}
}

/* Take one option's data into m; false with *why on anything odd. */
static bool geneve_take(uint8_t type, const uint8_t *p, struct geneve_msg *m,
			const char **why)
{
	switch (type) {
	case GENEVE_T_LINK:
		m->d.v = geneve_get32(p);
		m->d.w = geneve_get32(p + 4);
		m->d.ingress = geneve_get32(p + 8);
		return true;
	case GENEVE_T_TIME:
		m->d.due_ns = geneve_get64(p);
		if (m->d.due_ns <= 0) {
			*why = "due time not positive";
			return false;
		}
		return true;
	case GENEVE_T_SEQ:
		m->d.shard = geneve_get16(p);
		m->d.flags = geneve_get16(p + 2);
		m->d.seq = geneve_get32(p + 4);
		if (m->d.flags & ~GENEVE_F_TTL_DONE) {
			*why = "unknown flags";
			return false;
		}
		return true;
	case GENEVE_T_VNET:
		memcpy(m->d.vnet, p, VNET_HDR_LEN);
		if (p[10] || p[11]) {
			*why = "virtio-net option padding not zero";
			return false;
		}
		return true;
	case GENEVE_T_CTL:
		m->c.kind = p[0];
		m->c.shard = geneve_get16(p + 2);
		m->c.seq = geneve_get32(p + 4);
		m->c.a = geneve_get64(p + 8);
		m->c.b = geneve_get64(p + 16);
		m->c.c = geneve_get64(p + 24);
		m->c.d = geneve_get64(p + 32);
		m->c.e = geneve_get64(p + 40);
		m->c.f = geneve_get64(p + 48);
		m->c.g = geneve_get64(p + 56);
		if (!m->c.kind || m->c.kind >= GENEVE_C__COUNT || p[1]) {
			*why = "unknown control message";
			return false;
		}
		return true;
	}
	*why = "unknown option";
	return false;
}

bool geneve_parse(const uint8_t *buf, size_t len, struct geneve_msg *m,
		  const char **why)
{
	unsigned seen = 0;
	size_t optlen, off;
	uint16_t proto;

	memset(m, 0, sizeof(*m));
	if (len < 8) {
		*why = "shorter than a GENEVE header";
		return false;
	}
	if (buf[0] >> 6) {
		*why = "GENEVE version not 0";
		return false;
	}
	optlen = (size_t)(buf[0] & 0x3f) * 4;
	m->ctl = buf[1] & 0x80;
	proto = geneve_get16(buf + 2);
	if (geneve_get32(buf + 4) != (uint32_t)GENEVE_VNI << 8) {
		*why = "not lasermesh's VNI";
		return false;
	}
	if (8 + optlen > len) {
		*why = "options beyond the datagram";
		return false;
	}
	if (buf[1] & 0x3f) {
		*why = "reserved bits set";
		return false;
	}
	for (off = 8; off < 8 + optlen;) {
		const uint8_t *o = buf + off;
		size_t olen, want;

		if (off + 4 > 8 + optlen) {
			*why = "option header cut short";
			return false;
		}
		olen = (size_t)(o[3] & 0x1f) * 4;
		if (off + 4 + olen > 8 + optlen) {
			*why = "option beyond the options";
			return false;
		}
		if (geneve_get16(o) != GENEVE_CLASS || (o[3] & 0xe0)) {
			*why = "option of another class";
			return false;
		}
		want = geneve_opt_len(o[2]);
		if (!want || want != olen) {
			*why = want ? "option of the wrong length"
				    : "unknown option";
			return false;
		}
		if (seen & (1U << o[2])) {
			*why = "option repeated";
			return false;
		}
		seen |= 1U << o[2];
		if (!geneve_take(o[2], o + 4, m, why))
			return false;
		off += 4 + olen;
	}
	if (m->ctl) {
		if (seen != 1U << GENEVE_T_CTL || len != 8 + optlen) {
			*why = "control message not one CTL option alone";
			return false;
		}
		return true;
	}
	if (seen != (1U << GENEVE_T_LINK | 1U << GENEVE_T_TIME |
		     1U << GENEVE_T_SEQ | 1U << GENEVE_T_VNET)) {
		*why = "data frame without its four options";
		return false;
	}
	if (proto != GENEVE_PROTO_ETH) {
		*why = "payload not Ethernet (0x6558)";
		return false;
	}
	m->frame = buf + 8 + optlen;
	m->frame_len = len - 8 - optlen;
	if (m->frame_len < VNET_ETH_LEN || m->frame_len > VNET_FRAME_MAX) {
		*why = "Ethernet frame too short or too long";
		return false;
	}
	return true;
}
