/* SPDX-License-Identifier: MIT */
/* constel.h - the nodes of the mesh: satellites (shells, TLEs) and ground stations */
#ifndef TOPO_CONSTEL_H
#define TOPO_CONSTEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "topo/sgp4.h"
#include "topo/vec.h"
#include "topo/walker.h"

#define CONSTEL_NAME_MAX 64

enum constel_kind {
	CONSTEL_SAT,
	CONSTEL_GROUND,
};

/* Where a satellite came from; plus-grid needs shell, plane and slot. */
enum {
	CONSTEL_NO_SHELL = -1,	/* from a TLE file, no plane structure */
};

struct constel_node {
	char name[CONSTEL_NAME_MAX];	/* safe for netns and hosts files */
	enum constel_kind kind;
	int shell;			/* index into shells, or CONSTEL_NO_SHELL */
	unsigned plane, slot;
	bool relay;			/* ground station may carry transit */
	/* ground stations: geodetic position and the fixed Earth-fixed one */
	double lat_deg, lon_deg, alt_km;
	struct vec3 ecef;
	/* the next "-N" to try for a name that clashes with this one (0 = 2) */
	unsigned next_suffix;
};

/*
 * The node list. Satellites come first (indices 0 .. nsat-1), then ground
 * stations (nsat .. n-1); sat[i] holds the propagator state of node i.
 */
struct constel {
	struct constel_node *node;
	struct sgp4_sat *sat;
	size_t n, nsat, cap;
	struct walker_shell *shells;
	size_t nshells;
	/* name -> index, open addressing; rebuilt by constel_index() */
	uint32_t *hash;
	size_t hash_cap;
	size_t hash_used;	/* slots taken, stale ones of renamed nodes too */
};

void constel_init(struct constel *c);
void constel_free(struct constel *c);

/* Add a whole Walker shell at epoch; names NAME-PLANE-SLOT. 0 or -errno. */
int constel_add_shell(struct constel *c, const struct walker_shell *w,
		      int64_t epoch_unix_ns);
/*
 * Add one satellite from mean elements with a (raw) catalogue name; the name
 * is made safe (constel_safe_name) and unique: the first satellite of a name
 * keeps it, the next ones get NAME-2, NAME-3, ... (skipping any that exist,
 * such as a satellite really called NAME-2), in time linear in the number
 * of satellites. Returns 0, -errno, or the positive SGP4 error code when
 * sgp4_init rejects the elements (not added).
 */
int constel_add_sat(struct constel *c, const char *name,
		    const struct sgp4_elements *el);
/*
 * Add a ground station (must come after every satellite). Its name comes
 * from the configuration and is never changed: if its safe form is taken,
 * -EEXIST (see constel_rename). An empty name becomes gs-N. 0 or -errno.
 */
int constel_add_ground(struct constel *c, const char *name, double lat_deg,
		       double lon_deg, double alt_m, bool relay);

/* Build the name index. Call after the last add. 0 or -ENOMEM. */
int constel_index(struct constel *c);
/* Index of the node called name, or -1. */
long constel_find(const struct constel *c, const char *name);

/*
 * Give node i a new unique name made from its own (NAME-2, NAME-3, ...) so
 * that a node named in the configuration can take NAME: a satellite from a
 * TLE file gives way to a ground station of the same name. 0 or -ENOMEM.
 */
int constel_rename(struct constel *c, size_t i);

/* Make a raw name safe for a namespace and a host name, into out. */
void constel_safe_name(const char *raw, char *out, size_t len);

#endif
