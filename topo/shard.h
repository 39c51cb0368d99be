/* SPDX-License-Identifier: MIT */
/* shard.h - which shard owns each node, and the digest shards compare each step
 */
#ifndef TOPO_SHARD_H
#define TOPO_SHARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "topo/constel.h"
#include "topo/step.h"

/* At most this many shards (a shard index fits the wire's 16 bits). */
#define SHARD_MAX 1024

/* How nodes are spread over the shards ([shards] partition). */
enum shard_rule {
	SHARD_PLANES, /* contiguous groups of orbital planes */
	SHARD_BLOCKS, /* contiguous blocks of node indices */
};

/* A node placed by hand ([shards] place = SHARD NODE...). */
struct shard_pin {
	uint32_t node;
	uint16_t shard;
};

/*
 * Fill owner[i] (c->n entries) with the shard of node i, 0 .. nshards-1,
 * from the configuration alone, so every shard derives the same table.
 * SHARD_PLANES numbers the planes of every Walker shell one after another
 * (shell 0's planes first) and gives shard k the planes [k P / N, (k+1) P
 * / N): cut links are then cross-plane ones. Satellites without planes
 * (TLE files, clusters) and ground stations are spread the same way over
 * their own order (k-th of m goes to k N / m). SHARD_BLOCKS does that for
 * all nodes by index. Pins override the rule. nshards must be 1 ..
 * SHARD_MAX and every pin's shard below it.
 */
void shard_partition(const struct constel *c, unsigned nshards,
		     enum shard_rule rule, const struct shard_pin *pins,
		     size_t npins, uint16_t *owner);

/* How many links of st join nodes of two different shards (the cut). */
size_t shard_cut(const struct topo_state *st, const uint16_t *owner);

/*
 * A 64-bit digest of a step: the links up (ends and kind, in the step's
 * order) and every destination's next-hop table. Link lengths are left
 * out on purpose: two hosts' libm may differ in the last bit of a sine,
 * and that is no disagreement; a different link or route is.
 */
uint64_t shard_digest(const struct topo_state *st);

#endif
