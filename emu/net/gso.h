/* SPDX-License-Identifier: MIT */
/* gso.h - cut a GSO super-frame into the frames the receiving kernel would make */
#ifndef EMU_GSO_H
#define EMU_GSO_H

#include <stddef.h>
#include <stdint.h>

#include "emu/net/pkt.h"

/*
 * The bytes of segment i of a super-frame parsed by pkt_parse() (gso_type
 * not PKT_GSO_NONE, i < pi->gso_segs), virtio-net header included; 0 when
 * i is out of range.
 */
size_t gso_segment_len(const struct pkt_info *pi, uint32_t i);

/*
 * Write segment i of the super-frame buf to out (cap bytes, not
 * overlapping buf) as an ordinary frame, as tcp_gso_segment() and
 * __udp_gso_segment() would have cut it: the headers repeated, the IPv4
 * total length / IPv6 payload length of the segment, the IPv4 id plus i and
 * a new header checksum, the TCP sequence number plus i * gso_size, FIN and
 * PSH on the last segment only, CWR on the first only (kept on every one
 * with AccECN, which uses it as a counter bit), the UDP length of the
 * segment. The virtio-net header loses its GSO fields; with NEEDS_CSUM the
 * checksum field holds the segment's own pseudo-header sum (a valid partial
 * checksum), without it the full checksum is computed. Returns the bytes
 * written (gso_segment_len()), or 0 when i is out of range or cap too small.
 */
size_t gso_segment(const uint8_t *buf, const struct pkt_info *pi, uint32_t i,
		   uint8_t *out, size_t cap);

#endif
