// SPDX-License-Identifier: MIT
/* fault.c - the state of every failure at one instant, changed one event at a time */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "topo/fault.h"
#include "topo/lib/array.h"
#include "topo/lib/util.h"

static const char *const fault_verb_names[] = {
	[FAULT_DOWN] = "down", [FAULT_UP] = "up", [FAULT_SET] = "set",
};
static const char *const fault_target_names[] = {
	[FAULT_NODE] = "node", [FAULT_LINK] = "link",
	[FAULT_TERMINAL] = "terminal",
};
static const char *const fault_source_names[] = {
	[FAULT_SCHEDULED] = "scheduled", [FAULT_LIVE] = "live",
	[FAULT_RANDOM] = "random", [FAULT_FLAP] = "flap",
	[FAULT_ECLIPSE] = "eclipse",
};

const char *fault_verb_name(enum fault_verb v)
{
	return (size_t)v < ARRAY_SIZE(fault_verb_names) ? fault_verb_names[v]
							 : "?";
}

const char *fault_target_name(enum fault_target t)
{
	return (size_t)t < ARRAY_SIZE(fault_target_names) ?
		       fault_target_names[t] : "?";
}

const char *fault_source_name(enum fault_source s)
{
	return (size_t)s < ARRAY_SIZE(fault_source_names) ?
		       fault_source_names[s] : "?";
}

int fault_state_init(struct fault_state *fs, size_t n, size_t nsat)
{
	memset(fs, 0, sizeof(*fs));
	fs->n = n;
	fs->nsat = nsat;
	fs->node = calloc(n ? n : 1, 1);
	fs->freeze = calloc(n ? n : 1, 1);
	fs->term_lost = calloc(nsat ? nsat : 1, sizeof(*fs->term_lost));
	if (!fs->node || !fs->freeze || !fs->term_lost) {
		fault_state_free(fs);
		return -ENOMEM;
	}
	return 0;
}

void fault_state_free(struct fault_state *fs)
{
	if (!fs)
		return;
	free(fs->node);
	free(fs->freeze);
	free(fs->term_lost);
	free(fs->links);
	memset(fs, 0, sizeof(*fs));
}

int fault_state_copy(struct fault_state *dst, const struct fault_state *src)
{
	if (dst->n != src->n || dst->nsat != src->nsat)
		return -EINVAL;
	if (array_grow((void **)&dst->links, &dst->cap_links, src->nlinks,
		       sizeof(*dst->links), 8) < 0)
		return -ENOMEM;
	memcpy(dst->node, src->node, src->n);
	memcpy(dst->freeze, src->freeze, src->n);
	memcpy(dst->term_lost, src->term_lost,
	       src->nsat * sizeof(*src->term_lost));
	if (src->nlinks)
		memcpy(dst->links, src->links,
		       src->nlinks * sizeof(*src->links));
	dst->nlinks = src->nlinks;
	dst->nodes_down = src->nodes_down;
	dst->sats_term_lost = src->sats_term_lost;
	dst->version = src->version;
	memcpy(dst->count, src->count, sizeof(dst->count));
	return 0;
}

/* Index of the first link not below (a, b), a < b. */
static size_t fault_link_lower(const struct fault_state *fs, uint32_t a,
			       uint32_t b)
{
	size_t lo = 0, hi = fs->nlinks;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct fault_link *l = &fs->links[mid];

		if (l->a < a || (l->a == a && l->b < b))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct fault_link *fault_link_find(const struct fault_state *fs,
					 uint32_t a, uint32_t b)
{
	size_t i;

	if (a > b) {
		uint32_t t = a;

		a = b;
		b = t;
	}
	i = fault_link_lower(fs, a, b);
	if (i < fs->nlinks && fs->links[i].a == a && fs->links[i].b == b)
		return &fs->links[i];
	return NULL;
}

/* The entry of link a-b (a < b), made if missing; NULL when out of memory. */
static struct fault_link *fault_link_get(struct fault_state *fs, uint32_t a,
					 uint32_t b)
{
	size_t i = fault_link_lower(fs, a, b);

	if (i < fs->nlinks && fs->links[i].a == a && fs->links[i].b == b)
		return &fs->links[i];
	if (array_grow((void **)&fs->links, &fs->cap_links, fs->nlinks + 1,
		       sizeof(*fs->links), 8) < 0)
		return NULL;
	memmove(&fs->links[i + 1], &fs->links[i],
		(fs->nlinks - i) * sizeof(*fs->links));
	memset(&fs->links[i], 0, sizeof(fs->links[i]));
	fs->links[i].a = a;
	fs->links[i].b = b;
	fs->nlinks++;
	return &fs->links[i];
}

/* Drop the entry of l when it holds nothing any more. */
static void fault_link_tidy(struct fault_state *fs, struct fault_link *l)
{
	size_t i = (size_t)(l - fs->links);

	if (l->down || l->set.has)
		return;
	memmove(&fs->links[i], &fs->links[i + 1],
		(fs->nlinks - i - 1) * sizeof(*fs->links));
	fs->nlinks--;
}

static uint8_t fault_node_bit(enum fault_source s)
{
	switch (s) {
	case FAULT_RANDOM:
		return FAULT_BY_RANDOM;
	case FAULT_ECLIPSE:
		return FAULT_BY_ECLIPSE;
	default:
		return FAULT_BY_EVENT;
	}
}

static int fault_apply_node(struct fault_state *fs,
			    const struct fault_event *ev)
{
	uint8_t bit = fault_node_bit(ev->source), old = fs->node[ev->a];
	uint8_t frz = fs->freeze[ev->a];

	if (ev->verb == FAULT_SET)
		return -EINVAL;
	if (ev->verb == FAULT_DOWN) {
		fs->node[ev->a] |= bit;
		if (bit == FAULT_BY_EVENT && ev->freeze)
			fs->freeze[ev->a] = 1;
	} else {
		fs->node[ev->a] &= (uint8_t)~bit;
		if (bit == FAULT_BY_EVENT)
			fs->freeze[ev->a] = 0;
	}
	if (!old != !fs->node[ev->a])
		fs->nodes_down += fs->node[ev->a] ? 1 : (size_t)-1;
	return old != fs->node[ev->a] || frz != fs->freeze[ev->a];
}

/* Merge the parameters of a `set` into what the link had. */
static void fault_set_merge(struct fault_linkset *to,
			    const struct fault_linkset *from)
{
	if (from->has & FAULT_SET_LOSS)
		to->loss = from->loss;
	if (from->has & FAULT_SET_RATE)
		to->rate_bps = from->rate_bps;
	if (from->has & FAULT_SET_DELAY)
		to->delay_ns = from->delay_ns;
	to->has |= from->has;
}

static int fault_apply_link(struct fault_state *fs,
			    const struct fault_event *ev)
{
	uint32_t a = ev->a < ev->b ? ev->a : ev->b;
	uint32_t b = ev->a < ev->b ? ev->b : ev->a;
	uint8_t bit = ev->source == FAULT_FLAP ? FAULT_LINK_BY_FLAP
					       : FAULT_LINK_BY_EVENT;
	struct fault_link *l, old;

	if (a == b || b >= fs->n)
		return -EINVAL;
	if (ev->verb == FAULT_SET &&
	    ((ev->set.has & FAULT_SET_LOSS) &&
	     !(ev->set.loss >= 0.0 && ev->set.loss <= 1.0)))
		return -EINVAL;
	if (ev->verb == FAULT_SET && (ev->set.has & FAULT_SET_DELAY) &&
	    ev->set.delay_ns < 0)
		return -EINVAL;
	l = fault_link_get(fs, a, b);
	if (!l)
		return -ENOMEM;
	old = *l;
	switch (ev->verb) {
	case FAULT_DOWN:
		l->down |= bit;
		break;
	case FAULT_UP:
		l->down &= (uint8_t)~bit;
		break;
	default:
		fault_set_merge(&l->set, &ev->set);
		break;
	}
	if (memcmp(&old, l, sizeof(old)) == 0) {
		fault_link_tidy(fs, l);
		return 0;
	}
	fault_link_tidy(fs, l);
	return 1;
}

static int fault_apply_terminal(struct fault_state *fs,
				const struct fault_event *ev)
{
	uint64_t old, bit;

	if (ev->a >= fs->nsat || ev->b > FAULT_TERMINAL_MAX ||
	    ev->verb == FAULT_SET)
		return -EINVAL;
	old = fs->term_lost[ev->a];
	bit = UINT64_C(1) << ev->b;
	if (ev->verb == FAULT_DOWN)
		fs->term_lost[ev->a] |= bit;
	else
		fs->term_lost[ev->a] &= ~bit;
	if (!old != !fs->term_lost[ev->a])
		fs->sats_term_lost += old ? (size_t)-1 : 1;
	return old != fs->term_lost[ev->a];
}

int fault_apply(struct fault_state *fs, const struct fault_event *ev)
{
	int ret;

	if (ev->a >= fs->n || ev->verb > FAULT_SET ||
	    ev->source >= FAULT_NSOURCE)
		return -EINVAL;
	switch (ev->target) {
	case FAULT_NODE:
		ret = fault_apply_node(fs, ev);
		break;
	case FAULT_LINK:
		ret = fault_apply_link(fs, ev);
		break;
	case FAULT_TERMINAL:
		ret = fault_apply_terminal(fs, ev);
		break;
	default:
		return -EINVAL;
	}
	if (ret < 0)
		return ret;
	fs->count[ev->source][ev->verb]++;
	if (ret > 0)
		fs->version++;
	return ret;
}
