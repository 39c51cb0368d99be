/* SPDX-License-Identifier: MIT */
/* graph.h - the links of one step and their undirected adjacency (CSR) */
#ifndef TOPO_GRAPH_H
#define TOPO_GRAPH_H

#include <stddef.h>
#include <stdint.h>

enum graph_kind {
	GRAPH_ISL,	/* laser link between two satellites */
	GRAPH_GSL,	/* ground station to satellite */
};

/* One undirected link that is up: a < b for ISLs, a = satellite for GSLs. */
struct graph_link {
	uint32_t a, b;
	uint32_t kind;		/* enum graph_kind */
	double length_km;
};

/* A growable list of links; it only grows, so steady use does not allocate. */
struct graph_links {
	struct graph_link *v;
	size_t n, cap;
};

void graph_links_init(struct graph_links *l);
void graph_links_free(struct graph_links *l);
/* Append one link. 0 or -ENOMEM. */
int graph_links_add(struct graph_links *l, uint32_t a, uint32_t b,
		    enum graph_kind kind, double length_km);

/* One direction of a link in the adjacency. */
struct graph_arc {
	uint32_t to;		/* neighbour node */
	uint32_t link;		/* index into the link list */
	double w;		/* weight: length in km */
};

/*
 * Compressed sparse rows: the arcs of node v are arc[off[v] .. off[v + 1]),
 * in the order of the link list. Each link gives two arcs.
 */
struct graph {
	size_t n;		/* nodes */
	size_t nlinks;
	uint32_t *off;		/* n + 1 */
	struct graph_arc *arc;	/* 2 * nlinks */
	size_t cap_n, cap_arc;
};

void graph_init(struct graph *g);
void graph_free(struct graph *g);
/*
 * Build the adjacency of n nodes from the links (weights = length_km).
 * Buffers are kept and reused by the next build. 0, -EINVAL (a link names a
 * node >= n) or -ENOMEM.
 */
int graph_build(struct graph *g, size_t n, const struct graph_link *links,
		size_t nlinks);
/* Index of the link between a and b, or -1. */
long graph_find(const struct graph *g, uint32_t a, uint32_t b);

static inline size_t graph_degree(const struct graph *g, uint32_t v)
{
	return g->off[v + 1] - g->off[v];
}

#endif
