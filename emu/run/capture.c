// SPDX-License-Identifier: MIT
/* capture.c - write nanosecond pcap files through libpcap */
#include <errno.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu/run/capture.h"

struct capture {
	pcap_t *pcap;
	pcap_dumper_t *dump;
	unsigned snaplen;
	uint64_t count;
};

int capture_open(const char *dir, const char *name, unsigned snaplen,
		 struct capture **out, char *err, size_t errlen)
{
	char path[PATH_MAX];
	struct capture *c;
	int ret;

	if (!snaplen)
		snaplen = 262144;
	if (snprintf(path, sizeof(path), "%s/%s.pcap", dir, name) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->snaplen = snaplen;
	c->pcap = pcap_open_dead_with_tstamp_precision(
		DLT_EN10MB, (int)snaplen, PCAP_TSTAMP_PRECISION_NANO);
	if (!c->pcap) {
		ret = -ENOMEM;
		goto out_free;
	}
	c->dump = pcap_dump_open(c->pcap, path);
	if (!c->dump) {
		if (err)
			snprintf(err, errlen, "%s", pcap_geterr(c->pcap));
		ret = errno ? -errno : -EIO;
		goto out_close;
	}
	*out = c;
	return 0;

out_close:
	pcap_close(c->pcap);
out_free:
	free(c);
	return ret;
}

void capture_frame(struct capture *c, const uint8_t *frame, size_t len,
		   int64_t realtime_ns)
{
	struct pcap_pkthdr h;

	if (!c)
		return;
	/* with nanosecond precision libpcap reads tv_usec as nanoseconds */
	h.ts.tv_sec = realtime_ns / 1000000000;
	h.ts.tv_usec = realtime_ns % 1000000000;
	h.len = (bpf_u_int32)len;
	h.caplen = len < c->snaplen ? (bpf_u_int32)len : c->snaplen;
	pcap_dump((u_char *)c->dump, &h, frame);
	c->count++;
}

uint64_t capture_count(const struct capture *c)
{
	return c ? c->count : 0;
}

void capture_close(struct capture *c)
{
	if (!c)
		return;
	if (c->dump) {
		pcap_dump_flush(c->dump);
		pcap_dump_close(c->dump);
	}
	if (c->pcap)
		pcap_close(c->pcap);
	free(c);
}
