// SPDX-License-Identifier: GPL-2.0-only
/*
 * A process writing messages into /dev/xen/xenbus in any number of
 * write() calls, cut anywhere, some faulting part-way and some meeting a
 * failed allocation: xs_user_frame_*() against the old driver's rules.
 *
 * Input: write() calls until the input runs out (at most 256), each
 *
 *   ctl (u8)   bits 0-1: the length: 0, a u8; 1, a u16 % 4608 (past the
 *              4096 a message may have); 2, a u8 picking a huge one
 *              (4097, 2^32, SIZE_MAX, ... or a u64 of input); 3, a u8 s
 *              giving what the message still needs (s odd: what would
 *              fill 4096 bytes), plus (s >> 1) % 3, minus 1
 *              bit 2: a fault: a u16, modulo the length + 1 (or
 *              2^16), is the first byte of the write() that cannot be
 *              read; none if it is the length
 *              bit 3: the body's allocation fails, should this write()
 *              complete a header
 *              bit 4: a u16 % 4352 is written over the bytes of the
 *              write() that land in the header's len, so that bodies
 *              near XS_USER_BODY_MAX come often
 *   then, for a length up to 4096, that many bytes (zero once the input
 *   runs out), in a heap block of exactly that size
 *
 * The device under test (xs_frame_dev.h) gathers each write() as
 * xbdev_gather() and xbdev_write() do: xs_user_frame_admit(), then each
 * piece xs_user_frame_next() names is copied with memcpy() up to the
 * fault and reported to xs_user_frame_took(); the body is allocated, in
 * a heap block of exactly hdr.len bytes, when the header is whole; a
 * whole message is taken after the write().  The model is the old
 * driver, a plain scan: one buffer of at most 4096 bytes per message,
 * the write() refused with -EINVAL (and the buffer emptied) if its bytes
 * would not fit, then its bytes appended one at a time until the message
 * is whole (the rest dropped); -E2BIG (emptied) when a header completes
 * with a len over XS_USER_BODY_MAX; -ENOMEM (back to the bytes from
 * before the write()) when it completes and the allocation fails; at the
 * fault, the count so far, or -EFAULT for none.
 *
 * Checked: every write()'s result and the bytes held after it are the
 * model's; every whole message, header and body, is the model's, byte
 * for byte, and whole exactly when the model's is; every piece is at
 * least 1 byte, no longer than what is left of the write(), and where
 * the frame stands, inside the header or inside the body's hdr.len
 * bytes; xs_user_frame_next() leaves the piece alone when it names none;
 * xs_user_frame_took() says XS_USER_FRAME_HDR (or -E2BIG) exactly when
 * the header completes; admit() never lets through a write() that would
 * not fit (these the device checks as it goes: a rule broken is a crash).
 * ASan sees any copy past the write()'s bytes or the body, and any leak.
 */
#include <errno.h>
#include <stdint.h>
#include <linux/kernel.h>
#include "drivers/xen/xenbus/xs_client_proto.h"
#include "drivers/xen/xenbus/xs_proto.h"
#include "fuzz.h"
#include "xs_frame_dev.h"

#define HDR_SIZE	((u32)sizeof(struct xsd_sockmsg))
#define MAX_WRITES	256

/* ---- the model: the old driver's buffer -------------------------------- */

struct model {
	u8 buf[XENSTORE_PAYLOAD_MAX];
	size_t have;
};

static u32 model_len(const struct model *m)
{
	u32 len;

	memcpy(&len, m->buf + offsetof(struct xsd_sockmsg, len), sizeof(len));
	return len;
}

static bool model_whole(const struct model *m)
{
	return m->have >= HDR_SIZE && m->have == HDR_SIZE + (size_t)model_len(m);
}

static long model_write(struct model *m, const u8 *ub, size_t len, size_t fault, bool nomem)
{
	size_t start = m->have, i;

	if (len > sizeof(m->buf) - m->have) {
		m->have = 0;
		return -EINVAL;
	}
	for (i = 0; i < len && !model_whole(m); i++) {
		if (i == fault)
			return i ? (long)i : -EFAULT;
		m->buf[m->have++] = ub[i];
		if (m->have != HDR_SIZE)
			continue;
		if (model_len(m) > XS_USER_BODY_MAX) {
			m->have = 0;
			return -E2BIG;
		}
		if (nomem) {
			m->have = start;
			return -ENOMEM;
		}
	}
	return (long)len;
}

/* ---- both -------------------------------------------------------------- */

/* The bytes the device holds are the model's. */
static void check_same(const struct xs_frame_dev *d, const struct model *m)
{
	size_t hdr = m->have < HDR_SIZE ? m->have : HDR_SIZE;

	FZ_ASSERT(d->fr.have == m->have);
	FZ_ASSERT(xs_user_frame_whole(&d->fr) == model_whole(m));
	FZ_ASSERT(!memcmp(&d->fr.hdr, m->buf, hdr));
	if (m->have < HDR_SIZE) {
		FZ_ASSERT(!d->body);
		return;
	}
	FZ_ASSERT(d->body && d->msg.len == model_len(m));
	FZ_ASSERT(!memcmp(&d->msg, m->buf, HDR_SIZE));
	FZ_ASSERT(!memcmp(d->body, m->buf + HDR_SIZE, m->have - HDR_SIZE));
}

static size_t pick_len(struct fuzz_in *in, unsigned int kind, const struct model *m)
{
	static const size_t huge[] = {
		XENSTORE_PAYLOAD_MAX + 1, 8192, 65536, 0x7fffffff, 0x80000000,
		(size_t)U32_MAX, (size_t)U32_MAX + 1, (size_t)U32_MAX + 2,
		(size_t)U32_MAX + 1 + XENSTORE_PAYLOAD_MAX, SIZE_MAX / 2,
		SIZE_MAX - XENSTORE_PAYLOAD_MAX, SIZE_MAX - HDR_SIZE + 1,
		SIZE_MAX - 1, SIZE_MAX,
	};
	unsigned int s;
	size_t base;

	switch (kind) {
	case 0:
		return fz_u8(in);
	case 1:
		return fz_u16(in) % 4608;
	case 2:
		s = fz_u8(in);
		if (s < ARRAY_SIZE(huge))
			return huge[s];
		if (s < 128)
			return huge[s % ARRAY_SIZE(huge)] - (m->have & 1);
		return (size_t)fz_u64(in);
	default:
		s = fz_u8(in);
		if (s & 1)
			base = XENSTORE_PAYLOAD_MAX - m->have;
		else if (m->have < HDR_SIZE)
			base = HDR_SIZE - m->have;
		else
			base = HDR_SIZE + (size_t)model_len(m) - m->have;
		base += (s >> 1) % 3;
		return base ? base - 1 : 0;
	}
}

int fuzz_one_input(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { .p = data, .left = size };
	struct model *m = calloc(1, sizeof(*m));
	struct xs_frame_dev d;
	unsigned int n, ctl, hlen;
	size_t len, fault, i, pos;
	long got, want;
	u8 *ub;

	FZ_ASSERT(m);
	memset(&d, 0, sizeof(d));
	xs_user_frame_reset(&d.fr);
	for (n = 0; n < MAX_WRITES && in.left; n++) {
		ctl = fz_u8(&in);
		len = pick_len(&in, ctl & 3, m);
		fault = SIZE_MAX;
		if (ctl & 4)
			fault = fz_u16(&in) % (len < 0x10000 ? len + 1 : 0x10000);
		hlen = (ctl & 16) ? fz_u16(&in) % 4352 : 0;
		ub = NULL;
		if (len <= XENSTORE_PAYLOAD_MAX) {
			ub = malloc(len ? len : 1);
			FZ_ASSERT(ub);
			fz_bytes(&in, ub, len);
			for (i = 0; (ctl & 16) && i < len; i++) {
				pos = m->have + i;
				if (pos >= offsetof(struct xsd_sockmsg, len) && pos < HDR_SIZE)
					ub[i] = (u8)(hlen >> 8 * (pos - offsetof(struct xsd_sockmsg,
										 len)));
			}
		}

		want = model_write(m, ub, len, fault, ctl & 8);
		got = xfd_write(&d, ub, len, fault, ctl & 8);
		if (d.bad)
			fprintf(stderr, "device: %s\n", d.bad);
		FZ_ASSERT(!d.bad);
		FZ_ASSERT(got == want);
		check_same(&d, m);
		/* xbdev_write(): a whole message goes, and the next starts anew. */
		if (xs_user_frame_whole(&d.fr)) {
			FZ_ASSERT(got >= 0 && (size_t)got == len && d.body);
			xfd_drop(&d);
			m->have = 0;
		}
		free(ub);
	}
	xfd_drop(&d);
	free(m);
	return 0;
}
