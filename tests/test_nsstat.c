// SPDX-License-Identifier: MIT
/* test_nsstat.c - the UDP counters of a namespace's /proc/net/snmp */
#include <errno.h>

#include <criterion/criterion.h>

#include "tap/nsstat.h"

/* Abridged from Linux 6.18's /proc/net/snmp: names and values word for word. */
static const char snmp[] =
	"Ip: Forwarding DefaultTTL InReceives\n"
	"Ip: 2 64 12\n"
	"Tcp: RtoAlgorithm RtoMin\n"
	"Tcp: 1 200\n"
	"Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors "
	"SndbufErrors InCsumErrors IgnoredMulti MemErrors\n"
	"Udp: 451234 16 329911 2038 329900 0 0 0 0\n"
	"UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors "
	"SndbufErrors InCsumErrors IgnoredMulti MemErrors\n"
	"UdpLite: 0 0 0 0 7 0 0 0 0\n";

Test(nsstat, udp_fields)
{
	struct nsstat_udp u = { 0 };

	cr_assert_eq(nsstat_udp_parse(snmp, &u), 0);
	cr_expect_eq(u.in, 451234);
	cr_expect_eq(u.rcvbuf, 329900, "RcvbufErrors of Udp, not UdpLite");
}

Test(nsstat, malformed)
{
	struct nsstat_udp u;

	cr_expect_eq(nsstat_udp_parse("Ip: A\nIp: 1\n", &u), -EPROTO);
	/* a value line shorter than its names */
	cr_expect_eq(nsstat_udp_parse("Ip: A\nIp: 1\nUdp: InDatagrams "
				      "RcvbufErrors\nUdp: 5\n", &u), -EPROTO);
	cr_expect_eq(nsstat_udp_parse("Ip: A\nIp: 1\nUdp: InDatagrams "
				      "RcvbufErrors\nUdp: 5 x\n", &u), -EPROTO);
	cr_expect_eq(nsstat_udp_parse("Ip: A\nIp: 1\nUdp: InDatagrams "
				      "RcvbufErrors\nUdp: 5 6\n", &u), 0);
	cr_expect_eq(u.rcvbuf, 6);
}
