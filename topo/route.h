/* SPDX-License-Identifier: MIT */
/* route.h - lowest-latency next hops toward each destination (Dijkstra) */
#ifndef TOPO_ROUTE_H
#define TOPO_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "topo/graph.h"

/*
 * Next-hop tables for a few destinations over the whole node set. For
 * destination index d and node v, at [d * n + v]:
 *   next  the neighbour of v on a shortest path to the destination
 *         (the destination itself for the destination, -1 if unreachable),
 *   via   the index of the link v - next in the link list (-1 if none),
 *   dist  the path length in km (0 at the destination, INFINITY if
 *         unreachable); the delay is dist / c.
 */
struct route_table {
	size_t n, ndest;
	uint32_t *dest;		/* node index of each destination */
	int32_t *dest_of;	/* node -> destination index, or -1 */
	int32_t *next;
	int32_t *via;
	double *dist;
	/*
	 * The reachable nodes of each destination in an order where every
	 * node comes after its next hop ([d * n], norder[d] of them), valid
	 * when has_order: what the next computation starts from.
	 */
	uint32_t *order;
	size_t *norder;
	bool has_order;
	size_t warm, cold;	/* last compute: destinations done each way */
	/* Dijkstra's scratch: an indexed binary heap */
	uint32_t *heap;
	int32_t *hpos;
};

/* Allocate tables for n nodes and ndest destinations. 0, -EINVAL, -ENOMEM. */
int route_init(struct route_table *rt, size_t n, const uint32_t *dest,
	       size_t ndest);
void route_free(struct route_table *rt);

/*
 * One Dijkstra from destination di over g (weights are symmetric, so the
 * tree toward the destination is the tree from it). A node with transit[v]
 * == 0 (a ground station that is not a relay) gets a distance and a next
 * hop but is never relaxed through, unless it is the destination itself:
 * it can start or end a path, never sit inside one. transit NULL = every
 * node may carry transit. g->n must equal rt->n (otherwise every node but
 * the destination is unreachable).
 */
void route_dijkstra(struct route_table *rt, const struct graph *g,
		    const uint8_t *transit, size_t di);

/*
 * Every destination. hint (may be NULL) is the table of the previous step,
 * for the same nodes and destinations: between two steps 100 ms apart the
 * shortest-path trees rarely change, so each destination first tries its
 * previous order: one pass computes every node's distance from neighbours
 * that come earlier in it, and a second pass checks Bellman's condition
 * dist[v] <= dist[u] + w on every arc out of a transit node. Distances that
 * are lengths of real paths and pass the check are the shortest (the
 * labels are then exactly the shortest distances), so the result is the
 * same as Dijkstra's up to the choice among equal paths. When the check
 * fails (a link came or went, or two paths swapped order), that
 * destination runs Dijkstra. rt->warm and rt->cold count each.
 */
void route_compute(struct route_table *rt, const struct graph *g,
		   const uint8_t *transit, const struct route_table *hint);

/*
 * One destination d of route_compute, with the scratch heap and hpos (n
 * entries each) of the caller: threads computing different destinations
 * of one table each bring their own. True if the warm start held (else
 * Dijkstra ran). The caller then sets rt->warm, rt->cold and
 * rt->has_order (g->n == rt->n) as route_compute does.
 */
bool route_compute_dest(struct route_table *rt, const struct graph *g,
			const uint8_t *transit, const struct route_table *hint,
			size_t d, uint32_t *heap, int32_t *hpos);

static inline int32_t route_next(const struct route_table *rt, size_t di,
				 uint32_t v)
{
	return rt->next[di * rt->n + v];
}

static inline double route_dist(const struct route_table *rt, size_t di,
				uint32_t v)
{
	return rt->dist[di * rt->n + v];
}

/* The destination index of node v, or -1 if v is not a destination. */
static inline long route_dest_index(const struct route_table *rt, uint32_t v)
{
	return v < rt->n ? rt->dest_of[v] : -1;
}

/*
 * The path from node from to destination di as node indices, from first and
 * the destination last, into out (at most max written). Returns the number
 * of nodes of the whole path (which may exceed max), or 0 if unreachable.
 */
size_t route_path(const struct route_table *rt, size_t di, uint32_t from,
		  uint32_t *out, size_t max);

#endif
