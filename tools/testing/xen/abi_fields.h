/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the ABI tests' translation units: test_blkif_abi.c (our
 * header), abi_xen.c (Xen's header, native) and abi_xen32.c (Xen's
 * header, -m32); test_netif_abi.c and abi_netif_xen.c likewise for
 * netif, test_xs_abi.c and abi_xs_xen.c for the xenstore layer's
 * interface headers.  Includes nothing, so that it fits next to either.
 */
#ifndef _XEN_TEST_ABI_FIELDS_H
#define _XEN_TEST_ABI_FIELDS_H

/* The ring on x86_32: 108-byte slots, 32 of them in one page. */
#define ABI_X86_32_SLOT		108
#define ABI_X86_32_RING_4K	32

/* One measured value, named "kind.field", or "kind" for a size. */
struct abi_val {
	const char *name;
	unsigned long val;
};

/* Xen's native layout and constants, measured by abi_xen.c. */
const struct abi_val *xen_abi(void);

/* Xen's netif layout and constants, measured by abi_netif_xen.c. */
const struct abi_val *xen_netif_abi(void);

/* The Toeplitz hash as Xen's io/netif.h computes it (abi_netif_xen.c). */
unsigned int xen_netif_toeplitz(const unsigned char *key,
				unsigned int key_len,
				const unsigned char *buf, unsigned int len);

/* One named string constant. */
struct abi_str {
	const char *name;
	const char *str;
};

/* One entry of xenstored's error table: the errno and its name. */
struct abi_err {
	int errnum;
	const char *name;
};

/*
 * Xen's xenstore, xenbus, console, protocol and version numbers, measured
 * by abi_xs_xen.c: the values, the strings and the error table, each ended
 * by a NULL name.
 */
const struct abi_val *xen_xs_abi(void);
const struct abi_str *xen_xs_strings(void);
const struct abi_err *xen_xs_errors(void);

/* A compile-time check usable at file scope, without a message. */
#define ABI_CHECK(cond)	extern char abi_check_failed[(cond) ? 1 : -1]

#endif
