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
#include "emu/run/recfile.h"

#define CAPTURE_MAGIC_NS 0xa1b23c4dU
#define CAPTURE_SNAPLEN_MAX 262144U
#define CAPTURE_LINKTYPE_ETHERNET 1U
/* whole records gathered per write: 16 KiB per tapped node */
#define CAPTURE_BUF (16 * 1024)

struct capture_rec {
	uint32_t sec, nsec, caplen, len;
};

struct capture {
	struct recfile rf;	/* frames (header + bytes) are its records */
	unsigned snaplen;
	char path[PATH_MAX];
};

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
	ret = open(c->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (ret < 0) {
		ret = -errno;
		goto out_free;
	}
	if (recfile_init(&c->rf, ret, CAPTURE_BUF) < 0) {
		ret = -ENOMEM;
		goto out_close;
	}
	hdr = (typeof(hdr)){ .magic = CAPTURE_MAGIC_NS, .major = 2,
			     .minor = 4, .snaplen = snaplen,
			     .linktype = CAPTURE_LINKTYPE_ETHERNET };
	/* the header straight to the file: an open that returns has it */
	ret = recfile_add(&c->rf, &iov, 1, sizeof(hdr), 0);
	if (ret == 0)
		ret = recfile_flush(&c->rf);
	if (ret < 0)
		goto out_close;
	*out = c;
	return 0;

out_close:
	close(c->rf.fd);
	recfile_free(&c->rf);
	unlink(c->path);
out_free:
	free(c);
	return ret;
}

int capture_frame(struct capture *c, const uint8_t *frame, size_t len,
		  int64_t realtime_ns)
{
	struct capture_rec h;
	struct iovec iov[2];
	size_t cap;

	if (!c)
		return 0;
	cap = len < c->snaplen ? len : c->snaplen;
	h.sec = (uint32_t)(realtime_ns / 1000000000);
	h.nsec = (uint32_t)(realtime_ns % 1000000000);
	h.caplen = (uint32_t)cap;
	h.len = (uint32_t)len;
	iov[0] = (struct iovec){ &h, sizeof(h) };
	iov[1] = (struct iovec){ (void *)frame, cap };
	return recfile_add(&c->rf, iov, 2, sizeof(h) + cap, 1);
}

uint64_t capture_count(const struct capture *c)
{
	return c ? c->rf.count : 0;
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
	ret = recfile_flush(&c->rf);
	recfile_free(&c->rf);
	if (close(c->rf.fd) < 0 && !ret)
		ret = -errno;
	free(c);
	return ret;
}
