// SPDX-License-Identifier: MIT
/* scenario_ttl.c - the longest path between tapped nodes, in routers, against the hosts' TTL */
#include "emu/conf/scenario.h"

/* Pairs looked at: the first this many tapped nodes, both ways. */
#define SCENARIO_TTL_NODES 100

size_t scenario_longest_path(const struct scenario *s,
			     const struct topo_state *st, uint32_t *a,
			     uint32_t *b)
{
	size_t n = s->ntapped < SCENARIO_TTL_NODES ? s->ntapped
						   : SCENARIO_TTL_NODES;
	size_t best = 0;

	*a = *b = 0;
	for (size_t j = 0; j < n; j++) {
		long di = route_dest_index(&st->routes, s->tapped[j]);

		for (size_t i = 0; di >= 0 && i < n; i++) {
			size_t k;

			if (i == j)
				continue;
			k = route_path(&st->routes, (size_t)di, s->tapped[i],
				       NULL, 0);
			/* k nodes: the two ends and k - 2 routers */
			if (k >= 2 && k - 2 > best) {
				best = k - 2;
				*a = s->tapped[i];
				*b = s->tapped[j];
			}
		}
	}
	return best;
}
