// SPDX-License-Identifier: MIT
/* cmd_path.c - `lasermesh path`: round-trip time and path between two nodes over time */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu/cli/cmd.h"
#include "emu/cli/cmd_common.h"
#include "emu/cli/plot.h"
#include "emu/conf/units.h"
#include "emu/run/log.h"
#include "emu/run/progress.h"
#include "topo/consts.h"
#include "topo/lib/json.h"
#include "topo/utc.h"

enum path_format { PATH_CSV, PATH_TEXT, PATH_JSON };

static void path_usage(FILE *f)
{
	fprintf(f,
		"usage: lasermesh path [FILE] A B [--from T0] [--to T1] "
		"[--step S]\n"
		"                      [--format csv|text|json] [--no-history] "
		"[--events FILE]\n"
		"                      [--plot OUT.svg] [-v]\n"
		"For each moment from T0 to T1 (a time after the epoch such as\n"
		"90, 1.5s or 10ms, or an ISO-8601 UTC time; defaults 0 and T0)\n"
		"every S (default 1s), print the time since the epoch in ns, the\n"
		"round-trip propagation time of the lowest-latency path from A\n"
		"to B in ns, and the path as node names separated by spaces\n"
		"(both empty when B is unreachable). CSV `t_ns,rtt_ns,path` by\n"
		"default. The links and routes are those a run started at the\n"
		"epoch has at each moment (its routing step replayed when links\n"
		"have a history); --no-history decides them at each moment\n"
		"alone. Faults (the events file, --events FILE instead, random\n"
		"faults, the eclipse policy) are replayed as a run applies them,\n"
		"a set link's added delay included in the RTT. --plot also\n"
		"draws RTT against time as an SVG chart, each path change\n"
		"marked.\n");
}

static void path_print(enum path_format fmt, const struct scenario *s,
		       const uint32_t *hops, size_t n, int64_t rtt_ns,
		       int64_t t, int64_t t_rel, bool first)
{
	const struct constel *c = &s->constel;
	/* names of a-z, 0-9 and '-' (config.c): never a space; 256 kB,
	 * off the stack */
	static char field[CMD_MAX_HOPS * CONSTEL_NAME_MAX];
	char when[40];
	size_t len = 0;

	switch (fmt) {
	case PATH_CSV:
		field[0] = '\0';
		for (size_t i = 0; i < n; i++)
			len += (size_t)snprintf(field + len,
						sizeof(field) - len, "%s%s",
						i ? " " : "",
						c->node[hops[i]].name);
		printf("%lld,", (long long)t_rel);
		if (n)
			printf("%lld,", (long long)rtt_ns);
		else
			printf(",");
		cmd_csv_field(stdout, field);
		printf("\n");
		break;
	case PATH_TEXT:
		utc_format_iso8601(t, 3, when, sizeof(when));
		if (!n) {
			printf("%s %15.9f unreachable\n", when, t_rel / 1e9);
			break;
		}
		printf("%s %15.9f %10.6f %3zu ", when, t_rel / 1e9,
		       rtt_ns / 1e6, n - 1);
		for (size_t i = 0; i < n; i++)
			printf("%s%s", i ? " " : "", c->node[hops[i]].name);
		printf("\n");
		break;
	case PATH_JSON:
		utc_format_iso8601(t, 9, when, sizeof(when));
		printf("%s\n    {\"t_ns\": %lld, \"time\": \"%s\", \"rtt_ns\": ",
		       first ? "" : ",", (long long)t_rel, when);
		if (n)
			printf("%lld, \"path\": [", (long long)rtt_ns);
		else
			printf("null, \"path\": [");
		for (size_t i = 0; i < n; i++) {
			printf("%s", i ? ", " : "");
			json_str(stdout, c->node[hops[i]].name);
		}
		printf("]}");
		break;
	}
}

static bool path_parse_format(const char *s, enum path_format *fmt)
{
	if (!strcmp(s, "csv"))
		*fmt = PATH_CSV;
	else if (!strcmp(s, "text"))
		*fmt = PATH_TEXT;
	else if (!strcmp(s, "json"))
		*fmt = PATH_JSON;
	else
		return false;
	return true;
}

/*
 * The moments t0, t0 + dt, ... up to t1, counted without overflow: *count
 * moments, or false (after saying why) beyond CMD_MAX_MOMENTS.
 */
static bool path_moments(const char *from, const char *to, const char *step,
			 int64_t t0, int64_t t1, int64_t dt, uint64_t *count)
{
	uint64_t n;

	if (t1 < t0) {
		log_err(0, "--to \"%s\" is before --from "
			"\"%s\"", to, from);
		return false;
	}
	/* t1 - t0 may not fit in int64; in uint64 it always does */
	n = ((uint64_t)t1 - (uint64_t)t0) / (uint64_t)dt;
	if (n >= CMD_MAX_MOMENTS) {
		log_err(0, "--from \"%s\" --to \"%s\" "
			"--step \"%s\" give %llu moments, more than the limit "
			"of %d: use a larger --step or a shorter span",
			from, to, step, (unsigned long long)n + 1,
			CMD_MAX_MOMENTS);
		return false;
	}
	*count = n + 1;
	return true;
}

/* --plot: the chart of the moments printed. 0 or -errno, said. */
static int path_plot(const char *out, const char *a, const char *b,
		     const struct plot_sample *v, size_t n)
{
	char title[2 * CONSTEL_NAME_MAX + 32];
	int ret;

	snprintf(title, sizeof(title), "RTT from %s to %s", a, b);
	ret = plot_rtt(out, title, v, n);
	if (ret < 0)
		log_err(ret, "--plot: cannot write \"%s\"", out);
	return ret;
}

/*
 * --plot: whether out can be written, asked before the moments are
 * computed (which can take minutes), so that a typo costs nothing.
 */
static bool path_plot_writable(const char *out)
{
	FILE *f = fopen(out, "w");

	if (!f) {
		log_err(-errno, "--plot: cannot write \"%s\"", out);
		return false;
	}
	fclose(f);
	return true;
}

int cmd_path(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "step", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'F' },
		{ "no-history", no_argument, NULL, 'n' },
		{ "events", required_argument, NULL, 'e' },
		{ "plot", required_argument, NULL, 'p' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *from = "0", *to = NULL, *step = "1s", *file = NULL;
	const char *pos[3], *why, *events = NULL, *plot = NULL;
	struct plot_sample *samples = NULL;
	uint32_t prev[CMD_MAX_HOPS];
	size_t nprev = 0;
	enum path_format fmt = PATH_CSV;
	struct config *cfg = NULL;
	struct topo_replay r;
	struct cmd_down down;
	struct progress pr_steps, pr_moments;
	struct scenario s;
	int64_t t0, t1, dt;
	uint64_t count;
	long a, b;
	bool verbose = false, fresh = false;
	int opt, npos = 0, ret = 1;
	uint32_t extra[2];

	while ((opt = getopt_long(argc, argv, "f:t:s:e:vh", opts, NULL)) !=
	       -1) {
		switch (opt) {
		case 'e':
			events = optarg;
			break;
		case 'p':
			plot = optarg;
			break;
		case 'f':
			from = optarg;
			break;
		case 't':
			to = optarg;
			break;
		case 's':
			step = optarg;
			break;
		case 'F':
			if (!path_parse_format(optarg, &fmt)) {
				log_err(0, "format \"%s\" "
					"is not csv, text or json", optarg);
				return 1;
			}
			break;
		case 'n':
			fresh = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			path_usage(stdout);
			return 0;
		default:
			path_usage(stderr);
			return 1;
		}
	}
	while (optind < argc && npos < 3)
		pos[npos++] = argv[optind++];
	if (optind < argc || npos < 2) {
		path_usage(stderr);
		return 1;
	}
	if (npos == 3)
		file = pos[0];
	if (cmd_load(file, events, verbose, &cfg, &s) < 0)
		return 1;
	a = constel_find(&s.constel, pos[npos - 2]);
	b = constel_find(&s.constel, pos[npos - 1]);
	if (a < 0 || b < 0) {
		log_err(0, "node \"%s\" does not exist",
			a < 0 ? pos[npos - 2] : pos[npos - 1]);
		goto out_scenario;
	}
	if (!to)
		to = from;
	if (!cmd_parse_moment("--from", from, cfg->epoch_unix_ns,
			      &t0) ||
	    !cmd_parse_moment("--to", to, cfg->epoch_unix_ns, &t1))
		goto out_scenario;
	if (!units_parse_time_arg(step, &dt, &why) ||
	    (dt <= 0 && (why = "is not positive"))) {
		log_err(0, "--step \"%s\" %s", step,
			why);
		goto out_scenario;
	}
	if (!path_moments(from, to, step, t0, t1, dt, &count))
		goto out_scenario;
	extra[0] = (uint32_t)a;
	extra[1] = (uint32_t)b;
	if (cmd_replay_init(&s, cfg, extra, 2, fresh, &r) < 0)
		goto out_scenario;
	if (!cmd_replay_bounded(&r, t1, "--to", to))
		goto out_replay;
	if (cmd_down_init(&down, s.constel.nsat) < 0)
		goto out_nomem;
	if (plot && !path_plot_writable(plot))
		goto out_down;
	if (plot && !(samples = calloc(count, sizeof(*samples))))
		goto out_nomem;
	if (fmt == PATH_CSV) {
		printf("t_ns,rtt_ns,path\n");
	} else if (fmt == PATH_TEXT) {
		printf("# %s to %s: time t_s rtt_ms hops path\n",
		       pos[npos - 2], pos[npos - 1]);
	} else {
		printf("{\"a\": ");
		json_str(stdout, pos[npos - 2]);
		printf(", \"b\": ");
		json_str(stdout, pos[npos - 1]);
		printf(",\n  \"samples\": [");
	}
	progress_begin(&pr_steps, "replaying steps", 0);
	progress_begin(&pr_moments, "moments", count);
	r.progress = progress_cb;
	r.progress_arg = &pr_steps;
	for (uint64_t i = 0; i < count; i++) {
		int64_t t = t0 + (int64_t)i * dt, rtt = 0;
		uint32_t hops[CMD_MAX_HOPS];
		size_t n;

		progress_update(&pr_moments, i);
		if (topo_replay_at(&r, t) < 0)
			goto out_nomem;
		cmd_down_add(&down, r.pos);
		n = cmd_route(&r, (uint32_t)a, (uint32_t)b, hops, &rtt);
		path_print(fmt, &s, hops, n, rtt, t, t - cfg->epoch_unix_ns,
			   i == 0);
		if (!samples)
			continue;
		samples[i].t_ns = t - cfg->epoch_unix_ns;
		samples[i].rtt_ns = n ? rtt : -1;
		samples[i].change = i > 0 && (n != nprev ||
			memcmp(hops, prev, n * sizeof(*hops)) != 0);
		memcpy(prev, hops, n * sizeof(*hops));
		nprev = n;
	}
	progress_end(&pr_steps);
	progress_end(&pr_moments);
	if (fmt == PATH_JSON)
		printf("\n  ]\n}\n");
	ret = fflush(stdout) == 0 ? 0 : 1;
	cmd_down_report(&down, &s.constel, verbose);
	cmd_repoint_report(&r, s.constel.nsat);
	if (samples && path_plot(plot, pos[npos - 2], pos[npos - 1], samples,
				 count) < 0)
		ret = 1;
	goto out_down;
out_nomem:
	log_err(-ENOMEM, "cannot compute the path");
out_down:
	free(samples);
	cmd_down_free(&down);
out_replay:
	topo_replay_free(&r);
out_scenario:
	scenario_free(&s);
	config_free(cfg);
	return ret;
}
