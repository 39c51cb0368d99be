/* SPDX-License-Identifier: MIT */
/* sgp4.h - SGP4/SDP4 orbit propagation (Vallado et al. 2006, WGS-72) */
#ifndef TOPO_SGP4_H
#define TOPO_SGP4_H

#include <stdbool.h>
#include <stdint.h>

#include "topo/vec.h"

/*
 * Mean elements as a TLE carries them (or as a Walker shell produces them),
 * in SGP4's units: angles in radians, mean motion in radians per minute
 * (Kozai), ndot in rad/min^2, nddot in rad/min^3, bstar in 1/earth radii.
 */
struct sgp4_elements {
	long satnum;
	double epoch_jd, epoch_jdfrac;	/* Julian date of the epoch, split */
	int64_t epoch_unix_ns;		/* the same epoch, see topo/utc.h */
	double bstar, ndot, nddot;
	double ecco, argpo, inclo, mo, no_kozai, nodeo;
};

/*
 * Error codes of sgp4init/sgp4, as Vallado numbers them:
 * 1 mean elements (ecc >= 1.0 or ecc < -0.001 or a < 0.95 er)
 * 2 mean motion less than 0.0
 * 3 perturbed elements, ecc < 0.0 or ecc > 1.0
 * 4 semi-latus rectum < 0.0
 * 5 epoch elements are sub-orbital (no longer used by Vallado)
 * 6 satellite has decayed
 * and one of lasermesh's:
 * 7 tsince is not finite or beyond SGP4_MAX_TSINCE minutes from epoch
 */
enum {
	SGP4_OK = 0,
	SGP4_E_MEAN_ECC = 1,
	SGP4_E_MEAN_MOTION = 2,
	SGP4_E_PERT_ECC = 3,
	SGP4_E_SEMI_LATUS = 4,
	SGP4_E_SUBORBITAL = 5,
	SGP4_E_DECAYED = 6,
	SGP4_E_TIME = 7,
};

/* About 190 years: the resonance integrator steps 720 min at a time. */
#define SGP4_MAX_TSINCE 1e8

/*
 * The propagator's state for one satellite (Vallado's elsetrec). The names
 * follow Vallado et al. 2006 (sgp4unit.cpp) so that the code can be read
 * beside the paper. Everything is fixed by sgp4_init except
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

/*
 * Initialise s from el. opsmode 'i' (improved) or 'a' (AFSPC). Returns
 * SGP4_OK or one of the error codes above; s->error holds it too.
 */
int sgp4_init(struct sgp4_sat *s, const struct sgp4_elements *el, char opsmode);

/*
 * Propagate to tsince minutes after the element epoch: r in km and v in km/s,
 * both in TEME. Returns SGP4_OK or an error code (r and v are then unusable).
 */
int sgp4_propagate(struct sgp4_sat *s, double tsince_min, struct vec3 *r,
		   struct vec3 *v);

/*
 * Minutes from the element epoch of s to the absolute time unix_ns; when the
 * difference does not fit in int64 ns (more than 292 years), an infinity of
 * its sign, which sgp4_propagate refuses with SGP4_E_TIME.
 */
double sgp4_tsince(const struct sgp4_sat *s, int64_t unix_ns);

/* What an error code means, in a few words ("satellite has decayed"). */
const char *sgp4_error_str(int code);

#endif
