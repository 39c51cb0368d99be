// SPDX-License-Identifier: MIT
/* json.c - the one JSON string writer: quoting and escaping */
#include <stdio.h>
#include <string.h>

#include "topo/lib/json.h"

/* The escape of byte c into e (at most 7 bytes), or NULL: as it is. */
static const char *json_escape(unsigned char c, char e[8])
{
	switch (c) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	default:
		if (c >= 0x20 && c != 0x7f)
			return NULL;
		snprintf(e, 8, "\\u%04x", c);
		return e;
	}
}

/* Append k bytes of x to buf at *n, counting what does not fit. */
static void json_put(char *buf, size_t len, size_t *n, const char *x,
		     size_t k)
{
	for (size_t i = 0; i < k; i++, (*n)++)
		if (*n + 1 < len)
			buf[*n] = x[i];
}

size_t json_str_buf(char *buf, size_t len, const char *s)
{
	size_t n = 0;

	json_put(buf, len, &n, "\"", 1);
	for (const char *p = s; *p; p++) {
		char e[8];
		const char *x = json_escape((unsigned char)*p, e);

		json_put(buf, len, &n, x ? x : p, x ? strlen(x) : 1);
	}
	json_put(buf, len, &n, "\"", 1);
	if (len)
		buf[n < len ? n : len - 1] = '\0';
	return n;
}

void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char e[8];
		const char *x = json_escape(*p, e);

		if (x)
			fputs(x, f);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}
