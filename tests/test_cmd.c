// SPDX-License-Identifier: MIT
/* test_cmd.c - topo, path and check as a user runs them: output parsed back */
#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "emu/cli/cmd_common.h"
#include "emu/conf/units.h"
#include "emu/cli/run_opts.h"
#include "emu/run/geom.h"
#include "topo/consts.h"

/*
 * Tests run from the repository root and run ./lasermesh (built by `make
 * check`); without it they skip. The default configuration is 72 x 22
 * satellites and two ground stations, london and newyork.
 */
#define BIN "./lasermesh"
#define DEFAULT_NODES 1586

static void need_bin(void)
{
	if (access(BIN, X_OK) != 0)
		cr_skip_test("%s is missing: run make first", BIN);
}

/* Run cmd with sh, return its whole stdout (NUL-terminated), exit status. */
static char *run(const char *cmd, int *status)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	FILE *p;
	int st;

	cr_assert_not_null(buf);
	p = popen(cmd, "r");
	cr_assert_not_null(p, "popen %s", cmd);
	for (;;) {
		size_t r;

		if (cap - n < 4096) {
			cap *= 2;
			buf = realloc(buf, cap);
			cr_assert_not_null(buf);
		}
		r = fread(buf + n, 1, cap - n - 1, p);
		if (!r)
			break;
		n += r;
	}
	buf[n] = '\0';
	st = pclose(p);
	cr_assert(WIFEXITED(st), "%s did not exit", cmd);
	*status = WEXITSTATUS(st);
	return buf;
}

/* ---- a small strict JSON reader (RFC 8259) ------------------------------ */

enum jt { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
	enum jt t;
	double num;
	char *str;		/* J_STR */
	struct jv *v;		/* J_ARR, J_OBJ: items */
	char **key;		/* J_OBJ */
	size_t n;
};

struct jp {
	const char *s;
	const char *err;
};

static void jws(struct jp *p)
{
	while (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' ||
	       *p->s == '\r')
		p->s++;
}

static bool jparse(struct jp *p, struct jv *out);

static bool jstring(struct jp *p, char **out)
{
	const char *start;
	size_t n = 0;
	char *s;

	if (*p->s != '"') {
		p->err = p->s;
		return false;
	}
	start = ++p->s;
	while (*p->s != '"') {
		if ((unsigned char)*p->s < 0x20) {
			p->err = p->s;
			return false;
		}
		if (*p->s == '\\') {
			p->s++;
			if (*p->s == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!isxdigit((unsigned char)p->s[i])) {
						p->err = p->s;
						return false;
					}
				p->s += 4;
			} else if (!strchr("\"\\/bfnrt", *p->s) || !*p->s) {
				p->err = p->s;
				return false;
			}
		}
		p->s++;
	}
	n = (size_t)(p->s - start);
	s = malloc(n + 1);
	cr_assert_not_null(s);
	memcpy(s, start, n);	/* escapes kept as written: enough here */
	s[n] = '\0';
	*out = s;
	p->s++;
	return true;
}

static bool jnumber(struct jp *p, double *out)
{
	const char *s = p->s;
	char *end;

	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (isdigit((unsigned char)*s))
			s++;
	else
		goto bad;
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			goto bad;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!isdigit((unsigned char)*s))
			goto bad;
		while (isdigit((unsigned char)*s))
			s++;
	}
	*out = strtod(p->s, &end);
	if (end != s)
		goto bad;
	p->s = s;
	return true;
bad:
	p->err = s;
	return false;
}

static void jfree(struct jv *v);

static void jpush(struct jv *a, const struct jv *item, char *key)
{
	a->v = realloc(a->v, (a->n + 1) * sizeof(*a->v));
	cr_assert_not_null(a->v);
	if (a->t == J_OBJ) {
		a->key = realloc(a->key, (a->n + 1) * sizeof(*a->key));
		cr_assert_not_null(a->key);
		a->key[a->n] = key;
	}
	a->v[a->n++] = *item;
}

static bool jparse(struct jp *p, struct jv *out)
{
	memset(out, 0, sizeof(*out));
	jws(p);
	switch (*p->s) {
	case '{':
	case '[': {
		char close = *p->s == '{' ? '}' : ']';

		out->t = close == '}' ? J_OBJ : J_ARR;
		p->s++;
		jws(p);
		if (*p->s == close) {
			p->s++;
			return true;
		}
		for (;;) {
			struct jv item;
			char *key = NULL;

			jws(p);
			if (out->t == J_OBJ) {
				if (!jstring(p, &key))
					return false;
				jws(p);
				if (*p->s != ':') {
					p->err = p->s;
					free(key);
					return false;
				}
				p->s++;
			}
			if (!jparse(p, &item)) {
				jfree(&item);	/* what it built so far */
				free(key);
				return false;
			}
			jpush(out, &item, key);
			jws(p);
			if (*p->s == ',') {
				p->s++;
				continue;
			}
			if (*p->s == close) {
				p->s++;
				return true;
			}
			p->err = p->s;
			return false;
		}
	}
	case '"':
		out->t = J_STR;
		return jstring(p, &out->str);
	case 't':
	case 'f':
	case 'n': {
		static const char *const words[] = { "true", "false", "null" };

		for (int i = 0; i < 3; i++) {
			size_t l = strlen(words[i]);

			if (!strncmp(p->s, words[i], l)) {
				out->t = i < 2 ? J_BOOL : J_NULL;
				out->num = i == 0;
				p->s += l;
				return true;
			}
		}
		p->err = p->s;
		return false;
	}
	default:
		out->t = J_NUM;
		return jnumber(p, &out->num);
	}
}

static void jfree(struct jv *v)
{
	for (size_t i = 0; i < v->n; i++) {
		jfree(&v->v[i]);
		if (v->key)
			free(v->key[i]);
	}
	free(v->v);
	free(v->key);
	free(v->str);
}

/* The whole text is one JSON value (and white space). */
static void jload(const char *text, struct jv *out)
{
	struct jp p = { .s = text };
	bool ok = jparse(&p, out);

	if (ok) {
		jws(&p);
		if (*p.s) {
			ok = false;
			p.err = p.s;
		}
	}
	cr_assert(ok, "invalid JSON at offset %ld: \"%.40s\"",
		  (long)(p.err - text), p.err);
}

static const struct jv *jget(const struct jv *o, const char *key,
			     enum jt t)
{
	cr_assert_eq(o->t, J_OBJ);
	for (size_t i = 0; i < o->n; i++) {
		if (!strcmp(o->key[i], key)) {
			cr_assert_eq(o->v[i].t, t, "\"%s\" has type %d, not %d",
				     key, o->v[i].t, t);
			return &o->v[i];
		}
	}
	cr_assert_fail("no key \"%s\"", key);
	return NULL;
}

Test(jsonreader, rejects_bad_json)
{
	static const char *const bad[] = {
		"{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "\"a", "[1 2]",
		"{\"a\":1,}", "tru", "\"\t\"", "1e",
	};
	static const char *const good[] = {
		"{}", "[]", "-0.5e+3",
		"{\"a\": [1, {\"b\": null}], \"c\": true}",
		"\"\\u00e9\\n\"",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct jp p = { .s = bad[i] };
		struct jv v;
		bool ok = jparse(&p, &v);

		if (ok) {
			jws(&p);
			ok = !*p.s;
		}
		jfree(&v);	/* also what a failed parse built */
		cr_assert(!ok, "accepted %s", bad[i]);
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct jv v;

		jload(good[i], &v);
		jfree(&v);
	}
}

/* ---- the node and link tables of topo ----------------------------------- */

struct tnode {
	char name[64];
	char kind[16];
	double lat, lon, alt, x, y, z;
	char state[8], shadow[16];
};

struct tlink {
	char a[64], b[64], kind[8];
	double km, us;
};

struct topo {
	struct tnode *node;
	size_t nnode;
	struct tlink *link;
	size_t nlink;
};

static long topo_find(const struct topo *t, const char *name)
{
	for (size_t i = 0; i < t->nnode; i++)
		if (!strcmp(t->node[i].name, name))
			return (long)i;
	return -1;
}

static void topo_free(struct topo *t)
{
	free(t->node);
	free(t->link);
	memset(t, 0, sizeof(*t));
}

static void topo_from_json(const struct jv *root, struct topo *t)
{
	const struct jv *nodes = jget(root, "nodes", J_ARR);
	const struct jv *links = jget(root, "links", J_ARR);

	t->node = calloc(nodes->n + 1, sizeof(*t->node));
	t->link = calloc(links->n + 1, sizeof(*t->link));
	cr_assert(t->node && t->link);
	for (size_t i = 0; i < nodes->n; i++) {
		const struct jv *o = &nodes->v[i];
		const struct jv *e = jget(o, "ecef_km", J_ARR);
		struct tnode *n = &t->node[t->nnode++];

		cr_assert_eq(o->n, 8, "node %zu has %zu keys", i, o->n);
		snprintf(n->name, sizeof(n->name), "%s",
			 jget(o, "name", J_STR)->str);
		snprintf(n->state, sizeof(n->state), "%s",
			 jget(o, "state", J_STR)->str);
		snprintf(n->shadow, sizeof(n->shadow), "%s",
			 jget(o, "shadow", J_STR)->str);
		snprintf(n->kind, sizeof(n->kind), "%s",
			 jget(o, "kind", J_STR)->str);
		n->lat = jget(o, "lat_deg", J_NUM)->num;
		n->lon = jget(o, "lon_deg", J_NUM)->num;
		n->alt = jget(o, "alt_km", J_NUM)->num;
		cr_assert_eq(e->n, 3, "node %s: ecef_km has %zu numbers",
			     n->name, e->n);
		for (int k = 0; k < 3; k++)
			cr_assert_eq(e->v[k].t, J_NUM);
		n->x = e->v[0].num;
		n->y = e->v[1].num;
		n->z = e->v[2].num;
	}
	for (size_t i = 0; i < links->n; i++) {
		const struct jv *o = &links->v[i];
		struct tlink *l = &t->link[t->nlink++];

		cr_assert_eq(o->n, 5, "link %zu has %zu keys", i, o->n);
		snprintf(l->a, sizeof(l->a), "%s", jget(o, "a", J_STR)->str);
		snprintf(l->b, sizeof(l->b), "%s", jget(o, "b", J_STR)->str);
		snprintf(l->kind, sizeof(l->kind), "%s",
			 jget(o, "kind", J_STR)->str);
		l->km = jget(o, "length_km", J_NUM)->num;
		l->us = jget(o, "delay_us", J_NUM)->num;
	}
}

/* Next line of *s (modified in place), or NULL at the end. */
static char *next_line(char **s)
{
	char *l = *s, *nl;

	if (!l || !*l)
		return NULL;
	nl = strchr(l, '\n');
	if (nl) {
		*nl = '\0';
		*s = nl + 1;
	} else {
		*s = l + strlen(l);
	}
	return l;
}

/* Split a line at sep into at most max fields; returns the count. */
static size_t split(char *l, char sep, char **f, size_t max)
{
	size_t n = 0;

	f[n++] = l;
	for (char *c = l; *c && n < max; c++) {
		if (*c == sep) {
			*c = '\0';
			f[n++] = c + 1;
		}
	}
	return n;
}

static double num(const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	cr_assert(end != s && !*end && !errno, "\"%s\" is not a number", s);
	return v;
}

/* topo --format csv: nodes, a blank line, links (or one part alone). */
static void topo_from_csv(char *out, struct topo *t)
{
	char *l, *f[10];
	int part = -1;

	t->node = calloc(DEFAULT_NODES * 2, sizeof(*t->node));
	t->link = calloc(20000, sizeof(*t->link));
	cr_assert(t->node && t->link);
	while ((l = next_line(&out))) {
		if (!*l) {
			part = -1;
			continue;
		}
		if (!strcmp(l, "name,kind,lat_deg,lon_deg,alt_km,x_km,y_km,"
			       "z_km,state,shadow")) {
			part = 0;
			continue;
		}
		if (!strcmp(l, "a,b,kind,length_km,delay_us")) {
			part = 1;
			continue;
		}
		cr_assert_neq(part, -1, "line without a header: %s", l);
		if (part == 0) {
			struct tnode *n = &t->node[t->nnode++];

			cr_assert_eq(split(l, ',', f, 12), 10);
			snprintf(n->name, sizeof(n->name), "%s", f[0]);
			snprintf(n->state, sizeof(n->state), "%s", f[8]);
			snprintf(n->shadow, sizeof(n->shadow), "%s", f[9]);
			snprintf(n->kind, sizeof(n->kind), "%s", f[1]);
			n->lat = num(f[2]);
			n->lon = num(f[3]);
			n->alt = num(f[4]);
			n->x = num(f[5]);
			n->y = num(f[6]);
			n->z = num(f[7]);
		} else {
			struct tlink *k = &t->link[t->nlink++];

			cr_assert_lt(t->nlink, 20000);
			cr_assert_eq(split(l, ',', f, 10), 5);
			snprintf(k->a, sizeof(k->a), "%s", f[0]);
			snprintf(k->b, sizeof(k->b), "%s", f[1]);
			snprintf(k->kind, sizeof(k->kind), "%s", f[2]);
			k->km = num(f[3]);
			k->us = num(f[4]);
		}
	}
}

/* What every topo output must satisfy, whatever its format. */
static void topo_check(const struct topo *t)
{
	size_t sats = 0, isl = 0;

	cr_assert_eq(t->nnode, DEFAULT_NODES);
	for (size_t i = 0; i < t->nnode; i++) {
		const struct tnode *n = &t->node[i];
		double r = sqrt(n->x * n->x + n->y * n->y + n->z * n->z);

		cr_assert(n->lat >= -90 && n->lat <= 90, "%s", n->name);
		cr_assert(n->lon >= -180 && n->lon <= 180, "%s", n->name);
		cr_assert_str_eq(n->state, "up", "%s", n->name);
		cr_assert(!strcmp(n->shadow, "sunlit") ||
			  !strcmp(n->shadow, "penumbra") ||
			  !strcmp(n->shadow, "umbra"), "%s: %s", n->name,
			  n->shadow);
		if (!strcmp(n->kind, "satellite")) {
			sats++;
			/* 550 km above a 6357-6378 km Earth */
			cr_assert(n->alt > 530 && n->alt < 575, "%s alt %.3f",
				  n->name, n->alt);
			cr_assert(r > 6890 && r < 6950, "%s r %.3f", n->name,
				  r);
		} else {
			cr_assert_str_eq(n->kind, "ground");
			cr_assert(fabs(n->alt) < 0.01);
			cr_assert(r > 6350 && r < 6380);
		}
	}
	cr_assert_eq(sats, 72 * 22);
	cr_assert_str_eq(t->node[sats].name, "london");
	cr_assert(fabs(t->node[sats].lat - 51.5074) < 1e-6);
	cr_assert(fabs(t->node[sats].lon - -0.1278) < 1e-6);
	cr_assert_str_eq(t->node[sats + 1].name, "newyork");

	cr_assert_gt(t->nlink, 1000);
	for (size_t i = 0; i < t->nlink; i++) {
		const struct tlink *l = &t->link[i];
		long a = topo_find(t, l->a), b = topo_find(t, l->b);
		double dx, dy, dz, d;

		cr_assert(a >= 0 && b >= 0, "link %s %s: unknown end", l->a,
			  l->b);
		dx = t->node[a].x - t->node[b].x;
		dy = t->node[a].y - t->node[b].y;
		dz = t->node[a].z - t->node[b].z;
		d = sqrt(dx * dx + dy * dy + dz * dz);
		cr_assert(fabs(d - l->km) < 0.01,
			  "%s-%s: %.4f km long, ends %.4f km apart", l->a,
			  l->b, l->km, d);
		/* printed at 4 decimals: 1e-4 us, and 0.5e-4 km * 3.34 */
		cr_assert(fabs(l->us - l->km / TOPO_C_KM_S * 1e6) < 3e-4,
			  "%s-%s: %.4f us for %.4f km", l->a, l->b, l->us,
			  l->km);
		if (!strcmp(l->kind, "isl")) {
			isl++;
			cr_assert_str_eq(t->node[a].kind, "satellite");
			cr_assert_str_eq(t->node[b].kind, "satellite");
			/* the grazing limit at 550 km and 80 km */
			cr_assert_lt(l->km, 5016.6);
		} else {
			const struct tnode *g = &t->node[b];
			double la = g->lat * TOPO_DEG, lo = g->lon * TOPO_DEG;
			double el;

			cr_assert_str_eq(l->kind, "gsl");
			cr_assert_str_eq(g->kind, "ground");
			/*
			 * The satellite is at least 25 degrees above the
			 * station's horizon (the ellipsoid's normal: the
			 * up vector of geodetic latitude and longitude);
			 * printed positions are good to 0.1 m.
			 */
			el = asin((dx * cos(la) * cos(lo) +
				   dy * cos(la) * sin(lo) + dz * sin(la)) /
				  d) / TOPO_DEG;
			cr_assert_geq(el, 25.0 - 1e-4, "%s-%s: %.5f deg",
				      l->a, l->b, el);
			/* about 1,123 km at most (1,123.4 on the sphere) */
			cr_assert_lt(l->km, 1135.0);
		}
	}
	/* +Grid: at most two links per satellite */
	cr_assert_leq(isl, 2 * 72 * 22);
	cr_assert_gt(isl, 72 * 22);
}

static void topo_json(const char *args, struct topo *t)
{
	char cmd[512], *out;
	struct jv root;
	int st;

	snprintf(cmd, sizeof(cmd), BIN " topo --format json %s", args);
	out = run(cmd, &st);
	cr_assert_eq(st, 0, "%s exited %d", cmd, st);
	jload(out, &root);
	cr_assert_eq(root.n, 3);
	cr_assert_eq(strlen(jget(&root, "time", J_STR)->str), 24);
	topo_from_json(&root, t);
	jfree(&root);
	free(out);
}

Test(cmd, topo_json)
{
	struct topo t = { 0 };
	char *out;
	struct jv root;
	int st;

	need_bin();
	out = run(BIN " topo --format json", &st);
	cr_assert_eq(st, 0);
	jload(out, &root);
	cr_assert_str_eq(jget(&root, "time", J_STR)->str,
			 "2026-02-23T00:00:00.000Z");
	topo_from_json(&root, &t);
	topo_check(&t);
	jfree(&root);
	free(out);
	topo_free(&t);

	/* another moment: the same shape, the satellites moved */
	topo_json("--at 90", &t);
	topo_check(&t);
	topo_free(&t);
}

Test(cmd, topo_json_only)
{
	struct topo t = { 0 };

	need_bin();
	topo_json("--only nodes", &t);
	cr_assert_eq(t.nnode, DEFAULT_NODES);
	cr_assert_eq(t.nlink, 0);
	topo_free(&t);
	topo_json("--only links", &t);
	cr_assert_eq(t.nnode, 0);
	cr_assert_gt(t.nlink, 1000);
	topo_free(&t);
}

Test(cmd, topo_csv_matches_json)
{
	struct topo j = { 0 }, c = { 0 };
	char *out;
	int st;

	need_bin();
	topo_json("--at 30", &j);
	out = run(BIN " topo --format csv --at 30", &st);
	cr_assert_eq(st, 0);
	topo_from_csv(out, &c);
	free(out);
	topo_check(&c);
	cr_assert_eq(c.nlink, j.nlink);
	for (size_t i = 0; i < c.nnode; i++) {
		cr_assert_str_eq(c.node[i].name, j.node[i].name);
		cr_assert_eq(c.node[i].x, j.node[i].x);
		cr_assert_eq(c.node[i].lat, j.node[i].lat);
	}
	for (size_t i = 0; i < c.nlink; i++) {
		cr_assert_str_eq(c.link[i].a, j.link[i].a);
		cr_assert_str_eq(c.link[i].b, j.link[i].b);
		cr_assert_eq(c.link[i].km, j.link[i].km);
	}
	topo_free(&c);
	topo_free(&j);
}

Test(cmd, topo_text)
{
	struct topo j = { 0 };
	char *out, *s, *l, *f[12];
	size_t nodes = 0, links = 0, want_nodes = 0, want_links = 0;
	int part = -1, st;

	need_bin();
	topo_json("", &j);
	s = out = run(BIN " topo", &st);
	cr_assert_eq(st, 0);
	l = next_line(&s);
	cr_assert_str_eq(l, "# time 2026-02-23T00:00:00.000Z");
	while ((l = next_line(&s))) {
		char word[16];
		size_t count;

		if (sscanf(l, "# %zu %15s", &count, word) == 2) {
			cr_assert(!strcmp(word, "nodes:") ||
					  !strcmp(word, "links:"),
				  "%s", l);
			part = word[0] == 'l';
			*(part ? &want_links : &want_nodes) = count;
			continue;
		}
		cr_assert_neq(l[0], '#', "unexpected comment: %s", l);
		/* white-space separated columns */
		{
			size_t n = 0;
			char *save = NULL;

			for (char *w = strtok_r(l, " ", &save); w && n < 12;
			     w = strtok_r(NULL, " ", &save))
				f[n++] = w;
			if (part == 0) {
				cr_assert_eq(n, 10);
				cr_assert_str_eq(f[0], j.node[nodes].name);
				cr_assert_str_eq(f[9], j.node[nodes].shadow);
				cr_assert(fabs(num(f[5]) - j.node[nodes].x) <
					  1e-3);
				nodes++;
			} else {
				cr_assert_eq(part, 1);
				cr_assert_eq(n, 5);
				cr_assert_str_eq(f[0], j.link[links].a);
				cr_assert(fabs(num(f[3]) - j.link[links].km) <
					  1e-3);
				links++;
			}
		}
	}
	cr_assert_eq(want_nodes, DEFAULT_NODES);
	cr_assert_eq(nodes, want_nodes);
	cr_assert_eq(want_links, j.nlink);
	cr_assert_eq(links, want_links);
	free(out);
	topo_free(&j);
}

Test(cmd, topo_bad_arguments)
{
	char *out;
	int st;

	need_bin();
	out = run(BIN " topo --at 12xyz 2>&1", &st);
	cr_assert_eq(st, 1);
	cr_assert_neq(strstr(out, "\"12xyz\""), NULL, "%s", out);
	free(out);
	out = run(BIN " topo --format yaml 2>&1", &st);
	cr_assert_eq(st, 1);
	cr_assert_neq(strstr(out, "\"yaml\""), NULL, "%s", out);
	free(out);
	out = run(BIN " topo --at 1 tests/data/conf/nosuch.conf 2>&1", &st);
	cr_assert_eq(st, 1);
	cr_assert_neq(strstr(out, "nosuch.conf"), NULL, "%s", out);
	free(out);
}

/* ---- path --------------------------------------------------------------- */

static const struct tlink *link_between(const struct topo *t, const char *a,
					const char *b)
{
	for (size_t i = 0; i < t->nlink; i++) {
		const struct tlink *l = &t->link[i];

		if ((!strcmp(l->a, a) && !strcmp(l->b, b)) ||
		    (!strcmp(l->a, b) && !strcmp(l->b, a)))
			return l;
	}
	return NULL;
}

/*
 * The path column: node names separated by single spaces (a name never has
 * one). Returns the number of nodes, checks that consecutive ones are
 * linked in t and adds their link lengths to *km.
 */
static size_t path_walk(const struct topo *t, const char *s, double *km,
			char names[][64])
{
	size_t n = 0;

	while (*s) {
		const char *e = strchrnul(s, ' ');
		const struct tlink *l;

		cr_assert_lt((size_t)(e - s), 64, "%s", s);
		cr_assert_gt(e - s, 0, "empty name in \"%s\"", s);
		memcpy(names[n], s, (size_t)(e - s));
		names[n][e - s] = '\0';
		cr_assert_geq(topo_find(t, names[n]), 0, "%s", names[n]);
		if (n) {
			l = link_between(t, names[n - 1], names[n]);
			cr_assert_not_null(l, "%s-%s not linked", names[n - 1],
					   names[n]);
			*km += l->km;
		}
		n++;
		s = *e ? e + 1 : e;
	}
	return n;
}

Test(cmd, path_rtt_matches_topo)
{
	static char names[256][64];
	struct topo t = { 0 };
	char *out, *s, *l, *f[4], *rows[11];
	size_t nrows = 0, n;
	double km = 0;
	long long rtt, want;
	int st;

	need_bin();
	s = out = run(BIN " path london newyork --from 0 --to 10 --step 1",
		      &st);
	cr_assert_eq(st, 0);
	cr_assert_str_eq(next_line(&s), "t_ns,rtt_ns,path");
	while ((l = next_line(&s))) {
		cr_assert_lt(nrows, 11, "more than 11 rows");
		rows[nrows++] = l;
	}
	cr_assert_eq(nrows, 11);
	for (size_t i = 0; i < nrows; i++) {
		char copy[4096];

		snprintf(copy, sizeof(copy), "%s", rows[i]);
		cr_assert_eq(split(copy, ',', f, 4), 3, "%s", rows[i]);
		cr_assert_eq(num(f[0]), i * 1e9);
		/* london to newyork: 5,570 km, at least 37 ms back and forth */
		cr_assert_gt(num(f[1]), 2 * 5570 / TOPO_C_KM_S * 1e9);
		cr_assert_lt(num(f[1]), 100e6);
		cr_assert_eq(strncmp(f[2], "london ", 7), 0, "%s", f[2]);
		cr_assert_eq(strcmp(f[2] + strlen(f[2]) - 8, " newyork"), 0,
			     "%s", f[2]);
	}

	/* row 5 against the links of topo --at 5 */
	topo_json("--at 5", &t);
	split(rows[5], ',', f, 4);
	n = path_walk(&t, f[2], &km, names);
	cr_assert_geq(n, 3, "cannot read the path %s over topo's links", f[2]);
	cr_assert_str_eq(names[0], "london");
	cr_assert_str_eq(names[n - 1], "newyork");
	rtt = atoll(f[1]);
	want = llround(2 * km * 1e9 / TOPO_C_KM_S);
	/* lengths printed to 0.1 m: 0.67 ns of round trip per link */
	cr_assert(llabs(rtt - want) <= (long long)n,
		  "rtt %lld, links of topo give %lld (%zu nodes)", rtt, want,
		  n);
	cr_log_info("t = 5 s: %zu nodes, %.3f km, rtt %lld ns", n, km, rtt);
	topo_free(&t);
	free(out);
}

static char tmpdir[64];

static const char *write_conf(const char *text)
{
	static char path[PATH_MAX];
	FILE *f;

	strcpy(tmpdir, "/tmp/lmt-cmd-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
	snprintf(path, sizeof(path), "%s/u.conf", tmpdir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void remove_conf(void)
{
	char cmd[128];

	if (!tmpdir[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		cr_log_warn("could not remove %s", tmpdir);
}

Test(cmd, path_unreachable_is_empty, .fini = remove_conf)
{
	const char *conf = write_conf("[shell s]\n"
				      "type = walker-delta\n"
				      "planes = 6\n"
				      "per-plane = 6\n"
				      "phasing = 1\n"
				      "altitude = 550km\n"
				      "inclination = 53\n"
				      "[isl]\n"
				      "candidates = none\n"
				      "[ground london]\n"
				      "latitude = 51.5\n"
				      "longitude = -0.13\n"
				      "altitude = 0m\n"
				      "[ground sydney]\n"
				      "latitude = -33.87\n"
				      "longitude = 151.21\n"
				      "altitude = 0m\n");
	char cmd[PATH_MAX + 128], *out, *s, *l;
	size_t rows = 0;
	int st;

	need_bin();
	snprintf(cmd, sizeof(cmd),
		 BIN " path %s london sydney --from 0 --to 2 --step 500ms",
		 conf);
	s = out = run(cmd, &st);
	cr_assert_eq(st, 0);
	cr_assert_str_eq(next_line(&s), "t_ns,rtt_ns,path");
	while ((l = next_line(&s))) {
		char want[64];

		snprintf(want, sizeof(want), "%zu,,", rows * 500000000);
		cr_assert_str_eq(l, want);
		rows++;
	}
	cr_assert_eq(rows, 5);
	free(out);
}

/*
 * A satellite that SGP4 cannot propagate (a decayed one: drag term 1.0,
 * epoch three days before) is left out of the nodes; the JSON must stay
 * valid when it is the first node.
 */
Test(cmd, topo_json_with_first_node_down, .fini = remove_conf)
{
	const char *conf = write_conf("[tle t]\n"
				      "file = decay.tle\n"
				      "[isl]\n"
				      "candidates = nearest\n");
	char path[PATH_MAX], cmd[PATH_MAX + 64], *out;
	struct jv root;
	FILE *f;
	int st;

	need_bin();
	snprintf(path, sizeof(path), "%s/decay.tle", tmpdir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("DECAYED\n"
	      "1 44714U 19074B   26050.95338319  .00001514  00000+0  99999-0 0"
	      "  9990\n"
	      "2 44714  53.1565 247.2957 0001251  94.4223 265.6921 15.31035506"
	      "346616\n"
	      "STARLINK-1012\n"
	      "1 44718U 19074F   26053.79510367 -.00003638  00000+0 -11084-3 0"
	      "  9997\n"
	      "2 44718  53.1591 247.9884 0000544  91.4546 268.6517 15.30185387"
	      "346586\n", f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), BIN " topo %s --format json 2>/dev/null",
		 conf);
	out = run(cmd, &st);
	cr_assert_eq(st, 0);
	jload(out, &root);
	cr_assert_eq(jget(&root, "nodes", J_ARR)->n, 1);
	cr_assert_str_eq(jget(&jget(&root, "nodes", J_ARR)->v[0], "name",
			      J_STR)->str,
			 "starlink-1012");
	jfree(&root);
	free(out);
	/* the text format says why it is missing */
	snprintf(cmd, sizeof(cmd), BIN " topo %s 2>/dev/null", conf);
	out = run(cmd, &st);
	cr_assert_eq(st, 0);
	cr_assert_neq(strstr(out, "# decayed: cannot be placed, down: SGP4 "
			      "error 1: mean elements out of range"),
		      NULL, "%s", out);
	free(out);
	/* stderr counts it always, and names it with -v */
	snprintf(cmd, sizeof(cmd), BIN " topo %s 2>&1 >/dev/null", conf);
	out = run(cmd, &st);
	cr_assert_eq(st, 0);
	cr_assert_neq(strstr(out, "lasermesh topo: 1 of 2 satellites cannot "
			      "be placed and are left out (1 SGP4 error 1: "),
		      NULL, "%s", out);
	cr_assert_neq(strstr(out, "-v names them"), NULL, "%s", out);
	cr_assert_null(strstr(out, "decayed:"), "%s", out);
	free(out);
	snprintf(cmd, sizeof(cmd), BIN " topo %s -v 2>&1 >/dev/null", conf);
	out = run(cmd, &st);
	cr_assert_eq(st, 0);
	cr_assert_neq(strstr(out, "lasermesh topo: decayed: SGP4 error 1: "),
		      NULL, "%s", out);
	free(out);
}

Test(cmd, path_bad_arguments)
{
	static const struct {
		const char *args, *want;
	} cases[] = {
		{ "london newyork --from soon", "\"soon\"" },
		{ "london newyork --from bogus --to 10", "\"bogus\"" },
		{ "london newyork --from 0 --to later", "\"later\"" },
		{ "london newyork --step 0", "\"0\"" },
		{ "london newyork --step -1s", "\"-1s\"" },
		{ "london newyork --from 10 --to 5",
		  "--to \"5\" is before --from \"10\"" },
		{ "london newyork --step 1e3", "\"1e3\"" },
		{ "london newyork --format yaml", "\"yaml\"" },
		{ "london atlantis", "\"atlantis\"" },
		{ "london", "usage" },
	};
	char cmd[256], *out;
	int st;

	need_bin();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(cmd, sizeof(cmd), BIN " path %s 2>&1",
			 cases[i].args);
		out = run(cmd, &st);
		cr_assert_eq(st, 1, "%s: exit %d", cases[i].args, st);
		cr_assert_neq(strstr(out, cases[i].want), NULL,
			      "%s: %s lacks %s", cases[i].args, out,
			      cases[i].want);
		/* no CSV header (the usage quotes it, not on a line) */
		cr_assert_null(strstr(out, "t_ns,rtt_ns,path\n"), "%s: %s",
			       cases[i].args, out);
		free(out);
	}
}

/* ---- check -------------------------------------------------------------- */

Test(cmd, check_bad_file_lists_file_line_errors)
{
	char *out, *s, *l;
	size_t lines = 0;
	int st;

	need_bin();
	s = out = run(BIN " check tests/data/conf/errors.conf 2>&1", &st);
	cr_assert_eq(st, 1);
	while ((l = next_line(&s))) {
		unsigned line;
		char tail[8];

		cr_assert_eq(sscanf(l, "tests/data/conf/errors.conf:%u:%1s",
				    &line, tail), 2,
			     "not file:line: %s", l);
		cr_assert(line >= 1 && line <= 23, "%s", l);
		lines++;
	}
	cr_assert_geq(lines, 10);
	cr_assert_null(strstr(out, "configuration OK"));
	free(out);

	out = run(BIN " check tests/data/conf/nosuch.conf 2>&1", &st);
	cr_assert_eq(st, 1);
	cr_assert_neq(strstr(out, "nosuch.conf"), NULL, "%s", out);
	free(out);
}

Test(cmd, check_examples_ok)
{
	glob_t g;
	char cmd[PATH_MAX + 32], *out;
	int st;

	need_bin();
	cr_assert_eq(glob("docs/examples/*.conf", 0, NULL, &g), 0);
	cr_assert_geq(g.gl_pathc, 1);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		snprintf(cmd, sizeof(cmd), BIN " check %s 2>&1",
			 g.gl_pathv[i]);
		out = run(cmd, &st);
		cr_assert_eq(st, 0, "%s: %s", g.gl_pathv[i], out);
		cr_assert_str_eq(out, "configuration OK\n", "%s",
				 g.gl_pathv[i]);
		free(out);
	}
	globfree(&g);
	/* and the embedded default */
	out = run(BIN " check 2>&1", &st);
	cr_assert_eq(st, 0);
	cr_assert_str_eq(out, "configuration OK\n");
	free(out);
}

/* ---- times at the edges of the range (issue 6, point 9) ---------------- */

/*
 * Every time lasermesh cannot represent gets an error that quotes it and
 * names the range; one just inside works, and path stops at the range's
 * end. `timeout` turns an endless loop into a failure.
 */
Test(cmd, times_at_the_edges)
{
	static const char range[] = "is outside the times lasermesh represents";
	static const struct {
		const char *args;
		int status;
		const char *want;
	} cases[] = {
		{ "topo --at 7500000000", 1, "--at \"7500000000\" " },
		{ "topo --at 2562047h", 1, "--at \"2562047h\" " },
		{ "topo --at 9300000000", 1, "--at \"9300000000\" " },
		{ "topo --at 2300-01-01T00:00:00Z", 1,
		  "--at \"2300-01-01T00:00:00Z\" " },
		{ "path london newyork --from 0 --to 9000000000 --step "
		  "3000000000", 1, "--to \"9000000000\" " },
		{ "path london newyork --from 1677-09-22 --to 2262-04-11", 1,
		  "--from \"1677-09-22\" " },
		{ "topo --at 1700-01-01", 1,
		  "--at \"1700-01-01\" is outside the times lasermesh "
		  "represents with the epoch 2026-02-23T00:00:00Z: "
		  "1733-11-" },
	};
	char cmd[256], *out, *s, *l;
	size_t rows = 0;
	int st;

	need_bin();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(cmd, sizeof(cmd), "timeout 60 " BIN " %s 2>&1",
			 cases[i].args);
		out = run(cmd, &st);
		cr_assert_eq(st, cases[i].status, "%s: exit %d: %s",
			     cases[i].args, st, out);
		cr_assert_not_null(strstr(out, cases[i].want), "%s: %s",
				   cases[i].args, out);
		cr_assert_not_null(strstr(out, range), "%s: %s",
				   cases[i].args, out);
		/* the range ends the same whatever the cause */
		cr_assert_not_null(strstr(out, "2262-04-11T23:47:16Z"), "%s",
				   out);
		free(out);
	}
	/* negative offsets: said so, with the way to write earlier times */
	out = run(BIN " topo --at -5 2>&1", &st);
	cr_assert_eq(st, 1);
	cr_assert_not_null(strstr(out, "--at \"-5\" is negative"), "%s", out);
	free(out);
	/* inside the range: SGP4 refuses 236 years from its epoch, counted */
	out = run(BIN " topo --at 2262-01-01T00:00:00Z --only nodes 2>&1",
		  &st);
	cr_assert_eq(st, 0, "%s", out);
	cr_assert_not_null(strstr(out, "# time 2262-01-01T00:00:00.000Z"),
			   "%s", out);
	cr_assert_not_null(strstr(out, "1584 of 1584 satellites cannot be "
				  "placed"), "%s", out);
	cr_assert_not_null(strstr(out, "SGP4 error 7"), "%s", out);
	free(out);
	/* the last seconds of the range: four moments, then it stops */
	s = out = run("timeout 60 " BIN " path london newyork --from "
		      "2262-04-11T23:47:10Z --to 2262-04-11T23:47:16Z --step 2 "
		      "2>/dev/null", &st);
	cr_assert_eq(st, 0, "exit %d: %s", st, out);
	cr_assert_str_eq(next_line(&s), "t_ns,rtt_ns,path");
	while ((l = next_line(&s)))
		rows++;
	cr_assert_eq(rows, 4, "%s", out);
	free(out);
}

/*
 * Bounded loops (issue 7, point 2): the number of moments and of replayed
 * steps comes from the command line; beyond the limits, an error naming
 * the value and the limit, at once.
 */
Test(cmd, path_loops_are_bounded, .fini = remove_conf)
{
	const char *conf = write_conf("[emulation]\n"
				      "step = 1ms\n"
				      "[shell s]\n"
				      "type = walker-delta\n"
				      "planes = 4\n"
				      "per-plane = 4\n"
				      "phasing = 1\n"
				      "altitude = 550km\n"
				      "inclination = 53\n"
				      "[isl]\n"
				      "acquisition = 1s\n");
	char cmd[PATH_MAX + 128], *out;
	int st;

	need_bin();
	out = run(BIN " path london newyork --to 2000000 --step 1ms 2>&1",
		  &st);
	cr_assert_eq(st, 1);
	cr_assert_not_null(strstr(out, "give 2000000001 moments, more than "
				  "the limit of 1000000"), "%s", out);
	free(out);
	/* 1,000 s of replay at 1 ms: 1,000,001 steps, one too many */
	snprintf(cmd, sizeof(cmd),
		 "timeout 20 " BIN " path %s s-0-0 s-0-1 --from 1000s 2>&1",
		 conf);
	out = run(cmd, &st);
	cr_assert_eq(st, 1, "%s", out);
	cr_assert_not_null(strstr(out, "--to \"1000s\" needs 1000001 steps"),
			   "%s", out);
	cr_assert_not_null(strstr(out, "more than the limit of 1000000"),
			   "%s", out);
	free(out);
	/* the same without history, and a short replay, are fine */
	snprintf(cmd, sizeof(cmd),
		 "timeout 20 " BIN " path %s s-0-0 s-0-1 --from 1000s "
		 "--no-history 2>&1", conf);
	out = run(cmd, &st);
	cr_assert_eq(st, 0, "%s", out);
	free(out);
	snprintf(cmd, sizeof(cmd),
		 "timeout 20 " BIN " path %s s-0-0 s-0-1 --to 1ms 2>&1", conf);
	out = run(cmd, &st);
	cr_assert_eq(st, 0, "%s", out);
	free(out);
}

/* ---- path's formats (issue 6, point 10) --------------------------------- */

/* CSV, JSON and text say the same; JSON is strict JSON. */
Test(cmd, path_formats_agree)
{
	char *csv, *json, *text, *s, *l, *f[4], *tl;
	struct jv root;
	const struct jv *smp;
	size_t i = 0;
	int st;

	need_bin();
	csv = run(BIN " path london newyork --from 0 --to 2 --step 500ms",
		  &st);
	cr_assert_eq(st, 0);
	json = run(BIN " path london newyork --from 0 --to 2 --step 500ms "
		   "--format json", &st);
	cr_assert_eq(st, 0);
	text = run(BIN " path london newyork --from 0 --to 2 --step 500ms "
		   "--format text", &st);
	cr_assert_eq(st, 0);
	jload(json, &root);
	cr_assert_str_eq(jget(&root, "a", J_STR)->str, "london");
	cr_assert_str_eq(jget(&root, "b", J_STR)->str, "newyork");
	smp = jget(&root, "samples", J_ARR);
	cr_assert_eq(smp->n, 5);
	s = csv;
	tl = text;
	cr_assert_str_eq(next_line(&s), "t_ns,rtt_ns,path");
	cr_assert_eq(strncmp(next_line(&tl), "# london to newyork:", 20), 0);
	while ((l = next_line(&s))) {
		const struct jv *p, *o = &smp->v[i];
		char *name, *tline = next_line(&tl), *w;
		size_t k = 0;

		cr_assert_eq(split(l, ',', f, 4), 3, "%s", l);
		cr_assert_eq(num(f[0]), jget(o, "t_ns", J_NUM)->num);
		cr_assert_eq(num(f[1]), jget(o, "rtt_ns", J_NUM)->num);
		cr_assert_not_null(jget(o, "time", J_STR));
		p = jget(o, "path", J_ARR);
		/* text: time t_s rtt_ms hops names... */
		cr_assert_not_null(tline);
		strtok_r(tline, " ", &w);
		cr_assert_eq(strtod(strtok_r(NULL, " ", &w), NULL),
			     num(f[0]) / 1e9);
		cr_assert(fabs(strtod(strtok_r(NULL, " ", &w), NULL) -
			       num(f[1]) / 1e6) < 1e-6);
		cr_assert_eq(atoi(strtok_r(NULL, " ", &w)), (int)p->n - 1);
		for (name = strtok(f[2], " "); name; name = strtok(NULL, " ")) {
			cr_assert_lt(k, p->n);
			cr_assert_eq(p->v[k].t, J_STR);
			cr_assert_str_eq(name, p->v[k].str);
			cr_assert_str_eq(strtok_r(NULL, " ", &w), name);
			k++;
		}
		cr_assert_eq(k, p->n);
		i++;
	}
	cr_assert_eq(i, 5);
	jfree(&root);
	free(csv);
	free(json);
	free(text);
}

/* Unreachable in JSON: rtt null, path empty. */
Test(cmd, path_json_unreachable, .fini = remove_conf)
{
	const char *conf = write_conf("[shell s]\n"
				      "type = walker-delta\n"
				      "planes = 2\n"
				      "per-plane = 2\n"
				      "phasing = 1\n"
				      "altitude = 550km\n"
				      "inclination = 53\n"
				      "[isl]\n"
				      "candidates = none\n");
	char cmd[PATH_MAX + 128], *out;
	const struct jv *o;
	struct jv root;
	int st;

	need_bin();
	snprintf(cmd, sizeof(cmd), BIN " path %s s-0-0 s-1-1 --format json",
		 conf);
	out = run(cmd, &st);
	cr_assert_eq(st, 0);
	jload(out, &root);
	cr_assert_eq(jget(&root, "samples", J_ARR)->n, 1);
	o = &jget(&root, "samples", J_ARR)->v[0];
	cr_assert_eq(jget(o, "rtt_ns", J_NULL)->t, J_NULL);
	cr_assert_eq(jget(o, "path", J_ARR)->n, 0);
	jfree(&root);
	free(out);
}

/* ---- what topo and path mean in time (issue 6, point 12) ---------------- */

/* Nearest links that are sticky and take 2 s to acquire: links with history. */
static const char history_conf[] = "[emulation]\n"
				   "step = 100ms\n"
				   "[shell h]\n"
				   "type = walker-delta\n"
				   "planes = 24\n"
				   "per-plane = 24\n"
				   "phasing = 5\n"
				   "altitude = 550km\n"
				   "inclination = 53\n"
				   "[isl]\n"
				   "candidates = nearest\n"
				   "terminals = 3\n"
				   "max-range = 3000km\n"
				   "acquisition = 2s\n"
				   "[ground london]\n"
				   "latitude = 51.5\n"
				   "longitude = -0.13\n"
				   "[ground newyork]\n"
				   "latitude = 40.71\n"
				   "longitude = -74.0\n";

/* The one row of `path CONF london newyork ARGS` at moment t_ns. */
static char *path_row(const char *conf, const char *args, long long t_ns)
{
	char cmd[PATH_MAX + 256], *out, *s, *l, *row = NULL;
	int st;

	snprintf(cmd, sizeof(cmd), BIN " path %s london newyork %s", conf,
		 args);
	s = out = run(cmd, &st);
	cr_assert_eq(st, 0, "%s", cmd);
	while ((l = next_line(&s)))
		if (atoll(l) == t_ns && strchr(l, ','))
			row = strdup(l);
	free(out);
	cr_assert_not_null(row, "%s: no row at %lld", cmd, t_ns);
	return row;
}

/* The same moment gives the same row, wherever path starts. */
Test(cmd, path_same_moment_from_any_start, .fini = remove_conf)
{
	const char *conf = write_conf(history_conf);
	char *a, *b, *c;

	need_bin();
	a = path_row(conf, "--from 0 --to 6 --step 6", 6000000000LL);
	b = path_row(conf, "--from 6 --to 6", 6000000000LL);
	c = path_row(conf, "--from 3.05 --to 6.05 --step 3", 6050000000LL);
	cr_assert_str_eq(a, b);
	cr_log_info("t = 6 s: %s", a);
	/* between steps: step 60's route, lengths of 6.05 s */
	cr_assert_str_neq(c, a);
	free(a);
	free(b);
	free(c);
}

/*
 * path against a run: the geometry thread (emu/run/geom.c) stepped from the
 * epoch to step K, the route it holds from london to newyork and the
 * delays it gives at a moment inside step K, beside `path` at that moment.
 */
Test(cmd, path_is_what_a_run_has, .fini = remove_conf)
{
	const char *conf = write_conf(history_conf);
	static const long long t_ms[] = { 4000, 7250 };
	struct config *cfg = NULL;
	struct scenario s;
	struct geom g;
	uint32_t extra[2];
	long a, b;

	need_bin();
	cr_assert_eq(cmd_load(conf, NULL, false, &cfg, &s), 0);
	a = constel_find(&s.constel, "london");
	b = constel_find(&s.constel, "newyork");
	cr_assert(a >= 0 && b >= 0);
	extra[0] = (uint32_t)a;
	extra[1] = (uint32_t)b;
	cr_assert_eq(scenario_prepare(&s, extra, 2), 0);
	cr_assert_eq(geom_init(&g, &s.model, s.epoch_unix_ns, s.step_ns,
			       1.0, 0, NULL), 0);
	cr_assert_eq(geom_start(&g), 0);
	for (size_t i = 0; i < sizeof(t_ms) / sizeof(t_ms[0]); i++) {
		int64_t wall = t_ms[i] * 1000000LL, k = wall / cfg->step_ns;
		const struct topo_state *st;
		const struct route_table *rt;
		uint32_t hops[256];
		char want[8192], args[64], *row;
		size_t n, len = 0;
		long long rtt = 0;
		long di;

		for (int w = 0; w < 20000 && atomic_load(&g.ring.cur) < k; w++) {
			geom_advance(&g, wall);
			usleep(500);
		}
		cr_assert_eq(atomic_load(&g.ring.cur), k);
		st = ring_current(&g.ring);
		rt = &st->routes;
		di = route_dest_index(rt, (uint32_t)b);
		cr_assert_geq(di, 0);
		n = route_path(rt, (size_t)di, (uint32_t)a, hops, 256);
		cr_assert_geq(n, 3, "no route at %lld ms", t_ms[i]);
		for (size_t h = 0; h + 1 < n; h++)
			rtt += 2 * ring_delay_ns(&g.ring, hops[h], hops[h + 1], wall);
		for (size_t h = 0; h < n; h++)
			len += (size_t)snprintf(want + len, sizeof(want) - len,
						"%s%s", h ? " " : "",
						s.constel.node[hops[h]].name);
		snprintf(args, sizeof(args), "--from %lldms", t_ms[i]);
		row = path_row(conf, args, wall);
		cr_log_info("%lld ms: run %lld ns, path %s", t_ms[i], rtt, row);
		cr_assert_not_null(strstr(row, want), "run: %s\npath: %s", want,
				   row);
		/* delays rounded to 1 ns per link and direction; Hermite
		 * interpolation within millimetres */
		cr_assert(llabs(atoll(strchr(row, ',') + 1) - rtt) <=
				  (long long)(2 * n + 10),
			  "run %lld ns, path %s", rtt, row);
		free(row);
	}
	geom_free(&g);
	scenario_free(&s);
	config_free(cfg);
}

/* The routing step has a floor (issue 7, point 2): 1 ms. */
Test(cmd, check_step_floor, .fini = remove_conf)
{
	const char *conf = write_conf("[emulation]\n"
				      "step = 1ns\n" "[shell s]\n"
				      "type = walker-delta\n"
				      "planes = 2\n"
				      "per-plane = 2\n"
				      "phasing = 1\n"
				      "altitude = 550km\n"
				      "inclination = 53\n");
	char cmd[PATH_MAX + 64], *out;
	int st;

	need_bin();
	snprintf(cmd, sizeof(cmd), BIN " check %s 2>&1", conf);
	out = run(cmd, &st);
	cr_assert_eq(st, 1, "%s", out);
	cr_assert_not_null(strstr(out, ":2: step \"1ns\" is below 1ms"), "%s",
			   out);
	free(out);
	remove_conf();
	conf = write_conf("[emulation]\n"
			  "step = 1ms\n" "[shell s]\n"
				      "type = walker-delta\n"
				      "planes = 2\n"
				      "per-plane = 2\n"
				      "phasing = 1\n"
				      "altitude = 550km\n"
				      "inclination = 53\n");
	snprintf(cmd, sizeof(cmd), BIN " check %s 2>&1", conf);
	out = run(cmd, &st);
	cr_assert_eq(st, 0, "%s", out);
	free(out);
}

/* ---- one rule for durations (issue 7, point 6) -------------------------- */

/*
 * -d, --spin, --step and the offsets of --at/--from/--to read durations
 * with one parser: a unit, or a bare number of seconds.
 */
Test(cmd, durations_one_rule)
{
	static const struct {
		const char *s;
		int64_t ns;
	} ok[] = {
		{ "8", 8000000000LL },	  { "1.5", 1500000000LL },
		{ "0", 0 },		  { "90s", 90000000000LL },
		{ "10ms", 10000000LL },	  { "2min", 120000000000LL },
		{ "0.000000001", 1 },	  { "2562047h", 9223369200000000000LL },
	};
	static const char *const bad[] = { "", "-1", "1e3", "8x", "inf",
					   "0x10", "9300000000", "-2s", "s" };
	struct run_opts o;
	const char *why;
	bool verbose = false;
	int64_t ns;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		cr_assert(units_parse_time_arg(ok[i].s, &ns, &why), "%s: %s",
			  ok[i].s, why);
		cr_assert_eq(ns, ok[i].ns, "%s: %lld", ok[i].s, (long long)ns);
		/* the run options read it the same way */
		run_opts_default(&o);
		cr_assert_eq(run_opts_parse(&o, 'd', ok[i].s, &verbose),
			     0, "-d %s", ok[i].s);
		cr_assert_eq(o.duration_ns, ok[i].ns, "-d %s", ok[i].s);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		cr_assert_not(units_parse_time_arg(bad[i], &ns, &why), "%s",
			      bad[i]);
		cr_assert_not_null(why, "%s", bad[i]);
	}
}

/* --at 90 and -d 90: the same 90 seconds, from the binary. */
Test(cmd, at_takes_bare_seconds)
{
	char *a, *b;
	int st;

	need_bin();
	a = run(BIN " topo --at 90 --only nodes", &st);
	cr_assert_eq(st, 0);
	b = run(BIN " topo --at 1.5min --only nodes", &st);
	cr_assert_eq(st, 0);
	cr_assert_str_eq(a, b);
	cr_assert_not_null(strstr(a, "# time 2026-02-23T00:01:30.000Z"));
	free(a);
	free(b);
}

/*
 * Progress: on a terminal (script(1) gives one), long work draws a line on
 * stderr; a pipe sees nothing; LASERMESH_PROGRESS=1 forces it.
 */
#define PROGRESS_PATH BIN " path docs/examples/starlink-tle.conf london " \
		      "newyork --from 0 --to 40 --step 0.5"

Test(cmd, progress_only_on_a_terminal)
{
	char *out;
	int st;

	need_bin();
	out = run(PROGRESS_PATH " 2>&1 >/dev/null", &st);
	cr_assert_eq(st, 0);
	cr_assert_str_eq(out, "", "a pipe got: %s", out);
	free(out);
	out = run("LASERMESH_PROGRESS=1 " PROGRESS_PATH " 2>&1 >/dev/null",
		  &st);
	cr_assert_eq(st, 0);
	cr_assert_not_null(strstr(out, "\rlasermesh path: moments "), "%s",
			   out);
	cr_assert_not_null(strstr(out, "/81 ("), "%s", out);
	/* the line is cleared at the end */
	cr_assert(strlen(out) >= 4 &&
		  !strcmp(out + strlen(out) - 4, "\r\033[K"), "%s", out);
	free(out);
	if (access("/usr/bin/script", X_OK) != 0) {
		cr_log_warn("no script(1): the terminal case is not tested");
		return;
	}
	out = run("script -qec '" PROGRESS_PATH " >/dev/null' /dev/null", &st);
	cr_assert_eq(st, 0);
	cr_assert_not_null(strstr(out, "lasermesh path: moments "), "%s",
			   out);
	free(out);
}
