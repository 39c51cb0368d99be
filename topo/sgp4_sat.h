/* SPDX-License-Identifier: MIT */
/* sgp4_sat.h - placeholder, replaced by the SGP4 implementation */
#ifndef TOPO_SGP4_SAT_H
#define TOPO_SGP4_SAT_H
struct sgp4_sat {
	struct sgp4_elements el;
	int error;
};
#endif
