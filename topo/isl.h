/* SPDX-License-Identifier: MIT */
/* isl.h - laser links between satellites: candidates, feasibility, nearest */
#ifndef TOPO_ISL_H
#define TOPO_ISL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "topo/constel.h"
#include "topo/fault.h"
#include "topo/tlegrid.h"
#include "topo/vec.h"

/*
 * Where candidate links come from; the bits combine. Grid and pair
 * candidates are fixed for the run ("fixed candidates"): each one takes a
 * laser terminal at both ends, whether it is up or not. Nearest assignment
 * fills the terminals that are left.
 */
enum isl_source {
	ISL_SRC_GRID = 1U << 0,		/* +Grid over every Walker shell */
	ISL_SRC_PAIRS = 1U << 1,	/* isl_params.pairs */
	ISL_SRC_NEAREST = 1U << 2,	/* greedy nearest, sticky */
	ISL_SRC_TLE_GRID = 1U << 3,	/* +Grid over planes recovered from
					 * the TLE satellites (tlegrid.h) */
};

/* Two satellite node indices, a < b once normalised. */
struct isl_pair {
	uint32_t a, b;
};

struct isl_params {
	unsigned source;		/* ISL_SRC_* bits */
	const struct isl_pair *pairs;	/* node indices; the caller owns */
	size_t npairs;
	unsigned terminals;		/* laser terminals per satellite */
	const uint8_t *sat_terminals;	/* per satellite, or NULL: terminals */
	/*
	 * Per satellite, or NULL: max_range_km and acquisition_ns for all
	 * (a pair takes the shorter range and the longer acquisition of its
	 * ends). max_range_km and acquisition_ns must then be the largest
	 * of these (0 when any range is unlimited): the nearest search's
	 * radius and the replay's history come from them.
	 */
	const double *sat_range_km;	/* 0 = only the grazing rule */
	const int64_t *sat_acq_ns;
	double max_range_km;		/* 0 = no limit but the Earth */
	double grazing_km;		/* lowest altitude of the beam */
	bool has_cross_lat;
	double cross_lat_deg;		/* geocentric latitude limit */
	int64_t acquisition_ns;		/* set-up time once feasible */
	/*
	 * Re-pointing of nearest links: every repoint_ns (0: never) a link
	 * a fresh assignment does not make and longer than (1 +
	 * repoint_gain) times the longest fresh link of either end is
	 * released, and the terminals freed take their fresh partners
	 * first (topo/step_near.c).
	 */
	int64_t repoint_ns;
	double repoint_gain;
	double sun_excl_deg;		/* 0 = no sun exclusion */
	/* ISL_SRC_TLE_GRID: clustered at this instant, with these rules */
	int64_t epoch_unix_ns;
	struct tlegrid_params tlegrid;
};

/* Defaults: +Grid, 4 terminals, no range limit, 80 km grazing, no rules. */
void isl_params_default(struct isl_params *p);

/* Why a candidate is down at this step (or ISL_UP). */
enum isl_verdict {
	ISL_UP = 0,
	ISL_RANGE,		/* longer than max_range_km */
	ISL_GRAZING,		/* the beam passes below the grazing altitude */
	ISL_CROSS_LAT,		/* cross-plane link above the latitude limit */
	ISL_SUN,		/* the Sun is too close to the line of sight */
	ISL_NVERDICT,
};

/* The feasibility rules of one step, with their thresholds precomputed. */
struct isl_rules {
	double min_r2;		/* (R + grazing)^2 */
	double max_len2;	/* max range squared, or INFINITY */
	double sin_lat;		/* cross-plane limit, or > 1 when off */
	double cos_sun;		/* sun exclusion, or > 1 when off */
	struct vec3 sun;	/* unit vector to the Sun, ECEF */
	const double *sat_range_km;	/* params' per-satellite ranges */
};

/*
 * isl_check for satellites a and b (indices), with their own ranges when
 * the rules have per-satellite ones.
 */
enum isl_verdict isl_check_pair(const struct isl_rules *r, uint32_t a,
				uint32_t b, struct vec3 pa, struct vec3 pb,
				bool cross_plane, double *len_km);

/* The acquisition time of a pair: the longer of its two ends'. */
static inline int64_t isl_pair_acq(const struct isl_params *p, uint32_t a,
				   uint32_t b)
{
	if (!p->sat_acq_ns)
		return p->acquisition_ns;
	return p->sat_acq_ns[a] > p->sat_acq_ns[b] ? p->sat_acq_ns[a] :
						     p->sat_acq_ns[b];
}

/* Rules from params at one step; sun_dir is only used with sun exclusion. */
void isl_rules_init(struct isl_rules *r, const struct isl_params *p,
		    struct vec3 sun_dir);

/*
 * Is a laser link between satellites at a and b (ECEF km) possible now?
 * The Earth is a sphere of radius TOPO_WGS72_RE here (the flattening moves
 * the grazing height by at most 21 km, a fraction of the usual margin): the
 * segment a-b must stay farther than R + grazing from the centre. The
 * cross-plane rule uses the geocentric latitude of both ends. The Sun rule
 * compares the line of sight from each end with the Sun's direction (the Sun
 * is far enough for one direction to serve the whole constellation; the
 * Earth's shadow is not taken into account, which errs on the cautious side).
 * len_km (may be NULL) gets |a - b|.
 */
enum isl_verdict isl_check(const struct isl_rules *r, struct vec3 a,
			   struct vec3 b, bool cross_plane, double *len_km);

/* Same shell, different plane: what the cross-plane latitude rule limits. */
static inline bool isl_cross_plane(const struct constel_node *a,
				   const struct constel_node *b)
{
	return a->shell != CONSTEL_NO_SHELL && a->shell == b->shell &&
	       a->plane != b->plane;
}

/* Laser terminals of satellite i under p. */
static inline unsigned isl_terminals(const struct isl_params *p, size_t i)
{
	return p->sat_terminals ? p->sat_terminals[i] : p->terminals;
}

/*
 * The +Grid offset of a Walker delta shell's wrap link: satellite s of the
 * last plane links to satellite (s + k) mod S of plane 0. Plane p's
 * satellite s sits at argument of latitude (s + p * delta) * 360/S with
 * delta = F/P + extra_phase, and the regular cross-plane link (same slot)
 * joins satellites delta * 360/S apart in phase. Continuing the pattern to
 * a plane P (plane 0 turned once around) puts satellite s at
 * (s + F + P * extra_phase) * 360/S, so k = F + P * extra_phase: with
 * P * extra_phase a whole number (always when extra_phase = 0: k = F) the
 * wrap links are congruent to the other cross-plane links. Otherwise k is
 * rounded to the nearest whole number, and at exactly half-way to the side
 * that gives the wrap link the smaller phase difference.
 */
long isl_grid_wrap_offset(const struct walker_shell *w);

/*
 * The fixed candidates of c under p: +Grid for every shell (ISL_SRC_GRID:
 * previous and next in the plane, the same slot in the adjacent planes, the
 * wrap shifted by isl_grid_wrap_offset for a delta, nothing across the seam
 * of a star), +Grid over the planes that tlegrid_build recovers from the
 * satellites of no shell at p->epoch_unix_ns (ISL_SRC_TLE_GRID; those it
 * leaves out get no fixed candidate) and the pair list (ISL_SRC_PAIRS).
 * Sorted by (a, b), a < b, no duplicates. *out is malloc'ed (the caller
 * frees it). 0, -EINVAL (a pair names a ground station, a node out of
 * range or twice the same node) or -ENOMEM.
 */
int isl_fixed_build(const struct constel *c, const struct isl_params *p,
		    struct isl_pair **out, size_t *n);

/*
 * Cluster the satellites of c with no shell (CONSTEL_NO_SHELL) at
 * p->epoch_unix_ns under p->tlegrid: g is filled as tlegrid_build does,
 * with shell[] and plane[] per clustered satellite k (node g->node[k]),
 * member[] and link[] in node indices of c. 0 or -ENOMEM.
 */
int isl_tlegrid(const struct constel *c, const struct isl_params *p,
		struct tlegrid *g);

/* A nearest-neighbour link: feasible since `since` (INT64_MIN: always). */
struct isl_link {
	uint32_t a, b;
	int64_t since;
};

/* Scratch memory of the nearest assignment, reused from step to step. */
struct isl_near {
	uint32_t *pts;		/* satellites with a free terminal */
	int32_t *cell;		/* 3 per point: its grid cell */
	uint32_t *bstart;	/* bucket starts, nbucket + 1 */
	uint32_t *bpts;		/* points sorted by bucket */
	size_t cap_pts, cap_bucket;
	struct isl_near_cand *cand;
	size_t ncand, cap_cand;
	uint32_t *eoff, *eadj;	/* existing links per satellite (CSR) */
	size_t cap_eoff, cap_eadj;
	size_t checked;		/* pairs run through isl_check (statistics) */
	/* pairs down by fault, never assigned (set by the caller, or NULL) */
	const struct fault_link *skip;
	size_t nskip;
};

void isl_near_init(struct isl_near *s);
void isl_near_free(struct isl_near *s);

/*
 * Greedy nearest assignment. Among the satellites 0 .. nsat-1 that are up
 * and have free terminals (free_term[i] > 0), take every feasible pair in
 * order of increasing length (ties by index) and link it when both ends
 * still have a free terminal, decrementing free_term. Pairs that already
 * exist (in fixed or in *links) are skipped. New links get since and are
 * appended to *links (n, cap grow with realloc).
 *
 * This is exactly the global greedy order, done in rounds: round k looks at
 * pairs with a length in (rho_{k-1}, rho_k] among the satellites still free,
 * with a spatial hash of cell size rho_k, and rho doubles until it reaches
 * the longest length the rules allow. The first radius is the mean spacing
 * of the free satellites, so the first round holds a few pairs per
 * satellite and later rounds only the few satellites left with free
 * terminals. 0 or -ENOMEM.
 */
int isl_near_assign(struct isl_near *s, const struct isl_rules *r,
		    const struct constel *c, const struct vec3 *pos,
		    const uint8_t *up, uint8_t *free_term,
		    const struct isl_pair *fixed, size_t nfixed,
		    struct isl_link **links, size_t *n, size_t *cap,
		    int64_t since);

#endif
