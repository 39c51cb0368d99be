// SPDX-License-Identifier: MIT
/* bench_stalls.c - how late this machine wakes a real-time timer, per CPU */
/*
 * usage: bench_stalls [SECONDS [INTERVAL_US [PRIORITY [STALLS_FILE
 *                     [THRESHOLD_US]]]]]
 *
 * The floor under lasermesh's release timing: one thread per online CPU,
 * pinned to it, at SCHED_FIFO PRIORITY (default 99, above the data plane's
 * 10) with its memory locked, sleeps to absolute CLOCK_MONOTONIC times
 * INTERVAL_US apart (default 1000) for SECONDS (default 10) and records how
 * late each wake-up is, as cyclictest(8) does. Nothing in the guest can
 * run sooner than this thread: a wake-up that is milliseconds late is the
 * CPU taken away (by the host, for a VM), and any release of lasermesh's
 * due in that window is late by as much. The steal time the kernel counted
 * meanwhile (/proc/stat) is printed beside it.
 *
 * With STALLS_FILE, every wake-up at least THRESHOLD_US late (default 50)
 * is written there as "CPU DUE_NS LATE_NS" (DUE_NS on CLOCK_REALTIME), so
 * that scripts/bench/data/owd.py stalls can ask which late probes fell in
 * such a window. Its own cost: one short wake-up per CPU per interval.
 * SIGTERM or SIGINT ends it early, with its report.
 */

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define NS 1000000000LL
#define BUCKETS 20000		/* 1 µs buckets up to 20 ms, then one more */
#define MAX_CPUS 64
#define MAX_STALLS 200000

struct stall {
	int64_t due_rt;
	int64_t late;
};

struct watch {
	pthread_t thread;
	int cpu;
	int64_t interval, until, threshold;
	int prio;
	bool fifo;			/* got SCHED_FIFO */
	uint64_t hist[BUCKETS + 1];
	uint64_t wakes;
	int64_t max, late_sum_100;	/* ns; sum of wake-ups >= 100 µs late */
	struct stall *stalls;
	size_t nstalls, dropped;
};

static volatile sig_atomic_t stop;	/* SIGTERM or SIGINT: end early */

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int64_t now_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec * NS + ts.tv_nsec;
}

static void *watch_run(void *arg)
{
	struct watch *w = arg;
	struct sched_param sp = { .sched_priority = w->prio };
	cpu_set_t set;
	int64_t due;

	CPU_ZERO(&set);
	CPU_SET(w->cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	w->fifo = pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp) == 0;
	due = now_ns(CLOCK_MONOTONIC) + w->interval;
	while (due < w->until && !stop) {
		struct timespec ts = { due / NS, due % NS };
		int64_t mono, rt, late;

		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
				       NULL) == EINTR)
			;
		mono = now_ns(CLOCK_MONOTONIC);
		rt = now_ns(CLOCK_REALTIME);
		late = mono - due;
		if (late < 0)
			late = 0;
		w->hist[late / 1000 < BUCKETS ? late / 1000 : BUCKETS]++;
		w->wakes++;
		if (late > w->max)
			w->max = late;
		if (late >= 100000)
			w->late_sum_100 += late;
		if (w->stalls && late >= w->threshold) {
			if (w->nstalls < MAX_STALLS)
				w->stalls[w->nstalls++] = (struct stall){
					rt - (mono - due), late };
			else
				w->dropped++;
		}
		/* a long stall skips the missed wake-ups, as a timer would */
		due += w->interval;
		if (due < mono)
			due += (mono - due) / w->interval * w->interval +
			       w->interval;
	}
	return NULL;
}

/* The percentile p (0-100) of a histogram, in µs (nearest rank). */
static double hist_pct(const uint64_t *h, uint64_t n, double p)
{
	uint64_t want = (uint64_t)(p / 100.0 * (double)n + 0.999999), seen = 0;

	if (want < 1)
		want = 1;
	for (int i = 0; i <= BUCKETS; i++) {
		seen += h[i];
		if (seen >= want)
			return i;
	}
	return BUCKETS;
}

/* Steal ticks of cpuN (or the "cpu" total for -1) from /proc/stat. */
static long long steal_ticks(int cpu)
{
	char want[32], line[512];
	long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "r");

	if (!f)
		return -1;
	if (cpu < 0)
		snprintf(want, sizeof(want), "cpu ");
	else
		snprintf(want, sizeof(want), "cpu%d ", cpu);
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, want, strlen(want)) == 0) {
			sscanf(line + strlen(want), "%lld %lld %lld %lld %lld "
			       "%lld %lld %lld", &v[0], &v[1], &v[2], &v[3],
			       &v[4], &v[5], &v[6], &v[7]);
			fclose(f);
			return v[7];
		}
	}
	fclose(f);
	return -1;
}

static void report(const char *who, const struct watch *w, long long steal,
		   double secs)
{
	double hz = (double)sysconf(_SC_CLK_TCK);
	uint64_t over100 = 0, over1000 = 0;

	for (int i = 100; i <= BUCKETS; i++) {
		over100 += w->hist[i];
		if (i >= 1000)
			over1000 += w->hist[i];
	}
	printf("stalls %s: wakes=%llu p50=%.0f p99=%.0f p99.9=%.0f max=%.0f us; "
	       ">=100us %llu (%.2f/s), >=1ms %llu (%.2f/s), time in them "
	       "%.1f ms; steal %.0f ms%s\n", who,
	       (unsigned long long)w->wakes, hist_pct(w->hist, w->wakes, 50),
	       hist_pct(w->hist, w->wakes, 99),
	       hist_pct(w->hist, w->wakes, 99.9), (double)w->max / 1e3,
	       (unsigned long long)over100, (double)over100 / secs,
	       (unsigned long long)over1000, (double)over1000 / secs,
	       (double)w->late_sum_100 / 1e6,
	       steal < 0 ? -1.0 : (double)steal * 1e3 / hz,
	       w->fifo ? "" : " (no SCHED_FIFO: normal priority)");
}

static long arg(int argc, char **argv, int i, long def, long lo, long hi)
{
	char *end;
	long v;

	if (argc <= i)
		return def;
	errno = 0;
	v = strtol(argv[i], &end, 10);
	if (errno || end == argv[i] || *end || v < lo || v > hi) {
		fprintf(stderr, "bench_stalls: argument %d \"%s\" is not a "
			"number in [%ld, %ld]\n", i, argv[i], lo, hi);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	long secs = arg(argc, argv, 1, 10, 1, 86400);
	long interval = arg(argc, argv, 2, 1000, 50, 1000000);
	long prio = arg(argc, argv, 3, 99, 1, 99);
	const char *file = argc > 4 ? argv[4] : NULL;
	long thresh = arg(argc, argv, 5, 50, 1, 1000000);
	int ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);
	static struct watch w[MAX_CPUS];
	static struct watch all;
	long long s0[MAX_CPUS], s0all;
	int64_t start, until;
	double elapsed;
	FILE *out = NULL;

	if (ncpu < 1 || ncpu > MAX_CPUS) {
		fprintf(stderr, "bench_stalls: %d CPUs: 1 to %d expected\n",
			ncpu, MAX_CPUS);
		return 1;
	}
	if (file) {
		out = fopen(file, "w");
		if (!out) {
			fprintf(stderr, "bench_stalls: %s: %s\n", file,
				strerror(errno));
			return 1;
		}
	}
	if (mlockall(MCL_CURRENT | MCL_FUTURE) < 0)
		fprintf(stderr, "bench_stalls: mlockall: %s (going on)\n",
			strerror(errno));
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	start = now_ns(CLOCK_MONOTONIC);
	until = start + secs * NS;
	s0all = steal_ticks(-1);
	for (int c = 0; c < ncpu; c++) {
		w[c].cpu = c;
		w[c].interval = interval * 1000;
		w[c].until = until;
		w[c].threshold = thresh * 1000;
		w[c].prio = (int)prio;
		if (out) {
			w[c].stalls = calloc(MAX_STALLS, sizeof(*w[c].stalls));
			if (!w[c].stalls) {
				fprintf(stderr, "bench_stalls: out of memory\n");
				return 1;
			}
		}
		s0[c] = steal_ticks(c);
		if (pthread_create(&w[c].thread, NULL, watch_run, &w[c])) {
			fprintf(stderr, "bench_stalls: cannot start a thread\n");
			return 1;
		}
	}
	printf("# bench_stalls: %d CPUs, up to %ld s, a wake-up every %ld us at "
	       "SCHED_FIFO %ld; lateness of each wake-up (cyclictest's "
	       "measure)\n", ncpu, secs, interval, prio);
	all.fifo = true;
	for (int c = 0; c < ncpu; c++)
		pthread_join(w[c].thread, NULL);
	elapsed = (double)(now_ns(CLOCK_MONOTONIC) - start) / 1e9;
	for (int c = 0; c < ncpu; c++) {
		char who[16];

		snprintf(who, sizeof(who), "cpu%d", c);
		report(who, &w[c], s0[c] < 0 ? -1 : steal_ticks(c) - s0[c],
		       elapsed);
		for (int i = 0; i <= BUCKETS; i++)
			all.hist[i] += w[c].hist[i];
		all.wakes += w[c].wakes;
		all.late_sum_100 += w[c].late_sum_100;
		if (w[c].max > all.max)
			all.max = w[c].max;
		all.fifo = all.fifo && w[c].fifo;
		for (size_t i = 0; out && i < w[c].nstalls; i++)
			fprintf(out, "%d %lld %lld\n", c,
				(long long)w[c].stalls[i].due_rt,
				(long long)w[c].stalls[i].late);
		if (w[c].dropped)
			fprintf(stderr, "bench_stalls: cpu%d: %zu stalls not "
				"written (more than %d)\n", c, w[c].dropped,
				MAX_STALLS);
		free(w[c].stalls);
	}
	report("all", &all, s0all < 0 ? -1 : steal_ticks(-1) - s0all,
	       elapsed);
	if (out && fclose(out) != 0) {
		fprintf(stderr, "bench_stalls: %s: write failed\n", file);
		return 1;
	}
	return 0;
}
