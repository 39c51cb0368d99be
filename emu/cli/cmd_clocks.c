// SPDX-License-Identifier: MIT
/* cmd_clocks.c - `lasermesh clocks`: clock offset and one-way latency between the hosts of a sharded run */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu/cli/cmd.h"
#include "emu/conf/units.h"
#include "emu/run/clocks.h"
#include "emu/run/launch.h"
#include "emu/run/log.h"
#include "topo/lib/diag.h"

static void clocks_usage(FILE *f)
{
	fprintf(f,
		"usage: mpirun ... lasermesh clocks [OPTIONS]\n"
		"       srun --mpi=pmix ... lasermesh clocks [OPTIONS]\n"
		"\n"
		"Measure, between every two hosts of a sharded run, the clock\n"
		"offset and the one-way latency over UDP (NTP's four\n"
		"timestamps, the fastest probes of each pair), as a sharded\n"
		"run does at its start. Rank 0 prints one line per pair.\n"
		"  --probes N          probes each way per pair (default 20)\n"
		"  --interval T        between two probes (default 10ms)\n"
		"  --bind ADDR         this host's IPv4 or IPv6 address (default:\n"
		"                      the first IPv4 interface up that is not\n"
		"                      loopback); every host must use one family\n"
		"  --cut-delay T       judge a cut link of this delay with the\n"
		"                      rule of docs/usage.md (ok, warn, refuse)\n"
		"  --margin T          the rule's margin (default 100us)\n"
		"  --add-offset R:T    add T (may be negative) to rank R's clock\n"
		"                      readings: checks the measurement against\n"
		"                      a known skew\n");
}

/* A time that may be negative ("-5ms"). */
static bool clocks_parse_signed(const char *s, int64_t *ns, const char **why)
{
	bool neg = *s == '-';

	if (!units_parse_time(s + neg, ns, why))
		return false;
	if (neg)
		*ns = -*ns;
	return true;
}

/* What each rank reports of each peer, gathered at rank 0. */
enum { CR_OFFSET, CR_OWD, CR_RTT, CR_RTT_MED, CR_JITTER, CR_SAMPLES,
       CR_SENT, CR_ANSWERED, CR__N };

/* Rank 0 prints every pair; eps are every rank's endpoint. */
static void clocks_print(const struct launch *l, const int64_t *all,
			 const union endpoint *eps,
			 const struct clocks_opts *o, int64_t cut,
			 int64_t margin)
{
	char ep[ENDPOINT_STRLEN];
	int w = 21;

	for (int j = 0; j < l->size; j++) {
		int n = (int)strlen(endpoint_format(&eps[j], ep, sizeof(ep)));

		w = n > w ? n : w;
	}
	printf("clocks: %d hosts (%s), %d probes each way per pair, every "
	       "%.3g ms\n",
	       l->size, launch_how_name(l->how), o->probes,
	       (double)o->interval_ns / 1e6);
	printf("%-4s %-4s %-*s %12s %10s %19s %9s %8s%s\n", "from", "to", w,
	       "to's address", "offset(ms)", "owd(us)", "rtt min/med(us)",
	       "jitter", "answers", cut >= 0 ? "  cut-link rule" : "");
	for (int i = 0; i < l->size; i++) {
		for (int j = 0; j < l->size; j++) {
			const int64_t *r =
				all + ((size_t)i * l->size + j) * CR__N;

			if (i == j)
				continue;
			printf("%-4d %-4d %-*s ", i, j, w,
			       endpoint_format(&eps[j], ep, sizeof(ep)));
			if (!r[CR_SAMPLES]) {
				printf("%12s %10s %19s %9s %3lld/%-4lld%s\n",
				       "-", "-", "-", "-",
				       (long long)r[CR_ANSWERED],
				       (long long)r[CR_SENT],
				       cut >= 0 ? "  refuse (no answer)" : "");
				continue;
			}
			printf("%+12.4f %10.1f %9.1f/%-9.1f %9.1f %3lld/%-4lld",
			       (double)r[CR_OFFSET] / 1e6,
			       (double)r[CR_OWD] / 1e3,
			       (double)r[CR_RTT] / 1e3,
			       (double)r[CR_RTT_MED] / 1e3,
			       (double)r[CR_JITTER] / 1e3,
			       (long long)r[CR_ANSWERED],
			       (long long)r[CR_SENT]);
			if (cut >= 0) {
				struct clockest_result cr = {
					.offset_ns = r[CR_OFFSET],
					.owd_ns = r[CR_OWD],
					.jitter_ns = r[CR_JITTER],
				};
				int64_t budget;
				enum clockest_verdict v =
					clockest_rule(cut, &cr, margin,
						      &budget);

				printf("  %s (room %+.1f us)",
				       clockest_verdict_name(v),
				       (double)budget / 1e3);
			}
			printf("\n");
		}
	}
}

int cmd_clocks(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "probes", required_argument, NULL, 'n' },
		{ "interval", required_argument, NULL, 'i' },
		{ "bind", required_argument, NULL, 'b' },
		{ "cut-delay", required_argument, NULL, 'c' },
		{ "margin", required_argument, NULL, 'm' },
		{ "add-offset", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct clocks_opts o = { .probes = 20, .interval_ns = 10000000,
				 .offset_rank = -1 };
	int64_t cut = -1, margin = CLOCKEST_MARGIN_NS;
	const char *bind = NULL, *why = NULL;
	struct launch l;
	struct clocks c = { .fd = -1 };
	union endpoint me, addr, *eps = NULL;
	int64_t *mine = NULL, *all = NULL;
	struct diag d;
	int opt, ret = 1, odd;
	char *end;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			o.probes = (int)strtol(optarg, &end, 10);
			if (*end || o.probes < 1 || o.probes > 100000) {
				log_err(0, "--probes \"%s\": give 1 to 100000",
					optarg);
				return 1;
			}
			break;
		case 'i':
		case 'c':
		case 'm': {
			int64_t *t = opt == 'i' ? &o.interval_ns
					: opt == 'c' ? &cut : &margin;

			if (!units_parse_time(optarg, t, &why) ||
			    (opt == 'i' && *t < 100000)) {
				log_err(0, "--%s \"%s\": %s",
					opt == 'i' ? "interval"
					: opt == 'c' ? "cut-delay" : "margin",
					optarg, why ? why : "at least 100us");
				return 1;
			}
			break;
		}
		case 'b':
			bind = optarg;
			break;
		case 'a': {
			char *colon = strchr(optarg, ':');

			o.offset_rank = (int)strtol(optarg, &end, 10);
			if (!colon || end != colon || o.offset_rank < 0 ||
			    !clocks_parse_signed(colon + 1, &o.add_offset_ns,
						 &why)) {
				log_err(0, "--add-offset \"%s\": give RANK:TIME,"
					   " e.g. 1:5ms", optarg);
				return 1;
			}
			break;
		}
		case 'h':
			clocks_usage(stdout);
			return 0;
		default:
			clocks_usage(stderr);
			return 1;
		}
	}
	if (optind < argc) {
		log_err(0, "unexpected argument \"%s\"", argv[optind]);
		clocks_usage(stderr);
		return 1;
	}
	if (bind && !endpoint_parse_addr(bind, 0, &addr)) {
		log_err(0, "--bind \"%s\": not an IPv4 or IPv6 address", bind);
		return 1;
	}

	diag_init(&d);
	if (launch_init(&l, &d) < 0)
		goto out;
	if (l.how == LAUNCH_NONE) {
		diag_error(&d, NULL, 0, "clocks measures between the hosts of "
					"a sharded run: start it under mpirun "
					"or srun --mpi=pmix, one rank per host");
		goto out;
	}
	if ((!bind && clocks_local_addr(&addr, &d) < 0) ||
	    clocks_open(&c, &addr, l.rank, l.size, &o, &d) < 0)
		goto abort;
	eps = calloc((size_t)l.size, sizeof(*eps));
	mine = calloc((size_t)l.size * CR__N, sizeof(*mine));
	all = calloc((size_t)l.size * l.size * CR__N, sizeof(*all));
	if (!eps || !mine || !all || clocks_endpoint(&c, &me) < 0 ||
	    launch_allgather(&l, &me, sizeof(me), eps, &d) < 0)
		goto abort;
	odd = endpoint_odd_family(eps, (size_t)l.size, &me);
	if (odd >= 0) {
		diag_error(&d, NULL, 0, "rank %d has an %s address, this one "
			   "(%d) an %s one: give every host --bind of one "
			   "family", odd, endpoint_family_name(&eps[odd]),
			   l.rank, endpoint_family_name(&me));
		goto abort;
	}
	clocks_set_peers(&c, eps);
	clocks_run(&c, &d);
	for (int j = 0; j < l.size; j++) {
		struct clockest_result r;
		int64_t *m = mine + (size_t)j * CR__N;

		if (j != l.rank && clockest_get(&c.peer[j].est, &r)) {
			m[CR_OFFSET] = r.offset_ns;
			m[CR_OWD] = r.owd_ns;
			m[CR_RTT] = r.rtt_ns;
			m[CR_RTT_MED] = r.rtt_median_ns;
			m[CR_JITTER] = r.jitter_ns;
			m[CR_SAMPLES] = (int64_t)r.samples;
		}
		m[CR_SENT] = (int64_t)c.peer[j].sent;
		m[CR_ANSWERED] = (int64_t)c.peer[j].answered;
	}
	if (launch_allgather(&l, mine, (size_t)l.size * CR__N * sizeof(*mine),
			     all, &d) < 0)
		goto abort;
	if (l.rank == 0)
		clocks_print(&l, all, eps, &o, cut, margin);
	/*
	 * The verdicts are reported, not acted on: a non-zero exit of one
	 * rank makes mpirun kill the others and wait for them (tens of
	 * seconds), for nothing here. A sharded run acts on the rule.
	 */
	ret = 0;
	if (c.bad)
		log_warnx("rank %d: %llu datagrams that were not clock probes "
			  "were dropped", l.rank, (unsigned long long)c.bad);
	goto out;
abort:
	/* the others wait in an exchange that will not come: end them */
	diag_print(&d, stderr);
	diag_free(&d);
	launch_abort(&l, 1);
	return 1;
out:
	diag_print(&d, stderr);
	clocks_close(&c);
	free(eps);
	free(mine);
	free(all);
	if (d.errors)
		ret = 1;
	launch_finish(&l, ret != 1);
	diag_free(&d);
	return ret;
}
