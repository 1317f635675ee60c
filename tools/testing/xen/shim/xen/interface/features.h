/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Userspace stand-in for <xen/interface/features.h>, which our version.h
 * includes for the XENFEAT_* numbers: the host tests use none of them.
 */
#ifndef _SHIM_XEN_INTERFACE_FEATURES_H
#define _SHIM_XEN_INTERFACE_FEATURES_H
#endif
