// SPDX-License-Identifier: MIT
/* test_fault_wire.c - a live fault event through a shards' control message and back */
#include <math.h>
#include <string.h>

#include <criterion/criterion.h>

#include "emu/plane/fault_wire.h"
#include "emu/plane/geneve.h"

#define NNODES 100

/* ev -> GENEVE datagram -> parsed -> event; asserts each step worked. */
static struct fault_event wire(const struct fault_event *ev, uint64_t id,
			       uint64_t *got_id)
{
	uint8_t buf[GENEVE_CTL_LEN];
	struct geneve_ctl c;
	struct geneve_msg m;
	struct fault_event out;
	const char *why = NULL;

	memset(&c, 0, sizeof(c));
	fault_wire_pack(ev, id, &c);
	geneve_ctl_build(buf, &c);
	cr_assert(geneve_parse(buf, sizeof(buf), &m, &why), "%s", why);
	cr_assert(m.ctl);
	cr_assert_eq(m.c.kind, GENEVE_C_EVENT);
	cr_assert(fault_wire_unpack(&m.c, NNODES, &out, got_id, &why), "%s",
		  why);
	return out;
}

Test(fault_wire, every_kind_of_event_comes_back_whole)
{
	const struct fault_event evs[] = {
	    {.t_ns = 1771804800123456789, .verb = FAULT_DOWN,
	     .target = FAULT_NODE, .a = 99, .freeze = true},
	    {.t_ns = 1, .verb = FAULT_UP, .target = FAULT_NODE, .a = 0},
	    {.t_ns = 5000, .verb = FAULT_DOWN, .target = FAULT_LINK, .a = 3,
	     .b = 98},
	    {.t_ns = 5000, .verb = FAULT_SET, .target = FAULT_LINK, .a = 3,
	     .b = 4,
	     .set = {.has = FAULT_SET_LOSS | FAULT_SET_RATE | FAULT_SET_DELAY,
		     .loss = 0.05, .rate_bps = 100000000,
		     .delay_ns = 2000000}},
	    {.t_ns = 7, .verb = FAULT_SET, .target = FAULT_LINK, .a = 1,
	     .b = 2, .set = {.has = FAULT_SET_LOSS, .loss = 1.0}},
	    {.t_ns = 9, .verb = FAULT_DOWN, .target = FAULT_TERMINAL, .a = 50,
	     .b = FAULT_TERMINAL_MAX},
	};

	for (size_t k = 0; k < sizeof(evs) / sizeof(evs[0]); k++) {
		uint64_t id = 0;
		struct fault_event e = wire(&evs[k], 1000 + k, &id);

		cr_assert_eq(id, 1000 + k);
		cr_assert_eq(e.t_ns, evs[k].t_ns, "event %zu", k);
		cr_assert_eq(e.verb, evs[k].verb, "event %zu", k);
		cr_assert_eq(e.target, evs[k].target, "event %zu", k);
		cr_assert_eq(e.freeze, evs[k].freeze, "event %zu", k);
		cr_assert_eq(e.a, evs[k].a, "event %zu", k);
		cr_assert_eq(e.b, evs[k].b, "event %zu", k);
		cr_assert_eq(e.set.has, evs[k].set.has, "event %zu", k);
		cr_assert_eq(e.set.loss, evs[k].set.loss, "event %zu", k);
		cr_assert_eq(e.set.rate_bps, evs[k].set.rate_bps, "event %zu",
			     k);
		cr_assert_eq(e.set.delay_ns, evs[k].set.delay_ns, "event %zu",
			     k);
		cr_assert_eq(e.source, FAULT_LIVE, "a live event");
		cr_assert_eq(e.line, 0);
	}
}

/* Take a good message, spoil one field, expect a refusal with a reason. */
static void refused(void (*spoil)(struct geneve_ctl *), const char *what)
{
	const struct fault_event ev = {.t_ns = 10, .verb = FAULT_SET,
				       .target = FAULT_LINK, .a = 1, .b = 2,
				       .set = {.has = FAULT_SET_LOSS,
					       .loss = 0.5}};
	struct geneve_ctl c;
	struct fault_event out;
	const char *why = NULL;
	uint64_t id;

	memset(&c, 0, sizeof(c));
	fault_wire_pack(&ev, 1, &c);
	cr_assert(fault_wire_unpack(&c, NNODES, &out, &id, &why), "%s", why);
	spoil(&c);
	why = NULL;
	cr_assert(!fault_wire_unpack(&c, NNODES, &out, &id, &why),
		  "accepted: %s", what);
	cr_assert(why && *why, "no reason for: %s", what);
}

static void node_out(struct geneve_ctl *c)
{
	c->b = (int64_t)((uint64_t)c->b & 0xffffffffu) |
	       (int64_t)((uint64_t)NNODES << 32);
}
static void other_out(struct geneve_ctl *c)
{
	c->c = (int64_t)(((uint64_t)c->c & ~UINT64_C(0xffffffff)) | NNODES);
}
static void loss_nan(struct geneve_ctl *c)
{
	double x = NAN;

	memcpy(&c->d, &x, sizeof(x));
}
static void loss_big(struct geneve_ctl *c)
{
	double x = 1.5;

	memcpy(&c->d, &x, sizeof(x));
}
static void has_unknown(struct geneve_ctl *c)
{
	c->c |= (int64_t)(UINT64_C(1) << 40);
}
static void set_without(struct geneve_ctl *c)
{
	c->c &= 0xffffffff;
}
static void verb_bad(struct geneve_ctl *c)
{
	c->b |= 7;
}
static void freeze_link(struct geneve_ctl *c)
{
	c->b |= 1 << 16;
}
static void time_zero(struct geneve_ctl *c)
{
	c->a = 0;
}
static void rate_negative(struct geneve_ctl *c)
{
	c->e = -1;
}
static void wrong_kind(struct geneve_ctl *c)
{
	c->kind = GENEVE_C_DIGEST;
}
static void terminal_big(struct geneve_ctl *c)
{
	/* down terminal 1 64 */
	c->b = (int64_t)(FAULT_DOWN | FAULT_TERMINAL << 8 |
			 (UINT64_C(1) << 32));
	c->c = FAULT_TERMINAL_MAX + 1;
}

Test(fault_wire, hostile_fields_are_refused_with_a_reason)
{
	refused(node_out, "node index = node count");
	refused(other_out, "link's other node = node count");
	refused(loss_nan, "loss NaN");
	refused(loss_big, "loss 1.5");
	refused(has_unknown, "unknown parameter bit");
	refused(set_without, "set link with no parameter");
	refused(verb_bad, "verb 7");
	refused(freeze_link, "freeze on a link");
	refused(time_zero, "orbital time 0");
	refused(rate_negative, "negative rate");
	refused(wrong_kind, "a digest message");
	refused(terminal_big, "terminal 64");
}
