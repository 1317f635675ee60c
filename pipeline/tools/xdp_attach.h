/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xnet's XDP loader: three tiny XDP programs, loaded with the raw bpf(2)
 * syscall and attached in driver mode with a raw RTM_SETLINK request, for a
 * busybox guest that has neither libbpf nor ip(8) with XDP support.
 *
 * The attachment outlives the process: the kernel holds the program for as
 * long as it stays attached to the interface.
 */
#ifndef XCI_XDP_ATTACH_H
#define XCI_XDP_ATTACH_H

#include <errno.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/*
 * Instruction encoders, as in the kernel's include/linux/filter.h but as
 * plain initializers for the static arrays below.
 */

/* dst = *(SIZE *)(src + off) */
#define XDP_LDX_MEM(SIZE, DST, SRC, OFF)			\
	{ .code = BPF_LDX | BPF_SIZE(SIZE) | BPF_MEM,		\
	  .dst_reg = DST, .src_reg = SRC, .off = OFF, .imm = 0 }

/* *(SIZE *)(dst + off) = src */
#define XDP_STX_MEM(SIZE, DST, SRC, OFF)			\
	{ .code = BPF_STX | BPF_SIZE(SIZE) | BPF_MEM,		\
	  .dst_reg = DST, .src_reg = SRC, .off = OFF, .imm = 0 }

/* dst = imm */
#define XDP_MOV64_IMM(DST, IMM)					\
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K,			\
	  .dst_reg = DST, .src_reg = 0, .off = 0, .imm = IMM }

/* dst = src */
#define XDP_MOV64_REG(DST, SRC)					\
	{ .code = BPF_ALU64 | BPF_MOV | BPF_X,			\
	  .dst_reg = DST, .src_reg = SRC, .off = 0, .imm = 0 }

/* dst OP= imm */
#define XDP_ALU64_IMM(OP, DST, IMM)				\
	{ .code = BPF_ALU64 | BPF_OP(OP) | BPF_K,		\
	  .dst_reg = DST, .src_reg = 0, .off = 0, .imm = IMM }

/* if (dst OP src) goto pc + 1 + off */
#define XDP_JMP_REG(OP, DST, SRC, OFF)				\
	{ .code = BPF_JMP | BPF_OP(OP) | BPF_X,			\
	  .dst_reg = DST, .src_reg = SRC, .off = OFF, .imm = 0 }

/* return r0 */
#define XDP_EXIT()						\
	{ .code = BPF_JMP | BPF_EXIT,				\
	  .dst_reg = 0, .src_reg = 0, .off = 0, .imm = 0 }

/* return XDP_PASS; */
static const struct bpf_insn xdp_prog_pass[] = {
	XDP_MOV64_IMM(BPF_REG_0, XDP_PASS),
	XDP_EXIT(),
};

/* return XDP_DROP; */
static const struct bpf_insn xdp_prog_drop[] = {
	XDP_MOV64_IMM(BPF_REG_0, XDP_DROP),
	XDP_EXIT(),
};

/*
 * Send every frame back where it came from, its Ethernet destination and
 * source addresses swapped; frames shorter than an Ethernet header pass.
 * r1 = ctx, r2 = data, r3 = data_end, r4 and r5 the bytes being swapped.
 */
static const struct bpf_insn xdp_prog_tx[] = {
	XDP_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1,
		    offsetof(struct xdp_md, data)),
	XDP_LDX_MEM(BPF_W, BPF_REG_3, BPF_REG_1,
		    offsetof(struct xdp_md, data_end)),
	XDP_MOV64_IMM(BPF_REG_0, XDP_PASS),
	XDP_MOV64_REG(BPF_REG_4, BPF_REG_2),
	XDP_ALU64_IMM(BPF_ADD, BPF_REG_4, ETH_HLEN),
	/* if (data + ETH_HLEN > data_end) jump past the 25 insns to exit */
	XDP_JMP_REG(BPF_JGT, BPF_REG_4, BPF_REG_3, 1 + 4 * ETH_ALEN),
	XDP_MOV64_IMM(BPF_REG_0, XDP_TX),
	/* 4 insns for each of the ETH_ALEN bytes: h_dest[i] <-> h_source[i] */
	XDP_LDX_MEM(BPF_B, BPF_REG_4, BPF_REG_2, 0),
	XDP_LDX_MEM(BPF_B, BPF_REG_5, BPF_REG_2, ETH_ALEN + 0),
	XDP_STX_MEM(BPF_B, BPF_REG_2, BPF_REG_5, 0),
	XDP_STX_MEM(BPF_B, BPF_REG_2, BPF_REG_4, ETH_ALEN + 0),
	XDP_LDX_MEM(BPF_B, BPF_REG_4, BPF_REG_2, 1),
	XDP_LDX_MEM(BPF_B, BPF_REG_5, BPF_REG_2, ETH_ALEN + 1),
	XDP_STX_MEM(BPF_B, BPF_REG_2, BPF_REG_5, 1),
	XDP_STX_MEM(BPF_B, BPF_REG_2, BPF_REG_4, ETH_ALEN + 1),
	XDP_LDX_MEM(BPF_B, BPF_REG_4, BPF_REG_2, 2),
	XDP_LDX_MEM(BPF_B, BPF_REG_5, BPF_REG_2, ETH_ALEN + 2),
	XDP_STX_MEM(BPF_B, BPF_REG_2, BPF_REG_5, 2),
	XDP_STX_MEM(BPF_B, BPF_REG_2, BPF_REG_4, ETH_ALEN + 2),
	XDP_LDX_MEM(BPF_B, BPF_REG_4, BPF_REG_2, 3),
	XDP_LDX_MEM(BPF_B, BPF_REG_5, BPF_REG_2, ETH_ALEN + 3),
	XDP_STX_MEM(BPF_B, BPF_REG_2, BPF_REG_5, 3),
	XDP_STX_MEM(BPF_B, BPF_REG_2, BPF_REG_4, ETH_ALEN + 3),
	XDP_LDX_MEM(BPF_B, BPF_REG_4, BPF_REG_2, 4),
	XDP_LDX_MEM(BPF_B, BPF_REG_5, BPF_REG_2, ETH_ALEN + 4),
	XDP_STX_MEM(BPF_B, BPF_REG_2, BPF_REG_5, 4),
	XDP_STX_MEM(BPF_B, BPF_REG_2, BPF_REG_4, ETH_ALEN + 4),
	XDP_LDX_MEM(BPF_B, BPF_REG_4, BPF_REG_2, 5),
	XDP_LDX_MEM(BPF_B, BPF_REG_5, BPF_REG_2, ETH_ALEN + 5),
	XDP_STX_MEM(BPF_B, BPF_REG_2, BPF_REG_5, 5),
	XDP_STX_MEM(BPF_B, BPF_REG_2, BPF_REG_4, ETH_ALEN + 5),
	XDP_EXIT(),
};

struct xdp_mode {
	const char *name;
	const struct bpf_insn *insns;	/* NULL: detach */
	unsigned int insn_cnt;
};

static const struct xdp_mode xdp_modes[] = {
	{ "pass", xdp_prog_pass, ARRAY_SIZE(xdp_prog_pass) },
	{ "drop", xdp_prog_drop, ARRAY_SIZE(xdp_prog_drop) },
	{ "tx", xdp_prog_tx, ARRAY_SIZE(xdp_prog_tx) },
	{ "off", NULL, 0 },
};

/* The mode called @name, or NULL. */
static inline const struct xdp_mode *xdp_mode_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(xdp_modes); i++)
		if (!strcmp(xdp_modes[i].name, name))
			return &xdp_modes[i];
	return NULL;
}

/*
 * Load @mode's program; its fd, or -1 with the error and the verifier's log
 * on stderr.  The first attempt goes without a log, which a large program
 * could overflow, and only a failure is retried with one.
 */
static inline int xdp_prog_load(const struct xdp_mode *mode)
{
	static char log[1 << 16];
	union bpf_attr attr;
	int fd, err = 0, try;

	for (try = 0; try < 2; try++) {
		memset(&attr, 0, sizeof(attr));
		attr.prog_type = BPF_PROG_TYPE_XDP;
		attr.insns = (__u64)(unsigned long)mode->insns;
		attr.insn_cnt = mode->insn_cnt;
		attr.license = (__u64)(unsigned long)"GPL";
		snprintf(attr.prog_name, sizeof(attr.prog_name), "xnet_%s",
			 mode->name);
		if (try) {
			log[0] = '\0';
			attr.log_buf = (__u64)(unsigned long)log;
			attr.log_size = sizeof(log);
			attr.log_level = 1;
		}
		fd = (int)syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
		if (fd >= 0)
			return fd;
		if (!try)
			err = errno;
	}
	fprintf(stderr, "xnet: BPF_PROG_LOAD of the %s program: %s\n%s",
		mode->name, strerror(err), log);
	return -1;
}

/* RTM_SETLINK with IFLA_XDP { IFLA_XDP_FD, IFLA_XDP_FLAGS }. */
struct xdp_setlink_req {
	struct nlmsghdr nh;
	struct ifinfomsg ifi;
	struct nlattr xdp;
	struct nlattr fd_attr;
	__s32 fd;
	struct nlattr flags_attr;
	__u32 flags;
};

/* The extended ack's message in @nh, an NLMSG_ERROR; or NULL. */
static inline const char *xdp_extack_msg(const struct nlmsghdr *nh, int *len)
{
	const struct nlmsgerr *e = NLMSG_DATA(nh);
	const char *p = (const char *)e + sizeof(*e);
	const char *end = (const char *)nh + nh->nlmsg_len;
	const struct nlattr *a;

	if (!(nh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	/* Unless capped, the ack quotes our whole request before its TLVs. */
	if (!(nh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < NLMSG_HDRLEN ||
		    e->msg.nlmsg_len > nh->nlmsg_len)
			return NULL;
		p += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	}
	while (end - p >= NLA_HDRLEN) {
		a = (const struct nlattr *)p;
		if (a->nla_len < NLA_HDRLEN || a->nla_len > end - p)
			return NULL;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
			p += NLA_HDRLEN;
			*len = (int)strnlen(p, a->nla_len - NLA_HDRLEN);
			return p;
		}
		p += NLA_ALIGN(a->nla_len);
	}
	return NULL;
}

/*
 * Attach program @prog_fd to @iface with @flags, or detach the program that
 * @flags names if @prog_fd is -1; 0, or -1 with the error on stderr.
 */
static inline int xdp_attach(const char *iface, int prog_fd, __u32 flags)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct xdp_setlink_req req;
	union {
		struct nlmsghdr nh;
		char buf[8192];
	} ack;
	const struct nlmsghdr *nh;
	const struct nlmsgerr *e;
	const char *msg;
	int fd, one = 1, err = 0, len = 0;
	unsigned int ifindex;
	ssize_t n;

	ifindex = if_nametoindex(iface);
	if (!ifindex) {
		fprintf(stderr, "xnet: no interface %s\n", iface);
		return -1;
	}
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = RTM_SETLINK;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.nh.nlmsg_seq = 1;
	req.ifi.ifi_family = AF_UNSPEC;
	req.ifi.ifi_index = (int)ifindex;
	req.xdp.nla_len = sizeof(req) - offsetof(struct xdp_setlink_req, xdp);
	req.xdp.nla_type = NLA_F_NESTED | IFLA_XDP;
	req.fd_attr.nla_len = NLA_HDRLEN + sizeof(req.fd);
	req.fd_attr.nla_type = IFLA_XDP_FD;
	req.fd = prog_fd;
	req.flags_attr.nla_len = NLA_HDRLEN + sizeof(req.flags);
	req.flags_attr.nla_type = IFLA_XDP_FLAGS;
	req.flags = flags;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0) {
		perror("xnet: netlink socket");
		return -1;
	}
	/* Without it there is no message, only the errno. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&sa,
		   sizeof(sa)) != (ssize_t)sizeof(req)) {
		perror("xnet: RTM_SETLINK");
		close(fd);
		return -1;
	}
	for (;;) {
		n = recv(fd, &ack, sizeof(ack), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n ? errno : EPROTO;
			break;
		}
		for (nh = &ack.nh; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_seq != req.nh.nlmsg_seq ||
			    nh->nlmsg_type != NLMSG_ERROR)
				continue;
			if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
				err = EPROTO;
				goto out;
			}
			e = NLMSG_DATA(nh);
			err = -e->error;
			if (!err)
				goto out;
			msg = xdp_extack_msg(nh, &len);
			fprintf(stderr, "xnet: XDP on %s: %s%s%.*s\n", iface,
				strerror(err), msg ? ": " : "", len,
				msg ? msg : "");
			close(fd);
			return -1;
		}
	}
out:
	close(fd);
	if (err) {
		fprintf(stderr, "xnet: XDP on %s: reading the ack: %s\n",
			iface, strerror(err));
		return -1;
	}
	return 0;
}

#endif /* XCI_XDP_ATTACH_H */
