/* SPDX-License-Identifier: MIT */
/* pool.h - a small pool of threads made once, that runs one job in parts */
#ifndef TOPO_POOL_H
#define TOPO_POOL_H

/*
 * A job is split into as many parts as the pool has threads: the caller
 * runs part 0 and the workers the others, and topo_pool_run returns when
 * every part is done. Parts are given out by number, never by who is free
 * first, so a job that writes only its own part's share of the output
 * gives the same result whatever the number of threads. The workers sleep
 * on a condition variable between jobs; one pool serves one caller at a
 * time (the thread that steps a model).
 */
struct topo_pool;

/* One part of a job: part in 0 .. nparts - 1. */
typedef void topo_pool_fn(void *arg, unsigned part, unsigned nparts);

/* At most this many threads (the caller counts as one). */
#define TOPO_POOL_MAX 64

/*
 * A pool of nthreads (1 .. TOPO_POOL_MAX; 1: the caller alone, no thread
 * is made). init (may be NULL) runs first in each worker, for example to
 * lower its scheduling priority. 0, -EINVAL or -errno of pthread_create.
 */
int topo_pool_new(unsigned nthreads, void (*init)(void),
		  struct topo_pool **out);
/* Stop and join the workers. Accepts NULL. */
void topo_pool_free(struct topo_pool *p);
/* Threads of the pool (1 for NULL). */
unsigned topo_pool_threads(const struct topo_pool *p);
/* Run fn over every part; p NULL runs one part on the caller. */
void topo_pool_run(struct topo_pool *p, topo_pool_fn *fn, void *arg);

/* The range [*lo, *hi) of part `part` of n items split in nparts. */
static inline void topo_pool_range(unsigned long n, unsigned part,
				   unsigned nparts, unsigned long *lo,
				   unsigned long *hi)
{
	*lo = n * part / nparts;
	*hi = n * (part + 1) / nparts;
}

#endif
