/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The shapes of xenbus paths.  A bus's devices have directories of a
 * fixed depth under its root: device/<type>/<id> on the frontend bus,
 * backend/<type>/<domid>/<id> on the backend bus.  The paths come from
 * xenstore (watch events and directory listings), so each is checked for
 * its shape here before any part of it is used: no empty component, no
 * component missing, none too many, and a device name that fits.
 *
 * Plain C with no kernel dependencies beyond <linux/types.h>,
 * <linux/string.h> and <linux/errno.h>, and inline, since both buses use
 * it and the frontend bus may be a module: tools/testing/xen builds it in
 * userspace, where it is unit-tested and fuzzed.
 */
#ifndef _XENBUS_PATH_H
#define _XENBUS_PATH_H

#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

/**
 * struct xenbus_back_node - the parts of backend/<type>/<domid>/<id>
 * @type: the device type, not NUL-terminated
 * @type_len: its length
 * @id: the device's id, to the end of the path
 */
struct xenbus_back_node {
	const char *type;
	size_t type_len;
	const char *id;
};

/**
 * xenbus_path_device_len() - the part of a path that names its device
 * @path: a path under a bus's root
 * @slashes: how many slashes a device's directory has (the bus's levels)
 *
 * Return: the length of @path up to its (@slashes + 1)th slash, or all of
 * it if it has exactly @slashes; 0 if it has fewer, or if one of the
 * components counted is empty.
 */
static inline size_t xenbus_path_device_len(const char *path,
					    unsigned int slashes)
{
	size_t len = 0, part;

	for (;;) {
		part = strcspn(path + len, "/");
		if (!part)
			return 0;
		len += part;
		if (!slashes--)
			return len;
		if (path[len] != '/')
			return 0;
		len++;
	}
}

/**
 * xenbus_path_within() - whether a path is a directory or below it
 * @path: the path
 * @dir: the directory, without a trailing slash
 *
 * Return: true if @path is @dir or starts with @dir and a slash.
 */
static inline bool xenbus_path_within(const char *path, const char *dir)
{
	size_t len = strlen(dir);

	return !strncmp(path, dir, len) && (!path[len] || path[len] == '/');
}

/**
 * xenbus_path_type() - the device type in a path under a bus's root
 * @path: "<root>/<type>" or longer
 * @len: where the type's length goes
 *
 * Return: the type (not NUL-terminated), or NULL if @path has no
 * non-empty second component.
 */
static inline const char *xenbus_path_type(const char *path, size_t *len)
{
	const char *type = strchr(path, '/');

	if (!type)
		return NULL;
	type++;
	*len = strcspn(type, "/");
	return *len ? type : NULL;
}

/* Append @n bytes of @s to @name at *@at, if they fit with a NUL. */
static inline bool xenbus_path_put(char *name, size_t size, size_t *at,
				   const char *s, size_t n)
{
	if (n >= size - *at)
		return false;
	memcpy(name + *at, s, n);
	*at += n;
	name[*at] = '\0';
	return true;
}

/**
 * xenbus_path_front_name() - the frontend bus's name of a device
 * @node: the device's directory, device/<type>/<id>
 * @name: where "<type>-<id>" goes
 * @size: @name's size, at least 1
 *
 * Return: 0; -EINVAL if @node is not of that shape or the name does not
 * fit in @size (@name is then empty, or cut short).
 */
static inline int xenbus_path_front_name(const char *node, char *name,
					 size_t size)
{
	size_t len = xenbus_path_device_len(node, 2), type_len, at = 0;
	const char *type, *id;

	name[0] = '\0';
	if (!len || len != strlen(node))
		return -EINVAL;
	type = xenbus_path_type(node, &type_len);
	id = type + type_len + 1;
	if (!xenbus_path_put(name, size, &at, type, type_len) ||
	    !xenbus_path_put(name, size, &at, "-", 1) ||
	    !xenbus_path_put(name, size, &at, id, strlen(id)))
		return -EINVAL;
	return 0;
}

/**
 * xenbus_path_back_split() - the parts of a backend device's directory
 * @node: backend/<type>/<domid>/<id>
 * @parts: where the type and the id go
 *
 * Return: 0, or -EINVAL if @node is not of that shape.
 */
static inline int xenbus_path_back_split(const char *node,
					 struct xenbus_back_node *parts)
{
	size_t len = xenbus_path_device_len(node, 3), domid_len;
	const char *domid;

	if (!len || len != strlen(node))
		return -EINVAL;
	parts->type = xenbus_path_type(node, &parts->type_len);
	domid = parts->type + parts->type_len + 1;
	domid_len = strcspn(domid, "/");
	parts->id = domid + domid_len + 1;
	return 0;
}

/**
 * xenbus_path_back_name() - the backend bus's name of a device
 * @parts: the device directory's parts (xenbus_path_back_split())
 * @domid: the frontend's domain, from the device's frontend-id
 * @name: where "<type>-<domid>-<id>" goes
 * @size: @name's size, at least 1
 *
 * Return: 0, or -ENOSPC if the name does not fit in @size (@name is then
 * empty, or cut short).
 */
static inline int xenbus_path_back_name(const struct xenbus_back_node *parts,
					unsigned int domid, char *name,
					size_t size)
{
	char digits[10];
	size_t n = sizeof(digits), at = 0;

	name[0] = '\0';
	do {
		digits[--n] = '0' + domid % 10;
		domid /= 10;
	} while (domid);

	if (!xenbus_path_put(name, size, &at, parts->type, parts->type_len) ||
	    !xenbus_path_put(name, size, &at, "-", 1) ||
	    !xenbus_path_put(name, size, &at, digits + n, sizeof(digits) - n) ||
	    !xenbus_path_put(name, size, &at, "-", 1) ||
	    !xenbus_path_put(name, size, &at, parts->id, strlen(parts->id)))
		return -ENOSPC;
	return 0;
}

#endif /* _XENBUS_PATH_H */
