// SPDX-License-Identifier: MIT
/* graph.c - the links of one step and their undirected adjacency (CSR) */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "topo/lib/array.h"
#include "topo/graph.h"

void graph_links_init(struct graph_links *l)
{
	memset(l, 0, sizeof(*l));
}

void graph_links_free(struct graph_links *l)
{
	if (!l)
		return;
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int graph_links_add(struct graph_links *l, uint32_t a, uint32_t b,
		    enum graph_kind kind, double length_km)
{
	if (array_grow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v),
		       1024) < 0)
		return -ENOMEM;
	l->v[l->n++] = (struct graph_link){
		.a = a, .b = b, .kind = kind, .length_km = length_km,
	};
	return 0;
}

void graph_init(struct graph *g)
{
	memset(g, 0, sizeof(*g));
}

void graph_free(struct graph *g)
{
	if (!g)
		return;
	free(g->off);
	free(g->arc);
	memset(g, 0, sizeof(*g));
}

int graph_build(struct graph *g, size_t n, const struct graph_link *links,
		size_t nlinks)
{
	uint32_t *off;

	if (n + 1 > g->cap_n) {
		off = realloc(g->off, (n + 1) * sizeof(*off));
		if (!off)
			return -ENOMEM;
		g->off = off;
		g->cap_n = n + 1;
	}
	if (2 * nlinks > g->cap_arc) {
		size_t cap = 2 * nlinks + nlinks / 2 + 16;
		struct graph_arc *arc = realloc(g->arc, cap * sizeof(*arc));

		if (!arc)
			return -ENOMEM;
		g->arc = arc;
		g->cap_arc = cap;
	}
	off = g->off;
	memset(off, 0, (n + 1) * sizeof(*off));
	for (size_t i = 0; i < nlinks; i++) {
		if (links[i].a >= n || links[i].b >= n) {
			g->n = g->nlinks = 0;
			return -EINVAL;
		}
		off[links[i].a + 1]++;
		off[links[i].b + 1]++;
	}
	for (size_t v = 0; v < n; v++)
		off[v + 1] += off[v];
	/* Fill using off[v] as the cursor, then shift back by one node. */
	for (size_t i = 0; i < nlinks; i++) {
		const struct graph_link *l = &links[i];

		g->arc[off[l->a]++] = (struct graph_arc){
			.to = l->b, .link = (uint32_t)i, .w = l->length_km,
		};
		g->arc[off[l->b]++] = (struct graph_arc){
			.to = l->a, .link = (uint32_t)i, .w = l->length_km,
		};
	}
	memmove(off + 1, off, n * sizeof(*off));
	off[0] = 0;
	g->n = n;
	g->nlinks = nlinks;
	return 0;
}

long graph_find(const struct graph *g, uint32_t a, uint32_t b)
{
	if (a >= g->n)
		return -1;
	for (uint32_t k = g->off[a]; k < g->off[a + 1]; k++)
		if (g->arc[k].to == b)
			return g->arc[k].link;
	return -1;
}
