// SPDX-License-Identifier: GPL-2.0-only
/*
 * xnet - the pipeline's TCP end points, small enough for a busybox guest.
 *
 *   xnet send HOST PORT SEED MIB   connect (retrying for up to 120 s) and send
 *                                  the xpat stream for SEED, then half-close
 *                                  and wait for the peer to close
 *   xnet recv PORT                 accept one connection, copy it to stdout
 *   xnet echo PORT                 echo server, one child per connection
 *
 * Checksums are left to md5sum on both ends: "xnet recv 5001 | md5sum" is
 * compared with "xpat SEED MIB | md5sum".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xstream.h"

#define CHUNK 65536u

static int listen_on(const char *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int one = 1, fd;

	sa.sin_port = htons((uint16_t)atoi(port));
	sa.sin_addr.s_addr = htonl(INADDR_ANY);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 8)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int do_send(const char *host, const char *port, const char *seed,
		   const char *mib)
{
	static uint64_t buf[CHUNK / sizeof(uint64_t)];
	struct sockaddr_in sa = { .sin_family = AF_INET };
	unsigned long long left = strtoull(mib, NULL, 0) << 20;
	uint64_t state = xstream_init(strtoull(seed, NULL, 0));
	time_t deadline = time(NULL) + 120;
	char sink[256];
	int fd;

	sa.sin_port = htons((uint16_t)atoi(port));
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		fprintf(stderr, "xnet: bad address %s\n", host);
		return 2;
	}
	for (;;) {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0)
			return 1;
		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			break;
		close(fd);
		if (time(NULL) > deadline) {
			perror("xnet: connect");
			return 1;
		}
		usleep(200000);
	}
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

static int do_echo(const char *port)
{
	static char buf[CHUNK];
	int lfd = listen_on(port);

	if (lfd < 0) {
		perror("xnet: listen");
		return 1;
	}
	signal(SIGCHLD, SIG_IGN);
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		ssize_t n;

		if (fd < 0)
			continue;
		if (fork() == 0) {
			close(lfd);
			while ((n = read(fd, buf, sizeof(buf))) > 0)
				if (xstream_write_all(fd, buf, (size_t)n))
					break;
			_exit(0);
		}
		close(fd);
	}
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "send"))
		return do_send(argv[2], argv[3], argv[4], argv[5]);
	if (argc == 3 && !strcmp(argv[1], "recv"))
		return do_recv(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "echo"))
		return do_echo(argv[2]);
	fprintf(stderr, "usage: xnet send HOST PORT SEED MIB | recv PORT | echo PORT\n");
	return 2;
}
