// SPDX-License-Identifier: MIT
/* scenario_cluster.c - the satellites of each [cluster NAME]: a layout mapped to elements by topo/cluster */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu/conf/scenario.h"
#include "emu/conf/units.h"
#include "tap/file.h"
#include "topo/cluster.h"
#include "topo/lib/array.h"
#include "topo/lib/lines.h"
#include "topo/sso.h"

#define SCENARIO_OFFSETS_MAX ((size_t)64 << 20)
#define SCENARIO_CLUSTER_MAX 100000

/* The Hill states of a cluster, growing. */
struct scenario_cws {
	struct cluster_cw *v;
	size_t n, cap;
};

/*
 * One row of an offsets file: radial, along-track, cross-track (m) and
 * optionally the radial and cross-track rates (m/s). false when bad
 * (reported).
 */
static bool scenario_offset_row(const char *path, struct line ln,
				struct cluster_cw *cw, struct diag *d)
{
	static const char *const names[] = {
		"radial", "along-track", "cross-track", "radial rate",
		"cross-track rate",
	};
	double v[5] = { 0 };
	char *row = strndup(ln.s, ln.n), *save = NULL, *f;
	size_t k = 0;
	bool ok = row != NULL;

	for (f = row ? strtok_r(row, ",", &save) : NULL; ok && f;
	     f = strtok_r(NULL, ",", &save), k++) {
		const char *why = "is not a number";
		char *e;

		while (isspace((unsigned char)*f))
			f++;
		for (e = f + strlen(f); e > f && isspace((unsigned char)e[-1]);)
			*--e = '\0';
		if (k >= 5) {
			diag_error(d, path, ln.no,
				   "row has more than 5 fields");
			ok = false;
		} else if (!units_parse_signed_real(f, &v[k], &why)) {
			diag_error(d, path, ln.no, "%s \"%s\" %s (metres, "
				   "m/s)", names[k], f, why);
			ok = false;
		}
	}
	if (ok && k != 3 && k != 5) {
		diag_error(d, path, ln.no, "row has %zu fields: give radial, "
			   "along-track, cross-track (m), then optionally the "
			   "radial and cross-track rates (m/s)", k);
		ok = false;
	}
	free(row);
	*cw = (struct cluster_cw){ v[0] / 1e3, v[1] / 1e3, v[2] / 1e3,
				   v[3] / 1e3, v[4] / 1e3 };
	return ok;
}

/* Read a cluster's offsets file (docs/configuration.md, [cluster]). */
static int scenario_offsets(const struct scenario *s,
			    const struct config_cluster *k,
			    struct scenario_cws *out, struct diag *d)
{
	struct lines l;
	struct line ln;
	size_t len, errors = d->errors;
	bool first = true;
	char *text;
	int ret;

	ret = file_read_all(k->file, SCENARIO_OFFSETS_MAX, FILE_F_REGULAR,
			    &text, &len);
	if (ret < 0) {
		diag_error(d, s->cfg->path, k->line, "file \"%s\" %s", k->file,
			   file_strerror(ret));
		return ret == -ENOMEM ? ret : 0;
	}
	lines_init(&l, text, len);
	while (lines_next(&l, &ln)) {
		struct cluster_cw cw;

		lines_cut_comment(&ln, LINES_HASH_ANYWHERE);
		if (!ln.n)
			continue;
		/* a header line: radial,along,cross,... */
		if (first && isalpha((unsigned char)ln.s[0])) {
			first = false;
			continue;
		}
		first = false;
		if (!scenario_offset_row(k->file, ln, &cw, d))
			continue;
		if (out->n >= SCENARIO_CLUSTER_MAX) {
			diag_error(d, k->file, ln.no, "more than %d satellites",
				   SCENARIO_CLUSTER_MAX);
			break;
		}
		if (array_grow((void **)&out->v, &out->cap, out->n + 1,
			       sizeof(*out->v), 64) < 0) {
			free(text);
			return -ENOMEM;
		}
		out->v[out->n++] = cw;
	}
	free(text);
	if (!out->n && d->errors == errors)
		diag_error(d, k->file, 0, "no offsets (rows of radial, "
			   "along-track, cross-track in metres)");
	return 0;
}

/* The reference orbit of k (its keys were checked by the reader). */
static void scenario_cluster_ref(const struct config_cluster *k,
				 struct cluster_ref *r)
{
	*r = (struct cluster_ref){
		.alt_km = k->orbit.w.alt_km,
		.incl_deg = k->orbit.w.incl_deg,
		.raan_deg = k->orbit.w.raan0_deg,
		.phase_deg = k->phase_deg,
	};
}

/* The states of a hexagonal layout: in the plane of rigid rotation. */
static int scenario_hex(const struct config_cluster *k,
			const struct cluster_frame *f,
			struct scenario_cws *out)
{
	double *p;
	size_t n;
	int ret = cluster_hex(k->spacing_km, k->radius_km, k->count, &p, &n);

	if (ret)
		return ret;
	out->v = malloc((n ? n : 1) * sizeof(*out->v));
	if (!out->v) {
		free(p);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		cluster_plane_state(f, p[2 * i], p[2 * i + 1], &out->v[i]);
	out->n = out->cap = n;
	free(p);
	return 0;
}

static const char *scenario_cluster_why(int code)
{
	return code == -EDOM ? "the reference orbit is equatorial (its node "
			       "is undefined): incline it" :
			       sgp4_error_str(code);
}

/* Add the satellites NAME-0, NAME-1, ... of one cluster. */
static int scenario_add_cluster(struct scenario *s,
				const struct config_cluster *k,
				struct diag *d)
{
	struct scenario_cws cws = { 0 };
	struct cluster_frame f;
	struct cluster_ref r;
	int ret;

	scenario_cluster_ref(k, &r);
	/* the frame's rate first: the hex states need it */
	ret = cluster_frame_init(&f, &r, s->epoch_unix_ns, NULL, 0);
	if (!ret)
		ret = k->layout == CONFIG_LAYOUT_HEX ?
			      scenario_hex(k, &f, &cws) :
			      scenario_offsets(s, k, &cws, d);
	if (!ret)
		ret = cluster_frame_init(&f, &r, s->epoch_unix_ns, cws.v,
					 cws.n);
	for (size_t i = 0; !ret && i < cws.n; i++) {
		struct sgp4_elements el;
		char name[CONSTEL_NAME_MAX];

		snprintf(name, sizeof(name), "%s-%zu", k->orbit.w.name, i);
		ret = cluster_elements(&f, &cws.v[i], (long)i + 1, &el);
		if (!ret)
			ret = constel_add_sat(&s->constel, name, &el);
	}
	free(cws.v);
	if (ret == -ENOMEM || ret == -E2BIG)
		return ret;
	if (ret)
		diag_error(d, s->cfg->path, k->line,
			   "[cluster %s]: no orbit for its satellites: %s",
			   k->orbit.w.name, scenario_cluster_why(ret));
	return 0;
}

int scenario_add_clusters(struct scenario *s, struct diag *d)
{
	const struct config *c = s->cfg;
	int ret;

	s->cluster_first = s->constel.nsat;
	s->cluster_end = calloc(c->nclusters ? c->nclusters : 1,
				sizeof(*s->cluster_end));
	if (!s->cluster_end)
		return -ENOMEM;
	for (size_t i = 0; i < c->nclusters; i++) {
		ret = scenario_add_cluster(s, &c->clusters[i], d);
		if (ret < 0)
			return ret;
		s->cluster_end[i] = s->constel.nsat;
	}
	return 0;
}

const struct config_cluster *scenario_cluster_of(const struct scenario *s,
						 size_t i)
{
	const struct config *c = s->cfg;
	size_t start = s->cluster_first;

	if (i >= s->constel.nsat || !s->cluster_end)
		return NULL;
	for (size_t k = 0; k < c->nclusters; k++) {
		if (i >= start && i < s->cluster_end[k])
			return &c->clusters[k];
		start = s->cluster_end[k];
	}
	return NULL;
}
