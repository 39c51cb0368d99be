// SPDX-License-Identifier: MIT
/* tle_file.c - walk a TLE file: names, two- and three-line sets, one error per bad set */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "topo/lib/array.h"
#include "topo/lib/lines.h"
#include "topo/tle.h"

/*
 * tle.c reads one set (two data lines) into mean elements; this file finds
 * the sets in a text: an optional name line (CelesTrak's 3-line format, a
 * leading "0 " allowed), then line 1 and line 2. A set that cannot be read
 * is reported at its line and skipped; the others still load.
 */

/*
 * The next line of l (topo/lib/lines.h) with trailing blanks and CR
 * removed, without moving on; false at the end.
 */
static bool tle_peek(const struct lines *l, struct line *ln)
{
	if (!lines_peek(l, ln))
		return false;
	ln->n = tle_trim(ln->s, ln->n);
	return true;
}

static void tle_advance(struct lines *l)
{
	struct line skip;

	lines_next(l, &skip);
}

/* A data line begins with a line number 1-9 and a blank. */
static bool tle_is_data(const struct line *l)
{
	return l->n >= 2 && l->s[0] >= '1' && l->s[0] <= '9' && l->s[1] == ' ';
}

static int tle_append(struct tle_set *s, const char *name, size_t name_len,
		      const struct sgp4_elements *el, unsigned line)
{
	struct tle_entry *e;

	if (array_grow((void **)&s->v, &s->cap, s->n + 1, sizeof(*s->v), 64))
		return -ENOMEM;
	e = &s->v[s->n++];
	if (name_len > TLE_NAME_MAX - 1)
		name_len = TLE_NAME_MAX - 1;
	memcpy(e->name, name, name_len);
	e->name[name_len] = '\0';
	e->el = *el;
	e->line = line;
	return 0;
}

int tle_parse(const char *text, size_t len, const char *filename,
	      struct tle_set *out, struct diag *d)
{
	struct line a, l1, l2;
	struct lines c;
	struct sgp4_elements el;
	struct tle_error err;
	const char *name;
	size_t name_len, sets = 0;
	char q[TLE_NAME_MAX];
	int ret;

	lines_init(&c, text, len);
	while (tle_peek(&c, &a)) {
		tle_advance(&c);
		if (a.n == 0)
			continue;
		sets++;
		name = "";
		name_len = 0;
		if (tle_is_data(&a)) {
			l1 = a;
		} else {
			name = a.s;
			name_len = a.n;
			if (name_len >= 2 && name[0] == '0' && name[1] == ' ') {
				name += 2;
				name_len -= 2;
			}
			while (name_len && name[0] == ' ') {
				name++;
				name_len--;
			}
			if (!tle_peek(&c, &l1) || !tle_is_data(&l1)) {
				diag_error(d, filename, a.no,
					   "name line \"%s\" is not followed by "
					   "line 1",
					   tle_quote(q, sizeof(q), a.s, a.n));
				continue;
			}
			tle_advance(&c);
		}

		/* l1 is a data line; line 2 must follow it. A line 2 that
		 * stands in for line 1 begins a set of its own. */
		if (!tle_peek(&c, &l2) || !tle_is_data(&l2) || l2.s[0] == '1' ||
		    l1.s[0] == '2') {
			if (l1.s[0] == '1')
				diag_error(d, filename, l1.no,
					   "line 1 is not followed by line 2");
			else
				diag_error(d, filename, l1.no,
					   "line 1 begins with \"%c\", expected "
					   "\"1\"", l1.s[0]);
			continue;
		}
		tle_advance(&c);

		if (!tle_parse_lines(l1.s, l1.n, l2.s, l2.n, 0, &el, &err)) {
			diag_error(d, filename, err.which == 1 ? l1.no : l2.no,
				   "%s", err.msg);
			continue;
		}
		ret = tle_append(out, name, name_len, &el, l1.no);
		if (ret < 0)
			return ret;
	}
	if (sets == 0)
		diag_error(d, filename, 0, "no element sets");
	return 0;
}

void tle_set_free(struct tle_set *s)
{
	if (!s)
		return;
	free(s->v);
	s->v = NULL;
	s->n = 0;
	s->cap = 0;
}
