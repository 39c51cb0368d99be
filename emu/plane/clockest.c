// SPDX-License-Identifier: MIT
/* clockest.c - clock offset and one-way latency from NTP-style probes (see clockest.h) */
#include "emu/plane/clockest.h"

#include <stdlib.h>
#include <string.h>

void clockest_init(struct clockest *c)
{
	memset(c, 0, sizeof(*c));
}

static int64_t clockest_rtt(const struct clock_probe *p)
{
	return (p->t4 - p->t1) - (p->t3 - p->t2);
}

void clockest_add(struct clockest *c, const struct clock_probe *p)
{
	c->added++;
	/* a reply received before its probe was sent, or answered before
	 * it arrived: a clock stepped meanwhile, or a forged answer */
	if (clockest_rtt(p) < 0 || p->t4 < p->t1 || p->t3 < p->t2) {
		c->refused++;
		return;
	}
	c->p[c->next] = *p;
	c->next = (c->next + 1) % CLOCKEST_WINDOW;
	if (c->n < CLOCKEST_WINDOW)
		c->n++;
}

static int clockest_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

bool clockest_get(const struct clockest *c, struct clockest_result *r)
{
	int64_t rtt[CLOCKEST_WINDOW];
	size_t best = 0;

	memset(r, 0, sizeof(*r));
	if (!c->n)
		return false;
	for (size_t i = 0; i < c->n; i++) {
		rtt[i] = clockest_rtt(&c->p[i]);
		if (rtt[i] < rtt[best])
			best = i;
	}
	const struct clock_probe *p = &c->p[best];

	/* halves of sums of differences: each difference fits in int64 */
	r->offset_ns = ((p->t2 - p->t1) + (p->t3 - p->t4)) / 2;
	r->rtt_ns = rtt[best];
	r->owd_ns = r->rtt_ns / 2;
	r->error_ns = r->owd_ns;
	qsort(rtt, c->n, sizeof(rtt[0]), clockest_cmp);
	r->rtt_median_ns = rtt[c->n / 2];
	r->jitter_ns = (r->rtt_median_ns - r->rtt_ns) / 2;
	r->samples = c->n;
	return true;
}

enum clockest_verdict clockest_rule(int64_t min_cut_delay_ns,
				    const struct clockest_result *r,
				    int64_t margin_ns, int64_t *budget_ns)
{
	int64_t off = llabs(r->offset_ns);
	int64_t late = r->owd_ns + off;
	int64_t needed = late + 4 * r->jitter_ns + margin_ns;

	if (budget_ns)
		*budget_ns = min_cut_delay_ns - needed;
	if (min_cut_delay_ns < late)
		return CLOCKEST_REFUSE;
	if (min_cut_delay_ns < needed)
		return CLOCKEST_WARN;
	return CLOCKEST_OK;
}

const char *clockest_verdict_name(enum clockest_verdict v)
{
	switch (v) {
	case CLOCKEST_OK:
		return "ok";
	case CLOCKEST_WARN:
		return "warn";
	case CLOCKEST_REFUSE:
		return "refuse";
	}
	return "?";
}

static void clockest_put(uint8_t *b, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		b[i] = (uint8_t)v;
}

static uint64_t clockest_take(const uint8_t *b, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 8 | b[i];
	return v;
}

void clockest_encode(const struct clockest_msg *m, uint8_t *buf)
{
	memcpy(buf, "LMCK", 4);
	buf[4] = 1;
	buf[5] = (uint8_t)m->kind;
	clockest_put(buf + 6, m->rank, 2);
	clockest_put(buf + 8, m->seq, 4);
	clockest_put(buf + 12, (uint64_t)m->t1, 8);
	clockest_put(buf + 20, (uint64_t)m->t2, 8);
	clockest_put(buf + 28, (uint64_t)m->t3, 8);
}

bool clockest_decode(const uint8_t *buf, size_t len, struct clockest_msg *m,
		     const char **why)
{
	if (len != CLOCKEST_MSG_LEN) {
		*why = "wrong length";
		return false;
	}
	if (memcmp(buf, "LMCK", 4)) {
		*why = "not a clock probe";
		return false;
	}
	if (buf[4] != 1) {
		*why = "unknown version";
		return false;
	}
	if (buf[5] != CLOCKEST_PROBE && buf[5] != CLOCKEST_ANSWER) {
		*why = "unknown kind";
		return false;
	}
	m->kind = (enum clockest_msg_kind)buf[5];
	m->rank = (uint16_t)clockest_take(buf + 6, 2);
	m->seq = (uint32_t)clockest_take(buf + 8, 4);
	m->t1 = (int64_t)clockest_take(buf + 12, 8);
	m->t2 = (int64_t)clockest_take(buf + 20, 8);
	m->t3 = (int64_t)clockest_take(buf + 28, 8);
	return true;
}
