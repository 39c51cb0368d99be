// SPDX-License-Identifier: MIT
/* config.c - read the INI configuration with libinih into struct config */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>

#include "emu/conf/config.h"
#include "emu/conf/units.h"
#include "topo/utc.h"

/*
 * How the file is read. libinih splits "key = value" lines and trims them,
 * but Debian's build gives its handler no line number, stops at lines of
 * 200 characters and folds indented lines into the previous value. So the
 * text goes through our own line reader (ini_parse_stream): it counts
 * lines, strips comments ('#' or ';' at the start or after white space) and
 * leading white space (so that indentation never means continuation),
 * rejects lines that are too long or malformed with their line number, and
 * handles "[section NAME]" headers itself. inih then only ever sees
 * "key = value" lines, and the handler knows the current line and section
 * from the shared context.
 *
 * Each section has a table of keys with a type (unit), the offset of its
 * field and its range, so that most keys need no code of their own. A key
 * may appear once per section (except where marked); named sections
 * ([shell NAME], [tle NAME], [ground NAME]) are created when their header
 * is read and checked for required keys when the next header (or the end)
 * comes. Checks between sections run once at the end (config_finish).
 */

#define CONFIG_DEFAULT_EPOCH_NS (INT64_C(1771804800) * UTC_NS_PER_S)
#define CONFIG_FILE_MAX ((size_t)64 << 20)
#define CONFIG_KEYS_MAX 16
#define CONFIG_PATTERN_MAX 256
#define CONFIG_SHELL_NAME_MAX sizeof(((struct walker_shell *)0)->name)
#define CONFIG_MAX_SATS 1000000u

const char *const config_default_name = "<default>";

enum config_sec {
	CONFIG_SEC_NONE,	/* before the first header */
	CONFIG_SEC_BAD,		/* after a bad header: skip its keys */
	CONFIG_SEC_EMULATION,
	CONFIG_SEC_SHELL,
	CONFIG_SEC_TLE,
	CONFIG_SEC_ISL,
	CONFIG_SEC_GROUND,
	CONFIG_SEC_GROUNDS,
	CONFIG_SEC_GSL,
	CONFIG_SEC_TAP,
	CONFIG_SEC_N,
};

struct config_ctx {
	struct config *c;
	struct diag *d;
	const char *file;	/* c->path, for messages */
	/* the text and the reader's place in it */
	const char *text;
	size_t len, pos;
	unsigned line;
	/* the section being read */
	enum config_sec sec;
	char label[96];		/* "[shell s1]", for messages */
	unsigned sec_line;
	size_t idx;		/* entry of a named section */
	unsigned *seen;		/* line where each key was set, or 0 */
	unsigned seen_named[CONFIG_KEYS_MAX];
	unsigned seen_single[CONFIG_SEC_N][CONFIG_KEYS_MAX];
	unsigned sec_first[CONFIG_SEC_N];	/* first header of a kind */
	/* capacities of the arrays in c */
	size_t cap_shells, cap_tles, cap_grounds, cap_taps, cap_pairs;
	size_t cap_strs;
	bool enomem;
};

enum config_type {
	CONFIG_T_FUNC,		/* set() does everything */
	CONFIG_T_TIME,		/* int64_t ns */
	CONFIG_T_LENGTH,	/* double km */
	CONFIG_T_ANGLE,		/* double degrees */
	CONFIG_T_REAL,		/* double */
	CONFIG_T_UINT,		/* unsigned */
	CONFIG_T_U64,		/* uint64_t */
	CONFIG_T_BOOL,		/* bool */
	CONFIG_T_RATE,		/* uint64_t bit/s */
	CONFIG_T_QUEUE,		/* struct linkparams (qkind, qlimit) */
	CONFIG_T_LOSS,		/* struct linkparams_lossmodel */
};

enum {
	CONFIG_K_REQUIRED = 1U << 0,
	CONFIG_K_REPEAT = 1U << 1,	/* may be given more than once */
	CONFIG_K_RANGE = 1U << 2,	/* min <= value <= max, else range */
	CONFIG_K_POSITIVE = 1U << 3,	/* value > 0 */
	CONFIG_K_BELOW_MAX = 1U << 4,	/* value < max, not <= */
};

struct config_ctx;

struct config_key {
	const char *name;
	enum config_type type;
	size_t off;		/* of the field in the section's struct */
	unsigned flags;
	double min, max;	/* in the stored unit (km, ns, degrees) */
	const char *range;	/* the reason when out of range */
	void (*set)(struct config_ctx *x, const char *key, const char *val);
};

struct config_section {
	const char *name;
	enum config_sec sec;
	bool named;
	const struct config_key *keys;
};

/* Memory ------------------------------------------------------------- */

/* Append a zeroed element to *arr (n elements, room for *cap). */
static void *config_push(struct config_ctx *x, void **arr, size_t *n,
			 size_t *cap, size_t size)
{
	char *v = *arr;

	if (*n == *cap) {
		size_t ncap = *cap ? 2 * *cap : 8;

		v = realloc(*arr, ncap * size);
		if (!v) {
			x->enomem = true;
			return NULL;
		}
		*arr = v;
		*cap = ncap;
	}
	memset(v + *n * size, 0, size);
	return v + (*n)++ * size;
}

/* Hand s (malloc'ed, may be NULL) to the config, which frees it later. */
static const char *config_keep(struct config_ctx *x, char *s)
{
	char **slot;

	if (!s) {
		x->enomem = true;
		return NULL;
	}
	slot = config_push(x, (void **)&x->c->strs, &x->c->nstrs,
			   &x->cap_strs, sizeof(*slot));
	if (!slot) {
		free(s);
		return NULL;
	}
	*slot = s;
	return s;
}

void config_free(struct config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nstrs; i++)
		free(c->strs[i]);
	free(c->strs);
	free(c->shells);
	free(c->tles);
	free(c->isl.pairs);
	free(c->grounds);
	free(c->taps);
	free(c);
}

/* Messages ------------------------------------------------------------ */

/* The usual error: key "value" why, at the current line. */
static void config_bad(struct config_ctx *x, const char *key,
		       const char *val, const char *why)
{
	diag_error(x->d, x->file, x->line, "%s \"%s\" %s", key, val, why);
}

/* Files --------------------------------------------------------------- */

/*
 * Read a whole file into a new NUL-terminated buffer. With regular, only a
 * regular file is accepted (-EISDIR, or -EINVAL for devices and FIFOs, which
 * are opened without blocking); otherwise anything readable is (so that
 * `lasermesh check /dev/stdin` works). At most CONFIG_FILE_MAX bytes
 * (-EFBIG). 0 or -errno.
 */
static int config_slurp(const char *path, bool regular, char **out,
			size_t *outlen)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;
	struct stat st;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC | (regular ? O_NONBLOCK : 0));
	if (fd < 0)
		return -errno;
	if (regular) {
		if (fstat(fd, &st) < 0) {
			ret = -errno;
			goto out_close;
		}
		if (!S_ISREG(st.st_mode)) {
			ret = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
			goto out_close;
		}
	}
	for (;;) {
		ssize_t r;

		if (cap - len < 2) {
			size_t ncap = cap ? 2 * cap : 65536;
			char *nbuf;

			if (cap > CONFIG_FILE_MAX) {
				ret = -EFBIG;
				goto out_free;
			}
			nbuf = realloc(buf, ncap);
			if (!nbuf) {
				ret = -ENOMEM;
				goto out_free;
			}
			buf = nbuf;
			cap = ncap;
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			goto out_free;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > CONFIG_FILE_MAX) {
			ret = -EFBIG;
			goto out_free;
		}
	}
	close(fd);
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;

out_free:
	free(buf);
out_close:
	close(fd);
	return ret;
}

static const char *config_strerror(int err)
{
	return err == -EINVAL ? "not a regular file" : strerror(-err);
}

/* A path from the file, resolved against the config's directory. */
static const char *config_resolve(struct config_ctx *x, const char *val)
{
	char *p = NULL;

	if (val[0] == '/' || !strcmp(x->c->dir, "."))
		p = strdup(val);
	else if (asprintf(&p, "%s/%s", x->c->dir, val) < 0)
		p = NULL;
	return config_keep(x, p);
}

/*
 * The next line of buf (ours, NUL-terminated at len) from *pos, with '#'
 * comments cut and white space trimmed, NUL-terminated in place. NULL at
 * the end. *line counts lines.
 */
static char *config_next_line(char *buf, size_t len, size_t *pos,
			      unsigned *line)
{
	char *p, *e, *nl, *hash;

	if (*pos >= len)
		return NULL;
	p = buf + *pos;
	nl = memchr(p, '\n', len - *pos);
	e = nl ? nl : buf + len;
	*pos = (size_t)(e - buf) + (nl != NULL);
	*e = '\0';
	if (++*line == 1 && !strncmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	hash = strchr(p, '#');
	if (hash)
		*hash = '\0';
	while (isspace((unsigned char)*p))
		p++;
	e = p + strlen(p);
	while (e > p && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return p;
}

/* Names ---------------------------------------------------------------- */

bool config_name_ok(const char *s, const char **why)
{
	size_t n = strlen(s);
	const char *reason = NULL;

	if (n == 0)
		reason = "is empty";
	else if (n >= CONFIG_NAME_MAX)
		reason = "is longer than 63 characters";
	else if (s[0] == '-' || s[n - 1] == '-')
		reason = "starts or ends with -";
	for (size_t i = 0; !reason && i < n; i++)
		if (!islower((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]) && s[i] != '-')
			reason = "has characters other than a-z, 0-9 and -";
	if (reason && why)
		*why = reason;
	return !reason;
}

/* A [tap] word: a node name, or a pattern of name characters and globs. */
static bool config_pattern_ok(const char *s, const char **why)
{
	size_t n = strlen(s);

	if (n >= CONFIG_PATTERN_MAX) {
		*why = "is too long";
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (!islower((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]) && !strchr("-*?[]!^", s[i])) {
			*why = "has characters other than a-z, 0-9, - and the "
			       "globs * ? [ ] (node names are lower case)";
			return false;
		}
	}
	return true;
}

const char *config_isl_source_name(enum config_isl_source s)
{
	switch (s) {
	case CONFIG_ISL_PLUS_GRID:
		return "plus-grid";
	case CONFIG_ISL_NEAREST:
		return "nearest";
	case CONFIG_ISL_PAIRS:
		return "pairs";
	case CONFIG_ISL_NONE:
		return "none";
	}
	return "?";
}

/* Ground stations ------------------------------------------------------ */

/*
 * Add a ground station called name (already checked; "" for a bad name,
 * kept only to check its keys), defined at file:line, unless the name is
 * taken. NULL if taken or out of memory.
 */
static struct config_ground *config_add_ground(struct config_ctx *x,
					       const char *name,
					       const char *file,
					       unsigned line)
{
	struct config *c = x->c;
	struct config_ground *g;

	for (size_t i = 0; *name && i < c->ngrounds; i++) {
		if (strcmp(c->grounds[i].name, name))
			continue;
		diag_error(x->d, file, line,
			   "ground station \"%s\" is defined twice (first at "
			   "%s:%u)", name, c->grounds[i].file,
			   c->grounds[i].line);
		return NULL;
	}
	g = config_push(x, (void **)&c->grounds, &c->ngrounds,
			&x->cap_grounds, sizeof(*g));
	if (!g)
		return NULL;
	snprintf(g->name, sizeof(g->name), "%s", name);
	g->file = file;
	g->line = line;
	return g;
}

/* A signed length: ground stations may sit below the ellipsoid. */
static bool config_signed_length(const char *s, double *km, const char **why)
{
	bool neg = s[0] == '-';

	if (!units_parse_length(s + neg, km, why))
		return false;
	if (neg)
		*km = -*km;
	return true;
}

#define CONFIG_CSV_COLUMNS "name,latitude_deg,longitude_deg[,altitude_m]"

/* One data row of a stations CSV file, already cut into fields. */
static void config_csv_row(struct config_ctx *x, const char *path,
			   unsigned line, char **f)
{
	const char *why = NULL, *alt = f[3] ? f[3] : "";
	double lat, lon, alt_m = 0;
	bool ok = true;
	struct config_ground *g;

	if (!config_name_ok(f[0], &why)) {
		diag_error(x->d, path, line, "name \"%s\" %s", f[0], why);
		ok = false;
	}
	if (!units_parse_angle(f[1], &lat, &why)) {
		diag_error(x->d, path, line, "latitude_deg \"%s\" %s", f[1],
			   why);
		ok = false;
	} else if (lat < -90 || lat > 90) {
		diag_error(x->d, path, line,
			   "latitude_deg \"%s\" is out of range (-90 to 90)",
			   f[1]);
		ok = false;
	}
	if (!units_parse_angle(f[2], &lon, &why)) {
		diag_error(x->d, path, line, "longitude_deg \"%s\" %s", f[2],
			   why);
		ok = false;
	} else if (lon < -180 || lon > 180) {
		diag_error(x->d, path, line,
			   "longitude_deg \"%s\" is out of range (-180 to 180)",
			   f[2]);
		ok = false;
	}
	if (*alt) {
		bool neg = alt[0] == '-';

		if (!units_parse_real(alt + neg, &alt_m, &why)) {
			diag_error(x->d, path, line, "altitude_m \"%s\" %s",
				   alt, why);
			ok = false;
		} else if ((alt_m = neg ? -alt_m : alt_m) < -1000 ||
			   alt_m > 100000) {
			diag_error(x->d, path, line,
				   "altitude_m \"%s\" is out of range (-1000 "
				   "to 100000)", alt);
			ok = false;
		}
	}
	if (!ok)
		return;
	g = config_add_ground(x, f[0], path, line);
	if (!g)
		return;
	g->lat_deg = lat;
	g->lon_deg = lon;
	g->alt_m = alt_m;
}

/*
 * [ground-stations] file: a CSV of name,latitude_deg,longitude_deg and an
 * optional altitude_m; '#' comments, blank lines, and a first line that
 * starts with "name" (a header) are skipped.
 */
static void config_set_stations(struct config_ctx *x, const char *key,
				const char *val)
{
	const char *path;
	size_t len, pos = 0;
	unsigned line = 0;
	bool first = true;
	char *buf, *l;
	int ret;

	if (!*val) {
		config_bad(x, key, val, "is empty");
		return;
	}
	path = config_resolve(x, val);
	if (!path)
		return;
	ret = config_slurp(path, true, &buf, &len);
	if (ret) {
		diag_error(x->d, x->file, x->line,
			   "%s \"%s\" cannot be read (%s): %s", key, val, path,
			   config_strerror(ret));
		return;
	}
	while ((l = config_next_line(buf, len, &pos, &line))) {
		char row[256], *f[5] = { NULL }, *p = l;
		size_t n = 0;

		if (!*l)
			continue;
		snprintf(row, sizeof(row), "%s", l);
		for (;;) {
			char *comma = strchr(p, ',');
			char *e;

			if (comma)
				*comma = '\0';
			while (isspace((unsigned char)*p))
				p++;
			e = p + strlen(p);
			while (e > p && isspace((unsigned char)e[-1]))
				*--e = '\0';
			if (n < 5)
				f[n] = p;
			n++;
			if (!comma)
				break;
			p = comma + 1;
		}
		if (first) {
			first = false;
			if (!strcasecmp(f[0], "name"))
				continue;
		}
		if (n < 3 || n > 4) {
			diag_error(x->d, path, line,
				   "row \"%s\" has %zu columns, expected 3 or "
				   "4 (" CONFIG_CSV_COLUMNS ")", row, n);
			continue;
		}
		config_csv_row(x, path, line, f);
	}
	free(buf);
}

/* Pairs ----------------------------------------------------------------- */

static int config_pair_cmp(const void *pa, const void *pb)
{
	const struct config_pair *a = *(const struct config_pair *const *)pa;
	const struct config_pair *b = *(const struct config_pair *const *)pb;
	const char *alo = strcmp(a->a, a->b) < 0 ? a->a : a->b;
	const char *ahi = alo == a->a ? a->b : a->a;
	const char *blo = strcmp(b->a, b->b) < 0 ? b->a : b->b;
	const char *bhi = blo == b->a ? b->b : b->a;
	int r = strcmp(alo, blo);

	if (!r)
		r = strcmp(ahi, bhi);
	if (!r)
		r = (a->line > b->line) - (a->line < b->line);
	return r;
}

/* Report a link listed twice (in either order) in the pairs file. */
static void config_pairs_repeats(struct config_ctx *x)
{
	struct config_isl *isl = &x->c->isl;
	const struct config_pair **v;

	if (isl->npairs < 2)
		return;
	v = malloc(isl->npairs * sizeof(*v));
	if (!v) {
		x->enomem = true;
		return;
	}
	for (size_t i = 0; i < isl->npairs; i++)
		v[i] = &isl->pairs[i];
	qsort(v, isl->npairs, sizeof(*v), config_pair_cmp);
	for (size_t i = 1; i < isl->npairs; i++) {
		const struct config_pair *a = v[i - 1], *b = v[i];

		if ((!strcmp(a->a, b->a) && !strcmp(a->b, b->b)) ||
		    (!strcmp(a->a, b->b) && !strcmp(a->b, b->a)))
			diag_error(x->d, b->file, b->line,
				   "pair \"%s %s\" repeats line %u", b->a, b->b,
				   a->line);
	}
	free(v);
}

/* [isl] pairs-file: two node names per line, '#' comments. */
static void config_set_pairs(struct config_ctx *x, const char *key,
			     const char *val)
{
	struct config_isl *isl = &x->c->isl;
	const char *path, *why = NULL;
	size_t len, pos = 0;
	unsigned line = 0;
	char *buf, *l;
	int ret;

	if (!*val) {
		config_bad(x, key, val, "is empty");
		return;
	}
	path = config_resolve(x, val);
	if (!path)
		return;
	isl->pairs_file = path;
	ret = config_slurp(path, true, &buf, &len);
	if (ret) {
		diag_error(x->d, x->file, x->line,
			   "%s \"%s\" cannot be read (%s): %s", key, val, path,
			   config_strerror(ret));
		return;
	}
	while ((l = config_next_line(buf, len, &pos, &line))) {
		char row[256], *w[3], *save = NULL;
		struct config_pair *p;
		size_t n = 0;
		bool ok = true;

		if (!*l)
			continue;
		snprintf(row, sizeof(row), "%s", l);
		for (char *t = strtok_r(l, " \t\v\f\r", &save); t;
		     t = strtok_r(NULL, " \t\v\f\r", &save))
			if (n < 3)
				w[n++] = t;
		if (n != 2) {
			diag_error(x->d, path, line,
				   "line \"%s\" is not two node names", row);
			continue;
		}
		for (size_t i = 0; i < 2; i++) {
			if (!config_name_ok(w[i], &why)) {
				diag_error(x->d, path, line, "node \"%s\" %s",
					   w[i], why);
				ok = false;
			}
		}
		if (ok && !strcmp(w[0], w[1])) {
			diag_error(x->d, path, line,
				   "pair \"%s\" links a node to itself", row);
			ok = false;
		}
		if (!ok)
			continue;
		p = config_push(x, (void **)&isl->pairs, &isl->npairs,
				&x->cap_pairs, sizeof(*p));
		if (!p)
			break;
		snprintf(p->a, sizeof(p->a), "%s", w[0]);
		snprintf(p->b, sizeof(p->b), "%s", w[1]);
		p->file = path;
		p->line = line;
	}
	free(buf);
	config_pairs_repeats(x);
}

/* Keys with their own code --------------------------------------------- */

static void config_set_epoch(struct config_ctx *x, const char *key,
			     const char *val)
{
	if (!utc_parse_iso8601(val, &x->c->epoch_unix_ns))
		config_bad(x, key, val,
			   "is not an ISO-8601 UTC time (as "
			   "2026-02-23T00:00:00Z)");
}

static void config_set_shell_type(struct config_ctx *x, const char *key,
				  const char *val)
{
	struct walker_shell *w = &x->c->shells[x->idx].w;

	if (!strcmp(val, "walker-delta"))
		w->kind = WALKER_DELTA;
	else if (!strcmp(val, "walker-star"))
		w->kind = WALKER_STAR;
	else
		config_bad(x, key, val,
			   "is not a shell type (use walker-delta or "
			   "walker-star)");
}

static void config_set_tle_file(struct config_ctx *x, const char *key,
				const char *val)
{
	struct stat st;
	const char *path;

	if (!*val) {
		config_bad(x, key, val, "is empty");
		return;
	}
	path = config_resolve(x, val);
	if (!path)
		return;
	x->c->tles[x->idx].path = path;
	/* The file is read later, by the scenario builder: only look. */
	if (stat(path, &st) < 0 || access(path, R_OK) < 0)
		diag_error(x->d, x->file, x->line,
			   "%s \"%s\" cannot be read (%s): %s", key, val, path,
			   strerror(errno));
	else if (!S_ISREG(st.st_mode))
		diag_error(x->d, x->file, x->line,
			   "%s \"%s\" cannot be read (%s): not a regular file",
			   key, val, path);
}

static void config_set_tle_pattern(struct config_ctx *x, const char *key,
				   const char *val)
{
	if (!*val)
		config_bad(x, key, val, "is empty");
	else if (strlen(val) >= CONFIG_PATTERN_MAX)
		config_bad(x, key, val, "is too long");
	else
		x->c->tles[x->idx].pattern = config_keep(x, strdup(val));
}

/* A list of sources ("plus-grid nearest"), or "none". */
static void config_set_candidates(struct config_ctx *x, const char *key,
				  const char *val)
{
	static const enum config_isl_source all[] = {
		CONFIG_ISL_PLUS_GRID, CONFIG_ISL_NEAREST, CONFIG_ISL_PAIRS,
	};
	char word[32];
	unsigned bits = 0;
	bool none = false;
	const char *p = val;

	while (*p) {
		size_t n = strcspn(p, " \t,+");
		bool found = false;

		if (!n) {
			p++;
			continue;
		}
		if (n >= sizeof(word)) {
			config_bad(x, key, val, "is not a candidate source "
				   "(use plus-grid, nearest, pairs or none)");
			return;
		}
		memcpy(word, p, n);
		word[n] = '\0';
		p += n;
		if (!strcmp(word, "none")) {
			none = true;
			continue;
		}
		for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
			if (!strcmp(word, config_isl_source_name(all[i]))) {
				bits |= all[i];
				found = true;
			}
		}
		if (!found) {
			config_bad(x, key, val,
				   "is not a candidate source (use plus-grid, "
				   "nearest, pairs or none, or a list such as "
				   "\"plus-grid nearest\")");
			return;
		}
	}
	if ((none && bits) || (!none && !bits)) {
		config_bad(x, key, val, none ? "combines none with a source" :
					       "names no candidate source");
		return;
	}
	x->c->isl.source = bits;
}

static void config_set_cross_lat(struct config_ctx *x, const char *key,
				 const char *val)
{
	const char *why = NULL;
	double deg;

	if (!units_parse_angle(val, &deg, &why))
		config_bad(x, key, val, why);
	else if (deg < 0 || deg > 90)
		config_bad(x, key, val, "is out of range (0 to 90 degrees)");
	else {
		x->c->isl.has_cross_lat = true;
		x->c->isl.cross_lat_deg = deg;
	}
}

static void config_set_ground_alt(struct config_ctx *x, const char *key,
				  const char *val)
{
	const char *why = NULL;
	double km;

	if (!config_signed_length(val, &km, &why))
		config_bad(x, key, val, why);
	else if (km < -1 || km > 100)
		config_bad(x, key, val, "is out of range (-1km to 100km)");
	else
		x->c->grounds[x->idx].alt_m = km * 1000;
}

static void config_set_ground_relay(struct config_ctx *x, const char *key,
				    const char *val)
{
	struct config_ground *g = &x->c->grounds[x->idx];
	const char *why = NULL;

	if (!units_parse_bool(val, &g->relay, &why))
		config_bad(x, key, val, why);
	else
		g->relay_set = true;
}

/* [tap] nodes: names or patterns separated by white space; repeats add. */
static void config_set_tap(struct config_ctx *x, const char *key,
			   const char *val)
{
	const char *p = val, *why = NULL;
	struct config *c = x->c;

	if (!*val) {
		config_bad(x, key, val, "is empty");
		return;
	}
	while (*p) {
		struct config_tap *t;
		const char *e;
		char *word;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		for (e = p; *e && !isspace((unsigned char)*e); e++)
			;
		word = strndup(p, (size_t)(e - p));
		p = e;
		if (!word) {
			x->enomem = true;
			return;
		}
		if (!config_pattern_ok(word, &why)) {
			diag_error(x->d, x->file, x->line, "%s \"%s\" %s", key,
				   word, why);
			free(word);
			continue;
		}
		t = config_push(x, (void **)&c->taps, &c->ntaps, &x->cap_taps,
				sizeof(*t));
		if (!t) {
			free(word);
			return;
		}
		t->pattern = config_keep(x, word);
		t->file = x->file;
		t->line = x->line;
	}
}

/* Tables ------------------------------------------------------------------ */

#define CONFIG_LP(st, f) (offsetof(st, lp) + offsetof(struct linkparams, f))

static const struct config_key config_keys_emulation[] = {
	{ .name = "epoch", .type = CONFIG_T_FUNC, .set = config_set_epoch },
	{ .name = "step", .type = CONFIG_T_TIME,
	  .off = offsetof(struct config, step_ns),
	  .flags = CONFIG_K_POSITIVE },
	{ .name = "time-scale", .type = CONFIG_T_REAL,
	  .off = offsetof(struct config, time_scale),
	  .flags = CONFIG_K_POSITIVE },
	{ .name = "duration", .type = CONFIG_T_TIME,
	  .off = offsetof(struct config, duration_ns) },
	{ .name = "seed", .type = CONFIG_T_U64,
	  .off = offsetof(struct config, seed) },
	{ .name = "mtu", .type = CONFIG_T_UINT,
	  .off = offsetof(struct config, mtu), .flags = CONFIG_K_RANGE,
	  .min = 576, .max = 65535, .range = "is out of range (576 to 65535)" },
	{ .name = "source-check", .type = CONFIG_T_BOOL,
	  .off = offsetof(struct config, source_check) },
	{ .name = NULL },
};

static const struct config_key config_keys_shell[] = {
	{ .name = "type", .type = CONFIG_T_FUNC, .flags = CONFIG_K_REQUIRED,
	  .set = config_set_shell_type },
	{ .name = "planes", .type = CONFIG_T_UINT,
	  .off = offsetof(struct walker_shell, planes),
	  .flags = CONFIG_K_REQUIRED | CONFIG_K_RANGE, .min = 1,
	  .max = 100000, .range = "is out of range (1 to 100000)" },
	{ .name = "per-plane", .type = CONFIG_T_UINT,
	  .off = offsetof(struct walker_shell, per_plane),
	  .flags = CONFIG_K_REQUIRED | CONFIG_K_RANGE, .min = 1,
	  .max = 100000, .range = "is out of range (1 to 100000)" },
	{ .name = "phasing", .type = CONFIG_T_UINT,
	  .off = offsetof(struct walker_shell, phasing),
	  .flags = CONFIG_K_REQUIRED | CONFIG_K_RANGE, .min = 0,
	  .max = 99999, .range = "is out of range (0 to planes - 1)" },
	{ .name = "altitude", .type = CONFIG_T_LENGTH,
	  .off = offsetof(struct walker_shell, alt_km),
	  .flags = CONFIG_K_REQUIRED | CONFIG_K_RANGE, .min = 100,
	  .max = 100000, .range = "is out of range (100km to 100000km)" },
	{ .name = "inclination", .type = CONFIG_T_ANGLE,
	  .off = offsetof(struct walker_shell, incl_deg),
	  .flags = CONFIG_K_REQUIRED | CONFIG_K_RANGE, .min = 0, .max = 180,
	  .range = "is out of range (0 to 180 degrees)" },
	{ .name = "phase-offset", .type = CONFIG_T_REAL,
	  .off = offsetof(struct walker_shell, extra_phase),
	  .flags = CONFIG_K_RANGE | CONFIG_K_BELOW_MAX, .min = 0, .max = 1,
	  .range = "is out of range (0 to 1, 1 excluded)" },
	{ .name = "raan0", .type = CONFIG_T_ANGLE,
	  .off = offsetof(struct walker_shell, raan0_deg),
	  .flags = CONFIG_K_RANGE | CONFIG_K_BELOW_MAX, .min = 0, .max = 360,
	  .range = "is out of range (0 to 360 degrees, 360 excluded)" },
	{ .name = NULL },
};

static const struct config_key config_keys_tle[] = {
	{ .name = "file", .type = CONFIG_T_FUNC, .flags = CONFIG_K_REQUIRED,
	  .set = config_set_tle_file },
	{ .name = "pattern", .type = CONFIG_T_FUNC,
	  .set = config_set_tle_pattern },
	{ .name = NULL },
};

static const struct config_key config_keys_isl[] = {
	{ .name = "candidates", .type = CONFIG_T_FUNC,
	  .set = config_set_candidates },
	{ .name = "pairs-file", .type = CONFIG_T_FUNC,
	  .set = config_set_pairs },
	{ .name = "terminals", .type = CONFIG_T_UINT,
	  .off = offsetof(struct config_isl, terminals),
	  .flags = CONFIG_K_RANGE, .min = 1, .max = 64,
	  .range = "is out of range (1 to 64)" },
	{ .name = "max-range", .type = CONFIG_T_LENGTH,
	  .off = offsetof(struct config_isl, max_range_km),
	  .flags = CONFIG_K_RANGE, .min = 0, .max = 1000000,
	  .range = "is out of range (0km to 1000000km)" },
	{ .name = "grazing-altitude", .type = CONFIG_T_LENGTH,
	  .off = offsetof(struct config_isl, grazing_km),
	  .flags = CONFIG_K_RANGE, .min = 0, .max = 1000,
	  .range = "is out of range (0km to 1000km)" },
	{ .name = "cross-plane-max-latitude", .type = CONFIG_T_FUNC,
	  .set = config_set_cross_lat },
	{ .name = "acquisition", .type = CONFIG_T_TIME,
	  .off = offsetof(struct config_isl, acquisition_ns) },
	{ .name = "sun-exclusion", .type = CONFIG_T_ANGLE,
	  .off = offsetof(struct config_isl, sun_excl_deg),
	  .flags = CONFIG_K_RANGE, .min = 0, .max = 180,
	  .range = "is out of range (0 to 180 degrees)" },
	{ .name = "rate", .type = CONFIG_T_RATE,
	  .off = CONFIG_LP(struct config_isl, rate_bps) },
	{ .name = "queue", .type = CONFIG_T_QUEUE,
	  .off = offsetof(struct config_isl, lp) },
	{ .name = "loss", .type = CONFIG_T_LOSS,
	  .off = CONFIG_LP(struct config_isl, loss) },
	{ .name = NULL },
};

static const struct config_key config_keys_ground[] = {
	{ .name = "latitude", .type = CONFIG_T_ANGLE,
	  .off = offsetof(struct config_ground, lat_deg),
	  .flags = CONFIG_K_REQUIRED | CONFIG_K_RANGE, .min = -90, .max = 90,
	  .range = "is out of range (-90 to 90 degrees)" },
	{ .name = "longitude", .type = CONFIG_T_ANGLE,
	  .off = offsetof(struct config_ground, lon_deg),
	  .flags = CONFIG_K_REQUIRED | CONFIG_K_RANGE, .min = -180,
	  .max = 180, .range = "is out of range (-180 to 180 degrees)" },
	{ .name = "altitude", .type = CONFIG_T_FUNC,
	  .set = config_set_ground_alt },
	{ .name = "relay", .type = CONFIG_T_FUNC,
	  .set = config_set_ground_relay },
	{ .name = NULL },
};

static const struct config_key config_keys_grounds[] = {
	{ .name = "file", .type = CONFIG_T_FUNC, .flags = CONFIG_K_REPEAT,
	  .set = config_set_stations },
	{ .name = NULL },
};

static const struct config_key config_keys_gsl[] = {
	{ .name = "min-elevation", .type = CONFIG_T_ANGLE,
	  .off = offsetof(struct config_gsl, min_elev_deg),
	  .flags = CONFIG_K_RANGE, .min = 0, .max = 90,
	  .range = "is out of range (0 to 90 degrees)" },
	{ .name = "max-range", .type = CONFIG_T_LENGTH,
	  .off = offsetof(struct config_gsl, max_range_km),
	  .flags = CONFIG_K_RANGE, .min = 0, .max = 1000000,
	  .range = "is out of range (0km to 1000000km)" },
	{ .name = "relay", .type = CONFIG_T_BOOL,
	  .off = offsetof(struct config_gsl, relay) },
	{ .name = "rate", .type = CONFIG_T_RATE,
	  .off = CONFIG_LP(struct config_gsl, rate_bps) },
	{ .name = "queue", .type = CONFIG_T_QUEUE,
	  .off = offsetof(struct config_gsl, lp) },
	{ .name = "loss", .type = CONFIG_T_LOSS,
	  .off = CONFIG_LP(struct config_gsl, loss) },
	{ .name = NULL },
};

static const struct config_key config_keys_tap[] = {
	{ .name = "nodes", .type = CONFIG_T_FUNC, .flags = CONFIG_K_REPEAT,
	  .set = config_set_tap },
	{ .name = NULL },
};

static const struct config_section config_sections[] = {
	{ "emulation", CONFIG_SEC_EMULATION, false, config_keys_emulation },
	{ "shell", CONFIG_SEC_SHELL, true, config_keys_shell },
	{ "tle", CONFIG_SEC_TLE, true, config_keys_tle },
	{ "isl", CONFIG_SEC_ISL, false, config_keys_isl },
	{ "ground", CONFIG_SEC_GROUND, true, config_keys_ground },
	{ "ground-stations", CONFIG_SEC_GROUNDS, false, config_keys_grounds },
	{ "gsl", CONFIG_SEC_GSL, false, config_keys_gsl },
	{ "tap", CONFIG_SEC_TAP, false, config_keys_tap },
};

#define CONFIG_NSECTIONS (sizeof(config_sections) / sizeof(config_sections[0]))

static const struct config_section *config_section_of(enum config_sec sec)
{
	for (size_t i = 0; i < CONFIG_NSECTIONS; i++)
		if (config_sections[i].sec == sec)
			return &config_sections[i];
	return NULL;
}

/* The line where key of a one-of-a-kind section was set, 0 if never. */
static unsigned config_key_line(const struct config_ctx *x,
				enum config_sec sec, const char *key)
{
	const struct config_section *s = config_section_of(sec);

	for (size_t i = 0; s->keys[i].name; i++)
		if (!strcmp(s->keys[i].name, key))
			return x->seen_single[sec][i];
	return 0;
}

/* The struct whose fields the current section's offsets refer to. */
static char *config_target(struct config_ctx *x)
{
	struct config *c = x->c;

	switch (x->sec) {
	case CONFIG_SEC_EMULATION:
		return (char *)c;
	case CONFIG_SEC_SHELL:
		return (char *)&c->shells[x->idx].w;
	case CONFIG_SEC_TLE:
		return (char *)&c->tles[x->idx];
	case CONFIG_SEC_ISL:
		return (char *)&c->isl;
	case CONFIG_SEC_GROUND:
		return (char *)&c->grounds[x->idx];
	case CONFIG_SEC_GSL:
		return (char *)&c->gsl;
	default:
		return NULL;
	}
}

static bool config_in_range(const struct config_key *k, double v,
			    const char **why)
{
	if ((k->flags & CONFIG_K_POSITIVE) && !(v > 0)) {
		*why = "must be positive";
		return false;
	}
	if ((k->flags & CONFIG_K_RANGE) &&
	    (v < k->min || v > k->max ||
	     ((k->flags & CONFIG_K_BELOW_MAX) && v >= k->max))) {
		*why = k->range;
		return false;
	}
	return true;
}

/* Parse val as k's unit, check its range and store it. */
static void config_apply(struct config_ctx *x, const struct config_key *k,
			 const char *val)
{
	const char *why = "is not valid";
	struct linkparams_lossmodel loss;
	enum linkparams_qlimit qkind;
	int64_t ns;
	uint64_t u;
	double v;
	bool b;
	char *t;

	if (k->type == CONFIG_T_FUNC) {
		k->set(x, k->name, val);
		return;
	}
	t = config_target(x) + k->off;
	switch (k->type) {
	case CONFIG_T_FUNC:
		return;
	case CONFIG_T_TIME:
		if (!units_parse_time(val, &ns, &why) ||
		    !config_in_range(k, (double)ns, &why))
			break;
		*(int64_t *)t = ns;
		return;
	case CONFIG_T_LENGTH:
	case CONFIG_T_ANGLE:
	case CONFIG_T_REAL:
		if (k->type == CONFIG_T_LENGTH ?
			    !units_parse_length(val, &v, &why) :
		    k->type == CONFIG_T_ANGLE ?
			    !units_parse_angle(val, &v, &why) :
			    !units_parse_real(val, &v, &why))
			break;
		if (!config_in_range(k, v, &why))
			break;
		*(double *)t = v;
		return;
	case CONFIG_T_UINT:
		if (!units_parse_u64(val, &u, &why))
			break;
		if (!(k->flags & CONFIG_K_RANGE) && u > UINT32_MAX) {
			why = "is too large";
			break;
		}
		if (!config_in_range(k, (double)u, &why))
			break;
		*(unsigned *)t = (unsigned)u;
		return;
	case CONFIG_T_U64:
		if (!units_parse_u64(val, &u, &why))
			break;
		*(uint64_t *)t = u;
		return;
	case CONFIG_T_BOOL:
		if (!units_parse_bool(val, &b, &why))
			break;
		*(bool *)t = b;
		return;
	case CONFIG_T_RATE:
		if (!units_parse_rate(val, &u, &why))
			break;
		*(uint64_t *)t = u;
		return;
	case CONFIG_T_QUEUE:
		if (!units_parse_qlimit(val, &qkind, &u, &why))
			break;
		((struct linkparams *)t)->qkind = qkind;
		((struct linkparams *)t)->qlimit = u;
		return;
	case CONFIG_T_LOSS:
		if (!units_parse_loss(val, &loss, &why))
			break;
		*(struct linkparams_lossmodel *)t = loss;
		return;
	}
	config_bad(x, k->name, val, why);
}

/* Sections ---------------------------------------------------------------- */

/* Required keys of a named section, and the shell's own rules. */
static void config_close_section(struct config_ctx *x)
{
	const struct config_section *s = config_section_of(x->sec);

	if (!s || !s->named)
		return;
	for (size_t i = 0; s->keys[i].name; i++)
		if ((s->keys[i].flags & CONFIG_K_REQUIRED) && !x->seen[i])
			diag_error(x->d, x->file, x->sec_line,
				   "%s needs key \"%s\"", x->label,
				   s->keys[i].name);
	if (x->sec == CONFIG_SEC_SHELL) {
		struct walker_shell *w = &x->c->shells[x->idx].w;
		unsigned fline = 0;

		for (size_t i = 0; s->keys[i].name; i++)
			if (!strcmp(s->keys[i].name, "phasing"))
				fline = x->seen[i];

		if (w->planes && fline && w->phasing >= w->planes)
			diag_error(x->d, x->file, fline,
				   "phasing \"%u\" must be less than planes "
				   "(%u)", w->phasing, w->planes);
		if ((uint64_t)w->planes * w->per_plane > CONFIG_MAX_SATS)
			diag_error(x->d, x->file, x->sec_line,
				   "%s has %llu satellites, more than %u",
				   x->label,
				   (unsigned long long)w->planes * w->per_plane,
				   CONFIG_MAX_SATS);
	}
}

/* Create the entry of a named section; false if it cannot be. */
static bool config_open_named(struct config_ctx *x, enum config_sec sec,
			      const char *name)
{
	struct config *c = x->c;
	const char *why = NULL;
	bool ok = config_name_ok(name, &why);

	if (ok && sec == CONFIG_SEC_SHELL &&
	    strlen(name) >= CONFIG_SHELL_NAME_MAX) {
		why = "is longer than 31 characters";
		ok = false;
	}
	if (!ok)
		diag_error(x->d, x->file, x->line, "%s name \"%s\" %s",
			   config_section_of(sec)->name, name, why);

	switch (sec) {
	case CONFIG_SEC_SHELL: {
		struct config_shell *s;

		for (size_t i = 0; i < c->nshells; i++)
			if (!strcmp(c->shells[i].w.name, name))
				diag_error(x->d, x->file, x->line,
					   "shell \"%s\" is defined twice "
					   "(first at line %u)", name,
					   c->shells[i].line);
		s = config_push(x, (void **)&c->shells, &c->nshells,
				&x->cap_shells, sizeof(*s));
		if (!s)
			return false;
		snprintf(s->w.name, sizeof(s->w.name), "%.*s",
			 (int)sizeof(s->w.name) - 1, name);
		s->w.kind = WALKER_DELTA;
		s->line = x->line;
		x->idx = c->nshells - 1;
		return true;
	}
	case CONFIG_SEC_TLE: {
		struct config_tle *t;

		for (size_t i = 0; i < c->ntles; i++)
			if (!strcmp(c->tles[i].name, name))
				diag_error(x->d, x->file, x->line,
					   "tle \"%s\" is defined twice "
					   "(first at line %u)", name,
					   c->tles[i].line);
		t = config_push(x, (void **)&c->tles, &c->ntles, &x->cap_tles,
				sizeof(*t));
		if (!t)
			return false;
		snprintf(t->name, sizeof(t->name), "%.*s",
			 (int)sizeof(t->name) - 1, name);
		t->line = x->line;
		x->idx = c->ntles - 1;
		return true;
	}
	case CONFIG_SEC_GROUND: {
		struct config_ground *g;

		/* A bad name still gets an entry, to check its keys. */
		g = config_add_ground(x, ok ? name : "", x->file, x->line);
		if (!g)
			return false;
		x->idx = c->ngrounds - 1;
		return true;
	}
	default:
		return false;
	}
}

/* A "[kind NAME]" line (trimmed, comments cut) of length len. */
static void config_header(struct config_ctx *x, const char *p, size_t len)
{
	const struct config_section *s = NULL;
	char inner[256], *kind, *name, *e;
	size_t n;

	config_close_section(x);
	x->sec = CONFIG_SEC_BAD;
	x->seen = NULL;
	if (p[len - 1] != ']') {
		diag_error(x->d, x->file, x->line,
			   memchr(p, ']', len) ?
				   "section header \"%.*s\" has text after ]" :
				   "section header \"%.*s\" has no closing ]",
			   (int)len, p);
		return;
	}
	n = len - 2 < sizeof(inner) - 1 ? len - 2 : sizeof(inner) - 1;
	memcpy(inner, p + 1, n);
	inner[n] = '\0';
	for (kind = inner; isspace((unsigned char)*kind); kind++)
		;
	for (name = kind; *name && !isspace((unsigned char)*name); name++)
		;
	if (*name)
		*name++ = '\0';
	while (isspace((unsigned char)*name))
		name++;
	e = name + strlen(name);
	while (e > name && isspace((unsigned char)e[-1]))
		*--e = '\0';

	for (size_t i = 0; i < CONFIG_NSECTIONS; i++)
		if (!strcmp(config_sections[i].name, kind))
			s = &config_sections[i];
	if (!s) {
		diag_error(x->d, x->file, x->line,
			   "unknown section [%s] (use emulation, shell, tle, "
			   "isl, ground, ground-stations, gsl or tap)", kind);
		return;
	}
	if (s->named && !*name) {
		diag_error(x->d, x->file, x->line,
			   "section [%s] needs a name: [%s NAME]", kind, kind);
		return;
	}
	if (!s->named && *name)
		diag_error(x->d, x->file, x->line,
			   "section [%s %s] takes no name", kind, name);
	if (s->named)
		snprintf(x->label, sizeof(x->label), "[%.20s %.63s]", kind,
			 name);
	else
		snprintf(x->label, sizeof(x->label), "[%.20s]", kind);
	x->sec_line = x->line;
	if (!x->sec_first[s->sec])
		x->sec_first[s->sec] = x->line;
	if (s->named) {
		memset(x->seen_named, 0, sizeof(x->seen_named));
		x->seen = x->seen_named;
		if (!config_open_named(x, s->sec, name))
			return;
	} else {
		x->seen = x->seen_single[s->sec];
	}
	x->sec = s->sec;
}

/* The reader and the handler ----------------------------------------------- */

/*
 * inih's fgets: hand over the next line, or a blank one in place of a
 * comment, a header (handled here) or a line with an error (reported here).
 */
static char *config_reader(char *str, int num, void *stream)
{
	struct config_ctx *x = stream;
	const char *p, *nl;
	bool space = true;
	size_t len;

	if (x->pos >= x->len || num < 3)
		return NULL;
	p = x->text + x->pos;
	nl = memchr(p, '\n', x->len - x->pos);
	len = nl ? (size_t)(nl - p) : x->len - x->pos;
	x->pos += len + (nl != NULL);
	x->line++;
	if (x->line == 1 && len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3)) {
		p += 3;
		len -= 3;
	}
	if (memchr(p, '\0', len)) {
		diag_error(x->d, x->file, x->line, "line has a NUL byte");
		goto blank;
	}
	while (len && isspace((unsigned char)*p)) {
		p++;
		len--;
	}
	for (size_t i = 0; i < len; i++) {
		if (space && (p[i] == '#' || p[i] == ';')) {
			len = i;
			break;
		}
		space = isspace((unsigned char)p[i]);
	}
	while (len && isspace((unsigned char)p[len - 1]))
		len--;
	if (!len)
		goto blank;
	if (len + 2 > (size_t)num) {
		diag_error(x->d, x->file, x->line,
			   "line is longer than %d characters", num - 2);
		goto blank;
	}
	if (*p == '[') {
		config_header(x, p, len);
		goto blank;
	}
	if (!memchr(p, '=', len) && !memchr(p, ':', len)) {
		diag_error(x->d, x->file, x->line,
			   "line \"%.*s\" is neither [section] nor key = value",
			   (int)len, p);
		goto blank;
	}
	memcpy(str, p, len);
	str[len] = '\n';
	str[len + 1] = '\0';
	return str;

blank:
	str[0] = '\n';
	str[1] = '\0';
	return str;
}

static int config_handler(void *user, const char *section, const char *name,
			  const char *value)
{
	struct config_ctx *x = user;
	const struct config_section *s;
	size_t i;

	(void)section;	/* headers never reach inih: see config_reader */
	if (x->sec == CONFIG_SEC_BAD)
		return 1;
	if (x->sec == CONFIG_SEC_NONE) {
		diag_error(x->d, x->file, x->line,
			   "key \"%s\" comes before any [section]", name);
		return 1;
	}
	s = config_section_of(x->sec);
	for (i = 0; s->keys[i].name; i++)
		if (!strcmp(s->keys[i].name, name))
			break;
	if (!s->keys[i].name) {
		diag_error(x->d, x->file, x->line, "unknown key \"%s\" in %s",
			   name, x->label);
		return 1;
	}
	if (x->seen[i] && !(s->keys[i].flags & CONFIG_K_REPEAT)) {
		diag_error(x->d, x->file, x->line,
			   "%s \"%s\" is set twice in %s (first at line %u)",
			   name, value, x->label, x->seen[i]);
		return 1;
	}
	x->seen[i] = x->line;
	config_apply(x, &s->keys[i], value);
	return 1;
}

/* Checks across sections ------------------------------------------------- */

static void config_finish(struct config_ctx *x)
{
	struct config *c = x->c;
	struct config_isl *isl = &c->isl;
	unsigned cand = config_key_line(x, CONFIG_SEC_ISL, "candidates");
	unsigned pairs = config_key_line(x, CONFIG_SEC_ISL, "pairs-file");

	config_close_section(x);
	x->sec = CONFIG_SEC_NONE;
	x->line = 0;

	if (x->sec_first[CONFIG_SEC_GROUNDS] &&
	    !config_key_line(x, CONFIG_SEC_GROUNDS, "file"))
		diag_error(x->d, x->file, x->sec_first[CONFIG_SEC_GROUNDS],
			   "[ground-stations] needs key \"file\"");
	if (!c->nshells && !c->ntles)
		diag_error(x->d, x->file, 0,
			   "no satellites: add a [shell NAME] or a [tle NAME] "
			   "section");

	if ((isl->source & CONFIG_ISL_PAIRS) && !pairs)
		diag_error(x->d, x->file, cand,
			   "candidates \"pairs\" needs pairs-file in [isl]");
	if (!(isl->source & CONFIG_ISL_PAIRS) && pairs)
		diag_error(x->d, x->file, pairs,
			   "pairs-file \"%s\" is set but candidates does not "
			   "include pairs (use candidates = pairs)",
			   isl->pairs_file);
	if ((isl->source & CONFIG_ISL_PLUS_GRID) && !c->nshells && c->ntles)
		diag_error(x->d, x->file, cand,
			   "candidates \"plus-grid\"%s needs a [shell]: TLE "
			   "satellites have no planes (use nearest or pairs)",
			   cand ? "" : " (the default)");

	for (size_t i = 0; i < c->ngrounds; i++) {
		struct config_ground *g = &c->grounds[i];

		if (!g->relay_set)
			g->relay = c->gsl.relay;
		for (size_t j = 0; j < c->nshells; j++) {
			const char *sn = c->shells[j].w.name;
			size_t n = strlen(sn);

			if (!*g->name || strncmp(g->name, sn, n) ||
			    (g->name[n] && g->name[n] != '-'))
				continue;
			diag_error(x->d, g->file, g->line,
				   "ground station \"%s\" clashes with the "
				   "satellites of [shell %s] (%s-PLANE-SLOT)",
				   g->name, sn, sn);
		}
	}
}

/* Loading ------------------------------------------------------------------ */

static void config_defaults(struct config *c)
{
	const struct linkparams lp = {
		.rate_bps = 0,
		.qkind = LINKPARAMS_Q_PACKETS,
		.qlimit = 1000,
		.loss = { .kind = LINKPARAMS_LOSS_NONE },
	};

	c->epoch_unix_ns = CONFIG_DEFAULT_EPOCH_NS;
	c->step_ns = 100 * INT64_C(1000000);
	c->time_scale = 1.0;
	c->duration_ns = 0;
	c->seed = 1;
	c->mtu = 1500;
	c->source_check = true;
	c->isl.source = CONFIG_ISL_PLUS_GRID;
	c->isl.terminals = 4;
	c->isl.max_range_km = 0;
	c->isl.grazing_km = 80;
	c->isl.lp = lp;
	c->gsl.min_elev_deg = 25;
	c->gsl.max_range_km = 0;
	c->gsl.relay = false;
	c->gsl.lp = lp;
}

/* Parse len bytes of text (NUL-terminated) called name. */
static int config_parse(const char *text, size_t len, const char *name,
			struct config **out, struct diag *d)
{
	struct config_ctx x = { .d = d, .text = text, .len = len };
	size_t errors = d->errors;
	char *dir;
	int ret = 0;

	*out = NULL;
	x.c = calloc(1, sizeof(*x.c));
	if (!x.c)
		return -ENOMEM;
	config_defaults(x.c);
	x.c->path = config_keep(&x, strdup(name));
	dir = strdup(name);
	if (dir)
		x.c->dir = config_keep(&x, strdup(dirname(dir)));
	free(dir);
	if (x.enomem) {
		config_free(x.c);
		return -ENOMEM;
	}
	x.file = x.c->path;

	if (ini_parse_stream(config_reader, &x, config_handler, &x) == -2)
		x.enomem = true;
	config_finish(&x);

	if (x.enomem) {
		diag_error(d, name, 0, "out of memory");
		ret = -ENOMEM;
	} else if (d->errors > errors) {
		ret = -EINVAL;
	}
	if (ret) {
		config_free(x.c);
		return ret;
	}
	*out = x.c;
	return 0;
}

int config_load_string(const char *text, const char *name,
		       struct config **out, struct diag *d)
{
	struct diag local;
	int ret;

	if (!text || !name || !out)
		return -EINVAL;
	if (d)
		return config_parse(text, strlen(text), name, out, d);
	diag_init(&local);
	ret = config_parse(text, strlen(text), name, out, &local);
	diag_free(&local);
	return ret;
}

int config_load_file(const char *path, struct config **out, struct diag *d)
{
	struct diag local;
	size_t len;
	char *text;
	int ret;

	if (!path || !out)
		return -EINVAL;
	*out = NULL;
	if (!d) {
		diag_init(&local);
		ret = config_load_file(path, out, &local);
		diag_free(&local);
		return ret;
	}
	ret = config_slurp(path, false, &text, &len);
	if (ret) {
		diag_error(d, path, 0, "%s", strerror(-ret));
		return ret;
	}
	ret = config_parse(text, len, path, out, d);
	free(text);
	return ret;
}

int config_load(const char *path, struct config **out, struct diag *d)
{
	if (!path)
		return config_load_string(config_default_text,
					  config_default_name, out, d);
	return config_load_file(path, out, d);
}

/* The scenario builder overrides this with the checks that need nodes. */
__attribute__((weak)) int config_check_scenario(const struct config *c,
						struct diag *d)
{
	(void)c;
	(void)d;
	return 0;
}
