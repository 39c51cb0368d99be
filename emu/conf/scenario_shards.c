// SPDX-License-Identifier: MIT
/* scenario_shards.c - [shards] place: the nodes a configuration puts on a shard by hand */
#include <errno.h>
#include <stdlib.h>

#include "emu/conf/scenario.h"

int scenario_places(struct scenario *s, struct diag *d)
{
	const struct config *c = s->cfg;

	if (!c->nplaces)
		return 0;
	s->pins = calloc(c->nplaces, sizeof(*s->pins));
	if (!s->pins)
		return -ENOMEM;
	for (size_t i = 0; i < c->nplaces; i++) {
		const struct config_place *pl = &c->places[i];
		long v = constel_find(&s->constel, pl->name);

		if (v < 0) {
			diag_error(d, pl->file, pl->line,
				   "place \"%s\" is no node of the mesh",
				   pl->name);
			continue;
		}
		s->pins[s->npins++] = (struct shard_pin){
			.node = (uint32_t)v, .shard = (uint16_t)pl->shard,
		};
	}
	return 0;
}
