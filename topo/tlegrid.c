// SPDX-License-Identifier: MIT
/* tlegrid.c - shells and planes recovered from element sets, and their +Grid */
/*
 * (Over 600 lines, kept whole: about 60 are this design comment, and the
 * three stages below (shells, planes, links) work on one struct
 * tlegrid_work.)
 *
 * A TLE file has no plane structure, but a constellation built in Walker
 * shells keeps it: the satellites of one shell share inclination and
 * altitude, those of one plane share the right ascension of the ascending
 * node (RAAN), and a plane's satellites are spread in argument of latitude
 * u. The RAAN precesses by J2 at a rate that depends on altitude and
 * inclination (about -4.5 deg/day at 550 km and 53 deg), and element sets
 * have epochs up to days apart, so everything is compared at one epoch
 * (the scenario's), with each set's own secular rates.
 *
 * Shells (mode seeking, not single linkage: orbit-raising satellites spread
 * continuously in altitude and would chain shells together). Every
 * satellite counts its neighbours within incl_tol_deg (0.5 deg) and
 * alt_tol_km (20 km); the satellite with the most (ties: the lowest index)
 * seeds a shell, whose centre is the median inclination and altitude of
 * that window; the shell takes every satellite still free within the
 * tolerances of that centre, and the search goes on among the rest until
 * no window holds min_shell (12) satellites. Operators hold a shell within
 * a few km and 0.1 deg, and different shells of one inclination are 10 km
 * or more apart, so 20 km keeps a shell whole with the spread of mean
 * altitudes (a few km) while raising and decaying satellites, tens to
 * hundreds of km away, fall outside.
 *
 * Planes: the shell's satellites sorted by RAAN, with the circular gaps
 * between neighbours. Within a plane the gaps are a small fraction of the
 * mean gap 360/n (a plane's RAAN scatter, under a degree, shared by its
 * n/P satellites, against a spacing of 360/P); between planes they are
 * the plane spacing or, where planes are missing (a shell deployed in
 * part: the polar ones of the real set leave 35 to 120 degrees empty),
 * multiples of it. The gaps larger than 2 mean gaps are the candidate
 * boundaries, and their lower quartile is the shell's typical spacing
 * (missing planes only add larger gaps, which the quartile ignores, where
 * 360/P would be too large); a gap larger than gap_factor (0.5) times that
 * spacing starts a new plane. For a Walker shell this is exactly 180/P;
 * a plane may scatter up to half the spacing before it is split, and
 * planes launched into one nominal plane but still a few degrees apart
 * are kept apart. Planes with fewer than min_plane (4) satellites are left
 * out (the rest), as are the satellites of no shell.
 *
 * Links, +Grid within the shell: each plane is a ring in order of u
 * (previous and next). Planes in RAAN order are linked to the next one,
 * the last to the first (a recovered shell is taken as a Walker delta),
 * except over a RAAN gap larger than seam_factor (3) times the median gap
 * between planes (the seam of a star, or a shell deployed over part of the
 * circle). Across planes p and p+1 a satellite links to the satellite of
 * the other plane nearest in u at the epoch, which carries the shell's
 * phasing: for a Walker delta with F/P < 1/2 that is the same slot (and the
 * wrap offset F), as +Grid. The pairs (each satellite's nearest in the
 * other plane, both ways) are taken in order of increasing |du| and
 * accepted while neither end has its link toward that plane yet, so a
 * satellite has at most one partner in each adjacent plane: with planes of
 * unequal size the extra satellites of the larger one get none. |du| is
 * compared at 1e-7 deg; a tie goes to the partner ahead in u (du > 0 seen
 * from plane p), then to the lower index.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "topo/consts.h"
#include "topo/lib/array.h"
#include "topo/tlegrid.h"

void tlegrid_params_default(struct tlegrid_params *p)
{
	p->incl_tol_deg = 0.5;
	p->alt_tol_km = 20.0;
	p->min_shell = 12;
	p->gap_factor = 0.5;
	p->min_plane = 4;
	p->seam_factor = 3.0;
}

static double tlegrid_wrap360(double x)
{
	x = fmod(x, 360.0);
	return x < 0.0 ? x + 360.0 : x;
}

/* x in (-180, 180] */
static double tlegrid_wrap180(double x)
{
	x = tlegrid_wrap360(x);
	return x > 180.0 ? x - 360.0 : x;
}

void tlegrid_elements(const struct sgp4_sat *s, int64_t unix_ns,
		      struct tlegrid_sat *out)
{
	double t = sgp4_tsince(s, unix_ns);
	double node, argp, m, e = s->ecco, ea, nu;

	if (!isfinite(t))
		t = 0.0;
	node = s->nodeo + s->nodedot * t;
	argp = s->argpo + s->argpdot * t;
	m = fmod(s->mo + s->mdot * t, 2.0 * TOPO_PI);
	ea = m;
	for (int k = 0; k < 20; k++) {
		double d = (ea - e * sin(ea) - m) / (1.0 - e * cos(ea));

		ea -= d;
		if (fabs(d) < 1e-12)
			break;
	}
	nu = atan2(sqrt(1.0 - e * e) * sin(ea), cos(ea) - e);
	out->incl_deg = s->inclo / TOPO_DEG;
	out->alt_km = s->a * TOPO_WGS72_RE - TOPO_WGS72_RE;
	out->raan_deg = tlegrid_wrap360(node / TOPO_DEG);
	out->u_deg = tlegrid_wrap360((argp + nu) / TOPO_DEG);
}

void tlegrid_free(struct tlegrid *g)
{
	if (!g)
		return;
	free(g->shell);
	free(g->plane);
	free(g->plane_shell);
	free(g->plane_off);
	free(g->member);
	free(g->shell_incl);
	free(g->shell_alt);
	free(g->shell_plane0);
	free(g->shell_nplanes);
	free(g->link);
	free(g->node);
	memset(g, 0, sizeof(*g));
}

/* qsort has no context argument: the key array of the current sort. */
static const double *tlegrid_key;

static int tlegrid_cmp_key(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	if (tlegrid_key[a] != tlegrid_key[b])
		return tlegrid_key[a] < tlegrid_key[b] ? -1 : 1;
	return a < b ? -1 : (a > b);
}

static void tlegrid_sort(uint32_t *idx, size_t n, const double *key)
{
	tlegrid_key = key;
	qsort(idx, n, sizeof(*idx), tlegrid_cmp_key);
}

static int tlegrid_cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : (a > b);
}

/* A gap of more than this many mean gaps (360/n) may be between planes. */
#define TLEGRID_LARGE 2.0

/* The working state of one build. */
struct tlegrid_work {
	const struct tlegrid_sat *e;
	const struct tlegrid_params *p;
	struct tlegrid *g;
	size_t n;
	uint32_t *by_incl;	/* satellites sorted by inclination */
	double *incl, *raan, *u, *tmp;
	uint32_t *cnt;
	uint32_t *mem;		/* satellites of one shell */
	uint32_t *buf;		/* satellites of one plane */
	uint8_t *taken;		/* in a shell's window once */
	uint8_t *fwd, *bwd;	/* has its cross link toward a plane */
	size_t cap_plane, cap_member, cap_shell, cap_link;
};

static bool tlegrid_near(const struct tlegrid_work *w, uint32_t j,
			 double incl, double alt)
{
	return !w->taken[j] &&
	       fabs(w->e[j].incl_deg - incl) <= w->p->incl_tol_deg &&
	       fabs(w->e[j].alt_km - alt) <= w->p->alt_tol_km;
}

/* First position in by_incl with an inclination >= x. */
static size_t tlegrid_lower(const struct tlegrid_work *w, double x)
{
	size_t lo = 0, hi = w->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (w->e[w->by_incl[mid]].incl_deg < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static double tlegrid_median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), tlegrid_cmp_double);
	return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static int tlegrid_add_link(struct tlegrid_work *w, uint32_t a, uint32_t b)
{
	struct tlegrid *g = w->g;

	if (a == b)
		return 0;
	if (array_grow((void **)&g->link, &w->cap_link, 2 * (g->nlinks + 1),
		       sizeof(*g->link), 256) < 0)
		return -ENOMEM;
	g->link[2 * g->nlinks] = a < b ? a : b;
	g->link[2 * g->nlinks + 1] = a < b ? b : a;
	g->nlinks++;
	return 0;
}

/*
 * The free satellites within the tolerances of (incl, alt), into out (when
 * not NULL); their number.
 */
static size_t tlegrid_window(const struct tlegrid_work *w, double incl,
			     double alt, uint32_t *out)
{
	size_t m = 0;

	for (size_t k = tlegrid_lower(w, incl - w->p->incl_tol_deg); k < w->n;
	     k++) {
		uint32_t j = w->by_incl[k];

		if (w->e[j].incl_deg > incl + w->p->incl_tol_deg)
			break;
		if (!tlegrid_near(w, j, incl, alt))
			continue;
		if (out)
			out[m] = j;
		m++;
	}
	return m;
}

/* realloc that keeps *pp on failure: 0 or -ENOMEM. */
static int tlegrid_regrow(void **pp, size_t n, size_t size)
{
	void *p = realloc(*pp, n * size);

	if (!p)
		return -ENOMEM;
	*pp = p;
	return 0;
}

/* Seed, centre and take one shell; its size (0: none left). */
static size_t tlegrid_shell(struct tlegrid_work *w, uint32_t *mem)
{
	struct tlegrid *g = w->g;
	uint32_t best = UINT32_MAX;
	double ci, ca;
	size_t m;

	for (uint32_t i = 0; i < w->n; i++)
		if (!w->taken[i] &&
		    (best == UINT32_MAX || w->cnt[i] > w->cnt[best]))
			best = i;
	if (best == UINT32_MAX || w->cnt[best] < w->p->min_shell)
		return 0;
	m = tlegrid_window(w, w->e[best].incl_deg, w->e[best].alt_km, mem);
	for (size_t k = 0; k < m; k++)
		w->tmp[k] = w->e[mem[k]].incl_deg;
	ci = tlegrid_median(w->tmp, m);
	for (size_t k = 0; k < m; k++)
		w->tmp[k] = w->e[mem[k]].alt_km;
	ca = tlegrid_median(w->tmp, m);
	if (tlegrid_window(w, ci, ca, NULL) >= w->p->min_shell) {
		m = tlegrid_window(w, ci, ca, mem);
	} else {
		ci = w->e[best].incl_deg;
		ca = w->e[best].alt_km;
	}
	for (size_t k = 0; k < m; k++) {
		g->shell[mem[k]] = (int32_t)g->nshells;
		w->taken[mem[k]] = 1;
	}
	/* the satellites left lose these from their counts */
	for (size_t k = 0; k < m; k++) {
		const struct tlegrid_sat *s = &w->e[mem[k]];
		size_t lo = tlegrid_lower(w, s->incl_deg - w->p->incl_tol_deg);

		for (size_t q = lo; q < w->n; q++) {
			uint32_t j = w->by_incl[q];

			if (w->e[j].incl_deg > s->incl_deg + w->p->incl_tol_deg)
				break;
			if (tlegrid_near(w, j, s->incl_deg, s->alt_km))
				w->cnt[j]--;
		}
	}
	/* the four per-shell arrays grow together (cap_shell counts for all) */
	if (g->nshells == w->cap_shell) {
		size_t cap = w->cap_shell ? 2 * w->cap_shell : 16;

		if (tlegrid_regrow((void **)&g->shell_incl, cap,
				   sizeof(double)) ||
		    tlegrid_regrow((void **)&g->shell_alt, cap,
				   sizeof(double)) ||
		    tlegrid_regrow((void **)&g->shell_plane0, cap,
				   sizeof(uint32_t)) ||
		    tlegrid_regrow((void **)&g->shell_nplanes, cap,
				   sizeof(uint32_t)))
			return SIZE_MAX;
		w->cap_shell = cap;
	}
	g->shell_incl[g->nshells] = ci;
	g->shell_alt[g->nshells] = ca;
	return m;
}

/* Append one plane of the shell: mem[0..m) in order of u. */
static int tlegrid_add_plane(struct tlegrid_work *w, uint32_t *mem, size_t m)
{
	struct tlegrid *g = w->g;
	size_t np = g->nplanes, off = g->plane_off[np];

	if (array_grow((void **)&g->plane_off, &w->cap_plane, np + 2,
		       sizeof(*g->plane_off), 64) < 0)
		return -ENOMEM;
	if (tlegrid_regrow((void **)&g->plane_shell, w->cap_plane,
			   sizeof(*g->plane_shell)))
		return -ENOMEM;
	if (array_grow((void **)&g->member, &w->cap_member, off + m,
		       sizeof(*g->member), 256) < 0)
		return -ENOMEM;
	tlegrid_sort(mem, m, w->u);
	memcpy(g->member + off, mem, m * sizeof(*mem));
	for (size_t k = 0; k < m; k++)
		g->plane[mem[k]] = (int32_t)np;
	g->plane_shell[np] = (uint32_t)(g->nshells);
	g->plane_off[np + 1] = (uint32_t)(off + m);
	g->nplanes++;
	return 0;
}

/* Split the shell's m satellites (mem) into planes by RAAN. */
static int tlegrid_planes(struct tlegrid_work *w, uint32_t *mem, size_t m)
{
	struct tlegrid *g = w->g;
	size_t k_big = 0, start, first, nlarge = 0;
	double thr, big = -1.0, mean = 360.0 / (double)m;
	int ret;

	tlegrid_sort(mem, m, w->raan);
	for (size_t k = 0; k < m; k++) {
		double gap = k + 1 < m ? w->raan[mem[k + 1]] - w->raan[mem[k]] :
					 w->raan[mem[0]] + 360.0 -
						 w->raan[mem[k]];

		w->tmp[k] = gap;
		if (gap > TLEGRID_LARGE * mean)
			w->tmp[m + nlarge++] = gap;
		if (gap > big)
			big = gap, k_big = k;
	}
	/* the spacing: the lower quartile of the large gaps (or the mean) */
	thr = mean;
	if (nlarge) {
		qsort(w->tmp + m, nlarge, sizeof(*w->tmp), tlegrid_cmp_double);
		thr = w->tmp[m + nlarge / 4];
	}
	thr *= w->p->gap_factor;
	/* planes start after a boundary; begin after the largest gap */
	first = (k_big + 1) % m;
	start = first;
	for (size_t q = 0; q < m; q++) {
		size_t k = (first + q) % m, len;

		if (!(w->tmp[k] > thr) && q + 1 < m)
			continue;
		/* the plane runs from start to k (circularly) */
		len = (k + m - start) % m + 1;
		for (size_t r = 0; r < len; r++)
			w->buf[r] = mem[(start + r) % m];
		if (len >= w->p->min_plane) {
			ret = tlegrid_add_plane(w, w->buf, len);
			if (ret)
				return ret;
		} else {
			for (size_t r = 0; r < len; r++)
				g->shell[w->buf[r]] = -1;
		}
		start = (k + 1) % m;
	}
	return 0;
}

/* The circular mean RAAN of plane q. */
static double tlegrid_plane_raan(const struct tlegrid_work *w, size_t q)
{
	const struct tlegrid *g = w->g;
	double sx = 0.0, sy = 0.0;

	for (uint32_t k = g->plane_off[q]; k < g->plane_off[q + 1]; k++) {
		sx += cos(w->raan[g->member[k]] * TOPO_DEG);
		sy += sin(w->raan[g->member[k]] * TOPO_DEG);
	}
	return tlegrid_wrap360(atan2(sy, sx) / TOPO_DEG);
}

/* A cross-plane candidate: a in plane p, b in the next, du = u_b - u_a. */
struct tlegrid_cand {
	int64_t key;		/* |du| in 1e-7 deg */
	bool behind;		/* du < 0: the tie goes to the other */
	uint32_t a, b;
};

static int tlegrid_cand_cmp(const void *x, const void *y)
{
	const struct tlegrid_cand *p = x, *q = y;

	if (p->key != q->key)
		return p->key < q->key ? -1 : 1;
	if (p->behind != q->behind)
		return p->behind ? 1 : -1;
	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return p->b < q->b ? -1 : (p->b > q->b);
}

/* The member of plane q nearest in u to x (ring order, circular). */
static uint32_t tlegrid_nearest_u(const struct tlegrid_work *w, size_t q,
				  double x, struct tlegrid_cand *c, bool from_a,
				  uint32_t self)
{
	const struct tlegrid *g = w->g;
	const uint32_t *v = g->member + g->plane_off[q];
	size_t m = g->plane_off[q + 1] - g->plane_off[q], lo = 0, hi = m;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (w->u[v[mid]] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (int s = 0; s < 2; s++) {
		uint32_t j = v[(lo + m - (size_t)s) % m];
		double du = tlegrid_wrap180(from_a ? w->u[j] - x :
						     x - w->u[j]);
		struct tlegrid_cand t = {
			.key = llround(fabs(du) * 1e7),
			.behind = du < 0.0,
			.a = from_a ? self : j,
			.b = from_a ? j : self,
		};

		if (s == 0 || tlegrid_cand_cmp(&t, c) < 0)
			*c = t;
	}
	return c->b;
}

/* Cross links from plane p to plane q (the next in RAAN). */
static int tlegrid_cross(struct tlegrid_work *w, size_t p, size_t q,
			 uint8_t *fwd, uint8_t *bwd)
{
	const struct tlegrid *g = w->g;
	size_t na = g->plane_off[p + 1] - g->plane_off[p];
	size_t nb = g->plane_off[q + 1] - g->plane_off[q];
	struct tlegrid_cand *c = malloc((na + nb) * sizeof(*c));
	size_t nc = 0;
	int ret = 0;

	if (!c)
		return -ENOMEM;
	for (uint32_t k = g->plane_off[p]; k < g->plane_off[p + 1]; k++) {
		uint32_t a = g->member[k];

		tlegrid_nearest_u(w, q, w->u[a], &c[nc++], true, a);
	}
	for (uint32_t k = g->plane_off[q]; k < g->plane_off[q + 1]; k++) {
		uint32_t b = g->member[k];

		tlegrid_nearest_u(w, p, w->u[b], &c[nc++], false, b);
	}
	qsort(c, nc, sizeof(*c), tlegrid_cand_cmp);
	for (size_t k = 0; k < nc && !ret; k++) {
		if (fwd[c[k].a] || bwd[c[k].b])
			continue;
		fwd[c[k].a] = bwd[c[k].b] = 1;
		ret = tlegrid_add_link(w, c[k].a, c[k].b);
	}
	free(c);
	return ret;
}

/* Rings and cross-plane links of shell s. */
static int tlegrid_links(struct tlegrid_work *w, size_t s, uint8_t *fwd,
			 uint8_t *bwd)
{
	const struct tlegrid *g = w->g;
	size_t p0 = g->shell_plane0[s], np = g->shell_nplanes[s];
	double med;
	int ret = 0;

	for (size_t q = p0; q < p0 + np && !ret; q++) {
		uint32_t o = g->plane_off[q], m = g->plane_off[q + 1] - o;

		for (uint32_t k = 0; k < m && !ret; k++)
			ret = tlegrid_add_link(w, g->member[o + k],
					       g->member[o + (k + 1) % m]);
	}
	if (ret || np < 2)
		return ret;
	for (size_t q = 0; q < np; q++) {
		double next = tlegrid_plane_raan(w, p0 + (q + 1) % np);

		next -= tlegrid_plane_raan(w, p0 + q);
		w->tmp[q] = tlegrid_wrap360(next);
	}
	memcpy(w->tmp + np, w->tmp, np * sizeof(*w->tmp));
	med = tlegrid_median(w->tmp + np, np);
	memset(fwd, 0, w->n);
	memset(bwd, 0, w->n);
	for (size_t q = 0; q < np && !ret; q++) {
		if (np == 2 && q == 1)
			break;
		if (w->tmp[q] > w->p->seam_factor * med)
			continue;
		ret = tlegrid_cross(w, p0 + q, p0 + (q + 1) % np, fwd, bwd);
		memset(fwd, 0, w->n);
		memset(bwd, 0, w->n);
	}
	return ret;
}

static int tlegrid_link_cmp(const void *x, const void *y)
{
	const uint32_t *p = x, *q = y;

	if (p[0] != q[0])
		return p[0] < q[0] ? -1 : 1;
	return p[1] < q[1] ? -1 : (p[1] > q[1]);
}

static int tlegrid_run(struct tlegrid_work *w)
{
	struct tlegrid *g = w->g;
	size_t n = w->n, m;
	int ret;

	for (uint32_t i = 0; i < n; i++) {
		w->by_incl[i] = i;
		w->incl[i] = w->e[i].incl_deg;
		w->raan[i] = w->e[i].raan_deg;
		w->u[i] = w->e[i].u_deg;
		g->shell[i] = -1;
		g->plane[i] = -1;
	}
	tlegrid_sort(w->by_incl, n, w->incl);
	for (uint32_t i = 0; i < n; i++)
		w->cnt[i] = (uint32_t)tlegrid_window(w, w->e[i].incl_deg,
						     w->e[i].alt_km, NULL);
	for (;;) {
		size_t before = g->nplanes;

		m = tlegrid_shell(w, w->mem);
		if (m == SIZE_MAX)
			return -ENOMEM;
		if (!m)
			break;
		g->shell_plane0[g->nshells] = (uint32_t)before;
		ret = tlegrid_planes(w, w->mem, m);
		if (ret)
			return ret;
		g->shell_nplanes[g->nshells] = (uint32_t)(g->nplanes - before);
		if (g->nplanes == before) {
			for (size_t k = 0; k < m; k++)
				g->shell[w->mem[k]] = -1;
			continue;
		}
		ret = tlegrid_links(w, g->nshells, w->fwd, w->bwd);
		if (ret)
			return ret;
		g->nshells++;
	}
	for (size_t i = 0; i < n; i++)
		if (g->plane[i] < 0)
			g->nrest++;
	if (g->nlinks > 1)
		qsort(g->link, g->nlinks, 2 * sizeof(*g->link),
		      tlegrid_link_cmp);
	m = 0;
	for (size_t k = 0; k < g->nlinks; k++) {
		if (m && !tlegrid_link_cmp(&g->link[2 * (m - 1)],
					   &g->link[2 * k]))
			continue;
		g->link[2 * m] = g->link[2 * k];
		g->link[2 * m + 1] = g->link[2 * k + 1];
		m++;
	}
	g->nlinks = m;
	return 0;
}

int tlegrid_build(const struct tlegrid_sat *e, size_t n,
		  const struct tlegrid_params *p, struct tlegrid *g)
{
	struct tlegrid_work w = { .e = e, .p = p, .g = g, .n = n };
	size_t n1 = n ? n : 1;
	int ret = -ENOMEM;

	memset(g, 0, sizeof(*g));
	g->n = n;
	g->shell = malloc(n1 * sizeof(*g->shell));
	g->plane = malloc(n1 * sizeof(*g->plane));
	g->plane_off = calloc(1, sizeof(*g->plane_off));
	w.cap_plane = 1;
	w.by_incl = malloc(n1 * sizeof(*w.by_incl));
	w.incl = malloc(n1 * sizeof(*w.incl));
	w.raan = malloc(n1 * sizeof(*w.raan));
	w.u = malloc(n1 * sizeof(*w.u));
	w.tmp = malloc((2 * n1 + 2) * sizeof(*w.tmp));
	w.cnt = malloc(n1 * sizeof(*w.cnt));
	w.mem = malloc(n1 * sizeof(*w.mem));
	w.buf = malloc(n1 * sizeof(*w.buf));
	w.taken = calloc(n1, 1);
	w.fwd = calloc(n1, 1);
	w.bwd = calloc(n1, 1);
	if (g->shell && g->plane && g->plane_off && w.by_incl && w.incl &&
	    w.raan && w.u && w.tmp && w.cnt && w.mem && w.buf && w.taken &&
	    w.fwd && w.bwd)
		ret = tlegrid_run(&w);
	free(w.by_incl);
	free(w.incl);
	free(w.raan);
	free(w.u);
	free(w.tmp);
	free(w.cnt);
	free(w.mem);
	free(w.buf);
	free(w.taken);
	free(w.fwd);
	free(w.bwd);
	if (ret)
		tlegrid_free(g);
	return ret;
}
