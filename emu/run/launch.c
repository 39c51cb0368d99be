// SPDX-License-Identifier: MIT
/* launch.c - a shard's rank and count from mpirun, srun or --shard (see launch.h) */
#include "emu/run/launch.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mpi.h>

#include "topo/lib/diag.h"

const char *launch_how_name(enum launch_how how)
{
	switch (how) {
	case LAUNCH_NONE:
		return "none";
	case LAUNCH_MPIRUN:
		return "mpirun";
	case LAUNCH_SRUN:
		return "srun";
	case LAUNCH_HAND:
		return "hand";
	}
	return "?";
}

/* A launcher variable as a number in [lo, INT_MAX], or -1 with a message. */
static int launch_int(const char *(*env)(const char *), const char *name,
		      int lo, struct diag *d)
{
	const char *s = env(name);
	char *end;
	long v;

	if (!s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > INT_MAX) {
		diag_error(d, NULL, 0,
			   "environment: %s \"%s\" is not a number of at "
			   "least %d", name, s, lo);
		return -1;
	}
	return (int)v;
}

int launch_detect(const char *(*env)(const char *name), enum launch_how *how,
		  int *rank, int *size, struct diag *d)
{
	*how = LAUNCH_NONE;
	*rank = -1;
	*size = -1;
	/*
	 * Open MPI's mpirun sets OMPI_COMM_WORLD_{SIZE,RANK} in every process
	 * it starts (mpirun(1), "Exported Environment Variables").
	 */
	if (env("OMPI_COMM_WORLD_SIZE")) {
		*how = LAUNCH_MPIRUN;
		*size = launch_int(env, "OMPI_COMM_WORLD_SIZE", 1, d);
		*rank = launch_int(env, "OMPI_COMM_WORLD_RANK", 0, d);
	} else if (env("SLURM_STEP_ID") && env("SLURM_PROCID") &&
		   env("SLURM_NTASKS")) {
		/*
		 * srun sets SLURM_STEP_ID, SLURM_PROCID and SLURM_NTASKS
		 * (the step's count) in every task (srun(1), "Output
		 * environment variables"). A batch script has SLURM_PROCID
		 * 0 and the job's SLURM_NTASKS but no SLURM_STEP_ID (seen
		 * with Slurm 22.05's `sbatch -n 3`): a lasermesh it starts
		 * itself is one process. More than one task needs the PMIx
		 * wire-up (--mpi=pmix), which sets PMIX_RANK.
		 */
		*size = launch_int(env, "SLURM_NTASKS", 1, d);
		*rank = launch_int(env, "SLURM_PROCID", 0, d);
		if (*size == 1 && *rank == 0) {
			*size = *rank = -1;
			return 0;	/* one task: not a sharded run */
		}
		*how = LAUNCH_SRUN;
		if (*size > 1 && !env("PMIX_RANK")) {
			diag_error(d, NULL, 0,
				   "environment: SLURM_NTASKS \"%s\" but no "
				   "PMIX_RANK: start the shards with `srun "
				   "--mpi=pmix`, so that they can exchange "
				   "their endpoints", env("SLURM_NTASKS"));
			return -EINVAL;
		}
	} else {
		return 0;
	}
	if (*size < 0 || *rank < 0)
		return -EINVAL;
	if (*rank >= *size) {
		diag_error(d, NULL, 0,
			   "environment: rank %d is not below the count %d",
			   *rank, *size);
		return -EINVAL;
	}
	return 0;
}

static const char *launch_getenv(const char *name)
{
	return getenv(name);
}

/* MPI's own words for an error code, in a diag message. */
static void launch_mpi_error(struct diag *d, const char *what, int rc)
{
	char msg[MPI_MAX_ERROR_STRING];
	int n = 0;

	if (MPI_Error_string(rc, msg, &n) != MPI_SUCCESS)
		snprintf(msg, sizeof(msg), "error %d", rc);
	diag_error(d, NULL, 0, "%s failed: %s", what, msg);
}

int launch_init(struct launch *l, struct diag *d)
{
	int rank, size, rc, provided;
	enum launch_how how;

	memset(l, 0, sizeof(*l));
	l->size = 1;
	rc = launch_detect(launch_getenv, &how, &rank, &size, d);
	if (rc < 0)
		return rc;
	if (how == LAUNCH_NONE)
		return 0;
	/*
	 * Only the main thread calls MPI, and only at start and end: FUNNELED
	 * is all that is asked. Errors come back as codes, not aborts.
	 */
	rc = MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
	if (rc != MPI_SUCCESS) {
		launch_mpi_error(d, "MPI_Init_thread", rc);
		return -EINVAL;
	}
	l->mpi = true;
	MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
	MPI_Comm_rank(MPI_COMM_WORLD, &l->rank);
	MPI_Comm_size(MPI_COMM_WORLD, &l->size);
	l->how = how;
	if (l->rank != rank || l->size != size) {
		diag_error(d, NULL, 0,
			   "the launcher says rank %d of %d but MPI says %d "
			   "of %d", rank, size, l->rank, l->size);
		return -EINVAL;
	}
	return 0;
}

void launch_hand(struct launch *l, int rank, int size)
{
	memset(l, 0, sizeof(*l));
	l->rank = rank;
	l->size = size;
	l->how = LAUNCH_HAND;
}

int launch_allgather(struct launch *l, const void *mine, size_t len,
		     void *all, struct diag *d)
{
	int rc;

	if (!l->mpi)
		return -ENOTSUP;
	if (len > INT_MAX / (size_t)l->size) {
		diag_error(d, NULL, 0, "launch: %zu bytes per rank is too "
				       "much to exchange", len);
		return -EINVAL;
	}
	rc = MPI_Allgather(mine, (int)len, MPI_BYTE, all, (int)len, MPI_BYTE,
			   MPI_COMM_WORLD);
	if (rc != MPI_SUCCESS) {
		launch_mpi_error(d, "MPI_Allgather", rc);
		return -EIO;
	}
	return 0;
}

void launch_set_up(struct launch *l)
{
	if (l->how == LAUNCH_SRUN)
		launch_finish(l, true);
}

void launch_abort(struct launch *l, int code)
{
	if (l->mpi)
		MPI_Abort(MPI_COMM_WORLD, code);
}

void launch_finish(struct launch *l, bool clean)
{
	if (l->mpi && clean)
		MPI_Finalize();
	l->mpi = false;
}
