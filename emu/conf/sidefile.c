// SPDX-License-Identifier: MIT
/* sidefile.c - the files a configuration names: stations CSV, ISL pairs */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emu/conf/sidefile.h"
#include "emu/conf/units.h"
#include "tap/file.h"
#include "topo/lib/array.h"
#include "topo/lib/lines.h"

#define SIDEFILE_MAX ((size_t)64 << 20)
#define SIDEFILE_CSV_COLUMNS "name,latitude_deg,longitude_deg[,altitude_m]"

static void sidefile_unreadable(const struct sidefile_src *src,
				const char *why, struct diag *d)
{
	diag_error(d, src->conf, src->line,
		   "%s \"%s\" cannot be read (%s): %s", src->key, src->val,
		   src->path, why);
}

bool sidefile_check(const struct sidefile_src *src, struct diag *d)
{
	struct stat st;

	if (stat(src->path, &st) < 0 || access(src->path, R_OK) < 0) {
		sidefile_unreadable(src, strerror(errno), d);
		return false;
	}
	if (!S_ISREG(st.st_mode)) {
		sidefile_unreadable(src, "not a regular file", d);
		return false;
	}
	return true;
}

/*
 * The shared preamble: read the whole file, or say why it cannot be read.
 * Then each line with its comment cut, blank lines and lines with a NUL
 * byte (reported) left out, as a NUL-terminated copy in *buf.
 */
static int sidefile_read(const struct sidefile_src *src, char **text,
			 size_t *len, struct diag *d)
{
	int ret = file_read_all(src->path, SIDEFILE_MAX, FILE_F_REGULAR, text,
				len);

	if (ret == -ENOMEM)
		return ret;
	if (ret < 0) {
		sidefile_unreadable(src, file_strerror(ret), d);
		return -EINVAL;
	}
	return 0;
}

static int sidefile_next(const struct sidefile_src *src, struct lines *l,
			 struct line *ln, char **buf, struct diag *d)
{
	while (lines_next(l, ln)) {
		if (lines_has_nul(ln)) {
			diag_error(d, src->path, ln->no,
				   "line has a NUL byte");
			continue;
		}
		lines_cut_comment(ln, LINES_HASH_ANYWHERE);
		if (!ln->n)
			continue;
		free(*buf);
		*buf = strndup(ln->s, ln->n);
		return *buf ? 1 : -ENOMEM;
	}
	return 0;
}

/* Remove white space at both ends of s, in place. */
static char *sidefile_trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Stations --------------------------------------------------------------- */

/* A range check with the usual message; false if v is outside. */
static bool sidefile_range(const struct sidefile_src *src, unsigned line,
			   const char *col, const char *s, double v, double lo,
			   double hi, struct diag *d)
{
	if (v >= lo && v <= hi)
		return true;
	diag_error(d, src->path, line, "%s \"%s\" is out of range (%g to %g)",
		   col, s, lo, hi);
	return false;
}

/* One data row, already cut into fields; false if it is bad (reported). */
static bool sidefile_row(const struct sidefile_src *src, unsigned line,
			 char **f, struct sidefile_station *st,
			 struct diag *d)
{
	const char *why = NULL, *alt = f[3] ? f[3] : "";
	bool ok = true;

	if (!config_name_ok(f[0], &why)) {
		diag_error(d, src->path, line, "name \"%s\" %s", f[0], why);
		ok = false;
	}
	if (!units_parse_angle(f[1], &st->lat_deg, &why)) {
		diag_error(d, src->path, line, "latitude_deg \"%s\" %s", f[1],
			   why);
		ok = false;
	} else if (!sidefile_range(src, line, "latitude_deg", f[1],
				   st->lat_deg, -90, 90, d)) {
		ok = false;
	}
	if (!units_parse_angle(f[2], &st->lon_deg, &why)) {
		diag_error(d, src->path, line, "longitude_deg \"%s\" %s", f[2],
			   why);
		ok = false;
	} else if (!sidefile_range(src, line, "longitude_deg", f[2],
				   st->lon_deg, -180, 180, d)) {
		ok = false;
	}
	st->alt_m = 0;
	if (*alt) {
		if (!units_parse_signed_real(alt, &st->alt_m, &why)) {
			diag_error(d, src->path, line, "altitude_m \"%s\" %s",
				   alt, why);
			ok = false;
		} else if (!sidefile_range(src, line, "altitude_m", alt,
					   st->alt_m, -1000, 100000, d)) {
			ok = false;
		}
	}
	if (ok)
		snprintf(st->name, sizeof(st->name), "%s", f[0]);
	st->line = line;
	return ok;
}

int sidefile_stations(const struct sidefile_src *src,
		      struct sidefile_station **out, size_t *n,
		      struct diag *d)
{
	size_t len, cap = 0;
	char *text, *row = NULL, *copy = NULL;
	bool first = true;
	struct lines l;
	struct line ln;
	int ret;

	*out = NULL;
	*n = 0;
	ret = sidefile_read(src, &text, &len, d);
	if (ret)
		return ret;
	lines_init(&l, text, len);
	while ((ret = sidefile_next(src, &l, &ln, &row, d)) > 0) {
		char *f[5] = { NULL }, *p;
		size_t nf = 0;

		free(copy);
		copy = strdup(row);
		if (!copy) {
			ret = -ENOMEM;
			break;
		}
		for (p = row;;) {
			char *comma = strchr(p, ',');

			if (comma)
				*comma = '\0';
			if (nf < 5)
				f[nf] = sidefile_trim(p);
			nf++;
			if (!comma)
				break;
			p = comma + 1;
		}
		if (first) {
			first = false;
			if (!strcasecmp(f[0], "name"))
				continue;
		}
		if (nf < 3 || nf > 4) {
			diag_error(d, src->path, ln.no,
				   "row \"%s\" has %zu columns, expected 3 or "
				   "4 (" SIDEFILE_CSV_COLUMNS ")", copy, nf);
			continue;
		}
		ret = array_grow((void **)out, &cap, *n + 1, sizeof(**out), 16);
		if (ret < 0)
			break;
		if (sidefile_row(src, ln.no, f, &(*out)[*n], d))
			(*n)++;
	}
	free(copy);
	free(row);
	free(text);
	if (ret < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
		return -ENOMEM;
	}
	return 0;
}

/* Pairs ------------------------------------------------------------------- */

static int sidefile_pair_cmp(const void *pa, const void *pb)
{
	const struct config_pair *a = *(const struct config_pair *const *)pa;
	const struct config_pair *b = *(const struct config_pair *const *)pb;
	bool aswap = strcmp(a->a, a->b) > 0, bswap = strcmp(b->a, b->b) > 0;
	int r = strcmp(aswap ? a->b : a->a, bswap ? b->b : b->a);

	if (!r)
		r = strcmp(aswap ? a->a : a->b, bswap ? b->a : b->b);
	if (!r)
		r = (a->line > b->line) - (a->line < b->line);
	return r;
}

/* Report a link listed twice (in either order). */
static int sidefile_pairs_repeats(const struct config_pair *p, size_t n,
				  struct diag *d)
{
	const struct config_pair **v;

	if (n < 2)
		return 0;
	v = malloc(n * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		v[i] = &p[i];
	qsort(v, n, sizeof(*v), sidefile_pair_cmp);
	for (size_t i = 1; i < n; i++) {
		const struct config_pair *a = v[i - 1], *b = v[i];

		if ((!strcmp(a->a, b->a) && !strcmp(a->b, b->b)) ||
		    (!strcmp(a->a, b->b) && !strcmp(a->b, b->a)))
			diag_error(d, b->file, b->line,
				   "pair \"%s %s\" repeats line %u", b->a, b->b,
				   a->line);
	}
	free(v);
	return 0;
}

/* One line of the pairs file into *p; false if it is bad (reported). */
static bool sidefile_pair(const struct sidefile_src *src, unsigned line,
			  char *row, struct config_pair *p, struct diag *d)
{
	char *copy = strdup(row), *w[3], *save = NULL;
	const char *why = NULL;
	size_t n = 0;
	bool ok = true;

	if (!copy)
		return false;
	for (char *t = strtok_r(copy, " \t\v\f\r", &save); t;
	     t = strtok_r(NULL, " \t\v\f\r", &save))
		if (n < 3)
			w[n++] = t;
	if (n != 2) {
		diag_error(d, src->path, line,
			   "line \"%s\" is not two node names", row);
		free(copy);
		return false;
	}
	for (size_t i = 0; i < 2; i++) {
		if (!config_name_ok(w[i], &why)) {
			diag_error(d, src->path, line, "node \"%s\" %s", w[i],
				   why);
			ok = false;
		}
	}
	if (ok && !strcmp(w[0], w[1])) {
		diag_error(d, src->path, line,
			   "pair \"%s\" links a node to itself", row);
		ok = false;
	}
	if (ok) {
		snprintf(p->a, sizeof(p->a), "%s", w[0]);
		snprintf(p->b, sizeof(p->b), "%s", w[1]);
		p->file = src->path;
		p->line = line;
	}
	free(copy);
	return ok;
}

int sidefile_pairs(const struct sidefile_src *src, struct config_pair **out,
		   size_t *n, struct diag *d)
{
	size_t len, cap = 0;
	char *text, *row = NULL;
	struct lines l;
	struct line ln;
	int ret;

	*out = NULL;
	*n = 0;
	ret = sidefile_read(src, &text, &len, d);
	if (ret)
		return ret;
	lines_init(&l, text, len);
	while ((ret = sidefile_next(src, &l, &ln, &row, d)) > 0) {
		ret = array_grow((void **)out, &cap, *n + 1, sizeof(**out), 16);
		if (ret < 0)
			break;
		memset(&(*out)[*n], 0, sizeof(**out));
		if (sidefile_pair(src, ln.no, row, &(*out)[*n], d))
			(*n)++;
	}
	free(row);
	free(text);
	if (!ret)
		ret = sidefile_pairs_repeats(*out, *n, d);
	if (ret < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
		return -ENOMEM;
	}
	return 0;
}
