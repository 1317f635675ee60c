// SPDX-License-Identifier: GPL-2.0-only
/*
 * netfront's control ring against a backend that answers anything.
 *
 * The input is a series of 16-byte steps: the id and type of the request
 * the frontend has outstanding, then a 12-byte response.  A response is
 * taken only if it answers that request, and what it yields stays within
 * the frontend's limits.
 */
#include <stdint.h>
#include "drivers/net/xen-netfront/proto.h"
#include "fuzz.h"

int fuzz_one_input(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	u32 steps = 0;

	while (in.left >= 16 && steps++ < 256) {
		struct xen_netif_ctrl_response rsp;
		u16 id, type;
		u32 value = 0xdead;
		int err;

		fz_bytes(&in, &id, sizeof(id));
		fz_bytes(&in, &type, sizeof(type));
		fz_bytes(&in, &rsp, sizeof(rsp));
		err = netfront_ctrl_rsp(&rsp, id, type, &value);
		FZ_ASSERT(!err || err == -EPROTO || err == -EOPNOTSUPP ||
			  err == -EINVAL || err == -ENOSPC || err == -EIO);
		if (err == -EPROTO)
			FZ_ASSERT(rsp.id != id || rsp.type != type);
		else
			FZ_ASSERT(rsp.id == id && rsp.type == type);
		if (err)
			FZ_ASSERT(value == 0);
		FZ_ASSERT(!(value & ~NETFRONT_HASH_TYPES) ||
			  type == XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE);
		FZ_ASSERT(value <= NETFRONT_HASH_MAPPING_MAX ||
			  type == XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS);
		if (type != XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS &&
		    type != XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE)
			FZ_ASSERT(value == 0);
	}
	return 0;
}
