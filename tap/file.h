/* SPDX-License-Identifier: MIT */
/* file.h - the one whole-file reader and the one atomic writer */
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

/*
 * Write len bytes of buf as path (mode 0644) atomically: into the temp file
 * tmp first (a path on the same file system as path; a file already there
 * is unlinked, never truncated; the caller chooses the name, see
 * owner_temp_path()), then rename() it over path. Readers see the old file
 * or the new one, never a part. On failure tmp is removed and path is as
 * it was. 0 or -errno.
 */
int file_write_atomic(const char *path, const char *tmp, const void *buf,
		      size_t len);

/* The reason for a file_read_all() error, for messages ("not a regular file").
 */
const char *file_strerror(int err);

#endif
