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
 * (not those we write) and cuts them at TAPSTAMP_SNAP bytes into the
 * socket's ring, mapped here: the cost is one clone and copy per frame in
 * the sender's call, and no system call of ours. (A first version read the
 * stamps with recvmmsg() and SO_TIMESTAMPNS: it cost 2-3 us of CPU per
 * small frame, docs/performance.md.)
 *
 * Matching: the socket sees the frames in the order the TAP's ring gets
 * them, but also those the TAP's ring then drops (overrun), and it drops
 * some itself when its own ring is full. So each stamp waits in a FIFO with a
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
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tap/tapstamp.h"

/*
 * The socket's ring (PACKET_RX_RING, TPACKET_V2), shared with the kernel:
 * no system call per stamp. 256 slots of 256 bytes (a header, the
 * address, TAPSTAMP_SNAP bytes of frame) hold what arrives between two
 * reads of a busy TAP: 64 KiB of kernel memory per node (64 MiB for 1,000
 * nodes). Frames sent while it is full get no stamp, and start when read.
 */
#define TAPSTAMP_SEARCH 256	/* stamps a frame's key is looked for in */
#define TAPSTAMP_SLOT 256
#define TAPSTAMP_SLOTS 256

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

/* The TPACKET_V2 ring, mapped into s->ring. 0 or -errno. */
static int tapstamp_ring(struct tapstamp *s)
{
	struct tpacket_req req = {
		.tp_block_size = TAPSTAMP_SLOT * TAPSTAMP_SLOTS,
		.tp_block_nr = 1,
		.tp_frame_size = TAPSTAMP_SLOT,
		.tp_frame_nr = TAPSTAMP_SLOTS,
	};
	int v = TPACKET_V2;
	void *m;

	if (setsockopt(s->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) < 0 ||
	    setsockopt(s->fd, SOL_PACKET, PACKET_RX_RING, &req,
		       sizeof(req)) < 0)
		return -errno;
	m = mmap(NULL, TAPSTAMP_SLOT * TAPSTAMP_SLOTS, PROT_READ | PROT_WRITE,
		 MAP_SHARED, s->fd, 0);
	if (m == MAP_FAILED)
		return -errno;
	s->slots = m;
	return 0;
}

int tapstamp_open(int ifindex, struct tapstamp **out)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = ifindex,
	};
	struct tapstamp *s;
	int on = 1;
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
	/* on: the kernel stamps frames as they are sent (net_timestamp_set) */
	if (setsockopt(s->fd, SOL_SOCKET, SO_TIMESTAMPNS, &on,
		       sizeof(on)) < 0) {
		ret = -errno;
		goto out_close;
	}
	ret = tapstamp_ring(s);
	if (ret < 0)
		goto out_close;
	if (bind(s->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		ret = -errno;
		goto out_unmap;
	}
	*out = s;
	return 0;

out_unmap:
	munmap(s->slots, TAPSTAMP_SLOT * TAPSTAMP_SLOTS);
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
	if (s->slots)
		munmap(s->slots, TAPSTAMP_SLOT * TAPSTAMP_SLOTS);
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

int tapstamp_drain(struct tapstamp *s)
{
	if (!s->slots)
		return 0;
	for (;;) {
		struct tpacket2_hdr *h = (struct tpacket2_hdr *)
			(s->slots + (size_t)s->slot * TAPSTAMP_SLOT);

		/* the slot is ours once the kernel has said so, not before */
		if (!(__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) &
		      TP_STATUS_USER))
			return 0;
		if (h->tp_mac + h->tp_snaplen <= TAPSTAMP_SLOT)
			tapstamp_push(s, tapstamp_key((const uint8_t *)h +
							      h->tp_mac,
						      h->tp_snaplen),
				      h->tp_sec * INT64_C(1000000000) +
					      h->tp_nsec);
		__atomic_store_n(&h->tp_status, TP_STATUS_KERNEL,
				 __ATOMIC_RELEASE);
		s->slot = (s->slot + 1) % TAPSTAMP_SLOTS;
	}
}

/*
 * The oldest stamp with key among the first TAPSTAMP_SEARCH: used up with
 * every older one. Further on it would belong to a frame that many frames
 * after the last one read: when the TAP's ring overflows, searching the
 * whole FIFO for each frame would only slow the reader further.
 */
static bool tapstamp_find(struct tapstamp *s, uint64_t key, int64_t *ns)
{
	unsigned n = s->n < TAPSTAMP_SEARCH ? s->n : TAPSTAMP_SEARCH;

	for (unsigned i = 0; i < n; i++) {
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
