// SPDX-License-Identifier: MIT
/* fwd_links.c - the forwarder's directed links in use: created, given their parameters, taken down, freed */
#include <string.h>

#include "emu/plane/fwd.h"
#include "emu/plane/fwd_pkt.h"

/*
 * The parameters of link a -> b of kind: the configured ones, with what a
 * `set link` fault in force changes (loss, rate, added delay into *extra).
 */
static void fwd_link_params(const struct fwd *f, uint32_t a, uint32_t b,
			    uint32_t kind, struct linkparams *lp,
			    int64_t *extra)
{
	const struct fault_state *fs = &ring_current(f->ring)->faults;
	const struct fault_link *fl;

	*extra = 0;
	if (fwd_remote(f, a)) {
		/* from another shard: it modelled the link (fwd_shard.c) */
		memset(lp, 0, sizeof(*lp));
		lp->qkind = LINKPARAMS_Q_TIME;	/* never full */
		lp->qlimit = UINT64_MAX;
		return;
	}
	*lp = kind == GRAPH_ISL ? f->isl_lp : f->gsl_lp;
	if (kind == GRAPH_ISL && f->isl_rate) {
		uint64_t ra = f->isl_rate[a], rb = f->isl_rate[b];

		lp->rate_bps = ra && (!rb || ra < rb) ? ra : rb;
	}
	fl = fs->nlinks ? fault_link_find(fs, a, b) : NULL;
	if (!fl || !fl->set.has)
		return;
	if (fl->set.has & FAULT_SET_LOSS) {
		lp->loss.kind = fl->set.loss > 0.0 ? LINKPARAMS_LOSS_RANDOM
						   : LINKPARAMS_LOSS_NONE;
		lp->loss.p = fl->set.loss;
	}
	if (fl->set.has & FAULT_SET_RATE)
		lp->rate_bps = fl->set.rate_bps;
	if (fl->set.has & FAULT_SET_DELAY)
		*extra = fl->set.delay_ns;
}

/* Give every link in the table its parameters of the faults in force. */
void fwd_links_reparam(struct fwd *f)
{
	for (size_t i = 0; i < f->links.cap; i++) {
		struct linktab_ent *e = f->links.t[i];
		struct linkparams lp;

		if (!e)
			continue;
		fwd_link_params(f, linktab_a(e), linktab_b(e), e->kind, &lp,
				&e->extra_ns);
		if (memcmp(&lp, &e->link.params, sizeof(lp)) != 0)
			link_set_params(&e->link, &lp);
	}
}

/*
 * The link a -> b, created when traffic first uses it. The id seeds the
 * link's random stream: the same in every run; a link created again after
 * idle links were freed gets a fresh stream.
 */
struct link *fwd_link_get(struct fwd *f, uint32_t a, uint32_t b,
				 uint32_t kind, int64_t now)
{
	struct linktab_ent *e = linktab_find(&f->links, a, b);
	uint32_t id;

	if (!e) {
		struct linkparams lp;

		e = linktab_add(&f->links, a, b);
		if (!e)
			return NULL;
		id = (uint32_t)(a * 2654435761u) ^ b;
		id ^= (uint32_t)(f->st.links_freed * 0x9e3779b97f4a7c15ULL);
		e->kind = kind;
		fwd_link_params(f, a, b, kind, &lp, &e->extra_ns);
		link_init(&e->link, id, &lp, f->seed);
	}
	e->used_ns = now;
	return &e->link;
}

void fwd_links_foreach(const struct fwd *f,
		       void (*fn)(uint32_t a, uint32_t b, const struct link *l,
				  void *arg),
		       void *arg)
{
	for (size_t i = 0; i < f->links.cap; i++) {
		const struct linktab_ent *e = f->links.t[i];

		if (e)
			fn(linktab_a(e), linktab_b(e), &e->link, arg);
	}
}

void fwd_flush_cb(struct link_pkt *lp, void *arg)
{
	fwd_pkt_free(arg, (struct fwd_pkt *)lp);
}

/* Links that went down drop what they hold; idle empty links leave. */
void fwd_links_update(struct fwd *f, const struct graph *g)
{
	size_t i = 0;

	while (i < f->links.cap) {
		struct linktab_ent *e = f->links.t[i];
		bool up;

		if (!e) {
			i++;
			continue;
		}
		up = graph_find(g, linktab_a(e), linktab_b(e)) >= 0;
		if (up != e->link.up) {
			struct fwd_note n = {
				.kind = FWD_NOTE_LINK, .a = linktab_a(e),
				.b = linktab_b(e), .up = up,
				.carried = e->link.stats.sent_pkts,
			};
			uint64_t held = e->link.qlen;

			link_set_up(&e->link, up);
			if (!up && e->link.head) {
				/* what was on its way to a failed node */
				enum fwd_drop why =
					fwd_node_down(f, linktab_b(e)) ?
						FWD_D_NODE_DOWN :
						FWD_D_LINK_DOWN;

				uint64_t k = link_flush(&e->link, fwd_flush_cb,
							f);

				f->st.link_flushes++;
				/* copies of frames another shard holds: its */
				if (!fwd_remote(f, linktab_b(e)))
					f->st.drop[why] += k;
				sched_update(&f->sched, &e->link);
			}
			n.flushed = up ? 0 : held;
			if (f->notify)
				f->notify(f, &n);
		}
		if (!e->link.head && e->link.sched_idx == LINK_SCHED_NONE &&
		    f->now - e->used_ns > f->link_idle_ns) {
			linktab_del(&f->links, i);	/* slot i again */
			f->st.links_freed++;
			continue;
		}
		i++;
	}
}
