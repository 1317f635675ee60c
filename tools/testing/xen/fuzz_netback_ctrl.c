// SPDX-License-Identifier: GPL-2.0-only
/*
 * netback's control ring against a frontend that sends any request with
 * any data, and the hash over any packet.
 *
 * The input is the queue count, then requests of 16 bytes, each followed
 * by the bytes netback_ctrl_check() asks to copy.  After every request the
 * hash state must still be valid: the key within bounds and every mapping
 * entry a queue that exists (XSA-270).  The packet hash runs over what
 * remains of the input.
 */
#include <stdint.h>
#include "drivers/net/xen-netback/proto.h"
#include "fuzz.h"

int fuzz_one_input(const uint8_t *data, size_t size)
{
	static u8 buf[NETIF_PAGE_SIZE];
	struct fuzz_in in = { data, size };
	struct netback_hash h;
	u32 nr_queues, steps = 0, i, res, st;
	u8 hin[36], type;
	int n;

	nr_queues = 1 + fz_u8(&in) % 16;
	netback_hash_reset(&h);
	while (in.left > 16 && steps++ < 200) {
		struct xen_netif_ctrl_request req;
		struct netback_ctrl_copy cp;

		fz_bytes(&in, &req, sizeof(req));
		st = netback_ctrl_check(&h, &req, &cp);
		if (st != XEN_NETIF_CTRL_STATUS_SUCCESS) {
			FZ_ASSERT(!cp.len);
			continue;
		}
		FZ_ASSERT(cp.len <= sizeof(buf));
		fz_bytes(&in, buf, cp.len);
		st = netback_ctrl_apply(&h, &req, cp.len ? buf : NULL,
					nr_queues, &res);
		FZ_ASSERT(st <= XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW);
		FZ_ASSERT(h.key_len <= NETBACK_HASH_KEY_MAX);
		FZ_ASSERT(h.size <= NETBACK_HASH_MAPPING_MAX);
		FZ_ASSERT(!(h.types & ~NETBACK_HASH_TYPES));
		for (i = 0; i < h.size; i++)
			FZ_ASSERT(h.mapping[i] < nr_queues);
	}
	n = netback_hash_input(h.types | fz_u8(&in), in.p, in.left, hin, &type);
	FZ_ASSERT(n == 0 || n == 8 || n == 12 || n == 32 || n == 36);
	if (n) {
		FZ_ASSERT(type <= _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP);
		res = netback_toeplitz(h.key, h.key_len, hin, n);
		FZ_ASSERT(netback_hash_queue(&h, res, nr_queues) < nr_queues);
	}
	return 0;
}
