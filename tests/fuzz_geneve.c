// SPDX-License-Identifier: MIT
/* fuzz_geneve.c - libFuzzer target: a datagram on the shards' UDP port */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "emu/plane/fault_wire.h"
#include "emu/plane/geneve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Nodes of tests/data/e2e/shd.conf (12 x 22): a realistic bound for links. */
#define FUZZ_NODES 264

static bool fuzz_data_same(const struct geneve_data *x,
			   const struct geneve_data *y)
{
	return x->v == y->v && x->w == y->w && x->ingress == y->ingress &&
	       x->due_ns == y->due_ns && x->shard == y->shard &&
	       x->flags == y->flags && x->seq == y->seq &&
	       !memcmp(x->vnet, y->vnet, sizeof(x->vnet));
}

static bool fuzz_ctl_same(const struct geneve_ctl *x,
			  const struct geneve_ctl *y)
{
	return x->kind == y->kind && x->shard == y->shard && x->seq == y->seq &&
	       x->a == y->a && x->b == y->b && x->c == y->c && x->d == y->d &&
	       x->e == y->e && x->f == y->f && x->g == y->g;
}

/* A live event that was taken must pack to the same fields it came from. */
static void fuzz_event(const struct geneve_ctl *c)
{
	struct geneve_ctl back = *c;
	struct fault_event ev;
	const char *why = NULL;
	uint64_t id;

	if (!fault_wire_unpack(c, FUZZ_NODES, &ev, &id, &why)) {
		if (!why)
			abort();
		return;
	}
	if (ev.a >= FUZZ_NODES)
		abort();
	fault_wire_pack(&ev, id, &back);
	if (!fuzz_ctl_same(c, &back))
		abort();
}

/*
 * Whatever the bytes (a hostile host on the shards' LAN can send any),
 * the parser must neither crash nor read outside them; what it takes must
 * be written back by the builders to a datagram that parses to the same
 * message, and a data frame must lie inside the datagram.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[GENEVE_UDP_MAX];
	struct geneve_msg m, back;
	const char *why = NULL;

	if (!geneve_parse(data, size, &m, &why)) {
		if (!why)
			abort();
		return 0;
	}
	if (m.ctl) {
		geneve_ctl_build(buf, &m.c);
		if (!geneve_parse(buf, GENEVE_CTL_LEN, &back, &why) ||
		    !back.ctl || !fuzz_ctl_same(&m.c, &back.c))
			abort();
		if (m.c.kind == GENEVE_C_EVENT)
			fuzz_event(&m.c);
		return 0;
	}
	if (m.frame < data || m.frame_len > size ||
	    m.frame + m.frame_len != data + size)
		abort();
	if (m.frame_len > GENEVE_FRAME_MAX)
		return 0; /* a datagram longer than UDP carries */
	geneve_data_hdr(buf, &m.d);
	memcpy(buf + GENEVE_DATA_HDR, m.frame, m.frame_len);
	if (!geneve_parse(buf, GENEVE_DATA_HDR + m.frame_len, &back, &why) ||
	    back.ctl || !fuzz_data_same(&m.d, &back.d) ||
	    back.frame_len != m.frame_len ||
	    memcmp(back.frame, m.frame, m.frame_len))
		abort();
	return 0;
}
