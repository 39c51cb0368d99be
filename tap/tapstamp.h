/* SPDX-License-Identifier: MIT */
/* tapstamp.h - the kernel's send times of the frames a TAP's node sends */
#ifndef TAP_TAPSTAMP_H
#define TAP_TAPSTAMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Stamps kept waiting for their frame; older ones make room. */
#define TAPSTAMP_RING 1024
/* Bytes of each frame the key covers (and the socket keeps). */
#define TAPSTAMP_SNAP 64

struct tapstamp_ent {
	uint64_t key;			/* tapstamp_key() of the frame */
	int64_t ns;			/* CLOCK_REALTIME when it was sent */
};

struct tapstamp {
	int fd;				/* AF_PACKET, bound to the TAP */
	uint8_t *slots;			/* its ring, mapped (tapstamp.c) */
	unsigned slot;			/* the next slot to look at */
	unsigned head, n;		/* FIFO in ring[] */
	uint64_t found, missed;		/* frames stamped, not stamped */
	struct tapstamp_ent ring[TAPSTAMP_RING];
};

/*
 * Open the stamp socket of the TAP ifindex in the calling thread's
 * namespace (enter the node's first: netns_enter()). 0 or -errno.
 */
int tapstamp_open(int ifindex, struct tapstamp **out);
/* Close and free; NULL is ok. */
void tapstamp_free(struct tapstamp *s);
/* Read every stamp waiting on the socket into the FIFO. 0 or -errno. */
int tapstamp_drain(struct tapstamp *s);
/*
 * The send time (CLOCK_REALTIME ns) of frame (Ethernet header first, as
 * read from the TAP after its virtio-net header): the oldest stamp with
 * its key, draining the ring once more if none is waiting; older
 * stamps are dropped (frames the TAP's ring dropped). false if none has
 * its key (the frame is counted in missed).
 */
bool tapstamp_take(struct tapstamp *s, const uint8_t *frame, size_t len,
		   int64_t *ns);
/* The key of a frame: FNV-1a of its first TAPSTAMP_SNAP bytes. */
uint64_t tapstamp_key(const uint8_t *frame, size_t len);

#endif
