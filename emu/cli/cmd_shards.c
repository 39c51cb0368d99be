// SPDX-License-Identifier: MIT
/* cmd_shards.c - a shard's launcher and its part of the mesh, for run and wrap (see cmd_shards.h) */
#include <errno.h>

#include "emu/cli/cmd_shards.h"
#include "emu/run/log.h"
#include "topo/lib/diag.h"

int cmd_shards_launch(struct run_opts *o, struct launch *l)
{
	struct diag d;
	int ret;

	diag_init(&d);
	ret = launch_init(l, &d);
	diag_print(&d, stderr);
	diag_free(&d);
	if (ret < 0)
		return ret;
	if (l->mpi && (o->shard_which || o->shard_peers)) {
		log_err(0,
			"started by %s: the launcher gives the shards, "
			"leave out --shard and --peers",
			launch_how_name(l->how));
		return -EINVAL;
	}
	if (o->shard_which || o->shard_peers) {
		ret = shard_conf_parse(&o->shards,
				       o->shard_which ? o->shard_which : "",
				       o->shard_peers);
		if (ret < 0)
			return ret;
		launch_hand(l, (int)o->shards.self, (int)o->shards.n);
	}
	return 0;
}

int cmd_shards_setup(struct run_opts *o, struct launch *l,
		     const struct config *cfg, struct scenario *s)
{
	int ret;

	if (l->mpi) {
		ret = shard_conf_launch(&o->shards, l, o->shard_bind);
		if (ret < 0)
			return ret;
		if (o->shards.n < 2) {
			shard_conf_free(&o->shards); /* one: the whole mesh */
			return 0;
		}
	} else {
		ret = shard_conf_bind(&o->shards);
		if (ret < 0)
			return ret;
	}
	for (size_t i = 0; i < s->npins; i++) {
		if (s->pins[i].shard < o->shards.n)
			continue;
		log_err(0,
			"%s: [shards] place puts node \"%s\" on shard %u, "
			"but there are %u shards",
			cfg->path, s->constel.node[s->pins[i].node].name,
			s->pins[i].shard, o->shards.n);
		return -EINVAL;
	}
	o->shards.rule = (enum shard_rule)cfg->shard_rule;
	o->shards.pins = s->pins;
	o->shards.npins = s->npins;
	/* every shard routes to every tapped node; taps its own */
	s->ntapped =
	    shard_filter_tapped(&o->shards, &s->constel, s->tapped, s->ntapped);
	return 0;
}

