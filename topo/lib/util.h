/* SPDX-License-Identifier: MIT */
/* util.h - the few macros every room uses: container_of, ARRAY_SIZE */
#ifndef TOPO_LIB_UTIL_H
#define TOPO_LIB_UTIL_H

#include <stddef.h>

/* The struct that holds member ptr (libev watchers live in their owner). */
#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
