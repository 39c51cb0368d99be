// SPDX-License-Identifier: MIT
/* events.c - the events file and ctl's commands read into fault events */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu/conf/events.h"
#include "emu/conf/units.h"
#include "tap/file.h"
#include "topo/lib/array.h"
#include "topo/lib/lines.h"
#include "topo/lib/util.h"
#include "topo/utc.h"

/*
 * A line is cut into words at spaces and tabs by one tokeniser, shared by
 * the file (whose first word is the time) and ctl's commands (which have
 * none). The longest event, `set link A B loss X rate Y delay Z`, has 10
 * words (EVENTS_WORDS_EVENT); more than EVENTS_WORDS_MAX are counted,
 * not kept.
 */
#define EVENTS_WORDS_MAX 16
#define EVENTS_WORDS_EVENT 10
/* Bytes of a value quoted in a message: a 1 MB word is not printed whole. */
#define EVENTS_QUOTE_MAX 64
#define EVENTS_WHY_MAX 320

struct events_words {
	char *w[EVENTS_WORDS_MAX];
	size_t n;		/* words found, may exceed EVENTS_WORDS_MAX */
};

/* The words of the grammar; the index is the enum's value. */
static const char *const events_verbs[] = {
	[FAULT_DOWN] = "down",
	[FAULT_UP] = "up",
	[FAULT_SET] = "set",
};

static const char *const events_targets[] = {
	[FAULT_NODE] = "node",
	[FAULT_LINK] = "link",
	[FAULT_TERMINAL] = "terminal",
};

/* "ground" is a node that must be a ground station. */
enum { EVENTS_GROUND = FAULT_TERMINAL + 1 };

/* Split s in place at spaces and tabs into w. */
static void events_split(char *s, struct events_words *w)
{
	w->n = 0;
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			return;
		if (w->n < EVENTS_WORDS_MAX)
			w->w[w->n] = s;
		w->n++;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		if (!*s)
			return;
		*s++ = '\0';
	}
}

/*
 * Write `what "value" why...` into why (what may be empty: `"value"
 * why...`). The value is cut to EVENTS_QUOTE_MAX bytes ("..." then says
 * so) and its control characters are written \xNN, so that the text is
 * safe for a terminal whoever prints it. Returns -EINVAL.
 */
static int events_bad(char *why, size_t len, const char *what,
		      const char *val, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int events_bad(char *why, size_t len, const char *what,
		      const char *val, const char *fmt, ...)
{
	char q[EVENTS_QUOTE_MAX * 4 + 4], *o = q;
	size_t i;
	va_list ap;
	int n;

	for (i = 0; val[i] && i < EVENTS_QUOTE_MAX; i++) {
		unsigned char ch = (unsigned char)val[i];

		if (ch < 0x20 || ch == 0x7f)
			o += sprintf(o, "\\x%02x", ch);
		else
			*o++ = (char)ch;
	}
	strcpy(o, val[i] ? "..." : "");
	n = snprintf(why, len, "%s%s\"%s\" ", what, *what ? " " : "", q);
	if (n < 0 || (size_t)n >= len)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(why + n, len - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Index of s in the table of n words, or -1. */
static int events_word(const char *s, const char *const *tab, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (tab[i] && !strcmp(s, tab[i]))
			return (int)i;
	return -1;
}

/*
 * Resolve a node name: what is "node", "ground station" or "satellite",
 * and the last two also want that kind of node.
 */
static int events_node(const struct constel *c, const char *name,
		       const char *what, enum constel_kind want, bool any,
		       uint32_t *idx, char *why, size_t len)
{
	long i = constel_find(c, name);

	if (i < 0)
		return events_bad(why, len, what, name, "does not exist");
	if (!any && c->node[i].kind != want)
		return events_bad(why, len, what, name, "is a %s",
				  c->node[i].kind == CONSTEL_SAT ?
					  "satellite" : "ground station");
	*idx = (uint32_t)i;
	return 0;
}

/* The words after `set link A B`: PARAM VALUE pairs. */
static int events_linkset(char **w, size_t n, struct fault_linkset *set,
			  char *why, size_t len)
{
	static const struct {
		const char *name;
		unsigned bit;
	} params[] = {
		{ "loss", FAULT_SET_LOSS },
		{ "rate", FAULT_SET_RATE },
		{ "delay", FAULT_SET_DELAY },
	};
	const char *r = NULL;

	if (!n)
		return events_bad(why, len, "", "set link",
				  "needs loss, rate or delay");
	for (size_t i = 0; i < n; i += 2) {
		const char *v;
		size_t p = 0;
		bool ok;

		while (p < ARRAY_SIZE(params) && strcmp(w[i], params[p].name))
			p++;
		if (p == ARRAY_SIZE(params))
			return events_bad(why, len, "parameter", w[i],
					  "is not loss, rate or delay");
		if (i + 1 == n)
			return events_bad(why, len, "", w[i],
					  "needs a value");
		if (set->has & params[p].bit)
			return events_bad(why, len, "parameter", w[i],
					  "is given twice");
		v = w[i + 1];
		if (params[p].bit == FAULT_SET_LOSS) {
			ok = units_parse_percent(v, &set->loss, &r);
		} else if (params[p].bit == FAULT_SET_RATE) {
			ok = units_parse_rate(v, &set->rate_bps, &r);
		} else {
			ok = units_parse_time(v + (*v == '+'), &set->delay_ns,
					      &r);
		}
		if (!ok)
			return events_bad(why, len, params[p].name, v, "%s", r);
		set->has |= params[p].bit;
	}
	return 0;
}

/*
 * One event from its words without the time (w[0] is the verb) into ev;
 * 0 or -EINVAL with the reason in why.
 */
static int events_parse_words(char **w, size_t n, const struct constel *c,
			      struct fault_event *ev, char *why, size_t len)
{
	size_t na = n > 2 ? n - 2 : 0, need;
	char **a = w + 2;
	uint64_t term;
	int verb, tgt, ret;

	memset(ev, 0, sizeof(*ev));
	verb = events_word(w[0], events_verbs, ARRAY_SIZE(events_verbs));
	if (verb < 0)
		return events_bad(why, len, "verb", w[0],
				  "is not down, up or set");
	if (n > EVENTS_WORDS_EVENT)
		return events_bad(why, len, "", w[0],
				  "has %zu words (an event has at most %d)", n,
				  EVENTS_WORDS_EVENT);
	if (n < 2 && verb == FAULT_SET)
		return events_bad(why, len, "", w[0], "needs a link");
	if (n < 2)
		return events_bad(why, len, "", w[0],
				  "needs node, ground, link or terminal");
	if (!strcmp(w[1], "ground"))
		tgt = EVENTS_GROUND;
	else
		tgt = events_word(w[1], events_targets,
				  ARRAY_SIZE(events_targets));
	if (tgt < 0)
		return events_bad(why, len, "target", w[1],
				  "is not node, ground, link or terminal");
	if (verb == FAULT_SET && tgt != FAULT_LINK)
		return events_bad(why, len, "", w[0], "needs a link");
	ev->verb = (uint8_t)verb;
	ev->target = tgt == EVENTS_GROUND ? FAULT_NODE : (uint8_t)tgt;

	switch (tgt) {
	case FAULT_NODE:
	case EVENTS_GROUND:
		if (!na)
			return events_bad(why, len, "", w[1], "needs a %s name",
					  tgt == FAULT_NODE ? "node" :
							      "ground station");
		if (tgt == FAULT_NODE)
			ret = events_node(c, a[0], "node", CONSTEL_SAT, true,
					  &ev->a, why, len);
		else
			ret = events_node(c, a[0], "ground station",
					  CONSTEL_GROUND, false, &ev->a, why,
					  len);
		if (ret)
			return ret;
		need = 1;
		if (na > 1 && !strcmp(a[1], "freeze")) {
			if (verb != FAULT_DOWN)
				return events_bad(why, len, "", a[1],
						  "is only for down");
			ev->freeze = true;
			need = 2;
		}
		break;
	case FAULT_LINK:
		if (na < 2)
			return events_bad(why, len, "", w[1],
					  "needs two node names");
		ret = events_node(c, a[0], "node", CONSTEL_SAT, true, &ev->a,
				  why, len);
		if (!ret)
			ret = events_node(c, a[1], "node", CONSTEL_SAT, true,
					  &ev->b, why, len);
		if (ret)
			return ret;
		if (ev->a == ev->b)
			return events_bad(why, len, "node", a[1],
					  "is linked to itself");
		if (verb == FAULT_SET)
			return events_linkset(a + 2, na - 2, &ev->set, why,
					      len);
		need = 2;
		break;
	default: /* FAULT_TERMINAL */
		if (na < 2)
			return events_bad(why, len, "", w[1],
					  "needs a satellite and a number");
		ret = events_node(c, a[0], "satellite", CONSTEL_SAT, false,
				  &ev->a, why, len);
		if (ret)
			return ret;
		if (!units_parse_u64(a[1], &term, NULL) ||
		    term > FAULT_TERMINAL_MAX)
			return events_bad(why, len, "terminal", a[1],
					  "is not 0 to %d",
					  FAULT_TERMINAL_MAX);
		ev->b = (uint32_t)term;
		need = 2;
		break;
	}
	if (na > need)
		return events_bad(why, len, "extra word", a[need],
				  "after %s %s", w[0], w[1]);
	return 0;
}

int events_parse_command(const char *line, const struct constel *c,
			 struct fault_event *ev, char *why, size_t whylen)
{
	struct events_words w;
	char *buf;
	int ret;

	if (!whylen)
		return -EINVAL;
	buf = strdup(line);
	if (!buf) {
		snprintf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	events_split(buf, &w);
	if (!w.n) {
		snprintf(why, whylen, "the command is empty (down, up or set)");
		ret = -EINVAL;
	} else {
		ret = events_parse_words(w.w, w.n, c, ev, why, whylen);
	}
	if (!ret)
		ev->source = FAULT_LIVE;
	free(buf);
	return ret;
}

/* Does s start as an ISO-8601 date (YYYY-)? */
static bool events_iso(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return s[4] == '-';
}

/*
 * The time of an event: an offset after the epoch (a time with its unit,
 * or bare seconds) or an ISO-8601 UTC time not before the epoch.
 */
static int events_time(const char *s, int64_t epoch_ns, int64_t *t,
		       char *why, size_t len)
{
	const char *r = NULL;
	char buf[48];
	int64_t v;

	if (events_iso(s)) {
		if (!utc_parse(s, &v, &r))
			return events_bad(why, len, "time", s, "%s", r);
		if (v < epoch_ns) {
			utc_format_iso8601(epoch_ns, 0, buf, sizeof(buf));
			return events_bad(why, len, "time", s,
					  "is before the epoch (%s)", buf);
		}
		*t = v;
		return 0;
	}
	if (!units_parse_time_arg(s, &v, &r))
		return events_bad(why, len, "time", s, "%s", r);
	if (epoch_ns > 0 && v > INT64_MAX - epoch_ns)
		return events_bad(why, len, "time", s,
				  "is too late (after 2262-04-11T23:47:16Z)");
	*t = epoch_ns + v;
	return 0;
}

/* One line with its comment cut: 0, -EINVAL (reported) or -ENOMEM. */
static int events_line(const struct line *ln, const char *name,
		       const struct constel *c, int64_t epoch_ns,
		       struct events *out, struct diag *d)
{
	char why[EVENTS_WHY_MAX], *buf = strndup(ln->s, ln->n);
	struct events_words w;
	struct fault_event ev;
	int64_t t = 0;
	int bad = 0;

	if (!buf)
		return -ENOMEM;
	events_split(buf, &w);
	if (events_time(w.w[0], epoch_ns, &t, why, sizeof(why))) {
		diag_error(d, name, ln->no, "%s", why);
		bad = -EINVAL;
	}
	if (w.n < 2) {
		events_bad(why, sizeof(why), "", w.w[0],
			   "needs an event after it (down, up or set)");
		diag_error(d, name, ln->no, "%s", why);
		bad = -EINVAL;
	} else if (events_parse_words(w.w + 1, w.n - 1, c, &ev, why,
				      sizeof(why))) {
		diag_error(d, name, ln->no, "%s", why);
		bad = -EINVAL;
	}
	free(buf);
	if (bad)
		return bad;
	if (array_grow((void **)&out->v, &out->cap, out->n + 1,
		       sizeof(*out->v), 64) < 0)
		return -ENOMEM;
	ev.t_ns = t;
	ev.source = FAULT_SCHEDULED;
	ev.line = ln->no;
	out->v[out->n++] = ev;
	return 0;
}

int events_parse_text(const char *text, size_t len, const char *name,
		      const struct constel *c, int64_t epoch_ns,
		      struct events *out, struct diag *d)
{
	bool bad = false;
	struct lines l;
	struct line ln;
	int ret;

	lines_init(&l, text, len);
	while (lines_next(&l, &ln)) {
		if (lines_has_nul(&ln)) {
			diag_error(d, name, ln.no, "line has a NUL byte");
			bad = true;
			continue;
		}
		lines_cut_comment(&ln, LINES_HASH_AFTER_SPACE);
		if (!ln.n)
			continue;
		ret = events_line(&ln, name, c, epoch_ns, out, d);
		if (ret == -ENOMEM)
			return ret;
		if (ret)
			bad = true;
	}
	return bad ? -EINVAL : 0;
}

int events_load_file(const char *path, const struct constel *c,
		     int64_t epoch_ns, struct events *out, struct diag *d)
{
	size_t len;
	char *text;
	int ret;

	ret = file_read_all(path, EVENTS_FILE_MAX, FILE_F_REGULAR, &text,
			    &len);
	if (ret == -ENOMEM)
		return ret;
	if (ret) {
		diag_error(d, path, 0, "%s", file_strerror(ret));
		return -EINVAL;
	}
	ret = events_parse_text(text, len, path, c, epoch_ns, out, d);
	free(text);
	return ret;
}

void events_free(struct events *e)
{
	if (!e)
		return;
	free(e->v);
	memset(e, 0, sizeof(*e));
}

/*
 * Stable sort by time: a bottom-up merge sort through a buffer of the same
 * size, or, without the memory for it, an insertion sort (also stable;
 * quadratic only on a file far out of order).
 */
void events_sort(struct events *e)
{
	struct fault_event *src = e->v, *dst, *tmp;
	size_t n = e->n;

	if (n < 2)
		return;
	dst = malloc(n * sizeof(*dst));
	if (!dst) {
		for (size_t i = 1; i < n; i++) {
			struct fault_event x = src[i];
			size_t j = i;

			for (; j > 0 && src[j - 1].t_ns > x.t_ns; j--)
				src[j] = src[j - 1];
			src[j] = x;
		}
		return;
	}
	for (size_t width = 1; width < n; width *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * width) {
			size_t mid = lo + width < n ? lo + width : n;
			size_t hi = mid + width < n ? mid + width : n;
			size_t i = lo, j = mid, k = lo;

			while (i < mid && j < hi)
				dst[k++] = src[j].t_ns < src[i].t_ns ?
						   src[j++] : src[i++];
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		tmp = src;
		src = dst;
		dst = tmp;
	}
	if (src != e->v) {
		memcpy(e->v, src, n * sizeof(*src));
		dst = src;
	}
	free(dst);
}

/* Append to buf at *off, as snprintf does, never past len. */
static void events_put(char *buf, size_t len, int *off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void events_put(char *buf, size_t len, int *off, const char *fmt, ...)
{
	size_t at = (size_t)*off < len ? (size_t)*off : len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf + at, len - at, fmt, ap);
	va_end(ap);
	if (n > 0)
		*off += n;
}

/* The loss as the shortest percentage that reads back the same. */
static void events_put_loss(char *buf, size_t len, int *off, double loss)
{
	char pct[40];
	double back;

	for (int dec = 0; dec <= 24; dec++) {
		snprintf(pct, sizeof(pct), "%.*f%%", dec, loss * 100);
		if (units_parse_percent(pct, &back, NULL) && back == loss)
			break;
	}
	events_put(buf, len, off, " loss %s", pct);
}

/* A rate or a delay in its largest whole unit (1 GB/s is "8gbit"). */
static void events_put_scaled(char *buf, size_t len, int *off,
			      const char *key, uint64_t v,
			      const char *const units[4], uint64_t step)
{
	size_t u = 0;

	while (u < 3 && v && v % step == 0) {
		v /= step;
		u++;
	}
	events_put(buf, len, off, " %s %s%" PRIu64 "%s", key,
		   !strcmp(key, "delay") ? "+" : "", v, units[u]);
}

int events_format(const struct fault_event *ev, const struct constel *c,
		  char *buf, size_t len)
{
	static const char *const rates[4] = { "bit", "kbit", "mbit", "gbit" };
	static const char *const times[4] = { "ns", "us", "ms", "s" };
	const struct fault_linkset *s = &ev->set;
	int off = 0;

	if (ev->verb >= ARRAY_SIZE(events_verbs) ||
	    ev->target >= ARRAY_SIZE(events_targets) || ev->a >= c->n ||
	    (ev->target == FAULT_LINK && ev->b >= c->n))
		return -EINVAL;
	if (len)
		buf[0] = '\0';
	events_put(buf, len, &off, "%s ", events_verbs[ev->verb]);
	switch (ev->target) {
	case FAULT_NODE:
		events_put(buf, len, &off, "%s %s%s",
			   c->node[ev->a].kind == CONSTEL_GROUND ? "ground" :
								    "node",
			   c->node[ev->a].name,
			   ev->freeze && ev->verb == FAULT_DOWN ? " freeze" :
								  "");
		break;
	case FAULT_LINK:
		events_put(buf, len, &off, "link %s %s", c->node[ev->a].name,
			   c->node[ev->b].name);
		if (ev->verb != FAULT_SET)
			break;
		if (s->has & FAULT_SET_LOSS)
			events_put_loss(buf, len, &off, s->loss);
		if (s->has & FAULT_SET_RATE) {
			if (!s->rate_bps)
				events_put(buf, len, &off, " rate unlimited");
			else
				events_put_scaled(buf, len, &off, "rate",
						  s->rate_bps, rates, 1000);
		}
		if (s->has & FAULT_SET_DELAY)
			events_put_scaled(buf, len, &off, "delay",
					  (uint64_t)s->delay_ns, times, 1000);
		break;
	default: /* FAULT_TERMINAL */
		events_put(buf, len, &off, "terminal %s %" PRIu32,
			   c->node[ev->a].name, ev->b);
		break;
	}
	return off;
}
