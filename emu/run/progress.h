/* SPDX-License-Identifier: MIT */
/* progress.h - progress of long work on a terminal's stderr, silent elsewhere */
#ifndef EMU_PROGRESS_H
#define EMU_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Work that may take more than a second or two (replaying thousands of
 * steps, `path` over thousands of moments, setting up hundreds of nodes)
 * shows one line on stderr, rewritten in place:
 *
 *	lasermesh path: replaying steps 1200/36001 (3%), 4 s
 *
 * only when stderr is a terminal, and only once the work has lasted
 * PROGRESS_AFTER_MS: short work and pipes, logs and CI see nothing. The
 * line is redrawn at most every PROGRESS_EVERY_MS and cleared at the end.
 */
#define PROGRESS_AFTER_MS 1000
#define PROGRESS_EVERY_MS 200

struct progress {
	const char *what;		/* "replaying steps" */
	uint64_t total;			/* 0: unknown */
	int64_t start_ms, last_ms;
	bool tty;			/* stderr is a terminal */
	bool shown;			/* a line is on the screen */
};

/* Start the progress of what (total units, 0 if unknown). */
void progress_begin(struct progress *p, const char *what, uint64_t total);
/* done units so far: draw if it is time. */
void progress_update(struct progress *p, uint64_t done);
/* Clear the line if one was drawn. */
void progress_end(struct progress *p);

/* A topo_replay progress callback (arg: struct progress *). */
void progress_cb(void *arg, uint64_t done, uint64_t total);

#endif
