// SPDX-License-Identifier: MIT
/* report.c - what a run prints: banner, live status line, summary, busiest links */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

#include "emu/net/addr.h"
#include "emu/plane/hist.h"
#include "emu/run/report.h"
#include "topo/utc.h"

void report_banner(const char *nodes, int64_t epoch_ns, double scale)
{
	char when[40];

	utc_format_iso8601(epoch_ns, 0, when, sizeof(when));
	printf("lasermesh: %s, epoch %s, time scale %g\n", nodes, when, scale);
	printf("%-20s %-15s %-22s %s\n", "node", "ipv4", "ipv6", "interface");
}

void report_banner_node(const struct constel *c, uint32_t node,
			const char *ifname)
{
	char v4[INET_ADDRSTRLEN], v6[INET6_ADDRSTRLEN];
	struct in_addr a4 = addr_v4(node);
	struct in6_addr a6 = addr_v6(node);

	inet_ntop(AF_INET, &a4, v4, sizeof(v4));
	inet_ntop(AF_INET6, &a6, v6, sizeof(v6));
	printf("%-20s %-15s %-22s %s\n", c->node[node].name, v4, v6, ifname);
}

int report_banner_ready(const char *a, const char *b)
{
	if (a && b)
		printf("ready: try  ip netns exec %s ping %s   or   lasermesh "
		       "exec %s -- traceroute %s\n", a, b, a, b);
	else
		printf("ready\n");
	if (fflush(stdout) == EOF || ferror(stdout))
		return errno ? -errno : -EIO;
	return 0;
}

uint64_t report_dropped(const struct fwd_stats *s)
{
	uint64_t n = 0;

	for (int i = 0; i < FWD_D__COUNT; i++)
		n += s->drop[i];
	return n;
}

void report_status(int64_t t_orb, const struct topo_state *st,
		   const struct fwd_stats *s, uint64_t overruns)
{
	char when[40];

	utc_format_iso8601(t_orb, 0, when, sizeof(when));
	fprintf(stderr, "\r\033[K%s  links %zu isl %zu gsl  route changes %llu"
		"  forwarded %llu  delivered %llu  dropped %llu  overrun %llu",
		when, st->cnt.isl_up, st->cnt.gsl_up,
		(unsigned long long)s->route_changes,
		(unsigned long long)s->forwarded,
		(unsigned long long)s->delivered,
		(unsigned long long)report_dropped(s),
		(unsigned long long)overruns);
}

void report_summary(const struct fwd *f, double secs, uint64_t overruns,
		    double spin_share)
{
	const struct fwd_stats *s = &f->st;

	fprintf(stderr, "lasermesh: ran %.1f s; frames read %llu, written "
		"%llu, hops %llu, delivered %llu; route changes %llu\n", secs,
		(unsigned long long)s->rx_frames,
		(unsigned long long)s->tx_frames,
		(unsigned long long)s->forwarded,
		(unsigned long long)s->delivered,
		(unsigned long long)s->route_changes);
	fprintf(stderr, "  answered: arp %llu, nd %llu, echo %llu, icmp "
		"errors %llu\n", (unsigned long long)s->arp_replies,
		(unsigned long long)s->nd_replies,
		(unsigned long long)s->echo_replies,
		(unsigned long long)s->icmp_errors);
	fprintf(stderr, "  dropped:");
	for (int i = 0; i < FWD_D__COUNT; i++)
		if (s->drop[i])
			fprintf(stderr, " %s %llu", fwd_drop_name(i),
				(unsigned long long)s->drop[i]);
	fprintf(stderr, "%s\n", report_dropped(s) ? "" : " none");
	fprintf(stderr, "  overrun (kernel dropped, emulator behind): %llu\n",
		(unsigned long long)overruns);
	if (spin_share >= 0)
		fprintf(stderr, "  spin: %.1f%% of the run spent polling\n",
			100.0 * spin_share);
	if (f->late.count)
		fprintf(stderr, "  release lateness: p50 %lld ns, p99 %lld "
			"ns, max %lld ns\n",
			(long long)hist_percentile(&f->late, 50),
			(long long)hist_percentile(&f->late, 99),
			(long long)f->late.max);
}

void report_repoint(uint64_t released, size_t nsat, int64_t orbital_ns)
{
	double hours = (double)orbital_ns / 3600e9;

	if (!nsat || hours <= 0.0)
		return;
	fprintf(stderr, "  re-pointing: %llu terminals re-pointed, %.2f per "
		"satellite per hour\n", (unsigned long long)(2 * released),
		2.0 * (double)released / (double)nsat / hours);
}

void report_faults(const struct fault_state *fs)
{
	bool any = false;

	for (int src = 0; src < FAULT_NSOURCE; src++) {
		const uint64_t *n = fs->count[src];

		if (!n[FAULT_DOWN] && !n[FAULT_UP] && !n[FAULT_SET])
			continue;
		fprintf(stderr, "%s %s", any ? ";" : "  faults applied:",
			fault_source_name((enum fault_source)src));
		for (int v = FAULT_DOWN; v <= FAULT_SET; v++)
			if (n[v])
				fprintf(stderr, " %s %llu",
					fault_verb_name((enum fault_verb)v),
					(unsigned long long)n[v]);
		any = true;
	}
	if (!any)
		return;
	fprintf(stderr, "\n  in force at the end: %zu nodes down, %zu links "
		"with a fault\n", fs->nodes_down, fs->nlinks);
}

void report_port(const struct constel *c, const struct fwd_port *p,
		 uint64_t overrun, int64_t udp_full, bool first)
{
	char full[24] = "-";

	if (first)
		fprintf(stderr, "  %-20s %10s %12s %10s %8s %8s %9s\n", "node",
			"sent", "sent bytes", "received", "dropped", "overrun",
			"udp-full");
	if (udp_full >= 0)
		snprintf(full, sizeof(full), "%lld", (long long)udp_full);
	fprintf(stderr, "  %-20s %10llu %12llu %10llu %8llu %8llu %9s\n",
		c->node[p->node].name, (unsigned long long)p->rx_frames,
		(unsigned long long)p->rx_bytes,
		(unsigned long long)p->tx_frames,
		(unsigned long long)p->drops, (unsigned long long)overrun,
		full);
}

struct report_busy {
	uint32_t a, b;
	const struct link *l;
};

struct report_busy_acc {
	struct report_busy top[REPORT_BUSIEST];
	size_t n;
};

/* Insert l into the ranking by bytes sent, keeping the top REPORT_BUSIEST. */
static void report_busy_cb(uint32_t a, uint32_t b, const struct link *l,
			   void *arg)
{
	struct report_busy_acc *acc = arg;
	size_t i;

	if (!l->stats.sent_bytes && !l->stats.drop_queue_pkts &&
	    !l->stats.drop_loss_pkts)
		return;
	for (i = acc->n; i > 0; i--) {
		if (acc->top[i - 1].l->stats.sent_bytes >= l->stats.sent_bytes)
			break;
		if (i < REPORT_BUSIEST)
			acc->top[i] = acc->top[i - 1];
	}
	if (i < REPORT_BUSIEST) {
		acc->top[i] = (struct report_busy){ a, b, l };
		if (acc->n < REPORT_BUSIEST)
			acc->n++;
	}
}

void report_busiest(const struct constel *c, const struct fwd *f)
{
	struct report_busy_acc acc = { .n = 0 };

	fwd_links_foreach(f, report_busy_cb, &acc);
	if (acc.n)
		fprintf(stderr, "  busiest links: %-29s %10s %12s %8s %8s %8s\n",
			"", "packets", "bytes", "queue", "loss", "down");
	for (size_t i = 0; i < acc.n; i++) {
		const struct link_stats *ls = &acc.top[i].l->stats;
		char name[2 * CONSTEL_NAME_MAX + 2];

		snprintf(name, sizeof(name), "%s>%s", c->node[acc.top[i].a].name,
			 c->node[acc.top[i].b].name);
		fprintf(stderr, "  %-44s %10llu %12llu %8llu %8llu %8llu\n",
			name, (unsigned long long)ls->sent_pkts,
			(unsigned long long)ls->sent_bytes,
			(unsigned long long)ls->drop_queue_pkts,
			(unsigned long long)ls->drop_loss_pkts,
			(unsigned long long)(ls->drop_flush_pkts +
					     ls->drop_down_pkts));
	}
}
