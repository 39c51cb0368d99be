// SPDX-License-Identifier: MIT
/* freeze.c - TEMPORARY until tap/freezer lands */
#include <errno.h>
#include "emu/run/run.h"

int run_freeze(struct run *r, size_t i, bool frozen)
{
	(void)r; (void)i; (void)frozen;
	return -ENOTSUP;
}
