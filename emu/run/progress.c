// SPDX-License-Identifier: MIT
/* progress.c - progress of long work on a terminal's stderr, silent elsewhere */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "emu/run/log.h"
#include "emu/run/progress.h"

static int64_t progress_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * LASERMESH_PROGRESS=1 forces the line on a non-terminal, for tests that
 * cannot give the command a terminal; =0 turns it off on one.
 */
static bool progress_wanted(void)
{
	const char *env = getenv("LASERMESH_PROGRESS");

	if (env && *env)
		return *env == '1';
	return isatty(STDERR_FILENO);
}

void progress_begin(struct progress *p, const char *what, uint64_t total)
{
	p->what = what;
	p->total = total;
	p->start_ms = progress_now_ms();
	p->last_ms = 0;
	p->tty = progress_wanted();
	p->shown = false;
}

void progress_update(struct progress *p, uint64_t done)
{
	int64_t now;

	if (!p->tty)
		return;
	now = progress_now_ms();
	if (now - p->start_ms < PROGRESS_AFTER_MS ||
	    now - p->last_ms < PROGRESS_EVERY_MS)
		return;
	p->last_ms = now;
	if (p->total)
		fprintf(stderr, "\r%s: %s %llu/%llu (%llu%%), %lld s\033[K",
			log_prefix(), p->what, (unsigned long long)done,
			(unsigned long long)p->total,
			(unsigned long long)(done * 100 / p->total),
			(long long)((now - p->start_ms) / 1000));
	else
		fprintf(stderr, "\r%s: %s %llu, %lld s\033[K", log_prefix(),
			p->what, (unsigned long long)done,
			(long long)((now - p->start_ms) / 1000));
	p->shown = true;
}

void progress_end(struct progress *p)
{
	if (p->shown)
		fprintf(stderr, "\r\033[K");
	p->shown = false;
}

void progress_cb(void *arg, uint64_t done, uint64_t total)
{
	struct progress *p = arg;

	p->total = total;
	progress_update(p, done);
}
