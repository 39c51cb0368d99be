/* SPDX-License-Identifier: MIT */
/* walker.h - Walker delta and Walker star shells turned into SGP4 mean elements */
#ifndef TOPO_WALKER_H
#define TOPO_WALKER_H

#include <stddef.h>
#include <stdint.h>

#include "topo/sgp4.h"

enum walker_kind {
	WALKER_DELTA,	/* planes spread over 360 degrees of RAAN */
	WALKER_STAR,	/* planes spread over 180 degrees (polar, with a seam) */
};

struct walker_shell {
	char name[32];		/* used in satellite names: NAME-PLANE-SLOT */
	enum walker_kind kind;
	unsigned planes;	/* P */
	unsigned per_plane;	/* S = T / P */
	unsigned phasing;	/* F, 0 <= F < P */
	double alt_km;		/* circular altitude above the WGS-72 radius */
	double incl_deg;
	double extra_phase;	/* added per plane, fraction of in-plane spacing */
	double raan0_deg;	/* RAAN of plane 0 */
};

/*
 * Fill out[plane * per_plane + slot] with circular mean elements at epoch
 * unix_ns (no drag). RAAN of plane p: raan0 + p * 360/P (delta) or p * 180/P
 * (star); mean anomaly of slot s: s * 360/S + p * (F * 360/T + extra * 360/S).
 */
void walker_elements(const struct walker_shell *w, int64_t epoch_unix_ns,
		     struct sgp4_elements *out);

/* The readable name of one satellite, "NAME-PLANE-SLOT", into buf. */
void walker_sat_name(const struct walker_shell *w, unsigned plane,
		     unsigned slot, char *buf, size_t len);

#endif
