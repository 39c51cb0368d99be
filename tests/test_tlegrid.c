// SPDX-License-Identifier: MIT
/* test_tlegrid.c - shells, planes and +Grid recovered from Walker sets */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "topo/consts.h"
#include "topo/lib/util.h"
#include "topo/isl.h"
#include "topo/step.h"
#include "topo/utc.h"
#include "topo/walker.h"

#define EPOCH INT64_C(1771804800000000000)	/* 2026-02-23T00:00:00Z */
#define DAY_NS INT64_C(86400000000000)

/*
 * Move el's epoch by dt_ns, carrying RAAN, argument of perigee and mean
 * anomaly back by SGP4's secular rates, so that the set describes the
 * same mean orbit at EPOCH (as real sets of one plane do, with epochs days
 * apart and their RAAN several degrees apart at their own epochs).
 */
static void shift_epoch(struct sgp4_elements *el, int64_t dt_ns)
{
	struct sgp4_sat s;
	double dt_min = (double)dt_ns / 60e9;
	struct utc_jd jd;

	cr_assert_eq(sgp4_init(&s, el, 'i'), SGP4_OK);
	el->epoch_unix_ns += dt_ns;
	jd = utc_to_jd(el->epoch_unix_ns);
	el->epoch_jd = jd.jd;
	el->epoch_jdfrac = jd.frac;
	el->nodeo = fmod(el->nodeo + s.nodedot * dt_min, 2 * TOPO_PI);
	el->argpo = fmod(el->argpo + s.argpdot * dt_min, 2 * TOPO_PI);
	el->mo = fmod(el->mo + s.mdot * dt_min, 2 * TOPO_PI);
	if (el->nodeo < 0)
		el->nodeo += 2 * TOPO_PI;
	if (el->argpo < 0)
		el->argpo += 2 * TOPO_PI;
	if (el->mo < 0)
		el->mo += 2 * TOPO_PI;
}

/*
 * Add shell w to tle as element sets of no shell (every third one with its
 * epoch 1.7 days earlier, every third 0.9 days later), and to ref as a
 * Walker shell, in the same order; skip[plane * S + slot] drops a
 * satellite from both (NULL: none).
 */
static void add_shell(struct constel *tle, struct constel *ref,
		      const struct walker_shell *w, const uint8_t *skip)
{
	size_t n = (size_t)w->planes * w->per_plane;
	struct sgp4_elements *el = calloc(n, sizeof(*el));
	char name[64];

	cr_assert_not_null(el);
	walker_elements(w, EPOCH, el);
	for (size_t i = 0; i < n; i++) {
		if (skip && skip[i])
			continue;
		if (i % 3 == 1)
			shift_epoch(&el[i], -17 * DAY_NS / 10);
		else if (i % 3 == 2)
			shift_epoch(&el[i], 9 * DAY_NS / 10);
		walker_sat_name(w, (unsigned)(i / w->per_plane),
				(unsigned)(i % w->per_plane), name,
				sizeof(name));
		cr_assert_eq(constel_add_sat(tle, name, &el[i]), 0);
	}
	free(el);
	if (ref && !skip)
		cr_assert_eq(constel_add_shell(ref, w, EPOCH), 0);
}

/* Satellites on their way up: one each, at 53 deg, between the shells. */
static void add_raising(struct constel *tle)
{
	static const double alt[] = { 330, 360, 390, 420, 450, 515 };

	for (size_t k = 0; k < ARRAY_SIZE(alt); k++) {
		struct walker_shell w = {
			.kind = WALKER_DELTA, .planes = 1, .per_plane = 1,
			.alt_km = alt[k], .incl_deg = 53.0,
			.raan0_deg = 2.0 * (double)k + 11.0,
		};
		struct sgp4_elements el;
		char name[32];

		walker_elements(&w, EPOCH, &el);
		el.mo = (double)k * 0.05;
		snprintf(name, sizeof(name), "raising-%zu", k);
		cr_assert_eq(constel_add_sat(tle, name, &el), 0);
	}
}

static const struct walker_shell shells[] = {
	{ .name = "a", .kind = WALKER_DELTA, .planes = 24, .per_plane = 22,
	  .phasing = 5, .alt_km = 550, .incl_deg = 53.0, .raan0_deg = 3 },
	{ .name = "b", .kind = WALKER_DELTA, .planes = 18, .per_plane = 15,
	  .phasing = 4, .alt_km = 480, .incl_deg = 53.0, .raan0_deg = 250 },
	{ .name = "c", .kind = WALKER_DELTA, .planes = 12, .per_plane = 16,
	  .phasing = 1, .alt_km = 570, .incl_deg = 70.0, .raan0_deg = 0 },
	{ .name = "d", .kind = WALKER_DELTA, .planes = 8, .per_plane = 20,
	  .phasing = 3, .alt_km = 560, .incl_deg = 97.6, .raan0_deg = 100 },
	/* F/P = 1/2: the tie goes to the partner ahead, as +Grid */
	{ .name = "e", .kind = WALKER_DELTA, .planes = 6, .per_plane = 10,
	  .phasing = 3, .alt_km = 1100, .incl_deg = 40.0, .raan0_deg = 17 },
};

static void params(struct isl_params *p, unsigned source)
{
	isl_params_default(p);
	p->source = source;
	p->epoch_unix_ns = EPOCH;
}

/*
 * Every shell, plane, ring order and neighbour of Walker shells with
 * F/P <= 1/2 comes back from their element sets, and the links are the
 * +Grid of the same shells; the raising satellites are left out.
 */
Test(tlegrid, walker_shells_recovered)
{
	struct constel tle, ref;
	struct isl_params p;
	struct isl_pair *want, *got;
	size_t nwant, ngot, nref, base = 0;
	struct tlegrid g;

	constel_init(&tle);
	constel_init(&ref);
	for (size_t k = 0; k < ARRAY_SIZE(shells); k++)
		add_shell(&tle, &ref, &shells[k], NULL);
	nref = ref.nsat;
	add_raising(&tle);
	cr_assert_eq(tle.nsat, nref + 6);

	params(&p, ISL_SRC_TLE_GRID);
	cr_assert_eq(isl_tlegrid(&tle, &p, &g), 0);
	cr_assert_eq(g.nshells, ARRAY_SIZE(shells));
	cr_assert_eq(g.nplanes, 24 + 18 + 12 + 8 + 6);
	cr_assert_eq(g.nrest, 6);
	for (size_t i = nref; i < tle.nsat; i++) {
		cr_assert_eq(g.node[i], i);
		cr_assert_eq(g.shell[i], -1, "raising %zu", i);
		cr_assert_eq(g.plane[i], -1);
	}
	/* one recovered shell per Walker shell, one plane per plane */
	for (size_t k = 0; k < ARRAY_SIZE(shells); k++) {
		const struct walker_shell *w = &shells[k];
		int32_t sh = g.shell[base];

		cr_assert_geq(sh, 0);
		cr_assert_eq(g.shell_nplanes[sh], w->planes, "shell %zu", k);
		cr_assert_float_eq(g.shell_incl[sh], w->incl_deg, 0.01);
		for (unsigned q = 0; q < w->planes; q++) {
			size_t first = base + (size_t)q * w->per_plane;
			int32_t pl = g.plane[first];
			uint32_t o = g.plane_off[pl];

			cr_assert_eq(g.plane_off[pl + 1] - o, w->per_plane);
			cr_assert_eq(g.plane_shell[pl], (uint32_t)sh);
			/* the ring in order of u is the slot order */
			for (unsigned s = 0; s < w->per_plane; s++) {
				cr_assert_eq(g.shell[first + s], sh);
				cr_assert_eq(g.plane[first + s], pl);
			}
			for (unsigned s = 0; s < w->per_plane; s++) {
				uint32_t a = g.member[o + s];
				uint32_t b = g.member[o + (s + 1) %
							w->per_plane];

				cr_assert_eq((b - first) % w->per_plane,
					     ((a - first) + 1) % w->per_plane,
					     "plane %u of shell %zu", q, k);
			}
		}
		base += (size_t)w->planes * w->per_plane;
	}
	tlegrid_free(&g);

	params(&p, ISL_SRC_GRID);
	cr_assert_eq(isl_fixed_build(&ref, &p, &want, &nwant), 0);
	params(&p, ISL_SRC_TLE_GRID);
	cr_assert_eq(isl_fixed_build(&tle, &p, &got, &ngot), 0);
	cr_assert_eq(ngot, nwant);
	for (size_t k = 0; k < nwant; k++) {
		cr_assert_eq(got[k].a, want[k].a, "link %zu", k);
		cr_assert_eq(got[k].b, want[k].b, "link %zu", k);
	}
	free(want);
	free(got);
	constel_free(&tle);
	constel_free(&ref);
}

/*
 * Starlink's first shell, 72/22/39: F/P > 1/2, so the satellite of the
 * next plane nearest in argument of latitude is slot s - 1 (and the wrap
 * goes to slot s + F - 1 of plane 0), not +Grid's slot s.
 */
Test(tlegrid, phasing_past_half)
{
	const struct walker_shell w = {
		.name = "s", .kind = WALKER_DELTA, .planes = 72,
		.per_plane = 22, .phasing = 39, .alt_km = 550,
		.incl_deg = 53.0,
	};
	size_t P = w.planes, S = w.per_plane, nwant = 0, ngot;
	struct isl_pair *want = calloc(2 * P * S, sizeof(*want)), *got;
	struct constel tle;
	struct isl_params p;

	constel_init(&tle);
	add_shell(&tle, NULL, &w, NULL);
	for (size_t q = 0; q < P; q++) {
		for (size_t s = 0; s < S; s++) {
			uint32_t i = (uint32_t)(q * S + s), j;

			j = (uint32_t)(q * S + (s + 1) % S);
			want[nwant++] = (struct isl_pair){ i < j ? i : j,
							   i < j ? j : i };
			if (q + 1 < P)
				j = (uint32_t)((q + 1) * S + (s + S - 1) % S);
			else
				j = (uint32_t)((s + w.phasing - 1) % S);
			want[nwant++] = (struct isl_pair){ i < j ? i : j,
							   i < j ? j : i };
		}
	}
	params(&p, ISL_SRC_TLE_GRID);
	cr_assert_eq(isl_fixed_build(&tle, &p, &got, &ngot), 0);
	cr_assert_eq(ngot, nwant);
	for (size_t k = 0; k < nwant; k++) {
		bool found = false;

		for (size_t m = 0; m < ngot && !found; m++)
			found = got[m].a == want[k].a && got[m].b == want[k].b;
		cr_assert(found, "link %u-%u missing", want[k].a, want[k].b);
	}
	free(want);
	free(got);
	constel_free(&tle);
}

/*
 * Planes of unequal size: a plane missing three satellites keeps its ring
 * and one partner at most per satellite in each adjacent plane (the extra
 * satellites of the full planes get none); a plane of three is left out,
 * and its neighbours link to each other across the gap.
 */
Test(tlegrid, unequal_planes)
{
	const struct walker_shell w = {
		.name = "u", .kind = WALKER_DELTA, .planes = 10,
		.per_plane = 12, .phasing = 1, .alt_km = 600,
		.incl_deg = 60.0,
	};
	uint8_t skip[120] = { 0 };
	unsigned deg[120 + 24] = { 0 };
	struct constel tle;
	struct isl_params p;
	struct tlegrid g;
	size_t ncross = 0;

	skip[2 * 12 + 3] = skip[2 * 12 + 4] = skip[2 * 12 + 9] = 1;
	for (unsigned s = 0; s < 9; s++)
		skip[5 * 12 + s] = 1;
	const struct walker_shell small = {
		.name = "v", .kind = WALKER_DELTA, .planes = 4,
		.per_plane = 6, .phasing = 1, .alt_km = 700,
		.incl_deg = 30.0,
	};

	constel_init(&tle);
	add_shell(&tle, NULL, &w, skip);
	cr_assert_eq(tle.nsat, 120 - 12);
	/* a smaller shell, searched after the plane of three is dropped */
	add_shell(&tle, NULL, &small, NULL);
	params(&p, ISL_SRC_TLE_GRID);
	cr_assert_eq(isl_tlegrid(&tle, &p, &g), 0);
	cr_assert_eq(g.nshells, 2);
	cr_assert_eq(g.nplanes, 9 + 4);
	cr_assert_eq(g.nrest, 3);
	for (size_t k = 0; k < g.nlinks; k++) {
		uint32_t a = g.link[2 * k], b = g.link[2 * k + 1];

		if (a >= 108 || b >= 108)
			continue;	/* the small shell */
		cr_assert_neq(g.plane[a], -1);
		cr_assert_neq(g.plane[b], -1);
		deg[a]++;
		deg[b]++;
		if (g.plane[a] != g.plane[b])
			ncross++;
	}
	for (size_t i = 0; i < tle.nsat; i++)
		cr_assert_leq(deg[i], 4, "satellite %zu has %u links", i,
			      deg[i]);
	/* 9 plane pairs; those that touch the short plane have 9 links */
	cr_assert_eq(ncross, 7 * 12 + 2 * 9);
	tlegrid_free(&g);
	constel_free(&tle);
}

/* Links of node i among the step's links. */
static unsigned step_degree(const struct topo_state *st, size_t i)
{
	unsigned d = 0;

	for (size_t k = 0; k < st->links.n; k++)
		d += st->links.v[k].a == i || st->links.v[k].b == i;
	return d;
}

/*
 * The satellites tle-grid leaves out get nearest links when nearest is on
 * (tle-grid-rest = nearest), none without it; the grid satellites keep
 * their four grid links either way.
 */
Test(tlegrid, rest_rule)
{
	struct constel tle;
	struct topo_model m;
	struct topo_state st;
	size_t ngrid;

	constel_init(&tle);
	add_shell(&tle, NULL, &shells[2], NULL);
	ngrid = tle.nsat;
	add_raising(&tle);
	cr_assert_eq(constel_index(&tle), 0);
	for (int near = 0; near < 2; near++) {
		topo_model_init(&m, &tle);
		m.isl.source = ISL_SRC_TLE_GRID | (near ? ISL_SRC_NEAREST : 0);
		m.isl.epoch_unix_ns = EPOCH;
		cr_assert_eq(topo_model_prepare(&m), 0);
		cr_assert_eq(m.nfixed, 2 * ngrid);
		cr_assert_eq(topo_state_init(&st, &m), 0);
		cr_assert_eq(topo_step(&m, NULL, EPOCH, &st), 0);
		for (size_t i = 0; i < ngrid; i += 7)
			cr_assert_eq(step_degree(&st, i), 4, "grid %zu", i);
		for (size_t i = ngrid; i < tle.nsat; i++)
			cr_assert_eq(step_degree(&st, i) > 0, near,
				     "raising %zu, nearest %d", i, near);
		topo_state_free(&st);
		topo_model_free(&m);
	}
	constel_free(&tle);
}

/*
 * A shell deployed in part: 6 planes of 18 (20 degrees apart), 260
 * degrees empty. The spacing comes from the small gaps, not from the
 * number of planes over 360 degrees (which would merge them), and no
 * cross link spans the empty side.
 */
Test(tlegrid, partial_shell)
{
	const struct walker_shell w = {
		.name = "p", .kind = WALKER_DELTA, .planes = 18,
		.per_plane = 10, .phasing = 2, .alt_km = 560,
		.incl_deg = 97.6,
	};
	uint8_t skip[180] = { 0 };
	struct constel tle;
	struct isl_params p;
	struct tlegrid g;
	size_t ncross = 0;

	for (size_t i = 6 * 10; i < 180; i++)
		skip[i] = 1;
	constel_init(&tle);
	add_shell(&tle, NULL, &w, skip);
	params(&p, ISL_SRC_TLE_GRID);
	cr_assert_eq(isl_tlegrid(&tle, &p, &g), 0);
	cr_assert_eq(g.nshells, 1);
	cr_assert_eq(g.nplanes, 6);
	cr_assert_eq(g.nrest, 0);
	for (size_t i = 0; i < tle.nsat; i++)
		cr_assert_eq((size_t)g.plane[i] - (size_t)g.plane[0],
			     i / 10 - 0, "satellite %zu", i);
	for (size_t k = 0; k < g.nlinks; k++) {
		int32_t pa = g.plane[g.link[2 * k]];
		int32_t pb = g.plane[g.link[2 * k + 1]];

		if (pa == pb)
			continue;
		ncross++;
		cr_assert_eq(abs(pa - pb), 1, "link across the empty side");
	}
	cr_assert_eq(ncross, 5 * 10);
	tlegrid_free(&g);
	constel_free(&tle);
}
