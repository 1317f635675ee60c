// SPDX-License-Identifier: GPL-2.0-only
/*
 * blkback's negotiation against a frontend that writes anything into its
 * xenstore keys.
 *
 * Input: three bytes of backend limits, then lines "key=value"; a line
 * for "protocol" goes to blkback_parse_protocol(), every other one to
 * blkback_parse_key().  blkback_choose_ring() must then accept exactly
 * the requests an independent model of the rules accepts, and what it
 * accepts must be within the limits.
 */
#include <stdint.h>
#include <linux/limits.h>
#include "drivers/block/xen-blkback/proto.h"
#include "fuzz.h"

/* The rules of blkback_choose_ring(), written differently. */
static bool model_ok(const struct blkback_frontend *fe,
		     const struct blkback_limits *lim, u64 *order)
{
	u32 max_order = lim->max_ring_order < 4 ? lim->max_ring_order : 4;
	u32 max_q = lim->max_queues ? lim->max_queues : 1;
	bool has_order = fe->present & (1u << BLKBACK_FE_RING_ORDER);
	bool has_pages = fe->present & (1u << BLKBACK_FE_RING_PAGES);
	u64 o;

	if (max_q > 16)
		max_q = 16;
	*order = 0;
	if (has_pages) {
		for (o = 0; o <= max_order; o++)
			if (fe->ring_pages == 1ull << o)
				break;
		if (o > max_order)
			return false;
		*order = o;
	}
	if (has_order) {
		if (fe->ring_order > max_order)
			return false;
		if (has_pages && fe->ring_order != *order)
			return false;
		*order = fe->ring_order;
	}
	if ((fe->present & (1u << BLKBACK_FE_QUEUES)) &&
	    (fe->nr_queues < 1 || fe->nr_queues > max_q))
		return false;
	return true;
}

int fuzz_one_input(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct blkback_frontend fe = { 0 };
	struct blkback_limits lim;
	struct blkback_ring_conf rc;
	enum blkback_abi abi = BLKBACK_ABI_NATIVE;
	char line[96], *eq;
	u64 order;
	bool want;
	int err;

	lim.max_ring_order = fz_u8(&in);
	lim.max_queues = fz_u8(&in);
	lim.persistent = fz_u8(&in) & 1;

	while (fz_key_line(&in, line, sizeof(line), &eq)) {
		if (!eq)
			continue;
		if (!strcmp(line, "protocol")) {
			err = blkback_parse_protocol(eq, &abi);
			FZ_ASSERT(err == 0 || err == -EINVAL);
			FZ_ASSERT(blkback_slot_size(abi) == 108 ||
				  blkback_slot_size(abi) == 112);
			continue;
		}
		err = blkback_parse_key(&fe, line, eq);
		FZ_ASSERT(!err || err == -ENOENT || err == -EINVAL ||
			  err == -ERANGE);
	}
	FZ_ASSERT(fe.ring_order <= U32_MAX && fe.ring_pages <= U32_MAX &&
		  fe.nr_queues <= U32_MAX);

	want = model_ok(&fe, &lim, &order);
	err = blkback_choose_ring(&fe, &lim, &rc);
	FZ_ASSERT(err == 0 || err == -EINVAL);
	FZ_ASSERT(!err == want);
	if (!err) {
		FZ_ASSERT(rc.ring_order == order);
		FZ_ASSERT(rc.ring_order <= BLKBACK_MAX_RING_ORDER);
		FZ_ASSERT(rc.nr_queues >= 1 &&
			  rc.nr_queues <= BLKBACK_MAX_QUEUES);
		FZ_ASSERT(rc.nr_queues == 1 || rc.nr_queues <= lim.max_queues);
		FZ_ASSERT(!rc.persistent || (lim.persistent && fe.persistent));
		FZ_ASSERT(rc.large_sectors == !!fe.large_sectors);
	}
	return 0;
}
