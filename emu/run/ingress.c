// SPDX-License-Identifier: MIT
/* ingress.c - when a frame read from a TAP was sent: its logical start */
/*
 * A frame's logical time (the link it enters, its due time) starts when
 * its node sent it. The kernel stamps each frame in the sender's system
 * call (tap/tapstamp.c); without a stamp, the time it was read stands in,
 * late by the data plane's wake-up (docs/performance.md, one-way delay).
 */
#include <time.h>

#include "emu/run/ingress.h"
#include "tap/tapstamp.h"
#include "topo/lib/vnet.h"
#include "topo/utc.h"

int64_t ingress_begin(struct tap *t)
{
	struct timespec rt, mono;

	if (!t->stamp)
		return 0;
	tapstamp_drain(t->stamp);
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	return (rt.tv_sec - mono.tv_sec) * UTC_NS_PER_S +
	       (rt.tv_nsec - mono.tv_nsec);
}

int64_t ingress_time(struct tap *t, const uint8_t *buf, size_t len,
		     int64_t now, int64_t off)
{
	int64_t ns;

	if (!t->stamp || len <= VNET_HDR_LEN ||
	    !tapstamp_take(t->stamp, buf + VNET_HDR_LEN, len - VNET_HDR_LEN,
			   &ns))
		return now;
	ns -= off;
	if (ns > now || now - ns > INGRESS_MAX_AGE)
		return now;
	return ns;
}
