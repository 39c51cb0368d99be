/* SPDX-License-Identifier: MIT */
/* sgp4.h - SGP4/SDP4 orbit propagation (Vallado et al. 2006, WGS-72) */
#ifndef TOPO_SGP4_H
#define TOPO_SGP4_H

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

/* The propagator's state for one satellite (Vallado's elsetrec). */
struct sgp4_sat;

/* Size of struct sgp4_sat, for callers that keep arrays of them. */
#include "topo/sgp4_sat.h"

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

/* Minutes from the element epoch of s to the absolute time unix_ns. */
double sgp4_tsince(const struct sgp4_sat *s, int64_t unix_ns);

#endif
