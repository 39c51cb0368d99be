// SPDX-License-Identifier: MIT
/* pcapng.c - write a pcapng file, one interface per directed link, that ends at a whole block */
/*
 * The format (the pcapng draft at the IETF, draft-ietf-opsawg-pcapng):
 * a file is a sequence of blocks, each `type, total length, body, total
 * length` with the body padded to 32 bits, all in the writer's byte order.
 * We write one section: a Section Header Block (byte-order magic 1a2b3c4d,
 * version 1.0, section length -1: not known), then Interface Description
 * Blocks (linktype, snaplen, options) as interfaces appear, and Enhanced
 * Packet Blocks (interface id, a 64-bit timestamp in the interface's
 * units, captured and original length, the bytes). Options are `code,
 * length, value` padded to 32 bits and end with opt_endofopt. Interfaces
 * are numbered by the order of their IDBs, and an IDB may come anywhere
 * before the first EPB that names it: an interface is added when its link
 * first carries a frame, and a link that comes back later keeps its id.
 *
 * As capture.c: whole blocks are gathered in a buffer and written with
 * write(2); the file's length before each write is a block boundary, so
 * when a write fails (ENOSPC, EIO) the file is cut back to it. A writer
 * that failed writes nothing more.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "emu/run/pcapng.h"
#include "emu/run/recfile.h"

#define PCAPNG_SHB 0x0a0d0d0aU
#define PCAPNG_IDB 0x00000001U
#define PCAPNG_EPB 0x00000006U
#define PCAPNG_BOM 0x1a2b3c4dU
#define PCAPNG_OPT_END 0
#define PCAPNG_SHB_USERAPPL 4
#define PCAPNG_IF_NAME 2
#define PCAPNG_IF_TSRESOL 9
#define PCAPNG_LINKTYPE_ETHERNET 1
#define PCAPNG_SNAPLEN_MAX 262144U
/* whole blocks gathered per write */
#define PCAPNG_BUF (64 * 1024)
/* the largest SHB or IDB we write: fixed fields, options, a name */
#define PCAPNG_SMALL_MAX (64 + PCAPNG_NAME_MAX)

/* key -> interface id; slot empty when id1 == 0 (id1 is id + 1) */
struct pcapng_slot {
	uint64_t key;
	uint32_t id1;
};

struct pcapng {
	struct recfile rf;	/* blocks are its records */
	unsigned snaplen;
	uint32_t nif;		/* interfaces given */
	struct pcapng_slot *map;	/* power of two, at most half full */
	size_t cap;
	char path[PATH_MAX];
};

/* Bytes of padding after n to the next multiple of 4. */
static size_t pcapng_pad(size_t n)
{
	return (4 - (n & 3)) & 3;
}

/* A small block (SHB, IDB) built in place, with its length fixed at the end. */
struct pcapng_small {
	uint8_t b[PCAPNG_SMALL_MAX];
	size_t n;
};

static void pcapng_put(struct pcapng_small *s, const void *v, size_t len)
{
	memcpy(s->b + s->n, v, len);
	s->n += len;
}

static void pcapng_put32(struct pcapng_small *s, uint32_t v)
{
	pcapng_put(s, &v, 4);
}

/* Option code with len bytes of value, padded to 32 bits. */
static void pcapng_opt(struct pcapng_small *s, uint16_t code, const void *v,
		       uint16_t len)
{
	static const uint8_t zero[4];

	pcapng_put(s, &code, 2);
	pcapng_put(s, &len, 2);
	if (len)
		pcapng_put(s, v, len);
	pcapng_put(s, zero, pcapng_pad(len));
}

/* End the options and the block: opt_endofopt, the trailing length. */
static void pcapng_small_end(struct pcapng_small *s)
{
	uint32_t total;

	pcapng_opt(s, PCAPNG_OPT_END, NULL, 0);
	total = (uint32_t)s->n + 4;
	memcpy(s->b + 4, &total, 4);
	pcapng_put32(s, total);
}

static int pcapng_small_write(struct pcapng *p, struct pcapng_small *s)
{
	struct iovec iov = { s->b, s->n };

	return recfile_add(&p->rf, &iov, 1, s->n, 0);
}

int pcapng_open(const char *path, unsigned snaplen, struct pcapng **out)
{
	static const char app[] = "lasermesh";
	struct pcapng_small s = { .n = 0 };
	struct pcapng *p;
	int64_t section = -1;
	struct stat sb;
	int ret;

	if (!snaplen || snaplen > PCAPNG_SNAPLEN_MAX)
		snaplen = PCAPNG_SNAPLEN_MAX;
	if (strlen(path) >= sizeof(p->path))
		return -ENAMETOOLONG;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	strcpy(p->path, path);
	p->snaplen = snaplen;
	ret = open(p->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (ret < 0) {
		ret = -errno;
		goto out_free;
	}
	if (recfile_init(&p->rf, ret, PCAPNG_BUF) < 0) {
		close(p->rf.fd);
		unlink(p->path);
		ret = -ENOMEM;
		goto out_free;
	}
	pcapng_put32(&s, PCAPNG_SHB);
	pcapng_put32(&s, 0);		/* total length, set at the end */
	pcapng_put32(&s, PCAPNG_BOM);
	pcapng_put(&s, &(uint16_t){ 1 }, 2);	/* version 1.0 */
	pcapng_put(&s, &(uint16_t){ 0 }, 2);
	pcapng_put(&s, &section, 8);
	pcapng_opt(&s, PCAPNG_SHB_USERAPPL, app, sizeof(app) - 1);
	pcapng_small_end(&s);
	/* the header straight to the file: an open that returns has it */
	ret = pcapng_small_write(p, &s);
	if (ret == 0)
		ret = recfile_flush(&p->rf);
	if (ret < 0)
		goto out_close;
	*out = p;
	return 0;

out_close:
	/* ours to remove only if a file (never a device such as /dev/full) */
	if (fstat(p->rf.fd, &sb) == 0 && S_ISREG(sb.st_mode))
		unlink(p->path);
	close(p->rf.fd);
	recfile_free(&p->rf);
out_free:
	free(p);
	return ret;
}

/* The slot of key, or the empty slot where it would go. */
static struct pcapng_slot *pcapng_slot(const struct pcapng *p, uint64_t key)
{
	size_t mask = p->cap - 1;
	/* Fibonacci hashing: spread a << 32 | b over the table */
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 32) & mask;

	while (p->map[i].id1 && p->map[i].key != key)
		i = (i + 1) & mask;
	return &p->map[i];
}

long pcapng_iface_find(const struct pcapng *p, uint64_t key)
{
	const struct pcapng_slot *s;

	if (!p->cap)
		return -1;
	s = pcapng_slot(p, key);
	return s->id1 ? (long)s->id1 - 1 : -1;
}

/* Room for one more key (the table at most half full). 0 or -ENOMEM. */
static int pcapng_map_grow(struct pcapng *p)
{
	struct pcapng_slot *old = p->map;
	size_t ocap = p->cap, ncap = ocap ? ocap * 2 : 64;

	if ((p->nif + 1) * 2 <= ocap)
		return 0;
	if (ncap > SIZE_MAX / sizeof(*p->map))
		return -ENOMEM;
	p->map = calloc(ncap, sizeof(*p->map));
	if (!p->map) {
		p->map = old;
		return -ENOMEM;
	}
	p->cap = ncap;
	for (size_t i = 0; i < ocap; i++)
		if (old[i].id1)
			*pcapng_slot(p, old[i].key) = old[i];
	free(old);
	return 0;
}

int pcapng_iface_add(struct pcapng *p, uint64_t key, const char *name,
		     uint32_t *id)
{
	struct pcapng_small s = { .n = 0 };
	size_t len = strlen(name);
	uint8_t tsresol = 9;	/* 10^-9 s: nanoseconds */
	struct pcapng_slot *slot;
	int ret;

	if (p->rf.error)
		return p->rf.error;
	if (len > PCAPNG_NAME_MAX)
		return -ENAMETOOLONG;
	if (p->nif == UINT32_MAX - 1)
		return -ENOSPC;
	ret = pcapng_map_grow(p);
	if (ret < 0)
		return ret;
	pcapng_put32(&s, PCAPNG_IDB);
	pcapng_put32(&s, 0);		/* total length, set at the end */
	pcapng_put(&s, &(uint16_t){ PCAPNG_LINKTYPE_ETHERNET }, 2);
	pcapng_put(&s, &(uint16_t){ 0 }, 2);	/* reserved */
	pcapng_put32(&s, p->snaplen);
	pcapng_opt(&s, PCAPNG_IF_NAME, name, (uint16_t)len);
	pcapng_opt(&s, PCAPNG_IF_TSRESOL, &tsresol, 1);
	pcapng_small_end(&s);
	ret = pcapng_small_write(p, &s);
	if (ret < 0)
		return ret;
	slot = pcapng_slot(p, key);
	slot->key = key;
	slot->id1 = ++p->nif;
	*id = p->nif - 1;
	return 0;
}

int pcapng_frame(struct pcapng *p, uint32_t iface, const uint8_t *frame,
		 size_t len, int64_t realtime_ns)
{
	static const uint8_t zero[4];
	uint64_t ts = (uint64_t)realtime_ns;
	uint32_t h[7], total;
	size_t cap;

	if (p->rf.error)
		return p->rf.error;
	if (iface >= p->nif)
		return -EINVAL;
	cap = len < p->snaplen ? len : p->snaplen;
	total = (uint32_t)(sizeof(h) + cap + pcapng_pad(cap) + 4);
	h[0] = PCAPNG_EPB;
	h[1] = total;
	h[2] = iface;
	h[3] = (uint32_t)(ts >> 32);
	h[4] = (uint32_t)ts;
	h[5] = (uint32_t)cap;
	h[6] = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
	{
		struct iovec iov[4] = {
			{ h, sizeof(h) },
			{ (void *)frame, cap },
			{ (void *)zero, pcapng_pad(cap) },
			{ &total, 4 },
		};

		return recfile_add(&p->rf, iov, 4, total, 1);
	}
}

uint64_t pcapng_count(const struct pcapng *p)
{
	return p ? p->rf.count : 0;
}

uint32_t pcapng_ifaces(const struct pcapng *p)
{
	return p ? p->nif : 0;
}

const char *pcapng_path(const struct pcapng *p)
{
	return p ? p->path : "";
}

int pcapng_close(struct pcapng *p)
{
	int ret;

	if (!p)
		return 0;
	ret = recfile_flush(&p->rf);
	recfile_free(&p->rf);
	if (close(p->rf.fd) < 0 && !ret)
		ret = -errno;
	free(p->map);
	free(p);
	return ret;
}
