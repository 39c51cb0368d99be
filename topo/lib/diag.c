// SPDX-License-Identifier: MIT
/* diag.c - collect diagnostics so that every error is reported before giving up */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topo/lib/array.h"
#include "topo/lib/diag.h"

void diag_init(struct diag *d)
{
	if (d)
		memset(d, 0, sizeof(*d));
}

void diag_free(struct diag *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		free(d->msg[i]);
	free(d->msg);
	free(d->kind);
	memset(d, 0, sizeof(*d));
}

/*
 * A copy of s with every control character (below 0x20, and DEL) written
 * as \xNN, so that a message never moves the cursor or clears a screen.
 */
static char *diag_escape(const char *s)
{
	size_t n = 0;
	char *out, *o;

	for (const char *p = s; *p; p++)
		n += ((unsigned char)*p < 0x20 || *p == 0x7f) ? 4 : 1;
	out = malloc(n + 1);
	if (!out)
		return NULL;
	o = out;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c < 0x20 || c == 0x7f)
			o += sprintf(o, "\\x%02x", c);
		else
			*o++ = (char)c;
	}
	*o = '\0';
	return out;
}

static void diag_vadd(struct diag *d, enum diag_kind kind, const char *file,
		      unsigned line, const char *fmt, va_list ap)
{
	const char *prefix = kind == DIAG_WARNING ? "warning: " : "";
	char body[1024], *m = NULL, *e;
	int len;

	if (d->kept[kind] >= DIAG_KEEP)
		return;	/* counted by the caller, summarised by diag_print */
	vsnprintf(body, sizeof(body), fmt, ap);
	if (file && line)
		len = asprintf(&m, "%s:%u: %s%s", file, line, prefix, body);
	else if (file)
		len = asprintf(&m, "%s: %s%s", file, prefix, body);
	else
		len = asprintf(&m, "%s%s", prefix, body);
	if (len < 0)
		return;	/* out of memory: the count still records it */
	e = diag_escape(m);
	free(m);
	if (!e)
		return;
	if (d->n == d->cap) {
		size_t cap = d->cap;

		if (array_grow((void **)&d->msg, &cap, d->n + 1,
			       sizeof(*d->msg), 8) < 0 ||
		    array_grow((void **)&d->kind, &d->cap, d->n + 1,
			       sizeof(*d->kind), 8) < 0) {
			free(e);
			return;
		}
	}
	d->kind[d->n] = kind;
	d->msg[d->n++] = e;
	d->kept[kind]++;
}

void diag_error(struct diag *d, const char *file, unsigned line,
		const char *fmt, ...)
{
	va_list ap;

	if (!d)
		return;
	d->errors++;
	va_start(ap, fmt);
	diag_vadd(d, DIAG_ERROR, file, line, fmt, ap);
	va_end(ap);
}

void diag_warn(struct diag *d, const char *file, unsigned line,
	       const char *fmt, ...)
{
	va_list ap;

	if (!d)
		return;
	d->warnings++;
	va_start(ap, fmt);
	diag_vadd(d, DIAG_WARNING, file, line, fmt, ap);
	va_end(ap);
}

void diag_count(struct diag *d, enum diag_kind kind, size_t n)
{
	if (!d)
		return;
	if (kind == DIAG_WARNING)
		d->warnings += n;
	else
		d->errors += n;
}

size_t diag_unlisted(const struct diag *d, enum diag_kind kind)
{
	if (!d)
		return 0;
	return (kind == DIAG_WARNING ? d->warnings : d->errors) - d->kept[kind];
}

const char *diag_noun(enum diag_kind kind, size_t n)
{
	if (kind == DIAG_WARNING)
		return n == 1 ? "warning" : "warnings";
	return n == 1 ? "error" : "errors";
}

void diag_print(const struct diag *d, void *f)
{
	static const enum diag_kind kinds[] = { DIAG_ERROR, DIAG_WARNING };

	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		fprintf(f, "%s\n", d->msg[i]);
	for (size_t k = 0; k < 2; k++) {
		size_t more = diag_unlisted(d, kinds[k]);

		if (more)
			fprintf(f, "... and %zu more %s\n", more,
				diag_noun(kinds[k], more));
	}
}
