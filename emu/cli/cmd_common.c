// SPDX-License-Identifier: MIT
/* cmd_common.c - loading a scenario, times, CSV fields and running a command, for the commands */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emu/cli/cmd_common.h"
#include "emu/conf/units.h"
#include "emu/run/log.h"
#include "tap/nodestate.h"
#include "topo/consts.h"
#include "topo/utc.h"

/* "... and 12 more warnings" after the messages a diag kept. */
static void cmd_load_unlisted(const struct diag *d, enum diag_kind kind)
{
	size_t more = diag_unlisted(d, kind);

	if (more)
		log_info("... and %zu more %s", more, diag_noun(kind, more));
}

int cmd_load(const char *path, const char *events, bool verbose,
	     struct config **cfg, struct scenario *s)
{
	struct diag d;
	int ret;

	diag_init(&d);
	ret = config_load(path, cfg, &d);
	if (ret == 0) {
		ret = scenario_build(s, *cfg, &d);
		if (ret == 0) {
			ret = scenario_faults(s, events, &d);
			if (ret < 0)
				scenario_free(s);
		}
		if (ret < 0) {
			config_free(*cfg);
			*cfg = NULL;
		}
	}
	/* the messages carry their file:line and "warning: " already */
	for (size_t i = 0; i < d.n; i++) {
		bool warn = d.kind[i] == DIAG_WARNING;

		if (!warn || verbose || ret < 0)
			log_info("%s", d.msg[i]);
	}
	cmd_load_unlisted(&d, DIAG_ERROR);
	if (verbose || ret < 0)
		cmd_load_unlisted(&d, DIAG_WARNING);
	if (ret == 0 && d.warnings && !verbose)
		log_info("%zu %s (-v lists them)", d.warnings,
			 diag_noun(DIAG_WARNING, d.warnings));
	if (ret == -ENOMEM)
		log_err(-ENOMEM, "cannot load \"%s\"", path ? path : "");
	diag_free(&d);
	return ret;
}

/* YYYY-: the start of an ISO-8601 date, never of a duration. */
static bool cmd_looks_iso(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return s[4] == '-';
}

/*
 * The range error. A moment must fit in int64 ns and so must its distance
 * from the epoch: with an epoch in 2026, 1733 to 2262. Named in whole
 * seconds inside the range.
 */
static void cmd_moment_range(const char *opt, const char *s,
			     int64_t epoch)
{
	int64_t lo = epoch >= 0 ? epoch + INT64_MIN : INT64_MIN;
	int64_t hi = epoch <= 0 ? epoch + INT64_MAX : INT64_MAX;
	char e[40], l[40], h[40];

	utc_format_iso8601(epoch, 0, e, sizeof(e));
	utc_format_iso8601(lo + (UTC_NS_PER_S - 1), 0, l, sizeof(l));
	utc_format_iso8601(hi, 0, h, sizeof(h));
	log_err(0, "%s \"%s\" is outside the times lasermesh represents "
		"with the epoch %s: %s to %s (%lld s after the epoch at most; "
		"int64 ns since 1970 and since the epoch)", opt, s, e, l, h,
		(long long)((hi - epoch) / UTC_NS_PER_S));
}

bool cmd_parse_moment(const char *opt, const char *s,
		      int64_t epoch_unix_ns, int64_t *unix_ns)
{
	const char *why = "is empty";
	int64_t rel, t, d;

	if (s && *s && cmd_looks_iso(s)) {
		if (!utc_parse(s, &t, &why)) {
			log_err(0, "%s \"%s\" %s", opt, s, why);
			return false;
		}
	} else if (!s || !*s || !units_parse_time_arg(s, &rel, &why)) {
		if (s && !strcmp(why, "is too large")) {
			cmd_moment_range(opt, s, epoch_unix_ns);
			return false;
		}
		if (s && *s == '-')
			why = "is negative (write a time before the epoch as "
			      "an ISO-8601 UTC time)";
		else if (s && *s)
			why = "is neither a time after the epoch (90, 1.5s, "
			      "10ms, 2h) nor an ISO-8601 UTC time "
			      "(2026-02-23T00:10:00Z)";
		log_err(0, "%s \"%s\" %s", opt,
			s ? s : "", why);
		return false;
	} else if (__builtin_add_overflow(epoch_unix_ns, rel, &t)) {
		cmd_moment_range(opt, s, epoch_unix_ns);
		return false;
	}
	if (__builtin_sub_overflow(t, epoch_unix_ns, &d)) {
		cmd_moment_range(opt, s, epoch_unix_ns);
		return false;
	}
	*unix_ns = t;
	return true;
}

int cmd_replay_init(struct scenario *s,
		    const struct config *cfg, const uint32_t *extra,
		    size_t nextra, bool fresh, struct topo_replay *r)
{
	int ret;

	scenario_use_threads(s, NULL);
	ret = scenario_prepare(s, extra, nextra);

	if (!ret)
		ret = topo_replay_init(r, &s->model, cfg->epoch_unix_ns,
				       cfg->step_ns, fresh, NULL);
	if (!ret && scenario_has_faults(s)) {
		struct fault_plan p;

		ret = scenario_fault_plan(s, &p);
		if (!ret)
			topo_replay_take_plan(r, &p);
		else
			topo_replay_free(r);
	}
	if (ret)
		log_err(ret, "cannot prepare the model");
	return ret;
}

bool cmd_replay_bounded(const struct topo_replay *r,
			int64_t t, const char *opt, const char *val)
{
	uint64_t n = topo_replay_cost(r, t);

	if (n <= CMD_MAX_REPLAY)
		return true;
	log_err(0, "%s \"%s\" needs %llu steps of %.6g s "
		"replayed from the epoch (the links have a history), more "
		"than the limit of %d: ask for an earlier time, use a larger "
		"[emulation] step, or --no-history", opt, val,
		(unsigned long long)n, (double)r->step_ns / 1e9,
		CMD_MAX_REPLAY);
	return false;
}

void cmd_repoint_report(const struct topo_replay *r, size_t nsat)
{
	double hours = (double)r->k * (double)r->step_ns / 3600e9;

	if (!r->m->isl.repoint_ns || r->k <= 0 || !nsat)
		return;
	/* a released link re-points a terminal at each of its ends */
	log_info("re-pointing: %llu terminals re-pointed in %.3f h of orbit, "
		 "%.2f per satellite per hour",
		 (unsigned long long)(2 * r->repointed), hours,
		 2.0 * (double)r->repointed / (double)nsat / hours);
}

int cmd_down_init(struct cmd_down *d, size_t nsat)
{
	memset(d, 0, sizeof(*d));
	d->nsat = nsat;
	d->why = calloc(nsat ? nsat : 1, sizeof(*d->why));
	d->when = calloc(nsat ? nsat : 1, sizeof(*d->when));
	if (!d->why || !d->when) {
		cmd_down_free(d);
		return -ENOMEM;
	}
	return 0;
}

void cmd_down_add(struct cmd_down *d, const struct topo_state *st)
{
	if (!st->cnt.sat_down)
		return;
	for (size_t i = 0; i < d->nsat && i < st->nsat; i++) {
		/* a failure of the fault plan is no placement problem */
		if (st->up[i] || d->why[i] || st->down[i] == TOPO_DOWN_FAULT)
			continue;
		d->why[i] = st->down[i] ? st->down[i] : TOPO_DOWN_NAN;
		d->when[i] = st->unix_ns;
		d->n++;
	}
}

void cmd_down_report(const struct cmd_down *d,
		     const struct constel *c, bool verbose)
{
	size_t count[256] = { 0 };
	char why[128], when[40], list[1024];
	const char *sep = "";
	size_t n = 0;

	if (!d->n)
		return;
	for (size_t i = 0; i < d->nsat; i++)
		count[d->why[i]]++;
	list[0] = '\0';
	for (unsigned w = 1; w < 256 && n < sizeof(list); w++) {
		if (!count[w])
			continue;
		topo_down_format(w, why, sizeof(why));
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%zu %s",
				      sep, count[w], why);
		sep = "; ";
	}
	log_info("%zu of %zu satellites cannot be placed and are left out "
		 "(%s)%s", d->n, d->nsat, list,
		 verbose ? "" : "; -v names them");
	if (!verbose)
		return;
	for (size_t i = 0; i < d->nsat; i++) {
		if (!d->why[i])
			continue;
		topo_down_format(d->why[i], why, sizeof(why));
		utc_format_iso8601(d->when[i], 3, when, sizeof(when));
		log_info("%s: %s (at %s)", c->node[i].name, why, when);
	}
}

void cmd_down_free(struct cmd_down *d)
{
	free(d->why);
	free(d->when);
	memset(d, 0, sizeof(*d));
}

void cmd_csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

char **cmd_netns_argv(const char *node, char *const *cmd)
{
	static const char *const head[] = { "ip", "netns", "exec" };
	size_t n = 0, h = sizeof(head) / sizeof(head[0]);
	char **argv;

	while (cmd[n])
		n++;
	argv = calloc(h + 1 + n + 1, sizeof(*argv));
	if (!argv)
		return NULL;
	for (size_t i = 0; i < h; i++)
		argv[i] = (char *)head[i];
	argv[h] = (char *)node;
	memcpy(argv + h + 1, cmd, n * sizeof(*argv));
	return argv;
}

bool cmd_node_cgroup(const char *node, struct freezer *fz)
{
	int ret;

	if (freezer_open(fz) < 0)
		return false;	/* nothing to freeze with: say nothing */
	ret = freezer_node_create(fz, node);
	if (ret < 0) {
		log_warn(0, "%s; node \"%s\" runs the command but cannot "
			 "freeze it", fz->err, node);
		return false;
	}
	return true;
}

void cmd_state_env(const char *node)
{
	char path[PATH_MAX];

	nodestate_path(node, path, sizeof(path));
	setenv("LASERMESH_STATE", path, 1);
}

void cmd_node_cgroup_join(const char *node, struct freezer *fz)
{
	if (freezer_join(fz, node, 0) < 0)
		log_warn(0, "%s; node \"%s\" runs the command but cannot "
			 "freeze it", fz->err, node);
}

int cmd_exec_status(int err)
{
	return err == ENOENT || err == ENOTDIR ? 127 : 126;
}

/* 0 if path is a regular file we may execute, else an errno. */
static int cmd_exec_ok(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return errno;
	if (S_ISDIR(st.st_mode))
		return EISDIR;
	if (access(path, X_OK) < 0)
		return errno;
	return 0;
}

int cmd_runnable(const char *cmd)
{
	const char *path = getenv("PATH");
	int err = ENOENT, e;

	if (!cmd || !*cmd) {
		log_err(0, "no command given");
		return 127;
	}
	if (strchr(cmd, '/')) {
		err = cmd_exec_ok(cmd);
	} else {
		/* execvp's default search path when PATH is unset */
		if (!path)
			path = "/bin:/usr/bin";
		while (err) {
			const char *end = strchrnul(path, ':');
			char *full;
			int len = (int)(end - path);

			if (asprintf(&full, "%.*s%s%s", len, path,
				     len ? "/" : "", cmd) < 0)
				return 127;
			e = cmd_exec_ok(full);
			free(full);
			/* a match that cannot run is remembered, not final */
			if (!e || err == ENOENT || err == ENOTDIR)
				err = e;
			if (!*end)
				break;
			path = end + 1;
		}
	}
	if (!err)
		return 0;
	log_err(0, "cannot run \"%s\": %s", cmd,
		err == ENOENT ? "command not found" : strerror(err));
	return cmd_exec_status(err);
}

size_t cmd_route(const struct topo_replay *r, uint32_t a, uint32_t b,
		 uint32_t *hops, int64_t *rtt_ns)
{
	const struct route_table *rt = &r->links->routes;
	const struct fault_state *fs = &r->links->faults;
	long di = route_dest_index(rt, b);
	int64_t extra = 0;
	size_t n;
	double km = 0.0;

	n = di < 0 ? 0 : route_path(rt, (size_t)di, a, hops, CMD_MAX_HOPS);
	if (!n || n > CMD_MAX_HOPS)
		return 0;
	if (r->pos == r->links) {
		km = route_dist(rt, (size_t)di, a);
	} else {
		/* the step's route, each link's length at the moment */
		for (size_t i = 0; i + 1 < n; i++)
			km += topo_replay_length(r, hops[i], hops[i + 1]);
	}
	/* a `set link ... delay` fault adds its delay on each way */
	for (size_t i = 0; fs->nlinks && i + 1 < n; i++) {
		const struct fault_link *l =
			fault_link_find(fs, hops[i], hops[i + 1]);

		if (l && (l->set.has & FAULT_SET_DELAY))
			extra += l->set.delay_ns;
	}
	*rtt_ns = llround(2.0 * km * TOPO_NS_PER_KM) + 2 * extra;
	return n;
}
