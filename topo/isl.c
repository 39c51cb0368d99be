// SPDX-License-Identifier: MIT
/* isl.c - laser links between satellites: candidates, feasibility, nearest */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "topo/lib/array.h"
#include "topo/consts.h"
#include "topo/isl.h"

void isl_params_default(struct isl_params *p)
{
	memset(p, 0, sizeof(*p));
	p->source = ISL_SRC_GRID;
	p->terminals = 4;
	p->grazing_km = 80.0;
	tlegrid_params_default(&p->tlegrid);
}

void isl_rules_init(struct isl_rules *r, const struct isl_params *p,
		    struct vec3 sun_dir)
{
	double rg = TOPO_WGS72_RE + p->grazing_km;
	double n = vec3_norm(sun_dir);

	r->min_r2 = rg * rg;
	r->max_len2 = p->max_range_km > 0.0 ?
			      p->max_range_km * p->max_range_km : INFINITY;
	r->sin_lat = p->has_cross_lat ? sin(fabs(p->cross_lat_deg) * TOPO_DEG) :
					2.0;
	if (p->has_cross_lat && fabs(p->cross_lat_deg) >= 90.0)
		r->sin_lat = 2.0;
	r->cos_sun = p->sun_excl_deg > 0.0 && n > 0.0 ?
			     cos(p->sun_excl_deg * TOPO_DEG) : 2.0;
	r->sun = n > 0.0 ? vec3_scale(sun_dir, 1.0 / n) :
			   (struct vec3){ 0.0, 0.0, 0.0 };
	r->sat_range_km = p->sat_range_km;
}

enum isl_verdict isl_check_pair(const struct isl_rules *r, uint32_t a,
				uint32_t b, struct vec3 pa, struct vec3 pb,
				bool cross_plane, double *len_km)
{
	double len, ra, rb, lim;
	enum isl_verdict v = isl_check(r, pa, pb, cross_plane, &len);

	if (len_km)
		*len_km = len;
	if (v != ISL_UP || !r->sat_range_km)
		return v;
	ra = r->sat_range_km[a];
	rb = r->sat_range_km[b];
	lim = ra > 0.0 && (rb <= 0.0 || ra < rb) ? ra : rb;
	return lim > 0.0 && len > lim ? ISL_RANGE : ISL_UP;
}

enum isl_verdict isl_check(const struct isl_rules *r, struct vec3 a,
			   struct vec3 b, bool cross_plane, double *len_km)
{
	struct vec3 d = vec3_sub(b, a);
	double dd = vec3_dot(d, d), t, len;
	struct vec3 closest;

	if (len_km)
		*len_km = sqrt(dd);
	if (dd > r->max_len2)
		return ISL_RANGE;
	/* The point of the segment nearest the centre of the Earth. */
	t = dd > 0.0 ? -vec3_dot(a, d) / dd : 0.0;
	if (t <= 0.0)
		closest = a;
	else if (t >= 1.0)
		closest = b;
	else
		closest = vec3_add(a, vec3_scale(d, t));
	if (!(vec3_dot(closest, closest) > r->min_r2))
		return ISL_GRAZING;
	if (cross_plane && r->sin_lat <= 1.0) {
		double sa = r->sin_lat;

		if (fabs(a.z) > sa * vec3_norm(a) ||
		    fabs(b.z) > sa * vec3_norm(b))
			return ISL_CROSS_LAT;
	}
	if (r->cos_sun <= 1.0 && dd > 0.0) {
		len = sqrt(dd);
		if (fabs(vec3_dot(d, r->sun)) > r->cos_sun * len)
			return ISL_SUN;
	}
	return ISL_UP;
}

long isl_grid_wrap_offset(const struct walker_shell *w)
{
	double delta = (double)w->phasing / (double)w->planes + w->extra_phase;
	double x = (double)w->phasing + (double)w->planes * w->extra_phase;
	double k = floor(x), frac = x - k;

	/* Half-way: the side where the link's phase difference is smaller. */
	if (frac > 0.5 + 1e-9 || (fabs(frac - 0.5) <= 1e-9 && delta < 0.0))
		k += 1.0;
	return (long)k;
}

/* A growable pair list. */
struct isl_pairv {
	struct isl_pair *v;
	size_t n, cap;
};

static int isl_pairv_add(struct isl_pairv *pv, uint32_t a, uint32_t b)
{
	if (a == b)
		return 0;
	if (array_grow((void **)&pv->v, &pv->cap, pv->n + 1, sizeof(*pv->v),
		       256) < 0)
		return -ENOMEM;
	pv->v[pv->n++] = a < b ? (struct isl_pair){ a, b } :
				 (struct isl_pair){ b, a };
	return 0;
}

static int isl_pair_cmp(const void *x, const void *y)
{
	const struct isl_pair *p = x, *q = y;

	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	if (p->b != q->b)
		return p->b < q->b ? -1 : 1;
	return 0;
}

/* +Grid of one shell; map[plane * S + slot] is the node or -1. */
static int isl_grid_shell(const struct constel *c, int k, int32_t *map,
			  struct isl_pairv *pv)
{
	const struct walker_shell *w = &c->shells[k];
	size_t P = w->planes, S = w->per_plane;
	long off = isl_grid_wrap_offset(w);
	int ret = 0;

	for (size_t i = 0; i < P * S; i++)
		map[i] = -1;
	for (size_t i = 0; i < c->nsat; i++) {
		const struct constel_node *nd = &c->node[i];

		if (nd->shell == k && nd->plane < P && nd->slot < S)
			map[nd->plane * S + nd->slot] = (int32_t)i;
	}
	for (size_t p = 0; p < P && !ret; p++) {
		for (size_t s = 0; s < S && !ret; s++) {
			int32_t i = map[p * S + s], j;

			if (i < 0)
				continue;
			/* next in the plane (the previous is its next) */
			j = map[p * S + (s + 1) % S];
			if (S > 1 && j >= 0)
				ret = isl_pairv_add(pv, (uint32_t)i,
						    (uint32_t)j);
			if (ret || P < 2)
				continue;
			/* the same slot in the next plane, or the wrap */
			if (p + 1 < P) {
				j = map[(p + 1) * S + s];
			} else if (w->kind == WALKER_DELTA) {
				long t = ((long)s + off) % (long)S;

				if (t < 0)
					t += (long)S;
				j = map[(size_t)t];
			} else {
				j = -1;	/* a star's seam */
			}
			if (j >= 0)
				ret = isl_pairv_add(pv, (uint32_t)i,
						    (uint32_t)j);
		}
	}
	return ret;
}

int isl_tlegrid(const struct constel *c, const struct isl_params *p,
		struct tlegrid *g)
{
	struct tlegrid_sat *e = malloc((c->nsat ? c->nsat : 1) * sizeof(*e));
	uint32_t *idx = malloc((c->nsat ? c->nsat : 1) * sizeof(*idx));
	struct tlegrid local;
	size_t m = 0;
	int ret = -ENOMEM;

	memset(g, 0, sizeof(*g));
	if (!e || !idx)
		goto out_free;
	for (size_t i = 0; i < c->nsat; i++) {
		if (c->node[i].shell != CONSTEL_NO_SHELL)
			continue;
		tlegrid_elements(&c->sat[i], p->epoch_unix_ns, &e[m]);
		idx[m++] = (uint32_t)i;
	}
	ret = tlegrid_build(e, m, &p->tlegrid, &local);
	if (ret)
		goto out_free;
	/* back to node indices: the order of idx keeps links sorted */
	for (size_t k = 0; k < local.plane_off[local.nplanes]; k++)
		local.member[k] = idx[local.member[k]];
	for (size_t k = 0; k < 2 * local.nlinks; k++)
		local.link[k] = idx[local.link[k]];
	*g = local;
	g->node = idx;
	idx = NULL;
out_free:
	free(e);
	free(idx);
	return ret;
}

int isl_fixed_build(const struct constel *c, const struct isl_params *p,
		    struct isl_pair **out, size_t *n)
{
	struct isl_pairv pv = { 0 };
	int ret = 0;

	*out = NULL;
	*n = 0;
	if (p->source & ISL_SRC_GRID) {
		for (size_t k = 0; k < c->nshells && !ret; k++) {
			size_t cells = (size_t)c->shells[k].planes *
				       c->shells[k].per_plane;
			int32_t *map = malloc((cells ? cells : 1) *
					      sizeof(*map));

			if (!map) {
				ret = -ENOMEM;
				break;
			}
			ret = isl_grid_shell(c, (int)k, map, &pv);
			free(map);
		}
	}
	if (!ret && (p->source & ISL_SRC_TLE_GRID)) {
		struct tlegrid g;

		ret = isl_tlegrid(c, p, &g);
		for (size_t k = 0; !ret && k < g.nlinks; k++)
			ret = isl_pairv_add(&pv, g.link[2 * k],
					    g.link[2 * k + 1]);
		tlegrid_free(&g);
	}
	if (!ret && (p->source & ISL_SRC_PAIRS)) {
		for (size_t i = 0; i < p->npairs && !ret; i++) {
			uint32_t a = p->pairs[i].a, b = p->pairs[i].b;

			if (a >= c->nsat || b >= c->nsat || a == b)
				ret = -EINVAL;
			else
				ret = isl_pairv_add(&pv, a, b);
		}
	}
	if (ret) {
		free(pv.v);
		return ret;
	}
	if (pv.n > 1)
		qsort(pv.v, pv.n, sizeof(*pv.v), isl_pair_cmp);
	size_t m = 0;

	for (size_t i = 0; i < pv.n; i++)
		if (m == 0 || isl_pair_cmp(&pv.v[m - 1], &pv.v[i]) != 0)
			pv.v[m++] = pv.v[i];
	*out = pv.v;
	*n = m;
	return 0;
}

/* ---- greedy nearest assignment ---------------------------------------- */

struct isl_near_cand {
	double d2;
	uint32_t a, b;
};

void isl_near_init(struct isl_near *s)
{
	memset(s, 0, sizeof(*s));
}

void isl_near_free(struct isl_near *s)
{
	if (!s)
		return;
	free(s->pts);
	free(s->cell);
	free(s->bstart);
	free(s->bpts);
	free(s->cand);
	free(s->eoff);
	free(s->eadj);
	memset(s, 0, sizeof(*s));
}

/* Grow the array at pp (a T **) to at least n elements of size sz. */
static int isl_grow(void *pp, size_t *cap, size_t n, size_t sz)
{
	return array_grow(pp, cap, n, sz, 64) < 0 ? -ENOMEM : 0;
}

static int isl_near_reserve(struct isl_near *s, size_t nsat, size_t nexist)
{
	size_t nb = 16;

	while (nb < 2 * nsat)
		nb *= 2;
	if (nsat > s->cap_pts) {
		uint32_t *pts = realloc(s->pts, nsat * sizeof(*pts));
		uint32_t *bpts;
		int32_t *cell;

		if (!pts)
			return -ENOMEM;
		s->pts = pts;
		bpts = realloc(s->bpts, nsat * sizeof(*bpts));
		if (!bpts)
			return -ENOMEM;
		s->bpts = bpts;
		cell = realloc(s->cell, 3 * nsat * sizeof(*cell));
		if (!cell)
			return -ENOMEM;
		s->cell = cell;
		s->cap_pts = nsat;
	}
	if (isl_grow(&s->bstart, &s->cap_bucket, nb + 1, sizeof(*s->bstart)) ||
	    isl_grow(&s->eoff, &s->cap_eoff, nsat + 1, sizeof(*s->eoff)) ||
	    isl_grow(&s->eadj, &s->cap_eadj, 2 * nexist + 1,
		     sizeof(*s->eadj)))
		return -ENOMEM;
	return 0;
}

/* A pair of s->skip the assignment must not pick: down, between satellites. */
static bool isl_near_skipped(const struct isl_near *s, size_t i, size_t nsat)
{
	return s->skip[i].down && s->skip[i].b < nsat;
}

/*
 * CSR of the links that exist before this assignment, and of the pairs it
 * must skip (counted as existing).
 */
static void isl_near_existing(struct isl_near *s, size_t nsat,
			      const struct isl_pair *fixed, size_t nfixed,
			      const struct isl_link *links, size_t nlinks)
{
	uint32_t *off = s->eoff;

	memset(off, 0, (nsat + 1) * sizeof(*off));
	for (size_t i = 0; i < nfixed; i++) {
		off[fixed[i].a + 1]++;
		off[fixed[i].b + 1]++;
	}
	for (size_t i = 0; i < nlinks; i++) {
		off[links[i].a + 1]++;
		off[links[i].b + 1]++;
	}
	for (size_t i = 0; i < s->nskip; i++) {
		if (!isl_near_skipped(s, i, nsat))
			continue;
		off[s->skip[i].a + 1]++;
		off[s->skip[i].b + 1]++;
	}
	for (size_t v = 0; v < nsat; v++)
		off[v + 1] += off[v];
	for (size_t i = 0; i < nfixed; i++) {
		s->eadj[off[fixed[i].a]++] = fixed[i].b;
		s->eadj[off[fixed[i].b]++] = fixed[i].a;
	}
	for (size_t i = 0; i < nlinks; i++) {
		s->eadj[off[links[i].a]++] = links[i].b;
		s->eadj[off[links[i].b]++] = links[i].a;
	}
	for (size_t i = 0; i < s->nskip; i++) {
		if (!isl_near_skipped(s, i, nsat))
			continue;
		s->eadj[off[s->skip[i].a]++] = s->skip[i].b;
		s->eadj[off[s->skip[i].b]++] = s->skip[i].a;
	}
	memmove(off + 1, off, nsat * sizeof(*off));
	off[0] = 0;
}

static bool isl_near_exists(const struct isl_near *s, uint32_t a, uint32_t b)
{
	for (uint32_t k = s->eoff[a]; k < s->eoff[a + 1]; k++)
		if (s->eadj[k] == b)
			return true;
	return false;
}

static int isl_cand_cmp(const void *x, const void *y)
{
	const struct isl_near_cand *p = x, *q = y;

	if (p->d2 != q->d2)
		return p->d2 < q->d2 ? -1 : 1;
	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return p->b < q->b ? -1 : (p->b > q->b);
}

static inline uint32_t isl_cell_hash(int32_t x, int32_t y, int32_t z,
				     uint32_t mask)
{
	uint32_t h = (uint32_t)x * 73856093u ^ (uint32_t)y * 19349663u ^
		     (uint32_t)z * 83492791u;

	return (h ^ (h >> 15)) & mask;
}

/*
 * One round: pairs among the m points pts[] with prev2 < |a - b|^2 <= rho^2,
 * found through a spatial hash of cells of size rho, appended to s->cand.
 */
static int isl_near_round(struct isl_near *s, const struct vec3 *pos,
			  size_t m, double rho, double prev2)
{
	uint32_t nb = 16, mask;
	double rho2 = rho * rho, inv = 1.0 / rho;

	while (nb < 2 * m)
		nb *= 2;
	mask = nb - 1;
	memset(s->bstart, 0, (nb + 1) * sizeof(*s->bstart));
	for (size_t i = 0; i < m; i++) {
		struct vec3 p = pos[s->pts[i]];
		int32_t *c = &s->cell[3 * i];

		c[0] = (int32_t)floor(p.x * inv);
		c[1] = (int32_t)floor(p.y * inv);
		c[2] = (int32_t)floor(p.z * inv);
		s->bstart[isl_cell_hash(c[0], c[1], c[2], mask) + 1]++;
	}
	for (uint32_t b = 0; b < nb; b++)
		s->bstart[b + 1] += s->bstart[b];
	for (size_t i = 0; i < m; i++) {
		int32_t *c = &s->cell[3 * i];
		uint32_t b = isl_cell_hash(c[0], c[1], c[2], mask);

		s->bpts[s->bstart[b]++] = (uint32_t)i;
	}
	memmove(s->bstart + 1, s->bstart, nb * sizeof(*s->bstart));
	s->bstart[0] = 0;

	/*
	 * Each pair once: the point's own cell (later points only) and the 13
	 * neighbour cells that come after it in (dx, dy, dz) order.
	 */
	for (size_t i = 0; i < m; i++) {
		const int32_t *c = &s->cell[3 * i];
		uint32_t u = s->pts[i];
		struct vec3 pu = pos[u];

		for (int o = 13; o < 27; o++) {
			int32_t x = c[0] + o / 9 - 1, y = c[1] + o / 3 % 3 - 1;
			int32_t z = c[2] + o % 3 - 1;
			uint32_t b = isl_cell_hash(x, y, z, mask);

			for (uint32_t k = s->bstart[b]; k < s->bstart[b + 1];
			     k++) {
				uint32_t j = s->bpts[k], v = s->pts[j];
				const int32_t *cj = &s->cell[3 * j];
				struct vec3 d;
				double d2;

				if ((o == 13 && j <= i) || cj[0] != x ||
				    cj[1] != y || cj[2] != z)
					continue;
				d = vec3_sub(pos[v], pu);
				d2 = vec3_dot(d, d);
				if (d2 > rho2 || d2 <= prev2)
					continue;
				if (s->ncand == s->cap_cand &&
				    isl_grow(&s->cand, &s->cap_cand,
					     s->ncand + 1, sizeof(*s->cand)))
					return -ENOMEM;
				s->cand[s->ncand++] = u < v ?
					(struct isl_near_cand){ d2, u, v } :
					(struct isl_near_cand){ d2, v, u };
			}
		}
	}
	return 0;
}

int isl_near_assign(struct isl_near *s, const struct isl_rules *r,
		    const struct constel *c, const struct vec3 *pos,
		    const uint8_t *up, uint8_t *free_term,
		    const struct isl_pair *fixed, size_t nfixed,
		    struct isl_link **links, size_t *n, size_t *cap,
		    int64_t since)
{
	size_t nsat = c->nsat, m;
	double rmax2 = 0.0, lmax, rho, prev2 = -1.0, area;
	int ret;

	s->checked = 0;
	ret = isl_near_reserve(s, nsat, nfixed + *n + s->nskip);
	if (ret)
		return ret;
	isl_near_existing(s, nsat, fixed, nfixed, *links, *n);

	m = 0;
	for (size_t i = 0; i < nsat; i++) {
		if (!up[i] || !free_term[i])
			continue;
		double r2 = vec3_dot(pos[i], pos[i]);

		if (r2 > rmax2)
			rmax2 = r2;
		m++;
	}
	if (m < 2 || rmax2 <= r->min_r2)
		return 0;
	/* No feasible link is longer than twice the horizon distance. */
	lmax = 2.0 * sqrt(rmax2 - r->min_r2);
	if (r->max_len2 < lmax * lmax)
		lmax = sqrt(r->max_len2);
	area = 4.0 * TOPO_PI * rmax2;
	rho = sqrt(area / (double)m);

	for (;;) {
		bool last = rho >= lmax;

		if (last)
			rho = lmax;
		m = 0;
		for (size_t i = 0; i < nsat; i++)
			if (up[i] && free_term[i])
				s->pts[m++] = (uint32_t)i;
		if (m < 2)
			break;
		s->ncand = 0;
		ret = isl_near_round(s, pos, m, rho, prev2);
		if (ret)
			return ret;
		if (s->ncand > 1)
			qsort(s->cand, s->ncand, sizeof(*s->cand),
			      isl_cand_cmp);
		for (size_t k = 0; k < s->ncand; k++) {
			uint32_t a = s->cand[k].a, b = s->cand[k].b;
			enum isl_verdict v;

			if (!free_term[a] || !free_term[b] ||
			    isl_near_exists(s, a, b))
				continue;
			s->checked++;
			v = isl_check_pair(r, a, b, pos[a], pos[b],
				      isl_cross_plane(&c->node[a],
						      &c->node[b]), NULL);
			if (v != ISL_UP)
				continue;
			if (*n == *cap) {
				ret = isl_grow(links, cap, *n + 1,
					       sizeof(**links));
				if (ret)
					return ret;
			}
			(*links)[(*n)++] = (struct isl_link){ a, b, since };
			free_term[a]--;
			free_term[b]--;
		}
		if (last)
			break;
		prev2 = rho * rho;
		rho *= 2.0;
	}
	return 0;
}
