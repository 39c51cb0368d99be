// SPDX-License-Identifier: MIT
/* frame.c - frame helpers of the net suites: own checksums, reply harness */
#include <criterion/criterion.h>

#include "tests/lib/frame.h"

uint32_t frame_sum(const uint8_t *p, size_t n, uint64_t s)
{
	for (size_t i = 0; i < n; i++)
		s += (i & 1) ? p[i] : (uint64_t)p[i] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint32_t)s;
}

unsigned frame_get16(const uint8_t *p)
{
	return (unsigned)(p[0] << 8 | p[1]);
}

void frame_put16(uint8_t *p, unsigned v)
{
	p[0] = (v >> 8) & 0xff;
	p[1] = v & 0xff;
}

void frame_ip4_csum(uint8_t *ip)
{
	frame_put16(ip + 10, 0);
	frame_put16(ip + 10, ~frame_sum(ip, (ip[0] & 15) * 4u, 0) & 0xffff);
}

uint32_t frame_l4_sum(const uint8_t *ip, const uint8_t *l4, size_t len,
		      uint8_t proto)
{
	uint64_t s;

	if ((ip[0] >> 4) == 4)
		s = frame_sum(ip + 12, 8, 0);
	else
		s = frame_sum(ip + 8, 32, 0);
	s += proto + (len >> 16) + (len & 0xffff);
	return frame_sum(l4, len, s);
}

void frame_l4_csum(const uint8_t *ip, uint8_t *l4, size_t len, size_t at,
		   uint8_t proto)
{
	frame_put16(l4 + at, 0);
	frame_put16(l4 + at, ~frame_l4_sum(ip, l4, len, proto) & 0xffff);
}

size_t frame_reply(const struct frame_responder *r, const uint8_t *b, size_t n,
		   uint32_t self, uint8_t *out, size_t cap,
		   enum pkt_reason *why)
{
	struct pkt_info pi;

	cr_assert(pkt_parse(b, n, &pi), "request refused: %s",
		  pkt_reason_name(pi.why));
	cr_assert_eq(pi.kind, r->kind);
	return r->reply(b, &pi, self, r->nnodes, out, cap, why);
}

void frame_refused(const struct frame_responder *r, const uint8_t *b, size_t n,
		   uint32_t self, enum pkt_reason want)
{
	uint8_t out[256];
	enum pkt_reason why = PKT_R_OK;

	cr_assert_eq(frame_reply(r, b, n, self, out, sizeof(out), &why), 0);
	cr_assert_eq(why, want, "reason %s, expected %s", pkt_reason_name(why),
		     pkt_reason_name(want));
}
