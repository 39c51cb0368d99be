/* SPDX-License-Identifier: MIT */
/* cmd_shards.h - a shard's launcher and its part of the mesh, for run and wrap */
#ifndef EMU_CMD_SHARDS_H
#define EMU_CMD_SHARDS_H

#include "emu/cli/run_opts.h"
#include "emu/conf/config.h"
#include "emu/conf/scenario.h"
#include "emu/run/launch.h"
#include "emu/run/run.h"

/*
 * Shards: under mpirun or srun the launcher gives rank and count (and
 * --shard must not be given); else --shard I/N --peers. 0 or -errno, said.
 */
int cmd_shards_launch(struct run_opts *o, struct launch *l);
/*
 * The shard's part of the configuration: the endpoints (exchanged under a
 * launcher), the partition and the placed nodes; it taps only its own
 * (s->tapped shrinks to them). 0 or -errno, said.
 */
int cmd_shards_setup(struct run_opts *o, struct launch *l,
		     const struct config *cfg, struct scenario *s);

#endif
