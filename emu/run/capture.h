/* SPDX-License-Identifier: MIT */
/* capture.h - one pcap file per tapped node: what it sent and what it received */
#ifndef EMU_CAPTURE_H
#define EMU_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

struct capture;

/*
 * Open DIR/NAME.pcap (DIR must exist) for Ethernet frames with nanosecond
 * timestamps, cut at snaplen bytes (0 = 262144). 0 or -errno; *err gets
 * libpcap's message when it fails (may be NULL).
 */
int capture_open(const char *dir, const char *name, unsigned snaplen,
		 struct capture **out, char *err, size_t errlen);
/* Record one Ethernet frame (no virtio-net header) seen at realtime ns. */
void capture_frame(struct capture *c, const uint8_t *frame, size_t len,
		   int64_t realtime_ns);
/* Flush and close; accepts NULL. */
void capture_close(struct capture *c);
/* Frames recorded so far. */
uint64_t capture_count(const struct capture *c);

#endif
