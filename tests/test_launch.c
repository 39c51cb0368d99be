// SPDX-License-Identifier: MIT
/* test_launch.c - which launcher started a shard, from a fake environment */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "emu/run/launch.h"
#include "topo/lib/diag.h"

static const char *const *fake;	/* NAME, VALUE, ..., NULL */

static const char *fake_env(const char *name)
{
	for (size_t i = 0; fake[i]; i += 2)
		if (!strcmp(fake[i], name))
			return fake[i + 1];
	return NULL;
}

/* Detect with env (NAME, VALUE pairs, NULL-ended); the diag's first line. */
static int detect(const char *const *env, enum launch_how *how, int *rank,
		  int *size, char *msg, size_t n)
{
	struct diag d;
	int rc;

	fake = env;
	diag_init(&d);
	rc = launch_detect(fake_env, how, rank, size, &d);
	snprintf(msg, n, "%s", d.n ? d.msg[0] : "");
	diag_free(&d);
	return rc;
}

Test(launch, nothing_is_one_process)
{
	static const char *const env[] = { "HOME", "/root", NULL };
	enum launch_how how;
	int rank, size;
	char msg[256];

	cr_assert_eq(detect(env, &how, &rank, &size, msg, sizeof(msg)), 0);
	cr_expect_eq(how, LAUNCH_NONE);
	cr_expect_str_eq(launch_how_name(how), "none");
}

Test(launch, mpirun)
{
	static const char *const env[] = { "OMPI_COMM_WORLD_SIZE", "3",
					   "OMPI_COMM_WORLD_RANK", "2", NULL };
	enum launch_how how;
	int rank, size;
	char msg[256];

	cr_assert_eq(detect(env, &how, &rank, &size, msg, sizeof(msg)), 0);
	cr_expect_eq(how, LAUNCH_MPIRUN);
	cr_expect_eq(rank, 2);
	cr_expect_eq(size, 3);
}

/* A batch script's own step (one task) is not a sharded run. */
Test(launch, slurm_batch_step_is_not_sharded)
{
	static const char *const env[] = { "SLURM_PROCID", "0",
					   "SLURM_NTASKS", "1", NULL };
	enum launch_how how;
	int rank, size;
	char msg[256];

	cr_assert_eq(detect(env, &how, &rank, &size, msg, sizeof(msg)), 0);
	cr_expect_eq(how, LAUNCH_NONE);
}

/*
 * `sbatch -n 3`'s script itself: SLURM_PROCID 0 and the job's SLURM_NTASKS
 * 3, but no step (srun sets SLURM_STEP_ID): a lasermesh the script starts
 * is one process, not shard 0 of 3 asking for --mpi=pmix (Slurm 22.05).
 */
Test(launch, slurm_batch_script_of_many_tasks_is_one_process)
{
	static const char *const env[] = { "SLURM_JOB_ID", "11",
					   "SLURM_PROCID", "0",
					   "SLURM_NTASKS", "3",
					   "SLURM_NPROCS", "3", NULL };
	enum launch_how how;
	int rank, size;
	char msg[256];

	cr_assert_eq(detect(env, &how, &rank, &size, msg, sizeof(msg)), 0,
		     "%s", msg);
	cr_expect_eq(how, LAUNCH_NONE);
	cr_expect_str_eq(msg, "");
}

/* One task of `srun -n 1`: not a sharded run either. */
Test(launch, srun_one_task_is_one_process)
{
	static const char *const env[] = { "SLURM_STEP_ID", "0",
					   "SLURM_PROCID", "0",
					   "SLURM_NTASKS", "1", NULL };
	enum launch_how how;
	int rank, size;
	char msg[256];

	cr_assert_eq(detect(env, &how, &rank, &size, msg, sizeof(msg)), 0);
	cr_expect_eq(how, LAUNCH_NONE);
}

Test(launch, srun_needs_pmix)
{
	static const char *const env[] = { "SLURM_STEP_ID", "0",
					   "SLURM_PROCID", "1",
					   "SLURM_NTASKS", "4", NULL };
	static const char *const pmix[] = { "SLURM_STEP_ID", "0",
					    "SLURM_PROCID", "1",
					    "SLURM_NTASKS", "4", "PMIX_RANK",
					    "1", NULL };
	enum launch_how how;
	int rank, size;
	char msg[256];

	cr_assert_lt(detect(env, &how, &rank, &size, msg, sizeof(msg)), 0);
	cr_expect(strstr(msg, "--mpi=pmix"), "%s", msg);
	cr_expect(strstr(msg, "SLURM_NTASKS \"4\""), "%s", msg);
	cr_assert_eq(detect(pmix, &how, &rank, &size, msg, sizeof(msg)), 0);
	cr_expect_eq(how, LAUNCH_SRUN);
	cr_expect_eq(rank, 1);
	cr_expect_eq(size, 4);
}

/* Malformed variables are refused, quoting the value. */
Test(launch, malformed)
{
	static const char *const bad[][5] = {
		{ "OMPI_COMM_WORLD_SIZE", "three", "OMPI_COMM_WORLD_RANK", "0",
		  NULL },
		{ "OMPI_COMM_WORLD_SIZE", "0", "OMPI_COMM_WORLD_RANK", "0",
		  NULL },
		{ "OMPI_COMM_WORLD_SIZE", "2", "OMPI_COMM_WORLD_RANK", "2",
		  NULL },
		{ "OMPI_COMM_WORLD_SIZE", "2", "OMPI_COMM_WORLD_RANK", "-1",
		  NULL },
		{ "OMPI_COMM_WORLD_SIZE", "2", NULL },
	};
	static const char *const want[] = { "\"three\"", "\"0\"",
					    "rank 2 is not below the count 2",
					    "\"-1\"", "" };
	enum launch_how how;
	int rank, size;
	char msg[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_lt(detect(bad[i], &how, &rank, &size, msg,
				    sizeof(msg)), 0, "case %zu", i);
		cr_expect(strstr(msg, want[i]), "case %zu: %s", i, msg);
	}
}

Test(launch, by_hand)
{
	struct launch l;
	char buf[4];

	launch_hand(&l, 1, 3);
	cr_expect_eq(l.rank, 1);
	cr_expect_eq(l.size, 3);
	cr_expect_str_eq(launch_how_name(l.how), "hand");
	cr_expect_eq(launch_allgather(&l, "a", 1, buf, NULL), -ENOTSUP);
	launch_finish(&l, true);
}
