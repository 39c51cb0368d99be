// SPDX-License-Identifier: MIT
/* config_orbit.c - a shell's plane: inclination (or sso), raan0 (or the local time of its node) */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "emu/conf/config_int.h"
#include "emu/conf/units.h"
#include "topo/sso.h"
#include "topo/utc.h"

/* The range check of an angle key, as config_keys.c words it. */
static bool config_orbit_angle(struct config_ctx *x, const char *key,
			       const char *val, double lo, double hi,
			       bool hi_out, double *deg)
{
	const char *why = "is not valid";
	char buf[96];

	if (!units_parse_angle(val, deg, &why)) {
		config_bad(x, key, val, why);
		return false;
	}
	if (*deg < lo || (hi_out ? *deg >= hi : *deg > hi)) {
		if (hi_out)
			snprintf(buf, sizeof(buf), "is out of range (%g to %g "
				 "degrees, %g excluded)", lo, hi, hi);
		else
			snprintf(buf, sizeof(buf), "is out of range (%g to %g "
				 "degrees)", lo, hi);
		config_bad(x, key, val, buf);
		return false;
	}
	return true;
}

/* The shell, or the cluster's reference orbit, of the current section. */
static struct config_shell *config_orbit_of(struct config_ctx *x)
{
	if (x->sec == CONFIG_SEC_CLUSTER)
		return &x->c->clusters[x->idx].orbit;
	return &x->c->shells[x->idx];
}

void config_set_inclination(struct config_ctx *x, const char *key,
			    const char *val)
{
	struct config_shell *sh = config_orbit_of(x);

	if (!strcmp(val, "sso")) {
		sh->incl_sso = true;	/* from the altitude, at the end */
		return;
	}
	config_orbit_angle(x, key, val, 0.0, 180.0, false, &sh->w.incl_deg);
}

void config_set_raan0(struct config_ctx *x, const char *key, const char *val)
{
	struct config_shell *sh = config_orbit_of(x);

	if (config_orbit_angle(x, key, val, 0.0, 360.0, true,
			       &sh->w.raan0_deg))
		sh->raan0_line = x->line;
}

/* "06:00", "6:30", "18:15:30": hours of local mean solar time. */
void config_set_ltan(struct config_ctx *x, const char *key, const char *val)
{
	struct config_shell *sh = config_orbit_of(x);
	unsigned h, m, s = 0;
	int n = 0;

	if ((sscanf(val, "%2u:%2u:%2u%n", &h, &m, &s, &n) != 3 &&
	     sscanf(val, "%2u:%2u%n", &h, &m, &n) != 2) ||
	    (size_t)n != strlen(val) || !isdigit((unsigned char)val[0])) {
		config_bad(x, key, val, "is not a local time HH:MM (06:00 "
			   "for dawn-dusk)");
		return;
	}
	if (h > 23 || m > 59 || s > 59) {
		config_bad(x, key, val, "is not a time of day (00:00 to "
			   "23:59)");
		return;
	}
	sh->ltan_h = h + m / 60.0 + s / 3600.0;
	sh->has_ltan = true;
	sh->ltan_line = x->line;
}

void config_orbit_close(struct config_ctx *x, struct config_shell *sh)
{
	double i;

	if (!sh->incl_sso)
		return;
	i = sso_inclination_deg(sh->w.alt_km);
	if (isnan(i)) {
		diag_error(x->d, x->file, x->sec_line,
			   "%s: inclination \"sso\": no sun-synchronous orbit "
			   "exists at %g km (the highest is about 5,970 km)",
			   x->label, sh->w.alt_km);
		return;
	}
	sh->w.incl_deg = i;
}

void config_orbit_finish(struct config_ctx *x, struct config_shell *sh,
			 const char *kind)
{
	if (!sh->has_ltan)
		return;
	if (sh->raan0_line) {
		diag_error(x->d, x->file, sh->ltan_line,
			   "[%s %s]: ltan and raan0 (line %u) both place "
			   "%s: give one", kind, sh->w.name, sh->raan0_line,
			   strcmp(kind, "shell") ? "the orbit" : "plane 0");
		return;
	}
	sh->w.raan0_deg = sso_raan_deg(x->c->epoch_unix_ns, sh->ltan_h);
}
