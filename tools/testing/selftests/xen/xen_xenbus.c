// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xenstore access through /dev/xen/xenbus: reads, writes, directories,
 * watches and transactions below the domain's own writable area
 * /local/domain/<domid>/data.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "xen_common.h"
#include "xs_client.h"

#define PATH_LEN	256
#define VAL_LEN		256
/* Quiet period used to show that no (further) watch event arrives. */
#define NO_EVENT_MS	500
/* Attempts for transactions that xenstored asks to repeat (EAGAIN). */
#define TX_ATTEMPTS	5

/* Our scratch node, and room to build the paths of keys below it. */
struct scratch {
	char base[PATH_LEN];
	char path[PATH_LEN];
};

FIXTURE(xenbus) {
	struct xs_conn *xs;
	unsigned int domid;
	struct scratch k;
	char val[VAL_LEN];
};

FIXTURE_SETUP(xenbus)
{
	int ret;

	if (!xen_is_running())
		SKIP(return, "not running on Xen");
	if (!xen_path_exists(XS_DEV_PATH))
		SKIP(return, XS_DEV_PATH " not present");

	self->xs = xs_open();
	ASSERT_NE(NULL, self->xs) {
		TH_LOG("open %s: %s", XS_DEV_PATH, strerror(errno));
	}

	ret = xs_get_domid(self->xs, &self->domid);
	if (ret == -ETIMEDOUT)
		SKIP(return, "xenstore does not answer");
	ASSERT_EQ(0, ret) {
		TH_LOG("reading domid: %s", strerror(-ret));
	}

	ASSERT_EQ(0, xen_fmt(self->k.base, sizeof(self->k.base),
			     "/local/domain/%u/data/selftest-%d", self->domid,
			     getpid()));
}

FIXTURE_TEARDOWN(xenbus)
{
	if (!self->xs)
		return;
	xs_rm(self->xs, 0, self->k.base);
	xs_close(self->xs);
}

/* Build and return the path of key <base>/<name>. */
static const char *key(struct scratch *k, const char *name)
{
	/* A path too long to build becomes "", which xenstore rejects. */
	if (xen_fmt(k->path, sizeof(k->path), "%s/%s", k->base, name))
		k->path[0] = '\0';

	return k->path;
}

TEST_F(xenbus, read_domid)
{
	unsigned long long abs_domid;
	char path[PATH_LEN];

	/* The relative key resolves below our own /local/domain node. */
	ASSERT_EQ(0, xen_fmt(path, sizeof(path), "/local/domain/%u/domid",
			     self->domid));
	ASSERT_LT(0, xs_read(self->xs, 0, path, self->val, sizeof(self->val)));
	ASSERT_EQ(0, xen_parse_ull(self->val, 10, &abs_domid));
	EXPECT_EQ(self->domid, abs_domid);
}

TEST_F(xenbus, write_read)
{
	char expect[VAL_LEN];

	snprintf(expect, sizeof(expect), "hello from %d", getpid());
	ASSERT_EQ(0, xs_write(self->xs, 0, key(&self->k, "value"), expect));
	ASSERT_EQ((int)strlen(expect),
		  xs_read(self->xs, 0, key(&self->k, "value"), self->val,
			  sizeof(self->val)));
	EXPECT_STREQ(expect, self->val);

	/* Overwrite with a different, shorter value. */
	ASSERT_EQ(0, xs_write(self->xs, 0, key(&self->k, "value"), "x"));
	ASSERT_EQ(1, xs_read(self->xs, 0, key(&self->k, "value"), self->val,
			     sizeof(self->val)));
	EXPECT_STREQ("x", self->val);

	/* Empty values are values too. */
	ASSERT_EQ(0, xs_write(self->xs, 0, key(&self->k, "value"), ""));
	EXPECT_EQ(0, xs_read(self->xs, 0, key(&self->k, "value"), self->val,
			     sizeof(self->val)));
}

TEST_F(xenbus, missing_key)
{
	int ret;

	ret = xs_read(self->xs, 0, key(&self->k, "does-not-exist"), self->val,
		      sizeof(self->val));
	ASSERT_EQ(-ENOENT, ret);
	EXPECT_EQ(XS_ERROR, (int)self->xs->reply_type);
	EXPECT_STREQ("ENOENT", self->xs->reply);

	EXPECT_EQ(-ENOENT, xs_directory(self->xs, 0,
					key(&self->k, "does-not-exist")));
}

TEST_F(xenbus, directory)
{
	static const char * const names[] = { "alpha", "beta", "gamma" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		ASSERT_EQ(0, xs_write(self->xs, 0, key(&self->k, names[i]),
				      names[i]));
	}

	ASSERT_EQ(0, xs_directory(self->xs, 0, self->k.base));
	EXPECT_EQ(ARRAY_SIZE(names), xs_dir_count(self->xs));
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		EXPECT_TRUE(xs_dir_has(self->xs, names[i])) {
			TH_LOG("'%s' missing from %s", names[i], self->k.base);
		}
	}

	/* Our node shows up in its parent's listing. */
	ASSERT_EQ(0, xen_fmt(self->k.path, sizeof(self->k.path),
			     "/local/domain/%u/data", self->domid));
	ASSERT_EQ(0, xs_directory(self->xs, 0, self->k.path));
	ASSERT_EQ(0, xen_fmt(self->val, sizeof(self->val), "selftest-%d",
			     getpid()));
	EXPECT_TRUE(xs_dir_has(self->xs, self->val));
}

TEST_F(xenbus, remove)
{
	ASSERT_EQ(0, xs_write(self->xs, 0, key(&self->k, "gone/child"), "1"));
	ASSERT_EQ(0, xs_rm(self->xs, 0, key(&self->k, "gone")));

	/* Removing a node removes its children. */
	EXPECT_EQ(-ENOENT, xs_read(self->xs, 0, key(&self->k, "gone/child"),
				   self->val, sizeof(self->val)));
	EXPECT_EQ(-ENOENT, xs_read(self->xs, 0, key(&self->k, "gone"),
				   self->val, sizeof(self->val)));
}

TEST_F(xenbus, watch)
{
	char path[PATH_LEN], token[64];

	snprintf(token, sizeof(token), "selftest-token-%d", getpid());
	ASSERT_EQ(0, xen_fmt(path, sizeof(path), "%s", key(&self->k, "watched")));
	ASSERT_EQ(0, xs_write(self->xs, 0, path, "0"));

	ASSERT_EQ(0, xs_watch(self->xs, path, token));

	/* A new watch fires once right away. */
	ASSERT_EQ(0, xs_wait_watch(self->xs, path, token, XS_TIMEOUT_MS));

	/* A change fires it again, reporting the path and our token. */
	ASSERT_EQ(0, xs_write(self->xs, 0, path, "1"));
	ASSERT_EQ(0, xs_wait_watch(self->xs, path, token, XS_TIMEOUT_MS));

	/* Watches cover the subtree below the watched node. */
	ASSERT_EQ(0, xs_write(self->xs, 0, key(&self->k, "watched/child"), "c"));
	ASSERT_EQ(0, xen_fmt(self->val, sizeof(self->val), "%s/child", path));
	ASSERT_EQ(0, xs_wait_watch(self->xs, self->val, token,
				   XS_TIMEOUT_MS));

	ASSERT_EQ(0, xs_unwatch(self->xs, path, token));

	/* After the unwatch, changes go unreported. */
	ASSERT_EQ(0, xs_write(self->xs, 0, path, "2"));
	EXPECT_EQ(-ETIMEDOUT, xs_wait_watch(self->xs, path, token,
					    NO_EVENT_MS));
	EXPECT_EQ(0U, self->xs->nr_events);
}

/* Run a transaction writing @inside to @path and end it with @commit. */
static int tx_write(struct xs_conn *xs, const char *path, const char *outside,
		    const char *inside, bool commit, char *val, size_t size)
{
	__u32 tx;
	int attempt, ret = -EAGAIN;

	for (attempt = 0; attempt < TX_ATTEMPTS && ret == -EAGAIN; attempt++) {
		ret = xs_transaction_start(xs, &tx);
		if (ret)
			return ret;

		ret = xs_write(xs, tx, path, inside);
		if (ret)
			goto abort;

		/* The transaction sees its own write ... */
		ret = xs_read(xs, tx, path, val, size);
		if (ret < 0)
			goto abort;
		if (strcmp(val, inside)) {
			ret = -EPROTO;
			goto abort;
		}

		/* ... which stays invisible outside of it until committed. */
		ret = xs_read(xs, 0, path, val, size);
		if (ret < 0)
			goto abort;
		if (strcmp(val, outside)) {
			ret = -EPROTO;
			goto abort;
		}

		ret = xs_transaction_end(xs, tx, commit);
	}

	return ret;

abort:
	xs_transaction_end(xs, tx, false);
	return ret;
}

TEST_F(xenbus, transaction_commit)
{
	const char *path = key(&self->k, "tx");

	ASSERT_EQ(0, xs_write(self->xs, 0, path, "before"));
	ASSERT_EQ(0, tx_write(self->xs, path, "before", "committed", true,
			      self->val, sizeof(self->val)));
	ASSERT_LE(0, xs_read(self->xs, 0, path, self->val,
			     sizeof(self->val)));
	EXPECT_STREQ("committed", self->val);
}

TEST_F(xenbus, transaction_abort)
{
	const char *path = key(&self->k, "tx");

	ASSERT_EQ(0, xs_write(self->xs, 0, path, "before"));
	ASSERT_EQ(0, tx_write(self->xs, path, "before", "aborted", false,
			      self->val, sizeof(self->val)));
	ASSERT_LE(0, xs_read(self->xs, 0, path, self->val,
			     sizeof(self->val)));
	EXPECT_STREQ("before", self->val);
}

/*
 * Two transactions read and write the same key: the one that commits
 * second conflicts (EAGAIN), as xenstored's transactions are optimistic,
 * and its retry, in a new transaction, sees the first one's value and
 * commits on top of it.
 */
TEST_F(xenbus, transaction_conflict_retries)
{
	const char *path = key(&self->k, "conflict");
	int attempt, ret = -EAGAIN;
	__u32 a, b, tx;

	ASSERT_EQ(0, xs_write(self->xs, 0, path, "0"));
	ASSERT_EQ(0, xs_transaction_start(self->xs, &a));
	ASSERT_EQ(0, xs_transaction_start(self->xs, &b));
	ASSERT_LE(0, xs_read(self->xs, a, path, self->val, sizeof(self->val)));
	ASSERT_LE(0, xs_read(self->xs, b, path, self->val, sizeof(self->val)));
	ASSERT_EQ(0, xs_write(self->xs, a, path, "a"));
	ASSERT_EQ(0, xs_write(self->xs, b, path, "b"));
	ASSERT_EQ(0, xs_transaction_end(self->xs, a, true));
	EXPECT_EQ(-EAGAIN, xs_transaction_end(self->xs, b, true));

	/* The retry: read, modify and write again, until it commits. */
	for (attempt = 0; attempt < TX_ATTEMPTS && ret == -EAGAIN; attempt++) {
		ASSERT_EQ(0, xs_transaction_start(self->xs, &tx));
		ret = xs_read(self->xs, tx, path, self->val, sizeof(self->val));
		if (ret < 0) {
			xs_transaction_end(self->xs, tx, false);
			break;
		}
		EXPECT_STREQ("a", self->val);
		ret = xs_write(self->xs, tx, path, "ab");
		if (ret) {
			xs_transaction_end(self->xs, tx, false);
			break;
		}
		ret = xs_transaction_end(self->xs, tx, true);
	}
	ASSERT_EQ(0, ret) {
		TH_LOG("the retry did not commit: %s", strerror(-ret));
	}
	ASSERT_LE(0, xs_read(self->xs, 0, path, self->val, sizeof(self->val)));
	EXPECT_STREQ("ab", self->val);
}

TEST_F(xenbus, transaction_unknown_id)
{
	const __u32 bogus = 0x7eadbeef;

	/* The kernel rejects transaction ids it did not hand out. */
	EXPECT_EQ(-ENOENT, xs_write(self->xs, bogus, key(&self->k, "tx"), "x"));
	EXPECT_EQ(-ENOENT, xs_transaction_end(self->xs, bogus, true));
	EXPECT_EQ(-ENOENT, xs_read(self->xs, 0, key(&self->k, "tx"), self->val,
				   sizeof(self->val)));
}

TEST_HARNESS_MAIN
