// SPDX-License-Identifier: MIT
/* config.c - the INI grammar: sections, key = value, checks across sections */
#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu/conf/config_int.h"
#include "emu/conf/units.h"
#include "tap/file.h"
#include "topo/lib/array.h"
#include "topo/lib/lines.h"
#include "topo/utc.h"

/*
 * The grammar, all of it (docs/configuration.md, "Syntax"). The text is cut
 * into numbered lines by topo/lib/lines.h, so no line has a length limit.
 * On each line a comment starts with '#' or ';' at its start or after white
 * space; what is left is trimmed, and is blank, a header "[kind]" or
 * "[kind NAME]", or "key = value" ("key: value" too: the first '=' or ':'
 * splits). Indentation means nothing: there are no continuation lines.
 *
 * Each section has a table of keys (config_keys.c) with a type (unit), the
 * offset of its field and its range, so that most keys need no code of
 * their own. A key may appear once per section (except where marked);
 * named sections ([shell NAME], [tle NAME], [ground NAME]) are created when
 * their header is read and checked for required keys when the next header
 * (or the end) comes. After a header that is rejected, the keys up to the
 * next header are skipped (the header's error explains them), never
 * blamed on the section before. Checks between sections run once at the
 * end (config_finish). Every problem is reported; loading fails if any was.
 */

const char *const config_default_name = "<default>";

/* Memory ------------------------------------------------------------------ */

void *config_push(struct config_ctx *x, void **arr, size_t *n, size_t *cap,
		  size_t size)
{
	char *v;

	if (array_grow(arr, cap, *n + 1, size, 8) < 0) {
		x->enomem = true;
		return NULL;
	}
	v = (char *)*arr + *n * size;
	memset(v, 0, size);
	(*n)++;
	return v;
}

const char *config_keep(struct config_ctx *x, char *s)
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
	free(c->clusters);
	free(c->isl.pairs);
	free(c->grounds);
	free(c->taps);
	free(c->places);
	free(c);
}

void config_bad(struct config_ctx *x, const char *key, const char *val,
		const char *why)
{
	diag_error(x->d, x->file, x->line, "%s \"%s\" %s", key, val, why);
}

const char *config_side_path(struct config_ctx *x, const char *key,
			     const char *val)
{
	char *p = NULL;

	if (!*val) {
		config_bad(x, key, val, "is empty");
		return NULL;
	}
	if (val[0] == '/' || !strcmp(x->c->dir, "."))
		p = strdup(val);
	else if (asprintf(&p, "%s/%s", x->c->dir, val) < 0)
		p = NULL;
	return config_keep(x, p);
}

/* Sections ----------------------------------------------------------------- */

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
		unsigned fline = x->seen[CONFIG_KEY_SHELL_PHASING];
		unsigned long long total =
			(unsigned long long)w->planes * w->per_plane;

		if (w->planes && fline && w->phasing >= w->planes)
			diag_error(x->d, x->file, fline,
				   "phasing \"%u\" must be less than planes "
				   "(%u)", w->phasing, w->planes);
		if (total > CONFIG_MAX_SATS)
			diag_error(x->d, x->file, x->sec_line,
				   "%s has %llu satellites, more than %u",
				   x->label, total, CONFIG_MAX_SATS);
		config_orbit_close(x, &x->c->shells[x->idx]);
	}
	if (x->sec == CONFIG_SEC_CLUSTER)
		config_cluster_close(x);
}

/*
 * The line of an earlier [kind name] of the same kind, or 0. Shells and
 * TLE sources keep the line of their header beside their name.
 */
static unsigned config_named_before(const struct config_ctx *x,
				    enum config_sec sec, const char *name)
{
	const struct config *c = x->c;

	for (size_t i = 0; sec == CONFIG_SEC_SHELL && i < c->nshells; i++)
		if (!strcmp(c->shells[i].w.name, name))
			return c->shells[i].line;
	for (size_t i = 0; sec == CONFIG_SEC_TLE && i < c->ntles; i++)
		if (!strcmp(c->tles[i].name, name))
			return c->tles[i].line;
	for (size_t i = 0; sec == CONFIG_SEC_CLUSTER && i < c->nclusters; i++)
		if (!strcmp(c->clusters[i].orbit.w.name, name))
			return c->clusters[i].line;
	return 0;
}

/* Create the entry of a named section; false if it cannot be. */
static bool config_open_named(struct config_ctx *x,
			      const struct config_section *s, const char *name)
{
	struct config *c = x->c;
	const char *why = NULL;
	char shell_why[64];
	bool ok = config_name_ok(name, &why);
	unsigned first;

	if (ok &&
	    (s->sec == CONFIG_SEC_SHELL || s->sec == CONFIG_SEC_CLUSTER) &&
	    strlen(name) >= CONFIG_SHELL_NAME_MAX) {
		snprintf(shell_why, sizeof(shell_why),
			 "is longer than %zu characters",
			 CONFIG_SHELL_NAME_MAX - 1);
		why = shell_why;
		ok = false;
	}
	if (!ok)
		diag_error(x->d, x->file, x->line, "%s name \"%s\" %s",
			   s->name, name, why);
	first = config_named_before(x, s->sec, name);
	if (first)
		diag_error(x->d, x->file, x->line,
			   "%s \"%s\" is defined twice (first at line %u)",
			   s->name, name, first);

	switch (s->sec) {
	case CONFIG_SEC_SHELL: {
		struct config_shell *sh;

		sh = config_push(x, (void **)&c->shells, &c->nshells,
				 &x->cap_shells, sizeof(*sh));
		if (!sh)
			return false;
		snprintf(sh->w.name, sizeof(sh->w.name), "%.*s",
			 (int)sizeof(sh->w.name) - 1, name);
		sh->w.kind = WALKER_DELTA;
		sh->line = x->line;
		x->idx = c->nshells - 1;
		return true;
	}
	case CONFIG_SEC_TLE: {
		struct config_tle *t;

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
	case CONFIG_SEC_CLUSTER:
		return config_cluster_open(x, name);
	case CONFIG_SEC_GROUND:
		/* A bad name still gets an entry, to check its keys. */
		if (!config_add_ground(x, ok ? name : "", x->file, x->line))
			return false;
		x->idx = c->ngrounds - 1;
		return true;
	default:
		return false;
	}
}

/* Split "[kind NAME]" (p, len; starts with '[', ends with ']') in place. */
static void config_header_words(char *p, size_t len, char **kind, char **name)
{
	char *k, *n, *e;

	p[len - 1] = '\0';
	for (k = p + 1; isspace((unsigned char)*k); k++)
		;
	for (n = k; *n && !isspace((unsigned char)*n); n++)
		;
	if (*n)
		*n++ = '\0';
	while (isspace((unsigned char)*n))
		n++;
	e = n + strlen(n);
	while (e > n && isspace((unsigned char)e[-1]))
		*--e = '\0';
	*kind = k;
	*name = n;
}

/* A header line (trimmed, comments cut, NUL-terminated, len bytes). */
static void config_header(struct config_ctx *x, char *p, size_t len)
{
	const struct config_section *s = NULL;
	char *kind, *name;

	config_close_section(x);
	x->sec = CONFIG_SEC_BAD;
	x->seen = NULL;
	if (p[0] != '[' || p[len - 1] != ']') {
		const char *why = "has no closing ]";

		if (p[0] != '[')
			why = "has no opening [";
		else if (memchr(p, ']', len))
			why = "has text after ]";
		diag_error(x->d, x->file, x->line, "section header \"%s\" %s",
			   p, why);
		return;
	}
	config_header_words(p, len, &kind, &name);
	for (size_t i = 0; i < config_nsections; i++)
		if (!strcmp(config_sections[i].name, kind))
			s = &config_sections[i];
	if (!s) {
		diag_error(x->d, x->file, x->line,
			   "unknown section [%s] (use emulation, shell, tle, "
			   "cluster, isl, ground, ground-stations, gsl, tap or "
			   "faults)",
			   kind);
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
		if (!config_open_named(x, s, name))
			return;
	} else {
		x->seen = x->seen_single[s->sec];
	}
	x->sec = s->sec;
}

/* One "key = value" line, split and trimmed. */
static void config_key_value(struct config_ctx *x, const char *name,
			     const char *value)
{
	const struct config_section *s;
	size_t i;

	if (x->sec == CONFIG_SEC_BAD)
		return;
	if (x->sec == CONFIG_SEC_NONE) {
		diag_error(x->d, x->file, x->line,
			   "key \"%s\" comes before any [section]", name);
		return;
	}
	s = config_section_of(x->sec);
	for (i = 0; s->keys[i].name; i++)
		if (!strcmp(s->keys[i].name, name))
			break;
	if (!s->keys[i].name) {
		diag_error(x->d, x->file, x->line, "unknown key \"%s\" in %s",
			   name, x->label);
		return;
	}
	if (x->seen[i] && !(s->keys[i].flags & CONFIG_K_REPEAT)) {
		diag_error(x->d, x->file, x->line,
			   "%s \"%s\" is set twice in %s (first at line %u)",
			   name, value, x->label, x->seen[i]);
		return;
	}
	x->seen[i] = x->line;
	config_apply(x, &s->keys[i], value);
}

/* One line of the file. */
static void config_line(struct config_ctx *x, struct line ln)
{
	char *p, *sep, *key, *val;
	size_t klen;

	if (lines_has_nul(&ln)) {
		diag_error(x->d, x->file, x->line, "line has a NUL byte");
		return;
	}
	lines_cut_comment(&ln, LINES_HASH_AFTER_SPACE);
	if (!ln.n)
		return;
	p = strndup(ln.s, ln.n);
	if (!p) {
		x->enomem = true;
		return;
	}
	sep = strpbrk(p, "=:");
	if (p[0] == '[' || (!sep && p[ln.n - 1] == ']')) {
		config_header(x, p, ln.n);
	} else if (!sep) {
		diag_error(x->d, x->file, x->line,
			   "line \"%s\" is neither [section] nor key = value",
			   p);
	} else {
		for (klen = (size_t)(sep - p);
		     klen && isspace((unsigned char)p[klen - 1]); klen--)
			;
		p[klen] = '\0';
		key = p;
		for (val = sep + 1; isspace((unsigned char)*val); val++)
			;
		config_key_value(x, key, val);
	}
	free(p);
}

/* Checks across sections ---------------------------------------------- */

static void config_finish(struct config_ctx *x)
{
	struct config *c = x->c;
	struct config_isl *isl = &c->isl;
	const unsigned *isl_seen = x->seen_single[CONFIG_SEC_ISL];
	unsigned cand = isl_seen[CONFIG_KEY_ISL_CANDIDATES];
	unsigned pairs = isl_seen[CONFIG_KEY_ISL_PAIRS_FILE];
	unsigned long long total = 0;

	config_close_section(x);
	x->sec = CONFIG_SEC_NONE;
	x->line = 0;

	for (size_t i = 0; i < c->nshells; i++) {
		config_orbit_finish(x, &c->shells[i], "shell");
		total += (unsigned long long)c->shells[i].w.planes *
			 c->shells[i].w.per_plane;
	}
	if (total > CONFIG_MAX_SATS)
		diag_error(x->d, x->file, 0,
			   "the shells hold %llu satellites in all, more than "
			   "%u", total, CONFIG_MAX_SATS);
	config_cluster_finish(x);
	if (x->sec_first[CONFIG_SEC_GROUNDS] &&
	    !x->seen_single[CONFIG_SEC_GROUNDS][CONFIG_KEY_GROUNDS_FILE])
		diag_error(x->d, x->file, x->sec_first[CONFIG_SEC_GROUNDS],
			   "[ground-stations] needs key \"file\"");
	if (!c->nshells && !c->ntles && !c->nclusters)
		diag_error(x->d, x->file, 0,
			   "no satellites: add a [shell NAME], [tle NAME] or "
			   "[cluster NAME] section");

	if ((isl->source & ISL_SRC_PAIRS) && !pairs)
		diag_error(x->d, x->file, cand,
			   "candidates \"pairs\" needs pairs-file in [isl]");
	if (!(isl->source & ISL_SRC_PAIRS) && pairs)
		diag_error(x->d, x->file, pairs,
			   "pairs-file \"%s\" is set but candidates does not "
			   "include pairs (use candidates = pairs)",
			   isl->pairs_file);
	if ((isl->source & ISL_SRC_TLE_GRID) && !c->ntles)
		diag_error(x->d, x->file, cand,
			   "candidates \"tle-grid\" needs a [tle] section: it "
			   "recovers the planes of TLE satellites");
	if ((isl->source & ISL_SRC_TLE_GRID) && isl->tle_grid_rest_none &&
	    (isl->source & ISL_SRC_NEAREST))
		diag_error(x->d, x->file, cand,
			   "candidates \"nearest\" contradicts tle-grid-rest "
			   "\"none\" (nearest would link the satellites "
			   "tle-grid leaves out)");
	else if ((isl->source & ISL_SRC_TLE_GRID) && !isl->tle_grid_rest_none)
		isl->source |= ISL_SRC_NEAREST;
	if ((isl->source & ISL_SRC_GRID) && !c->nshells && c->ntles)
		diag_error(x->d, x->file, cand,
			   "candidates \"plus-grid\"%s needs a [shell]: TLE "
			   "satellites have no Walker planes (use tle-grid, "
			   "nearest or pairs)",
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

/* Loading ---------------------------------------------------------------- */

static void config_defaults(struct config *c)
{
	const struct linkparams lp = {
		.rate_bps = 0,
		.qkind = LINKPARAMS_Q_PACKETS,
		.qlimit = 1000,
		.loss = { .kind = LINKPARAMS_LOSS_NONE },
	};

	utc_parse_iso8601(CONFIG_DEFAULT_EPOCH, &c->epoch_unix_ns);
	c->step_ns = 100 * INT64_C(1000000);
	c->time_scale = 1.0;
	c->duration_ns = 0;
	c->seed = 1;
	c->source_check = true;
	c->mtu = 1500;
	c->isl.source = ISL_SRC_GRID;
	c->isl.terminals = 4;
	c->isl.max_range_km = 0;
	c->isl.grazing_km = 80;
	c->isl.repoint_gain = 0.25;
	c->isl.lp = lp;
	c->gsl.min_elev_deg = 25;
	c->gsl.max_range_km = 0;
	c->gsl.relay = false;
	c->gsl.lp = lp;
	c->faults.mttr_ns = 90 * INT64_C(1000000000);
	c->faults.battery_ns = 20 * 60 * INT64_C(1000000000);
	c->flap_ns = 5 * INT64_C(1000000000);
}

/* Parse len bytes of text called name. */
static int config_parse(const char *text, size_t len, const char *name,
			struct config **out, struct diag *d)
{
	struct config_ctx x = { .d = d };
	size_t errors = d->errors;
	struct lines l;
	struct line ln;
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

	lines_init(&l, text, len);
	while (!x.enomem && lines_next(&l, &ln)) {
		x.line = ln.no;
		config_line(&x, ln);
	}
	config_finish(&x);
	free(x.gtab);

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
	ret = file_read_all(path, CONFIG_FILE_MAX, 0, &text, &len);
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
