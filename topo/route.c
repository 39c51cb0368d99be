// SPDX-License-Identifier: MIT
/* route.c - lowest-latency next hops toward each destination (Dijkstra) */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "topo/route.h"

int route_init(struct route_table *rt, size_t n, const uint32_t *dest,
	       size_t ndest)
{
	size_t cells = n * (ndest ? ndest : 1);

	memset(rt, 0, sizeof(*rt));
	if (n == 0 || n > INT32_MAX)
		return -EINVAL;
	for (size_t d = 0; d < ndest; d++)
		if (dest[d] >= n)
			return -EINVAL;
	rt->n = n;
	rt->ndest = ndest;
	rt->dest = malloc((ndest ? ndest : 1) * sizeof(*rt->dest));
	rt->dest_of = malloc(n * sizeof(*rt->dest_of));
	rt->next = malloc(cells * sizeof(*rt->next));
	rt->via = malloc(cells * sizeof(*rt->via));
	rt->dist = malloc(cells * sizeof(*rt->dist));
	rt->heap = malloc(n * sizeof(*rt->heap));
	rt->hpos = malloc(n * sizeof(*rt->hpos));
	if (!rt->dest || !rt->dest_of || !rt->next || !rt->via || !rt->dist ||
	    !rt->heap || !rt->hpos) {
		route_free(rt);
		return -ENOMEM;
	}
	for (size_t v = 0; v < n; v++)
		rt->dest_of[v] = -1;
	for (size_t d = 0; d < ndest; d++) {
		rt->dest[d] = dest[d];
		if (rt->dest_of[dest[d]] < 0)
			rt->dest_of[dest[d]] = (int32_t)d;
	}
	for (size_t i = 0; i < cells; i++) {
		rt->next[i] = -1;
		rt->via[i] = -1;
		rt->dist[i] = INFINITY;
	}
	return 0;
}

void route_free(struct route_table *rt)
{
	if (!rt)
		return;
	free(rt->dest);
	free(rt->dest_of);
	free(rt->next);
	free(rt->via);
	free(rt->dist);
	free(rt->heap);
	free(rt->hpos);
	memset(rt, 0, sizeof(*rt));
}

/* Indexed binary min-heap on dist[]; hpos[v] = slot of v or -1. */
static inline void route_sift_up(uint32_t *heap, int32_t *hpos,
				 const double *dist, size_t i)
{
	uint32_t v = heap[i];
	double k = dist[v];

	while (i > 0) {
		size_t p = (i - 1) / 2;

		if (dist[heap[p]] <= k)
			break;
		heap[i] = heap[p];
		hpos[heap[i]] = (int32_t)i;
		i = p;
	}
	heap[i] = v;
	hpos[v] = (int32_t)i;
}

static inline void route_sift_down(uint32_t *heap, int32_t *hpos,
				   const double *dist, size_t len)
{
	uint32_t v = heap[0];
	double k = dist[v];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= len)
			break;
		if (c + 1 < len && dist[heap[c + 1]] < dist[heap[c]])
			c++;
		if (dist[heap[c]] >= k)
			break;
		heap[i] = heap[c];
		hpos[heap[i]] = (int32_t)i;
		i = c;
	}
	heap[i] = v;
	hpos[v] = (int32_t)i;
}

void route_dijkstra(struct route_table *rt, const struct graph *g,
		    const uint8_t *transit, size_t di)
{
	size_t n = rt->n, len = 0;
	uint32_t dst = rt->dest[di];
	int32_t *next = rt->next + di * n, *via = rt->via + di * n;
	double *dist = rt->dist + di * n;
	uint32_t *heap = rt->heap;
	int32_t *hpos = rt->hpos;

	for (size_t v = 0; v < n; v++) {
		dist[v] = INFINITY;
		next[v] = -1;
		via[v] = -1;
		hpos[v] = -1;
	}
	dist[dst] = 0.0;
	next[dst] = (int32_t)dst;
	if (g->n != n)
		return;
	heap[len++] = dst;
	hpos[dst] = 0;
	while (len) {
		uint32_t u = heap[0];
		double du = dist[u];

		hpos[u] = -2;	/* settled */
		if (--len) {
			heap[0] = heap[len];
			route_sift_down(heap, hpos, dist, len);
		}
		if (transit && !transit[u] && u != dst)
			continue;
		for (uint32_t k = g->off[u]; k < g->off[u + 1]; k++) {
			const struct graph_arc *a = &g->arc[k];
			uint32_t v = a->to;
			double nd = du + a->w;

			if (!(nd < dist[v]) || hpos[v] == -2)
				continue;
			dist[v] = nd;
			next[v] = (int32_t)u;
			via[v] = (int32_t)a->link;
			if (hpos[v] == -1) {
				heap[len] = v;
				route_sift_up(heap, hpos, dist, len);
				len++;
			} else {
				route_sift_up(heap, hpos, dist,
					      (size_t)hpos[v]);
			}
		}
	}
}

void route_compute(struct route_table *rt, const struct graph *g,
		   const uint8_t *transit)
{
	for (size_t d = 0; d < rt->ndest; d++)
		route_dijkstra(rt, g, transit, d);
}

size_t route_path(const struct route_table *rt, size_t di, uint32_t from,
		  uint32_t *out, size_t max)
{
	uint32_t dst = rt->dest[di], v = from;
	size_t k = 0;

	if (from >= rt->n || route_next(rt, di, from) < 0)
		return 0;
	for (;;) {
		if (k < max)
			out[k] = v;
		k++;
		if (v == dst)
			return k;
		if (k > rt->n)
			return 0;	/* a loop: cannot happen */
		v = (uint32_t)route_next(rt, di, v);
	}
}
