/* SPDX-License-Identifier: MIT */
/* sgp4_sat.h - the SGP4/SDP4 state of one satellite (Vallado's elsetrec) */
#ifndef TOPO_SGP4_SAT_H
#define TOPO_SGP4_SAT_H

#include <stdbool.h>

/*
 * Included by topo/sgp4.h after struct sgp4_elements; use that header.
 *
 * The names follow Vallado et al. 2006 (sgp4unit.cpp's elsetrec) so that the
 * code can be read beside the paper. Everything is fixed by sgp4_init except
 * error and the resonance integrator's state (atime, xli, xni), which
 * sgp4_propagate advances. The fields that the near-Earth path reads come
 * first so that a propagation touches few cache lines.
 */
struct sgp4_sat {
	struct sgp4_elements el;	/* as given to sgp4_init */
	int error;			/* SGP4_OK or the last error code */
	char opsmode;			/* 'a' (AFSPC) or 'i' (improved) */
	bool deep;			/* SDP4: period >= 225 min */
	bool isimp;			/* perigee < 220 km: simplified drag */
	int irez;			/* resonance: 0, 1 day or 2 half-day */

	/* Near-Earth secular and periodic terms (sgp4init). */
	double ecco, inclo, nodeo, argpo, mo, bstar;
	double no_unkozai;		/* Brouwer mean motion, rad/min */
	double ao;			/* (xke / no_unkozai)^(2/3), in er */
	double sinio, cosio;
	double mdot, argpdot, nodedot, nodecf;
	double cc1, cc4, cc5, d2, d3, d4;
	double t2cof, t3cof, t4cof, t5cof;
	double eta, delmo, sinmao, omgcof, xmcof;
	double aycof, xlcof, con41, x1mth2, x7thm1;

	/* Semi-major axis, apogee and perigee height at epoch, earth radii. */
	double a, alta, altp;
	/* Greenwich sidereal time at epoch, radians (opsmode dependent). */
	double gsto;

	/* Deep space: lunar-solar periodics (dscom, dpper). */
	double e3, ee2, se2, se3, sgh2, sgh3, sgh4, sh2, sh3, si2, si3;
	double sl2, sl3, sl4, xgh2, xgh3, xgh4, xh2, xh3, xi2, xi3;
	double xl2, xl3, xl4, zmol, zmos;
	/* Deep space: secular rates and resonance terms (dsinit, dspace). */
	double dedt, didt, dmdt, dnodt, domdt;
	double d2201, d2211, d3210, d3222, d4410, d4422;
	double d5220, d5232, d5421, d5433;
	double del1, del2, del3, xfact, xlamo;
	/* The resonance integrator's state, advanced by sgp4_propagate. */
	double atime, xli, xni;
};

#endif
