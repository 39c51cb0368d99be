// SPDX-License-Identifier: MIT
/* test_events.c - the events file and ctl's commands: every kind and error */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "emu/conf/events.h"
#include "tests/lib/world.h"
#include "topo/utc.h"

/* 2 planes of 3 (s1-0-0 .. s1-1-2), then two ground stations. */
static const char events_conf[] =
	"[emulation]\n"
	"epoch = 2026-02-23T00:00:00Z\n"
	"[shell s1]\n"
	"type = walker-delta\n"
	"planes = 2\n"
	"per-plane = 3\n"
	"phasing = 1\n"
	"altitude = 550km\n"
	"inclination = 53\n"
	"[ground london]\n"
	"latitude = 51.5\n"
	"longitude = 0\n"
	"[ground paris]\n"
	"latitude = 48.9\n"
	"longitude = 2.35\n";

#define EPOCH INT64_C(1771804800000000000) /* 2026-02-23T00:00:00Z */
#define S UTC_NS_PER_S

static struct scenario sc;
static struct config *cfg;
static const struct constel *C;

static void setup(void)
{
	cfg = world_scenario(events_conf, "ev.conf", &sc);
	C = &sc.constel;
	cr_assert_eq(C->n, 8);
}

static void teardown(void)
{
	scenario_free(&sc);
	config_free(cfg);
}

TestSuite(events, .init = setup, .fini = teardown);

static uint32_t idx(const char *name)
{
	long i = constel_find(C, name);

	cr_assert_geq(i, 0, "%s", name);
	return (uint32_t)i;
}

/* Parse text as "ev.txt", expect success and exactly n events. */
static struct events parse_ok(const char *text, size_t n)
{
	struct events e = { 0 };
	struct diag d;
	int ret;

	diag_init(&d);
	ret = events_parse_text(text, strlen(text), "ev.txt", C, EPOCH, &e,
				&d);
	world_dump(&d);
	cr_assert_eq(ret, 0, "ret %d", ret);
	cr_assert_eq(d.n, 0);
	cr_assert_eq(e.n, n, "%zu events, want %zu", e.n, n);
	diag_free(&d);
	return e;
}

/* Parse text, expect -EINVAL with exactly the messages want, in order. */
static void expect(const char *text, size_t len, const char *const *want,
		   size_t n, size_t nevents)
{
	struct events e = { 0 };
	struct diag d;
	int ret;

	diag_init(&d);
	ret = events_parse_text(text, len, "ev.txt", C, EPOCH, &e, &d);
	world_dump(&d);
	cr_assert_eq(ret, -EINVAL, "ret %d", ret);
	for (size_t i = 0; i < n && i < d.n; i++)
		cr_expect_str_eq(d.msg[i], want[i], "message %zu", i);
	cr_assert_eq(d.n, n, "%zu messages, want %zu", d.n, n);
	cr_assert_eq(d.errors, n);
	cr_assert_eq(e.n, nevents, "%zu good events, want %zu", e.n, nevents);
	events_free(&e);
	diag_free(&d);
}

#define EXPECT(text, ...)                                                  \
	do {                                                               \
		const char *const want_[] = { __VA_ARGS__ };               \
		expect(text, strlen(text), want_,                         \
		       sizeof(want_) / sizeof(want_[0]), 0);               \
	} while (0)

/* Every kind of event --------------------------------------------------- */

Test(events, node_down_up_freeze)
{
	struct events e = parse_ok("120s down node s1-1-2\n"
				   "180s up node s1-1-2   # back\n"
				   "130s down node london freeze\n",
				   3);

	cr_assert_eq(e.v[0].t_ns, EPOCH + 120 * S);
	cr_assert_eq(e.v[0].verb, FAULT_DOWN);
	cr_assert_eq(e.v[0].target, FAULT_NODE);
	cr_assert_eq(e.v[0].source, FAULT_SCHEDULED);
	cr_assert_eq(e.v[0].a, idx("s1-1-2"));
	cr_assert_not(e.v[0].freeze);
	cr_assert_eq(e.v[0].line, 1);
	cr_assert_eq(e.v[1].verb, FAULT_UP);
	cr_assert_eq(e.v[1].t_ns, EPOCH + 180 * S);
	cr_assert_eq(e.v[1].line, 2);
	cr_assert_eq(e.v[2].a, idx("london"));
	cr_assert(e.v[2].freeze);
	events_free(&e);
}

Test(events, ground)
{
	struct events e = parse_ok("200s down ground london\n"
				   "\t 300s\tup\tground  paris\n",
				   2);

	cr_assert_eq(e.v[0].target, FAULT_NODE);
	cr_assert_eq(e.v[0].verb, FAULT_DOWN);
	cr_assert_eq(e.v[0].a, idx("london"));
	cr_assert_eq(e.v[1].verb, FAULT_UP);
	cr_assert_eq(e.v[1].a, idx("paris"));
	cr_assert_eq(e.v[1].t_ns, EPOCH + 300 * S);
	events_free(&e);
}

Test(events, link_down_up_as_given)
{
	struct events e = parse_ok("60s down link s1-0-1 s1-0-0\n"
				   "1min up link s1-0-0 london\n",
				   2);

	cr_assert_eq(e.v[0].target, FAULT_LINK);
	cr_assert_eq(e.v[0].a, idx("s1-0-1"));
	cr_assert_eq(e.v[0].b, idx("s1-0-0"));
	cr_assert_eq(e.v[1].verb, FAULT_UP);
	cr_assert_eq(e.v[1].a, idx("s1-0-0"));
	cr_assert_eq(e.v[1].b, idx("london"));
	cr_assert_eq(e.v[1].t_ns, EPOCH + 60 * S);
	events_free(&e);
}

Test(events, set_link)
{
	struct events e = parse_ok(
		"90s set link s1-0-0 s1-0-1 loss 5% rate 100mbit delay +2ms\n"
		"91s set link s1-0-0 s1-0-1 rate unlimited\n"
		"92s set link s1-0-0 s1-0-1 delay 250us loss 0%\n",
		3);

	cr_assert_eq(e.v[0].verb, FAULT_SET);
	cr_assert_eq(e.v[0].target, FAULT_LINK);
	cr_assert_eq(e.v[0].set.has,
		     FAULT_SET_LOSS | FAULT_SET_RATE | FAULT_SET_DELAY);
	cr_assert_float_eq(e.v[0].set.loss, 0.05, 1e-15);
	cr_assert_eq(e.v[0].set.rate_bps, UINT64_C(100000000));
	cr_assert_eq(e.v[0].set.delay_ns, 2000000);
	cr_assert_eq(e.v[1].set.has, FAULT_SET_RATE);
	cr_assert_eq(e.v[1].set.rate_bps, 0);
	cr_assert_eq(e.v[2].set.has, FAULT_SET_DELAY | FAULT_SET_LOSS);
	cr_assert_eq(e.v[2].set.delay_ns, 250000);
	cr_assert_eq(e.v[2].set.loss, 0);
	events_free(&e);
}

Test(events, terminal)
{
	struct events e = parse_ok("30s down terminal s1-0-0 2\n"
				   "40s up terminal s1-1-0 63\n"
				   "41s up terminal s1-1-0 0\n",
				   3);

	cr_assert_eq(e.v[0].target, FAULT_TERMINAL);
	cr_assert_eq(e.v[0].a, idx("s1-0-0"));
	cr_assert_eq(e.v[0].b, 2);
	cr_assert_eq(e.v[1].verb, FAULT_UP);
	cr_assert_eq(e.v[1].b, FAULT_TERMINAL_MAX);
	cr_assert_eq(e.v[2].b, 0);
	events_free(&e);
}

/* Times ------------------------------------------------------------------ */

Test(events, times)
{
	struct events e = parse_ok("120 up node s1-0-0\n"
				   "1.5 up node s1-0-0\n"
				   "90000ms up node s1-0-0\n"
				   "2h up node s1-0-0\n"
				   "0 up node s1-0-0\n"
				   "2026-02-23T00:02:00Z up node s1-0-0\n"
				   "2026-02-23T00:02:00.25Z up node s1-0-0\n"
				   "2026-02-23T00:00:00Z up node s1-0-0\n",
				   8);
	const int64_t want[] = {
		120 * S, S * 3 / 2, 90 * S, 7200 * S, 0, 120 * S,
		120 * S + S / 4, 0,
	};

	for (size_t i = 0; i < 8; i++)
		cr_expect_eq(e.v[i].t_ns, EPOCH + want[i], "event %zu", i);
	events_free(&e);
}

Test(events, blank_lines_comments_crlf_bom)
{
	struct events e = parse_ok("\xef\xbb\xbf# a comment\r\n"
				   "\r\n"
				   "   ; also a comment\n"
				   "5s down link s1-0-0 s1-0-1 # cut\r\n"
				   "6s up node s1-0-0\t# freeze\n",
				   2);

	cr_assert_eq(e.v[0].line, 4);
	cr_assert_eq(e.v[1].t_ns, EPOCH + 6 * S);
	cr_assert_eq(e.v[1].line, 5);
	cr_assert_not(e.v[1].freeze);
	events_free(&e);
}

/* Errors ----------------------------------------------------------------- */

Test(events, error_unknown_node)
{
	EXPECT("1s down node s9-9-9\n",
	       "ev.txt:1: node \"s9-9-9\" does not exist");
	EXPECT("1s down link s1-0-0 nope\n",
	       "ev.txt:1: node \"nope\" does not exist");
	EXPECT("1s down ground s1-0-0\n",
	       "ev.txt:1: ground station \"s1-0-0\" is a satellite");
	EXPECT("1s down ground rome\n",
	       "ev.txt:1: ground station \"rome\" does not exist");
	EXPECT("1s down terminal london 1\n",
	       "ev.txt:1: satellite \"london\" is a ground station");
}

Test(events, error_time)
{
	EXPECT("12q down node s1-0-0\n",
	       "ev.txt:1: time \"12q\" is not a time (use ns, us, ms, s, min "
	       "or h)");
	EXPECT("-5s down node s1-0-0\n",
	       "ev.txt:1: time \"-5s\" is negative");
	EXPECT("2026-02-22T23:59:59Z down node s1-0-0\n",
	       "ev.txt:1: time \"2026-02-22T23:59:59Z\" is before the epoch "
	       "(2026-02-23T00:00:00Z)");
	EXPECT("2026-02-30T00:00:00Z down node s1-0-0\n",
	       "ev.txt:1: time \"2026-02-30T00:00:00Z\" is not an ISO-8601 UTC "
	       "time (as 2026-02-23T00:00:00Z)");
	EXPECT("2500000h down node s1-0-0\n",
	       "ev.txt:1: time \"2500000h\" is too late (after "
	       "2262-04-11T23:47:16Z)");
	EXPECT("5s\n",
	       "ev.txt:1: \"5s\" needs an event after it (down, up or set)");
}

Test(events, error_words)
{
	EXPECT("1s wobble node s1-0-0\n",
	       "ev.txt:1: verb \"wobble\" is not down, up or set");
	EXPECT("1s down nod s1-0-0\n",
	       "ev.txt:1: target \"nod\" is not node, ground, link or "
	       "terminal");
	EXPECT("1s set\n", "ev.txt:1: \"set\" needs a link");
	EXPECT("1s set node s1-0-0\n", "ev.txt:1: \"set\" needs a link");
	EXPECT("1s down\n",
	       "ev.txt:1: \"down\" needs node, ground, link or terminal");
	EXPECT("1s down node\n", "ev.txt:1: \"node\" needs a node name");
	EXPECT("1s up ground\n",
	       "ev.txt:1: \"ground\" needs a ground station name");
	EXPECT("1s up link s1-0-0\n",
	       "ev.txt:1: \"link\" needs two node names");
	EXPECT("1s up terminal s1-0-0\n",
	       "ev.txt:1: \"terminal\" needs a satellite and a number");
	EXPECT("1s down link s1-0-0 s1-0-0\n",
	       "ev.txt:1: node \"s1-0-0\" is linked to itself");
	EXPECT("1s up node s1-0-0 freeze\n",
	       "ev.txt:1: \"freeze\" is only for down");
	EXPECT("1s down node s1-0-0 freeze now\n",
	       "ev.txt:1: extra word \"now\" after down node");
	EXPECT("1s down link s1-0-0 s1-0-1 loss\n",
	       "ev.txt:1: extra word \"loss\" after down link");
	EXPECT("1s down Node s1-0-0\n",
	       "ev.txt:1: target \"Node\" is not node, ground, link or "
	       "terminal");
	EXPECT("1s set link s1-0-0 s1-0-1 loss 1% rate 1gbit delay 1ms x\n",
	       "ev.txt:1: \"set\" has 11 words (an event has at most 10)");
	EXPECT("1s set link s1-0-0 s1-0-1 a b c d e f g h i j k l m n\n",
	       "ev.txt:1: \"set\" has 18 words (an event has at most 10)");
	/* '#' after white space starts a comment; inside a word it does not */
	EXPECT("1s down link s1-0-0 s1-0-1#x\n",
	       "ev.txt:1: node \"s1-0-1#x\" does not exist");
}

Test(events, error_terminal)
{
	EXPECT("1s down terminal s1-0-0 70\n",
	       "ev.txt:1: terminal \"70\" is not 0 to 63");
	EXPECT("1s down terminal s1-0-0 64\n",
	       "ev.txt:1: terminal \"64\" is not 0 to 63");
	EXPECT("1s down terminal s1-0-0 -1\n",
	       "ev.txt:1: terminal \"-1\" is not 0 to 63");
	EXPECT("1s down terminal s1-0-0 2x\n",
	       "ev.txt:1: terminal \"2x\" is not 0 to 63");
}

Test(events, error_set)
{
	EXPECT("1s set link s1-0-0 s1-0-1\n",
	       "ev.txt:1: \"set link\" needs loss, rate or delay");
	EXPECT("1s set link s1-0-0 s1-0-1 jitter 1ms\n",
	       "ev.txt:1: parameter \"jitter\" is not loss, rate or delay");
	EXPECT("1s set link s1-0-0 s1-0-1 loss 5% rate\n",
	       "ev.txt:1: \"rate\" needs a value");
	EXPECT("1s set link s1-0-0 s1-0-1 loss 5% loss 6%\n",
	       "ev.txt:1: parameter \"loss\" is given twice");
	EXPECT("1s set link s1-0-0 s1-0-1 loss 5\n",
	       "ev.txt:1: loss \"5\" is not a percentage (as 5% or 0.1%)");
	EXPECT("1s set link s1-0-0 s1-0-1 loss 101%\n",
	       "ev.txt:1: loss \"101%\" is over 100%");
	EXPECT("1s set link s1-0-0 s1-0-1 rate 0bit\n",
	       "ev.txt:1: rate \"0bit\" must be positive (or unlimited)");
	EXPECT("1s set link s1-0-0 s1-0-1 delay -2ms\n",
	       "ev.txt:1: delay \"-2ms\" is negative");
	EXPECT("1s set link s1-0-0 s1-0-1 delay +2\n",
	       "ev.txt:1: delay \"+2\" has no unit (use ns, us, ms, s, min "
	       "or h)");
}

Test(events, several_errors_together)
{
	static const char text[] = "# header\n"
				   "1s down node s1-0-0\n"
				   "12q down node s9-9-9\n"
				   "2s up node s1-0-0\n"
				   "3s wobble node s1-0-0\n"
				   "\n"
				   "4s set\n"
				   "5s down terminal s1-0-0 70\n"
				   "6s up link s1-0-0 s1-0-1\n";
	const char *const want[] = {
		"ev.txt:3: time \"12q\" is not a time (use ns, us, ms, s, min "
		"or h)",
		"ev.txt:3: node \"s9-9-9\" does not exist",
		"ev.txt:5: verb \"wobble\" is not down, up or set",
		"ev.txt:7: \"set\" needs a link",
		"ev.txt:8: terminal \"70\" is not 0 to 63",
	};

	expect(text, strlen(text), want, 5, 3);
}

Test(events, error_nul_and_control_characters)
{
	static const char text[] = "1s down node s1\0-0-0\n"
				   "2s down node \x1b[2J\n";
	const char *const want[] = {
		"ev.txt:1: line has a NUL byte",
		"ev.txt:2: node \"\\x1b[2J\" does not exist",
	};

	expect(text, sizeof(text) - 1, want, 2, 0);
}

Test(events, error_long_value_is_cut)
{
	size_t n = 1 << 20;
	char *text = malloc(n + 64), want[200];

	cr_assert_not_null(text);
	strcpy(text, "1s down node ");
	memset(text + 13, 'x', n);
	strcpy(text + 13 + n, "\n");
	snprintf(want, sizeof(want),
		 "ev.txt:1: node \"%.64s...\" does not exist", text + 13);
	{
		const char *const w[] = { want };

		expect(text, strlen(text), w, 1, 0);
	}
	free(text);
}

/* Hostile input: random bytes never crash, give errors and no events. */
Test(events, hostile_random_bytes)
{
	size_t n = (size_t)16 << 20;
	unsigned char *buf = malloc(n);
	unsigned seed = 12345;
	struct events e = { 0 };
	struct diag d;
	int ret;

	cr_assert_not_null(buf);
	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)(rand_r(&seed) >> 7);
	diag_init(&d);
	ret = events_parse_text((const char *)buf, n, "junk", C, EPOCH, &e,
				&d);
	cr_assert_eq(ret, -EINVAL);
	cr_assert_eq(e.n, 0);
	cr_assert_eq(d.n, DIAG_KEEP, "%zu messages kept", d.n);
	cr_assert_gt(d.errors, 1000, "%zu errors", d.errors);
	for (size_t i = 0; i < d.n; i++) {
		cr_assert_eq(strncmp(d.msg[i], "junk:", 5), 0, "%s", d.msg[i]);
		for (const char *p = d.msg[i]; *p; p++)
			cr_assert((unsigned char)*p >= 0x20 && *p != 0x7f,
				  "control character in %s", d.msg[i]);
	}
	events_free(&e);
	diag_free(&d);
	free(buf);
}

/* Random lines made of the grammar's own words: only whole events pass. */
Test(events, hostile_word_salad)
{
	static const char *const words[] = {
		"down", "up", "set", "node", "ground", "link", "terminal",
		"s1-0-0", "s1-0-1", "london", "freeze", "loss", "rate",
		"delay", "5%", "1mbit", "+1ms", "2", "70", "1s", "\t", "#",
	};
	unsigned seed = 7;
	char line[512];

	for (int i = 0; i < 20000; i++) {
		struct fault_event ev;
		char why[256], back[256];
		size_t off = 0;
		int nw = rand_r(&seed) % 12, ret;

		line[0] = '\0';
		for (int k = 0; k < nw; k++)
			off += (size_t)snprintf(
				line + off, sizeof(line) - off, "%s ",
				words[rand_r(&seed) % (sizeof(words) /
						       sizeof(words[0]))]);
		ret = events_parse_command(line, C, &ev, why, sizeof(why));
		cr_assert(ret == 0 || ret == -EINVAL, "%s: %d", line, ret);
		if (ret)
			continue;
		cr_assert_gt(events_format(&ev, C, back, sizeof(back)), 0);
	}
}

/* The file reader --------------------------------------------------------- */

Test(events, load_file)
{
	char path[] = "/tmp/test_events_XXXXXX";
	static const char text[] = "10s down node s1-0-0\nbad\n";
	struct events e = { 0 };
	struct diag d;
	int fd = mkstemp(path), ret;

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, sizeof(text) - 1),
		     (ssize_t)sizeof(text) - 1);
	close(fd);
	diag_init(&d);
	ret = events_load_file(path, C, EPOCH, &e, &d);
	unlink(path);
	cr_assert_eq(ret, -EINVAL);
	cr_assert_eq(e.n, 1);
	cr_assert_eq(e.v[0].t_ns, EPOCH + 10 * S);
	cr_assert_eq(d.n, 2);
	cr_assert(strstr(d.msg[0], ":2: time \"bad\" is not a time"), "%s",
		  d.msg[0]);
	events_free(&e);
	diag_free(&d);

	diag_init(&d);
	cr_assert_eq(events_load_file(path, C, EPOCH, &e, &d), -EINVAL);
	cr_assert_eq(d.n, 1);
	cr_assert(strstr(d.msg[0], ": No such file or directory"), "%s",
		  d.msg[0]);
	diag_free(&d);
	diag_init(&d);
	cr_assert_eq(events_load_file("/tmp", C, EPOCH, &e, &d), -EINVAL);
	cr_assert_str_eq(d.msg[0], "/tmp: Is a directory");
	diag_free(&d);
	events_free(&e);
}

/* 100 MB of NUL bytes: over EVENTS_FILE_MAX, refused as a whole. */
Test(events, load_file_too_large)
{
	char path[] = "/tmp/test_events_XXXXXX", want[64];
	struct events e = { 0 };
	struct diag d;
	int fd = mkstemp(path), ret;

	cr_assert_geq(fd, 0);
	cr_assert_eq(ftruncate(fd, (off_t)100 << 20), 0);
	close(fd);
	diag_init(&d);
	ret = events_load_file(path, C, EPOCH, &e, &d);
	unlink(path);
	cr_assert_eq(ret, -EINVAL);
	snprintf(want, sizeof(want), "%s: %s", path, strerror(EFBIG));
	cr_assert_eq(d.n, 1);
	cr_assert_str_eq(d.msg[0], want);
	cr_assert_eq(e.n, 0);
	diag_free(&d);
}

/* The example of docs/configuration.md, one event of each kind. */
Test(events, example_file)
{
	struct events e = { 0 };
	struct diag d;

	diag_init(&d);
	cr_assert_eq(events_load_file("tests/data/conf/events.txt", C, EPOCH,
				      &e, &d),
		     0);
	cr_assert_eq(d.n, 0);
	cr_assert_eq(e.n, 7);
	cr_assert_eq(e.v[0].target, FAULT_TERMINAL);
	cr_assert_eq(e.v[2].verb, FAULT_SET);
	cr_assert(e.v[3].freeze);
	cr_assert_eq(e.v[6].t_ns, EPOCH + 300 * S);
	cr_assert_eq(e.v[6].line, 9);
	events_free(&e);
	diag_free(&d);
}

/* The command parser, format and sort -------------------------------------- */

Test(events, command)
{
	struct fault_event ev;
	char why[128];

	cr_assert_eq(events_parse_command("down node s1-0-0", C, &ev, why,
					  sizeof(why)),
		     0, "%s", why);
	cr_assert_eq(ev.verb, FAULT_DOWN);
	cr_assert_eq(ev.target, FAULT_NODE);
	cr_assert_eq(ev.source, FAULT_LIVE);
	cr_assert_eq(ev.line, 0);
	cr_assert_eq(ev.t_ns, 0);
	cr_assert_eq(ev.a, idx("s1-0-0"));
	cr_assert_eq(events_parse_command("set link s1-0-0 london loss 5%", C,
					  &ev, why, sizeof(why)),
		     0, "%s", why);
	cr_assert_eq(ev.verb, FAULT_SET);
	cr_assert_eq(ev.b, idx("london"));
	cr_assert_eq(ev.set.has, FAULT_SET_LOSS);

	cr_assert_eq(events_parse_command("down node x", C, &ev, why,
					  sizeof(why)),
		     -EINVAL);
	cr_assert_str_eq(why, "node \"x\" does not exist");
	/* why is printed by ctl as it is: control characters escaped */
	cr_assert_eq(events_parse_command("down node \x1b[2J\x7f", C, &ev, why,
					  sizeof(why)),
		     -EINVAL);
	cr_assert_str_eq(why, "node \"\\x1b[2J\\x7f\" does not exist");
	cr_assert_eq(events_parse_command("", C, &ev, why, sizeof(why)),
		     -EINVAL);
	cr_assert_str_eq(why, "the command is empty (down, up or set)");
	/* the time belongs to the file, not to a command */
	cr_assert_eq(events_parse_command("10s down node s1-0-0", C, &ev, why,
					  sizeof(why)),
		     -EINVAL);
	cr_assert_str_eq(why, "verb \"10s\" is not down, up or set");
	/* a short buffer is cut, and still terminated */
	cr_assert_eq(events_parse_command("down node nowhere", C, &ev, why,
					  8),
		     -EINVAL);
	cr_assert_str_eq(why, "node \"n");
}

static void round_trip(const char *cmd, const char *want)
{
	struct fault_event ev, back;
	char why[128], buf[256];
	int n;

	cr_assert_eq(events_parse_command(cmd, C, &ev, why, sizeof(why)), 0,
		     "%s: %s", cmd, why);
	n = events_format(&ev, C, buf, sizeof(buf));
	cr_assert_eq(n, (int)strlen(buf));
	cr_assert_str_eq(buf, want);
	cr_assert_eq(events_parse_command(buf, C, &back, why, sizeof(why)), 0,
		     "%s: %s", buf, why);
	cr_assert_eq(memcmp(&ev, &back, sizeof(ev)), 0, "%s", buf);
}

Test(events, format_round_trips)
{
	round_trip("down node s1-0-0", "down node s1-0-0");
	round_trip("down  node s1-1-2\tfreeze", "down node s1-1-2 freeze");
	round_trip("up node london", "up ground london");
	round_trip("down ground paris freeze", "down ground paris freeze");
	round_trip("down link s1-0-1 s1-0-0", "down link s1-0-1 s1-0-0");
	round_trip("up link s1-0-0 paris", "up link s1-0-0 paris");
	round_trip("down terminal s1-1-1 63", "down terminal s1-1-1 63");
	round_trip("set link s1-0-0 s1-0-1 loss 5% rate 100mbit delay +2ms",
		   "set link s1-0-0 s1-0-1 loss 5% rate 100mbit delay +2ms");
	round_trip("set link s1-0-0 s1-0-1 delay 1.5s rate 125mbps",
		   "set link s1-0-0 s1-0-1 rate 1gbit delay +1500ms");
	round_trip("set link s1-0-0 s1-0-1 rate unlimited loss 0.1%",
		   "set link s1-0-0 s1-0-1 loss 0.1% rate unlimited");
	round_trip("set link s1-0-0 s1-0-1 loss 33.333333333333% delay 7ns",
		   "set link s1-0-0 s1-0-1 loss 33.333333333333% delay +7ns");
	round_trip("set link s1-0-0 s1-0-1 loss 0.0000001% rate 1234bit",
		   "set link s1-0-0 s1-0-1 loss 0.0000001% rate 1234bit");
}

Test(events, format_refuses_a_bad_event)
{
	struct fault_event ev = { .verb = FAULT_DOWN, .target = FAULT_NODE,
				  .a = 8 };
	char buf[64];

	cr_assert_eq(events_format(&ev, C, buf, sizeof(buf)), -EINVAL);
	ev.a = 0;
	ev.target = 9;
	cr_assert_eq(events_format(&ev, C, buf, sizeof(buf)), -EINVAL);
	ev.target = FAULT_NODE;
	cr_assert_eq(events_format(&ev, C, buf, 6), 16);
	cr_assert_str_eq(buf, "down ");
}

Test(events, sort_is_stable)
{
	struct events e = parse_ok("30s down node s1-0-0\n"
				   "10s down node s1-0-1\n"
				   "30s up node s1-0-0\n"
				   "10s up node s1-0-1\n"
				   "20s down node s1-0-2\n"
				   "30s down node s1-1-0\n",
				   6);
	const unsigned want[] = { 2, 4, 5, 1, 3, 6 };

	events_sort(&e);
	for (size_t i = 0; i < 6; i++)
		cr_expect_eq(e.v[i].line, want[i], "event %zu: line %u", i,
			     e.v[i].line);
	events_free(&e);
}

Test(events, sort_many)
{
	struct events e = { 0 };
	unsigned seed = 3;
	size_t n = 10007;

	e.v = calloc(n, sizeof(*e.v));
	cr_assert_not_null(e.v);
	e.n = e.cap = n;
	for (size_t i = 0; i < n; i++) {
		e.v[i].t_ns = rand_r(&seed) % 100;
		e.v[i].line = (unsigned)i + 1;
	}
	events_sort(&e);
	for (size_t i = 1; i < n; i++) {
		cr_assert_leq(e.v[i - 1].t_ns, e.v[i].t_ns);
		if (e.v[i - 1].t_ns == e.v[i].t_ns)
			cr_assert_lt(e.v[i - 1].line, e.v[i].line);
	}
	events_free(&e);
	cr_assert_null(e.v);
	events_free(NULL);
}
