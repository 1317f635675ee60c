#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# matrix.sh: the boot matrix, one QEMU at a time.
#   bare       our kernel on plain QEMU
#   xen-ours   Xen + our dom0: dom0, domU, stock-domU, pvh
#   xen-stock  Xen + the stock Debian dom0: stock-dom0-toolstack, stock-dom0
# Each boot is bounded by timeout; report.py turns the results into cases.
. "$(dirname "$0")/lib.sh"

runs=${XCI_RUNS:-bare xen-ours xen-stock}
for r in $runs; do
	case $r in
	bare)      "$PIPE/boot.sh" bare bare - "${XCI_TIMEOUT_BARE:-300}" ;;
	xen-ours)  "$PIPE/boot.sh" xen-ours xen ours "${XCI_TIMEOUT_OURS:-1500}" ;;
	xen-stock) "$PIPE/boot.sh" xen-stock xen stock "${XCI_TIMEOUT_STOCK:-900}" ;;
	*) die "unknown run $r" ;;
	esac
done
