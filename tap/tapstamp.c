// SPDX-License-Identifier: MIT
/* tapstamp.c - the kernel's send times of the frames a TAP's node sends */
/*
 * A frame's logical time should start when its node sent it, not when the
 * data plane read it: on a VM that halts idle vCPUs, waking the reader
 * takes tens of microseconds (docs/performance.md). The TAP gives no
 * receive time with read(), so an AF_PACKET socket bound to the TAP inside
 * the node's namespace watches it: dev_queue_xmit_nit() hands the socket a
 * clone of each frame the node's stack transmits, just before
 * tun_net_xmit() queues the frame for our read(), in the sender's own
 * system call, and with SO_TIMESTAMPNS the clone carries the time of that
 * moment (CLOCK_REALTIME). A classic BPF filter keeps only outgoing frames
 * (not those we write) and cuts them at TAPSTAMP_SNAP bytes, so the cost is
 * one clone per frame and one recvmmsg() per batch.
 *
 * Matching: the socket sees the frames in the order the TAP's ring gets
 * them, but also those the ring then drops (overrun), and it may itself
 * drop some when its buffer is full. So each stamp waits in a FIFO with a
 * key (the hash of the frame's first bytes, the same bytes in both copies),
 * and a frame read from the TAP takes the oldest stamp with its key; the
 * stamps before it belonged to frames we never got. A frame with no stamp
 * keeps its read time (counted as missed).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tap/tapstamp.h"

#define TAPSTAMP_BATCH 32	/* frames per recvmmsg() */

uint64_t tapstamp_key(const uint8_t *frame, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	if (len > TAPSTAMP_SNAP)
		len = TAPSTAMP_SNAP;
	for (size_t i = 0; i < len; i++) {
		h ^= frame[i];
		h *= 0x100000001b3ULL;
	}
	return h ^ len;
}

/* Only what the node sends, cut at TAPSTAMP_SNAP bytes. */
static int tapstamp_filter(int fd)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_PKTTYPE),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, TAPSTAMP_SNAP),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { .len = 4, .filter = code };

	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
		       sizeof(prog)) < 0)
		return -errno;
	return 0;
}

int tapstamp_open(int ifindex, struct tapstamp **out)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = ifindex,
	};
	int on = 1, buf = 256 << 10;
	struct tapstamp *s;
	int ret;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	/* protocol 0: nothing is queued before the filter is on */
	s->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		ret = -errno;
		goto out_free;
	}
	ret = tapstamp_filter(s->fd);
	if (ret < 0)
		goto out_close;
	if (setsockopt(s->fd, SOL_SOCKET, SO_TIMESTAMPNS, &on,
		       sizeof(on)) < 0 ||
	    setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf)) < 0 ||
	    bind(s->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		ret = -errno;
		goto out_close;
	}
	*out = s;
	return 0;

out_close:
	close(s->fd);
out_free:
	free(s);
	return ret;
}

void tapstamp_free(struct tapstamp *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	free(s);
}

static void tapstamp_push(struct tapstamp *s, uint64_t key, int64_t ns)
{
	struct tapstamp_ent *e;

	if (s->n == TAPSTAMP_RING) {
		/* the oldest waited longest: its frame is not coming */
		s->head = (s->head + 1) % TAPSTAMP_RING;
		s->n--;
	}
	e = &s->ring[(s->head + s->n) % TAPSTAMP_RING];
	e->key = key;
	e->ns = ns;
	s->n++;
}

/* The SO_TIMESTAMPNS of a received message, or 0. */
static int64_t tapstamp_of(struct msghdr *m)
{
	struct timespec ts;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level != SOL_SOCKET ||
		    c->cmsg_type != SO_TIMESTAMPNS)
			continue;
		memcpy(&ts, CMSG_DATA(c), sizeof(ts));
		return ts.tv_sec * INT64_C(1000000000) + ts.tv_nsec;
	}
	return 0;
}

int tapstamp_drain(struct tapstamp *s)
{
	uint8_t data[TAPSTAMP_BATCH][TAPSTAMP_SNAP];
	union {
		char buf[CMSG_SPACE(sizeof(struct timespec))];
		struct cmsghdr align;
	} ctl[TAPSTAMP_BATCH];
	struct mmsghdr mm[TAPSTAMP_BATCH];
	struct iovec iov[TAPSTAMP_BATCH];
	bool down_seen = false;
	int n;

	do {
		memset(mm, 0, sizeof(mm));
		for (int i = 0; i < TAPSTAMP_BATCH; i++) {
			iov[i].iov_base = data[i];
			iov[i].iov_len = TAPSTAMP_SNAP;
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
			mm[i].msg_hdr.msg_control = ctl[i].buf;
			mm[i].msg_hdr.msg_controllen = sizeof(ctl[i].buf);
		}
		n = recvmmsg(s->fd, mm, TAPSTAMP_BATCH, MSG_DONTWAIT, NULL);
		/*
		 * Bound before the device came up, the socket reports
		 * ENETDOWN once (its sk_err), then works.
		 */
		if (n < 0 && errno == ENETDOWN && !down_seen) {
			down_seen = true;
			n = TAPSTAMP_BATCH;
			continue;
		}
		if (n < 0)
			return errno == EAGAIN ? 0 : -errno;
		for (int i = 0; i < n; i++) {
			int64_t ns = tapstamp_of(&mm[i].msg_hdr);
			size_t len = mm[i].msg_len;

			if (ns)
				tapstamp_push(s, tapstamp_key(data[i], len),
					      ns);
		}
	} while (n == TAPSTAMP_BATCH);
	return 0;
}

/* The oldest stamp with key: used up with every older one. */
static bool tapstamp_find(struct tapstamp *s, uint64_t key, int64_t *ns)
{
	for (unsigned i = 0; i < s->n; i++) {
		struct tapstamp_ent *e = &s->ring[(s->head + i) %
						  TAPSTAMP_RING];

		if (e->key != key)
			continue;
		*ns = e->ns;
		s->head = (s->head + i + 1) % TAPSTAMP_RING;
		s->n -= i + 1;
		return true;
	}
	return false;
}

bool tapstamp_take(struct tapstamp *s, const uint8_t *frame, size_t len,
		   int64_t *ns)
{
	uint64_t key = tapstamp_key(frame, len);

	/* its stamp may have come after the last drain */
	if (tapstamp_find(s, key, ns) ||
	    (tapstamp_drain(s) == 0 && tapstamp_find(s, key, ns))) {
		s->found++;
		return true;
	}
	s->missed++;
	return false;
}
