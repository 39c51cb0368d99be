// SPDX-License-Identifier: MIT
/* array.c - the one checked grow-by-doubling helper for malloc'd arrays */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "topo/lib/array.h"

int array_grow(void **arr, size_t *cap, size_t need, size_t size,
	       size_t min_cap)
{
	size_t ncap = *cap ? *cap : (min_cap ? min_cap : 1);
	void *p;

	if (need <= *cap)
		return 0;
	if (size == 0)
		return -EINVAL;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return -EOVERFLOW;
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / size)
		return -EOVERFLOW;
	p = realloc(*arr, ncap * size);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}
