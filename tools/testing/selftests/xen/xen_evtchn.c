// SPDX-License-Identifier: GPL-2.0-only
/*
 * Event channels through /dev/xen/evtchn, using a loopback interdomain
 * channel between two ports of our own domain.
 *
 * Delivery model of the device: when a port fires, its number is queued
 * for read() and the port stays masked until user space writes the port
 * number back.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "xen_common.h"
#include "xs_client.h"

#include <xen/evtchn.h>

#define EVTCHN_DEV		"/dev/xen/evtchn"
#define EVENT_TIMEOUT_MS	2000
#define QUIET_MS		300
#define MAX_PORTS		16

FIXTURE(evtchn) {
	int fd;
	unsigned int domid;
};

FIXTURE_SETUP(evtchn)
{
	static const char *const devs[] = { EVTCHN_DEV, XS_DEV_PATH, NULL };
	const char *why;
	int ret;

	self->fd = -1;
	why = xen_dev_setup(devs, &self->domid, &ret);
	if (why)
		SKIP(return, "%s", why);
	ASSERT_EQ(0, ret) {
		TH_LOG("reading own domid from xenstore: %s", strerror(-ret));
	}

	self->fd = open(EVTCHN_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) {
		TH_LOG("open %s: %s", EVTCHN_DEV, strerror(errno));
	}
}

FIXTURE_TEARDOWN(evtchn)
{
	/* Closing the file unbinds whatever a failed test left bound. */
	if (self->fd >= 0)
		close(self->fd);
}

static int bind_unbound(int fd, unsigned int remote_domid)
{
	struct ioctl_evtchn_bind_unbound_port op = {
		.remote_domain = remote_domid,
	};

	return ioctl(fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &op);
}

static int bind_interdomain(int fd, unsigned int remote_domid,
			    unsigned int remote_port)
{
	struct ioctl_evtchn_bind_interdomain op = {
		.remote_domain = remote_domid,
		.remote_port = remote_port,
	};

	return ioctl(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &op);
}

static int evtchn_unbind(int fd, unsigned int port)
{
	struct ioctl_evtchn_unbind op = { .port = port };

	return ioctl(fd, IOCTL_EVTCHN_UNBIND, &op);
}

static int evtchn_notify(int fd, unsigned int port)
{
	struct ioctl_evtchn_notify op = { .port = port };

	return ioctl(fd, IOCTL_EVTCHN_NOTIFY, &op);
}

static int evtchn_unmask(int fd, unsigned int port)
{
	ssize_t n = write(fd, &port, sizeof(port));

	if (n < 0)
		return -errno;

	return n == sizeof(port) ? 0 : -EIO;
}

/*
 * Collect the ports that fire within @timeout_ms.  Returns how many were
 * stored in @ports (0 on timeout) or a negative errno.
 */
static int evtchn_wait(int fd, unsigned int *ports, int max, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;
	int ret;

	ret = poll(&pfd, 1, timeout_ms);
	if (ret < 0)
		return -errno;
	if (ret == 0)
		return 0;

	n = read(fd, ports, max * sizeof(*ports));
	if (n < 0)
		return -errno;

	return (int)(n / sizeof(*ports));
}

/*
 * Binding the second end of an interdomain channel always leaves its own
 * port pending, to cover notifications sent before it was bound.  Wait for
 * that event, however slow the machine, and consume it so it does not
 * confuse what follows; no other port may fire at this point.
 */
static int expect_bind_event(int fd, unsigned int local_port)
{
	unsigned int ports[MAX_PORTS];
	int n;

	n = evtchn_wait(fd, ports, MAX_PORTS, EVENT_TIMEOUT_MS);
	if (n < 0)
		return n;
	if (n == 0)
		return -ETIMEDOUT;
	if (n != 1 || ports[0] != local_port)
		return -EPROTO;
	if (evtchn_unmask(fd, local_port))
		return -EIO;

	return 0;
}

/* Wait for exactly one event and return the port that fired. */
static int expect_one_event(int fd)
{
	unsigned int ports[MAX_PORTS];
	int n;

	n = evtchn_wait(fd, ports, MAX_PORTS, EVENT_TIMEOUT_MS);
	if (n < 0)
		return n;
	if (n == 0)
		return -ETIMEDOUT;
	if (n != 1)
		return -EPROTO;

	return (int)ports[0];
}

TEST_F(evtchn, bind_unbound_port)
{
	unsigned int ports[MAX_PORTS];
	int port;

	port = bind_unbound(self->fd, self->domid);
	ASSERT_LT(0, port) {
		TH_LOG("IOCTL_EVTCHN_BIND_UNBOUND_PORT: %s", strerror(errno));
	}

	/* Nothing is connected yet, so nothing may fire. */
	EXPECT_EQ(0, evtchn_wait(self->fd, ports, MAX_PORTS, QUIET_MS));

	ASSERT_EQ(0, evtchn_unbind(self->fd, port));

	/* Once unbound, the port is no longer ours. */
	EXPECT_EQ(-1, evtchn_unbind(self->fd, port));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(-1, evtchn_notify(self->fd, port));
	EXPECT_EQ(ENOTCONN, errno);
}

TEST_F(evtchn, loopback_notify)
{
	unsigned int ports[MAX_PORTS];
	int a, b;

	b = bind_unbound(self->fd, self->domid);
	ASSERT_LT(0, b) {
		TH_LOG("IOCTL_EVTCHN_BIND_UNBOUND_PORT: %s", strerror(errno));
	}
	a = bind_interdomain(self->fd, self->domid, b);
	ASSERT_LT(0, a) {
		TH_LOG("IOCTL_EVTCHN_BIND_INTERDOMAIN: %s", strerror(errno));
	}
	ASSERT_NE(a, b);
	ASSERT_EQ(0, expect_bind_event(self->fd, a));

	/* Notifying one end raises the other end. */
	ASSERT_EQ(0, evtchn_notify(self->fd, a));
	ASSERT_EQ(b, expect_one_event(self->fd));

	/* b is masked until written back: a new notification stays held. */
	ASSERT_EQ(0, evtchn_notify(self->fd, a));
	EXPECT_EQ(0, evtchn_wait(self->fd, ports, MAX_PORTS, QUIET_MS));

	/* Unmasking delivers the held event. */
	ASSERT_EQ(0, evtchn_unmask(self->fd, b));
	ASSERT_EQ(b, expect_one_event(self->fd));
	ASSERT_EQ(0, evtchn_unmask(self->fd, b));

	/* And the other direction. */
	ASSERT_EQ(0, evtchn_notify(self->fd, b));
	ASSERT_EQ(a, expect_one_event(self->fd));
	ASSERT_EQ(0, evtchn_unmask(self->fd, a));

	/* Several round trips. */
	for (int i = 0; i < 16; i++) {
		ASSERT_EQ(0, evtchn_notify(self->fd, a));
		ASSERT_EQ(b, expect_one_event(self->fd));
		ASSERT_EQ(0, evtchn_unmask(self->fd, b));
	}

	ASSERT_EQ(0, evtchn_unbind(self->fd, a));
	ASSERT_EQ(0, evtchn_unbind(self->fd, b));
	EXPECT_EQ(-1, evtchn_notify(self->fd, a));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(-1, evtchn_notify(self->fd, b));
	EXPECT_EQ(ENOTCONN, errno);
}

/* Ports bound through different files deliver to their own file only. */
TEST_F(evtchn, loopback_two_files)
{
	unsigned int ports[MAX_PORTS];
	int fd2, a, b;

	fd2 = open(EVTCHN_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd2);

	b = bind_unbound(self->fd, self->domid);
	ASSERT_LT(0, b);
	a = bind_interdomain(fd2, self->domid, b);
	ASSERT_LT(0, a);
	ASSERT_EQ(0, expect_bind_event(fd2, a));

	/* A file may only notify the ports it bound itself. */
	EXPECT_EQ(-1, evtchn_notify(fd2, b));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(-1, evtchn_notify(self->fd, a));
	EXPECT_EQ(ENOTCONN, errno);

	ASSERT_EQ(0, evtchn_notify(fd2, a));
	ASSERT_EQ(b, expect_one_event(self->fd));
	EXPECT_EQ(0, evtchn_wait(fd2, ports, MAX_PORTS, QUIET_MS));
	ASSERT_EQ(0, evtchn_unmask(self->fd, b));

	ASSERT_EQ(0, evtchn_notify(self->fd, b));
	ASSERT_EQ(a, expect_one_event(fd2));
	EXPECT_EQ(0, evtchn_wait(self->fd, ports, MAX_PORTS, QUIET_MS));
	ASSERT_EQ(0, evtchn_unmask(fd2, a));

	EXPECT_EQ(-1, evtchn_unbind(self->fd, a));
	EXPECT_EQ(ENOTCONN, errno);
	ASSERT_EQ(0, evtchn_unbind(fd2, a));
	ASSERT_EQ(0, evtchn_unbind(self->fd, b));
	close(fd2);
}

TEST_F(evtchn, invalid_ports)
{
	/* Port 0 is never a valid event channel. */
	EXPECT_EQ(-1, evtchn_notify(self->fd, 0));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(-1, evtchn_unbind(self->fd, 0));
	EXPECT_EQ(ENOTCONN, errno);

	/* Far beyond the number of channels Xen offers. */
	EXPECT_EQ(-1, evtchn_notify(self->fd, 0xfffffff0U));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(-1, evtchn_unbind(self->fd, 0xfffffff0U));
	EXPECT_EQ(EINVAL, errno);

	/* Only a port left unbound for us can be the remote end. */
	EXPECT_EQ(-1, bind_interdomain(self->fd, self->domid, 0xfffffff0U));
	EXPECT_EQ(-1, bind_interdomain(self->fd, self->domid, 0));
}

TEST_HARNESS_MAIN
