// SPDX-License-Identifier: MIT
/* test_linktab.c - the link table: adds, finds and removals against a reference */
#include <stdbool.h>
#include <stdint.h>

#include <criterion/criterion.h>

#include "emu/plane/linktab.h"

#define NA 64
#define NB 64

static uint64_t lt_rand(uint64_t *x)
{
	*x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
	return *x >> 33;
}

/* The slot holding a -> b, or cap. */
static size_t lt_slot(const struct linktab *lt, uint32_t a, uint32_t b)
{
	const struct linktab_ent *e = linktab_find(lt, a, b);

	for (size_t i = 0; e && i < lt->cap; i++)
		if (lt->t[i] == e)
			return i;
	return lt->cap;
}

/*
 * 200,000 random adds and removals over 4,096 keys: after each, every key
 * the reference holds is found with its own entry, no other key is, and
 * the count agrees. Removal shifts entries back, so a lookup that stopped
 * at a hole left by a removal would show here.
 */
Test(linktab, random_against_reference)
{
	static bool ref[NA][NB];
	struct linktab lt = { 0 };
	uint64_t x = 42;
	size_t n = 0, peak_cap;

	for (int op = 0; op < 200000; op++) {
		uint32_t a = (uint32_t)(lt_rand(&x) % NA);
		uint32_t b = (uint32_t)(lt_rand(&x) % NB);

		if (!ref[a][b]) {
			struct linktab_ent *e = linktab_add(&lt, a, b);

			cr_assert_not_null(e);
			cr_assert_eq(linktab_a(e), a);
			cr_assert_eq(linktab_b(e), b);
			e->used_ns = (int64_t)(a * NB + b);
			ref[a][b] = true;
			n++;
		} else {
			size_t i = lt_slot(&lt, a, b);

			cr_assert_lt(i, lt.cap);
			linktab_del(&lt, i);
			ref[a][b] = false;
			n--;
		}
		cr_assert_eq(lt.count, n);
		if (op % 1000 == 0) {
			for (uint32_t i = 0; i < NA; i++)
				for (uint32_t j = 0; j < NB; j++) {
					struct linktab_ent *e =
						linktab_find(&lt, i, j);

					cr_assert_eq(e != NULL, ref[i][j],
						     "key %u>%u", i, j);
					if (e)
						cr_assert_eq(e->used_ns,
							     (int64_t)(i * NB + j));
				}
		}
	}
	/* at most half full, and it never needed more than twice the keys */
	peak_cap = lt.cap;
	cr_assert_leq(2 * lt.count, lt.cap);
	cr_assert_leq(peak_cap, 4 * NA * NB);
	linktab_free(&lt);
	cr_assert_eq(lt.count, 0);
	cr_assert_null(linktab_find(&lt, 1, 2));
}
