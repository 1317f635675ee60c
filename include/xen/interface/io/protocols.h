/* SPDX-License-Identifier: MIT */
/*
 * The names of the ring ABIs a frontend may write to its "protocol" key,
 * as Xen's public io/protocols.h (4.17) spells them; test_xs_abi checks
 * each.  A backend that sees none assumes its own, the native one.
 */
#ifndef __XEN_INTERFACE_IO_PROTOCOLS_H__
#define __XEN_INTERFACE_IO_PROTOCOLS_H__

#define XEN_IO_PROTO_ABI_X86_32		"x86_32-abi"
#define XEN_IO_PROTO_ABI_X86_64		"x86_64-abi"
#define XEN_IO_PROTO_ABI_POWERPC64	"powerpc64-abi"
#define XEN_IO_PROTO_ABI_ARM		"arm-abi"

#if defined(__x86_64__)
#define XEN_IO_PROTO_ABI_NATIVE		XEN_IO_PROTO_ABI_X86_64
#elif defined(__i386__)
#define XEN_IO_PROTO_ABI_NATIVE		XEN_IO_PROTO_ABI_X86_32
#elif defined(__aarch64__) || defined(__arm__)
#define XEN_IO_PROTO_ABI_NATIVE		XEN_IO_PROTO_ABI_ARM
#elif defined(__powerpc64__)
#define XEN_IO_PROTO_ABI_NATIVE		XEN_IO_PROTO_ABI_POWERPC64
#else
#error "no Xen ring ABI name for this architecture"
#endif

#endif /* __XEN_INTERFACE_IO_PROTOCOLS_H__ */
