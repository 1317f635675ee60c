#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# run-selftests.sh PLACE OUTDIR|-
# Run every kselftest binary of tools/testing/selftests/xen shipped in
# /xci/selftests.  Each one's TAP goes to OUTDIR/PLACE@NAME.tap, or with "-"
# to the console between XCI-TAP-BEGIN/END markers for the host to collect.
place=$1
out=$2
dir=${XCI_SELFTESTS:-/xci/selftests}
[ "$out" = - ] || mkdir -p "$out"
# XCI_SKIP="name[,name...]": tests not run in this place, each reported as
# one SKIP with XCI_SKIP_WHY (for a known crash that would take the guest
# down with it; see the issue notes).
skipped() {
	case ",$XCI_SKIP," in *",$1,"*) return 0 ;; esac
	return 1
}
for t in "$dir"/*; do
	[ -x "$t" ] && [ -f "$t" ] || continue
	name=${t##*/}
	if skipped "$name"; then
		res="1..1
ok 1 $name # SKIP ${XCI_SKIP_WHY:-not run here}"
		if [ "$out" = - ]; then
			printf 'XCI-TAP-BEGIN %s %s\n%s\nXCI-TAP-END %s %s rc=4\n' \
				"$place" "$name" "$res" "$place" "$name"
		else
			printf '%s\n# XCI-EXIT rc=4\n' "$res" > "$out/$place@$name.tap"
		fi
		continue
	fi
	if [ "$out" = - ]; then
		echo "XCI-TAP-BEGIN $place $name"
		timeout 300 "$t" 2>&1
		rc=$?
		echo "XCI-TAP-END $place $name rc=$rc"
	else
		{
			timeout 300 "$t" 2>&1
			echo "# XCI-EXIT rc=$?"
		} > "$out/$place@$name.tap"
	fi
done
