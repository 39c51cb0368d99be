// SPDX-License-Identifier: MIT
/* config_cluster.c - [cluster NAME]: a formation's reference orbit and the layout of its members */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu/conf/config_int.h"
#include "topo/cluster.h"

bool config_cluster_open(struct config_ctx *x, const char *name)
{
	struct config *c = x->c;
	struct config_cluster *k;

	k = config_push(x, (void **)&c->clusters, &c->nclusters,
			&x->cap_clusters, sizeof(*k));
	if (!k)
		return false;
	snprintf(k->orbit.w.name, sizeof(k->orbit.w.name), "%.*s",
		 (int)sizeof(k->orbit.w.name) - 1, name);
	k->orbit.line = k->line = x->line;
	x->idx = c->nclusters - 1;
	return true;
}

void config_set_layout(struct config_ctx *x, const char *key,
		       const char *val)
{
	struct config_cluster *k = &x->c->clusters[x->idx];

	if (!strcmp(val, "hex"))
		k->layout = CONFIG_LAYOUT_HEX;
	else if (!strcmp(val, "file"))
		k->layout = CONFIG_LAYOUT_FILE;
	else
		config_bad(x, key, val, "is not a layout (use hex or file)");
}

void config_set_cluster_file(struct config_ctx *x, const char *key,
			     const char *val)
{
	x->c->clusters[x->idx].file = config_side_path(x, key, val);
}

/* A key of one layout given with the other: at its line. */
static void config_cluster_stray(struct config_ctx *x, unsigned key,
				 const char *name, const char *layout)
{
	if (x->seen[key])
		diag_error(x->d, x->file, x->seen[key],
			   "%s: key \"%s\" is only for layout = %s", x->label,
			   name, layout);
}

/* The hexagonal grid holds the satellites asked for, and not too many. */
static void config_cluster_hex(struct config_ctx *x,
			       const struct config_cluster *k)
{
	double *p;
	size_t n;
	int ret = cluster_hex(k->spacing_km, k->radius_km, k->count, &p, &n);

	if (ret == -ENOMEM) {
		x->enomem = true;
		return;
	}
	free(p);
	if (ret || n > CONFIG_MAX_SATS) {
		diag_error(x->d, x->file, x->seen[CONFIG_KEY_CLUSTER_RADIUS],
			   "%s: radius %g km holds more than %u points of a "
			   "grid of %g km", x->label, k->radius_km,
			   CONFIG_MAX_SATS, k->spacing_km);
		return;
	}
	if (k->count && n < k->count)
		diag_error(x->d, x->file, x->seen[CONFIG_KEY_CLUSTER_COUNT],
			   "satellites \"%u\" do not fit: radius %g km holds "
			   "%zu points of a grid of %g km", k->count,
			   k->radius_km, n, k->spacing_km);
}

void config_cluster_close(struct config_ctx *x)
{
	struct config_cluster *k = &x->c->clusters[x->idx];
	static const struct {
		unsigned key;
		const char *name;
	} hex[] = {
		{ CONFIG_KEY_CLUSTER_SPACING, "spacing" },
		{ CONFIG_KEY_CLUSTER_RADIUS, "radius" },
		{ CONFIG_KEY_CLUSTER_COUNT, "satellites" },
	};
	bool ok = true;

	config_orbit_close(x, &k->orbit);
	if (k->layout == CONFIG_LAYOUT_NONE)
		return;	/* missing or bad: already reported */
	if (k->layout == CONFIG_LAYOUT_FILE) {
		for (size_t i = 0; i < 3; i++)
			config_cluster_stray(x, hex[i].key, hex[i].name,
					     "hex");
		if (!x->seen[CONFIG_KEY_CLUSTER_FILE])
			diag_error(x->d, x->file, x->sec_line,
				   "%s: layout \"file\" needs key \"file\"",
				   x->label);
		return;
	}
	config_cluster_stray(x, CONFIG_KEY_CLUSTER_FILE, "file", "file");
	for (size_t i = 0; i < 2; i++) {
		if (x->seen[hex[i].key])
			continue;
		diag_error(x->d, x->file, x->sec_line,
			   "%s: layout \"hex\" needs key \"%s\"", x->label,
			   hex[i].name);
		ok = false;
	}
	if (ok && k->spacing_km > 0.0 && k->radius_km > 0.0)
		config_cluster_hex(x, k);
}

void config_cluster_finish(struct config_ctx *x)
{
	struct config *c = x->c;

	for (size_t i = 0; i < c->nclusters; i++) {
		const struct config_cluster *k = &c->clusters[i];
		const char *name = k->orbit.w.name;
		size_t n = strlen(name);

		config_orbit_finish(x, &c->clusters[i].orbit, "cluster");
		if (!(c->isl.source & (ISL_SRC_NEAREST | ISL_SRC_PAIRS)))
			diag_error(x->d, x->file, k->line,
				   "[cluster %s] has no laser links: "
				   "candidates in [isl] must include nearest "
				   "(every pair within max-range, up to each "
				   "satellite's terminals) or pairs", name);
		for (size_t j = 0; j < c->ngrounds; j++) {
			const struct config_ground *g = &c->grounds[j];

			if (!*g->name || strncmp(g->name, name, n) ||
			    g->name[n] != '-')
				continue;
			diag_error(x->d, g->file, g->line,
				   "ground station \"%s\" clashes with the "
				   "satellites of [cluster %s] (%s-K)",
				   g->name, name, name);
		}
	}
}
