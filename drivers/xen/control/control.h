/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the domain control files share: shutdown.c hands a suspend request
 * to suspend.c, and each logs what it refuses the same way.
 */
#ifndef _XEN_CONTROL_H
#define _XEN_CONTROL_H

/* The longest value (or path) worth quoting in a log line. */
#define XEN_CTL_LOG_CHARS	32

#ifdef CONFIG_HIBERNATE_CALLBACKS
void xen_ctl_suspend(void);
#else
static inline void xen_ctl_suspend(void) { }
#endif

#endif /* _XEN_CONTROL_H */
