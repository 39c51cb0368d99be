// SPDX-License-Identifier: MIT
/* test_geom.c - the geometry thread: steps ahead, wake-ups, its failure */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "emu/conf/config.h"
#include "emu/run/geom.h"
#include "emu/conf/scenario.h"
#include "topo/consts.h"
#include "tests/lib/world.h"

#define MS INT64_C(1000000)
#define S_NS INT64_C(1000000000)
#define WALL0 INT64_C(5000000000)	/* an arbitrary data-plane clock */

struct world {
	struct config *cfg;
	struct scenario s;
	struct geom g;
};

static void world_init(struct world *w, double scale)
{
	int ret;

	memset(w, 0, sizeof(*w));
	w->cfg = world_ring_scenario(&w->s);
	ret = geom_init(&w->g, &w->s.model, w->s.epoch_unix_ns,
			w->s.step_ns, scale, WALL0, NULL);
	cr_assert_eq(ret, 0, "geom_init: %d", ret);
}

static void world_free(struct world *w)
{
	geom_free(&w->g);
	scenario_free(&w->s);
	config_free(w->cfg);
}

static const struct topo_state *step_state(const struct geom *g, int64_t k)
{
	return ring_state(&g->ring, k);
}

static void wait_ready(struct geom *g, int64_t want)
{
	for (int i = 0; i < 20000 && ring_ready(&g->ring) < want; i++)
		usleep(500);
	cr_assert_geq(ring_ready(&g->ring), want,
		      "ready stayed at %lld, want %lld",
		      (long long)ring_ready(&g->ring), (long long)want);
}

Test(geom, advance_only_when_ready_and_due)
{
	struct world w;
	int64_t e;

	world_init(&w, 1.0);
	e = w.cfg->epoch_unix_ns;
	/* no thread: step 2 is missing, so step 1 cannot be used */
	cr_assert_eq(geom_advance(&w.g, WALL0), 0);
	cr_assert_eq(geom_advance(&w.g, WALL0 + 150 * MS), 0);
	cr_assert_eq(geom_advance(&w.g, WALL0 + 10 * S_NS), 0);
	cr_assert_eq(ring_cur(&w.g.ring), 0);

	cr_assert_eq(geom_start(&w.g), 0);
	wait_ready(&w.g, 2);
	/* ready but not due yet */
	cr_assert_eq(geom_advance(&w.g, WALL0 + 100 * MS - 1), 0);
	cr_assert_eq(ring_cur(&w.g.ring), 0);
	/* due at the boundary exactly */
	cr_assert_eq(geom_advance(&w.g, WALL0 + 100 * MS), 1);
	cr_assert_eq(ring_cur(&w.g.ring), 1);
	cr_assert_eq(ring_current(&w.g.ring)->unix_ns, e + 100 * MS);
	cr_assert_eq(geom_advance(&w.g, WALL0 + 150 * MS), 0);
	/* far ahead: moves to the last step whose successor is ready */
	wait_ready(&w.g, 3);
	cr_assert_eq(geom_advance(&w.g, WALL0 + 10 * S_NS), 1);
	cr_assert_eq(ring_cur(&w.g.ring), 2);
	cr_assert_eq(ring_current(&w.g.ring)->unix_ns, e + 200 * MS);
	wait_ready(&w.g, 4);
	cr_assert_eq(geom_advance(&w.g, WALL0 + 10 * S_NS), 1);
	cr_assert_eq(ring_current(&w.g.ring)->unix_ns, e + 300 * MS);
	/* the states in the ring are the steps they claim to be */
	for (int64_t k = 3; k <= 4; k++)
		cr_assert_eq(step_state(&w.g, k)->unix_ns, e + k * 100 * MS);
	cr_assert_eq(geom_failed(&w.g, NULL), 0);
	world_free(&w);
}

/* The thread computes exactly two steps beyond cur, signals, and stops. */
Test(geom, thread_computes_ahead_and_stops)
{
	struct world w;
	struct pollfd pfd;
	uint64_t cnt = 0;
	int64_t e;

	world_init(&w, 1.0);
	e = w.cfg->epoch_unix_ns;
	cr_assert_eq(geom_start(&w.g), 0);
	cr_assert(w.g.running);
	wait_ready(&w.g, 2);
	/* it must not run further ahead than cur + 2 (the ring's limit) */
	usleep(50000);
	cr_assert_eq(ring_ready(&w.g.ring), 2);
	cr_assert_eq(step_state(&w.g, 2)->unix_ns, e + 200 * MS);
	cr_assert(step_state(&w.g, 2)->stepped);
	/* the eventfd said so */
	pfd.fd = w.g.notify_fd;
	pfd.events = POLLIN;
	cr_assert_eq(poll(&pfd, 1, 1000), 1);
	cr_assert_eq(read(w.g.notify_fd, &cnt, sizeof(cnt)), sizeof(cnt));
	cr_assert_eq(cnt, 1);
	cr_assert_gt(w.g.step_ms_last, 0.0);

	/* each advance lets it compute one more */
	for (int64_t k = 1; k <= 6; k++) {
		cr_assert_eq(geom_advance(&w.g, WALL0 + k * 100 * MS), 1);
		wait_ready(&w.g, k + 2);
		usleep(2000);
		cr_assert_eq(ring_ready(&w.g.ring), k + 2);
		/* the step after cur, used for interpolation, is intact */
		cr_assert_eq(step_state(&w.g, k + 1)->unix_ns,
			     e + (k + 1) * 100 * MS);
	}
	geom_free(&w.g);
	cr_assert_null(w.g.ring.model);
	cr_assert(!w.g.running);
	cr_assert_eq(w.g.notify_fd, -1);
	/* a second free is harmless */
	geom_free(&w.g);
	scenario_free(&w.s);
	config_free(w.cfg);
}

Test(geom, free_without_start)
{
	struct world w;
	struct geom zero;

	world_init(&w, 1.0);
	world_free(&w);
	memset(&zero, 0, sizeof(zero));
	geom_free(&zero);
}

/*
 * A step that fails ends the thread with its error and the step, and the
 * eventfd wakes the data plane to see it: the ring never silently stays
 * on the last good step.
 */
Test(geom, failure_wakes_the_data_plane)
{
	struct world w;
	struct pollfd pfd;
	uint64_t cnt = 0;
	int64_t step = -1;

	world_init(&w, 1.0);
	w.g.fail_step = 3;
	cr_assert_eq(geom_start(&w.g), 0);
	wait_ready(&w.g, 2);
	cr_assert_eq(geom_failed(&w.g, &step), 0);
	cr_assert_eq(step, -1);
	pfd.fd = w.g.notify_fd;
	pfd.events = POLLIN;
	cr_assert_eq(poll(&pfd, 1, 1000), 1);
	cr_assert_eq(read(w.g.notify_fd, &cnt, sizeof(cnt)), sizeof(cnt));
	/* step 3 is due once the data plane uses step 1 */
	cr_assert_eq(geom_advance(&w.g, WALL0 + 100 * MS), 1);
	cr_assert_eq(poll(&pfd, 1, 5000), 1, "no wake-up after the failure");
	for (int i = 0; i < 2000 && !geom_failed(&w.g, NULL); i++)
		usleep(500);
	cr_assert_eq(geom_failed(&w.g, &step), -EIO);
	cr_assert_eq(step, 3);
	cr_assert_eq(ring_ready(&w.g.ring), 2);
	/* the thread has ended: it computes nothing more */
	cr_assert_eq(geom_advance(&w.g, WALL0 + 10 * S_NS), 0);
	usleep(20000);
	cr_assert_eq(ring_ready(&w.g.ring), 2);
	world_free(&w);
}
