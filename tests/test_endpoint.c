// SPDX-License-Identifier: MIT
/* test_endpoint.c - UDP endpoints of both families, and --peers that mix them */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <criterion/criterion.h>

#include "emu/net/endpoint.h"
#include "emu/run/shard.h"

Test(endpoint, both_families_parse_and_write_back)
{
	const char *good[] = {"10.77.1.2:6081", "[fd77::2]:6081",
			      "[::1]:1", "255.255.255.255:65535",
			      "[2001:db8::1:0:0:1]:40000"};
	char buf[ENDPOINT_STRLEN];
	union endpoint e, f;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		cr_assert(endpoint_parse(good[i], false, &e), "%s", good[i]);
		cr_assert_str_eq(endpoint_format(&e, buf, sizeof(buf)),
				 good[i]);
		cr_assert(endpoint_parse(buf, false, &f));
		cr_assert(endpoint_equal(&e, &f));
	}
	cr_assert(endpoint_parse("[fd77::2]:6081", false, &e));
	cr_assert_eq(e.sa.sa_family, AF_INET6);
	cr_assert_eq(endpoint_len(&e), sizeof(struct sockaddr_in6));
	cr_assert_eq(endpoint_port(&e), 6081);
	endpoint_set_port(&e, 7);
	cr_assert_eq(ntohs(e.in6.sin6_port), 7);
	cr_assert(endpoint_parse("10.0.0.1:5", false, &f));
	cr_assert_eq(endpoint_len(&f), sizeof(struct sockaddr_in));
	cr_assert(!endpoint_equal(&e, &f), "families differ");
	cr_assert(endpoint_parse("10.0.0.1:0", true, &f), "port 0 when asked");
}

Test(endpoint, bad_text_is_refused)
{
	const char *bad[] = {"", ":", "10.0.0.1", "10.0.0.1:", "10.0.0.1:0",
			     "10.0.0.1:65536", "10.0.0.1:-1", "10.0.0.1:+5",
			     "10.0.0.1:5x", "fd77::2:6081", "[fd77::2]6081",
			     "[fd77::2:6081", "[]:5", "[10.0.0.1]:5",
			     "host:5", "10.0.0.256:5", "[fd77::g]:5",
			     "[aaaa:aaaa:aaaa:aaaa:aaaa:aaaa:aaaa:aaaa:aaaa]:5"};
	union endpoint e;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert(!endpoint_parse(bad[i], false, &e), "took \"%s\"",
			  bad[i]);
}

Test(endpoint, an_address_alone)
{
	union endpoint e;
	char buf[ENDPOINT_STRLEN];

	cr_assert(endpoint_parse_addr("10.0.0.7", 6081, &e));
	cr_assert_str_eq(endpoint_format(&e, buf, sizeof(buf)), "10.0.0.7:6081");
	cr_assert(endpoint_parse_addr("fd77:7::2", 0, &e));
	cr_assert_eq(e.sa.sa_family, AF_INET6);
	cr_assert_str_eq(endpoint_format(&e, buf, sizeof(buf)), "[fd77:7::2]:0");
	cr_assert(!endpoint_parse_addr("[fd77:7::2]", 0, &e), "brackets");
	cr_assert(!endpoint_parse_addr("10.0.0.7:1", 0, &e), "a port");
	cr_assert(!endpoint_parse_addr("", 0, &e));
	cr_assert(!endpoint_parse_addr("host", 0, &e));
}

Test(endpoint, peers_of_one_family)
{
	struct shard_conf c;

	cr_assert_eq(shard_conf_parse(&c, "1/2", "[fd77::2]:6081,[fd77::3]:6081"),
		     0);
	cr_assert_eq(c.addr[1].sa.sa_family, AF_INET6);
	cr_assert_eq(endpoint_port(&c.addr[0]), 6081);
	shard_conf_free(&c);
	cr_assert_eq(shard_conf_parse(&c, "0/2", "10.0.0.1:6081,[fd77::3]:6081"),
		     -EINVAL, "IPv4 and IPv6 mixed");
	cr_assert_eq(shard_conf_parse(&c, "0/2", "10.0.0.1:6081,fd77::3:6081"),
		     -EINVAL, "IPv6 without brackets");
}

Test(endpoint, the_odd_family_of_an_exchange)
{
	union endpoint all[3], v6;

	cr_assert(endpoint_parse_addr("10.0.0.1", 1, &all[0]));
	cr_assert(endpoint_parse_addr("10.0.0.2", 1, &all[1]));
	cr_assert(endpoint_parse_addr("10.0.0.3", 1, &all[2]));
	cr_assert(endpoint_parse_addr("fd77::1", 1, &v6));
	cr_assert_eq(endpoint_odd_family(all, 3, &all[0]), -1);
	cr_assert_eq(endpoint_odd_family(all, 3, &v6), 0);
	all[2] = v6;
	cr_assert_eq(endpoint_odd_family(all, 3, &all[0]), 2);
	cr_assert_str_eq(endpoint_family_name(&all[2]), "IPv6");
	cr_assert_str_eq(endpoint_family_name(&all[0]), "IPv4");
}
