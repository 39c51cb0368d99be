// SPDX-License-Identifier: MIT
/* test_web.c - the web view's listening address: what --web accepts and what it refuses */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include <criterion/criterion.h>

#include "emu/run/web.h"

static struct web_addr parse_ok(const char *s)
{
	struct web_addr a;
	char why[160] = "";

	cr_assert(web_addr_parse(s, &a, why, sizeof(why)), "\"%s\": %s", s,
		  why);
	return a;
}

static void parse_bad(const char *s, const char *want)
{
	struct web_addr a;
	char why[160] = "";

	cr_assert_not(web_addr_parse(s, &a, why, sizeof(why)),
		      "\"%s\" accepted", s);
	cr_assert(strstr(why, want), "\"%s\": reason \"%s\", want \"%s\"", s,
		  why, want);
}

Test(web_addr, port_alone_is_loopback_v4)
{
	struct web_addr a = parse_ok("8080");
	const struct sockaddr_in *v4 = (const struct sockaddr_in *)&a.ss;

	cr_assert_eq(v4->sin_family, AF_INET);
	cr_assert_eq(ntohs(v4->sin_port), 8080);
	cr_assert_eq(ntohl(v4->sin_addr.s_addr), INADDR_LOOPBACK);
	cr_assert(a.loopback);
	cr_assert_eq(a.len, sizeof(struct sockaddr_in));
}

Test(web_addr, addresses)
{
	struct web_addr a = parse_ok("0.0.0.0:80");
	const struct sockaddr_in6 *v6;

	cr_assert_not(a.loopback, "0.0.0.0 is beyond loopback");
	cr_assert(parse_ok("127.0.0.2:0").loopback);
	a = parse_ok("[::1]:9000");
	v6 = (const struct sockaddr_in6 *)&a.ss;
	cr_assert_eq(v6->sin6_family, AF_INET6);
	cr_assert_eq(ntohs(v6->sin6_port), 9000);
	cr_assert(a.loopback);
	cr_assert_not(parse_ok("[::]:9000").loopback);
	cr_assert_not(parse_ok("192.0.2.1:65535").loopback);
}

Test(web_addr, refused)
{
	parse_bad("", "port \"\"");
	parse_bad("65536", "port \"65536\"");
	parse_bad("-1", "port \"-1\"");
	parse_bad("80x", "port \"80x\"");
	parse_bad("localhost:80", "address \"localhost\"");
	parse_bad("::1:80", "address \"::1\"");
	parse_bad(":80", "address \"\"");
	parse_bad("1.2.3.4:", "port \"\"");
}
