// SPDX-License-Identifier: MIT
/* cmd_wrap.c - `lasermesh wrap`: start the mesh, run a command, tear down, return its status */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "emu/net/addr.h"
#include "emu/cli/cmd.h"
#include "emu/cli/cmd_common.h"
#include "emu/cli/cmd_shards.h"
#include "emu/run/log.h"
#include "emu/run/run.h"
#include "emu/cli/run_opts.h"
#include "topo/lib/util.h"

struct wrap {
	char **cmd;
	const char *node;	/* --node NAME, or NULL: host namespace */
	/* every tapped node of the mesh, on whichever shard (the env) */
	uint32_t *all;
	size_t nall;
	bool serve;		/* sharded: the command runs on another shard */
	struct freezer fz;	/* node's freezer cgroup, when has_cgroup */
	bool has_cgroup;
	pid_t child;
	int pidfd;
	ev_io pid_w;
	int status;		/* the command's wait status */
	bool exited;
};

enum { OPT_NODE = 300 };

static void wrap_usage(FILE *f)
{
	fprintf(f,
		"usage: lasermesh wrap [FILE] [options] [--node NAME] -- CMD...\n"
		"Start the mesh of FILE (or the embedded default), wait until it\n"
		"is ready, run CMD, then stop and remove everything, and exit\n"
		"with CMD's status (128 + N if a signal N ended it). CMD runs in\n"
		"the host namespace with LASERMESH_NODES (the tapped nodes,\n"
		"space-separated) and LASERMESH_IPV4_<NODE> / LASERMESH_IPV6_<NODE>\n"
		"(NODE in capitals, '-' as '_') in its environment, or inside the\n"
		"namespace of node NAME with --node. SIGINT, SIGTERM and SIGHUP\n"
		"are passed on to CMD.\n"
		"Under mpirun or srun (or with --shard I/N --peers), every\n"
		"shard starts its part of the mesh and CMD runs on one: the\n"
		"shard that taps --node NAME, else shard 0; when it ends, every\n"
		"shard ends, and that shard exits with CMD's status.\n"
		"  --node NAME          run CMD inside node NAME (and in its\n"
		"                       freezer cgroup: `down node NAME freeze`)\n"
		"%s", run_opts_help);
}

/* Export the tapped nodes (of every shard) and their addresses. */
static int wrap_env(const struct scenario *s, const uint32_t *all, size_t n)
{
	size_t cap = 1;
	char *nodes;

	for (size_t i = 0; i < n; i++)
		cap += strlen(s->constel.node[all[i]].name) + 1;
	nodes = calloc(1, cap);
	if (!nodes)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		uint32_t v = all[i];
		const char *name = s->constel.node[v].name;
		char up[CONSTEL_NAME_MAX], key[CONSTEL_NAME_MAX + 32];
		char val[INET6_ADDRSTRLEN];
		struct in_addr a4 = addr_v4(v);
		struct in6_addr a6 = addr_v6(v);
		size_t k = 0;

		if (i)
			strcat(nodes, " ");
		strcat(nodes, name);
		for (const char *p = name; *p && k + 1 < sizeof(up); p++)
			up[k++] = isalnum((unsigned char)*p) ?
					  (char)toupper((unsigned char)*p) : '_';
		up[k] = '\0';
		snprintf(key, sizeof(key), "LASERMESH_IPV4_%s", up);
		inet_ntop(AF_INET, &a4, val, sizeof(val));
		setenv(key, val, 1);
		snprintf(key, sizeof(key), "LASERMESH_IPV6_%s", up);
		inet_ntop(AF_INET6, &a6, val, sizeof(val));
		setenv(key, val, 1);
	}
	setenv("LASERMESH_NODES", nodes, 1);
	free(nodes);
	return 0;
}

static void wrap_child_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct wrap *wr = container_of(w, struct wrap, pid_w);
	struct run *r = w->data;

	(void)revents;
	if (waitpid(wr->child, &wr->status, WNOHANG) == wr->child) {
		wr->exited = true;
		ev_io_stop(loop, w);
		run_stop(r, 0);
	}
}

static int wrap_ready(struct run *r, void *arg)
{
	struct wrap *wr = arg;
	char **argv = wr->cmd;
	char **nargv = NULL;
	int ret;

	if (wr->serve)
		return 0;	/* another shard runs the command */
	ret = wrap_env(r->s, wr->all, wr->nall);
	if (ret < 0)
		return ret;
	if (wr->node) {
		nargv = cmd_netns_argv(wr->node, wr->cmd);
		if (!nargv)
			return -ENOMEM;
		argv = nargv;
		wr->has_cgroup = cmd_node_cgroup(wr->node, &wr->fz);
	}
	fflush(stdout);
	fflush(stderr);
	wr->child = fork();
	if (wr->child < 0) {
		ret = -errno;
		free(nargv);
		return ret;
	}
	if (wr->child == 0) {
		/* born in the node's cgroup: no moment outside it */
		if (wr->has_cgroup)
			cmd_node_cgroup_join(wr->node, &wr->fz);
		if (wr->node)
			cmd_state_env(wr->node);
		execvp(argv[0], argv);
		ret = errno;
		log_err(-ret, "cannot run \"%s\"", argv[0]);
		_exit(cmd_exec_status(ret));
	}
	free(nargv);
	wr->pidfd = (int)syscall(SYS_pidfd_open, wr->child, 0);
	if (wr->pidfd < 0) {
		ret = -errno;
		kill(wr->child, SIGKILL);
		waitpid(wr->child, &wr->status, 0);
		wr->exited = true;
		return ret;
	}
	ev_io_init(&wr->pid_w, wrap_child_cb, wr->pidfd, EV_READ);
	wr->pid_w.data = r;
	ev_io_start(r->loop, &wr->pid_w);
	return 0;
}

/* A signal for the wrapper goes to the command; its exit ends the run. */
static void wrap_signal(struct run *r, int sig, void *arg)
{
	struct wrap *wr = arg;

	if (wr->child > 0 && !wr->exited)
		kill(wr->child, sig);
	else
		run_stop(r, sig);
}

/* Sharded: whether the command runs on this shard (see wrap_usage). */
static bool wrap_here(const struct wrap *wr, const struct scenario *s,
		      const struct run_opts *o)
{
	long v;

	if (!wr->node)
		return o->shards.self == 0;
	v = constel_find(&s->constel, wr->node);
	for (size_t i = 0; v >= 0 && i < s->ntapped; i++)
		if (s->tapped[i] == (uint32_t)v)
			return true;
	return false;
}

int cmd_wrap(int argc, char **argv)
{
	struct wrap wr = { .child = -1, .pidfd = -1 };
	struct option opts[32];
	struct run_opts o;
	struct config *cfg = NULL;
	struct scenario s;
	struct run r;
	struct launch l;
	bool verbose = false, up = false, stopped = false;
	const char *file = NULL;
	int opt, ret, n = 0, dd, status = 1;

	/* run's options, --node and the terminator must fit */
	while (run_opts_long[n].name && n + 2 < (int)(sizeof(opts) / sizeof(opts[0]))) {
		opts[n] = run_opts_long[n];
		n++;
	}
	if (run_opts_long[n].name) {
		log_err(0, "too many options");
		return 1;
	}
	opts[n++] = (struct option){ "node", required_argument, NULL, OPT_NODE };
	opts[n] = (struct option){ NULL, 0, NULL, 0 };
	run_opts_default(&o);
	o.quiet = true;
	/* the command is everything after the first "--" */
	for (dd = 1; dd < argc && strcmp(argv[dd], "--"); dd++)
		;
	if (dd >= argc - 1) {
		log_err(0, "no command given after --");
		wrap_usage(stderr);
		return 1;
	}
	while ((opt = getopt_long(dd, argv, RUN_OPTS_SHORT "h", opts,
				  NULL)) != -1) {
		if (opt == 'h') {
			wrap_usage(stdout);
			return 0;
		}
		if (opt == OPT_NODE) {
			wr.node = optarg;
			continue;
		}
		ret = run_opts_parse(&o, opt, optarg, &verbose);
		if (ret) {
			if (ret < 0)
				wrap_usage(stderr);
			return 1;
		}
	}
	if (optind < dd)
		file = argv[optind++];
	if (optind < dd) {
		log_err(0, "unexpected \"%s\"", argv[optind]);
		return 1;
	}
	optind = dd + 1;
	wr.cmd = argv + optind;
	status = cmd_runnable(wr.cmd[0]);
	if (status)
		return status;
	status = 1;
	if (geteuid() != 0) {
		log_err(0, "needs root (namespaces and TAP devices)");
		return 1;
	}
	ret = cmd_shards_launch(&o, &l);
	if (ret < 0)
		goto out_launch;
	if (cmd_load(file, o.events_path, verbose, &cfg, &s) < 0) {
		ret = -EINVAL;
		goto out_launch;
	}
	if (wr.node) {
		long v = constel_find(&s.constel, wr.node);
		bool tapped = false;

		for (size_t i = 0; v >= 0 && i < s.ntapped; i++)
			tapped |= s.tapped[i] == (uint32_t)v;
		if (!tapped) {
			log_err(0, "--node \"%s\" is not a tapped node of the "
				"configuration", wr.node);
			goto out;
		}
	}
	scenario_use_threads(&s, geom_low_prio);
	ret = scenario_prepare(&s, NULL, 0);
	if (ret < 0) {
		log_err(ret, "cannot prepare the model");
		goto out;
	}
	/* the command sees every tapped node, though this shard taps some */
	wr.nall = s.ntapped;
	wr.all = malloc((s.ntapped ? s.ntapped : 1) * sizeof(*wr.all));
	if (!wr.all) {
		ret = -ENOMEM;
		log_err(ret, "cannot start");
		goto out;
	}
	memcpy(wr.all, s.tapped, s.ntapped * sizeof(*wr.all));
	if (o.shards.n || l.mpi) {
		ret = cmd_shards_setup(&o, &l, cfg, &s);
		if (ret < 0)
			goto out;
		wr.serve = o.shards.n >= 2 && !wrap_here(&wr, &s, &o);
	}
	o.ready = wrap_ready;
	o.on_signal = wrap_signal;
	o.arg = &wr;
	ret = run_setup(&r, cfg, &s, &o);
	if (ret < 0)
		goto out;
	up = true;
	launch_set_up(&l); /* under srun, leaves MPI: launch.h says why */
	ret = run_loop(&r);
	if (ret < 0 && !r.error)
		log_err(ret, "cannot start the command");
	if (wr.child > 0 && !wr.exited) {
		/*
		 * the run ended first (duration, error): end the command,
		 * thawed first, as a frozen process would not take SIGTERM
		 */
		if (wr.has_cgroup)
			freezer_set(&wr.fz, wr.node, false);
		kill(wr.child, SIGTERM);
		waitpid(wr.child, &wr.status, 0);
		wr.exited = true;
	}
	if (wr.pidfd >= 0)
		close(wr.pidfd);
	run_teardown(&r);
	/* what the command left running in the node goes to the root cgroup */
	if (wr.has_cgroup) {
		ret = freezer_node_remove(&wr.fz, wr.node);
		if (ret < 0 && ret != -ENOENT)
			log_warn(0, "%s", wr.fz.err);
	}
	stopped = r.stop_signal || r.shard_cut_short;
	if (wr.exited) {
		if (WIFEXITED(wr.status))
			status = WEXITSTATUS(wr.status);
		else if (WIFSIGNALED(wr.status))
			status = 128 + WTERMSIG(wr.status);
	} else if (wr.serve && ret >= 0) {
		status = 0;	/* the shard of the command says how it went */
	}
	if (r.error) {
		/* the mesh failed under the command: its status says nothing */
		log_err(0, "the run failed; everything removed");
		status = 1;
	} else if (r.output_errors && status == 0) {
		log_err(0, "%u output file(s) could not be written whole",
			r.output_errors);
		status = 1;
	}
out:
	scenario_free(&s);
	config_free(cfg);
out_launch:
	free(wr.all);
	shard_conf_free(&o.shards);
	/* as cmd_run: end the others through the launcher before "up" */
	run_signals_release();
	if (ret < 0 && !up)
		launch_abort(&l, 1);
	launch_finish(&l, up && !r.error && !stopped);
	return status;
}
