// SPDX-License-Identifier: GPL-2.0-only
/*
 * Networking over a Xen virtual interface (xen-netfront).
 *
 * The peer is given by $XEN_SELFTEST_PEER (an IPv4 address) and must run
 * a TCP echo service on $XEN_SELFTEST_ECHO_PORT (default 7), e.g.
 *   socat TCP-LISTEN:7,fork,reuseaddr EXEC:cat
 * Everything is skipped unless this domain has a Xen vif.
 *
 * rss_steering needs a vif whose backend hashes for the frontend (a
 * control ring) and two queues; with $XEN_SELFTEST_WANT_RSS=1 its absence
 * is a failure instead of a skip.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "xen_common.h"
#include "xen_ethtool.h"
#include "xs_client.h"

#define PEER_ENV		"XEN_SELFTEST_PEER"
#define PORT_ENV		"XEN_SELFTEST_ECHO_PORT"
#define WANT_RSS_ENV		"XEN_SELFTEST_WANT_RSS"
#define RSS_PINGS		8
#define RSS_TCP_CONNS		4
#define RSS_TCP_BYTES		(256 * 1024)
#define DEFAULT_ECHO_PORT	7
#define MAX_VIFS		8
#define PING_ATTEMPTS		5
#define PING_WAIT_MS		2000
#define PING_PAYLOAD		56
#define ECHO_BYTES		(1024 * 1024)
#define ECHO_IO_MAX		(64 * 1024)
#define CONNECT_TIMEOUT_MS	10000
#define ECHO_TIMEOUT_MS		60000
#define XENBUS_CONNECTED	"4"
/*
 * Upstream's netback answers a frontend's Reconfiguring (for its
 * "xdp-headroom") with Reconfigured and stays there, connected.
 */
#define XENBUS_RECONFIGURED	"8"
#define NET_SYSFS		"/sys/class/net"

FIXTURE(vif) {
	char names[MAX_VIFS][IF_NAMESIZE];
	unsigned int nr_vifs;
	bool have_peer;
	struct sockaddr_in peer;
};

/* Is network interface @name driven by xen-netfront? */
static bool is_xen_vif(const char *name)
{
	char path[PATH_MAX], real[PATH_MAX], type[16];

	if (xen_fmt(path, sizeof(path), NET_SYSFS "/%s/device/subsystem",
		    name) ||
	    !realpath(path, real) || strcmp(basename(real), "xen"))
		return false;

	if (xen_fmt(path, sizeof(path), NET_SYSFS "/%s/device/devtype", name))
		return false;
	if (xen_read_text(path, type, sizeof(type)) >= 0)
		return !strcmp(type, "vif");

	if (xen_fmt(path, sizeof(path), NET_SYSFS "/%s/device", name))
		return false;

	return realpath(path, real) && !strncmp(basename(real), "vif-", 4);
}

FIXTURE_SETUP(vif)
{
	const char *peer, *port;
	struct dirent *de;
	DIR *dir;

	if (!xen_is_running())
		SKIP(return, "not running on Xen");

	dir = opendir(NET_SYSFS);
	ASSERT_NE(NULL, dir);
	while ((de = readdir(dir)) && self->nr_vifs < MAX_VIFS) {
		if (de->d_name[0] == '.' || strlen(de->d_name) >= IF_NAMESIZE)
			continue;
		if (is_xen_vif(de->d_name))
			memcpy(self->names[self->nr_vifs++], de->d_name,
			       strlen(de->d_name) + 1);
	}
	closedir(dir);
	if (!self->nr_vifs)
		SKIP(return, "no Xen vif network interface");

	peer = getenv(PEER_ENV);
	if (!peer || !*peer)
		return;

	self->peer.sin_family = AF_INET;
	ASSERT_EQ(1, inet_pton(AF_INET, peer, &self->peer.sin_addr)) {
		TH_LOG("%s=%s is not an IPv4 address", PEER_ENV, peer);
	}

	self->peer.sin_port = htons(DEFAULT_ECHO_PORT);
	port = getenv(PORT_ENV);
	if (port && *port) {
		unsigned long long val;

		ASSERT_EQ(0, xen_parse_ull(port, 10, &val));
		ASSERT_TRUE(val > 0 && val <= 65535) {
			TH_LOG("bad %s=%s", PORT_ENV, port);
		}
		self->peer.sin_port = htons((__u16)val);
	}
	self->have_peer = true;
}

FIXTURE_TEARDOWN(vif)
{
}

/* Sum of one statistics counter over the interfaces @names. */
static unsigned long long vif_stat(char names[][IF_NAMESIZE], unsigned int nr,
				   const char *stat)
{
	unsigned long long total = 0, val;
	char path[PATH_MAX];
	unsigned int i;

	for (i = 0; i < nr; i++) {
		if (!xen_fmt(path, sizeof(path), NET_SYSFS "/%s/statistics/%s",
			     names[i], stat) &&
		    !xen_read_ull(path, 10, &val))
			total += val;
	}

	return total;
}

/* Internet checksum (RFC 1071), returned in network byte order. */
static __u16 inet_csum(const void *data, size_t len)
{
	const __u8 *p = data;
	__u32 sum = 0;

	for (; len > 1; p += 2, len -= 2)
		sum += (__u32)p[0] << 8 | p[1];
	if (len)
		sum += (__u32)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);

	return htons((__u16)~sum);
}

/*
 * Every vif is connected on both ends of its xenbus device, and the one
 * that is up has a carrier and the MAC address from xenstore.
 */
TEST_F(vif, device)
{
	char path[PATH_MAX], node[128], backend[256], val[64], mac[32];
	unsigned long long flags, carrier;
	unsigned int i, up = 0;
	struct xs_conn *xs;

	if (!xen_path_exists(XS_DEV_PATH))
		SKIP(return, XS_DEV_PATH " not present");
	xs = xs_open();
	ASSERT_NE(NULL, xs);

	for (i = 0; i < self->nr_vifs; i++) {
		const char *name = self->names[i];

		ASSERT_EQ(0, xen_fmt(path, sizeof(path),
				     NET_SYSFS "/%s/device/nodename", name));
		ASSERT_LT(0, xen_read_text(path, node, sizeof(node)));
		EXPECT_EQ(0, strncmp(node, "device/vif/", 11));

		ASSERT_EQ(0, xen_fmt(path, sizeof(path), "%s/state", node));
		ASSERT_LT(0, xs_read(xs, 0, path, val, sizeof(val)));
		EXPECT_STREQ(XENBUS_CONNECTED, val);

		ASSERT_EQ(0, xen_fmt(path, sizeof(path), "%s/backend", node));
		ASSERT_LT(0, xs_read(xs, 0, path, backend, sizeof(backend)));
		ASSERT_EQ(0, xen_fmt(path, sizeof(path), "%s/state", backend));
		ASSERT_LT(0, xs_read(xs, 0, path, val, sizeof(val)));
		EXPECT_TRUE(!strcmp(val, XENBUS_CONNECTED) ||
			    !strcmp(val, XENBUS_RECONFIGURED));

		ASSERT_EQ(0, xen_fmt(path, sizeof(path), "%s/mac", node));
		ASSERT_LT(0, xs_read(xs, 0, path, val, sizeof(val)));
		ASSERT_EQ(0, xen_fmt(path, sizeof(path),
				     NET_SYSFS "/%s/address", name));
		ASSERT_LT(0, xen_read_text(path, mac, sizeof(mac)));
		EXPECT_EQ(0, strcasecmp(val, mac)) {
			TH_LOG("%s: xenstore mac %s, interface %s", name, val,
			       mac);
		}

		ASSERT_EQ(0, xen_fmt(path, sizeof(path), NET_SYSFS "/%s/flags",
				     name));
		ASSERT_EQ(0, xen_read_ull(path, 16, &flags));
		if (!(flags & IFF_UP))
			continue;
		ASSERT_EQ(0, xen_fmt(path, sizeof(path),
				     NET_SYSFS "/%s/carrier", name));
		ASSERT_EQ(0, xen_read_ull(path, 10, &carrier));
		EXPECT_EQ(1ULL, carrier);
		up++;
	}
	xs_close(xs);

	EXPECT_LT(0U, up) {
		TH_LOG("no Xen vif is up");
	}
}

/*
 * ethtool sees the link of every vif that is up, and a frontend that
 * reports a link speed reports a valid one with a duplex.
 */
TEST_F(vif, ethtool_link)
{
	unsigned int i, speeds = 0;
	int fd, ret;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, fd);
	for (i = 0; i < self->nr_vifs; i++) {
		struct ethtool_value link = { .cmd = ETHTOOL_GLINK };
		struct ethtool_cmd set = { .cmd = ETHTOOL_GSET };
		char path[PATH_MAX];
		unsigned long long flags;
		__u32 speed;

		ASSERT_EQ(0, xen_fmt(path, sizeof(path), NET_SYSFS "/%s/flags",
				     self->names[i]));
		ASSERT_EQ(0, xen_read_ull(path, 16, &flags));
		if (!(flags & IFF_UP))
			continue;
		ASSERT_EQ(0, xen_ethtool(fd, self->names[i], &link));
		EXPECT_EQ(1U, link.data);

		ret = xen_ethtool(fd, self->names[i], &set);
		if (ret == -EOPNOTSUPP)
			continue;
		ASSERT_EQ(0, ret);
		speed = ethtool_cmd_speed(&set);
		EXPECT_TRUE(speed && speed != (__u32)SPEED_UNKNOWN) {
			TH_LOG("%s: speed %u", self->names[i], speed);
		}
		EXPECT_TRUE(set.duplex == DUPLEX_FULL ||
			    set.duplex == DUPLEX_HALF);
		speeds++;
	}
	close(fd);
	if (!speeds)
		SKIP(return, "this frontend reports no link speed");
}

/* Wait for the echo reply matching @id and @seq; true if it came. */
static bool ping_wait(int fd, const struct sockaddr_in *peer, __u16 id,
		      __u16 seq, const __u8 *payload)
{
	long long deadline = xen_now_ms() + PING_WAIT_MS;
	__u8 buf[1500];

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		struct sockaddr_in from;
		socklen_t fromlen = sizeof(from);
		struct icmphdr *icmp;
		size_t hlen;
		ssize_t n;

		if (poll(&pfd, 1, xen_ms_left(deadline)) <= 0)
			return false;
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &fromlen);
		if (n < (ssize_t)sizeof(struct iphdr))
			continue;

		/* Raw IPv4 sockets hand us the IP header too. */
		hlen = (buf[0] & 0x0f) * 4;
		if (from.sin_addr.s_addr != peer->sin_addr.s_addr ||
		    (size_t)n != hlen + sizeof(*icmp) + PING_PAYLOAD)
			continue;
		icmp = (struct icmphdr *)(buf + hlen);
		if (icmp->type != ICMP_ECHOREPLY || icmp->code != 0 ||
		    ntohs(icmp->un.echo.id) != id ||
		    ntohs(icmp->un.echo.sequence) != seq)
			continue;

		/* The reply carries our payload and a valid checksum. */
		return inet_csum(icmp, n - hlen) == 0 &&
		       !memcmp(icmp + 1, payload, PING_PAYLOAD);
	}
}

/* One echo request to @peer: 1 if answered, 0 if not, or -errno. */
static int ping_once(int fd, const struct sockaddr_in *peer, __u16 id,
		     __u16 seq)
{
	__u8 pkt[sizeof(struct icmphdr) + PING_PAYLOAD];
	struct icmphdr *icmp = (struct icmphdr *)pkt;

	memset(pkt, 0, sizeof(pkt));
	icmp->type = ICMP_ECHO;
	icmp->un.echo.id = htons(id);
	icmp->un.echo.sequence = htons(seq);
	xen_fill_pattern(icmp + 1, PING_PAYLOAD, (__u64)id << 16 | seq);
	icmp->checksum = inet_csum(pkt, sizeof(pkt));
	if (sendto(fd, pkt, sizeof(pkt), 0, (const struct sockaddr *)peer,
		   sizeof(*peer)) != (ssize_t)sizeof(pkt))
		return -errno;
	return ping_wait(fd, peer, id, seq, (__u8 *)(icmp + 1));
}

TEST_F_TIMEOUT(vif, icmp_echo, 60)
{
	__u16 id = getpid() & 0xffff;
	bool replied = false;
	int fd, attempt, ret;

	if (!self->have_peer)
		SKIP(return, "set " PEER_ENV " to the peer's IPv4 address");

	fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	if (fd < 0 && (errno == EPERM || errno == EACCES))
		SKIP(return, "raw sockets need CAP_NET_RAW");
	ASSERT_LE(0, fd);

	for (attempt = 1; attempt <= PING_ATTEMPTS && !replied; attempt++) {
		ret = ping_once(fd, &self->peer, id, attempt);
		ASSERT_LE(0, ret) {
			TH_LOG("sendto: %s", strerror(-ret));
		}
		replied = ret;
	}
	close(fd);

	EXPECT_TRUE(replied) {
		TH_LOG("no echo reply from %s after %d attempts",
		       inet_ntoa(self->peer.sin_addr), PING_ATTEMPTS);
	}
}

static int tcp_connect(const struct sockaddr_in *peer)
{
	struct pollfd pfd;
	socklen_t len;
	int fd, err;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;

	if (connect(fd, (const struct sockaddr *)peer, sizeof(*peer)) &&
	    errno != EINPROGRESS) {
		err = errno;
		goto fail;
	}

	pfd.fd = fd;
	pfd.events = POLLOUT;
	if (poll(&pfd, 1, CONNECT_TIMEOUT_MS) != 1) {
		err = ETIMEDOUT;
		goto fail;
	}
	len = sizeof(err);
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
		err = errno;
	if (err)
		goto fail;

	return fd;

fail:
	close(fd);
	return -err;
}

/*
 * Send @len bytes from @out and collect their echo in @in, sending and
 * receiving in turn as the socket allows so neither side can stall.
 * Returns 0, or -errno; -EPIPE if the peer closed early.
 */
static int tcp_echo(int fd, const __u8 *out, __u8 *in, size_t len)
{
	long long deadline = xen_now_ms() + ECHO_TIMEOUT_MS;
	size_t sent = 0, got = 0;
	bool shut = false;

	while (got < len) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;
		int ret;

		if (sent < len)
			pfd.events |= POLLOUT;
		ret = poll(&pfd, 1, xen_ms_left(deadline));
		if (ret < 0 && errno != EINTR)
			return -errno;
		if (ret == 0)
			return -ETIMEDOUT;
		if (ret < 0)
			continue;

		if (pfd.revents & POLLOUT) {
			size_t chunk = len - sent;

			if (chunk > ECHO_IO_MAX)
				chunk = ECHO_IO_MAX;
			n = send(fd, out + sent, chunk, MSG_NOSIGNAL);
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				return -errno;
			if (n > 0)
				sent += n;
		}
		if (sent == len && !shut) {
			/* Tell the peer we are done so it can close. */
			if (shutdown(fd, SHUT_WR))
				return -errno;
			shut = true;
		}
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
			n = recv(fd, in + got, len - got, 0);
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				return -errno;
			if (n == 0)
				return -EPIPE;
			if (n > 0)
				got += n;
		}
	}

	return 0;
}

/* After the echoed data the peer closes its side in answer to ours. */
static bool tcp_wait_eof(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char c;

	if (poll(&pfd, 1, CONNECT_TIMEOUT_MS) != 1)
		return false;

	return recv(fd, &c, 1, 0) == 0;
}

TEST_F_TIMEOUT(vif, tcp_echo, 120)
{
	unsigned long long tx_before, rx_before, tx_delta, rx_delta;
	__u8 *out, *in;
	int fd, ret;

	if (!self->have_peer)
		SKIP(return, "set " PEER_ENV " to the peer's IPv4 address");

	out = malloc(ECHO_BYTES);
	in = malloc(ECHO_BYTES);
	ASSERT_NE(NULL, out);
	ASSERT_NE(NULL, in);
	xen_fill_pattern(out, ECHO_BYTES, 0x7463706563686fULL ^ getpid());
	memset(in, 0, ECHO_BYTES);

	tx_before = vif_stat(self->names, self->nr_vifs, "tx_bytes");
	rx_before = vif_stat(self->names, self->nr_vifs, "rx_bytes");

	fd = tcp_connect(&self->peer);
	ASSERT_LE(0, fd) {
		TH_LOG("connect to %s:%u: %s", inet_ntoa(self->peer.sin_addr),
		       ntohs(self->peer.sin_port), strerror(-fd));
	}

	ret = tcp_echo(fd, out, in, ECHO_BYTES);
	ASSERT_EQ(0, ret) {
		TH_LOG("echo exchange: %s", strerror(-ret));
	}
	EXPECT_EQ(0, memcmp(out, in, ECHO_BYTES));
	EXPECT_TRUE(tcp_wait_eof(fd));
	close(fd);

	/* The traffic went through the Xen vif(s), both ways. */
	tx_delta = vif_stat(self->names, self->nr_vifs, "tx_bytes") - tx_before;
	rx_delta = vif_stat(self->names, self->nr_vifs, "rx_bytes") - rx_before;
	EXPECT_LE((unsigned long long)ECHO_BYTES, tx_delta);
	EXPECT_LE((unsigned long long)ECHO_BYTES, rx_delta);

	free(out);
	free(in);
}

/* Point every entry of @name's indirection table at queue @q. */
static int vif_rss_fill(int fd, const char *name, __u32 size, __u32 q)
{
	struct ethtool_rxfh_indir *t;
	__u32 i;
	int ret;

	t = calloc(1, sizeof(*t) + size * sizeof(__u32));
	if (!t)
		return -ENOMEM;
	t->cmd = ETHTOOL_SRXFHINDIR;
	t->size = size;
	for (i = 0; i < size; i++)
		t->ring_index[i] = q;
	ret = xen_ethtool(fd, name, t);
	free(t);
	return ret;
}

/*
 * Whether @name has an IPv4 address: the pings below go out of it.  A
 * spare vif (the hostile-frontend selftest's) has none, and the order in
 * which the vifs are listed is not theirs.
 */
static bool vif_has_ipv4(int fd, const char *name)
{
	struct ifreq ifr = {};

	if (strlen(name) >= sizeof(ifr.ifr_name))
		return false;
	memcpy(ifr.ifr_name, name, strlen(name) + 1);
	ifr.ifr_addr.sa_family = AF_INET;
	return !ioctl(fd, SIOCGIFADDR, &ifr);
}

/*
 * The first of @nr vifs in @names with an IPv4 address, a second @dir
 * ("rx" or "tx") queue with its ethtool counter, and an indirection table
 * (its size left in @probe).  *@name stays NULL if none has them.
 * Returns 0, or -ENAMETOOLONG if a sysfs path does not fit.
 */
static int vif_rss_find(char names[][IF_NAMESIZE], unsigned int nr, int fd,
			const char *dir, struct ethtool_rxfh_indir *probe,
			const char **name)
{
	char path[PATH_MAX], stat[32];
	unsigned int i;

	if (xen_fmt(stat, sizeof(stat), "%s_queue_1_packets", dir))
		return -ENAMETOOLONG;
	for (i = 0; i < nr && !*name; i++) {
		probe->size = 0;
		if (xen_fmt(path, sizeof(path), NET_SYSFS "/%s/queues/%s-1",
			    names[i], dir))
			return -ENAMETOOLONG;
		if (!access(path, F_OK) && vif_has_ipv4(fd, names[i]) &&
		    !xen_ethtool(fd, names[i], probe) && probe->size &&
		    xen_ethtool_stat(fd, names[i], stat) >= 0)
			*name = names[i];
	}
	return 0;
}

/*
 * The backend steers what it sends us by the table we give it: with
 * every entry on one queue, the peer's replies (and anything else) all
 * arrive on that queue, for each of the first two queues in turn.
 */
TEST_F_TIMEOUT(vif, rss_steering, 120)
{
	struct ethtool_rxfh_indir probe = { .cmd = ETHTOOL_GRXFHINDIR };
	const char *want = getenv(WANT_RSS_ENV);
	bool required = want && !strcmp(want, "1");
	const char *name = NULL;
	__u16 id = (getpid() & 0xffff) ^ 0x5253;
	unsigned int i, target, seq = 1;
	int fd, icmp, ret;

	if (!self->have_peer)
		SKIP(return, "set " PEER_ENV " to the peer's IPv4 address");
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, fd);
	ret = vif_rss_find(self->names, self->nr_vifs, fd, "rx", &probe, &name);
	ASSERT_EQ(0, ret);
	if (!name) {
		close(fd);
		ASSERT_FALSE(required) {
			TH_LOG("no vif with an address, two queues and an indirection table (%s=1)",
			       WANT_RSS_ENV);
		}
		SKIP(return, "no vif whose backend hashes for us");
	}
	icmp = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	if (icmp < 0 && (errno == EPERM || errno == EACCES))
		SKIP(return, "raw sockets need CAP_NET_RAW");
	ASSERT_LE(0, icmp);
	ASSERT_EQ(0, setsockopt(icmp, SOL_SOCKET, SO_BINDTODEVICE, name,
				strlen(name) + 1));

	for (target = 1; target <= 2; target++) {
		unsigned int q = target % 2, replies = 0;
		long long before[2], after[2];

		ret = vif_rss_fill(fd, name, probe.size, q);
		ASSERT_EQ(0, ret) {
			TH_LOG("%s: table to queue %u: %s", name, q,
			       strerror(-ret));
		}
		/* What the backend queued under the old table arrives first. */
		usleep(300 * 1000);
		before[0] = xen_ethtool_stat(fd, name, "rx_queue_0_packets");
		before[1] = xen_ethtool_stat(fd, name, "rx_queue_1_packets");
		for (i = 0; i < RSS_PINGS; i++) {
			ret = ping_once(icmp, &self->peer, id, seq++);
			ASSERT_LE(0, ret);
			replies += ret;
		}
		after[0] = xen_ethtool_stat(fd, name, "rx_queue_0_packets");
		after[1] = xen_ethtool_stat(fd, name, "rx_queue_1_packets");
		EXPECT_LE(RSS_PINGS / 2U, replies);
		EXPECT_LE((long long)replies, after[q] - before[q]) {
			TH_LOG("%s: queue %u got %lld packets for %u replies",
			       name, q, after[q] - before[q], replies);
		}
		EXPECT_EQ(0, after[!q] - before[!q]) {
			TH_LOG("%s: queue %u got %lld packets, steered to %u",
			       name, !q, after[!q] - before[!q], q);
		}
	}
	/* Back to the default table. */
	probe.cmd = ETHTOOL_SRXFHINDIR;
	probe.size = 0;
	EXPECT_EQ(0, xen_ethtool(fd, name, &probe));
	close(icmp);
	close(fd);
}

/* Packets each of the first two queues of @name received, and sent. */
static void vif_queue_packets(int fd, const char *name, long long rx[2],
			      long long tx[2])
{
	rx[0] = xen_ethtool_stat(fd, name, "rx_queue_0_packets");
	rx[1] = xen_ethtool_stat(fd, name, "rx_queue_1_packets");
	tx[0] = xen_ethtool_stat(fd, name, "tx_queue_0_packets");
	tx[1] = xen_ethtool_stat(fd, name, "tx_queue_1_packets");
}

/*
 * A TCP connection leaves on the queue its replies arrive on: with every
 * table entry on one queue, the backend steers the peer's segments there,
 * and our netfront must send the connection's own segments there too.
 * The stack's own choice (the socket's random flow hash) lands each
 * connection on either queue, so four connections per queue would all
 * agree with the table by chance once in 256 runs.
 */
TEST_F_TIMEOUT(vif, rss_tx_follows_rx, 180)
{
	struct ethtool_rxfh_indir probe = { .cmd = ETHTOOL_GRXFHINDIR };
	const char *want = getenv(WANT_RSS_ENV);
	bool required = want && !strcmp(want, "1");
	const char *name = NULL;
	unsigned int target, conn;
	__u8 *out, *in;
	int fd, ret;

	if (!self->have_peer)
		SKIP(return, "set " PEER_ENV " to the peer's IPv4 address");
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, fd);
	ret = vif_rss_find(self->names, self->nr_vifs, fd, "tx", &probe, &name);
	ASSERT_EQ(0, ret);
	if (!name) {
		close(fd);
		ASSERT_FALSE(required) {
			TH_LOG("no vif with two queues, a table and tx_queue_N_packets (%s=1)",
			       WANT_RSS_ENV);
		}
		SKIP(return, "no vif whose backend hashes for us");
	}
	out = malloc(RSS_TCP_BYTES);
	in = malloc(RSS_TCP_BYTES);
	ASSERT_NE(NULL, out);
	ASSERT_NE(NULL, in);
	xen_fill_pattern(out, RSS_TCP_BYTES, 0x7278717565756531ULL ^ getpid());

	for (target = 1; target <= 2; target++) {
		unsigned int q = target % 2;
		long long rx0[2], tx0[2], rx1[2], tx1[2];

		ret = vif_rss_fill(fd, name, probe.size, q);
		ASSERT_EQ(0, ret) {
			TH_LOG("%s: table to queue %u: %s", name, q,
			       strerror(-ret));
		}
		usleep(300 * 1000);
		for (conn = 0; conn < RSS_TCP_CONNS; conn++) {
			int sk = tcp_connect(&self->peer);

			ASSERT_LE(0, sk) {
				TH_LOG("connect: %s", strerror(-sk));
			}
			vif_queue_packets(fd, name, rx0, tx0);
			ret = tcp_echo(sk, out, in, RSS_TCP_BYTES);
			vif_queue_packets(fd, name, rx1, tx1);
			EXPECT_TRUE(tcp_wait_eof(sk));
			close(sk);
			ASSERT_EQ(0, ret) {
				TH_LOG("echo exchange: %s", strerror(-ret));
			}
			/* Received: the backend's steering, as rss_steering. */
			EXPECT_EQ(0, rx1[!q] - rx0[!q]);
			/*
			 * Sent: the segments of the stream all on @q; the
			 * other queue may carry a stray ARP request.
			 */
			EXPECT_LE(4, tx1[q] - tx0[q]);
			EXPECT_GE(2, tx1[!q] - tx0[!q]) {
				TH_LOG("%s: replies on %u, sent %lld on %u",
				       name, q, tx1[!q] - tx0[!q], !q);
			}
		}
	}
	probe.cmd = ETHTOOL_SRXFHINDIR;
	probe.size = 0;
	EXPECT_EQ(0, xen_ethtool(fd, name, &probe));
	free(out);
	free(in);
	close(fd);
}

TEST_HARNESS_MAIN
