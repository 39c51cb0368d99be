// SPDX-License-Identifier: MIT
/* test_lib.c - the basics: array_grow, the line reader, the file reader */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap/file.h"
#include "topo/lib/array.h"
#include "topo/lib/lines.h"
#include "topo/lib/util.h"

Test(array, grows_by_doubling_from_min)
{
	int *v = NULL;
	size_t cap = 0;

	cr_assert_eq(array_grow((void **)&v, &cap, 1, sizeof(*v), 16), 0);
	cr_assert_eq(cap, 16);
	cr_assert_eq(array_grow((void **)&v, &cap, 16, sizeof(*v), 16), 0);
	cr_assert_eq(cap, 16, "no growth when it fits");
	cr_assert_eq(array_grow((void **)&v, &cap, 17, sizeof(*v), 16), 0);
	cr_assert_eq(cap, 32);
	cr_assert_eq(array_grow((void **)&v, &cap, 1000, sizeof(*v), 16), 0);
	cr_assert_eq(cap, 1024);
	v[999] = 7;
	free(v);
}

Test(array, refuses_overflow_and_keeps_the_array)
{
	char *v = NULL;
	size_t cap = 0;

	cr_assert_eq(array_grow((void **)&v, &cap, 8, 1, 8), 0);
	cr_assert_eq(array_grow((void **)&v, &cap, SIZE_MAX / 4 + 1, 8, 8),
		     -EOVERFLOW);
	cr_assert_eq(array_grow((void **)&v, &cap, SIZE_MAX, 1, 8),
		     -EOVERFLOW);
	cr_assert_eq(cap, 8);
	cr_assert_not_null(v);
	free(v);
}

struct holder {
	int a;
	long member;
};

Test(util, container_of_finds_the_owner)
{
	struct holder h;

	cr_assert_eq(container_of(&h.member, struct holder, member), &h);
	cr_assert_eq(ARRAY_SIZE((int[5]){0}), 5);
}

static void expect(struct lines *l, const char *text, unsigned no)
{
	struct line ln;

	cr_assert(lines_next(l, &ln), "line %u missing", no);
	cr_assert_eq(ln.no, no);
	cr_assert_eq(ln.n, strlen(text), "line %u: %zu bytes, want %zu", no,
		     ln.n, strlen(text));
	cr_assert(!memcmp(ln.s, text, ln.n));
}

Test(lines, numbers_lines_and_drops_crlf_and_bom)
{
	const char t[] = "\xef\xbb\xbf" "one\r\ntwo\n\nlast";
	struct lines l;
	struct line ln;

	lines_init(&l, t, sizeof(t) - 1);
	cr_assert(lines_peek(&l, &ln));
	cr_assert_eq(ln.no, 1);
	expect(&l, "one", 1);
	expect(&l, "two", 2);
	expect(&l, "", 3);
	expect(&l, "last", 4);
	cr_assert_not(lines_next(&l, &ln));
}

Test(lines, no_length_limit)
{
	size_t n = 1 << 20;
	char *t = malloc(n + 2);
	struct lines l;
	struct line ln;

	memset(t, 'x', n);
	t[n] = '\n';
	t[n + 1] = 'y';
	lines_init(&l, t, n + 2);
	cr_assert(lines_next(&l, &ln));
	cr_assert_eq(ln.n, n);
	expect(&l, "y", 2);
	free(t);
}

Test(lines, comment_grammars)
{
	struct line ln = { .s = "  key = a#b ; c  # d", .n = 20 };
	struct line m = ln;

	lines_cut_comment(&ln, LINES_HASH_ANYWHERE);
	cr_assert_eq(ln.n, strlen("key = a"));
	cr_assert(!memcmp(ln.s, "key = a", ln.n));
	lines_cut_comment(&m, LINES_HASH_AFTER_SPACE);
	cr_assert_eq(m.n, strlen("key = a#b"));
	cr_assert(!memcmp(m.s, "key = a#b", m.n));
}

Test(lines, finds_nul)
{
	struct line a = { .s = "ab\0c", .n = 4 }, b = { .s = "abc", .n = 3 };

	cr_assert(lines_has_nul(&a));
	cr_assert_not(lines_has_nul(&b));
}

Test(file, reads_whole_file_and_bounds_it)
{
	char path[] = "/tmp/lasermesh-test-file-XXXXXX";
	int fd = mkstemp(path);
	char *buf;
	size_t len;

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "abc\0def", 7), 7);
	close(fd);
	cr_assert_eq(file_read_all(path, 100, FILE_F_REGULAR, &buf, &len), 0);
	cr_assert_eq(len, 7);
	cr_assert(!memcmp(buf, "abc\0def", 8), "NUL-terminated after the text");
	free(buf);
	cr_assert_eq(file_read_all(path, 6, 0, &buf, &len), -EFBIG);
	unlink(path);
	cr_assert_eq(file_read_all(path, 100, 0, &buf, &len), -ENOENT);
	cr_assert_eq(file_read_all("/tmp", 100, FILE_F_REGULAR, &buf, &len),
		     -EISDIR);
	cr_assert_eq(file_read_all("/dev/null", 100, FILE_F_REGULAR, &buf,
				   &len), -EINVAL);
	cr_assert_str_eq(file_strerror(-EINVAL), "not a regular file");
	cr_assert_eq(file_read_all("/dev/null", 100, 0, &buf, &len), 0);
	cr_assert_eq(len, 0);
	free(buf);
}
