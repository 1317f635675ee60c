/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Strict parsing of numbers a peer wrote into xenstore.
 *
 * A xenstore value is a string the other domain controls.  Drivers read
 * each value once and convert it here, accepting exactly what the Xen
 * interface documents a number to be: a run of decimal digits, nothing
 * before or after it.  Plain C, so that the protocol cores using it also
 * build in userspace (tools/testing/xen).
 */
#ifndef _XEN_XENBUS_PARSE_H
#define _XEN_XENBUS_PARSE_H

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/string.h>

/* U64_MAX has 20 digits; a longer string cannot be a u64. */
#define XENBUS_PARSE_MAX_DIGITS	20

/**
 * xenbus_parse_uint() - convert a xenstore value to an unsigned number
 * @s: the value, NUL-terminated
 * @max: the largest value the caller accepts
 * @val: where the number goes; written only on success
 *
 * Leading zeros are allowed (up to 20 digits in all); signs, spaces, base
 * prefixes, an empty string and trailing characters are not.
 *
 * Return: 0, -EINVAL if @s is not a number, -ERANGE if it exceeds @max.
 */
static inline int xenbus_parse_uint(const char *s, u64 max, u64 *val)
{
	u64 acc = 0;
	size_t n;

	if (!s || !*s)
		return -EINVAL;
	for (n = 0; s[n]; n++) {
		u64 digit;

		if (n == XENBUS_PARSE_MAX_DIGITS || s[n] < '0' || s[n] > '9')
			return -EINVAL;
		digit = s[n] - '0';
		/* acc * 10 + digit must stay within a u64. */
		if (acc > (U64_MAX - digit) / 10)
			return -ERANGE;
		acc = acc * 10 + digit;
	}
	if (acc > max)
		return -ERANGE;
	*val = acc;
	return 0;
}

/**
 * xenbus_parse_named_uint() - record a key that is one of a table's names
 * @names: the key names, by index
 * @nr: entries in @names (at most 32)
 * @key: the key read
 * @val: its value, NUL-terminated
 * @max: the largest value accepted
 * @vals: the values, by index; the matching one is set on success
 * @present: bit (1 << index) set on success
 *
 * Return: 0, -ENOENT if @key is not in @names, or the error of
 * xenbus_parse_uint() (the key then stays absent).
 */
static inline int xenbus_parse_named_uint(const char *const *names,
					  unsigned int nr, const char *key,
					  const char *val, u64 max, u64 *vals,
					  u32 *present)
{
	unsigned int i;
	int err;

	for (i = 0; i < nr; i++) {
		if (strcmp(key, names[i]))
			continue;
		err = xenbus_parse_uint(val, max, &vals[i]);
		if (!err)
			*present |= 1u << i;
		return err;
	}
	return -ENOENT;
}

#endif /* _XEN_XENBUS_PARSE_H */
