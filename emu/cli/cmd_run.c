// SPDX-License-Identifier: MIT
/* cmd_run.c - `lasermesh run`: start the emulated mesh and forward until stopped */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emu/cli/cmd.h"
#include "emu/cli/cmd_common.h"
#include "emu/cli/cmd_shards.h"
#include "emu/run/launch.h"
#include "emu/run/log.h"
#include "emu/run/run.h"
#include "emu/cli/run_opts.h"

static void run_usage(FILE *f)
{
	fprintf(f,
		"usage: lasermesh run [FILE] [options]\n"
		"Start the mesh of FILE (or the embedded default): a network\n"
		"namespace named after each tapped node with a TAP interface,\n"
		"and forward their packets hop by hop through the moving laser\n"
		"mesh until the duration ends or SIGINT/SIGTERM arrives.\n"
		"%s", run_opts_help);
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o;
	struct config *cfg = NULL;
	struct scenario s;
	struct run r;
	struct launch l;
	bool verbose = false, up = false, stopped = false;
	int opt, ret;

	run_opts_default(&o);
	o.status = isatty(STDERR_FILENO);
	while ((opt = getopt_long(argc, argv, RUN_OPTS_SHORT "h", run_opts_long,
				  NULL)) != -1) {
		if (opt == 'h') {
			run_usage(stdout);
			return 0;
		}
		ret = run_opts_parse(&o, opt, optarg, &verbose);
		if (ret) {
			if (ret < 0)
				run_usage(stderr);
			return 1;
		}
	}
	if (argc - optind > 1) {
		log_err(0, "unexpected \"%s\"", argv[optind + 1]);
		return 1;
	}
	if (geteuid() != 0) {
		log_err(0, "needs root (namespaces and TAP devices); try sudo");
		return 1;
	}
	ret = cmd_shards_launch(&o, &l);
	if (ret < 0)
		goto out_launch;
	if (cmd_load(optind < argc ? argv[optind] : NULL, o.events_path,
		     verbose, &cfg, &s) < 0) {
		ret = -EINVAL;
		goto out_launch;
	}
	scenario_use_threads(&s, geom_low_prio);
	ret = scenario_prepare(&s, NULL, 0);
	if (ret < 0) {
		log_err(ret, "cannot prepare the model");
		goto out;
	}
	if (o.shards.n || l.mpi) {
		ret = cmd_shards_setup(&o, &l, cfg, &s);
		if (ret < 0)
			goto out;
	}
	ret = run_setup(&r, cfg, &s, &o);
	if (ret < 0)
		goto out;
	up = true;
	launch_set_up(&l); /* under srun, leaves MPI: launch.h says why */
	ret = run_loop(&r);
	run_teardown(&r);
	stopped = r.stop_signal || r.shard_cut_short;
	if (ret < 0) {
		log_err(0, "the run failed; everything removed");
	} else if (r.output_errors) {
		/* the emulation went on, but data the user asked for is lost */
		log_err(0,
			"%u output file(s) could not be written whole; "
			"everything removed",
			r.output_errors);
		ret = -EIO;
	} else if (r.stop_signal && !o.quiet) {
		/* a clean stop on a signal is a success for `run` */
		log_info("stopped by %s, everything removed",
			 strsignal(r.stop_signal));
	}
out:
	scenario_free(&s);
	config_free(cfg);
out_launch:
	shard_conf_free(&o.shards);
	/*
	 * A shard that fails before its run is up ends the others through
	 * the launcher (they may wait in the exchange); once up, its bye or
	 * its silence ends them (shard.c). Signals are let through again, so
	 * that the launcher's SIGTERM to a rank that is done ends it at once.
	 */
	run_signals_release();
	if (ret < 0 && !up)
		launch_abort(&l, 1);
	/*
	 * MPI_Finalize waits for every rank: only when all end together, at
	 * the duration. A signal (the launcher's, after a rank died) or a
	 * shard that ended early leaves without it; mpirun ends the rest.
	 */
	launch_finish(&l, ret >= 0 && !stopped);
	return ret < 0 ? 1 : 0;
}
