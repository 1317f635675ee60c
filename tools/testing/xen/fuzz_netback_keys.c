// SPDX-License-Identifier: GPL-2.0-only
/*
 * netback's negotiation against a frontend that writes anything into its
 * xenstore keys.
 *
 * Input: two bytes of offer, then lines "key=value"; a key starting with
 * "q/" goes to the queue's keys, every other to the frontend's.  What
 * netback_choose() and netback_choose_queue() accept must be within the
 * offer and agree with the keys.
 */
#include <stdint.h>
#include "drivers/net/xen-netback/proto.h"
#include "fuzz.h"

int fuzz_one_input(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct netback_keys fe = { 0 }, q = { 0 };
	struct netback_offer offer;
	struct netback_conf c;
	struct netback_queue_conf qc;
	const char *why;
	char line[96], *eq;
	u8 b;
	int err;

	offer.max_queues = fz_u8(&in);
	b = fz_u8(&in);
	offer.split_evtchn = b & 1;
	offer.ctrl_ring = b & 2;
	while (fz_key_line(&in, line, sizeof(line), &eq)) {
		if (!eq)
			continue;
		if (!strncmp(line, "q/", 2))
			err = netback_parse_q_key(&q, line + 2, eq);
		else
			err = netback_parse_fe_key(&fe, line, eq);
		FZ_ASSERT(!err || err == -ENOENT || err == -EINVAL ||
			  err == -ERANGE);
	}
	err = netback_choose(&fe, &offer, &c, &why);
	FZ_ASSERT(err == 0 || (err == -EINVAL && why));
	if (!err) {
		FZ_ASSERT(c.nr_queues >= 1 && c.nr_queues <= NETBACK_MAX_QUEUES);
		FZ_ASSERT(c.nr_queues <= (offer.max_queues ? offer.max_queues : 1));
		FZ_ASSERT(fe.val[NETBACK_FE_RX_COPY]);
		FZ_ASSERT(!c.ctrl_ring || offer.ctrl_ring);
		FZ_ASSERT(!(c.gso_types & ~6u));
	}
	err = netback_choose_queue(&q, &offer, &qc, &why);
	FZ_ASSERT(err == 0 || (err == -EINVAL && why));
	if (!err) {
		FZ_ASSERT(!qc.split || offer.split_evtchn);
		FZ_ASSERT(qc.split || qc.tx_port == qc.rx_port);
		FZ_ASSERT(q.present & (1u << NETBACK_Q_TX_REF));
		FZ_ASSERT(q.present & (1u << NETBACK_Q_RX_REF));
	}
	return 0;
}
