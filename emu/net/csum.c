// SPDX-License-Identifier: MIT
/* csum.c - Internet checksum (RFC 1071), incremental update (RFC 1624) */
#include "emu/net/csum.h"

/* End-around carry until the sum fits in 16 bits. */
static uint32_t csum_reduce(uint64_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint32_t)s;
}

uint32_t csum_add(uint32_t sum, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint64_t s = sum;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	return csum_reduce(s);
}

uint16_t csum_fold(uint32_t sum)
{
	return (uint16_t)~csum_reduce(sum);
}

uint32_t csum_pseudo_v4(struct in_addr src, struct in_addr dst,
			uint8_t proto, uint32_t len)
{
	uint32_t s;

	s = csum_add(0, &src.s_addr, 4);
	s = csum_add(s, &dst.s_addr, 4);
	return csum_reduce((uint64_t)s + proto + (len >> 16) + (len & 0xffff));
}

uint32_t csum_pseudo_v6(const struct in6_addr *src,
			const struct in6_addr *dst, uint8_t next_header,
			uint32_t len)
{
	uint32_t s;

	s = csum_add(0, src->s6_addr, 16);
	s = csum_add(s, dst->s6_addr, 16);
	return csum_reduce((uint64_t)s + next_header + (len >> 16) +
			   (len & 0xffff));
}

uint16_t csum_replace16(uint16_t check, uint16_t old, uint16_t new)
{
	uint64_t s = (uint16_t)~check;

	s += (uint16_t)~old;
	s += new;
	return (uint16_t)~csum_reduce(s);
}
