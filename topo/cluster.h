/* SPDX-License-Identifier: MIT */
/* cluster.h - formation clusters: bounded Hill (Clohessy-Wiltshire) motion mapped to SGP4 mean elements */
#ifndef TOPO_CLUSTER_H
#define TOPO_CLUSTER_H

#include <stddef.h>
#include <stdint.h>

#include "topo/sgp4.h"
#include "topo/vec.h"

/*
 * A formation cluster is a set of satellites that move around a
 * reference orbit on bounded relative orbits. Offsets are in the Hill
 * (RTN) frame of the reference: x radial (outward), y along-track (with
 * the velocity), z cross-track (along the orbit normal), in km.
 *
 * The relative motion is the bounded solution of the Clohessy-Wiltshire
 * equations (Clohessy and Wiltshire 1960): with the along-track rate
 * y' = -2 n x at the epoch (no drift),
 *
 *	x(t) = x0 cos nt + (x'0 / n) sin nt
 *	y(t) = y0 - 2 x0 sin nt + 2 (x'0 / n) (cos nt - 1)
 *	z(t) = z0 cos nt + (z'0 / n) sin nt
 *
 * a 2:1 ellipse (radial amplitude A, along-track 2A) centred at
 * y0 - 2 x'0 / n, plus a cross-track oscillation. n is the rate of the
 * reference's mean argument of latitude under SGP4 (cluster_frame).
 *
 * Each member's state is mapped to mean elements by the linear map of
 * relative orbit elements (D'Amico 2010, "Autonomous formation flying in
 * low Earth orbit", ch. 2; Montenbruck and Gill): for a near-circular
 * reference at argument of latitude u,
 *
 *	x / a = da - dex cos u - dey sin u
 *	y / a = dl + 2 dex sin u - 2 dey cos u
 *	z / a = dix sin u - diy cos u
 *
 * with de the change of the eccentricity vector (e cos w, e sin w), di =
 * (change of inclination, change of RAAN x sin i) and dl the change of the
 * mean argument of latitude plus the change of RAAN x cos i. The map is
 * first order in offset / a: its error is about offset^2 / a (7 cm at
 * 700 m around a 7,028 km orbit). da is not 0 but what makes the
 * member's mean argument of latitude (with the RAAN term) turn at the
 * reference's rate under SGP4's own secular J2 rates, so that the
 * formation does not drift apart along the track; SGP4's differential J2
 * still turns the planes (a member with a different inclination precesses
 * at another rate) and the eccentricity vectors, a drift of a few metres
 * per orbit at 700 m (test_cluster measures it). Neighbours 150 m apart
 * stay within 0.8 m of the Hill motion; SGP4 itself, first order in J2,
 * is within 2.9 m of numerically integrated J2-J4 gravity over an orbit
 * (docs/configuration.md, [cluster NAME]).
 *
 * Members get full-precision elements, never TLE text, whose angles are
 * rounded to 1e-4 degrees (12 m along the orbit).
 */

/* The reference orbit: circular, at an altitude above the WGS-72 radius. */
struct cluster_ref {
	double alt_km;
	double incl_deg;
	double raan_deg;
	double phase_deg;	/* argument of latitude at the epoch */
};

/* A member's Hill state at the epoch; y' = -2 n x is implied. */
struct cluster_cw {
	double x, y, z;		/* km */
	double vx, vz;		/* km/s */
};

/* The reference's constants under SGP4, from cluster_frame_init. */
struct cluster_frame {
	struct sgp4_elements el;	/* of the reference */
	double a_km;		/* its mean radius under SGP4 */
	double n;		/* its mean argument of latitude's rate, rad/s */
	double u0;		/* its argument of latitude at the epoch, rad */
};

/*
 * The reference's mean elements at the epoch, and the constants of its
 * Hill frame. Its eccentricity is not 0 but small (ecc, below 1e-5): SGP4
 * raises any eccentricity below 1e-6 to 1e-6, which would move a
 * satellite on a circular orbit by up to 14 m in a way its neighbours do
 * not share; cluster_frame_init chooses it so that every member (the n
 * states cw) stays above 2e-6. 0, -EDOM (an equatorial reference, sin i
 * below 1e-3, has no node to place offsets with) or an SGP4 error code.
 */
int cluster_frame_init(struct cluster_frame *f, const struct cluster_ref *r,
		       int64_t epoch_unix_ns, const struct cluster_cw *cw,
		       size_t n);

/*
 * The mean elements of a member in state cw (satnum given). 0, or an
 * SGP4 error code (the elements are refused).
 */
int cluster_elements(const struct cluster_frame *f,
		     const struct cluster_cw *cw, long satnum,
		     struct sgp4_elements *out);

/* The closed-form Hill offset of cw at t_s seconds after the epoch. */
struct vec3 cluster_cw_at(const struct cluster_frame *f,
			  const struct cluster_cw *cw, double t_s);

/*
 * The Hill offset of member m from the reference ref (both initialised
 * by sgp4_init from cluster_elements and the frame) t_s seconds after the
 * epoch by the same linear map, applied to their mean elements moved by
 * SGP4's secular J2 rates: the closed-form motion with the drift of the
 * planes and eccentricity vectors, without SGP4's periodic terms.
 */
struct vec3 cluster_secular_at(const struct cluster_frame *f,
			       const struct sgp4_sat *ref,
			       const struct sgp4_sat *m, double t_s);

/*
 * The points of a hexagonal grid of the given spacing (km) within radius
 * km of the centre, nearest first (ties by angle from the first axis),
 * at most max of them (0: all): *out gets 2 coordinates in the plane
 * (km) per point, malloc'ed, and *n their number. 0, -EINVAL (spacing
 * not positive, or more than a million points) or -ENOMEM.
 */
int cluster_hex(double spacing_km, double radius_km, size_t max,
		double **out, size_t *n);

/*
 * The Hill state of a point (p, q) (km) of a layout in the plane of the
 * general circular orbit (Sabol, Burns and McLaughlin 2001): spanned by
 * the along-track axis and the unit vector (1/2, 0, sqrt(3)/2) between
 * radial and cross-track. There the bounded motion is a rigid rotation
 * of the plane, once per orbit: every distance of the layout holds.
 */
void cluster_plane_state(const struct cluster_frame *f, double p, double q,
			 struct cluster_cw *cw);

/*
 * The Hill offset of position r (km, TEME) from the reference at rr, vr
 * (its position and velocity in TEME).
 */
struct vec3 cluster_hill(struct vec3 rr, struct vec3 vr, struct vec3 r);

#endif
