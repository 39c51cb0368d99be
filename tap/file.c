// SPDX-License-Identifier: MIT
/* file.c - the one whole-file reader (every configuration, side and state file) */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
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

const char *file_strerror(int err)
{
	return err == -EINVAL ? "not a regular file" : strerror(-err);
}
