// SPDX-License-Identifier: MIT
/* constel.c - the node list: satellites first, then ground stations, by name */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topo/lib/array.h"
#include "topo/constel.h"
#include "topo/frames.h"

void constel_init(struct constel *c)
{
	memset(c, 0, sizeof(*c));
}

void constel_free(struct constel *c)
{
	if (!c)
		return;
	free(c->node);
	free(c->sat);
	free(c->shells);
	free(c->hash);
	memset(c, 0, sizeof(*c));
}

/*
 * Lower case, [a-z0-9-] kept, every other byte becomes '-', runs of '-'
 * collapse to one, leading and trailing '-' are trimmed. The result fits
 * in len - 1 bytes (a DNS label has at most 63), possibly empty.
 */
void constel_safe_name(const char *raw, char *out, size_t len)
{
	size_t o = 0;
	bool dash = false;

	if (!out || len == 0)
		return;
	for (const char *p = raw ? raw : ""; *p; p++) {
		char ch = *p;

		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))) {
			dash = o > 0;	/* leading '-' dropped */
			continue;
		}
		if (dash && o + 1 < len)
			out[o++] = '-';
		dash = false;
		if (o + 1 >= len)
			break;
		out[o++] = ch;
	}
	while (o > 0 && out[o - 1] == '-')
		o--;
	out[o] = '\0';
}

/* FNV-1a, 32 bits. */
static uint32_t constel_hash_str(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++) {
		h ^= (uint8_t)*s;
		h *= 16777619u;
	}
	return h;
}

static void constel_hash_put(uint32_t *tab, size_t cap, const char *name,
			     uint32_t idx)
{
	size_t mask = cap - 1, i = constel_hash_str(name) & mask;

	while (tab[i])
		i = (i + 1) & mask;
	tab[i] = idx + 1;
}

/*
 * Index node i under its name. A renamed node leaves a stale slot under
 * its old name (constel_find skips it: the names differ), so slots are
 * counted apart from nodes.
 */
static void constel_hash_add(struct constel *c, size_t i)
{
	constel_hash_put(c->hash, c->hash_cap, c->node[i].name, (uint32_t)i);
	c->hash_used++;
}

/* Rebuild the name index for at least want names (load at most 1/2). */
static int constel_rehash(struct constel *c, size_t want)
{
	size_t cap = 16;
	uint32_t *tab;

	while (cap < 2 * want)
		cap *= 2;
	tab = calloc(cap, sizeof(*tab));
	if (!tab)
		return -ENOMEM;
	for (size_t i = 0; i < c->n; i++)
		constel_hash_put(tab, cap, c->node[i].name, (uint32_t)i);
	free(c->hash);
	c->hash = tab;
	c->hash_cap = cap;
	c->hash_used = c->n;
	return 0;
}

long constel_find(const struct constel *c, const char *name)
{
	size_t mask, i;

	if (!c->hash_cap || !name)
		return -1;
	mask = c->hash_cap - 1;
	for (i = constel_hash_str(name) & mask; c->hash[i];
	     i = (i + 1) & mask) {
		uint32_t k = c->hash[i] - 1;

		if (k < c->n && strcmp(c->node[k].name, name) == 0)
			return (long)k;
	}
	return -1;
}

int constel_index(struct constel *c)
{
	return constel_rehash(c, c->n);
}

/* Room for one more node (and its name in the index). */
static int constel_reserve(struct constel *c)
{
	/* node and sat grow alike from the same cap */
	size_t cap_node = c->cap, cap_sat = c->cap;

	if (array_grow((void **)&c->node, &cap_node, c->n + 1,
		       sizeof(*c->node), 64) < 0 ||
	    array_grow((void **)&c->sat, &cap_sat, c->n + 1, sizeof(*c->sat),
		       64) < 0)
		return -ENOMEM;
	c->cap = cap_node;
	if (2 * (c->hash_used + 1) > c->hash_cap)
		return constel_rehash(c, 2 * (c->n + 1));
	return 0;
}

/* base, shortened so that "-k" fits, then "-k", into out. */
static void constel_suffixed(const char *base, unsigned k, char *out)
{
	char suf[16];
	int sl = snprintf(suf, sizeof(suf), "-%u", k);
	size_t bl = strlen(base);

	if (bl + (size_t)sl > CONSTEL_NAME_MAX - 1)
		bl = CONSTEL_NAME_MAX - 1 - (size_t)sl;
	while (bl > 0 && base[bl - 1] == '-')
		bl--;
	snprintf(out, CONSTEL_NAME_MAX, "%.*s%s", (int)bl, base, suf);
}

/*
 * The first name of base-2, base-3, ... not in use, into out, base being
 * held by node holder. The holder remembers where the search stopped, so
 * that n satellites of one name cost O(n) in all, not O(n^2): each suffix
 * is tried at most once per base.
 */
static void constel_next_free(struct constel *c, size_t holder,
			      const char *base, char *out)
{
	unsigned k = c->node[holder].next_suffix;

	for (k = k ? k : 2;; k++) {
		constel_suffixed(base, k, out);
		if (constel_find(c, out) < 0)
			break;
	}
	c->node[holder].next_suffix = k + 1;
}

/*
 * Turn raw into a safe name not yet used: fallback when nothing is left of
 * raw, then "-2", "-3", ... on clashes, the base shortened so that the
 * suffix fits.
 */
static void constel_unique_name(struct constel *c, const char *raw,
				const char *fallback, char *out)
{
	char base[CONSTEL_NAME_MAX];
	long holder;

	constel_safe_name(raw, base, sizeof(base));
	if (!base[0])
		constel_safe_name(fallback, base, sizeof(base));
	holder = constel_find(c, base);
	if (holder < 0)
		memcpy(out, base, sizeof(base));
	else
		constel_next_free(c, (size_t)holder, base, out);
}

int constel_rename(struct constel *c, size_t i)
{
	char name[CONSTEL_NAME_MAX];
	int ret;

	if (i >= c->n)
		return -EINVAL;
	ret = constel_reserve(c);
	if (ret)
		return ret;
	/* into a copy: node i keeps its old name while the search runs */
	constel_next_free(c, i, c->node[i].name, name);
	memcpy(c->node[i].name, name, sizeof(name));
	c->node[i].next_suffix = 0;
	constel_hash_add(c, i);
	return 0;
}

static int constel_add_sat_at(struct constel *c, const char *name,
			      const struct sgp4_elements *el, int shell,
			      unsigned plane, unsigned slot)
{
	struct constel_node *nd;
	char fallback[32];
	int ret;

	if (c->n != c->nsat)
		return -EINVAL;	/* ground stations already added */
	ret = constel_reserve(c);
	if (ret)
		return ret;
	ret = sgp4_init(&c->sat[c->n], el, 'i');
	if (ret != SGP4_OK)
		return ret;
	nd = &c->node[c->n];
	memset(nd, 0, sizeof(*nd));
	snprintf(fallback, sizeof(fallback), "sat-%ld", el->satnum);
	constel_unique_name(c, name, fallback, nd->name);
	nd->kind = CONSTEL_SAT;
	nd->shell = shell;
	nd->plane = plane;
	nd->slot = slot;
	constel_hash_add(c, c->n);
	c->n++;
	c->nsat++;
	return 0;
}

int constel_add_sat(struct constel *c, const char *name,
		    const struct sgp4_elements *el)
{
	return constel_add_sat_at(c, name, el, CONSTEL_NO_SHELL, 0, 0);
}

/*
 * A shell is added whole or not at all: if SGP4 rejects one satellite (it
 * should not for circular orbits above the atmosphere) or memory runs out,
 * the nodes added so far are removed again and -EINVAL or -ENOMEM returned.
 */
int constel_add_shell(struct constel *c, const struct walker_shell *w,
		      int64_t epoch_unix_ns)
{
	size_t total = (size_t)w->planes * w->per_plane, start = c->n;
	struct sgp4_elements *el;
	struct walker_shell *sh;
	int ret = 0;

	if (total == 0 || c->n != c->nsat)
		return -EINVAL;
	if (c->n + total > UINT32_MAX - 1)
		return -E2BIG;
	sh = realloc(c->shells, (c->nshells + 1) * sizeof(*sh));
	if (!sh)
		return -ENOMEM;
	c->shells = sh;
	el = malloc(total * sizeof(*el));
	if (!el)
		return -ENOMEM;
	walker_elements(w, epoch_unix_ns, el);
	for (unsigned p = 0; p < w->planes && !ret; p++) {
		for (unsigned s = 0; s < w->per_plane; s++) {
			char name[CONSTEL_NAME_MAX];

			walker_sat_name(w, p, s, name, sizeof(name));
			ret = constel_add_sat_at(c, name,
						 &el[(size_t)p * w->per_plane + s],
						 (int)c->nshells, p, s);
			if (ret)
				break;
		}
	}
	free(el);
	if (ret) {
		c->n = c->nsat = start;
		if (constel_rehash(c, c->n) < 0)
			memset(c->hash, 0, c->hash_cap * sizeof(*c->hash));
		return ret < 0 ? ret : -EINVAL;
	}
	c->shells[c->nshells++] = *w;
	return 0;
}

int constel_add_ground(struct constel *c, const char *name, double lat_deg,
		       double lon_deg, double alt_m, bool relay)
{
	struct constel_node *nd;
	char fallback[32];
	int ret;

	if (!(lat_deg >= -90.0 && lat_deg <= 90.0) ||
	    !(lon_deg >= -180.0 && lon_deg <= 360.0) || !isfinite(alt_m))
		return -EINVAL;
	ret = constel_reserve(c);
	if (ret)
		return ret;
	nd = &c->node[c->n];
	memset(nd, 0, sizeof(*nd));
	constel_safe_name(name, nd->name, sizeof(nd->name));
	if (nd->name[0] && constel_find(c, nd->name) >= 0)
		return -EEXIST;
	snprintf(fallback, sizeof(fallback), "gs-%zu", c->n - c->nsat);
	constel_unique_name(c, name, fallback, nd->name);
	nd->kind = CONSTEL_GROUND;
	nd->shell = CONSTEL_NO_SHELL;
	nd->relay = relay;
	nd->lat_deg = lat_deg;
	nd->lon_deg = lon_deg;
	nd->alt_km = alt_m / 1000.0;
	nd->ecef = frames_geodetic_to_ecef(lat_deg, lon_deg, nd->alt_km);
	constel_hash_add(c, c->n);
	c->n++;
	return 0;
}
