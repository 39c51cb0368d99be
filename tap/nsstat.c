// SPDX-License-Identifier: MIT
/* nsstat.c - a namespace's own counters: UDP datagrams its sockets took and refused */
/*
 * A frame the emulator delivers can still be lost inside the node: when a
 * UDP socket's receive buffer is full the kernel drops the datagram and
 * counts it in RcvbufErrors, which lives per network namespace in
 * /proc/net/snmp. /proc/thread-self/net shows the calling thread's
 * namespace, so we enter the node's, read it and come back.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap/file.h"
#include "tap/netns.h"
#include "tap/nsstat.h"

#define NSSTAT_MAX (64 << 10)	/* /proc/net/snmp is about 2 KiB */

/*
 * The value under key: head and vals point at "Udp: " lines, the names and
 * their values, word for word. 0 or -1.
 */
static int nsstat_field(const char *head, const char *vals, const char *key,
			uint64_t *out)
{
	const char *h = head + 5, *v = vals + 5;
	size_t klen = strlen(key);

	while (*h && *h != '\n' && *v && *v != '\n') {
		size_t hl = strcspn(h, " \n"), vl = strcspn(v, " \n");

		if (hl == klen && !strncmp(h, key, klen)) {
			char *end;

			errno = 0;
			*out = strtoull(v, &end, 10);
			return errno || end != v + vl || !vl ? -1 : 0;
		}
		h += hl + (h[hl] == ' ');
		v += vl + (v[vl] == ' ');
	}
	return -1;
}

int nsstat_udp_parse(const char *text, struct nsstat_udp *out)
{
	const char *head = strstr(text, "\nUdp: ");
	const char *vals;

	if (!head)
		return -EPROTO;
	head++;		/* Ip, Icmp, IcmpMsg and Tcp come first */
	vals = strchr(head, '\n');
	if (!vals || strncmp(vals + 1, "Udp: ", 5))
		return -EPROTO;
	vals++;
	if (nsstat_field(head, vals, "InDatagrams", &out->in) < 0 ||
	    nsstat_field(head, vals, "RcvbufErrors", &out->rcvbuf) < 0)
		return -EPROTO;
	return 0;
}

int nsstat_udp(const char *netns, struct nsstat_udp *out)
{
	int nsfd, saved, ret, err;
	char *text = NULL;
	size_t len;

	ret = netns_open(netns, &nsfd);
	if (ret < 0)
		return ret;
	ret = netns_enter(nsfd, &saved);
	close(nsfd);
	if (ret < 0)
		return ret;
	ret = file_read_all("/proc/thread-self/net/snmp", NSSTAT_MAX, 0,
			    &text, &len);
	err = netns_leave(saved);
	if (ret == 0)
		ret = err ? err : nsstat_udp_parse(text, out);
	free(text);
	return ret;
}
