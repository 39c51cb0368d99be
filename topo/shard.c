// SPDX-License-Identifier: MIT
/* shard.c - which shard owns each node, and the digest shards compare each step
 */
/*
 * A mesh split over N processes (shards) is only right if every shard
 * routes over the same graph: each computes the whole geometry itself
 * (deterministic: same configuration, same epoch, same seed) and owns a
 * part of the nodes. The partition is a pure function of the node list,
 * so no shard needs to be told it; the digest lets shards check, step by
 * step, that their geometries really agree (emu/run/shard.c exchanges it).
 */
#include <stdint.h>
#include <string.h>

#include "topo/shard.h"

/* Shard of the k-th of m items spread over n shards in order. */
static uint16_t shard_spread(size_t k, size_t m, unsigned n)
{
	return m ? (uint16_t)((uint64_t)k * n / m) : 0;
}

void shard_partition(const struct constel *c, unsigned nshards,
		     enum shard_rule rule, const struct shard_pin *pins,
		     size_t npins, uint16_t *owner)
{
	size_t planes = 0, nfree = 0, ifree = 0, ngr = c->n - c->nsat;

	if (rule == SHARD_BLOCKS) {
		for (size_t i = 0; i < c->n; i++)
			owner[i] = shard_spread(i, c->n, nshards);
		goto pins;
	}
	for (size_t s = 0; s < c->nshells; s++)
		planes += c->shells[s].planes;
	for (size_t i = 0; i < c->nsat; i++)
		if (c->node[i].shell < 0 ||
		    (size_t)c->node[i].shell >= c->nshells)
			nfree++;
	for (size_t i = 0; i < c->nsat; i++) {
		const struct constel_node *nd = &c->node[i];
		size_t gp = 0;

		if (nd->shell < 0 || (size_t)nd->shell >= c->nshells) {
			owner[i] = shard_spread(ifree++, nfree, nshards);
			continue;
		}
		for (int s = 0; s < nd->shell; s++)
			gp += c->shells[s].planes;
		owner[i] = shard_spread(gp + nd->plane, planes, nshards);
	}
	for (size_t i = c->nsat; i < c->n; i++)
		owner[i] = shard_spread(i - c->nsat, ngr, nshards);
pins:
	for (size_t k = 0; k < npins; k++)
		if (pins[k].node < c->n && pins[k].shard < nshards)
			owner[pins[k].node] = pins[k].shard;
}

size_t shard_cut(const struct topo_state *st, const uint16_t *owner)
{
	size_t cut = 0;

	for (size_t i = 0; i < st->links.n; i++)
		cut += owner[st->links.v[i].a] != owner[st->links.v[i].b];
	return cut;
}

/*
 * FNV-1a taking 32-bit words instead of bytes (four times fewer
 * multiplications: a 1,000-node mesh with 1,000 destinations hashes a
 * million next hops a step); values, never pointers or padding, so it is
 * the same on every host.
 */
static uint64_t shard_mix(uint64_t h, uint32_t w)
{
	return (h ^ w) * 1099511628211ULL;
}

uint64_t shard_digest(const struct topo_state *st)
{
	const struct route_table *rt = &st->routes;
	uint64_t h = 1469598103934665603ULL;

	h = shard_mix(h, (uint32_t)st->links.n);
	for (size_t i = 0; i < st->links.n; i++) {
		const struct graph_link *l = &st->links.v[i];

		h = shard_mix(h, l->a);
		h = shard_mix(h, l->b);
		h = shard_mix(h, l->kind);
	}
	h = shard_mix(h, (uint32_t)rt->ndest);
	for (size_t d = 0; d < rt->ndest; d++) {
		h = shard_mix(h, rt->dest[d]);
		for (size_t v = 0; v < rt->n; v++)
			h = shard_mix(h, (uint32_t)rt->next[d * rt->n + v]);
	}
	return h;
}
