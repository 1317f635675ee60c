/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What xenbus_bus.c offers the frontend and backend buses beyond the
 * xenbus core's internal header.
 */
#ifndef _XENBUS_BUS_H
#define _XENBUS_BUS_H

int xenbus_read_otherend_node(const char *nodename, const char *id_node,
			      const char *path_node, unsigned int *id,
			      char **path, const char **bad);

#endif
