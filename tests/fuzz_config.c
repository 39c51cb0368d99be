// SPDX-License-Identifier: MIT
/* fuzz_config.c - libFuzzer target: any text into config_load_string */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "emu/conf/config.h"

/*
 * Seed corpus: tests/data/conf/. The text is loaded under a name in that
 * directory, so the CSV, pair and TLE files there can be reached by
 * relative paths. Besides crashes and sanitizer reports, a load that
 * succeeds must hold what the reader promises (checked below), and one
 * that fails must have said why.
 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_check(const struct config *c)
{
	if (!c->nshells && !c->ntles)
		abort();
	if (c->step_ns <= 0 || !(c->time_scale > 0) || c->mtu < 576 ||
	    c->mtu > 65535 || c->duration_ns < 0)
		abort();
	for (size_t i = 0; i < c->nshells; i++) {
		const struct walker_shell *w = &c->shells[i].w;
		const char *why;

		if (!w->planes || !w->per_plane || w->phasing >= w->planes ||
		    !config_name_ok(w->name, &why) || !isfinite(w->alt_km) ||
		    w->incl_deg < 0 || w->incl_deg > 180 ||
		    w->extra_phase < 0 || w->extra_phase >= 1)
			abort();
	}
	for (size_t i = 0; i < c->ngrounds; i++) {
		const struct config_ground *g = &c->grounds[i];
		const char *why;

		if (!config_name_ok(g->name, &why) || g->lat_deg < -90 ||
		    g->lat_deg > 90 || g->lon_deg < -180 || g->lon_deg > 180 ||
		    !g->file || !g->line)
			abort();
		for (size_t j = 0; j < i; j++)
			if (!strcmp(c->grounds[j].name, g->name))
				abort();
	}
	for (size_t i = 0; i < c->ntaps; i++)
		if (!c->taps[i].pattern || !*c->taps[i].pattern)
			abort();
	if (!!(c->isl.source & ISL_SRC_PAIRS) != (c->isl.pairs_file != NULL))
		abort();
	for (size_t i = 0; i < c->isl.npairs; i++)
		if (!strcmp(c->isl.pairs[i].a, c->isl.pairs[i].b))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config *c = NULL;
	struct diag d;
	char *text;
	int ret;

	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	diag_init(&d);
	ret = config_load_string(text, "tests/data/conf/fuzz.conf", &c, &d);
	if (ret == 0)
		fuzz_check(c);
	else if (ret == -EINVAL && (d.errors == 0 || c))
		abort();
	config_free(c);
	diag_free(&d);
	free(text);
	return 0;
}
