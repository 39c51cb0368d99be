/* SPDX-License-Identifier: MIT */
/* nsstat.h - a namespace's own counters: UDP datagrams its sockets took and refused */
#ifndef TAP_NSSTAT_H
#define TAP_NSSTAT_H

#include <stdint.h>

/* The Udp line of a namespace's /proc/net/snmp, the fields we report. */
struct nsstat_udp {
	uint64_t in;		/* InDatagrams: delivered to a socket */
	uint64_t rcvbuf;	/* RcvbufErrors: refused, the socket full */
};

/*
 * Read the UDP counters of the namespace at /run/netns/NAME (since it was
 * made): the calling thread enters it meanwhile. 0 or -errno (-EPROTO: no
 * Udp line as expected).
 */
int nsstat_udp(const char *netns, struct nsstat_udp *out);
/* The same from the text of a /proc/net/snmp file. 0 or -EPROTO. */
int nsstat_udp_parse(const char *text, struct nsstat_udp *out);

#endif
