// SPDX-License-Identifier: GPL-2.0-only
/*
 * netfront's negotiation against a backend (and a toolstack) that writes
 * anything into xenstore.
 *
 * Input: two bytes of limits, then lines "key=value"; "mac" and "mtu" go
 * to their parsers, every other key to netfront_parse_be_key().  What
 * netfront_choose() sets up must be within both ends' limits, and only
 * what the backend offered.
 */
#include <stdint.h>
#include "drivers/net/xen-netfront/proto.h"
#include "fuzz.h"

int fuzz_one_input(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct netfront_keys be = { 0 };
	struct netfront_limits lim;
	struct netfront_conf c;
	const char *why;
	char line[96], *eq;
	u8 mac[6], b;
	u32 mtu;
	int err;

	lim.max_queues = fz_u8(&in);
	b = fz_u8(&in);
	lim.ctrl_ring = b & 1;
	lim.xdp = b & 2;
	while (fz_key_line(&in, line, sizeof(line), &eq)) {
		if (!eq)
			continue;
		if (!strcmp(line, "mac")) {
			err = netfront_parse_mac(eq, mac);
			FZ_ASSERT(err || (!(mac[0] & 1) && strlen(eq) == 17));
		} else if (!strcmp(line, "mtu")) {
			err = netfront_parse_mtu(eq, &mtu);
			FZ_ASSERT(err || (mtu >= 68 && mtu <= 65535));
		} else {
			err = netfront_parse_be_key(&be, line, eq);
		}
		FZ_ASSERT(!err || err == -ENOENT || err == -EINVAL ||
			  err == -ERANGE);
	}
	err = netfront_choose(&be, &lim, &c, &why);
	FZ_ASSERT(err == 0 || (err == -EINVAL && why));
	if (err)
		return 0;
	FZ_ASSERT(c.nr_queues >= 1 && c.nr_queues <= NETFRONT_MAX_QUEUES);
	FZ_ASSERT(c.nr_queues == 1 || c.nr_queues <= lim.max_queues);
	FZ_ASSERT(c.nr_queues == 1 ||
		  c.nr_queues <= be.val[NETFRONT_BE_MAX_QUEUES]);
	FZ_ASSERT(!c.ctrl_ring || (lim.ctrl_ring &&
				   be.val[NETFRONT_BE_CTRL_RING]));
	FZ_ASSERT(!c.xdp || lim.xdp);
	FZ_ASSERT(!c.dyn_mcast || c.mcast);
	FZ_ASSERT(!c.split || be.val[NETFRONT_BE_SPLIT]);
	return 0;
}
