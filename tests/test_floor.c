// SPDX-License-Identifier: MIT
/* test_floor.c - the run banner's floor: Suncatcher's hops are below it, the default shell's are not */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "emu/run/floor.h"
#include "tap/file.h"
#include "tests/lib/world.h"

/*
 * Check the configuration text at its epoch as the banner does; the
 * banner's lines in *text (free it), their number returned.
 */
static int floor_of(const char *conf, const char *name,
		    struct floor_check *fc, char **text)
{
	struct scenario s;
	struct topo_state st;
	struct config *c;
	size_t len = 0;
	FILE *f;
	int n;

	memset(&s, 0, sizeof(s));
	c = world_scenario(conf, name, &s);
	cr_assert_eq(topo_state_init(&st, &s.model), 0);
	cr_assert_eq(topo_step(&s.model, NULL, s.epoch_unix_ns, &st), 0);
	floor_check(&s, &st, fc);
	f = open_memstream(text, &len);
	cr_assert_not_null(f);
	n = floor_print(f, &s.constel, fc);
	fclose(f);
	cr_log_info("%s: shortest link %.1f ns, fastest %.0f Gbit/s:\n%s",
		    name, fc->hop_ns, (double)fc->rate_bps / 1e9, *text);
	topo_state_free(&st);
	scenario_free(&s);
	config_free(c);
	return n;
}

Test(floor, suncatcher_is_below_the_floor)
{
	struct floor_check fc;
	char *conf = NULL, *text = NULL;
	size_t len;

	cr_assert_eq(file_read_all("docs/examples/suncatcher.conf", 1 << 20,
				   0, &conf, &len), 0);
	cr_assert_eq(floor_of(conf, "suncatcher.conf", &fc, &text), 2);
	/* 150 m: 0.50 us, against about 3 us a hop; 800 against 12 Gbit/s */
	cr_assert(fc.hop && fc.rate);
	cr_assert_float_eq(fc.hop_ns, 500.3, 0.5);
	cr_assert_eq(fc.rate_bps, UINT64_C(800000000000));
	cr_assert_not_null(strstr(text, "floor: links as short as 0.50 us"),
			   "%s", text);
	cr_assert_not_null(strstr(text, "floor: links of 800 Gbit/s"), "%s",
			   text);
	free(text);
	free(conf);
}

Test(floor, the_default_shell_is_not)
{
	struct floor_check fc;
	char *text = NULL;

	cr_assert_eq(floor_of(config_default_text, "default", &fc, &text), 0);
	cr_assert(!fc.hop && !fc.rate);
	cr_assert_gt(fc.hop_ns, (double)FLOOR_HOP_NS);
	cr_assert_eq(fc.rate_bps, UINT64_C(10000000000));
	cr_assert_str_eq(text, "");
	free(text);
}
