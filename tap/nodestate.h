/* SPDX-License-Identifier: MIT */
/* nodestate.h - what a tapped node's own software can read of its node: up or down, sunlit or in shadow */
#ifndef TAP_NODESTATE_H
#define TAP_NODESTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tap/mark.h"

/*
 * NODESTATE_DIR/NAME, one file per tapped node of a running run, readable
 * by everyone (0644 in a 0755 directory), rewritten atomically (readers
 * see the old file or the new one) whenever a field changes and removed
 * with the node. `lasermesh exec` and `wrap --node` give its path to the
 * commands they start as LASERMESH_STATE. Lines of "key value":
 *
 *	node s1-0-0
 *	state up			up | down
 *	power sunlit			sunlit | eclipse
 *	orbital 2026-02-23T00:02:00.000000Z	the step that changed it
 *	step 120
 *
 * docs/usage.md, "What a node knows of itself", is the reference.
 */
#define NODESTATE_DIR MARK_DIR "/state"

struct nodestate {
	bool up;
	bool eclipse;
	int64_t orbital_ns;
	int64_t step;
};

/* The path of NAME's file into buf. */
void nodestate_path(const char *name, char *buf, size_t len);
/* Write NAME's file (the directory is made if missing). 0 or -errno. */
int nodestate_write(const char *name, const struct nodestate *s);
/* Remove NAME's file. 0, -ENOENT or -errno. */
int nodestate_remove(const char *name);

#endif
