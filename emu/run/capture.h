/* SPDX-License-Identifier: MIT */
/* capture.h - one pcap file per tapped node: what it sent and what it received */
#ifndef EMU_CAPTURE_H
#define EMU_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

struct capture;

/*
 * Open DIR/NAME.pcap (DIR must exist) for Ethernet frames with nanosecond
 * timestamps (magic a1b23c4d), cut at snaplen bytes (0 = 262144). 0 or
 * -errno.
 */
int capture_open(const char *dir, const char *name, unsigned snaplen,
		 struct capture **out);
/*
 * Record one Ethernet frame (no virtio-net header) seen at realtime ns.
 * Frames are buffered and written whole. 0, or -errno when the file could
 * not be written (a full disk): the file is then cut back to its last
 * whole frame, and this capture records nothing more and returns the same
 * error. The caller reports it (capture_path(), capture_count()).
 */
int capture_frame(struct capture *c, const uint8_t *frame, size_t len,
		  int64_t realtime_ns);
/*
 * Write what is buffered and close; accepts NULL. 0, or the -errno of the
 * first write that failed (the file then ends at its last whole frame).
 */
int capture_close(struct capture *c);
/* Frames in the file (after a failure: the whole frames it kept). */
uint64_t capture_count(const struct capture *c);
/* The file's path, for messages. */
const char *capture_path(const struct capture *c);

#endif
