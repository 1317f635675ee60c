// SPDX-License-Identifier: GPL-2.0-only
/*
 * The xenstore API of include/xen/xenbus.h: reading, writing and
 * listing nodes, transactions, and the scanf/printf-style helpers.
 *
 * Each call builds its request from the caller's strings (a node is
 * "dir/node", or dir alone when node is ""), sends it with xs_talk()
 * (xenbus_xs_req.c), which checks the reply's type and turns an
 * XS_ERROR into its errno, and takes apart what the reply carries with
 * the protocol core: a transaction id with xs_tx_id_parse(), a directory
 * with xs_dir_split().  A reply that does not parse is -EPROTO.
 *
 * Every call sleeps until xenstored answers: process context only.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/export.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/sprintf.h>
#include <linux/stdarg.h>
#include <linux/string.h>
#include <xen/xenbus.h>

#include "xenbus.h"
#include "xenbus_xs.h"
#include "xs_client_proto.h"
#include "xs_proto.h"

/*
 * An XS_DIRECTORY reply as one allocation the caller kfree()s: the
 * array of names, then the names.  Takes @body.
 */
static char **xs_dir_names(char *body, unsigned int len, unsigned int *num)
{
	char **names;
	char *copy;
	int n;

	n = xs_strings_count(body, len);
	if (n < 0) {
		kfree(body);
		return ERR_PTR(-EPROTO);
	}
	names = kmalloc(size_add(array_size(n, sizeof(*names)), len),
			GFP_NOIO | __GFP_HIGH);
	if (!names) {
		kfree(body);
		return ERR_PTR(-ENOMEM);
	}
	copy = (char *)(names + n);
	memcpy(copy, body, len);
	kfree(body);

	/* Also refuses an empty name, which xs_strings_count() counts. */
	n = xs_dir_split(copy, len, (const char **)names, n);
	if (n < 0) {
		pr_warn_ratelimited("malformed directory listing: %d\n", n);
		kfree(names);
		return ERR_PTR(-EPROTO);
	}
	*num = n;
	return names;
}

/**
 * xenbus_directory() - list the children of a node
 * @t: the transaction, or XBT_NIL
 * @dir: the directory, or the whole path
 * @node: the node under @dir, or ""
 * @num: set to the number of names (0 on failure)
 *
 * Return: an array of @num names, which with the names is one
 * allocation for the caller to kfree(); or an ERR_PTR().
 */
char **xenbus_directory(struct xenbus_transaction t,
			const char *dir, const char *node, unsigned int *num)
{
	struct xs_msg m = {};
	unsigned int len;
	char *body;

	*num = 0;
	xs_msg_add_path(&m, dir, node);
	body = xs_talk(t, XS_DIRECTORY, &m, &len);
	if (IS_ERR(body))
		return ERR_CAST(body);
	return xs_dir_names(body, len, num);
}
EXPORT_SYMBOL_GPL(xenbus_directory);

/**
 * xenbus_exists() - whether a node exists
 * @t: the transaction, or XBT_NIL
 * @dir: the directory, or the whole path
 * @node: the node under @dir, or ""
 *
 * A node exists if xenstored lists its children; what it lists does not
 * matter here.
 *
 * Return: 1 if it exists, 0 if not or if xenstored cannot be asked.
 */
int xenbus_exists(struct xenbus_transaction t,
		  const char *dir, const char *node)
{
	struct xs_msg m = {};

	xs_msg_add_path(&m, dir, node);
	return xs_talk_ack(t, XS_DIRECTORY, &m) ? 0 : 1;
}
EXPORT_SYMBOL_GPL(xenbus_exists);

/**
 * xenbus_read() - read the value of a node
 * @t: the transaction, or XBT_NIL
 * @dir: the directory, or the whole path
 * @node: the node under @dir, or ""
 * @len: if not NULL, set to the value's length (0 on failure)
 *
 * The value is whatever bytes xenstored holds, NULs included.
 *
 * Return: the value, kmalloc()ed with a NUL after its @len bytes, for
 * the caller to kfree(); or an ERR_PTR().
 */
void *xenbus_read(struct xenbus_transaction t,
		  const char *dir, const char *node, unsigned int *len)
{
	struct xs_msg m = {};

	xs_msg_add_path(&m, dir, node);
	return xs_talk(t, XS_READ, &m, len);
}
EXPORT_SYMBOL_GPL(xenbus_read);

/**
 * xenbus_write() - write the value of a node, creating it if need be
 * @t: the transaction, or XBT_NIL
 * @dir: the directory, or the whole path
 * @node: the node under @dir, or ""
 * @string: the value, without its NUL
 *
 * Return: 0, or a negative errno.
 */
int xenbus_write(struct xenbus_transaction t,
		 const char *dir, const char *node, const char *string)
{
	struct xs_msg m = {};

	xs_msg_add_path(&m, dir, node);
	xs_msg_add(&m, string, strlen(string));
	return xs_talk_ack(t, XS_WRITE, &m);
}
EXPORT_SYMBOL_GPL(xenbus_write);

/**
 * xenbus_mkdir() - create a node with an empty value
 * @t: the transaction, or XBT_NIL
 * @dir: the directory, or the whole path
 * @node: the node under @dir, or ""
 *
 * Return: 0 (also if it exists already), or a negative errno.
 */
int xenbus_mkdir(struct xenbus_transaction t,
		 const char *dir, const char *node)
{
	struct xs_msg m = {};

	xs_msg_add_path(&m, dir, node);
	return xs_talk_ack(t, XS_MKDIR, &m);
}
EXPORT_SYMBOL_GPL(xenbus_mkdir);

/**
 * xenbus_rm() - remove a node and everything under it
 * @t: the transaction, or XBT_NIL
 * @dir: the directory, or the whole path
 * @node: the node under @dir, or ""
 *
 * Return: 0, or a negative errno.
 */
int xenbus_rm(struct xenbus_transaction t, const char *dir, const char *node)
{
	struct xs_msg m = {};

	xs_msg_add_path(&m, dir, node);
	return xs_talk_ack(t, XS_RM, &m);
}
EXPORT_SYMBOL_GPL(xenbus_rm);

/**
 * xenbus_transaction_start() - begin a transaction
 * @t: set to the new transaction on success; untouched otherwise
 *
 * Until it ends, the transaction sees the store as it was when it began
 * plus its own changes, which no one else sees.  A suspend waits until
 * every kernel transaction has ended: end it soon, and on every path.
 * Until then, requests outside it (XBT_NIL) and other transactions are
 * fine, but registering or unregistering a watch is not: it may wait
 * for a suspend that waits for this transaction.
 *
 * Return: 0, or a negative errno (-EPROTO if xenstored's transaction id
 * does not parse).
 */
int xenbus_transaction_start(struct xenbus_transaction *t)
{
	struct xs_msg m = {};
	unsigned int len;
	char *body;
	u32 id;
	int err;

	xs_msg_add(&m, "", 1);
	body = xs_talk(XBT_NIL, XS_TRANSACTION_START, &m, &len);
	if (IS_ERR(body))
		return PTR_ERR(body);
	err = xs_tx_id_parse(body, len, &id);
	kfree(body);
	if (err) {
		pr_warn_ratelimited("unusable transaction id from xenstored\n");
		/* No transaction the kernel can name, so none to wait for. */
		xs_gate_leave(false, true);
		return err;
	}
	t->id = id;
	return 0;
}
EXPORT_SYMBOL_GPL(xenbus_transaction_start);

/**
 * xenbus_transaction_end() - commit or abandon a transaction
 * @t: the transaction, from xenbus_transaction_start()
 * @abort: nonzero to throw its changes away
 *
 * The transaction is over whatever the outcome; on -EAGAIN its changes
 * were not committed (another change came in between) and the caller
 * may start again.
 *
 * Return: 0, or a negative errno.
 */
int xenbus_transaction_end(struct xenbus_transaction t, int abort)
{
	struct xs_msg m = {};
	int err;

	xs_msg_add(&m, abort ? "F" : "T", 2);
	err = xs_talk_ack(t, XS_TRANSACTION_END, &m);
	/* xenstored forgets it after any answer, and so does the gate. */
	if (t.id)
		xs_gate_leave(false, true);
	return err;
}
EXPORT_SYMBOL_GPL(xenbus_transaction_end);

/**
 * xenbus_scanf() - read a node and parse its value
 * @t: the transaction, or XBT_NIL
 * @dir: the directory, or the whole path
 * @node: the node under @dir, or ""
 * @fmt: the sscanf() format, followed by its pointers
 *
 * Return: the number of items matched, at least 1; -ERANGE if none
 * matched; or the negative errno of the read.
 */
int xenbus_scanf(struct xenbus_transaction t,
		 const char *dir, const char *node, const char *fmt, ...)
{
	va_list ap;
	char *val;
	int n;

	val = xenbus_read(t, dir, node, NULL);
	if (IS_ERR(val))
		return PTR_ERR(val);

	va_start(ap, fmt);
	n = vsscanf(val, fmt, ap);
	va_end(ap);
	kfree(val);
	return n > 0 ? n : -ERANGE;
}
EXPORT_SYMBOL_GPL(xenbus_scanf);

/**
 * xenbus_read_unsigned() - read an optional unsigned number
 * @dir: the directory, or the whole path
 * @node: the node under @dir, or ""
 * @default_val: what a missing or unparsable node means
 *
 * Return: the node's value, or @default_val on any failure.
 */
unsigned int xenbus_read_unsigned(const char *dir, const char *node,
				  unsigned int default_val)
{
	unsigned int val;

	if (xenbus_scanf(XBT_NIL, dir, node, "%u", &val) != 1)
		return default_val;
	return val;
}
EXPORT_SYMBOL_GPL(xenbus_read_unsigned);

/**
 * xenbus_printf() - format a value and write it to a node
 * @t: the transaction, or XBT_NIL
 * @dir: the directory, or the whole path
 * @node: the node under @dir, or ""
 * @fmt: the printf() format, followed by its arguments
 *
 * Return: 0, or a negative errno.
 */
int xenbus_printf(struct xenbus_transaction t,
		  const char *dir, const char *node, const char *fmt, ...)
{
	va_list ap;
	char *val;
	int err;

	va_start(ap, fmt);
	val = kvasprintf(GFP_NOIO | __GFP_HIGH, fmt, ap);
	va_end(ap);
	if (!val)
		return -ENOMEM;

	err = xenbus_write(t, dir, node, val);
	kfree(val);
	return err;
}
EXPORT_SYMBOL_GPL(xenbus_printf);

/**
 * xenbus_gather() - read several nodes of one directory
 * @t: the transaction, or XBT_NIL
 * @dir: the directory
 *
 * Followed by triples (name, format, result pointer) and a NULL name.
 * Each node @dir/name is read and parsed with sscanf(format) into the
 * result; a NULL format stores the kmalloc()ed value itself, a char *
 * for the caller to kfree(), into the result.  Stops at the first node
 * that cannot be read or parsed; values stored by then stay stored.
 *
 * Return: 0; the read's negative errno; or -EINVAL if a value did not
 * parse.
 */
int xenbus_gather(struct xenbus_transaction t, const char *dir, ...)
{
	const char *name, *fmt;
	void *result;
	va_list ap;
	char *val;
	int err = 0;

	va_start(ap, dir);
	while (!err) {
		name = va_arg(ap, const char *);
		if (!name)
			break;
		fmt = va_arg(ap, const char *);
		result = va_arg(ap, void *);

		val = xenbus_read(t, dir, name, NULL);
		if (IS_ERR(val)) {
			err = PTR_ERR(val);
		} else if (!fmt) {
			*(char **)result = val;
		} else {
			if (sscanf(val, fmt, result) <= 0)
				err = -EINVAL;
			kfree(val);
		}
	}
	va_end(ap);
	return err;
}
EXPORT_SYMBOL_GPL(xenbus_gather);
