/* SPDX-License-Identifier: MIT */
/*
 * The commands of the xen_version hypercall and the buffers they fill, as
 * Xen's public version.h (4.17) numbers and sizes them; test_xs_abi checks
 * each.  Where Xen names a buffer with a typedef of a char array, this
 * file keeps the kernel's structure of the same size.
 *
 * xen_ulong_t must be defined first (<xen/interface/xen.h>).
 */
#ifndef __XEN_INTERFACE_VERSION_H__
#define __XEN_INTERFACE_VERSION_H__

#include <linux/types.h>

/* Returns (major << 16) | minor; takes no buffer. */
#define XENVER_version			0

/* The version's suffix, such as ".4" or "-rc". */
#define XENVER_extraversion		1
struct xen_extraversion {
	char extraversion[16];
};

#define XEN_EXTRAVERSION_LEN		(sizeof(struct xen_extraversion))

/* Who built the hypervisor, with what, and when. */
#define XENVER_compile_info		2
struct xen_compile_info {
	char compiler[64];
	char compile_by[16];
	char compile_domain[32];
	char compile_date[32];
};

/* The guest ABIs it runs, blank-separated ("xen-3.0-x86_64 ..."). */
#define XENVER_capabilities		3
struct xen_capabilities_info {
	char info[1024];
};

#define XEN_CAPABILITIES_INFO_LEN	(sizeof(struct xen_capabilities_info))

/* The source revision it was built from. */
#define XENVER_changeset		4
struct xen_changeset_info {
	char info[64];
};

#define XEN_CHANGESET_INFO_LEN		(sizeof(struct xen_changeset_info))

/* Where the hypervisor's part of the address space begins. */
#define XENVER_platform_parameters	5
struct xen_platform_parameters {
	xen_ulong_t virt_start;
};

/*
 * One 32-bit word of the feature bitmap (XENFEAT_*): the caller sets
 * submap_idx, Xen fills submap.
 */
#define XENVER_get_features		6
struct xen_feature_info {
	unsigned int submap_idx;
	u32 submap;
};

/* The feature numbers themselves. */
#include <xen/interface/features.h>

/* The page size the hypervisor uses; takes no buffer. */
#define XENVER_pagesize			7

/* The domain's handle (its UUID), 16 bytes. */
#define XENVER_guest_handle		8

/* Xen's own command line (privileged). */
#define XENVER_commandline		9
struct xen_commandline {
	char buf[1024];
};

/*
 * The build id: the caller sets len to the size of buf, Xen returns the
 * id's length, or an error if it does not fit.
 */
#define XENVER_build_id			10
struct xen_build_id {
	u32 len;
	unsigned char buf[];
};

#endif /* __XEN_INTERFACE_VERSION_H__ */
