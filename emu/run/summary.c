// SPDX-License-Identifier: MIT
/* summary.c - what a run says of itself: the banner at its start, overruns, the summary at its end */
#include <errno.h>
#include <stdio.h>

#include "emu/run/floor.h"
#include "emu/run/log.h"
#include "emu/run/report.h"
#include "emu/run/run.h"
#include "tap/nsstat.h"
#include "tap/tap.h"

uint64_t run_overruns(struct run *r)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < r->nports; i++) {
		struct run_port *rp = &r->port[i];
		uint64_t d;

		if (tap_tx_dropped(rp->tap, &d) < 0)
			d = rp->tx_dropped0;
		/* while its carrier is off, the node's own kernel drops */
		if (rp->down && d > rp->dropped_at_down)
			d = rp->dropped_at_down;
		if (d >= rp->tx_dropped0)
			rp->overrun = d - rp->tx_dropped0;
		sum += rp->overrun;
	}
	return sum;
}

/* Say when a tapped pair's path now is longer than the hosts' TTL. */
static void run_banner_ttl(struct run *r)
{
	const struct constel *c = &r->s->constel;
	uint32_t a, b;
	size_t routers;

	if (r->s->ttl_fabric)
		return;
	routers = scenario_longest_path(r->s, ring_current(&r->geom.ring), &a,
					&b);
	if (routers >= SCENARIO_HOST_TTL)
		log_warnx("the path from %s to %s crosses %zu satellites: a "
			  "packet sent with the usual TTL of %d expires on the "
			  "way ([emulation] ttl = fabric makes the mesh one "
			  "hop)", c->node[a].name, c->node[b].name, routers,
			  SCENARIO_HOST_TTL);
}

void run_banner_floor(struct run *r, FILE *f)
{
	struct floor_check fc;

	floor_check(r->s, ring_current(&r->geom.ring), &fc);
	floor_print(f, &r->s->constel, &fc);
}

/*
 * The banner on stdout. It always says when a link is shorter or faster
 * than this machine reproduces (floor.h); -q, which has no banner, prints
 * that on stderr. A closed stdout (EPIPE) is the reader's choice; any
 * other failure (a full disk under a redirection) is an output lost.
 */
void run_banner(struct run *r)
{
	const struct constel *c = &r->s->constel;
	char nodes[96];
	const char *a, *b;
	int ret;

	scenario_summary(r->s, nodes, sizeof(nodes));
	report_banner(nodes, r->s->epoch_unix_ns, r->o.time_scale);
	for (size_t i = 0; i < r->nports; i++)
		report_banner_node(c, r->s->tapped[i], r->port[i].tap->ifname);
	/* a shard may tap one node or none: then "ready" alone */
	a = r->nports >= 1 ? c->node[r->s->tapped[0]].name : NULL;
	b = r->nports >= 2 ? c->node[r->s->tapped[1]].name : NULL;
	run_banner_ttl(r);
	run_banner_floor(r, stdout);
	if (r->web)
		printf("web view: %s\n", web_url(r->web));
	ret = report_banner_ready(a, b);
	if (ret < 0 && ret != -EPIPE) {
		log_err(ret, "cannot write the banner to standard output");
		r->output_errors++;
	}
}

void run_summary(struct run *r)
{
	double secs = (double)(run_now() - r->started_wall) / 1e9;
	uint64_t overruns = run_overruns(r);
	double spin = -1;

	if (r->o.spin_ns || r->o.spin_auto)
		spin = secs > 0 ? (double)r->spin_total / 1e9 / secs : 0.0;
	report_summary(&r->fwd, secs, overruns, spin);
	if (r->o.idle_poll)
		fprintf(stderr, "  idle poll: %s\n", r->idle_poll_held ?
			"idle CPUs polled for the run (/dev/cpu_dma_latency 0)" :
			"not held (see the warning at start)");
	report_faults(&ring_current(&r->geom.ring)->faults);
	geom_report(&r->geom, topo_pool_threads(r->s->pool));
	if (r->s->model.isl.repoint_ns)
		report_repoint(r->repointed, r->s->constel.nsat,
			       ring_orbital(&r->geom.ring, run_now()) -
				       r->s->epoch_unix_ns);
	for (size_t i = 0; i < r->nports; i++) {
		/* the namespace is the run's: its counters are the run's */
		struct nsstat_udp u;
		int64_t full = -1;

		if (nsstat_udp(r->s->constel.node[r->s->tapped[i]].name,
			       &u) == 0)
			full = (int64_t)u.rcvbuf;
		report_port(&r->s->constel, &r->fwd.port[i], r->port[i].overrun,
			    full, i == 0);
	}
	fprintf(stderr, "  (udp-full: UDP datagrams delivered to the node but "
		"refused by its socket, whose receive buffer was full)\n");
	report_busiest(&r->s->constel, &r->fwd);
}
