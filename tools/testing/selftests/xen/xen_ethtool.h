/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ethtool requests over SIOCETHTOOL, for the xen_vif selftest and for the
 * pipeline's xnet tool (pipeline/tools/xnet.c), which reads our netback's
 * counters in a dom0 that has no ethtool program.  Plain libc and uapi
 * headers only: no kselftest harness here.
 */
#ifndef XEN_SELFTEST_ETHTOOL_H
#define XEN_SELFTEST_ETHTOOL_H

#include <errno.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

/* One ethtool request @cmd for interface @name: 0 or -errno. */
static inline int xen_ethtool(int fd, const char *name, void *cmd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_data = cmd;
	return ioctl(fd, SIOCETHTOOL, &ifr) ? -errno : 0;
}

/* The value of ethtool statistic @stat of @name, or -1 if it has none. */
static inline long long xen_ethtool_stat(int fd, const char *name,
					 const char *stat)
{
	struct {
		struct ethtool_sset_info hdr;
		__u32 len;
	} info = { .hdr = { .cmd = ETHTOOL_GSSET_INFO,
			    .sset_mask = 1ULL << ETH_SS_STATS } };
	struct ethtool_gstrings *strs = NULL;
	struct ethtool_stats *vals = NULL;
	long long found = -1;
	__u32 n, i;

	if (xen_ethtool(fd, name, &info) || !info.hdr.sset_mask)
		return -1;
	n = info.len;
	strs = calloc(1, sizeof(*strs) + (size_t)n * ETH_GSTRING_LEN);
	vals = calloc(1, sizeof(*vals) + (size_t)n * sizeof(__u64));
	if (!strs || !vals)
		goto out;
	strs->cmd = ETHTOOL_GSTRINGS;
	strs->string_set = ETH_SS_STATS;
	strs->len = n;
	vals->cmd = ETHTOOL_GSTATS;
	vals->n_stats = n;
	if (xen_ethtool(fd, name, strs) || xen_ethtool(fd, name, vals))
		goto out;
	for (i = 0; i < n && i < vals->n_stats; i++)
		if (!strncmp((char *)strs->data + i * ETH_GSTRING_LEN, stat,
			     ETH_GSTRING_LEN))
			found = vals->data[i];
out:
	free(strs);
	free(vals);
	return found;
}

#endif /* XEN_SELFTEST_ETHTOOL_H */
