// SPDX-License-Identifier: MIT
/* recfile.c - a capture file written in whole records: buffered, cut back to the last whole one on a full disk */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emu/run/recfile.h"

int recfile_init(struct recfile *f, int fd, size_t cap)
{
	memset(f, 0, sizeof(*f));
	f->fd = fd;
	f->cap = cap;
	f->buf = malloc(cap ? cap : 1);
	return f->buf ? 0 : -ENOMEM;
}

void recfile_free(struct recfile *f)
{
	free(f->buf);
	f->buf = NULL;
}

/* Write iov whole. 0 or -errno (then part of it may be on disk). */
static int recfile_writev(int fd, struct iovec *iov, int n)
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
 * Write iov (whole records, nrec frames among them) at the end of the
 * file. On failure cut the file back to its last record boundary and
 * keep the error.
 */
static int recfile_commit(struct recfile *f, struct iovec *iov, int n,
			  size_t bytes, uint64_t nrec)
{
	int ret = recfile_writev(f->fd, iov, n);

	if (ret < 0) {
		f->error = ret;
		f->count -= nrec;
		/* frees the space too; if even this fails, say the first */
		if (ftruncate(f->fd, f->off) < 0)
			f->error = ret;
		return ret;
	}
	f->off += (off_t)bytes;
	return 0;
}

int recfile_flush(struct recfile *f)
{
	struct iovec iov = { f->buf, f->used };
	int ret;

	if (f->error)
		return f->error;
	if (!f->used)
		return 0;
	ret = recfile_commit(f, &iov, 1, f->used, f->nbuf);
	f->used = 0;
	f->nbuf = 0;
	return ret;
}

int recfile_add(struct recfile *f, struct iovec *iov, int n, size_t bytes,
		uint64_t nrec)
{
	int ret;

	if (f->error)
		return f->error;
	if (f->used + bytes > f->cap) {
		ret = recfile_flush(f);
		if (ret < 0)
			return ret;
	}
	f->count += nrec;
	if (bytes > f->cap)	/* the buffer is empty now: straight out */
		return recfile_commit(f, iov, n, bytes, nrec);
	for (int i = 0; i < n; i++) {
		memcpy(f->buf + f->used, iov[i].iov_base, iov[i].iov_len);
		f->used += iov[i].iov_len;
	}
	f->nbuf += nrec;
	return 0;
}
