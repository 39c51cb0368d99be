// SPDX-License-Identifier: MIT
/* data.c - the suites' test data files, read whole (tap/file.h underneath) */
#include <criterion/criterion.h>

#include "tap/file.h"
#include "tests/lib/data.h"

/* Larger than any file of tests/data or docs/examples/data. */
#define DATA_MAX (64u << 20)

char *data_read(const char *path, size_t *len)
{
	char *text = NULL;
	int ret = file_read_all(path, DATA_MAX, 0, &text, len);

	cr_assert_eq(ret, 0,
		     "cannot read %s: %s (tests run from the repository root)",
		     path, file_strerror(ret));
	return text;
}
