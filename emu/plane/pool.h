/* SPDX-License-Identifier: MIT */
/* pool.h - free lists of packet buffers, small and big, reused without malloc */
#ifndef EMU_POOL_H
#define EMU_POOL_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Packet buffers come from two free lists: small ones for ordinary frames
 * and big ones for super-frames. Each buffer is hdr bytes of the caller's
 * record followed by its data; the pool keeps its free-list link in the
 * first pointer of a free buffer. Reusing buffers matters: a fresh 64 KiB
 * malloc per super-frame cost ~16 page faults each and halved TCP
 * throughput.
 */
#define POOL_SMALL 2048		/* data bytes of a small buffer */
#define POOL_KEEP_SMALL 16384		/* 32 MiB cached at most */
#define POOL_KEEP_BIG 256		/* 16 MiB cached at most */

struct pool {
	size_t hdr;		/* bytes of the caller's record */
	size_t big;		/* data bytes of a big buffer */
	void *free_small, *free_big;
	size_t nfree_small, nfree_big;
};

/* An empty pool of buffers of hdr + POOL_SMALL or hdr + big bytes. */
void pool_init(struct pool *p, size_t hdr, size_t big);

/* Whether len data bytes need a big buffer. */
static inline bool pool_is_big(size_t len)
{
	return len > POOL_SMALL;
}

/* A small or big buffer, not zeroed, or NULL when out of memory. */
void *pool_get(struct pool *p, bool big);

/* Give back a buffer got with the same big (NULL is ignored). */
void pool_put(struct pool *p, void *buf, bool big);

/* Free every cached buffer; the pool is empty and usable afterwards. */
void pool_free(struct pool *p);

#endif
