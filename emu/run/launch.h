/* SPDX-License-Identifier: MIT */
/* launch.h - a shard's rank and count, from mpirun, srun or the command line */
#ifndef EMU_LAUNCH_H
#define EMU_LAUNCH_H

#include <stdbool.h>
#include <stddef.h>

struct diag;

/*
 * A sharded run is N lasermesh processes, one per host. They learn their
 * rank and the count from the launcher that started them, and exchange
 * their data-plane endpoints through it, once, at start.
 *
 * Under Open MPI's mpirun (OMPI_COMM_WORLD_SIZE in the environment) or
 * Slurm's srun with PMIx (SLURM_STEP_ID, SLURM_PROCID and SLURM_NTASKS,
 * with PMIX_RANK) this goes through the MPI library: MPI_Init, then one
 * MPI_Allgather. The environment alone would give the rank and count, but
 * not the exchange: that needs the launcher's own wire-up, which MPI
 * reaches the same way under both (PMIx underneath); the launcher's
 * variables are kept as a cross-check of what MPI says. MPI is used for
 * nothing else: frames between shards go over the shards' own UDP
 * sockets. Without a launcher, `--shard I/N` gives rank and count by hand
 * and `--peers` the endpoints.
 */
enum launch_how {
	LAUNCH_NONE,	/* one process, no shards */
	LAUNCH_MPIRUN,	/* started by Open MPI's mpirun */
	LAUNCH_SRUN,	/* started by Slurm's srun (with --mpi=pmix) */
	LAUNCH_HAND,	/* --shard I/N on the command line */
};

struct launch {
	int rank, size;
	enum launch_how how;
	bool mpi;		/* MPI_Init was called, MPI_Finalize is due */
};

/*
 * Find the launcher from the environment. Under mpirun or srun, calls
 * MPI_Init and reads rank and size from MPI_COMM_WORLD; otherwise rank 0
 * of 1, LAUNCH_NONE. Returns 0, or -EINVAL with a message in d (srun
 * without PMIx, a malformed variable, MPI refusing to start).
 */
int launch_init(struct launch *l, struct diag *d);

/* Rank and count given by hand (--shard I/N), no launcher. */
void launch_hand(struct launch *l, int rank, int size);

/*
 * Collective: every rank gives len bytes (mine) and gets every rank's, in
 * rank order, in all (size * len bytes). Only with a launcher: -ENOTSUP
 * under LAUNCH_HAND or LAUNCH_NONE; -EIO with a message if MPI failed.
 */
int launch_allgather(struct launch *l, const void *mine, size_t len,
		     void *all, struct diag *d);

/*
 * End every rank now (MPI_Abort: the launcher kills the others, which
 * then run their own teardown on SIGTERM). Without MPI, does nothing.
 */
void launch_abort(struct launch *l, int code);

/*
 * This rank is set up (its nodes tapped, its shard socket open); from now
 * on the shards end each other by bye or silence, not through MPI. Under
 * srun it leaves MPI here (MPI_Finalize, which waits for every rank, so
 * every shard is set up when it returns): Slurm's PMIx plugin (22.05)
 * SIGKILLs every task of a step as soon as one task still connected to it
 * dies, so a shard killed later would take the others down before they
 * could tear down, leaving their namespaces (seen: tests/e2e_srun.sh).
 * Under mpirun it stays, as before: mpirun's daemons end the other ranks
 * with SIGTERM (their teardown) and wait before any SIGKILL, so nothing
 * needs it; leaving early there was tried and changed nothing that
 * tests/e2e_shards.sh measures (mpirun ended 40 s after the kill either
 * way), while staying keeps mpirun's report of ranks that ended early.
 */
void launch_set_up(struct launch *l);

/*
 * Leave MPI (if launch_set_up has not). clean: every rank calls this at
 * the same point, so MPI_Finalize (which waits for the others) is called;
 * otherwise it is skipped, so a rank never waits for a peer that died,
 * and the launcher ends the rest.
 */
void launch_finish(struct launch *l, bool clean);

/* "none", "mpirun", "srun", "hand". */
const char *launch_how_name(enum launch_how how);

/*
 * What the environment says, without starting MPI: the launcher, and rank
 * and size as the launcher's variables give them (-1 when absent). For
 * launch_init and its tests; env is getenv or a test's lookup.
 */
int launch_detect(const char *(*env)(const char *name), enum launch_how *how,
		  int *rank, int *size, struct diag *d);

#endif
