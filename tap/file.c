// SPDX-License-Identifier: MIT
/* file.c - the one whole-file reader and the one atomic writer */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap/file.h"
#include "topo/lib/array.h"

int file_read_all(const char *path, size_t max, unsigned flags, char **out,
		  size_t *outlen)
{
	bool regular = flags & FILE_F_REGULAR;
	size_t len = 0, cap = 0;
	char *buf = NULL;
	struct stat st;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC | (regular ? O_NONBLOCK : 0));
	if (fd < 0)
		return -errno;
	if (regular) {
		if (fstat(fd, &st) < 0) {
			ret = -errno;
			goto out_close;
		}
		if (!S_ISREG(st.st_mode)) {
			ret = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
			goto out_close;
		}
	}
	for (;;) {
		ssize_t r;

		if (cap - len < 2) {
			ret = array_grow((void **)&buf, &cap, len + 2, 1, 4096);
			if (ret < 0)
				goto out_free;
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			goto out_free;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > max) {
			ret = -EFBIG;
			goto out_free;
		}
	}
	close(fd);
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;

out_free:
	free(buf);
out_close:
	close(fd);
	return ret;
}

int file_write_atomic(const char *path, const char *tmp, const void *buf,
		      size_t len)
{
	const char *p = buf;
	int fd, ret = 0;
	ssize_t w;

	/*
	 * A temp file of an earlier write that failed may be there, maybe as
	 * a hard link to a file in use: unlink it, never truncate it.
	 */
	if (unlink(tmp) < 0 && errno != ENOENT)
		return -errno;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0644);
	if (fd < 0)
		return -errno;
	while (len > 0) {
		w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			ret = -errno;
			goto out_close;
		}
		p += w;
		len -= (size_t)w;
	}
	/* The umask may have taken bits away from 0644. */
	if (fchmod(fd, 0644) < 0)
		ret = -errno;
out_close:
	if (close(fd) < 0 && ret == 0)
		ret = -errno;
	if (ret == 0 && rename(tmp, path) < 0)
		ret = -errno;
	if (ret < 0)
		unlink(tmp);
	return ret;
}

const char *file_strerror(int err)
{
	return err == -EINVAL ? "not a regular file" : strerror(-err);
}
