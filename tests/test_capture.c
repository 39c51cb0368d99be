// SPDX-License-Identifier: MIT
/* test_capture.c - pcap files: frames, lengths, snaplen, nanosecond times, full disks */
#include <errno.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "emu/run/capture.h"

static char dir[64];

static void tmp_setup(void)
{
	strcpy(dir, "/tmp/lmt-capture-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void tmp_teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		cr_log_warn("could not remove %s", dir);
}

TestSuite(capture, .init = tmp_setup, .fini = tmp_teardown);

static void fill(uint8_t *b, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)(i * 31 + seed);
}

static pcap_t *open_read(const char *name)
{
	char path[PATH_MAX], err[PCAP_ERRBUF_SIZE];
	pcap_t *p;

	snprintf(path, sizeof(path), "%s/%s.pcap", dir, name);
	p = pcap_open_offline_with_tstamp_precision(
		path, PCAP_TSTAMP_PRECISION_NANO, err);
	cr_assert_not_null(p, "%s: %s", path, err);
	return p;
}

Test(capture, frames_lengths_snaplen_nanoseconds)
{
	static const size_t lens[] = { 60, 127, 128, 129, 1514, 9000 };
	/* realtime ns: a 2026 date, one with 1 ns, one ending in 999999999 */
	static const int64_t times[] = {
		INT64_C(1771804800000000001), INT64_C(1771804800123456789),
		INT64_C(1771804800999999999), INT64_C(1771804801000000000),
		INT64_C(1771804802000000007), INT64_C(1771804803500000000),
	};
	const size_t n = sizeof(lens) / sizeof(lens[0]);
	const unsigned snap = 128;
	struct capture *c = NULL;
	static uint8_t frame[9000];
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p;

	cr_assert_eq(capture_open(dir, "node-a", snap, &c), 0);
	cr_assert_not_null(c);
	for (size_t i = 0; i < n; i++) {
		fill(frame, lens[i], (unsigned)i);
		cr_assert_eq(capture_frame(c, frame, lens[i], times[i]), 0);
	}
	cr_assert_eq(capture_count(c), n);
	cr_assert_eq(capture_close(c), 0);

	p = open_read("node-a");
	cr_assert_eq(pcap_datalink(p), DLT_EN10MB);
	cr_assert_eq(pcap_snapshot(p), (int)snap);
	cr_assert_eq(pcap_get_tstamp_precision(p), PCAP_TSTAMP_PRECISION_NANO);
	for (size_t i = 0; i < n; i++) {
		size_t want_cap = lens[i] < snap ? lens[i] : snap;

		cr_assert_eq(pcap_next_ex(p, &h, &data), 1, "frame %zu", i);
		cr_assert_eq(h->len, lens[i]);
		cr_assert_eq(h->caplen, want_cap, "frame %zu: caplen %u", i,
			     h->caplen);
		fill(frame, lens[i], (unsigned)i);
		cr_assert_eq(memcmp(data, frame, want_cap), 0);
		/* with nanosecond precision tv_usec holds nanoseconds */
		cr_assert_eq((int64_t)h->ts.tv_sec, times[i] / 1000000000);
		cr_assert_eq((int64_t)h->ts.tv_usec, times[i] % 1000000000,
			     "frame %zu: %ld ns", i, (long)h->ts.tv_usec);
	}
	cr_assert_eq(pcap_next_ex(p, &h, &data), PCAP_ERROR_BREAK);
	pcap_close(p);
}

/* The file is a nanosecond pcap (magic a1b23c4d), readable in micro too. */
Test(capture, nanosecond_magic_and_default_snaplen)
{
	char path[PATH_MAX];
	struct capture *c = NULL;
	static uint8_t frame[70000];
	struct pcap_pkthdr *h;
	const u_char *data;
	uint32_t magic = 0;
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p;
	FILE *f;

	cr_assert_eq(capture_open(dir, "b", 0, &c), 0);
	fill(frame, sizeof(frame), 3);
	capture_frame(c, frame, sizeof(frame), INT64_C(1000000001500));
	capture_close(c);

	snprintf(path, sizeof(path), "%s/b.pcap", dir);
	f = fopen(path, "rb");
	cr_assert_not_null(f);
	cr_assert_eq(fread(&magic, 4, 1, f), 1);
	fclose(f);
	cr_assert_eq(magic, 0xa1b23c4d, "magic %08x", magic);

	p = open_read("b");
	cr_assert_eq(pcap_snapshot(p), 262144);
	cr_assert_eq(pcap_next_ex(p, &h, &data), 1);
	cr_assert_eq(h->caplen, sizeof(frame));
	cr_assert_eq(memcmp(data, frame, sizeof(frame)), 0);
	pcap_close(p);

	/* read back at microsecond precision, libpcap scales */
	p = pcap_open_offline_with_tstamp_precision(
		path, PCAP_TSTAMP_PRECISION_MICRO, err);
	cr_assert_not_null(p, "%s", err);
	cr_assert_eq(pcap_next_ex(p, &h, &data), 1);
	cr_assert_eq(h->ts.tv_sec, 1000);
	cr_assert_eq(h->ts.tv_usec, 1);
	pcap_close(p);
}

Test(capture, open_errors_and_null)
{
	struct capture *c = (struct capture *)&c;
	char path[PATH_MAX];
	int ret;

	snprintf(path, sizeof(path), "%s/missing", dir);
	ret = capture_open(path, "x", 0, &c);
	cr_assert_eq(ret, -ENOENT, "ret %d", ret);
	cr_assert_eq(c, (struct capture *)&c, "*out changed on failure");
	/* a name too long for a path */
	{
		static char longname[PATH_MAX + 10];

		memset(longname, 'a', sizeof(longname) - 1);
		ret = capture_open(dir, longname, 0, &c);
		cr_assert_eq(ret, -ENAMETOOLONG);
	}
	/* NULL is a capture that records nothing */
	cr_assert_eq(capture_frame(NULL, (const uint8_t *)"x", 1, 0), 0);
	cr_assert_eq(capture_count(NULL), 0);
	cr_assert_eq(capture_close(NULL), 0);
}

/* An empty capture is a valid file with no frame. */
Test(capture, empty_file)
{
	struct capture *c = NULL;
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p;

	cr_assert_eq(capture_open(dir, "empty", 64, &c), 0);
	cr_assert_eq(capture_count(c), 0);
	capture_close(c);
	p = open_read("empty");
	cr_assert_eq(pcap_next_ex(p, &h, &data), PCAP_ERROR_BREAK);
	pcap_close(p);
}

/*
 * A full disk, made by RLIMIT_FSIZE (Criterion runs each test in its own
 * process): the write that crosses the limit fails part-way, the file is
 * cut back to its last whole frame, the error is returned at once and
 * again for every later frame and at close, and libpcap reads every frame
 * the file kept, each whole, without an error.
 */
Test(capture, full_disk_keeps_whole_frames)
{
	struct rlimit rl = { .rlim_cur = 100000, .rlim_max = 100000 };
	struct capture *c = NULL;
	static uint8_t frame[1000];
	struct pcap_pkthdr *h;
	const u_char *data;
	char path[PATH_MAX];
	uint64_t kept, n = 0;
	struct stat sb;
	int ret = 0, rc;
	size_t i;
	pcap_t *p;

	signal(SIGXFSZ, SIG_IGN);	/* EFBIG as for a full disk */
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	cr_assert_eq(capture_open(dir, "full", 0, &c), 0);
	fill(frame, sizeof(frame), 7);
	for (i = 0; i < 1000 && ret == 0; i++) {
		frame[0] = (uint8_t)i;
		ret = capture_frame(c, frame, sizeof(frame),
				    INT64_C(1771804800000000000) + (int64_t)i);
	}
	cr_assert_eq(ret, -EFBIG, "ret %d after %zu frames", ret, i);
	/* 100000 bytes hold 98 frames of 1016; six 16 KiB writes got out */
	kept = capture_count(c);
	cr_assert(kept > 0 && kept < i, "kept %llu of %zu",
		  (unsigned long long)kept, i);
	cr_assert_eq(capture_frame(c, frame, 60, 0), -EFBIG);
	cr_assert_eq(capture_count(c), kept);
	snprintf(path, sizeof(path), "%s/full.pcap", dir);
	cr_assert_eq(capture_close(c), -EFBIG);
	cr_assert_eq(stat(path, &sb), 0);
	cr_assert_eq((uint64_t)sb.st_size, 24 + kept * (16 + sizeof(frame)),
		     "file of %lld bytes for %llu frames",
		     (long long)sb.st_size, (unsigned long long)kept);
	p = open_read("full");
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		cr_assert_eq(h->caplen, sizeof(frame));
		cr_assert_eq(data[0], (uint8_t)n);
		n++;
	}
	cr_assert_eq(rc, PCAP_ERROR_BREAK, "%s", pcap_geterr(p));
	cr_assert_eq(n, kept);
	pcap_close(p);
}
