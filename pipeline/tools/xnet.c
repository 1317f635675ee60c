// SPDX-License-Identifier: GPL-2.0-only
/*
 * xnet - the pipeline's TCP end points, small enough for a busybox guest.
 *
 *   xnet send HOST PORT SEED MIB   connect (retrying for up to 120 s) and send
 *                                  the xpat stream for SEED, then half-close
 *                                  and wait for the peer to close
 *   xnet recv PORT                 accept one connection, copy it to stdout
 *   xnet echo PORT                 echo server, one child per connection
 *   xnet stat IFACE NAME           print the interface's ethtool -S counter
 *                                  NAME (exit 1 if it has none of that name)
 *   xnet arp IFACE SECONDS         print each ARP packet IFACE receives for
 *                                  SECONDS: "ARP op=N sha=MAC spa=IP tpa=IP"
 *   xnet xdp IFACE MODE            attach an XDP program to IFACE in driver
 *                                  mode, MODE one of pass (XDP_PASS), drop
 *                                  (XDP_DROP), tx (swap the Ethernet
 *                                  addresses and XDP_TX), or off to detach
 *                                  it; it stays attached after xnet exits
 *
 * and for make bench, each client printing one "XNET MODE VALUE" line:
 *   xnet discard PORT              server reading each connection to its end
 *   xnet source PORT MIB           server sending MIB MiB to each connection
 *   xnet tx HOST PORT MIB          send MIB MiB to a discard server: MB/s
 *   xnet rx HOST PORT              read a source server's stream: MB/s
 *   xnet rr HOST PORT SECONDS      one-byte requests to an echo server, each
 *                                  waiting for its answer: transactions/s
 *
 * HOST is an IPv4 or an IPv6 address; servers take both where the kernel
 * has IPv6.
 *
 * Checksums are left to md5sum on both ends: "xnet recv 5001 | md5sum" is
 * compared with "xpat SEED MIB | md5sum".
 *
 * XNET_PACE=BYTES_PER_SECOND caps the rate at which every socket sends
 * (SO_MAX_PACING_RATE), for a stream that must last, not race.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xdp_attach.h"
#include "xstream.h"
/* The selftests' ethtool helpers, shared rather than written again. */
#include "../../tools/testing/selftests/xen/xen_ethtool.h"

#define CHUNK 65536u

/* A listening socket on @port: IPv6 and IPv4 both, or IPv4 alone. */
static int listen_on(const char *port)
{
	struct sockaddr_in6 sa6 = { .sin6_family = AF_INET6,
				    .sin6_addr = IN6ADDR_ANY_INIT };
	struct sockaddr_in sa = { .sin_family = AF_INET };
	uint16_t p = htons((uint16_t)atoi(port));
	int one = 1, zero = 0, fd;
	struct sockaddr *addr = (struct sockaddr *)&sa6;
	socklen_t len = sizeof(sa6);

	sa6.sin6_port = p;
	sa.sin_port = p;
	sa.sin_addr.s_addr = htonl(INADDR_ANY);
	fd = socket(AF_INET6, SOCK_STREAM, 0);
	if (fd >= 0) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	} else {
		/* A kernel without IPv6. */
		fd = socket(AF_INET, SOCK_STREAM, 0);
		addr = (struct sockaddr *)&sa;
		len = sizeof(sa);
	}
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, addr, len) || listen(fd, 8)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Apply XNET_PACE, if set, to @fd. */
static void pace(int fd)
{
	const char *env = getenv("XNET_PACE");
	unsigned long rate;

	if (!env || !*env)
		return;
	rate = strtoul(env, NULL, 0);
	if (setsockopt(fd, SOL_SOCKET, SO_MAX_PACING_RATE, &rate,
		       sizeof(rate)))
		perror("xnet: SO_MAX_PACING_RATE");
}

/* Connect to HOST:PORT, retrying for up to 120 s; a socket or -1. */
static int connect_to(const char *host, const char *port)
{
	struct sockaddr_in6 sa6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in sa = { .sin_family = AF_INET };
	uint16_t p = htons((uint16_t)atoi(port));
	time_t deadline = time(NULL) + 120;
	struct sockaddr *addr;
	socklen_t len;
	int fd;

	sa.sin_port = p;
	sa6.sin6_port = p;
	if (inet_pton(AF_INET, host, &sa.sin_addr) == 1) {
		addr = (struct sockaddr *)&sa;
		len = sizeof(sa);
	} else if (inet_pton(AF_INET6, host, &sa6.sin6_addr) == 1) {
		addr = (struct sockaddr *)&sa6;
		len = sizeof(sa6);
	} else {
		fprintf(stderr, "xnet: bad address %s\n", host);
		return -1;
	}
	for (;;) {
		fd = socket(addr->sa_family, SOCK_STREAM, 0);
		if (fd < 0)
			return -1;
		if (!connect(fd, addr, len)) {
			pace(fd);
			return fd;
		}
		close(fd);
		if (time(NULL) > deadline) {
			perror("xnet: connect");
			return -1;
		}
		usleep(200000);
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int do_send(const char *host, const char *port, const char *seed,
		   const char *mib)
{
	static uint64_t buf[CHUNK / sizeof(uint64_t)];
	unsigned long long left = strtoull(mib, NULL, 0) << 20;
	uint64_t state = xstream_init(strtoull(seed, NULL, 0));
	char sink[256];
	int fd = connect_to(host, port);

	if (fd < 0)
		return 1;
	/* Same stream as xpat: 1 MiB blocks of consecutive splitmix64 words. */
	while (left) {
		size_t i;

		for (i = 0; i < CHUNK / sizeof(uint64_t); i++)
			buf[i] = xstream_next(&state);
		if (xstream_write_all(fd, buf, CHUNK)) {
			perror("xnet: send");
			return 1;
		}
		left -= CHUNK;
	}
	shutdown(fd, SHUT_WR);
	while (read(fd, sink, sizeof(sink)) > 0)
		;
	close(fd);
	return 0;
}

static int do_recv(const char *port)
{
	static char buf[CHUNK];
	int lfd = listen_on(port), fd;
	ssize_t n;

	if (lfd < 0) {
		perror("xnet: listen");
		return 1;
	}
	fd = accept(lfd, NULL, NULL);
	if (fd < 0) {
		perror("xnet: accept");
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("xnet: recv");
			return 1;
		}
		if (xstream_write_all(1, buf, (size_t)n))
			return 1;
	}
	close(fd);
	return 0;
}

/* Read @fd to its end; the bytes read, or -1. */
static long long drain(int fd)
{
	static char buf[CHUNK];
	long long total = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		total += n;
	}
	return total;
}

/* Write @mib MiB of zeros to @fd; 0 or -1. */
static int fill(int fd, unsigned long long mib)
{
	static char buf[CHUNK];
	unsigned long long left = mib << 20;

	for (; left; left -= CHUNK)
		if (xstream_write_all(fd, buf, CHUNK))
			return -1;
	return 0;
}

/* A server running @serve(fd, arg) in one child per connection. */
static int serve_forever(const char *port, int (*serve)(int, const char *),
			 const char *arg)
{
	int lfd = listen_on(port);

	if (lfd < 0) {
		perror("xnet: listen");
		return 1;
	}
	signal(SIGCHLD, SIG_IGN);
	for (;;) {
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0)
			continue;
		if (fork() == 0) {
			close(lfd);
			pace(fd);
			_exit(serve(fd, arg) ? 1 : 0);
		}
		close(fd);
	}
}

static int serve_discard(int fd, const char *arg)
{
	(void)arg;
	return drain(fd) < 0;
}

static int serve_source(int fd, const char *mib)
{
	int err = fill(fd, strtoull(mib, NULL, 0));

	close(fd);
	return err;
}

static int serve_echo(int fd, const char *arg)
{
	static char buf[CHUNK];
	ssize_t n;

	(void)arg;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (xstream_write_all(fd, buf, (size_t)n))
			return 1;
	return 0;
}

static int do_tx(const char *host, const char *port, const char *mib)
{
	unsigned long long n = strtoull(mib, NULL, 0);
	int fd = connect_to(host, port);
	double t0;

	if (fd < 0)
		return 1;
	t0 = now_s();
	if (fill(fd, n)) {
		perror("xnet: tx");
		return 1;
	}
	/* Until the peer has read it all and closed. */
	shutdown(fd, SHUT_WR);
	drain(fd);
	printf("XNET tx %.1f\n", (double)(n << 20) / 1e6 / (now_s() - t0));
	return 0;
}

static int do_rx(const char *host, const char *port)
{
	int fd = connect_to(host, port);
	long long got;
	double t0;

	if (fd < 0)
		return 1;
	t0 = now_s();
	got = drain(fd);
	if (got <= 0) {
		perror("xnet: rx");
		return 1;
	}
	printf("XNET rx %.1f\n", (double)got / 1e6 / (now_s() - t0));
	return 0;
}

static int do_rr(const char *host, const char *port, const char *secs)
{
	double t0, end;
	long long n = 0;
	char c = 'x';
	int fd = connect_to(host, port), one = 1;

	if (fd < 0)
		return 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	t0 = now_s();
	end = t0 + strtod(secs, NULL);
	do {
		if (write(fd, &c, 1) != 1 || read(fd, &c, 1) != 1) {
			perror("xnet: rr");
			return 1;
		}
		n++;
	} while ((n & 15) || now_s() < end);
	printf("XNET rr %.0f\n", n / (now_s() - t0));
	return 0;
}

static int do_stat(const char *iface, const char *name)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	long long v = fd < 0 ? -1 : xen_ethtool_stat(fd, iface, name);

	if (fd >= 0)
		close(fd);
	if (v < 0) {
		fprintf(stderr, "xnet: %s has no ethtool counter %s\n", iface, name);
		return 1;
	}
	printf("%lld\n", v);
	return 0;
}

/* The ARP packets @iface receives for @secs seconds, a line each. */
static int do_arp(const char *iface, const char *secs)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_ARP) };
	double end = now_s() + atof(secs);
	unsigned char b[128];
	int fd;

	sll.sll_ifindex = (int)if_nametoindex(iface);
	fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ARP));
	if (!sll.sll_ifindex || fd < 0 ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		perror("xnet: arp");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (now_s() < end) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		char spa[INET_ADDRSTRLEN], tpa[INET_ADDRSTRLEN];
		ssize_t n;

		if (poll(&pfd, 1, 200) <= 0)
			continue;
		n = recv(fd, b, sizeof(b), 0);
		/* Ethernet and IPv4 only: hardware 1, protocol 0x800, 6, 4. */
		if (n < 28 || b[0] != 0 || b[1] != 1 || b[2] != 8 ||
		    b[3] != 0 || b[4] != 6 || b[5] != 4)
			continue;
		inet_ntop(AF_INET, b + 14, spa, sizeof(spa));
		inet_ntop(AF_INET, b + 24, tpa, sizeof(tpa));
		printf("ARP op=%u sha=%02x:%02x:%02x:%02x:%02x:%02x spa=%s tpa=%s\n",
		       b[6] << 8 | b[7], b[8], b[9], b[10], b[11], b[12], b[13],
		       spa, tpa);
	}
	close(fd);
	return 0;
}

/* Attach the program for @name to @iface in driver mode, or detach it. */
static int do_xdp(const char *iface, const char *name)
{
	const struct xdp_mode *mode = xdp_mode_find(name);
	int fd = -1, err;

	if (mode->insns) {
		fd = xdp_prog_load(mode);
		if (fd < 0)
			return 1;
	}
	err = xdp_attach(iface, fd, XDP_FLAGS_DRV_MODE);
	if (fd >= 0)
		close(fd);
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "discard"))
		return serve_forever(argv[2], serve_discard, NULL);
	if (argc == 4 && !strcmp(argv[1], "source"))
		return serve_forever(argv[2], serve_source, argv[3]);
	if (argc == 5 && !strcmp(argv[1], "tx"))
		return do_tx(argv[2], argv[3], argv[4]);
	if (argc == 4 && !strcmp(argv[1], "rx"))
		return do_rx(argv[2], argv[3]);
	if (argc == 5 && !strcmp(argv[1], "rr"))
		return do_rr(argv[2], argv[3], argv[4]);
	if (argc == 6 && !strcmp(argv[1], "send"))
		return do_send(argv[2], argv[3], argv[4], argv[5]);
	if (argc == 3 && !strcmp(argv[1], "recv"))
		return do_recv(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "echo"))
		return serve_forever(argv[2], serve_echo, NULL);
	if (argc == 4 && !strcmp(argv[1], "stat"))
		return do_stat(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "arp"))
		return do_arp(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "xdp") && xdp_mode_find(argv[3]))
		return do_xdp(argv[2], argv[3]);
	fprintf(stderr, "usage: xnet send HOST PORT SEED MIB | recv PORT | echo PORT |\n"
		"       discard PORT | source PORT MIB | tx HOST PORT MIB |\n"
		"       rx HOST PORT | rr HOST PORT SECONDS | stat IFACE NAME |\n"
		"       arp IFACE SECONDS | xdp IFACE pass|drop|tx|off\n");
	return 2;
}
