// SPDX-License-Identifier: MIT
/* lines.c - the one line reader: split a text in memory into numbered lines */
#include <ctype.h>
#include <string.h>

#include "topo/lib/lines.h"

void lines_init(struct lines *l, const char *text, size_t len)
{
	l->text = text;
	l->len = len;
	l->pos = 0;
	l->no = 1;
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		l->pos = 3;
}

bool lines_peek(const struct lines *l, struct line *out)
{
	const char *p, *nl;
	size_t n;

	if (l->pos >= l->len)
		return false;
	p = l->text + l->pos;
	nl = memchr(p, '\n', l->len - l->pos);
	n = nl ? (size_t)(nl - p) : l->len - l->pos;
	if (n && p[n - 1] == '\r')
		n--;
	out->s = p;
	out->n = n;
	out->no = l->no;
	return true;
}

bool lines_next(struct lines *l, struct line *out)
{
	const char *nl;

	if (!lines_peek(l, out))
		return false;
	nl = memchr(l->text + l->pos, '\n', l->len - l->pos);
	l->pos = nl ? (size_t)(nl - l->text) + 1 : l->len;
	l->no++;
	return true;
}

void lines_trim(struct line *ln)
{
	while (ln->n && isspace((unsigned char)ln->s[0])) {
		ln->s++;
		ln->n--;
	}
	while (ln->n && isspace((unsigned char)ln->s[ln->n - 1]))
		ln->n--;
}

void lines_cut_comment(struct line *ln, enum lines_comment kind)
{
	for (size_t i = 0; i < ln->n; i++) {
		char c = ln->s[i];

		if (kind == LINES_HASH_ANYWHERE && c == '#') {
			ln->n = i;
			break;
		}
		if (kind == LINES_HASH_AFTER_SPACE && (c == '#' || c == ';') &&
		    (i == 0 || isspace((unsigned char)ln->s[i - 1]))) {
			ln->n = i;
			break;
		}
	}
	lines_trim(ln);
}

bool lines_has_nul(const struct line *ln)
{
	return memchr(ln->s, '\0', ln->n) != NULL;
}
