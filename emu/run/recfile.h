/* SPDX-License-Identifier: MIT */
/* recfile.h - a capture file written in whole records: buffered, cut back to the last whole one on a full disk */
#ifndef EMU_RECFILE_H
#define EMU_RECFILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

/*
 * The one writer under both capture formats (capture.c's pcap, pcapng.c's
 * pcapng). Records (a pcap frame, a pcapng block) are gathered in a buffer
 * and written whole; a record larger than the buffer goes straight out.
 * When a write fails (a full disk) the file is cut back to its last whole
 * record, the error is kept and every later call returns it: the file
 * stays readable to its end, with count saying how many frames it holds.
 */
struct recfile {
	int fd;
	int error;		/* first write error, 0 while fine */
	uint64_t count;		/* frames recorded (on disk or buffered) */
	uint64_t nbuf;		/* of which buffered */
	off_t off;		/* bytes on disk: always a record boundary */
	size_t used, cap;	/* bytes buffered, buffer size */
	uint8_t *buf;
};

/* Write to fd (open, empty) through a buffer of cap bytes. 0 or -ENOMEM. */
int recfile_init(struct recfile *f, int fd, size_t cap);
/*
 * Add one whole record of bytes bytes given as n pieces, holding nrec
 * frames (0 for a header). 0, or the write error (-errno) kept.
 */
int recfile_add(struct recfile *f, struct iovec *iov, int n, size_t bytes,
		uint64_t nrec);
/* Write what is buffered. 0 or the kept error. */
int recfile_flush(struct recfile *f);
/* Free the buffer (the descriptor stays the caller's). */
void recfile_free(struct recfile *f);

#endif
