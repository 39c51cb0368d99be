// SPDX-License-Identifier: MIT
/* cluster.c - formation clusters: bounded Hill (Clohessy-Wiltshire) motion mapped to SGP4 mean elements */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "topo/cluster.h"
#include "topo/consts.h"
#include "topo/utc.h"

/* SGP4 raises a mean eccentricity below this to it (sgp4.c). */
#define CLUSTER_ECC_FLOOR 1e-6
/* Samples of one orbit for the reference's mean radius. */
#define CLUSTER_RADIUS_SAMPLES 72

static double cluster_wrap(double rad)
{
	rad = fmod(rad, 2.0 * TOPO_PI);
	return rad < 0.0 ? rad + 2.0 * TOPO_PI : rad;
}

/* The change of the eccentricity vector for state cw (D'Amico's map). */
static void cluster_de(double a, double n, double u,
		       const struct cluster_cw *cw, double *dex, double *dey)
{
	double c = cos(u), s = sin(u), xr = cw->x / a, vr = cw->vx / (a * n);

	*dex = -xr * c + vr * s;
	*dey = -xr * s - vr * c;
}

/*
 * The reference's eccentricity vector: the first of growing magnitudes
 * (from 3e-6) and 8 directions that keeps every member's eccentricity
 * at least twice SGP4's floor.
 */
static void cluster_ref_ecc(double a, double n, double u,
			    const struct cluster_cw *cw, size_t ncw,
			    double *ex, double *ey)
{
	for (double mag = 3e-6; mag < 1e-4; mag *= 2.0) {
		for (int k = 0; k < 8; k++) {
			double cx = mag * cos(k * TOPO_PI / 4.0);
			double cy = mag * sin(k * TOPO_PI / 4.0);
			size_t i;

			for (i = 0; i < ncw; i++) {
				double dx, dy;

				cluster_de(a, n, u, &cw[i], &dx, &dy);
				if (hypot(cx + dx, cy + dy) <
				    2.0 * CLUSTER_ECC_FLOOR)
					break;
			}
			if (i == ncw) {
				*ex = cx;
				*ey = cy;
				return;
			}
		}
	}
	*ex = 1e-4;	/* members this far apart never need it */
	*ey = 0.0;
}

/* The rate of the mean argument of latitude with the node term, rad/min. */
static double cluster_lambda_rate(const struct sgp4_sat *s, double cos_i)
{
	return s->mdot + s->argpdot + s->nodedot * cos_i;
}

int cluster_frame_init(struct cluster_frame *f, const struct cluster_ref *r,
		       int64_t epoch_unix_ns, const struct cluster_cw *cw,
		       size_t n)
{
	double a = TOPO_WGS72_RE + r->alt_km;
	double nk = sqrt(TOPO_WGS72_MU / (a * a * a));
	double u = cluster_wrap(r->phase_deg * TOPO_DEG), ex, ey, sum = 0.0;
	struct utc_jd jd = utc_to_jd(epoch_unix_ns);
	struct sgp4_sat s;
	int ret;

	if (fabs(sin(r->incl_deg * TOPO_DEG)) < 1e-3)
		return -EDOM;
	cluster_ref_ecc(a, nk, u, cw, n, &ex, &ey);
	f->el = (struct sgp4_elements){
		.satnum = 0,
		.epoch_jd = jd.jd,
		.epoch_jdfrac = jd.frac,
		.epoch_unix_ns = epoch_unix_ns,
		.ecco = hypot(ex, ey),
		.argpo = cluster_wrap(atan2(ey, ex)),
		.inclo = r->incl_deg * TOPO_DEG,
		.nodeo = cluster_wrap(r->raan_deg * TOPO_DEG),
		.no_kozai = nk * 60.0,
	};
	f->el.mo = cluster_wrap(u - f->el.argpo);
	ret = sgp4_init(&s, &f->el, 'i');
	if (ret)
		return ret;
	f->n = cluster_lambda_rate(&s, cos(f->el.inclo)) / 60.0;
	f->u0 = u;
	/* SGP4's radius differs from a by a J2 term of a few km */
	for (int k = 0; k < CLUSTER_RADIUS_SAMPLES; k++) {
		double t = k * 2.0 * TOPO_PI / f->n / CLUSTER_RADIUS_SAMPLES;
		struct vec3 pos, vel;

		ret = sgp4_propagate(&s, t / 60.0, &pos, &vel);
		if (ret)
			return ret;
		sum += vec3_norm(pos);
	}
	f->a_km = sum / CLUSTER_RADIUS_SAMPLES;
	return 0;
}

/* The linear map of state cw to mean elements, with the drift-free da. */
static int cluster_map(const struct cluster_frame *f,
		       const struct cluster_cw *cw, long satnum,
		       struct sgp4_elements *out)
{
	double a = f->a_km, n = f->n, u = f->u0, ci = cos(f->el.inclo);
	double si = sin(f->el.inclo), c = cos(u), s = sin(u);
	double dex, dey, dl, dix, diy, ex, ey, draan, want;
	struct sgp4_sat ref, m;
	int ret;

	cluster_de(a, n, u, cw, &dex, &dey);
	dl = (cw->y - 2.0 * cw->vx / n) / a;
	dix = cw->z / a * s + cw->vz / (a * n) * c;
	diy = -cw->z / a * c + cw->vz / (a * n) * s;
	ex = f->el.ecco * cos(f->el.argpo) + dex;
	ey = f->el.ecco * sin(f->el.argpo) + dey;
	draan = diy / si;

	*out = f->el;
	out->satnum = satnum;
	out->ecco = hypot(ex, ey);
	out->argpo = cluster_wrap(atan2(ey, ex));
	out->inclo = f->el.inclo + dix;
	out->nodeo = cluster_wrap(f->el.nodeo + draan);
	out->mo = cluster_wrap(u + dl - draan * ci - out->argpo);

	/*
	 * da: the mean motion for which SGP4 turns the member's mean
	 * argument of latitude (with the node term) at the reference's
	 * rate. The rate's slope in the mean motion is about 1, so a few
	 * fixed-point steps reach rounding.
	 */
	ret = sgp4_init(&ref, &f->el, 'i');
	if (ret)
		return ret;
	want = cluster_lambda_rate(&ref, ci);
	for (int k = 0; k < 4; k++) {
		ret = sgp4_init(&m, out, 'i');
		if (ret)
			return ret;
		out->no_kozai -= cluster_lambda_rate(&m, ci) - want;
	}
	return sgp4_init(&m, out, 'i');
}

/* Hill position and velocity of (r, v) from the reference (rr, vr). */
static void cluster_hill_state(struct vec3 rr, struct vec3 vr, struct vec3 r,
			       struct vec3 v, struct vec3 *p, struct vec3 *pv)
{
	struct vec3 dv;
	double w = vec3_norm(vec3_cross(rr, vr)) / vec3_dot(rr, rr);

	*p = cluster_hill(rr, vr, r);
	/* the relative velocity in the frame's axes, less its rotation */
	dv = cluster_hill(rr, vr, vec3_add(rr, vec3_sub(v, vr)));
	*pv = (struct vec3){ dv.x + w * p->y, dv.y - w * p->x, dv.z };
}

/*
 * The linear map gives mean elements; SGP4's short-period J2 terms then
 * move the member from the designed state by about a metre (more than
 * the map's own error). A few Newton steps with the identity as Jacobian
 * move the state handed to the map by what SGP4 misses at the epoch.
 */
int cluster_elements(const struct cluster_frame *f,
		     const struct cluster_cw *cw, long satnum,
		     struct sgp4_elements *out)
{
	struct cluster_cw cur = *cw;
	struct sgp4_sat ref, m;
	struct vec3 rr, vr, r, v, p, pv;
	int ret = sgp4_init(&ref, &f->el, 'i');

	if (!ret)
		ret = sgp4_propagate(&ref, 0.0, &rr, &vr);
	for (int k = 0; !ret && k < 4; k++) {
		ret = cluster_map(f, &cur, satnum, out);
		if (!ret)
			ret = sgp4_init(&m, out, 'i');
		if (!ret)
			ret = sgp4_propagate(&m, 0.0, &r, &v);
		if (ret)
			break;
		cluster_hill_state(rr, vr, r, v, &p, &pv);
		cur.x += cw->x - p.x;
		cur.y += cw->y - p.y;
		cur.z += cw->z - p.z;
		cur.vx += cw->vx - pv.x;
		cur.vz += cw->vz - pv.z;
	}
	return ret;
}

/* A mean element at t minutes, with SGP4's secular rate (no drag). */
static void cluster_mean(const struct sgp4_sat *s, double t, double *ex,
			 double *ey, double *u, double *node)
{
	double w = s->argpo + s->argpdot * t;

	*ex = s->ecco * cos(w);
	*ey = s->ecco * sin(w);
	*u = w + s->mo + s->mdot * t;
	*node = s->nodeo + s->nodedot * t;
}

struct vec3 cluster_secular_at(const struct cluster_frame *f,
			       const struct sgp4_sat *ref,
			       const struct sgp4_sat *m, double t_s)
{
	double t = t_s / 60.0, a = f->a_km, rex, rey, ru, rnode, ex, ey, u;
	double node, dnode, dl, dex, dey, dix, diy, da, c, s;

	cluster_mean(ref, t, &rex, &rey, &ru, &rnode);
	cluster_mean(m, t, &ex, &ey, &u, &node);
	dnode = remainder(node - rnode, 2.0 * TOPO_PI);
	dl = remainder(u - ru, 2.0 * TOPO_PI) + dnode * ref->cosio;
	dex = ex - rex;
	dey = ey - rey;
	dix = m->inclo - ref->inclo;
	diy = dnode * ref->sinio;
	da = m->ao / ref->ao - 1.0;
	c = cos(ru);
	s = sin(ru);
	return (struct vec3){
		a * (da - dex * c - dey * s),
		a * (dl + 2.0 * dex * s - 2.0 * dey * c),
		a * (dix * s - diy * c),
	};
}

struct vec3 cluster_cw_at(const struct cluster_frame *f,
			  const struct cluster_cw *cw, double t_s)
{
	double nt = f->n * t_s, c = cos(nt), s = sin(nt), w = cw->vx / f->n;

	return (struct vec3){
		cw->x * c + w * s,
		cw->y - 2.0 * cw->x * s + 2.0 * w * (c - 1.0),
		cw->z * c + cw->vz / f->n * s,
	};
}

void cluster_plane_state(const struct cluster_frame *f, double p, double q,
			 struct cluster_cw *cw)
{
	double h = sqrt(3.0) / 2.0;

	/* c = p + iq turns as c e^(int): along = Re, (x, z) = (1/2, h) Im */
	*cw = (struct cluster_cw){
		.x = q / 2.0,
		.y = p,
		.z = h * q,
		.vx = f->n * p / 2.0,
		.vz = h * f->n * p,
	};
}

struct vec3 cluster_hill(struct vec3 rr, struct vec3 vr, struct vec3 r)
{
	struct vec3 d = vec3_sub(r, rr), rh, nh, th;

	rh = vec3_scale(rr, 1.0 / vec3_norm(rr));
	nh = vec3_cross(rr, vr);
	nh = vec3_scale(nh, 1.0 / vec3_norm(nh));
	th = vec3_cross(nh, rh);
	return (struct vec3){ vec3_dot(d, rh), vec3_dot(d, th),
			      vec3_dot(d, nh) };
}

struct cluster_pt {
	long norm;		/* i^2 + ij + j^2: exact, for ties */
	double ang, p, q;
};

static int cluster_pt_cmp(const void *x, const void *y)
{
	const struct cluster_pt *a = x, *b = y;

	if (a->norm != b->norm)
		return a->norm < b->norm ? -1 : 1;
	return a->ang < b->ang ? -1 : a->ang > b->ang;
}

/* The most points cluster_hex makes. */
#define CLUSTER_HEX_MAX 1000000

int cluster_hex(double spacing_km, double radius_km, size_t max,
		double **out, size_t *n)
{
	double h = sqrt(3.0) / 2.0, lim;
	struct cluster_pt *pt;
	size_t m = 0;
	long k;

	*out = NULL;
	*n = 0;
	if (!(spacing_km > 0.0) || !(radius_km >= 0.0))
		return -EINVAL;
	lim = radius_km / spacing_km;
	if (lim * lim > CLUSTER_HEX_MAX)
		return -EINVAL;
	/* the disc within |j| h <= lim, |i + j/2| <= lim */
	k = (long)ceil(lim / h) + 1;
	pt = malloc((size_t)(2 * k + 1) * (size_t)(2 * k + 1) * sizeof(*pt));
	if (!pt)
		return -ENOMEM;
	for (long j = -k; j <= k; j++) {
		for (long i = -k; i <= k; i++) {
			long nm = i * i + i * j + j * j;
			double p = i + j / 2.0, q = j * h;

			if ((double)nm > lim * lim * (1.0 + 1e-12))
				continue;
			pt[m++] = (struct cluster_pt){
				nm, cluster_wrap(atan2(q, p)),
				p * spacing_km, q * spacing_km };
		}
	}
	qsort(pt, m, sizeof(*pt), cluster_pt_cmp);
	if (max && m > max)
		m = max;
	*out = malloc((m ? m : 1) * 2 * sizeof(**out));
	if (!*out) {
		free(pt);
		return -ENOMEM;
	}
	for (size_t i = 0; i < m; i++) {
		(*out)[2 * i] = pt[i].p;
		(*out)[2 * i + 1] = pt[i].q;
	}
	*n = m;
	free(pt);
	return 0;
}
