// SPDX-License-Identifier: MIT
/* fault_wire.c - a live fault event in a shards' control message, and back (see fault_wire.h) */
#include "emu/plane/fault_wire.h"

#include <math.h>
#include <string.h>

#define FAULT_WIRE_HAS (FAULT_SET_LOSS | FAULT_SET_RATE | FAULT_SET_DELAY)

void fault_wire_pack(const struct fault_event *ev, uint64_t id,
		     struct geneve_ctl *c)
{
	uint64_t loss;

	memcpy(&loss, &ev->set.loss, sizeof(loss));
	c->kind = GENEVE_C_EVENT;
	c->a = ev->t_ns;
	c->b = (int64_t)((uint64_t)ev->verb | (uint64_t)ev->target << 8 |
			 (uint64_t)(ev->freeze ? 1 : 0) << 16 |
			 (uint64_t)ev->a << 32);
	c->c = (int64_t)((uint64_t)ev->b | (uint64_t)ev->set.has << 32);
	c->d = (int64_t)loss;
	c->e = (int64_t)ev->set.rate_bps;
	c->f = ev->set.delay_ns;
	c->g = (int64_t)id;
}

bool fault_wire_unpack(const struct geneve_ctl *c, uint32_t nnodes,
		       struct fault_event *ev, uint64_t *id, const char **why)
{
	uint64_t b = (uint64_t)c->b, cc = (uint64_t)c->c, loss = (uint64_t)c->d;
	unsigned verb = b & 0xff, target = (b >> 8) & 0xff;
	unsigned freeze = (b >> 16) & 0xff;

	memset(ev, 0, sizeof(*ev));
	*why = NULL;
	if (c->kind != GENEVE_C_EVENT)
		*why = "not an event message";
	else if (c->a <= 0)
		*why = "orbital time not positive";
	else if (verb > FAULT_SET || target > FAULT_TERMINAL || freeze > 1 ||
		 (b >> 24 & 0xff))
		*why = "unknown verb, target or flags";
	else if ((uint32_t)(b >> 32) >= nnodes)
		*why = "node out of range";
	else if (target == FAULT_LINK && (uint32_t)cc >= nnodes)
		*why = "link's other node out of range";
	else if (target == FAULT_TERMINAL && (uint32_t)cc > FAULT_TERMINAL_MAX)
		*why = "terminal out of range";
	else if (target == FAULT_NODE && (uint32_t)cc)
		*why = "a node event with a second node";
	else if (freeze && (verb != FAULT_DOWN || target != FAULT_NODE))
		*why = "freeze on something else than down node";
	else if ((verb == FAULT_SET) != (target == FAULT_LINK && (cc >> 32)))
		*why = "set without link parameters, or parameters without set";
	else if ((cc >> 32) & ~(uint64_t)FAULT_WIRE_HAS)
		*why = "unknown link parameters";
	else if (c->e < 0 || c->f < 0 || c->g < 0)
		*why = "negative rate, delay or number";
	if (*why)
		return false;
	ev->t_ns = c->a;
	ev->verb = (uint8_t)verb;
	ev->target = (uint8_t)target;
	ev->source = FAULT_LIVE;
	ev->freeze = freeze;
	ev->a = (uint32_t)(b >> 32);
	ev->b = (uint32_t)cc;
	ev->set.has = (unsigned)(cc >> 32);
	memcpy(&ev->set.loss, &loss, sizeof(loss));
	if (!isfinite(ev->set.loss) || ev->set.loss < 0.0 ||
	    ev->set.loss > 1.0) {
		*why = "loss not a probability";
		return false;
	}
	ev->set.rate_bps = (uint64_t)c->e;
	ev->set.delay_ns = c->f;
	*id = (uint64_t)c->g;
	return true;
}
