/* SPDX-License-Identifier: MIT */
/* pcapng.h - one pcapng file with many interfaces (one per directed link) that ends at a whole block */
#ifndef EMU_PCAPNG_H
#define EMU_PCAPNG_H

#include <stddef.h>
#include <stdint.h>

struct pcapng;

/* The longest interface name (if_name) pcapng_iface_add() takes. */
#define PCAPNG_NAME_MAX 255

/*
 * Create path (truncated if it exists) with its Section Header Block, for
 * Ethernet frames cut at snaplen bytes (0 = 262144). 0 or -errno (*out is
 * then untouched and no file is left).
 */
int pcapng_open(const char *path, unsigned snaplen, struct pcapng **out);
/*
 * The interface of key (the caller's: e.g. a << 32 | b for link a -> b),
 * or -1 when key has none yet.
 */
long pcapng_iface_find(const struct pcapng *p, uint64_t key);
/*
 * Give key (which has none) the next interface: an Interface Description
 * Block named name (if_name), Ethernet, nanosecond timestamps (if_tsresol
 * 9). Its id in *id. 0, -ENAMETOOLONG (name over PCAPNG_NAME_MAX bytes),
 * -ENOMEM, or the write error of the file (as pcapng_frame()).
 */
int pcapng_iface_add(struct pcapng *p, uint64_t key, const char *name,
		     uint32_t *id);
/*
 * Record one Ethernet frame (no virtio-net header) on interface iface (an
 * id pcapng_iface_add() gave) at realtime ns, as an Enhanced Packet Block.
 * Blocks are buffered and written whole. 0, -EINVAL for an unknown
 * interface, or -errno when the file could not be written (a full disk):
 * the file is then cut back to its last whole block, and this writer
 * records nothing more and returns the same error.
 */
int pcapng_frame(struct pcapng *p, uint32_t iface, const uint8_t *frame,
		 size_t len, int64_t realtime_ns);
/*
 * Write what is buffered and close; accepts NULL. 0, or the -errno of the
 * first write that failed (the file then ends at its last whole block).
 */
int pcapng_close(struct pcapng *p);
/* Frames in the file (after a failure: those it kept). */
uint64_t pcapng_count(const struct pcapng *p);
/* Interfaces given so far. */
uint32_t pcapng_ifaces(const struct pcapng *p);
/* The file's path, for messages. */
const char *pcapng_path(const struct pcapng *p);

#endif
