// SPDX-License-Identifier: MIT
/* config_faults.c - the [faults] keys, and those a [shell] or [tle] group sets for itself */
#include <string.h>

#include "emu/conf/config_int.h"
#include "emu/conf/units.h"
#include "topo/step.h"

/* The group the current section sets: [faults], a shell or a TLE source. */
static struct config_fault_group *config_fault_target(struct config_ctx *x)
{
	switch (x->sec) {
	case CONFIG_SEC_SHELL:
		return &x->c->shells[x->idx].faults;
	case CONFIG_SEC_TLE:
		return &x->c->tles[x->idx].faults;
	default:
		return &x->c->faults;
	}
}

static bool config_fault_eclipse(const char *val, uint8_t *out)
{
	if (!strcmp(val, "none"))
		*out = TOPO_ECLIPSE_NONE;
	else if (!strcmp(val, "down"))
		*out = TOPO_ECLIPSE_DOWN;
	else if (!strcmp(val, "battery"))
		*out = TOPO_ECLIPSE_BATTERY;
	else
		return false;
	return true;
}

/*
 * link-flaps: "2/h", "0.5/min", "10/day" or a bare number per hour, per
 * laser link. Into *per_hour.
 */
static bool config_fault_flaps(const char *val, double *per_hour,
			       const char **why)
{
	static const struct {
		const char *unit;
		double hours;
	} units[] = { { "/h", 1.0 }, { "/min", 1.0 / 60 }, { "/s", 1.0 / 3600 },
		      { "/day", 24.0 } };
	const char *slash = strchr(val, '/');
	char num[64];
	double v, hours = 1.0;
	size_t n = slash ? (size_t)(slash - val) : strlen(val);

	if (n == 0 || n >= sizeof(num)) {
		*why = "is not a rate of flaps (2/h, 0.5/min, 10/day)";
		return false;
	}
	memcpy(num, val, n);
	num[n] = '\0';
	if (slash) {
		size_t i;

		for (i = 0; i < sizeof(units) / sizeof(*units); i++)
			if (!strcmp(slash, units[i].unit))
				break;
		if (i == sizeof(units) / sizeof(*units)) {
			*why = "has no known unit (/s, /min, /h or /day)";
			return false;
		}
		hours = units[i].hours;
	}
	if (!units_parse_real(num, &v, why))
		return false;
	if (v < 0) {
		*why = "is negative";
		return false;
	}
	*per_hour = v / hours;
	return true;
}

void config_set_fault(struct config_ctx *x, const char *key, const char *val)
{
	struct config_fault_group *g = config_fault_target(x);
	const char *why = "is not valid";
	int64_t ns;

	if (!strcmp(key, "eclipse")) {
		if (!config_fault_eclipse(val, &g->eclipse)) {
			config_bad(x, key, val, "is not none, down or battery");
			return;
		}
		g->has_eclipse = true;
		return;
	}
	if (!strcmp(key, "link-flaps")) {
		if (!config_fault_flaps(val, &x->c->flaps_per_hour, &why))
			config_bad(x, key, val, why);
		return;
	}
	if (!units_parse_time(val, &ns, &why)) {
		config_bad(x, key, val, why);
		return;
	}
	if (!strcmp(key, "mtbf")) {
		g->mtbf_ns = ns;
		g->has_mtbf = true;
	} else if (!strcmp(key, "mttr")) {
		g->mttr_ns = ns;
		g->has_mttr = true;
	} else {
		if (ns <= 0) {
			config_bad(x, key, val, "must be positive");
			return;
		}
		g->battery_ns = ns;
		g->has_battery = true;
	}
}
