// SPDX-License-Identifier: MIT
/* test_pcapng.c - pcapng files: blocks, options, padding, interface ids, full disks */
#include <errno.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "emu/run/pcapng.h"

static char dir[64];
static char path[PATH_MAX];

static void tmp_setup(void)
{
	strcpy(dir, "/tmp/lmt-pcapng-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/links.pcapng", dir);
}

static void tmp_teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		cr_log_warn("could not remove %s", dir);
}

TestSuite(pcapng, .init = tmp_setup, .fini = tmp_teardown);

static void fill(uint8_t *b, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)(i * 31 + seed);
}

/* ---- a reader written from the format, strict about every byte ---- */

#define MAX_IF 20000
#define MAX_FR 4000

struct rd_frame {
	uint32_t iface, caplen, len;
	uint64_t ts;
	const uint8_t *data;
};

struct rd {
	uint8_t *buf;
	size_t size;
	unsigned nshb;
	char *ifname[MAX_IF];	/* into buf: not terminated, see iflen */
	uint16_t iflen[MAX_IF];
	uint32_t nif;
	uint32_t snaplen;
	struct rd_frame fr[MAX_FR];
	size_t nfr;
};

static uint32_t rd32(const uint8_t *b)
{
	uint32_t v;

	memcpy(&v, b, 4);
	return v;
}

static uint16_t rd16(const uint8_t *b)
{
	uint16_t v;

	memcpy(&v, b, 2);
	return v;
}

/*
 * The options from b to end: each padded to 32 bits with zero bytes, the
 * last opt_endofopt ending exactly at end. Calls fn for every option.
 */
static void rd_options(const uint8_t *b, const uint8_t *end,
		       void (*fn)(uint16_t code, const uint8_t *v,
				  uint16_t len, void *arg),
		       void *arg)
{
	for (;;) {
		uint16_t code, len;
		size_t pad;

		cr_assert(end - b >= 4, "options run past the block");
		code = rd16(b);
		len = rd16(b + 2);
		if (code == 0) {
			cr_assert_eq(len, 0, "opt_endofopt of length %u", len);
			cr_assert_eq(b + 4, end, "bytes after opt_endofopt");
			return;
		}
		pad = (4 - (len & 3)) & 3;
		cr_assert((size_t)(end - b) >= 4 + len + pad,
			  "option %u of %u bytes runs past the block", code,
			  len);
		for (size_t i = 0; i < pad; i++)
			cr_assert_eq(b[4 + len + i], 0, "option padding");
		fn(code, b + 4, len, arg);
		b += 4 + len + pad;
	}
}

static void rd_shb_opt(uint16_t code, const uint8_t *v, uint16_t len,
		       void *arg)
{
	int *seen = arg;

	if (code == 4) {	/* shb_userappl */
		cr_assert_eq(len, 9);
		cr_assert_eq(memcmp(v, "lasermesh", 9), 0);
		(*seen)++;
	}
}

struct rd_idb {
	struct rd *r;
	int name, tsresol;
};

static void rd_idb_opt(uint16_t code, const uint8_t *v, uint16_t len,
		       void *arg)
{
	struct rd_idb *x = arg;

	if (code == 2) {	/* if_name */
		x->r->ifname[x->r->nif] = (char *)v;
		x->r->iflen[x->r->nif] = len;
		x->name++;
	} else if (code == 9) {	/* if_tsresol */
		cr_assert_eq(len, 1);
		cr_assert_eq(v[0], 9, "if_tsresol %u", v[0]);
		x->tsresol++;
	}
}

static void rd_block(struct rd *r, uint32_t type, uint8_t *b, uint32_t len)
{
	uint8_t *body = b + 8, *end = b + len - 4;

	switch (type) {
	case 0x0a0d0d0a: {
		int seen = 0;

		cr_assert_eq(b, r->buf, "SHB not first");
		cr_assert(len >= 28);
		cr_assert_eq(rd32(body), 0x1a2b3c4d, "byte-order magic");
		cr_assert_eq(rd16(body + 4), 1);
		cr_assert_eq(rd16(body + 6), 0);
		cr_assert_eq(rd32(body + 8), 0xffffffff);	/* -1: unknown */
		cr_assert_eq(rd32(body + 12), 0xffffffff);
		rd_options(body + 16, end, rd_shb_opt, &seen);
		cr_assert_eq(seen, 1);
		r->nshb++;
		break;
	}
	case 1: {
		struct rd_idb x = { .r = r };

		cr_assert(len >= 20);
		cr_assert_lt(r->nif, MAX_IF);
		cr_assert_eq(rd16(body), 1, "linktype %u", rd16(body));
		cr_assert_eq(rd16(body + 2), 0);
		if (r->nif)
			cr_assert_eq(rd32(body + 4), r->snaplen);
		r->snaplen = rd32(body + 4);
		rd_options(body + 8, end, rd_idb_opt, &x);
		cr_assert_eq(x.name, 1, "IDB %u: %d if_name", r->nif, x.name);
		cr_assert_eq(x.tsresol, 1);
		r->nif++;
		break;
	}
	case 6: {
		struct rd_frame *f = &r->fr[r->nfr];
		size_t pad;

		cr_assert(len >= 32);
		cr_assert_lt(r->nfr, MAX_FR);
		f->iface = rd32(body);
		cr_assert_lt(f->iface, r->nif, "EPB names interface %u before "
			     "its IDB", f->iface);
		f->ts = (uint64_t)rd32(body + 4) << 32 | rd32(body + 8);
		f->caplen = rd32(body + 12);
		f->len = rd32(body + 16);
		cr_assert_leq(f->caplen, f->len);
		cr_assert_leq(f->caplen, r->snaplen);
		f->data = body + 20;
		pad = (4 - (f->caplen & 3)) & 3;
		/* no options: the data and its padding fill the body */
		cr_assert_eq(body + 20 + f->caplen + pad, end,
			     "EPB of %u bytes: body %zd, caplen %u", len,
			     end - body, f->caplen);
		for (size_t i = 0; i < pad; i++)
			cr_assert_eq(f->data[f->caplen + i], 0, "EPB padding");
		r->nfr++;
		break;
	}
	default:
		cr_assert_fail("block type %08x", type);
	}
}

/* Read the file at path into r, every block checked. */
static void rd_file(struct rd *r)
{
	struct stat sb;
	size_t off = 0;
	FILE *f;

	memset(r, 0, sizeof(*r));
	cr_assert_eq(stat(path, &sb), 0);
	r->size = (size_t)sb.st_size;
	r->buf = malloc(r->size ? r->size : 1);
	f = fopen(path, "rb");
	cr_assert_not_null(f);
	cr_assert_eq(fread(r->buf, 1, r->size, f), r->size);
	fclose(f);
	while (off < r->size) {
		uint32_t type, len;

		cr_assert(r->size - off >= 12, "a block cut at %zu", off);
		type = rd32(r->buf + off);
		len = rd32(r->buf + off + 4);
		cr_assert_eq(len % 4, 0, "block at %zu: length %u", off, len);
		cr_assert(len >= 12 && len <= r->size - off,
			  "block at %zu: length %u of %zu left", off, len,
			  r->size - off);
		cr_assert_eq(rd32(r->buf + off + len - 4), len,
			     "block at %zu: trailing length", off);
		rd_block(r, type, r->buf + off, len);
		off += len;
	}
	cr_assert_eq(r->nshb, 1);
}

static void rd_free(struct rd *r)
{
	free(r->buf);
}

static void name_of(uint32_t a, uint32_t b, char *out, size_t size)
{
	snprintf(out, size, "s%u-0-%u>s%u-1-%u", a, a, b, b);
}

static bool rd_name_is(const struct rd *r, uint32_t i, const char *name)
{
	return r->iflen[i] == strlen(name) &&
	       memcmp(r->ifname[i], name, r->iflen[i]) == 0;
}

/* ---- the tests ---- */

#define T0 INT64_C(1771804800123456789)

/*
 * Frames of every length modulo 4, names of every length modulo 4,
 * interfaces added between frames, a cut at snaplen: every block parses
 * and each frame comes back on its interface with its bytes and time.
 */
Test(pcapng, blocks_well_formed)
{
	static const size_t lens[] = { 1, 2, 3, 4, 5, 60, 61, 98, 99, 100,
				       1514, 200, 201, 202, 203 };
	static const char *const names[] = { "a>b", "ab>cd", "abc>def",
					     "s1-0-0>s1-0-1", "g>h", "x>y" };
	const size_t nf = sizeof(lens) / sizeof(lens[0]);
	const unsigned snap = 200;
	struct pcapng *p = NULL;
	uint8_t frame[1514];
	uint32_t id[6];
	struct rd r;

	cr_assert_eq(pcapng_open(path, snap, &p), 0);
	cr_assert_not_null(p);
	cr_assert_str_eq(pcapng_path(p), path);
	for (size_t i = 0; i < nf; i++) {
		size_t k = i % 6;

		if (i < 6)
			cr_assert_eq(pcapng_iface_add(p, 100 + k, names[k],
						      &id[k]), 0);
		cr_assert_eq(id[k], k);
		fill(frame, lens[i], (unsigned)i);
		cr_assert_eq(pcapng_frame(p, id[k], frame, lens[i],
					  T0 + (int64_t)i * 1000003), 0);
	}
	cr_assert_eq(pcapng_count(p), nf);
	cr_assert_eq(pcapng_ifaces(p), 6);
	cr_assert_eq(pcapng_close(p), 0);

	rd_file(&r);
	cr_assert_eq(r.nif, 6);
	cr_assert_eq(r.snaplen, snap);
	for (uint32_t i = 0; i < 6; i++)
		cr_assert(rd_name_is(&r, i, names[i]), "IDB %u: %.*s", i,
			  r.iflen[i], r.ifname[i]);
	cr_assert_eq(r.nfr, nf);
	for (size_t i = 0; i < nf; i++) {
		const struct rd_frame *f = &r.fr[i];
		size_t cap = lens[i] < snap ? lens[i] : snap;

		cr_assert_eq(f->iface, i % 6);
		cr_assert_eq(f->len, lens[i]);
		cr_assert_eq(f->caplen, cap, "frame %zu: caplen %u", i,
			     f->caplen);
		cr_assert_eq(f->ts, (uint64_t)(T0 + (int64_t)i * 1000003));
		fill(frame, lens[i], (unsigned)i);
		cr_assert_eq(memcmp(f->data, frame, cap), 0, "frame %zu", i);
	}
	rd_free(&r);
}

/* libpcap, a reader we did not write, takes the file too. */
Test(pcapng, libpcap_reads_it)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcapng *p = NULL;
	struct pcap_pkthdr *h;
	const u_char *data;
	uint8_t frame[100];
	uint32_t a, b;
	pcap_t *pc;

	cr_assert_eq(pcapng_open(path, 0, &p), 0);
	cr_assert_eq(pcapng_iface_add(p, 1, "a>b", &a), 0);
	cr_assert_eq(pcapng_iface_add(p, 2, "b>a", &b), 0);
	fill(frame, sizeof(frame), 1);
	cr_assert_eq(pcapng_frame(p, a, frame, 98, T0), 0);
	cr_assert_eq(pcapng_frame(p, b, frame, 99, T0 + 1), 0);
	cr_assert_eq(pcapng_close(p), 0);

	pc = pcap_open_offline_with_tstamp_precision(
		path, PCAP_TSTAMP_PRECISION_NANO, err);
	cr_assert_not_null(pc, "%s", err);
	cr_assert_eq(pcap_datalink(pc), DLT_EN10MB);
	cr_assert_eq(pcap_next_ex(pc, &h, &data), 1, "%s", pcap_geterr(pc));
	cr_assert_eq(h->caplen, 98);
	cr_assert_eq((int64_t)h->ts.tv_sec, T0 / 1000000000);
	cr_assert_eq((int64_t)h->ts.tv_usec, T0 % 1000000000);
	cr_assert_eq(pcap_next_ex(pc, &h, &data), 1, "%s", pcap_geterr(pc));
	cr_assert_eq(h->caplen, 99);
	cr_assert_eq((int64_t)h->ts.tv_usec, T0 % 1000000000 + 1);
	cr_assert_eq(memcmp(data, frame, 99), 0);
	cr_assert_eq(pcap_next_ex(pc, &h, &data), PCAP_ERROR_BREAK);
	pcap_close(pc);
}

/*
 * 12,000 links (the key map grows many times): each keeps the id it got,
 * in the order of first use, and its IDB at that index names it; a key
 * never added has none; a frame on an id never given is refused.
 */
Test(pcapng, interface_ids_stable_per_link)
{
	const uint32_t n = 12000;
	struct pcapng *p = NULL;
	uint8_t frame[60];
	char name[64];
	struct rd *r = malloc(sizeof(*r));

	cr_assert_not_null(r);
	fill(frame, sizeof(frame), 9);
	cr_assert_eq(pcapng_open(path, 0, &p), 0);
	cr_assert_eq(pcapng_iface_find(p, 5), -1);
	for (uint32_t i = 0; i < n; i++) {
		/* keys as the glue makes them: a << 32 | b, a != b */
		uint32_t a = (i * 7919) % 9543, b = a + 1 + i / 9543;
		uint64_t key = (uint64_t)a << 32 | b;
		uint32_t id;

		cr_assert_eq(pcapng_iface_find(p, key), -1, "key %u>%u", a,
			     b);
		name_of(a, b, name, sizeof(name));
		cr_assert_eq(pcapng_iface_add(p, key, name, &id), 0);
		cr_assert_eq(id, i);
		if (i % 37 == 0)
			cr_assert_eq(pcapng_frame(p, id, frame, 60, T0), 0);
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t a = (i * 7919) % 9543, b = a + 1 + i / 9543;

		cr_assert_eq(pcapng_iface_find(p, (uint64_t)a << 32 | b),
			     (long)i);
		/* the other direction is another link */
		cr_assert_eq(pcapng_iface_find(p, (uint64_t)b << 32 | a), -1);
	}
	cr_assert_eq(pcapng_frame(p, n, frame, 60, T0), -EINVAL);
	cr_assert_eq(pcapng_ifaces(p), n);
	cr_assert_eq(pcapng_close(p), 0);

	rd_file(r);
	cr_assert_eq(r->nif, n);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t a = (i * 7919) % 9543, b = a + 1 + i / 9543;

		name_of(a, b, name, sizeof(name));
		cr_assert(rd_name_is(r, i, name), "IDB %u: %.*s, want %s", i,
			  r->iflen[i], r->ifname[i], name);
	}
	cr_assert_eq(r->nfr, (n + 36) / 37);
	for (size_t i = 0; i < r->nfr; i++)
		cr_assert_eq(r->fr[i].iface, i * 37);
	rd_free(r);
	free(r);
}

/* Frames larger than the buffer go straight out, in order with the rest. */
Test(pcapng, big_frames_in_order)
{
	static uint8_t big[70001];
	struct pcapng *p = NULL;
	uint32_t id;
	struct rd r;

	cr_assert_eq(pcapng_open(path, 0, &p), 0);
	cr_assert_eq(pcapng_iface_add(p, 1, "a>b", &id), 0);
	for (unsigned i = 0; i < 6; i++) {
		size_t len = i % 2 ? sizeof(big) : 64 + i;

		fill(big, len, i);
		cr_assert_eq(pcapng_frame(p, id, big, len, T0 + i), 0);
	}
	cr_assert_eq(pcapng_close(p), 0);
	rd_file(&r);
	cr_assert_eq(r.snaplen, 262144);
	cr_assert_eq(r.nfr, 6);
	for (unsigned i = 0; i < 6; i++) {
		size_t len = i % 2 ? sizeof(big) : 64 + i;

		cr_assert_eq(r.fr[i].caplen, len);
		cr_assert_eq(r.fr[i].ts, (uint64_t)(T0 + i));
		fill(big, len, i);
		cr_assert_eq(memcmp(r.fr[i].data, big, len), 0, "frame %u", i);
	}
	rd_free(&r);
}

/*
 * A full disk, made by RLIMIT_FSIZE (Criterion runs each test in its own
 * process): the write that crosses the limit fails part-way, the file is
 * cut back to its last whole block (every block parses, the size is the
 * sum of whole blocks), the error comes back at once and for every later
 * frame, interface and at close, and the count is of the frames kept.
 */
Test(pcapng, full_disk_cuts_back_to_a_whole_block)
{
	struct rlimit rl = { .rlim_cur = 100000, .rlim_max = 100000 };
	struct pcapng *p = NULL;
	static uint8_t frame[1000];
	char name[64];
	uint32_t id = 0;
	uint64_t kept;
	int ret = 0;
	size_t i;
	struct rd *r = malloc(sizeof(*r));

	cr_assert_not_null(r);
	signal(SIGXFSZ, SIG_IGN);	/* EFBIG as for a full disk */
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	cr_assert_eq(pcapng_open(path, 0, &p), 0);
	for (i = 0; i < 1000 && ret == 0; i++) {
		/* a new interface every 10 frames: IDBs among the EPBs */
		if (i % 10 == 0) {
			name_of((uint32_t)i, (uint32_t)i + 1, name,
				sizeof(name));
			ret = pcapng_iface_add(p, i, name, &id);
			if (ret)
				break;
		}
		fill(frame, sizeof(frame) - (i & 3), (unsigned)i);
		frame[0] = (uint8_t)i;
		ret = pcapng_frame(p, id, frame, sizeof(frame) - (i & 3),
				   T0 + (int64_t)i);
	}
	cr_assert_eq(ret, -EFBIG, "ret %d after %zu frames", ret, i);
	kept = pcapng_count(p);
	cr_assert(kept > 0 && kept < i, "kept %llu of %zu",
		  (unsigned long long)kept, i);
	cr_assert_eq(pcapng_frame(p, 0, frame, 60, T0), -EFBIG);
	cr_assert_eq(pcapng_iface_add(p, 99999, "x>y", &id), -EFBIG);
	cr_assert_eq(pcapng_count(p), kept);
	cr_assert_eq(pcapng_close(p), -EFBIG);

	rd_file(r);	/* every block whole, each checked */
	cr_assert_eq(r->nfr, kept);
	cr_assert(r->size < 100000 && r->size > 100000 - 65536 - 1100,
		  "file of %zu bytes", r->size);
	for (size_t k = 0; k < r->nfr; k++) {
		cr_assert_eq(r->fr[k].data[0], (uint8_t)k);
		cr_assert_eq(r->fr[k].iface, k / 10);
		cr_assert_eq(r->fr[k].caplen, sizeof(frame) - (k & 3));
	}
	rd_free(r);
	free(r);
}

/* A disk full already at the header: an error, and no file is left. */
Test(pcapng, full_disk_at_open)
{
	struct rlimit rl = { .rlim_cur = 16, .rlim_max = 16 };
	struct pcapng *p = (struct pcapng *)&p;
	struct stat sb;

	signal(SIGXFSZ, SIG_IGN);
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	cr_assert_eq(pcapng_open(path, 0, &p), -EFBIG);
	cr_assert_eq(p, (struct pcapng *)&p, "*out changed on failure");
	cr_assert_eq(stat(path, &sb), -1, "a file is left");
}

Test(pcapng, open_errors_and_null)
{
	struct pcapng *p = (struct pcapng *)&p;
	static char longname[300];
	char missing[PATH_MAX];
	uint32_t id;

	snprintf(missing, sizeof(missing), "%s/missing/links.pcapng", dir);
	cr_assert_eq(pcapng_open(missing, 0, &p), -ENOENT);
	cr_assert_eq(p, (struct pcapng *)&p);
	cr_assert_eq(pcapng_open(path, 0, &p), 0);
	memset(longname, 'a', sizeof(longname) - 1);
	cr_assert_eq(pcapng_iface_add(p, 1, longname, &id), -ENAMETOOLONG);
	cr_assert_eq(pcapng_iface_find(p, 1), -1);
	cr_assert_eq(pcapng_ifaces(p), 0);
	cr_assert_eq(pcapng_close(p), 0);
	cr_assert_eq(pcapng_close(NULL), 0);
	cr_assert_eq(pcapng_count(NULL), 0);
	cr_assert_eq(pcapng_ifaces(NULL), 0);
}
