// SPDX-License-Identifier: MIT
/* config_terminals.c - a group's own laser terminals: count, range, rate, acquisition */
#include <string.h>

#include "emu/conf/config_int.h"
#include "emu/conf/units.h"

/*
 * terminals, max-range, rate and acquisition in a [shell], [tle] or
 * [cluster] section: that group's terminals, instead of [isl]'s (the same units
 * and ranges as there).
 */
void config_set_terminal_key(struct config_ctx *x, const char *key,
			     const char *val)
{
	struct config_isl_group *g =
		x->sec == CONFIG_SEC_SHELL   ? &x->c->shells[x->idx].isl :
		x->sec == CONFIG_SEC_CLUSTER ? &x->c->clusters[x->idx].isl :
					       &x->c->tles[x->idx].isl;
	const char *why = "is not valid";
	uint64_t u;
	double km;
	int64_t ns;

	if (!strcmp(key, "terminals")) {
		if (!units_parse_u64(val, &u, &why)) {
			config_bad(x, key, val, why);
		} else if (u < 1 || u > 64) {
			config_bad(x, key, val, "is out of range (1 to 64)");
		} else {
			g->terminals = (unsigned)u;
			g->has_terminals = true;
		}
	} else if (!strcmp(key, "max-range")) {
		if (!units_parse_length(val, &km, &why)) {
			config_bad(x, key, val, why);
		} else if (km > 1000000.0) {
			config_bad(x, key, val,
				   "is out of range (0km to 1000000km)");
		} else {
			g->max_range_km = km;
			g->has_range = true;
		}
	} else if (!strcmp(key, "rate")) {
		if (!units_parse_rate(val, &u, &why)) {
			config_bad(x, key, val, why);
		} else {
			g->rate_bps = u;
			g->has_rate = true;
		}
	} else {
		if (!units_parse_time(val, &ns, &why)) {
			config_bad(x, key, val, why);
		} else {
			g->acquisition_ns = ns;
			g->has_acq = true;
		}
	}
}

/* repoint-gain: a percentage below 100% (docs/configuration.md, [isl]). */
void config_set_repoint_gain(struct config_ctx *x, const char *key,
			     const char *val)
{
	const char *why = "is not valid";
	double p;

	if (!units_parse_percent(val, &p, &why))
		config_bad(x, key, val, why);
	else if (p >= 1.0)
		config_bad(x, key, val, "must be below 100%");
	else
		x->c->isl.repoint_gain = p;
}
