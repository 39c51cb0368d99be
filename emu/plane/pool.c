// SPDX-License-Identifier: MIT
/* pool.c - free lists of packet buffers, small and big, reused without malloc */
#include <stdlib.h>

#include "emu/plane/pool.h"

void pool_init(struct pool *p, size_t hdr, size_t big)
{
	p->hdr = hdr;
	p->big = big;
	p->free_small = p->free_big = NULL;
	p->nfree_small = p->nfree_big = 0;
}

void *pool_get(struct pool *p, bool big)
{
	void **list = big ? &p->free_big : &p->free_small;
	void *b = *list;

	if (!b)
		return malloc(p->hdr + (big ? p->big : POOL_SMALL));
	*list = *(void **)b;
	if (big)
		p->nfree_big--;
	else
		p->nfree_small--;
	return b;
}

void pool_put(struct pool *p, void *buf, bool big)
{
	if (!buf)
		return;
	if (big && p->nfree_big < POOL_KEEP_BIG) {
		*(void **)buf = p->free_big;
		p->free_big = buf;
		p->nfree_big++;
	} else if (!big && p->nfree_small < POOL_KEEP_SMALL) {
		*(void **)buf = p->free_small;
		p->free_small = buf;
		p->nfree_small++;
	} else {
		free(buf);
	}
}

static void pool_free_list(void *b)
{
	while (b) {
		void *next = *(void **)b;

		free(b);
		b = next;
	}
}

void pool_free(struct pool *p)
{
	pool_free_list(p->free_small);
	pool_free_list(p->free_big);
	pool_init(p, p->hdr, p->big);
}
