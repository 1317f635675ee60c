#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# run-selftests.sh PLACE OUTDIR|-
# Run every kselftest binary of tools/testing/selftests/xen shipped in
# /xci/selftests.  Each one's TAP goes to OUTDIR/PLACE-NAME.tap, or with "-"
# to the console between XCI-TAP-BEGIN/END markers for the host to collect.
place=$1
out=$2
dir=${XCI_SELFTESTS:-/xci/selftests}
[ "$out" = - ] || mkdir -p "$out"
for t in "$dir"/*; do
	[ -x "$t" ] && [ -f "$t" ] || continue
	name=${t##*/}
	if [ "$out" = - ]; then
		echo "XCI-TAP-BEGIN $place $name"
		timeout 300 "$t" 2>&1
		rc=$?
		echo "XCI-TAP-END $place $name rc=$rc"
	else
		{
			timeout 300 "$t" 2>&1
			echo "# XCI-EXIT rc=$?"
		} > "$out/$place-$name.tap"
	fi
done
