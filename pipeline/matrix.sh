#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# matrix.sh: the boot matrix, one QEMU at a time.
#   bare       our kernel on plain QEMU
#   xen-ours   Xen + our dom0, in two boots: xen-ours and xen-ours-life,
#              the second a fresh dom0 for the lifecycle cases (the
#              testbed's user-process defect grows with dom0's age: README)
#   xen-stock  Xen + the stock Debian dom0
# Which cases each Xen boot runs, in which order: pipeline/cases.tbl.
# Each boot is bounded by timeout; report.py turns the results into cases.
. "$(dirname "$0")/lib.sh"

# run_cases RUN: the cases a Xen boot runs, in order: the rows of
# cases.tbl whose BOOT is RUN (XCI_CASES narrows; a row marked "asked"
# runs only when XCI_CASES names it).
run_cases() {
	awk -F'|' -v run="$1" '
		/^[ \t]*(#|$)/ { next }
		{ for (i = 1; i <= NF; i++) gsub(/^[ \t]+|[ \t]+$/, "", $i) }
		$2 == run { print $1, $6 }' "$PIPE/cases.tbl" |
	while read -r c when; do
		if [ -n "${XCI_CASES:-}" ]; then
			case ",$XCI_CASES," in *",$c,"*) ;; *) continue ;; esac
		elif [ "$when" = asked ]; then
			continue
		fi
		echo "$c"
	done
}

# The Xen runs boot in two phases.  First every run boots once with all
# its cases (xen_first).  Then, round by round, each run whose last boot
# left cases to boot again for boots once more for them (xen_again), so
# that one run's retries cannot use up the time another run's first boot
# or first retry needs (the CI run of 2026-12-04 gave xen-ours 4 boots and
# left none for the lifecycle and stock runs' failures).
# pipeline/retry.py names the cases to boot again for after each boot:
# those that failed with evidence of the testbed's user-process defect
# (README, testbed notes), and those a boot that ended early with such
# evidence left without a result.  At most retry.py's MAX_TRIES boots per
# run, in each round the cheapest run first; boot N's directory is kept
# as RUN.tryN, and retry.py merges them all into RUN, each case's result
# saying what its earlier tries ended with.
# The injections (XCI_FREEZE, XCI_KILL_XS, XCI_RUNNER_DIE) act in the
# first boot only.  With XCI_DEADLINE (the epoch second make check's
# boots must be done by), a boot again must also fit in the time left.
declare -A TRIES PLAN LIMIT

# xen_first RUN PLAN LIMIT: RUN's first boot, with all its cases (none: no
# boot, and false).
xen_first() {
	local run=$1 cases
	rm -rf "${OUT:?}/$run".try*	# an earlier run's; report.py reads every run
	cases=$(run_cases "$run" | tr '\n' ' ')
	if [ -z "${cases// }" ]; then
		rm -rf "$OUT/$run"	# no stale results in the report
		return 1
	fi
	cases=$(echo $cases | tr ' ' ,)
	TRIES[$run]=1 PLAN[$run]=$2 LIMIT[$run]=$3
	XCI_CASES=$cases XCI_EXPECT="${cases//,/ }" "$PIPE/boot.sh" "$run" xen "$2" "$3"
	return 0	# a failed boot's cases fail, or boot again
}

# xen_again RUN: boot RUN again for the cases retry.py names, if any fit
# before the deadline; false when it did not boot.
xen_again() {
	local run=$1 again left="" limit
	mkdir -p "$OUT/$run"
	[ -n "${XCI_DEADLINE:-}" ] && left=$((XCI_DEADLINE - EPOCHSECONDS))
	again=$(python3 "$PIPE/retry.py" next "$OUT" "$run" "${PLAN[$run]}" "${TRIES[$run]}" "$left" \
		2> "$OUT/$run/retry.why") || again=""
	[ -s "$OUT/$run/retry.why" ] && log "$run: $(cat "$OUT/$run/retry.why")"
	[ -n "$again" ] || return 1
	log "$run: booting again (try $((TRIES[$run] + 1))) for ${again//,/ }"
	mv "$OUT/$run" "$OUT/$run.try${TRIES[$run]}"
	TRIES[$run]=$((TRIES[$run] + 1))
	# A boot again that hangs stops at most 300 s past the deadline (CI
	# gives make check 400 s more), not at the run's whole limit.
	limit=${LIMIT[$run]}
	[ -n "$left" ] && [ $((left + 300)) -lt "$limit" ] && limit=$((left + 300))
	XCI_CASES=$again XCI_FREEZE= XCI_KILL_XS= XCI_RUNNER_DIE= XCI_EXPECT="${again//,/ }" \
		"$PIPE/boot.sh" "$run" xen "${PLAN[$run]}" "$limit"
	return 0
}

runs=${XCI_RUNS:-bare xen-ours xen-stock}
booted=""
[ -n "${XCI_DEADLINE:-}" ] &&
	log "matrix: boots again only until $(date -d "@$XCI_DEADLINE" +%T) (make check's deadline)"
for r in $runs; do
	case $r in
	bare)      "$PIPE/boot.sh" bare bare - "${XCI_TIMEOUT_BARE:-300}" ;;
	xen-ours)
		xen_first xen-ours ours "${XCI_TIMEOUT_OURS:-2400}" && booted+=" xen-ours"
		xen_first xen-ours-life ours "${XCI_TIMEOUT_OURS:-2400}" && booted+=" xen-ours-life"
		;;
	xen-stock) xen_first xen-stock stock "${XCI_TIMEOUT_STOCK:-2400}" && booted+=" xen-stock" ;;
	*) die "unknown run $r" ;;
	esac
done
# cheapest_first RUN...: the RUNs, the one whose boot again needs the
# fewest seconds first (retry.py cost; ties keep the runs' order), so that
# a run with a short retry is not left without time by a long one (the CI
# run of 2026-12-05: xen-ours's retries of domU and pvh left none for
# three lifecycle cases its lost dom0 never reached).
cheapest_first() {
	local r
	for r in "$@"; do
		echo "$(python3 "$PIPE/retry.py" cost "$OUT" "$r" "${PLAN[$r]}" "${TRIES[$r]}" 2>/dev/null || echo 0) $r"
	done | sort -s -n -k1,1 | awk '{ print $2 }'
}

# The rounds of boots again, the cheapest run first in each.
pending=$booted
while [ -n "${pending// }" ]; do
	still=""
	for r in $(cheapest_first $pending); do
		xen_again "$r" && still+=" $r"
	done
	pending=$still
done
for r in $booted; do
	python3 "$PIPE/retry.py" merge "$OUT" "$r" "${PLAN[$r]}" "${TRIES[$r]}" ||
		log "$r: merging the results of its ${TRIES[$r]} boots failed"
done
