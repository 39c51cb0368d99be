// SPDX-License-Identifier: MIT
/* diag.c - collect diagnostics so that every error is reported before giving up */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topo/lib/diag.h"

void diag_init(struct diag *d)
{
	memset(d, 0, sizeof(*d));
}

void diag_free(struct diag *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		free(d->msg[i]);
	free(d->msg);
	memset(d, 0, sizeof(*d));
}

static void diag_vadd(struct diag *d, const char *kind, const char *file,
		      unsigned line, const char *fmt, va_list ap)
{
	char body[1024], *m = NULL;
	int len;

	vsnprintf(body, sizeof(body), fmt, ap);
	if (file && line)
		len = asprintf(&m, "%s:%u: %s%s", file, line, kind, body);
	else if (file)
		len = asprintf(&m, "%s: %s%s", file, kind, body);
	else
		len = asprintf(&m, "%s%s", kind, body);
	if (len < 0)
		return;	/* out of memory: the count below still records it */
	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 8;
		char **v = realloc(d->msg, cap * sizeof(*v));

		if (!v) {
			free(m);
			return;
		}
		d->msg = v;
		d->cap = cap;
	}
	d->msg[d->n++] = m;
}

void diag_error(struct diag *d, const char *file, unsigned line,
		const char *fmt, ...)
{
	va_list ap;

	d->errors++;
	va_start(ap, fmt);
	diag_vadd(d, "", file, line, fmt, ap);
	va_end(ap);
}

void diag_warn(struct diag *d, const char *file, unsigned line,
	       const char *fmt, ...)
{
	va_list ap;

	d->warnings++;
	va_start(ap, fmt);
	diag_vadd(d, "warning: ", file, line, fmt, ap);
	va_end(ap);
}

void diag_print(const struct diag *d, void *f)
{
	for (size_t i = 0; i < d->n; i++)
		fprintf(f, "%s\n", d->msg[i]);
}
