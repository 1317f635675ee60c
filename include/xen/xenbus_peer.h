/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Xenstore access for split drivers: bounded one-shot reads of keys the
 * other end controls, and writes of a group of keys in one transaction.
 *
 * The parsing itself lives in <xen/xenbus_parse.h> (plain C, host-tested);
 * these helpers are the kernel side around it.
 */
#ifndef _XEN_XENBUS_PEER_H
#define _XEN_XENBUS_PEER_H

#include <linux/err.h>
#include <linux/slab.h>
#include <xen/xenbus.h>

/**
 * xenbus_read_peer() - read one value once, refusing an oversized one
 * @dir: the xenstore directory, usually the other end's
 * @key: key name relative to @dir
 * @max_len: the longest value the caller will parse, in bytes
 *
 * The value is read exactly once; the caller parses and validates this
 * private copy and never reads the key again for the same decision.
 *
 * Return: the NUL-terminated value, to be freed with kfree();
 * ERR_PTR(-ENOENT) if the key is absent or cannot be read;
 * ERR_PTR(-E2BIG) if the value is longer than @max_len.
 */
static inline char *xenbus_read_peer(const char *dir, const char *key,
				     unsigned int max_len)
{
	unsigned int len;
	char *val;

	val = xenbus_read(XBT_NIL, dir, key, &len);
	if (IS_ERR(val))
		return ERR_PTR(-ENOENT);
	if (len > max_len) {
		kfree(val);
		return ERR_PTR(-E2BIG);
	}
	return val;
}

/**
 * xenbus_transact() - run a group of xenstore writes as one transaction
 * @fill: writes the keys inside @xbt; a non-zero return aborts
 * @arg: passed to @fill
 *
 * Starts a transaction, calls @fill, and commits; if another writer raced
 * with the commit (-EAGAIN) the whole group runs again, so @fill must be
 * repeatable.  The other end therefore sees either none or all of the
 * keys.
 *
 * Return: 0, the error of @fill, or the error of starting or ending the
 * transaction.
 */
static inline int xenbus_transact(int (*fill)(struct xenbus_transaction xbt,
					      void *arg),
				  void *arg)
{
	struct xenbus_transaction xbt;
	int err;

	do {
		err = xenbus_transaction_start(&xbt);
		if (err)
			return err;
		err = fill(xbt, arg);
		if (err) {
			xenbus_transaction_end(xbt, 1);
			return err;
		}
		err = xenbus_transaction_end(xbt, 0);
	} while (err == -EAGAIN);
	return err;
}

/**
 * struct xenbus_uint_key - one unsigned number to write
 * @key: key name relative to the directory
 * @val: the value, written in decimal
 */
struct xenbus_uint_key {
	const char *key;
	unsigned long long val;
};

/**
 * xenbus_write_uints() - write a table of unsigned numbers
 * @xbt: the transaction, or XBT_NIL
 * @dir: the directory, usually our own node
 * @keys: the rows
 * @n: number of rows
 *
 * Return: 0 or the first error; later rows are not written after one.
 */
static inline int xenbus_write_uints(struct xenbus_transaction xbt,
				     const char *dir,
				     const struct xenbus_uint_key *keys,
				     unsigned int n)
{
	unsigned int i;
	int err;

	for (i = 0; i < n; i++) {
		err = xenbus_printf(xbt, dir, keys[i].key, "%llu", keys[i].val);
		if (err)
			return err;
	}
	return 0;
}

#endif /* _XEN_XENBUS_PEER_H */
