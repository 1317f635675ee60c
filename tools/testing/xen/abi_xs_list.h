/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The numbers of the xenstore layer's interface headers that keep Xen's
 * names: included by abi_xs_xen.c (Xen's public headers) and test_xs_abi.c
 * (ours under include/xen/interface), each with its own XS_CONST(),
 * XS_FIELD(), XS_SIZE() and XS_STR().  Buffers that Xen types as char
 * arrays and the kernel as structures are compared by each file itself.
 * No include guard: including it again is the point.
 */
/* io/xs_wire.h: message types */
XS_CONST(XS_CONTROL);
XS_CONST(XS_DEBUG);
XS_CONST(XS_DIRECTORY);
XS_CONST(XS_READ);
XS_CONST(XS_GET_PERMS);
XS_CONST(XS_WATCH);
XS_CONST(XS_UNWATCH);
XS_CONST(XS_TRANSACTION_START);
XS_CONST(XS_TRANSACTION_END);
XS_CONST(XS_INTRODUCE);
XS_CONST(XS_RELEASE);
XS_CONST(XS_GET_DOMAIN_PATH);
XS_CONST(XS_WRITE);
XS_CONST(XS_MKDIR);
XS_CONST(XS_RM);
XS_CONST(XS_SET_PERMS);
XS_CONST(XS_WATCH_EVENT);
XS_CONST(XS_ERROR);
XS_CONST(XS_IS_DOMAIN_INTRODUCED);
XS_CONST(XS_RESUME);
XS_CONST(XS_SET_TARGET);
XS_CONST(XS_RESET_WATCHES);
XS_CONST(XS_DIRECTORY_PART);
XS_CONST(XS_TYPE_COUNT);
XS_CONST(XS_INVALID);
XS_STR(XS_WRITE_NONE);
XS_STR(XS_WRITE_CREATE);
XS_STR(XS_WRITE_CREATE_EXCL);
/* io/xs_wire.h: the header and the watch event */
XS_SIZE(xsd_sockmsg);
XS_FIELD(xsd_sockmsg, type);
XS_FIELD(xsd_sockmsg, req_id);
XS_FIELD(xsd_sockmsg, tx_id);
XS_FIELD(xsd_sockmsg, len);
XS_CONST(XS_WATCH_PATH);
XS_CONST(XS_WATCH_TOKEN);
/* io/xs_wire.h: the shared page */
XS_CONST(XENSTORE_RING_SIZE);
XS_CONST(sizeof(XENSTORE_RING_IDX));
XS_CONST(MASK_XENSTORE_IDX(0x12345u));
XS_CONST(MASK_XENSTORE_IDX(0xffffffffu));
XS_SIZE(xenstore_domain_interface);
XS_FIELD(xenstore_domain_interface, req);
XS_FIELD(xenstore_domain_interface, rsp);
XS_FIELD(xenstore_domain_interface, req_cons);
XS_FIELD(xenstore_domain_interface, req_prod);
XS_FIELD(xenstore_domain_interface, rsp_cons);
XS_FIELD(xenstore_domain_interface, rsp_prod);
XS_FIELD(xenstore_domain_interface, server_features);
XS_FIELD(xenstore_domain_interface, connection);
XS_FIELD(xenstore_domain_interface, error);
XS_CONST(XENSTORE_PAYLOAD_MAX);
XS_CONST(XENSTORE_ABS_PATH_MAX);
XS_CONST(XENSTORE_REL_PATH_MAX);
XS_CONST(XENSTORE_SERVER_FEATURE_RECONNECTION);
XS_CONST(XENSTORE_SERVER_FEATURE_ERROR);
XS_CONST(XENSTORE_CONNECTED);
XS_CONST(XENSTORE_RECONNECT);
XS_CONST(XENSTORE_ERROR_NONE);
XS_CONST(XENSTORE_ERROR_COMM);
XS_CONST(XENSTORE_ERROR_RINGIDX);
XS_CONST(XENSTORE_ERROR_PROTO);
/* io/xenbus.h */
XS_CONST(XenbusStateUnknown);
XS_CONST(XenbusStateInitialising);
XS_CONST(XenbusStateInitWait);
XS_CONST(XenbusStateInitialised);
XS_CONST(XenbusStateConnected);
XS_CONST(XenbusStateClosing);
XS_CONST(XenbusStateClosed);
XS_CONST(XenbusStateReconfiguring);
XS_CONST(XenbusStateReconfigured);
XS_CONST(sizeof(enum xenbus_state));
/* io/console.h */
XS_CONST(sizeof(XENCONS_RING_IDX));
XS_SIZE(xencons_interface);
XS_FIELD(xencons_interface, in);
XS_FIELD(xencons_interface, out);
XS_FIELD(xencons_interface, in_cons);
XS_FIELD(xencons_interface, in_prod);
XS_FIELD(xencons_interface, out_cons);
XS_FIELD(xencons_interface, out_prod);
/* io/protocols.h */
XS_STR(XEN_IO_PROTO_ABI_X86_32);
XS_STR(XEN_IO_PROTO_ABI_X86_64);
XS_STR(XEN_IO_PROTO_ABI_ARM);
XS_STR(XEN_IO_PROTO_ABI_NATIVE);
/* version.h */
XS_CONST(XENVER_version);
XS_CONST(XENVER_extraversion);
XS_CONST(XEN_EXTRAVERSION_LEN);
XS_CONST(XENVER_compile_info);
XS_SIZE(xen_compile_info);
XS_FIELD(xen_compile_info, compiler);
XS_FIELD(xen_compile_info, compile_by);
XS_FIELD(xen_compile_info, compile_domain);
XS_FIELD(xen_compile_info, compile_date);
XS_CONST(XENVER_capabilities);
XS_CONST(XEN_CAPABILITIES_INFO_LEN);
XS_CONST(XENVER_changeset);
XS_CONST(XEN_CHANGESET_INFO_LEN);
XS_CONST(XENVER_platform_parameters);
XS_SIZE(xen_platform_parameters);
XS_FIELD(xen_platform_parameters, virt_start);
XS_CONST(XENVER_get_features);
XS_SIZE(xen_feature_info);
XS_FIELD(xen_feature_info, submap_idx);
XS_FIELD(xen_feature_info, submap);
XS_CONST(XENVER_pagesize);
XS_CONST(XENVER_guest_handle);
XS_CONST(XENVER_commandline);
XS_CONST(XENVER_build_id);
XS_SIZE(xen_build_id);
XS_FIELD(xen_build_id, len);
XS_FIELD(xen_build_id, buf);
