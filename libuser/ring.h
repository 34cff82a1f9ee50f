/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The layout of a zero-copy ring inside a region. Private to libipcchan:
 * this is the only definition of it, and only ring.c includes it.
 *
 * ipcchan_ring_create() writes struct ipcchan_ring_header at offset 0 of the
 * region, once, before anything else uses the ring: magic last, with release
 * ordering, so that a reader that sees the magic sees the whole header. Every
 * user, the creator included, then reads the layout from the header and
 * nowhere else. The creator places the rest like this (the RING_*_OFFSET
 * values below), but a reader only trusts what the header says:
 *
 *   0     struct ipcchan_ring_header                  written once
 *   64    producer index, __u64                       written by the producer
 *   128   consumer index, __u64                       written by the consumer
 *   192   producer-waiting flag, __u32                set by the producer,
 *                                                     taken down by either
 *   256   consumer-waiting flag, __u32                the other way round
 *   320   data area, data_size bytes (a power of two)
 *
 * Each of those words sits on a cache line of its own, so that the two sides
 * do not write to one line in the common case.
 *
 * The indices are free-running byte counts: the producer's (tail) counts the
 * bytes ever published, the consumer's (head) the bytes ever released; the
 * ring holds tail - head bytes, at data offsets index & (data_size - 1). Both
 * are multiples of RING_ALIGN.
 *
 * The data area holds records. A record is a struct ring_record followed by
 * the payload, padded to RING_ALIGN, and never wraps: when the next record
 * does not fit before the end of the data area, the producer writes a record
 * with RING_REC_PAD there, which means "the rest of this lap is unused", and
 * starts again at data offset 0.
 *
 * A side that finds nothing to do announces it in its waiting flag (0: not
 * waiting, else a number new to each announcement), re-checks, and sleeps
 * in IPCCHAN_IOC_REGION_WAIT while the flag holds that number; the other
 * side, after it moves its index, takes a raised flag down and wakes the
 * region (ring.c has the ordering argument).
 */
#ifndef LIBIPCCHAN_RING_H
#define LIBIPCCHAN_RING_H

#include <linux/types.h>

#define RING_MAGIC		0x474e5249U	/* "IRNG", little-endian */
#define RING_VERSION		1

/* Records and indices are aligned to this. */
#define RING_ALIGN		8

/* Smallest and largest data area ipcchan_ring_create() makes. */
#define RING_MIN_CAPACITY	4096ULL
#define RING_MAX_CAPACITY	(1ULL << 40)

/* Where ipcchan_ring_create() puts things; readers use the header instead. */
#define RING_CACHELINE		64
#define RING_PROD_OFFSET	(1 * RING_CACHELINE)
#define RING_CONS_OFFSET	(2 * RING_CACHELINE)
#define RING_PROD_WAIT_OFFSET	(3 * RING_CACHELINE)
#define RING_CONS_WAIT_OFFSET	(4 * RING_CACHELINE)
#define RING_DATA_OFFSET	(5 * RING_CACHELINE)

/**
 * struct ipcchan_ring_header - what sits at offset 0 of a ring's region
 * @magic: RING_MAGIC
 * @version: RING_VERSION; another version is -EPROTO
 * @header_size: sizeof() this struct as the creator knew it
 * @flags: zero; a bit the reader does not know is -EPROTO
 * @data_offset: offset of the data area in the region, RING_ALIGN aligned
 * @data_size: size of the data area in bytes, a power of two
 * @prod_offset: offset of the producer index, a __u64
 * @cons_offset: offset of the consumer index, a __u64
 * @prod_wait_offset: offset of the producer-waiting flag, a __u32
 * @cons_wait_offset: offset of the consumer-waiting flag, a __u32
 *
 * Offsets are from the start of the region. The four words lie between the
 * header and the data area, aligned to their size, and do not overlap;
 * anything else is -EINVAL.
 */
struct ipcchan_ring_header {
	__u32 magic;
	__u32 version;
	__u32 header_size;
	__u32 flags;
	__u64 data_offset;
	__u64 data_size;
	__u64 prod_offset;
	__u64 cons_offset;
	__u64 prod_wait_offset;
	__u64 cons_wait_offset;
};

/* Flags of struct ring_record. */
#define RING_REC_PAD		0x1U	/* skip to the start of the next lap */

/**
 * struct ring_record - the head of a record in the data area
 * @len: payload length in bytes; the record takes sizeof(struct
 *       ring_record) + @len rounded up to RING_ALIGN
 * @flags: RING_REC_PAD or 0
 */
struct ring_record {
	__u32 len;
	__u32 flags;
};

_Static_assert(sizeof(struct ipcchan_ring_header) == 64,
	       "the ring header is one cache line");
_Static_assert(sizeof(struct ipcchan_ring_header) <= RING_PROD_OFFSET,
	       "the header ends before the first index");
_Static_assert(sizeof(struct ring_record) == RING_ALIGN,
	       "a record's payload starts aligned");

#endif /* LIBIPCCHAN_RING_H */
