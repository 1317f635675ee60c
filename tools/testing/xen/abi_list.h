/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The blkif wire structures field by field, for the ABI test: included
 * several times, each time with its own ABI_FIELD() and ABI_SIZE().
 *
 * ABI_FIELD(kind, field, x86_32 offset) names a field of struct
 * blkif_<kind>; ABI_SIZE(kind, x86_32 size) the structure's size.  The
 * x86_32 numbers are worked out by hand from that ABI's rule (64-bit
 * fields aligned to 4 bytes); abi_xen32.c checks them against Xen's own
 * header built with -m32.
 *
 * No include guard: including it again is the point.
 */
ABI_FIELD(request_segment, gref, 0);
ABI_FIELD(request_segment, first_sect, 4);
ABI_FIELD(request_segment, last_sect, 5);
ABI_FIELD(request, operation, 0);
ABI_FIELD(request, nr_segments, 1);
ABI_FIELD(request, handle, 2);
ABI_FIELD(request, id, 4);
ABI_FIELD(request, sector_number, 12);
ABI_FIELD(request, seg, 20);
ABI_FIELD(request_discard, operation, 0);
ABI_FIELD(request_discard, flag, 1);
ABI_FIELD(request_discard, handle, 2);
ABI_FIELD(request_discard, id, 4);
ABI_FIELD(request_discard, sector_number, 12);
ABI_FIELD(request_discard, nr_sectors, 20);
ABI_FIELD(request_indirect, operation, 0);
ABI_FIELD(request_indirect, indirect_op, 1);
ABI_FIELD(request_indirect, nr_segments, 2);
ABI_FIELD(request_indirect, id, 4);
ABI_FIELD(request_indirect, sector_number, 12);
ABI_FIELD(request_indirect, handle, 20);
ABI_FIELD(request_indirect, indirect_grefs, 24);
ABI_FIELD(response, id, 0);
ABI_FIELD(response, operation, 8);
ABI_FIELD(response, status, 10);
ABI_SIZE(request_segment, 8);
ABI_SIZE(request, 108);
ABI_SIZE(request_discard, 28);
ABI_SIZE(request_indirect, 64);
ABI_SIZE(response, 12);
