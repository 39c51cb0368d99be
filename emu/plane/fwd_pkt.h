/* SPDX-License-Identifier: MIT */
/* fwd_pkt.h - inside the forwarder: a packet on its way, shared by fwd.c and fwd_tap.c */
#ifndef EMU_FWD_PKT_H
#define EMU_FWD_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emu/net/pkt.h"
#include "emu/plane/fwd.h"
#include "emu/plane/link.h"

/* A packet on its way: embedded link record, addressing, the bytes. */
struct fwd_pkt {
	struct link_pkt lp;		/* first: container_of is a cast */
	uint32_t src, dst;		/* mesh nodes of the IP addresses */
	uint32_t ingress;		/* node where it entered the mesh */
	uint32_t at;			/* node it is travelling to / at */
	uint32_t *route;		/* source route, or NULL */
	uint16_t nroute, iroute;
	struct pkt_info pi;
	uint32_t len;
	bool big;			/* a big buffer of the pool */
	bool ttl_done;			/* fabric mode: the mesh took its hop */
	uint8_t data[];
};

/* A packet with room for len bytes, its record zeroed, or NULL. */
struct fwd_pkt *fwd_pkt_alloc(struct fwd *f, size_t len);
/* Give p back to the pool (NULL is ignored). */
void fwd_pkt_free(struct fwd *f, struct fwd_pkt *p);
/* A packet holding a copy of len bytes of buf, or NULL. */
struct fwd_pkt *fwd_pkt_new(struct fwd *f, const uint8_t *buf, size_t len);

/* The mesh node of a parsed packet's source (or destination), or -1. */
int32_t fwd_node_of(const struct fwd *f, const struct pkt_info *pi, bool src);

/* Route p at node p->at at logical time now: deliver, answer or send on. */
void fwd_at_node(struct fwd *f, struct fwd_pkt *p, int64_t now);

/* p just entered link v -> p->at, due at due_ns: hand it to its shard. */
void fwd_shard_cut(struct fwd *f, const struct fwd_pkt *p, uint32_t v,
		   int64_t due_ns);

/* ---- the directed links in use (fwd_links.c) ---- */

/* The link a -> b of kind (enum graph_kind), made when first used. */
struct link *fwd_link_get(struct fwd *f, uint32_t a, uint32_t b,
			  uint32_t kind, int64_t now);
/* Every link in the table takes the parameters of the faults in force. */
void fwd_links_reparam(struct fwd *f);
/* Links that went down drop what they hold; idle empty links leave. */
void fwd_links_update(struct fwd *f, const struct graph *g);
/* link_flush's callback: the packet goes back to the pool. */
void fwd_flush_cb(struct link_pkt *lp, void *arg);

/* Write a frame to port pi's TAP and count it (fwd_tap.c). */
void fwd_output(struct fwd *f, size_t pi, uint8_t *buf, size_t len,
		int64_t now);

#endif
