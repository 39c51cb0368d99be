/* SPDX-License-Identifier: MIT */
/* frame.h - frame helpers of the net suites: own checksums, reply harness */
#ifndef TESTS_LIB_FRAME_H
#define TESTS_LIB_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "emu/net/pkt.h"

/*
 * The suites check emu/net/csum.c and the frames emu/net builds against
 * these helpers, which share no code with it on purpose: the sum goes byte
 * by byte (even bytes high, odd bytes low) where csum.c adds 16-bit words,
 * so that a mistake in csum.c cannot cancel out in the test.
 */

/*
 * One's-complement sum of n bytes at p added to s, folded to 16 bits (not
 * inverted): a block that holds its correct checksum sums to 0xffff.
 */
uint32_t frame_sum(const uint8_t *p, size_t n, uint64_t s);

/* Big-endian 16-bit field at p. */
unsigned frame_get16(const uint8_t *p);
void frame_put16(uint8_t *p, unsigned v);

/* Set the header checksum of the IPv4 header at ip (its IHL counts). */
void frame_ip4_csum(uint8_t *ip);

/*
 * Sum over the len bytes of the L4 message at l4 with the pseudo-header
 * (addresses, proto, len) of the IPv4 or IPv6 header at ip.
 */
uint32_t frame_l4_sum(const uint8_t *ip, const uint8_t *l4, size_t len,
		      uint8_t proto);

/* Set the L4 checksum found at l4 + at (see frame_l4_sum()). */
void frame_l4_csum(const uint8_t *ip, uint8_t *l4, size_t len, size_t at,
		   uint8_t proto);

/*
 * A responder of emu/net under test (arp_reply, ndp_reply) and the kind of
 * frame it answers, in a mesh of nnodes nodes.
 */
struct frame_responder {
	enum pkt_kind kind;
	size_t (*reply)(const uint8_t *buf, const struct pkt_info *pi,
			uint32_t self, uint32_t nnodes, uint8_t *out,
			size_t cap, enum pkt_reason *why);
	uint32_t nnodes;
};

/*
 * Parse the request b of n bytes (it must parse, as r's kind) and return
 * r's answer as node self: its length in out, 0 with *why if refused.
 */
size_t frame_reply(const struct frame_responder *r, const uint8_t *b, size_t n,
		   uint32_t self, uint8_t *out, size_t cap,
		   enum pkt_reason *why);

/* Assert that r refuses to answer b as node self, for the reason want. */
void frame_refused(const struct frame_responder *r, const uint8_t *b, size_t n,
		   uint32_t self, enum pkt_reason want);

#endif
