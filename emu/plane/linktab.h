/* SPDX-License-Identifier: MIT */
/* linktab.h - the directed links in use, by (a, b): an open-addressing hash */
#ifndef EMU_LINKTAB_H
#define EMU_LINKTAB_H

#include <stddef.h>
#include <stdint.h>

#include "emu/plane/link.h"

/* One directed link a -> b and when traffic last used it. */
struct linktab_ent {
	uint64_t key;		/* a << 32 | b */
	int64_t used_ns;	/* the caller's time of the last use */
	uint32_t kind;		/* the caller's: enum graph_kind */
	int64_t extra_ns;	/* the caller's: delay added to the light time */
	struct link link;
};

/*
 * Linear probing in a power-of-two table at most half full. Removal shifts
 * the following entries back (no tombstones), so a table whose entries
 * come and go never fills up with dead slots and lookups stay short.
 */
struct linktab {
	struct linktab_ent **t;
	size_t cap, count;
};

static inline uint32_t linktab_a(const struct linktab_ent *e)
{
	return (uint32_t)(e->key >> 32);
}

static inline uint32_t linktab_b(const struct linktab_ent *e)
{
	return (uint32_t)e->key;
}

/* The entry of a -> b, or NULL. */
struct linktab_ent *linktab_find(const struct linktab *lt, uint32_t a,
				 uint32_t b);

/*
 * A new zeroed entry for a -> b (which must not be there), or NULL when
 * out of memory. The caller sets up its link.
 */
struct linktab_ent *linktab_add(struct linktab *lt, uint32_t a, uint32_t b);

/*
 * Remove and free the entry in slot i (lt->t[i] must be set). An entry
 * from a later slot may move into slot i: a caller walking the slots must
 * look at slot i again.
 */
void linktab_del(struct linktab *lt, size_t i);

/* Free every entry (their links must be empty) and the table. */
void linktab_free(struct linktab *lt);

#endif
