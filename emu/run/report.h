/* SPDX-License-Identifier: MIT */
/* report.h - what a run prints: banner, live status line, summary, busiest links */
#ifndef EMU_REPORT_H
#define EMU_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "emu/plane/fwd.h"
#include "topo/constel.h"
#include "topo/step.h"

/* Directed links the summary lists, the busiest (bytes sent) first. */
#define REPORT_BUSIEST 10

/*
 * These take values, never the run: the loop (run.c) walks its ports and
 * hands each over. The banner goes to stdout, the status line and the
 * summary to stderr.
 */

/* "lasermesh: NODES, epoch ..." and the table's header (NODES from scenario_summary). */
void report_banner(const char *nodes, int64_t epoch_ns, double scale);
/* One tapped node of the banner: name, addresses, its TAP. */
void report_banner_node(const struct constel *c, uint32_t node,
			const char *ifname);
/*
 * The banner's last line: a hint from node a to node b (b NULL: "ready").
 * Flushes stdout: 0, or -errno if any of the banner could not be written.
 */
int report_banner_ready(const char *a, const char *b);

/* The live status line (overwrites itself) at orbital time t_orb. */
void report_status(int64_t t_orb, const struct topo_state *st,
		   const struct fwd_stats *s, uint64_t overruns);

/*
 * The summary's totals; spin_share is the share of the run spent polling
 * (< 0: not spinning).
 */
void report_summary(const struct fwd *f, double secs, uint64_t overruns,
		    double spin_share);
/* Terminals re-pointed over orbital ns, and per satellite per hour. */
void report_repoint(uint64_t released, size_t nsat, int64_t orbital_ns);
/* Faults applied during the run, by source and verb; what is in force. */
void report_faults(const struct fault_state *fs);
/*
 * One line per tapped node, after a header (first true for the first):
 * frames it sent, bytes, frames it received (written to its TAP), dropped,
 * overrun, and udp_full, the UDP datagrams its own sockets then refused
 * (receive buffer full; -1: unknown, printed "-").
 */
void report_port(const struct constel *c, const struct fwd_port *p,
		 uint64_t overrun, int64_t udp_full, bool first);
/* The REPORT_BUSIEST directed links that carried the most bytes. */
void report_busiest(const struct constel *c, const struct fwd *f);

/* Frames dropped for any cause. */
uint64_t report_dropped(const struct fwd_stats *s);

#endif
