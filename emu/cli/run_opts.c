// SPDX-License-Identifier: MIT
/* run_opts.c - parse the options shared by `run` and `wrap` */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu/cli/cmd_common.h"
#include "emu/cli/run_opts.h"
#include "emu/conf/units.h"
#include "emu/run/log.h"

enum {
	OPT_SPIN = 256, OPT_SPIN_DUTY, OPT_STATUS, OPT_NO_STATUS, OPT_NO_RT,
	OPT_EVENTS, OPT_LOG, OPT_NO_CTL, OPT_CAPTURE_LINKS, OPT_WEB,
	OPT_WEB_CONTROL, OPT_NO_STAMPS, OPT_IDLE_POLL, OPT_SHARD, OPT_PEERS, OPT_SHARD_BIND,
};

const struct option run_opts_long[] = {
	{ "capture", required_argument, NULL, 'c' },
	{ "capture-links", required_argument, NULL, OPT_CAPTURE_LINKS },
	{ "snaplen", required_argument, NULL, 's' },
	{ "duration", required_argument, NULL, 'd' },
	{ "time-scale", required_argument, NULL, 't' },
	{ "spin", required_argument, NULL, OPT_SPIN },
	{ "spin-duty", required_argument, NULL, OPT_SPIN_DUTY },
	{ "status", no_argument, NULL, OPT_STATUS },
	{ "no-status", no_argument, NULL, OPT_NO_STATUS },
	{ "no-realtime", no_argument, NULL, OPT_NO_RT },
	{ "no-stamps", no_argument, NULL, OPT_NO_STAMPS },
	{ "idle-poll", no_argument, NULL, OPT_IDLE_POLL },
	{ "events", required_argument, NULL, OPT_EVENTS },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "no-ctl", no_argument, NULL, OPT_NO_CTL },
	{ "web", required_argument, NULL, OPT_WEB },
	{ "web-control", no_argument, NULL, OPT_WEB_CONTROL },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "peers", required_argument, NULL, OPT_PEERS },
	{ "shard-bind", required_argument, NULL, OPT_SHARD_BIND },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

const char run_opts_help[] =
	"options:\n"
	"  -c, --capture DIR    write DIR/NODE.pcap for every tapped node\n"
	"                       (nanosecond timestamps; what it sent and got)\n"
	"      --capture-links DIR\n"
	"                       write DIR/links.pcapng: every frame on every\n"
	"                       directed link it crossed, one interface per\n"
	"                       link (\"a>b\"), stamped when it left the link\n"
	"  -s, --snaplen N      cut captured frames at N bytes (default: all)\n"
	"  -d, --duration T     stop after T of orbital time (10s, 2min, ...;\n"
	"                       a bare number is seconds; overrides\n"
	"                       [emulation] duration)\n"
	"  -t, --time-scale X   orbital time runs X times faster than the\n"
	"                       wall clock; packet delays stay real\n"
	"      --spin T         poll instead of sleeping in the last T before\n"
	"                       each release: TAPs read and packets released\n"
	"                       at once (e.g. 1ms; see docs/performance.md);\n"
	"                       auto: T follows the measured wake-up time\n"
	"      --spin-duty PCT  poll at most PCT% of each 100 ms (default 50)\n"
	"      --idle-poll      keep idle CPUs polling instead of halting\n"
	"                       while the run lasts (/dev/cpu_dma_latency\n"
	"                       0): faster wake-ups on a VM, busy CPUs\n"
	"      --events FILE    faults on a timeline (instead of [emulation]\n"
	"                       events; docs/configuration.md, Events file)\n"
	"      --log FILE       write every event, route change between\n"
	"                       tapped nodes and link change as JSON Lines\n"
	"      --no-ctl         no control socket (lasermesh ctl)\n"
	"      --web [ADDR:]PORT\n"
	"                       serve a live map of the run (127.0.0.1\n"
	"                       unless ADDR is given; no authentication)\n"
	"      --web-control    let the page take nodes and links down/up\n"
	"      --shard I/N      run shard I of N of the mesh (run only; the\n"
	"                       rank and size come from mpirun or srun when\n"
	"                       started by them; docs/usage.md, Shards)\n"
	"      --peers A:P,...  the N shards' UDP endpoints, in order\n"
	"      --shard-bind ADDR\n"
	"                       under mpirun or srun: this shard's address\n"
	"                       (default: the first interface up)\n"
	"      --no-realtime    leave the data plane at normal priority\n"
	"                       (default: SCHED_FIFO, steadier delays)\n"
	"      --no-stamps      a frame's delay starts when lasermesh reads\n"
	"                       it, not when its node sent it (the kernel's\n"
	"                       time, from an AF_PACKET socket per TAP)\n"
	"      --status, --no-status\n"
	"                       live status line (default: on a terminal)\n"
	"  -q, --quiet          no banner and no summary (its floor:\n"
	"                       lines still go to stderr)\n"
	"  -v, --verbose        list warnings (e.g. TLE sets left out)\n";

void run_opts_default(struct run_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->duration_ns = -1;
	o->spin_duty = 50;
}

int run_opts_parse(struct run_opts *o, int opt, const char *arg,
		   bool *verbose)
{
	const char *why = "";
	char *end;
	double x;
	int64_t ns;

	switch (opt) {
	case 'c':
		o->capture_dir = arg;
		return 0;
	case OPT_CAPTURE_LINKS:
		o->capture_links_dir = arg;
		return 0;
	case 's':
		errno = 0;
		x = strtod(arg, &end);
		if (end == arg || *end || errno || x < 1 || x > 262144) {
			log_err(0, "--snaplen \"%s\" is not a number of bytes "
				"from 1 to 262144", arg);
			return 1;
		}
		o->snaplen = (unsigned)x;
		return 0;
	case 'd':
		if (!units_parse_time_arg(arg, &ns, &why)) {
			log_err(0, "--duration \"%s\" %s", arg, why);
			return 1;
		}
		o->duration_ns = ns;
		return 0;
	case 't':
		errno = 0;
		x = strtod(arg, &end);
		if (end == arg || *end || errno || !isfinite(x) || x <= 0) {
			log_err(0, "--time-scale \"%s\" is not a positive "
				"number", arg);
			return 1;
		}
		o->time_scale = x;
		return 0;
	case OPT_SPIN:
		if (strcmp(arg, "auto") == 0) {
			o->spin_auto = true;
			o->spin_ns = 0;
			return 0;
		}
		o->spin_auto = false;
		if (!units_parse_time_arg(arg, &ns, &why)) {
			log_err(0, "--spin \"%s\" %s", arg, why);
			return 1;
		}
		o->spin_ns = ns;
		return 0;
	case OPT_SPIN_DUTY:
		errno = 0;
		x = strtod(arg, &end);
		if (end == arg || *end || errno || x < 1 || x > 90) {
			log_err(0, "--spin-duty \"%s\" is not a percentage "
				"from 1 to 90", arg);
			return 1;
		}
		o->spin_duty = (int)x;
		return 0;
	case OPT_NO_RT:
		o->no_realtime = true;
		return 0;
	case OPT_IDLE_POLL:
		o->idle_poll = true;
		return 0;
	case OPT_NO_STAMPS:
		o->no_stamps = true;
		return 0;
	case OPT_EVENTS:
		o->events_path = arg;
		return 0;
	case OPT_LOG:
		o->log_path = arg;
		return 0;
	case OPT_NO_CTL:
		o->no_ctl = true;
		return 0;
	case OPT_WEB: {
		char reason[160];

		if (!web_addr_parse(arg, &o->web_addr, reason,
				    sizeof(reason))) {
			log_err(0, "--web \"%s\": %s", arg, reason);
			return 1;
		}
		o->web = arg;
		return 0;
	}
	case OPT_WEB_CONTROL:
		o->web_control = true;
		return 0;
	case OPT_SHARD:
		o->shard_which = arg;
		return 0;
	case OPT_PEERS:
		o->shard_peers = arg;
		return 0;
	case OPT_SHARD_BIND:
		o->shard_bind = arg;
		return 0;
	case OPT_STATUS:
		o->status = true;
		return 0;
	case OPT_NO_STATUS:
		o->status = false;
		return 0;
	case 'q':
		o->quiet = true;
		return 0;
	case 'v':
		*verbose = true;
		return 0;
	default:
		return -1;
	}
}
