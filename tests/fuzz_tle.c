// SPDX-License-Identifier: MIT
/* fuzz_tle.c - libFuzzer target: tle_parse on arbitrary text, then SGP4 */
#include <stddef.h>
#include <stdint.h>

#include "topo/lib/diag.h"
#include "topo/sgp4.h"
#include "topo/tle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Whatever the bytes, tle_parse must neither crash nor read outside them
 * (the input is not NUL-terminated), and whatever it accepts SGP4 must
 * initialise and propagate without trouble for the sanitizers.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tle_set s = {0};
	struct diag d;

	diag_init(&d);
	if (tle_parse((const char *)data, size, "fuzz.tle", &s, &d) == 0) {
		for (size_t i = 0; i < s.n && i < 8; i++) {
			struct sgp4_sat sat;
			struct vec3 r, v;

			if (sgp4_init(&sat, &s.v[i].el, 'i') == SGP4_OK)
				sgp4_propagate(&sat, 1440.0, &r, &v);
		}
	}
	tle_set_free(&s);
	diag_free(&d);
	return 0;
}
