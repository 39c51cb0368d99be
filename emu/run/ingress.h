/* SPDX-License-Identifier: MIT */
/* ingress.h - when a frame read from a TAP was sent: its logical start */
#ifndef EMU_RUN_INGRESS_H
#define EMU_RUN_INGRESS_H

#include <stddef.h>
#include <stdint.h>

#include "tap/tap.h"

/*
 * Before reading a batch from TAP t: take the send times waiting for it
 * (tapstamp.h). Returns CLOCK_REALTIME - CLOCK_MONOTONIC now, the offset
 * to pass to ingress_time(), or 0 when t has no send times.
 */
int64_t ingress_begin(struct tap *t);
/*
 * When the frame buf (len bytes, virtio-net header first) read from t at
 * now (CLOCK_MONOTONIC ns) was sent, in CLOCK_MONOTONIC ns: the kernel's
 * stamp, or now when there is none or it is not believable (after now,
 * or more than INGRESS_MAX_AGE before it: the real-time clock stepped).
 */
int64_t ingress_time(struct tap *t, const uint8_t *buf, size_t len,
		     int64_t now, int64_t off);

#define INGRESS_MAX_AGE (INT64_C(1000000000))

#endif
