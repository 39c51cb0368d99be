// SPDX-License-Identifier: MIT
/* world.c - suite fixtures: load a configuration text, build, prepare */
#include <criterion/criterion.h>
#include <criterion/logging.h>

#include "tests/lib/world.h"

void world_dump(const struct diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		cr_log_info("diag: %s", d->msg[i]);
}

struct config *world_config(const char *text, const char *name, size_t *nmsg)
{
	struct config *c = NULL;
	struct diag d;
	int ret;

	diag_init(&d);
	ret = config_load_string(text, name, &c, &d);
	world_dump(&d);
	cr_assert_eq(ret, 0, "%s: load failed (%d): %s", name, ret,
		     d.n ? d.msg[0] : "no message");
	cr_assert_not_null(c);
	if (nmsg)
		*nmsg = d.n;
	diag_free(&d);
	return c;
}

struct config *world_scenario(const char *text, const char *name,
			      struct scenario *s)
{
	struct config *c = world_config(text, name, NULL);
	struct diag d;
	int ret;

	diag_init(&d);
	ret = scenario_build(s, c, &d);
	world_dump(&d);
	cr_assert_eq(ret, 0, "%s: scenario: %s", name,
		     d.n ? d.msg[0] : "no message");
	diag_free(&d);
	ret = scenario_prepare(s, NULL, 0);
	cr_assert_eq(ret, 0, "%s: prepare: %d", name, ret);
	return c;
}

static const char world_ring_conf[] =
	"[emulation]\n"
	"epoch = 2026-02-23T00:00:00Z\n"
	"step = 100ms\n"
	"[shell w]\n"
	"type = walker-delta\n"
	"planes = 12\n"
	"per-plane = 12\n"
	"phasing = 5\n"
	"altitude = 550km\n"
	"inclination = 53deg\n"
	"[ground london]\n"
	"latitude = 51.5074\n"
	"longitude = -0.1278\n"
	"altitude = 0m\n"
	"[tap]\n"
	"nodes = w-0-0 w-3-4\n";

struct config *world_ring_scenario(struct scenario *s)
{
	struct config *c = world_scenario(world_ring_conf, "geom.conf", s);

	cr_assert_eq(s->constel.n, 145);
	cr_assert_eq(c->step_ns, INT64_C(100000000));
	return c;
}
