/* SPDX-License-Identifier: MIT */
/* file.h - the one whole-file reader (every configuration, side and state file) */
#ifndef TAP_FILE_H
#define TAP_FILE_H

#include <stddef.h>

enum {
	/*
	 * Accept only a regular file: a directory gives -EISDIR, a device
	 * or FIFO -EINVAL (opened without blocking, so a FIFO cannot hang
	 * the reader). Without it anything readable is read, so that
	 * `lasermesh check /dev/stdin` works.
	 */
	FILE_F_REGULAR = 1U << 0,
};

/*
 * Read the whole file at path into a new buffer, NUL-terminated (the NUL is
 * not counted in *len; the text may hold NULs of its own). More than max
 * bytes gives -EFBIG. The caller frees *out. 0 or -errno.
 */
int file_read_all(const char *path, size_t max, unsigned flags, char **out,
		  size_t *len);

/* The reason for a file_read_all() error, for messages ("not a regular file"). */
const char *file_strerror(int err);

#endif
