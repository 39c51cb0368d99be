// SPDX-License-Identifier: MIT
/* bench_names.c - naming TLE satellites that share one name (issue 7, point 1) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "topo/constel.h"
#include "topo/lib/diag.h"
#include "topo/tle.h"

/*
 * usage: bench_names [COUNT]
 * Builds a TLE text of COUNT (default 100,000) copies of one element set,
 * all named STARLINK-1008, parses it and adds every set to a node list, as
 * a [tle] section does. Before the fix each clash searched from -2 up, so
 * the time grew with COUNT squared (30,000 sets took 49 s); now it is
 * linear. Prints the time of the parse and of the naming.
 */
static const char set[] =
	"STARLINK-1008\n"
	"1 44714U 19074B   26053.95338319  .00001514  00000+0  61711-4 0  9998\n"
	"2 44714  53.1565 247.2957 0001251  94.4223 265.6921 15.31035506346616\n";

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	size_t count = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	size_t len = count * (sizeof(set) - 1);
	struct tle_set s = { 0 };
	struct constel c;
	double t0, t1, t2;
	struct diag d;
	char *text;
	int ret = 0;

	text = malloc(len + 1);
	if (!text)
		return 1;
	for (size_t i = 0; i < count; i++)
		memcpy(text + i * (sizeof(set) - 1), set, sizeof(set) - 1);
	text[len] = '\0';
	diag_init(&d);
	constel_init(&c);
	t0 = now_s();
	if (tle_parse(text, len, "dup.tle", &s, &d) < 0 || s.n != count) {
		fprintf(stderr, "bench_names: parse failed\n");
		ret = 1;
		goto out;
	}
	t1 = now_s();
	for (size_t i = 0; i < s.n && !ret; i++)
		ret = constel_add_sat(&c, s.v[i].name, &s.v[i].el) != 0;
	t2 = now_s();
	if (ret || constel_index(&c) < 0) {
		fprintf(stderr, "bench_names: adding failed\n");
		ret = 1;
		goto out;
	}
	printf("duplicate TLE names: %zu sets, parse %.3f s, name and add "
	       "%.3f s (last: %s)\n", count, t1 - t0, t2 - t1,
	       c.node[c.n - 1].name);
out:
	constel_free(&c);
	tle_set_free(&s);
	diag_free(&d);
	free(text);
	return ret;
}
