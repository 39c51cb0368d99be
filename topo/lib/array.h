/* SPDX-License-Identifier: MIT */
/* array.h - the one checked grow-by-doubling helper for malloc'd arrays */
#ifndef TOPO_LIB_ARRAY_H
#define TOPO_LIB_ARRAY_H

#include <stddef.h>

/*
 * Make *arr hold at least need elements of size bytes, doubling *cap (from
 * min_cap when it is 0) so that n pushes cost O(n). The product cap * size
 * is checked: a count that would overflow size_t gives -EOVERFLOW and
 * leaves *arr and *cap as they were, as -ENOMEM does. 0 on success.
 *
 *	if (array_grow((void **)&v->items, &v->cap, v->n + 1,
 *		       sizeof(*v->items), 16) < 0)
 *		return -ENOMEM;
 */
int array_grow(void **arr, size_t *cap, size_t need, size_t size,
	       size_t min_cap);

#endif
