/* SPDX-License-Identifier: MIT */
/* geneve.h - the shards' datagrams: GENEVE (RFC 8926) headers with lasermesh's
 * options */
#ifndef EMU_GENEVE_H
#define EMU_GENEVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "topo/lib/vnet.h"

/* GENEVE's IANA port: Wireshark and tshark decode it without being told. */
#define GENEVE_PORT 6081
/* Protocol type of an Ethernet payload (Transparent Ethernet Bridging). */
#define GENEVE_PROTO_ETH 0x6558
/* Our option class, from RFC 8926's experimental range 0xFFF0-0xFFFF. */
#define GENEVE_CLASS 0xFFF1
/* Virtual network identifier of every lasermesh datagram ("LMS"). */
#define GENEVE_VNI 0x4c4d53

/* Option types (class GENEVE_CLASS); none critical (high bit clear). */
enum {
	GENEVE_T_LINK = 1, /* v, w, ingress: 12 bytes */
	GENEVE_T_TIME = 2, /* due time, ns CLOCK_REALTIME: 8 bytes */
	GENEVE_T_SEQ = 3,  /* shard, flags, sequence number: 8 bytes */
	GENEVE_T_VNET = 4, /* the frame's virtio-net header: 12 bytes */
	GENEVE_T_CTL = 16, /* a control message (O bit set): 64 bytes */
};

/* The data header's length: base, LINK, TIME, SEQ and VNET options. */
#define GENEVE_DATA_HDR (8 + 16 + 12 + 12 + 16)
#define GENEVE_CTL_LEN (8 + 4 + 64)
/* The largest UDP payload over IPv4 (65,535 - 20 - 8). */
#define GENEVE_UDP_MAX 65507
/* The longest Ethernet frame one data datagram carries. */
#define GENEVE_FRAME_MAX (GENEVE_UDP_MAX - GENEVE_DATA_HDR)

/* GENEVE_T_SEQ flags. */
enum { GENEVE_F_TTL_DONE = 1U << 0 };

/* A frame that crosses a cut link v -> w: what the next shard needs. */
struct geneve_data {
	uint32_t v, w;	  /* the directed link it crossed */
	uint32_t ingress; /* the node where it entered the mesh */
	int64_t due_ns;	  /* last bit at w, CLOCK_REALTIME ns */
	uint16_t shard;	  /* the sender's index */
	uint16_t flags;	  /* GENEVE_F_* */
	uint32_t seq;	  /* per (sender, receiver), from 0 */
	uint8_t vnet[VNET_HDR_LEN];
};

/* Control messages between shards (docs/design.md, "Shards"). */
enum geneve_ctl_kind {
	GENEVE_C_HELLO = 1, /* alive; a = step-0 digest, b = ready */
	GENEVE_C_START,	    /* a = orbital time 0, CLOCK_REALTIME ns */
	GENEVE_C_DIGEST,    /* a = step, b = digest */
	GENEVE_C_BYE,	    /* ending; a = 0 or an error; b = 1 at its end */
	GENEVE_C_PROBE,	    /* clock probe: a = t1 */
	GENEVE_C_ECHO,	    /* its answer: a = t1, b = t2, c = t3 */
	GENEVE_C_EVENT,	    /* a live fault for every shard: fault_wire.h */
	GENEVE_C_CLOCK,	    /* a = when (CLOCK_REALTIME ns), b = time scale
			     * (the double's bits), c = paused, d = number */
	GENEVE_C__COUNT
};

struct geneve_ctl {
	uint8_t kind;	/* enum geneve_ctl_kind */
	uint16_t shard; /* the sender's index */
	uint32_t seq;	/* per sender, from 0 */
	int64_t a, b, c, d, e, f, g;
};

/* One datagram, parsed. */
struct geneve_msg {
	bool ctl;
	struct geneve_data d; /* !ctl */
	struct geneve_ctl c;  /* ctl */
	const uint8_t *frame; /* !ctl: the Ethernet frame */
	size_t frame_len;
};

/* Write the data header of d into buf (GENEVE_DATA_HDR bytes). */
void geneve_data_hdr(uint8_t buf[GENEVE_DATA_HDR], const struct geneve_data *d);
/* Write a control datagram into buf (GENEVE_CTL_LEN bytes). */
void geneve_ctl_build(uint8_t buf[GENEVE_CTL_LEN], const struct geneve_ctl *c);
/*
 * Parse a datagram: version 0, our VNI, options of our class with their
 * lengths, every option a data frame needs exactly once and an Ethernet
 * frame after them, or one control option with the O bit. Anything else
 * is refused with the reason in *why (never trusted further).
 */
bool geneve_parse(const uint8_t *buf, size_t len, struct geneve_msg *m,
		  const char **why);

#endif
