// SPDX-License-Identifier: MIT
/* cmd_ctl.c - `lasermesh ctl [RUN] COMMAND`: talk to a running mesh through its control socket */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emu/cli/cmd.h"
#include "emu/run/ctl.h"
#include "emu/run/log.h"
#include "tap/runfile.h"

static const char *const ctl_words[] = {
	"status", "down", "up", "set", "pause", "resume", "time-scale",
	"events",
};

static void ctl_usage(FILE *f)
{
	fprintf(f,
		"usage: lasermesh ctl [RUN] COMMAND [ARGS...]\n"
		"Talk to a running mesh (root only). RUN is the pid of the\n"
		"run or one of its tapped nodes; without it, the only run up.\n"
		"Commands (the answer is one JSON object on stdout):\n"
		"  status                  orbital time, scale, links, counters,\n"
		"                          faults in force\n"
		"  down node NAME [freeze] | up node NAME\n"
		"  down ground NAME        | up ground NAME\n"
		"  down link A B           | up link A B\n"
		"  set link A B [loss P%%] [rate R] [delay +T]\n"
		"  down terminal SAT I     | up terminal SAT I\n"
		"                          as in an events file, in force from\n"
		"                          the next step computed\n"
		"  pause | resume          stop and restart orbital time\n"
		"                          (packets keep flowing)\n"
		"  time-scale X            orbital seconds per wall second\n"
		"  events                  the timeline applied so far\n"
		"Exits 0 when the run accepted the command, 1 otherwise.\n");
}

static bool ctl_is_word(const char *s)
{
	for (size_t i = 0; i < sizeof(ctl_words) / sizeof(*ctl_words); i++)
		if (!strcmp(s, ctl_words[i]))
			return true;
	return false;
}

/* Is s a pid (digits only)? */
static bool ctl_is_pid(const char *s, pid_t *pid)
{
	char *end;
	long v;

	if (!*s || strspn(s, "0123456789") != strlen(s))
		return false;
	v = strtol(s, &end, 10);
	if (v <= 0 || v > 4194304)
		return false;
	*pid = (pid_t)v;
	return true;
}

/*
 * The run named by sel (a pid or one of its tapped nodes; NULL: the only
 * live run). 0 with *pid, or 1 after saying why.
 */
static int ctl_find_run(const char *sel, pid_t *pid)
{
	struct runfile *runs = NULL;
	size_t n = 0, live = 0;
	pid_t want = 0, found = 0;
	bool by_pid = sel && ctl_is_pid(sel, &want);
	int ret;

	ret = runfile_list(&runs, &n);
	if (ret < 0 && ret != -ENOENT) {
		log_err(ret, "cannot list the runs under %s", MARK_DIR);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		if (!runs[i].alive)
			continue;
		live++;
		if (!sel) {
			found = runs[i].owner.pid;
			continue;
		}
		if (by_pid && runs[i].owner.pid == want)
			found = want;
		for (size_t j = 0; !by_pid && j < runs[i].n; j++)
			if (!strcmp(runs[i].names[j], sel))
				found = runs[i].owner.pid;
	}
	runfile_list_free(runs, n);
	if (!live) {
		log_err(0, "no run is up (start one with lasermesh run)");
		return 1;
	}
	if (!sel && live > 1) {
		log_err(0, "%zu runs are up: name one by its pid or a tapped "
			"node (lasermesh ctl RUN COMMAND)", live);
		return 1;
	}
	if (!found) {
		if (by_pid)
			log_err(0, "run %s is not up (is the pid right?)", sel);
		else
			log_err(0, "\"%s\" is neither a command nor a tapped "
				"node of a run that is up", sel);
		return 1;
	}
	*pid = found;
	return 0;
}

/*
 * The "error" string of a JSON answer, its \" and \\ undone (other
 * escapes, of control characters, stay escaped on a terminal).
 */
static void ctl_say_error(const char *reply)
{
	const char *p = strstr(reply, "\"error\":\"");
	char msg[512];
	size_t n = 0;

	if (!p) {
		log_err(0, "the run refused the command");
		return;
	}
	for (p += strlen("\"error\":\""); *p && *p != '"' &&
	     n + 1 < sizeof(msg); p++) {
		if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
			p++;
		msg[n++] = *p;
	}
	msg[n] = '\0';
	log_err(0, "%s", msg);
}

int cmd_ctl(int argc, char **argv)
{
	const char *sel = NULL;
	char *line = NULL, *reply = NULL;
	size_t len = 0;
	pid_t pid;
	int i = 1, ret;

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		ctl_usage(stdout);
		return 0;
	}
	if (argc < 2) {
		ctl_usage(stderr);
		return 1;
	}
	if (!ctl_is_word(argv[1])) {
		sel = argv[1];
		i = 2;
	}
	if (i >= argc) {
		if (sel)
			log_err(0, "\"%s\" is not a command (status, down, up, "
				"set, pause, resume, time-scale, events)", sel);
		else
			ctl_usage(stderr);
		return 1;
	}
	if (!ctl_is_word(argv[i])) {
		log_err(0, "\"%s\" is not a command (status, down, up, set, "
			"pause, resume, time-scale, events)", argv[i]);
		return 1;
	}
	if (geteuid() != 0) {
		log_err(0, "needs root (a run's control socket is root's); "
			"try sudo");
		return 1;
	}
	if (ctl_find_run(sel, &pid))
		return 1;
	for (int k = i; k < argc; k++)
		len += strlen(argv[k]) + 1;
	line = malloc(len + 1);
	if (!line) {
		log_err(-ENOMEM, "ctl");
		return 1;
	}
	line[0] = '\0';
	for (int k = i; k < argc; k++) {
		if (k > i)
			strcat(line, " ");
		strcat(line, argv[k]);
	}
	if (strchr(line, '\n')) {
		log_err(0, "a command is one line");
		free(line);
		return 1;
	}
	ret = ctl_request(pid, line, &reply);
	free(line);
	if (ret < 0) {
		if (ret == -ENOENT || ret == -ECONNREFUSED)
			log_err(0, "run %d has no control socket (it is ending, "
				"or was started with --no-ctl)", (int)pid);
		else if (ret == -ETIMEDOUT)
			log_err(0, "run %d did not answer within %d s (is it "
				"stopped?)", (int)pid, CTL_CLIENT_TIMEOUT_S);
		else
			log_err(ret, "cannot talk to run %d", (int)pid);
		return 1;
	}
	fputs(reply, stdout);
	ret = strncmp(reply, "{\"ok\":true", 10) == 0 ? 0 : 1;
	if (ret)
		ctl_say_error(reply);
	free(reply);
	return ret;
}
