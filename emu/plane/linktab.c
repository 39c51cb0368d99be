// SPDX-License-Identifier: MIT
/* linktab.c - the directed links in use, by (a, b): an open-addressing hash */
#include <errno.h>
#include <stdlib.h>

#include "emu/plane/linktab.h"

#define LINKTAB_MIN 256

static size_t linktab_home(const struct linktab *lt, uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (size_t)k & (lt->cap - 1);
}

static int linktab_grow(struct linktab *lt)
{
	struct linktab old = *lt;
	size_t cap = old.cap ? 2 * old.cap : LINKTAB_MIN;

	lt->t = calloc(cap, sizeof(*lt->t));
	if (!lt->t) {
		*lt = old;
		return -ENOMEM;
	}
	lt->cap = cap;
	for (size_t i = 0; i < old.cap; i++) {
		struct linktab_ent *e = old.t[i];
		size_t j;

		if (!e)
			continue;
		for (j = linktab_home(lt, e->key); lt->t[j];
		     j = (j + 1) & (cap - 1))
			;
		lt->t[j] = e;
	}
	free(old.t);
	return 0;
}

struct linktab_ent *linktab_find(const struct linktab *lt, uint32_t a,
				 uint32_t b)
{
	uint64_t key = (uint64_t)a << 32 | b;

	if (!lt->cap)
		return NULL;
	for (size_t j = linktab_home(lt, key); lt->t[j];
	     j = (j + 1) & (lt->cap - 1))
		if (lt->t[j]->key == key)
			return lt->t[j];
	return NULL;
}

struct linktab_ent *linktab_add(struct linktab *lt, uint32_t a, uint32_t b)
{
	struct linktab_ent *e;
	size_t j;

	if (2 * (lt->count + 1) > lt->cap && linktab_grow(lt) < 0)
		return NULL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->key = (uint64_t)a << 32 | b;
	for (j = linktab_home(lt, e->key); lt->t[j];
	     j = (j + 1) & (lt->cap - 1))
		;
	lt->t[j] = e;
	lt->count++;
	return e;
}

/*
 * Knuth's deletion for linear probing (TAOCP vol. 3, 6.4, algorithm R):
 * walk the cluster after the hole and move back every entry whose home
 * slot does not lie cyclically in (hole, its slot].
 */
void linktab_del(struct linktab *lt, size_t i)
{
	size_t mask = lt->cap - 1, j = i;

	free(lt->t[i]);
	lt->t[i] = NULL;
	lt->count--;
	for (;;) {
		size_t home;

		j = (j + 1) & mask;
		if (!lt->t[j])
			return;
		home = linktab_home(lt, lt->t[j]->key);
		if (((j - home) & mask) >= ((j - i) & mask)) {
			lt->t[i] = lt->t[j];
			lt->t[j] = NULL;
			i = j;
		}
	}
}

void linktab_free(struct linktab *lt)
{
	for (size_t i = 0; i < lt->cap; i++)
		free(lt->t[i]);
	free(lt->t);
	lt->t = NULL;
	lt->cap = lt->count = 0;
}
