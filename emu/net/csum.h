/* SPDX-License-Identifier: MIT */
/* csum.h - Internet checksum (RFC 1071), incremental update (RFC 1624) */
#ifndef EMU_CSUM_H
#define EMU_CSUM_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

/*
 * Checksums are computed on big-endian 16-bit words and returned as host
 * integers holding the value of the big-endian field, so they are stored
 * with pkt_put16() and never byte-swapped by hand.
 */

/*
 * Add len bytes of buf to a running sum (start with 0). An odd length is
 * padded with a zero byte, so only the last piece of a message may be odd.
 * The result is partly folded: it can be passed to csum_add() again.
 */
uint32_t csum_add(uint32_t sum, const void *buf, size_t len);

/* Fold a running sum to 16 bits and complement it: the field's value. */
uint16_t csum_fold(uint32_t sum);

/* Running sums of the pseudo-headers of RFC 768/793 and RFC 8200 8.1. */
uint32_t csum_pseudo_v4(struct in_addr src, struct in_addr dst,
			uint8_t proto, uint32_t len);
uint32_t csum_pseudo_v6(const struct in6_addr *src,
			const struct in6_addr *dst, uint8_t next_header,
			uint32_t len);

/*
 * RFC 1624 eqn. 3: the checksum after one 16-bit word covered by it changed
 * from old to new, HC' = ~(~HC + ~m + m'), which never produces the -0
 * that eqn. 2 can.
 */
uint16_t csum_replace16(uint16_t check, uint16_t old, uint16_t new);

#endif
