// SPDX-License-Identifier: GPL-2.0-only
/*
 * Built with -m32 -ffreestanding -fsyntax-only only: checks that Xen's
 * public io/blkif.h, laid out by the i386 rules, agrees with the x86_32
 * numbers of abi_list.h, which test_blkif_abi.c then compares with our
 * struct blkif_x86_32_* definitions.  (Built natively, the sizes differ
 * and this fails, so it cannot pass by accident.)
 */
#include <stddef.h>
#include <stdint.h>
#include "/usr/include/xen/io/blkif.h"
#include "abi_fields.h"

#define ABI_FIELD(kind, field, off32) \
	ABI_CHECK(offsetof(struct blkif_##kind, field) == (off32))
#define ABI_SIZE(kind, size32) \
	ABI_CHECK(sizeof(struct blkif_##kind) == (size32))

#include "abi_list.h"
ABI_CHECK(sizeof(union blkif_sring_entry) == ABI_X86_32_SLOT);
ABI_CHECK(__CONST_RING_SIZE(blkif, 4096) == ABI_X86_32_RING_4K);
