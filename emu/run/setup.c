// SPDX-License-Identifier: MIT
/* setup.c - bring a run up (marks, namespaces, TAPs, hosts, geometry, forwarder) and tear it down */
#include <errno.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "emu/net/addr.h"
#include "emu/run/capture.h"
#include "emu/run/log.h"
#include "emu/run/progress.h"
#include "emu/run/run.h"
#include "tap/hosts.h"
#include "tap/mark.h"
#include "tap/node.h"
#include "tap/owner.h"
#include "tap/runfile.h"
#include "tap/tap.h"
#include "topo/utc.h"

#define RUN_TAP_QUEUE 8192	/* frames the kernel holds for us per TAP */
#define RUN_NOFILE_SPARE 256	/* descriptors beyond two per tapped node */
/*
 * Test-only: the geometry thread fails to compute this step (a number), as
 * if the model had failed there. docs/usage.md.
 */
#define RUN_ENV_GEOM_FAIL "LASERMESH_TEST_GEOM_FAIL_STEP"

static int64_t run_realtime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * UTC_NS_PER_S + ts.tv_nsec;
}

static const char *run_node_name(const struct run *r, size_t i)
{
	return r->s->constel.node[r->s->tapped[i]].name;
}

/* Every tapped node's hosts file names every node of the mesh. */
static int run_hosts(struct run *r)
{
	const struct constel *c = &r->s->constel;
	struct hosts_entry *e;
	const char **names;
	struct owner me;
	char *buf = NULL;
	size_t len;
	int ret;

	ret = owner_of(getpid(), &me);
	if (ret < 0)
		return ret;
	e = calloc(c->n ? c->n : 1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	for (size_t i = 0; i < c->n; i++) {
		e[i].name = c->node[i].name;
		e[i].has_v4 = e[i].has_v6 = true;
		e[i].v4 = addr_v4((uint32_t)i);
		e[i].v6 = addr_v6((uint32_t)i);
	}
	ret = hosts_render(&me, e, c->n, &buf, &len);
	free(e);
	if (ret < 0)
		return ret;
	names = calloc(r->nopened ? r->nopened : 1, sizeof(*names));
	if (!names) {
		free(buf);
		return -ENOMEM;
	}
	for (size_t i = 0; i < r->nopened; i++)
		names[i] = run_node_name(r, i);
	ret = hosts_write(names, r->nopened, buf, len);
	free(names);
	free(buf);
	return ret;
}

static int run_open_port(struct run *r, size_t i)
{
	uint32_t node = r->s->tapped[i];
	const char *name = run_node_name(r, i);
	struct run_port *rp = &r->port[i];
	struct node_conf tn = {
		.netns = name,
		.has_mac = true,
		.mtu = r->cfg->mtu,
		/*
		 * The TAP's ring: frames wait there while the data plane
		 * wakes; the kernel's 1,000 overran under 100k frames/s.
		 */
		.txqlen = RUN_TAP_QUEUE,
		/* frames start when sent, not when read (tapstamp.h) */
		.tap_flags = r->o.no_stamps ? 0 : TAP_F_STAMP,
		.has_v4 = true,
		.has_v6 = true,
		.v4 = addr_v4(node),
		.v4_prefix = ADDR_V4_PREFIX_LEN,
		.v6 = addr_v6(node),
		.v6_prefix = ADDR_V6_PREFIX_LEN,
	};
	char why[512];
	int ret;

	rp->run = r;
	rp->idx = i;
	addr_mac(node, tn.mac);
	ret = node_open(&tn, &rp->tap);
	if (ret < 0) {
		log_err(0, "node \"%s\": cannot set up its namespace and TAP: "
			"%s", name, node_strerror(name, ret, why, sizeof(why)));
		return ret;
	}
	r->nopened = i + 1;
	if (rp->tap->stamp_err && !r->o.quiet)
		log_warn(rp->tap->stamp_err, "node \"%s\": no send times of "
			 "its frames (AF_PACKET socket): they start when read",
			 name);
	if (tap_tx_dropped(rp->tap, &rp->tx_dropped0) < 0)
		rp->tx_dropped0 = 0;
	if (r->o.capture_dir) {
		ret = capture_open(r->o.capture_dir, name, r->o.snaplen,
				   &rp->cap);
		if (ret < 0) {
			log_err(ret, "capture \"%s/%s.pcap\"", r->o.capture_dir,
				name);
			return ret;
		}
	}
	return 0;
}

/*
 * Close the TAPs first, deferred (tap.h: the kernel then deletes them with
 * their namespaces in batches, ~0.1 ms each, instead of ~20 ms per TAP on
 * close), then remove the namespaces and hosts files.
 */
static void run_close_ports(struct run *r)
{
	for (size_t i = 0; i < r->nopened; i++) {
		struct run_port *rp = &r->port[i];

		run_capture_close(r, rp);
		tap_free_deferred(rp->tap);
		rp->tap = NULL;
	}
	for (size_t i = 0; i < r->nopened; i++) {
		const char *name = run_node_name(r, i);
		int ret = node_remove(name);

		if (ret < 0 && ret != -ENOENT)
			log_warn(ret, "node \"%s\": cannot remove its "
				 "namespace (lasermesh cleanup retries)", name);
	}
	r->nopened = 0;
}

/*
 * Each tapped node holds three descriptors (TAP, netlink, the socket of its
 * send times): raise the limit.
 */
static int run_raise_nofile(size_t nodes)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)(3 * nodes + RUN_NOFILE_SPARE);
	int ret;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		ret = -errno;
	else if (rl.rlim_cur >= want)
		return 0;
	else {
		if (rl.rlim_max < want)
			rl.rlim_max = want;	/* root may raise the hard limit */
		rl.rlim_cur = want;
		if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
			return 0;
		ret = -errno;
	}
	log_err(ret, "cannot allow %zu open files for %zu nodes",
		(size_t)want, nodes);
	return ret;
}

/* The run file names the run's nodes: a kill -9 from here on is recoverable. */
static int run_write_runfile(struct run *r)
{
	const char **names = calloc(r->nports, sizeof(*names));
	int ret;

	if (!names) {
		log_err(-ENOMEM, "cannot write the run file under %s",
			MARK_DIR);
		return -ENOMEM;
	}
	for (size_t i = 0; i < r->nports; i++)
		names[i] = run_node_name(r, i);
	ret = runfile_write(getpid(), r->cfg->path, names, r->nports);
	free(names);
	if (ret < 0)
		log_err(ret, "cannot write the run file under %s", MARK_DIR);
	return ret;
}

/* The geometry: steps 0 and 1 now, the thread later (run_start_geom). */
static int run_init_geom(struct run *r)
{
	const char *fail = getenv(RUN_ENV_GEOM_FAIL);
	int ret;

	ret = geom_init(&r->geom, &r->s->model, r->s->epoch_unix_ns,
			r->s->step_ns, r->o.time_scale, run_now(),
			r->plan_on ? &r->plan : NULL);
	if (ret < 0) {
		log_err(ret, "geometry: cannot compute the first two steps");
		return ret;
	}
	r->geom_ok = true;
	if (fail && *fail) {
		char *end;
		long long k = strtoll(fail, &end, 10);

		if (*end || k < 2) {
			log_err(0, "%s \"%s\" is not a step number of 2 or "
				"more", RUN_ENV_GEOM_FAIL, fail);
			return -EINVAL;
		}
		r->geom.fail_step = k;
	}
	return 0;
}

/* The forwarder's ports: port i is the tapped node i, with its MAC. */
static int run_init_fwd(struct run *r)
{
	struct fwd_port *fp = calloc(r->nports, sizeof(*fp));
	int ret;

	if (!fp) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < r->nports; i++) {
		fp[i].node = r->s->tapped[i];
		addr_mac(r->s->tapped[i], fp[i].mac);
	}
	ret = fwd_init(&r->fwd, &r->geom.ring, &r->s->constel, fp, r->nports,
		       &r->s->isl_lp, &r->s->gsl_lp, r->s->seed, run_output, r);
	free(fp);
	if (ret == 0) {
		r->fwd.source_check = r->s->source_check;
		r->fwd.ttl_fabric = r->s->ttl_fabric;
		r->fwd.isl_rate = r->s->isl_rate_bps;
		r->fwd_ok = true;
		return 0;
	}
out:
	log_err(ret, "cannot set up the forwarder for %zu nodes", r->nports);
	return ret;
}

int run_setup(struct run *r, const struct config *c, struct scenario *s,
	      const struct run_opts *o)
{
	struct progress pr;
	sigset_t old;
	int ret;

	memset(r, 0, sizeof(*r));
	r->ctl.fd = -1;
	r->cfg = c;
	r->s = s;
	r->o = *o;
	r->tfd = -1;
	r->idle_poll_fd = -1;
	r->armed = INT64_MAX;
	if (r->o.time_scale <= 0)
		r->o.time_scale = c->time_scale;
	if (r->o.duration_ns < 0)
		r->o.duration_ns = c->duration_ns;
	if (!s->ntapped && !o->shards.n) {
		log_err(0, "no node is tapped ([tap] nodes)");
		return -EINVAL;
	}
	if (o->capture_dir && mkdir(o->capture_dir, 0755) < 0 &&
	    errno != EEXIST) {
		ret = -errno;
		log_err(ret, "capture directory \"%s\"", o->capture_dir);
		return ret;
	}
	/* a closed stdout must not kill the run before its teardown */
	signal(SIGPIPE, SIG_IGN);
	/* signals wait until the loop handles them: set-up is not cut short */
	run_signals_hold(&old);

	r->nports = s->ntapped;
	r->port = calloc(r->nports, sizeof(*r->port));
	r->rxbuf = malloc(PKT_BUF_MAX);
	if (!r->port || !r->rxbuf) {
		ret = -ENOMEM;
		log_err(ret, "cannot set up %zu nodes", r->nports);
		goto fail;
	}
	ret = run_raise_nofile(r->nports);
	if (ret < 0)
		goto fail;
	ret = run_write_runfile(r);
	if (ret < 0)
		goto fail;
	progress_begin(&pr, "setting up nodes", r->nports);
	for (size_t i = 0; i < r->nports; i++) {
		progress_update(&pr, i);
		ret = run_open_port(r, i);
		if (ret < 0) {
			progress_end(&pr);
			goto fail;
		}
	}
	progress_end(&pr);
	ret = run_hosts(r);
	if (ret < 0) {
		log_err(ret, "cannot write the hosts files");
		goto fail;
	}

	r->rt_off = run_realtime() - run_now();
	ret = run_faults_init(r);
	if (ret < 0)
		goto fail;
	ret = run_init_geom(r);
	if (ret < 0)
		goto fail;
	ret = run_init_fwd(r);
	if (ret < 0)
		goto fail;
	ret = run_linkcap_open(r);
	if (ret < 0)
		goto fail;
	ret = run_watch_start(r);
	if (ret < 0)
		goto fail;
	if (!r->o.no_ctl) {
		ret = ctl_open(&r->ctl, r->loop, run_ctl_handle, r);
		if (ret < 0) {
			log_err(ret, "cannot open the control socket under %s",
				CTL_DIR);
			goto fail;
		}
		r->ctl_on = true;
	}
	if (r->o.web) {
		ret = web_open(&r->web, r, r->loop, &r->o.web_addr,
			       r->o.web_control);
		if (ret < 0) {
			log_err(ret, "cannot serve the web view at \"%s\"",
				r->o.web);
			goto fail;
		}
	} else if (r->o.web_control) {
		log_warnx("--web-control without --web: no page to control "
			  "the run from");
	}
	if (r->o.shards.n) {
		ret = shard_open(r);
		if (ret < 0)
			goto fail;
	}
	ret = geom_start(&r->geom);
	if (ret < 0) {
		log_err(ret, "cannot start the geometry thread");
		goto fail;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return 0;

fail:
	run_teardown(r);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}

void run_teardown(struct run *r)
{
	run_idle_poll_end(r);
	/* a second Ctrl-C must not cut the teardown short: hold signals */
	run_signals_hold(NULL);
	if (r->fwd_ok && !r->o.quiet)
		run_summary(r);
	shard_close(r);	/* its summary lines, then bye to the others */
	web_close(r->web, r->o.quiet);
	r->web = NULL;
	if (r->ctl_on)
		ctl_close(&r->ctl);
	r->ctl_on = false;
	run_faults_end(r);
	run_watch_stop(r);
	if (r->geom_ok)
		geom_free(&r->geom);	/* joins the thread first */
	run_faults_free(r);	/* the plan, once the thread is gone */
	run_close_ports(r);
	run_linkcap_close(r);
	if (r->fwd_ok)
		fwd_free(&r->fwd);
	r->geom_ok = r->fwd_ok = false;
	runfile_remove(getpid());
	free(r->port);
	free(r->rxbuf);
	r->port = NULL;
	r->rxbuf = NULL;
}
