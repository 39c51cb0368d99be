// SPDX-License-Identifier: MIT
/* capture.c - write nanosecond pcap files that end at a whole frame, even on a full disk */
/*
 * The pcap format (libpcap's savefile.c, and the pcap draft at the IETF):
 * a 24-byte file header, then per frame a 16-byte record header (seconds,
 * nanoseconds with the magic a1b23c4d, captured length, original length)
 * and the captured bytes, all in the writer's byte order.
 *
 * Written here rather than through pcap_dump() because pcap_dump() cannot
 * say that a write failed, and its stdio buffer may reach the disk cut
 * mid-frame. Whole records are gathered in a buffer and written with
 * write(2); the file's length before each write is a record boundary, so
 * when a write fails (ENOSPC, EIO) the file is truncated back to it and
 * every frame in it is whole. A capture that failed writes nothing more.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "emu/run/capture.h"

#define CAPTURE_MAGIC_NS 0xa1b23c4dU
#define CAPTURE_SNAPLEN_MAX 262144U
#define CAPTURE_LINKTYPE_ETHERNET 1U
/* whole records gathered per write: 16 KiB per tapped node */
#define CAPTURE_BUF (16 * 1024)

struct capture_rec {
	uint32_t sec, nsec, caplen, len;
};

struct capture {
	int fd;
	unsigned snaplen;
	int error;		/* first write error, 0 while fine */
	uint64_t count;		/* frames recorded (on disk or buffered) */
	uint64_t nbuf;		/* of which buffered */
	off_t off;		/* bytes on disk: always a record boundary */
	size_t used;		/* bytes buffered */
	char path[PATH_MAX];
	uint8_t buf[CAPTURE_BUF];
};

/* Write iov whole. 0 or -errno (then part of it may be on disk). */
static int capture_writev(int fd, struct iovec *iov, int n)
{
	while (n > 0) {
		ssize_t w = writev(fd, iov, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (w == 0)
			return -EIO;
		while (n > 0 && (size_t)w >= iov->iov_len) {
			w -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (uint8_t *)iov->iov_base + w;
			iov->iov_len -= (size_t)w;
		}
	}
	return 0;
}

/*
 * Write iov (whole records, nrec of them, after the buffer) at the end of
 * the file. On failure cut the file back to its last record boundary and
 * remember the error.
 */
static int capture_commit(struct capture *c, struct iovec *iov, int n,
			  size_t bytes, uint64_t nrec)
{
	int ret = capture_writev(c->fd, iov, n);

	if (ret < 0) {
		c->error = ret;
		c->count -= nrec;
		/* frees the space too; if even this fails, say the first */
		if (ftruncate(c->fd, c->off) < 0)
			c->error = ret;
		return ret;
	}
	c->off += (off_t)bytes;
	return 0;
}

static int capture_flush(struct capture *c)
{
	struct iovec iov = { c->buf, c->used };
	int ret;

	if (c->error)
		return c->error;
	if (!c->used)
		return 0;
	ret = capture_commit(c, &iov, 1, c->used, c->nbuf);
	c->used = 0;
	c->nbuf = 0;
	return ret;
}

int capture_open(const char *dir, const char *name, unsigned snaplen,
		 struct capture **out)
{
	struct {
		uint32_t magic;
		uint16_t major, minor;
		int32_t thiszone;
		uint32_t sigfigs, snaplen, linktype;
	} hdr;
	struct iovec iov = { &hdr, sizeof(hdr) };
	struct capture *c;
	int ret;

	if (!snaplen || snaplen > CAPTURE_SNAPLEN_MAX)
		snaplen = CAPTURE_SNAPLEN_MAX;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	if (snprintf(c->path, sizeof(c->path), "%s/%s.pcap", dir, name) >=
	    (int)sizeof(c->path)) {
		ret = -ENAMETOOLONG;
		goto out_free;
	}
	c->snaplen = snaplen;
	c->fd = open(c->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (c->fd < 0) {
		ret = -errno;
		goto out_free;
	}
	hdr = (typeof(hdr)){ .magic = CAPTURE_MAGIC_NS, .major = 2,
			     .minor = 4, .snaplen = snaplen,
			     .linktype = CAPTURE_LINKTYPE_ETHERNET };
	ret = capture_commit(c, &iov, 1, sizeof(hdr), 0);
	if (ret < 0)
		goto out_close;
	*out = c;
	return 0;

out_close:
	close(c->fd);
	unlink(c->path);
out_free:
	free(c);
	return ret;
}

int capture_frame(struct capture *c, const uint8_t *frame, size_t len,
		  int64_t realtime_ns)
{
	struct capture_rec h;
	size_t cap, need;
	int ret;

	if (!c)
		return 0;
	if (c->error)
		return c->error;
	cap = len < c->snaplen ? len : c->snaplen;
	h.sec = (uint32_t)(realtime_ns / 1000000000);
	h.nsec = (uint32_t)(realtime_ns % 1000000000);
	h.caplen = (uint32_t)cap;
	h.len = (uint32_t)len;
	need = sizeof(h) + cap;
	if (c->used + need > sizeof(c->buf)) {
		ret = capture_flush(c);
		if (ret < 0)
			return ret;
	}
	c->count++;
	if (need > sizeof(c->buf)) {
		/* larger than the buffer (which is now empty): straight out */
		struct iovec iov[2] = { { &h, sizeof(h) },
					{ (void *)frame, cap } };

		return capture_commit(c, iov, 2, need, 1);
	}
	memcpy(c->buf + c->used, &h, sizeof(h));
	memcpy(c->buf + c->used + sizeof(h), frame, cap);
	c->used += need;
	c->nbuf++;
	return 0;
}

uint64_t capture_count(const struct capture *c)
{
	return c ? c->count : 0;
}

const char *capture_path(const struct capture *c)
{
	return c ? c->path : "";
}

int capture_close(struct capture *c)
{
	int ret;

	if (!c)
		return 0;
	ret = capture_flush(c);
	if (close(c->fd) < 0 && !ret)
		ret = -errno;
	free(c);
	return ret;
}
