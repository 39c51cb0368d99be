// SPDX-License-Identifier: MIT
/* pool.c - a small pool of threads made once, that runs one job in parts */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "topo/pool.h"

/*
 * The job is published under the lock with a new generation number; each
 * worker runs its own part (its index) once per generation and counts
 * itself done. No part moves between threads, so there is no queue.
 */
struct topo_pool {
	unsigned n;			/* threads, the caller included */
	pthread_t *th;			/* n - 1 workers */
	unsigned started;		/* workers made */
	pthread_mutex_t lock;
	pthread_cond_t go, done;
	unsigned long gen;		/* job number */
	unsigned pending;		/* workers still on the job */
	bool stop;
	topo_pool_fn *fn;
	void *arg;
	void (*init)(void);
};

struct topo_pool_worker {
	struct topo_pool *p;
	unsigned part;
};

static void *topo_pool_main(void *x)
{
	struct topo_pool_worker w = *(struct topo_pool_worker *)x;
	struct topo_pool *p = w.p;
	unsigned long seen = 0;

	free(x);
	if (p->init)
		p->init();
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->stop && p->gen == seen)
			pthread_cond_wait(&p->go, &p->lock);
		if (p->stop)
			break;
		seen = p->gen;
		pthread_mutex_unlock(&p->lock);
		p->fn(p->arg, w.part, p->n);
		pthread_mutex_lock(&p->lock);
		if (--p->pending == 0)
			pthread_cond_signal(&p->done);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

int topo_pool_new(unsigned nthreads, void (*init)(void),
		  struct topo_pool **out)
{
	struct topo_pool *p;
	int ret = 0;

	*out = NULL;
	if (nthreads < 1 || nthreads > TOPO_POOL_MAX)
		return -EINVAL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->n = nthreads;
	p->init = init;
	p->th = calloc(nthreads, sizeof(*p->th));
	if (!p->th) {
		free(p);
		return -ENOMEM;
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->go, NULL);
	pthread_cond_init(&p->done, NULL);
	for (unsigned i = 1; i < nthreads; i++) {
		struct topo_pool_worker *w = malloc(sizeof(*w));

		if (!w) {
			ret = -ENOMEM;
			break;
		}
		*w = (struct topo_pool_worker){ .p = p, .part = i };
		ret = -pthread_create(&p->th[i - 1], NULL, topo_pool_main, w);
		if (ret) {
			free(w);
			break;
		}
		p->started++;
	}
	if (ret) {
		topo_pool_free(p);
		return ret;
	}
	*out = p;
	return 0;
}

void topo_pool_free(struct topo_pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->lock);
	for (unsigned i = 0; i < p->started; i++)
		pthread_join(p->th[i], NULL);
	pthread_cond_destroy(&p->go);
	pthread_cond_destroy(&p->done);
	pthread_mutex_destroy(&p->lock);
	free(p->th);
	free(p);
}

unsigned topo_pool_threads(const struct topo_pool *p)
{
	return p ? p->n : 1;
}

void topo_pool_run(struct topo_pool *p, topo_pool_fn *fn, void *arg)
{
	if (!p || p->n == 1) {
		fn(arg, 0, 1);
		return;
	}
	pthread_mutex_lock(&p->lock);
	p->fn = fn;
	p->arg = arg;
	p->pending = p->n - 1;
	p->gen++;
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->lock);
	fn(arg, 0, p->n);
	pthread_mutex_lock(&p->lock);
	while (p->pending)
		pthread_cond_wait(&p->done, &p->lock);
	pthread_mutex_unlock(&p->lock);
}
