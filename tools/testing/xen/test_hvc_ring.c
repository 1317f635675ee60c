// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of drivers/tty/hvc/hvc_xen_ring.c: the console page's rings
 * as the domain uses them, with a console daemon that follows the rules
 * and one that does not.
 */
#include <errno.h>
#include <string.h>
#include <linux/kernel.h>
#include "drivers/tty/hvc/hvc_xen_ring.h"
#include "tap.h"

static struct xencons_interface page;
static struct xencons_ring r;

/* A fresh page whose indexes are OUT (both out_*) and IN (both in_*). */
static void fresh(XENCONS_RING_IDX out, XENCONS_RING_IDX in)
{
	memset(&page, 0, sizeof(page));
	page.out_prod = out;
	page.out_cons = out;
	page.in_prod = in;
	page.in_cons = in;
	xencons_ring_attach(&r, &page);
}

/* The daemon sends S: it writes into "in" and moves in_prod. */
static void daemon_send(const char *s)
{
	size_t i, n = strlen(s);

	for (i = 0; i < n; i++)
		page.in[MASK_XENCONS_IDX(page.in_prod + i, page.in)] = s[i];
	page.in_prod += n;
}

static void test_write(void)
{
	u8 big[3000];

	fresh(0, 0);
	ok_eq(xencons_ring_write(&r, (const u8 *)"hello", 5), 5, "write: 5 bytes queued");
	ok(page.out_prod == 5 && !memcmp(page.out, "hello", 5),
	   "write: bytes and out_prod on the page");
	ok_eq(xencons_ring_write(&r, (const u8 *)"", 0), 0, "write: nothing to write");

	fresh(2046, 0);
	ok_eq(xencons_ring_write(&r, (const u8 *)"abcde", 5), 5,
	      "write: wraps around the ring's end");
	ok(page.out[2046] == 'a' && page.out[2047] == 'b' && !memcmp(page.out, "cde", 3),
	   "write: the wrapped bytes at the ring's start");

	fresh(0xfffffffe, 0);
	ok_eq(xencons_ring_write(&r, (const u8 *)"abcde", 5), 5, "write: across the index's wrap");
	ok_eq(page.out_prod, 3, "write: out_prod wrapped to 3");
	ok(page.out[2046] == 'a' && page.out[0] == 'c', "write: the bytes at the masked offsets");

	fresh(0, 0);
	memset(big, 'x', sizeof(big));
	ok_eq(xencons_ring_write(&r, big, sizeof(big)), 2048, "write: a full ring takes 2048");
	ok_eq(xencons_ring_write(&r, big, 1), 0, "write: a full ring takes none");
	page.out_cons = 3;
	ok_eq(xencons_ring_write(&r, big, 5), 3, "write: takes only the room the daemon freed");
	ok(!r.broken, "write: a full ring is not broken");
}

static void test_write_hostile(void)
{
	u8 b[4];

	fresh(100, 0);
	page.out_cons = 101;
	ok_eq(xencons_ring_write(&r, (const u8 *)"a", 1), -EIO,
	      "write: out_cons ahead of our producer is refused");
	ok(r.broken, "write: the ring is broken then");
	page.out_cons = 100;
	ok_eq(xencons_ring_write(&r, (const u8 *)"a", 1), -EIO,
	      "write: a broken ring stays broken");
	ok_eq(page.out_prod, 100, "write: out_prod untouched on the broken ring");
	ok_eq(xencons_ring_read(&r, b, 4), -EIO, "read: refused on the broken ring");
	ok(!xencons_ring_moved(&r), "moved: never on the broken ring");
	xencons_ring_attach(&r, &page);
	ok_eq(xencons_ring_write(&r, (const u8 *)"a", 1), 1,
	      "write: attaching anew clears the latch");

	fresh(5000, 0);
	page.out_cons = 5000 - 2049;
	ok_eq(xencons_ring_write(&r, (const u8 *)"a", 1), -EIO,
	      "write: out_cons more than the ring behind is refused");

	fresh(5000, 0);
	page.out_cons = 5000 - 2048;
	ok_eq(xencons_ring_write(&r, (const u8 *)"a", 1), 0,
	      "write: out_cons exactly the ring behind is a full ring");

	fresh(10, 0);
	page.out_prod = 9999;
	ok_eq(xencons_ring_write(&r, (const u8 *)"ab", 2), 2,
	      "write: an out_prod the daemon rewrote is not used");
	ok_eq(page.out_prod, 12, "write: our own producer goes back on the page");
	ok(!memcmp(page.out + 10, "ab", 2), "write: at our own producer's offset");
}

static void test_read(void)
{
	u8 b[2048];

	fresh(0, 0);
	ok_eq(xencons_ring_read(&r, b, sizeof(b)), 0, "read: nothing waiting");
	daemon_send("xyz");
	ok_eq(xencons_ring_read(&r, b, 2), 2, "read: at most what was asked");
	ok(!memcmp(b, "xy", 2) && page.in_cons == 2, "read: the bytes, and in_cons on the page");
	ok_eq(xencons_ring_read(&r, b, sizeof(b)), 1, "read: the rest");
	ok(b[0] == 'z' && page.in_cons == 3, "read: the last byte");

	fresh(0, 1022);
	daemon_send("abcd");
	ok_eq(xencons_ring_read(&r, b, sizeof(b)), 4, "read: wraps around the ring's end");
	ok(!memcmp(b, "abcd", 4), "read: in order across the wrap");

	fresh(0, 0xffffffff);
	daemon_send("ab");
	ok_eq(xencons_ring_read(&r, b, sizeof(b)), 2, "read: across the index's wrap");
	ok_eq(page.in_cons, 1, "read: in_cons wrapped");

	fresh(0, 0);
	page.in_prod = 1024;
	ok_eq(xencons_ring_read(&r, b, sizeof(b)), 1024, "read: a full ring of input");
	fresh(0, 0);
	page.in_prod = 1025;
	ok_eq(xencons_ring_read(&r, b, sizeof(b)), -EIO,
	      "read: in_prod more than the ring ahead is refused");
	fresh(0, 50);
	page.in_prod = 49;
	ok_eq(xencons_ring_read(&r, b, sizeof(b)), -EIO,
	      "read: in_prod behind our consumer is refused");

	fresh(0, 7);
	daemon_send("q");
	page.in_cons = 900;
	ok_eq(xencons_ring_read(&r, b, sizeof(b)), 1,
	      "read: an in_cons the daemon rewrote is not used");
	ok_eq(page.in_cons, 8, "read: our own consumer goes back on the page");
}

static void test_moved(void)
{
	u8 b[16];

	fresh(0, 0);
	ok(!xencons_ring_moved(&r), "moved: not on a quiet ring");
	xencons_ring_write(&r, (const u8 *)"0123456789", 10);
	ok(!xencons_ring_moved(&r), "moved: not for our own output");
	page.out_cons = 4;
	ok(xencons_ring_moved(&r), "moved: the daemon consumed output");
	ok(!xencons_ring_moved(&r), "moved: once per move");
	page.out_cons = 2;
	ok(!xencons_ring_moved(&r), "moved: not when out_cons goes back");
	page.out_cons = 11;
	ok(!xencons_ring_moved(&r), "moved: not when out_cons passes our producer");
	page.out_cons = 10;
	ok(xencons_ring_moved(&r), "moved: out_cons up to our producer");

	daemon_send("ab");
	ok(xencons_ring_moved(&r), "moved: new input");
	ok(!xencons_ring_moved(&r), "moved: not again while the input waits");
	daemon_send("c");
	ok(xencons_ring_moved(&r), "moved: more input");
	ok_eq(xencons_ring_read(&r, b, sizeof(b)), 3, "moved: the input is read");
	ok(!xencons_ring_moved(&r), "moved: not after the read");

	daemon_send("d");
	ok_eq(xencons_ring_read(&r, b, sizeof(b)), 1, "moved: input read before its event");
	ok(!xencons_ring_moved(&r), "moved: its event then brings nothing new");

	page.in_prod = r.in_cons + 1025;
	ok(!xencons_ring_moved(&r), "moved: not for in_prod past the ring");
	ok(!r.broken, "moved: does not break the ring by itself");
	page.in_prod = r.in_cons - 1;
	ok(!xencons_ring_moved(&r), "moved: not for in_prod behind our consumer");

	fresh(0, 0);
	daemon_send("early");
	xencons_ring_attach(&r, &page);
	ok(xencons_ring_moved(&r), "moved: input waiting at attach counts as new");
}

static void test_line(void)
{
	bool nl;

	ok(xencons_line("ab\ncd", 5, &nl) == 2 && nl, "line: up to the newline");
	ok(xencons_line("abc", 3, &nl) == 3 && !nl, "line: no newline");
	ok(xencons_line("\n", 1, &nl) == 0 && nl, "line: an empty line");
	ok(xencons_line("", 0, &nl) == 0 && !nl, "line: nothing");
	ok(xencons_line("ab\n", 2, &nl) == 2 && !nl,
	   "line: a newline past the length does not count");
}

int main(void)
{
	tap_start();
	test_write();
	test_write_hostile();
	test_read();
	test_moved();
	test_line();
	return tap_done();
}
