/* SPDX-License-Identifier: MIT */
/* fault_wire.h - a live fault event in a shards' control message, and back */
#ifndef EMU_FAULT_WIRE_H
#define EMU_FAULT_WIRE_H

#include <stdbool.h>
#include <stdint.h>

#include "emu/plane/geneve.h"
#include "topo/fault.h"

/*
 * A `lasermesh ctl` fault taken on one shard must change every shard's
 * geometry at the same step, or their digests part. The shard that takes
 * it gives it an orbital time a few steps ahead and sends it to the
 * others in a GENEVE_C_EVENT message:
 *
 *	a  orbital time, unix ns (> 0)
 *	b  verb | target << 8 | freeze << 16 | node a << 32
 *	c  node or terminal b | set.has << 32
 *	d  set.loss (the bits of the double)
 *	e  set.rate_bps
 *	f  set.delay_ns
 *	g  the event's number at the shard that took it (from 0)
 *
 * Every shard adds it to its plan at that time. A message sent again has
 * the same number, so a receiver takes each (shard, number) once.
 */

/* Fill the kind and a..g of c with ev and its number. */
void fault_wire_pack(const struct fault_event *ev, uint64_t id,
		     struct geneve_ctl *c);
/*
 * The event of a GENEVE_C_EVENT message, for a mesh of nnodes nodes:
 * false with *why when a field is out of range (never trusted further).
 * The event's source is FAULT_LIVE and its line 0.
 */
bool fault_wire_unpack(const struct geneve_ctl *c, uint32_t nnodes,
		       struct fault_event *ev, uint64_t *id, const char **why);

#endif
