/* SPDX-License-Identifier: MIT */
/* data.h - the suites' test data files, read whole (tap/file.h underneath) */
#ifndef TESTS_LIB_DATA_H
#define TESTS_LIB_DATA_H

#include <stddef.h>

/*
 * The whole file at path (relative to the repository root, where the suites
 * run), NUL-terminated, its length in *len; the caller frees it. A file that
 * cannot be read fails the test, saying which and why.
 */
char *data_read(const char *path, size_t *len);

#endif
