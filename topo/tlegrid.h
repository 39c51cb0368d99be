/* SPDX-License-Identifier: MIT */
/* tlegrid.h - shells and planes recovered from element sets, and their +Grid */
#ifndef TOPO_TLEGRID_H
#define TOPO_TLEGRID_H

#include <stddef.h>
#include <stdint.h>

#include "topo/sgp4.h"

/*
 * The tolerances of the clustering (tlegrid_params_default gives the
 * documented values; see tlegrid.c for why they are what they are).
 */
struct tlegrid_params {
	double incl_tol_deg;	/* shell: |i - centre| <= this (0.5 deg) */
	double alt_tol_km;	/* shell: |a - R - centre| <= this (20 km) */
	unsigned min_shell;	/* fewer satellites: no shell (12) */
	double gap_factor;	/* plane boundary: gap > this x spacing (0.5) */
	unsigned min_plane;	/* fewer satellites: left out (4) */
	double seam_factor;	/* no cross link over a RAAN gap > this x the
				 * median gap between planes (3) */
};

void tlegrid_params_default(struct tlegrid_params *p);

/* One satellite's mean elements at the clustering epoch, degrees and km. */
struct tlegrid_sat {
	double incl_deg;
	double alt_km;		/* mean semi-major axis minus WGS-72 radius */
	double raan_deg;	/* [0, 360) */
	double u_deg;		/* argument of latitude, [0, 360) */
};

/*
 * Mean elements of an initialised SGP4 state at unix_ns: the secular
 * rates of SGP4 (nodedot, argpdot, mdot) carry RAAN, argument of perigee
 * and mean anomaly from the element epoch to unix_ns (the drag terms and
 * the periodic terms are left out: they move a plane by far less than the
 * tolerances), the true anomaly comes from Kepler's equation.
 */
void tlegrid_elements(const struct sgp4_sat *s, int64_t unix_ns,
		      struct tlegrid_sat *out);

/* What the clustering found; indices are those of the input array. */
struct tlegrid {
	size_t n;		/* satellites given */
	int32_t *shell;		/* per satellite: its shell, or -1 (rest) */
	int32_t *plane;		/* per satellite: global plane, or -1 */
	size_t nshells, nplanes, nrest;
	/* per plane: its shell, members in order of u (CSR) */
	uint32_t *plane_shell;
	uint32_t *plane_off;	/* nplanes + 1 */
	uint32_t *member;	/* satellites of the planes, plane by plane */
	/* per shell: its centre and its planes in RAAN order (first..) */
	double *shell_incl, *shell_alt;
	uint32_t *shell_plane0, *shell_nplanes;
	/* the +Grid links, 2 indices each, sorted pairs a < b */
	uint32_t *link;
	size_t nlinks;
	/* isl_tlegrid (topo/isl.h) only: satellite k is node node[k] */
	uint32_t *node;
};

/*
 * Group the n satellites e[] into shells and planes and build the +Grid
 * links within each shell (tlegrid.c explains the rules). g is filled
 * (free with tlegrid_free). 0 or -ENOMEM.
 */
int tlegrid_build(const struct tlegrid_sat *e, size_t n,
		  const struct tlegrid_params *p, struct tlegrid *g);

void tlegrid_free(struct tlegrid *g);

#endif
