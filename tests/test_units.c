// SPDX-License-Identifier: MIT
/* test_units.c - every unit parser: what it accepts, its value, what it rejects */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "emu/conf/units.h"

/* Reject s with parse and check the reason starts with want. */
#define REJECT(parse, s, want, ...)                                        \
	do {                                                               \
		const char *why_ = NULL;                                   \
		cr_assert_not(parse(s, __VA_ARGS__, &why_),                \
			      "\"%s\" accepted", s);                       \
		cr_assert_not_null(why_, "\"%s\": no reason", s);          \
		cr_assert(!strncmp(why_, want, strlen(want)),              \
			  "\"%s\": reason \"%s\", want \"%s\"", s, why_,   \
			  want);                                           \
	} while (0)

static double length(const char *s)
{
	const char *why = NULL;
	double km = -1;

	cr_assert(units_parse_length(s, &km, &why), "\"%s\": %s", s, why);
	return km;
}

Test(units, length_accepts)
{
	cr_assert_eq(length("550km"), 550.0);
	cr_assert_eq(length("80000m"), 80.0);
	cr_assert_eq(length("1.5km"), 1.5);
	cr_assert_eq(length(".5km"), 0.5);
	cr_assert_eq(length("0"), 0.0);
	cr_assert_eq(length("0m"), 0.0);
	cr_assert_eq(length("7KM"), 7.0);
	cr_assert_float_eq(length("1m"), 0.001, 1e-15);
}

Test(units, length_rejects)
{
	double km = 42;

	REJECT(units_parse_length, "", "is empty", &km);
	REJECT(units_parse_length, "55Okm", "is not a length", &km);
	REJECT(units_parse_length, "550", "has no unit", &km);
	REJECT(units_parse_length, "550 km", "is not a length", &km);
	REJECT(units_parse_length, " 550km", "is not a length", &km);
	REJECT(units_parse_length, "550kmx", "is not a length", &km);
	REJECT(units_parse_length, "550mi", "is not a length", &km);
	REJECT(units_parse_length, "-5km", "is negative", &km);
	REJECT(units_parse_length, "-5", "is negative", &km);
	REJECT(units_parse_length, "+5km", "is not a length", &km);
	REJECT(units_parse_length, "1e3km", "is not a length", &km);
	REJECT(units_parse_length, "nankm", "is not a length", &km);
	REJECT(units_parse_length, "infkm", "is not a length", &km);
	REJECT(units_parse_length, "km", "is not a length", &km);
	REJECT(units_parse_length, ".km", "is not a length", &km);
	REJECT(units_parse_length,
	       "1000000000000000000000000000000000000000000000000000000000000"
	       "00000km", "has too many digits", &km);
	cr_assert_eq(km, 42, "output written on failure");
}

static int64_t ptime(const char *s)
{
	const char *why = NULL;
	int64_t ns = -1;

	cr_assert(units_parse_time(s, &ns, &why), "\"%s\": %s", s, why);
	return ns;
}

Test(units, time_accepts)
{
	cr_assert_eq(ptime("10ms"), 10000000);
	cr_assert_eq(ptime("100us"), 100000);
	cr_assert_eq(ptime("1.5s"), 1500000000);
	cr_assert_eq(ptime("5ns"), 5);
	cr_assert_eq(ptime("2min"), INT64_C(120000000000));
	cr_assert_eq(ptime("1h"), INT64_C(3600000000000));
	cr_assert_eq(ptime("3msec"), 3000000);
	cr_assert_eq(ptime("3usecs"), 3000);
	cr_assert_eq(ptime("2secs"), 2000000000);
	cr_assert_eq(ptime("1.1ms"), 1100000);
	cr_assert_eq(ptime("0"), 0);
	cr_assert_eq(ptime("10MS"), 10000000);
	/* The largest that fits: about 292 years. */
	cr_assert_eq(ptime("9223372036s"), INT64_C(9223372036000000000));
}

Test(units, time_rejects)
{
	int64_t ns = 42;

	REJECT(units_parse_time, "", "is empty", &ns);
	REJECT(units_parse_time, "10", "has no unit", &ns);
	REJECT(units_parse_time, "10m", "is not a time", &ns);
	REJECT(units_parse_time, "10 ms", "is not a time", &ns);
	REJECT(units_parse_time, "10msx", "is not a time", &ns);
	REJECT(units_parse_time, "-1ms", "is negative", &ns);
	REJECT(units_parse_time, "9223372037s", "is too large", &ns);
	REJECT(units_parse_time, "nan", "is not a time", &ns);
	REJECT(units_parse_time, "ms", "is not a time", &ns);
	cr_assert_eq(ns, 42);
}

static uint64_t rate(const char *s)
{
	const char *why = NULL;
	uint64_t bps = 1;

	cr_assert(units_parse_rate(s, &bps, &why), "\"%s\": %s", s, why);
	return bps;
}

Test(units, rate_accepts)
{
	cr_assert_eq(rate("10gbit"), UINT64_C(10000000000));
	cr_assert_eq(rate("100mbit"), 100000000);
	cr_assert_eq(rate("64kbit"), 64000);
	cr_assert_eq(rate("1000bit"), 1000);
	cr_assert_eq(rate("1.5Gbit"), 1500000000);
	cr_assert_eq(rate("1kibit"), 1024);
	cr_assert_eq(rate("1mibit"), 1048576);
	cr_assert_eq(rate("1tbit"), UINT64_C(1000000000000));
	/* tc: bps and friends are bytes per second. */
	cr_assert_eq(rate("1bps"), 8);
	cr_assert_eq(rate("100mbps"), 800000000);
	cr_assert_eq(rate("1gbps"), UINT64_C(8000000000));
	cr_assert_eq(rate("1kibps"), 8192);
	cr_assert_eq(rate("unlimited"), 0);
	cr_assert_eq(rate("Unlimited"), 0);
}

Test(units, rate_rejects)
{
	uint64_t bps = 42;

	REJECT(units_parse_rate, "", "is empty", &bps);
	REJECT(units_parse_rate, "100", "has no unit", &bps);
	REJECT(units_parse_rate, "100mb", "is not a rate", &bps);
	REJECT(units_parse_rate, "100mbitx", "is not a rate", &bps);
	REJECT(units_parse_rate, "-1mbit", "is negative", &bps);
	REJECT(units_parse_rate, "0bit", "must be positive", &bps);
	REJECT(units_parse_rate, "0.1bit", "is below 1bit", &bps);
	REJECT(units_parse_rate, "100000000tbps", "is too large", &bps);
	REJECT(units_parse_rate, "fast", "is not a rate", &bps);
	cr_assert_eq(bps, 42);
}

static void qlimit(const char *s, enum linkparams_qlimit kind,
		   uint64_t limit)
{
	enum linkparams_qlimit k = (enum linkparams_qlimit)-1;
	const char *why = NULL;
	uint64_t l = 0;

	cr_assert(units_parse_qlimit(s, &k, &l, &why), "\"%s\": %s", s, why);
	cr_assert_eq(k, kind, "\"%s\": kind %d", s, (int)k);
	cr_assert_eq(l, limit, "\"%s\": limit %llu", s, (unsigned long long)l);
}

Test(units, qlimit_accepts)
{
	qlimit("1000", LINKPARAMS_Q_PACKETS, 1000);
	qlimit("1000p", LINKPARAMS_Q_PACKETS, 1000);
	qlimit("1P", LINKPARAMS_Q_PACKETS, 1);
	qlimit("500b", LINKPARAMS_Q_BYTES, 500);
	qlimit("64kb", LINKPARAMS_Q_BYTES, 65536);
	qlimit("1mb", LINKPARAMS_Q_BYTES, 1048576);
	qlimit("1.5kb", LINKPARAMS_Q_BYTES, 1536);
	qlimit("1gb", LINKPARAMS_Q_BYTES, UINT64_C(1073741824));
	qlimit("10ms", LINKPARAMS_Q_TIME, 10000000);
	qlimit("250us", LINKPARAMS_Q_TIME, 250000);
}

Test(units, qlimit_rejects)
{
	enum linkparams_qlimit k = LINKPARAMS_Q_BYTES;
	uint64_t l = 42;

	REJECT(units_parse_qlimit, "", "is empty", &k, &l);
	REJECT(units_parse_qlimit, "0", "must be positive", &k, &l);
	REJECT(units_parse_qlimit, "0p", "must be positive", &k, &l);
	REJECT(units_parse_qlimit, "0ms", "must be positive", &k, &l);
	REJECT(units_parse_qlimit, "1.5p", "is not a whole number", &k, &l);
	REJECT(units_parse_qlimit, "-5", "is negative", &k, &l);
	REJECT(units_parse_qlimit, "-5kb", "is negative", &k, &l);
	REJECT(units_parse_qlimit, "10kbit", "is not a queue limit", &k, &l);
	REJECT(units_parse_qlimit, "10 p", "is not a queue limit", &k, &l);
	REJECT(units_parse_qlimit, "packets", "is not a queue limit", &k, &l);
	REJECT(units_parse_qlimit, "18446744073709551616", "is too large", &k,
	       &l);
	REJECT(units_parse_qlimit, "20000000000gb", "is too large", &k, &l);
	cr_assert_eq(l, 42);
	cr_assert_eq(k, LINKPARAMS_Q_BYTES);
}

static double angle(const char *s)
{
	const char *why = NULL;
	double deg = 1e9;

	cr_assert(units_parse_angle(s, &deg, &why), "\"%s\": %s", s, why);
	return deg;
}

Test(units, angle_accepts)
{
	cr_assert_eq(angle("53"), 53.0);
	cr_assert_eq(angle("53deg"), 53.0);
	cr_assert_eq(angle("97.6degrees"), 97.6);
	cr_assert_eq(angle("-0.1278"), -0.1278);
	cr_assert_eq(angle("-74.0060deg"), -74.006);
	cr_assert_eq(angle("25\xc2\xb0"), 25.0);
	cr_assert_eq(angle("0"), 0.0);
}

Test(units, angle_rejects)
{
	double deg = 42;

	REJECT(units_parse_angle, "", "is empty", &deg);
	REJECT(units_parse_angle, "53rad", "is not an angle", &deg);
	REJECT(units_parse_angle, "53 deg", "is not an angle", &deg);
	REJECT(units_parse_angle, "fifty", "is not an angle", &deg);
	REJECT(units_parse_angle, "nan", "is not an angle", &deg);
	REJECT(units_parse_angle, "1e2", "is not an angle", &deg);
	REJECT(units_parse_angle, "--5", "is not an angle", &deg);
	cr_assert_eq(deg, 42);
}

Test(units, percent)
{
	const char *why = NULL;
	double p = -1;

	cr_assert(units_parse_percent("5%", &p, &why));
	cr_assert_float_eq(p, 0.05, 1e-15);
	cr_assert(units_parse_percent("0.1%", &p, &why));
	cr_assert_float_eq(p, 0.001, 1e-15);
	cr_assert(units_parse_percent("100%", &p, &why));
	cr_assert_eq(p, 1.0);
	cr_assert(units_parse_percent("0%", &p, &why));
	cr_assert_eq(p, 0.0);

	p = 42;
	REJECT(units_parse_percent, "", "is empty", &p);
	REJECT(units_parse_percent, "5", "is not a percentage", &p);
	REJECT(units_parse_percent, "0.05", "is not a percentage", &p);
	REJECT(units_parse_percent, "5 %", "is not a percentage", &p);
	REJECT(units_parse_percent, "5%%", "is not a percentage", &p);
	REJECT(units_parse_percent, "100.5%", "is over 100%", &p);
	REJECT(units_parse_percent, "-1%", "is negative", &p);
	cr_assert_eq(p, 42);
}

Test(units, boolean)
{
	static const char *yes[] = { "yes", "true", "on", "1", "YES", "On" };
	static const char *no[] = { "no", "false", "off", "0", "No", "FALSE" };
	bool v;

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		v = false;
		cr_assert(units_parse_bool(yes[i], &v, NULL), "%s", yes[i]);
		cr_assert(v, "%s", yes[i]);
		v = true;
		cr_assert(units_parse_bool(no[i], &v, NULL), "%s", no[i]);
		cr_assert_not(v, "%s", no[i]);
	}
	REJECT(units_parse_bool, "", "is empty", &v);
	REJECT(units_parse_bool, "y", "is not a boolean", &v);
	REJECT(units_parse_bool, "2", "is not a boolean", &v);
	REJECT(units_parse_bool, "yes ", "is not a boolean", &v);
}

Test(units, u64)
{
	uint64_t v = 0;

	cr_assert(units_parse_u64("0", &v, NULL));
	cr_assert_eq(v, 0);
	cr_assert(units_parse_u64("18446744073709551615", &v, NULL));
	cr_assert_eq(v, UINT64_MAX);
	cr_assert(units_parse_u64("007", &v, NULL));
	cr_assert_eq(v, 7);

	v = 42;
	REJECT(units_parse_u64, "", "is empty", &v);
	REJECT(units_parse_u64, "18446744073709551616", "is too large", &v);
	REJECT(units_parse_u64, "99999999999999999999999", "is too large",
	       &v);
	REJECT(units_parse_u64, "-1", "is negative", &v);
	REJECT(units_parse_u64, "+1", "is not a whole number", &v);
	REJECT(units_parse_u64, "1.0", "is not a whole number", &v);
	REJECT(units_parse_u64, "0x10", "is not a whole number", &v);
	REJECT(units_parse_u64, "12 ", "is not a whole number", &v);
	cr_assert_eq(v, 42);
}

Test(units, real)
{
	double v = -1;

	cr_assert(units_parse_real("1", &v, NULL));
	cr_assert_eq(v, 1.0);
	cr_assert(units_parse_real("0.25", &v, NULL));
	cr_assert_eq(v, 0.25);
	v = 42;
	REJECT(units_parse_real, "", "is empty", &v);
	REJECT(units_parse_real, "-1", "is negative", &v);
	REJECT(units_parse_real, "1x", "is not a number", &v);
	REJECT(units_parse_real, "inf", "is not a number", &v);
	REJECT(units_parse_real, "nan", "is not a number", &v);
	REJECT(units_parse_real, "1e5", "is not a number", &v);
	cr_assert_eq(v, 42);
}

static struct linkparams_lossmodel loss(const char *s)
{
	struct linkparams_lossmodel m = { .kind = (enum linkparams_loss)-1 };
	const char *why = NULL;

	cr_assert(units_parse_loss(s, &m, &why), "\"%s\": %s", s, why);
	return m;
}

Test(units, loss_accepts)
{
	struct linkparams_lossmodel m;

	cr_assert_eq(loss("none").kind, LINKPARAMS_LOSS_NONE);
	cr_assert_eq(loss("0%").kind, LINKPARAMS_LOSS_NONE);
	m = loss("5%");
	cr_assert_eq(m.kind, LINKPARAMS_LOSS_RANDOM);
	cr_assert_float_eq(m.p, 0.05, 1e-15);
	m = loss("random 0.1%");
	cr_assert_eq(m.kind, LINKPARAMS_LOSS_RANDOM);
	cr_assert_float_eq(m.p, 0.001, 1e-15);

	/* netem's defaults: r = 1 - p, 1-h = 100%, 1-k = 0%. */
	m = loss("gemodel 1%");
	cr_assert_eq(m.kind, LINKPARAMS_LOSS_GEMODEL);
	cr_assert_float_eq(m.p, 0.01, 1e-15);
	cr_assert_float_eq(m.r, 0.99, 1e-15);
	cr_assert_eq(m.h1, 1.0);
	cr_assert_eq(m.k1, 0.0);
	m = loss("gemodel 1% 10%");
	cr_assert_float_eq(m.r, 0.10, 1e-15);
	cr_assert_eq(m.h1, 1.0);
	m = loss("gemodel 1% 10% 70%");
	cr_assert_float_eq(m.h1, 0.70, 1e-15);
	cr_assert_eq(m.k1, 0.0);
	m = loss("gemodel  1%  10%\t70% 0.1%");
	cr_assert_float_eq(m.p, 0.01, 1e-15);
	cr_assert_float_eq(m.r, 0.10, 1e-15);
	cr_assert_float_eq(m.h1, 0.70, 1e-15);
	cr_assert_float_eq(m.k1, 0.001, 1e-15);
}

Test(units, loss_rejects)
{
	struct linkparams_lossmodel m = { .kind = LINKPARAMS_LOSS_GEMODEL,
					  .p = 0.5 };

	REJECT(units_parse_loss, "", "is empty", &m);
	REJECT(units_parse_loss, "   ", "is empty", &m);
	REJECT(units_parse_loss, "5", "is not a percentage", &m);
	REJECT(units_parse_loss, "150%", "is over 100%", &m);
	REJECT(units_parse_loss, "random", "needs a percentage", &m);
	REJECT(units_parse_loss, "random 5% 25%", "takes one percentage", &m);
	REJECT(units_parse_loss, "random five", "has a value that is not", &m);
	REJECT(units_parse_loss, "gemodel", "needs 1 to 4 percentages", &m);
	REJECT(units_parse_loss, "gemodel 1% 2% 3% 4% 5%",
	       "needs 1 to 4 percentages", &m);
	REJECT(units_parse_loss, "gemodel 1% x", "has a value that is not",
	       &m);
	REJECT(units_parse_loss, "gemodel 101%", "has a value that is not",
	       &m);
	REJECT(units_parse_loss, "state 1%", "is not a loss model", &m);
	REJECT(units_parse_loss, "none 5%", "is not a loss model", &m);
	REJECT(units_parse_loss, "5% 5%", "is not a loss model", &m);
	cr_assert_eq(m.kind, LINKPARAMS_LOSS_GEMODEL);
	cr_assert_eq(m.p, 0.5);
}

/*
 * The one rule for bare numbers: a time on the command line may be a bare
 * number of seconds ("-d 8", "--at 90"); in the file it needs its unit.
 */
Test(units, time_arg_bare_numbers_are_seconds)
{
	const char *why = NULL;
	int64_t ns = -1;

	cr_assert(units_parse_time_arg("8", &ns, &why));
	cr_assert_eq(ns, INT64_C(8000000000));
	cr_assert(units_parse_time_arg("1.5", &ns, &why));
	cr_assert_eq(ns, INT64_C(1500000000));
	cr_assert(units_parse_time_arg("0", &ns, &why));
	cr_assert_eq(ns, 0);
	cr_assert(units_parse_time_arg("90ms", &ns, &why));
	cr_assert_eq(ns, INT64_C(90000000));
	cr_assert(units_parse_time_arg("2min", &ns, &why));
	cr_assert_eq(ns, INT64_C(120000000000));
	/* the file's parser keeps asking for a unit */
	REJECT(units_parse_time, "8", "has no unit", &ns);
	REJECT(units_parse_time_arg, "", "is empty", &ns);
	REJECT(units_parse_time_arg, "-8", "is negative", &ns);
	REJECT(units_parse_time_arg, "8 s", "is not a time", &ns);
	REJECT(units_parse_time_arg, "8x", "is not a time", &ns);
	REJECT(units_parse_time_arg, "9300000000", "is too large", &ns);
}

Test(units, signed_length_and_real)
{
	const char *why = NULL;
	double v = 0;

	cr_assert(units_parse_signed_length("-0.5km", &v, &why));
	cr_assert_eq(v, -0.5);
	cr_assert(units_parse_signed_length("200m", &v, &why));
	cr_assert_eq(v, 0.2);
	cr_assert(units_parse_signed_real("-30", &v, &why));
	cr_assert_eq(v, -30.0);
	REJECT(units_parse_signed_real, "--3", "is negative", &v);
	REJECT(units_parse_signed_length, "-5", "has no unit", &v);
}
