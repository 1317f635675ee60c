// SPDX-License-Identifier: GPL-2.0-only
/*
 * The xenbus path shapes (drivers/xen/xenbus/xenbus_path.h) against any
 * path xenstore could hand a bus.
 *
 * Input: one byte (low 2 bits: the slashes a device directory has, for
 * xenbus_path_device_len(); the rest: where to cut the path for
 * xenbus_path_within()), a 32-bit domain id, then the path (a NUL ends
 * it).  Each result must agree with a model that splits the path into
 * its components, and a refused name must leave no unterminated text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include "drivers/xen/xenbus/xenbus_path.h"
#include "fuzz.h"

#define BUS_ID_SIZE	20
#define MAX_PARTS	8

struct model {
	size_t start[MAX_PARTS], len[MAX_PARTS];
	unsigned int nr;	/* components seen (at most MAX_PARTS) */
	bool more;		/* more components than MAX_PARTS */
};

static void split(const char *p, struct model *m)
{
	size_t i = 0, begin = 0;

	m->nr = 0;
	m->more = false;
	for (;; i++) {
		if (p[i] && p[i] != '/')
			continue;
		if (m->nr == MAX_PARTS) {
			m->more = true;
			return;
		}
		m->start[m->nr] = begin;
		m->len[m->nr++] = i - begin;
		if (!p[i])
			return;
		begin = i + 1;
	}
}

/* Whether the first @n components exist and none is empty. */
static bool first_parts_ok(const struct model *m, unsigned int n)
{
	unsigned int i;

	if (m->nr < n)
		return false;
	for (i = 0; i < n; i++)
		if (!m->len[i])
			return false;
	return true;
}

/* Exactly @n non-empty components. */
static bool exactly(const struct model *m, unsigned int n)
{
	return !m->more && m->nr == n && first_parts_ok(m, n);
}

static void check_device_len(const char *p, const struct model *m,
			     unsigned int slashes)
{
	size_t got = xenbus_path_device_len(p, slashes), want = 0;

	if (first_parts_ok(m, slashes + 1))
		want = m->start[slashes] + m->len[slashes];
	FZ_ASSERT(got == want);
}

static void check_front(const char *p, const struct model *m)
{
	char name[BUS_ID_SIZE], want[3 * 4096];
	int err;

	memset(name, 0x5a, sizeof(name));
	err = xenbus_path_front_name(p, name, sizeof(name));
	if (!exactly(m, 3)) {
		FZ_ASSERT(err == -EINVAL);
		return;
	}
	snprintf(want, sizeof(want), "%.*s-%.*s", (int)m->len[1], p + m->start[1],
		 (int)m->len[2], p + m->start[2]);
	if (strlen(want) >= sizeof(name)) {
		FZ_ASSERT(err == -EINVAL);
		FZ_ASSERT(memchr(name, 0, sizeof(name)));
		return;
	}
	FZ_ASSERT(!err && !strcmp(name, want));
}

static void check_back(const char *p, const struct model *m, unsigned int domid)
{
	struct xenbus_back_node parts;
	char name[BUS_ID_SIZE], want[3 * 4096];
	int err;

	err = xenbus_path_back_split(p, &parts);
	if (!exactly(m, 4)) {
		FZ_ASSERT(err == -EINVAL);
		return;
	}
	FZ_ASSERT(!err && parts.type == p + m->start[1] &&
		  parts.type_len == m->len[1] && parts.id == p + m->start[3]);
	memset(name, 0x5a, sizeof(name));
	err = xenbus_path_back_name(&parts, domid, name, sizeof(name));
	snprintf(want, sizeof(want), "%.*s-%u-%s", (int)m->len[1], p + m->start[1],
		 domid, p + m->start[3]);
	if (strlen(want) >= sizeof(name)) {
		FZ_ASSERT(err == -ENOSPC);
		FZ_ASSERT(memchr(name, 0, sizeof(name)));
		return;
	}
	FZ_ASSERT(!err && !strcmp(name, want));
}

static void check_within(const char *p, size_t cut)
{
	char dir[4096];
	size_t n = strlen(p);
	bool want;

	if (cut > n)
		cut = n;
	memcpy(dir, p, cut);
	dir[cut] = '\0';
	/* p starts with dir: within iff p ends there or a slash follows. */
	want = !p[cut] || p[cut] == '/';
	FZ_ASSERT(xenbus_path_within(p, dir) == want);
	/* And a path is never within a longer one. */
	if (n + 2 < sizeof(dir)) {
		memcpy(dir, p, n);
		dir[n] = 'x';
		dir[n + 1] = '\0';
		FZ_ASSERT(!xenbus_path_within(p, dir));
	}
}

int fuzz_one_input(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	unsigned int sel = fz_u8(&in), domid = fz_u32(&in);
	char path[4096];
	struct model m;
	size_t n = in.left < sizeof(path) - 1 ? in.left : sizeof(path) - 1;

	fz_bytes(&in, path, n);
	path[n] = '\0';
	split(path, &m);

	check_device_len(path, &m, sel & 3);
	check_device_len(path, &m, 2);
	check_device_len(path, &m, 3);
	check_front(path, &m);
	check_back(path, &m, domid);
	check_within(path, sel >> 2);
	return 0;
}
