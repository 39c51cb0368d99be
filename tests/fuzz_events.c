// SPDX-License-Identifier: MIT
/* fuzz_events.c - libFuzzer target: the events file reader, and format back */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "emu/conf/events.h"
#include "topo/constel.h"
#include "topo/lib/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The node list of tests/data/events/: shell s1 (2 x 3) and london. */
static const struct constel *fuzz_constel(void)
{
	static struct constel c;
	static bool ready;
	struct walker_shell w = {
		.name = "s1", .kind = WALKER_DELTA, .planes = 2,
		.per_plane = 3, .phasing = 1, .alt_km = 550, .incl_deg = 53,
	};

	if (ready)
		return &c;
	constel_init(&c);
	if (constel_add_shell(&c, &w, 0) ||
	    constel_add_ground(&c, "london", 51.5, 0, 0, false) ||
	    constel_index(&c))
		abort();
	ready = true;
	return &c;
}

/*
 * Whatever the bytes, the reader must neither crash nor read outside them
 * (the input is not NUL-terminated), and every event it accepts must be
 * written back as a command that reads to the same event.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct constel *c = fuzz_constel();
	struct events e = { 0 };
	struct diag d;

	diag_init(&d);
	events_parse_text((const char *)data, size, "fuzz.txt", c,
			  INT64_C(1771804800000000000), &e, &d);
	for (size_t i = 0; i < e.n; i++) {
		struct fault_event back;
		char buf[256], why[256];

		if (events_format(&e.v[i], c, buf, sizeof(buf)) <= 0 ||
		    events_parse_command(buf, c, &back, why, sizeof(why)) ||
		    back.verb != e.v[i].verb || back.target != e.v[i].target ||
		    back.a != e.v[i].a || back.b != e.v[i].b ||
		    back.freeze != e.v[i].freeze ||
		    memcmp(&back.set, &e.v[i].set, sizeof(back.set)))
			abort();
	}
	events_sort(&e);
	for (size_t i = 1; i < e.n; i++)
		if (e.v[i - 1].t_ns > e.v[i].t_ns)
			abort();
	events_free(&e);
	diag_free(&d);
	return 0;
}
