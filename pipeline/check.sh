#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make check's tests, once the kernel, the tools and the initramfs are
# built.  The pipeline's own host tests first: some of them time their
# watchers in fractions of a second.  Then the boot matrix, and beside it,
# at the lowest CPU priority (SCHED_IDLE, nice 19), the checks that only compute: the
# static checks, the protocol cores' unit tests and fuzzers, and the
# patch series' checks.  QEMU's software emulation leaves a CPU idle
# whenever a guest waits, and those checks take 13 minutes of CPU that
# make check would otherwise spend before the first boot.  Their results
# go to the report (report.py) as before; their output to
# build/out/side.log, which is printed once both are done
# (check-side.sh).
. "$(dirname "$0")/lib.sh"

mkdir -p "$OUT"
XCI_HOST_PART=pipeline "$PIPE/tests/run.sh"

log "static checks, unit tests, fuzzers and patch checks run beside the boot matrix, at the lowest priority (build/out/side.log)"
# SCHED_IDLE as well as nice 19: a QEMU thread that wakes takes the CPU
# back from them at once (with nice 19 alone, domU took 500 s rather than
# about 400).  Bounded: stopped 250 s past the boots' deadline at the latest, so that
# the report still comes before CI's 90 minutes (what did not finish is
# reported as failed).
side_s=7200
[ -n "${XCI_DEADLINE:-}" ] && side_s=$((XCI_DEADLINE + 250 - EPOCHSECONDS))
[ "$side_s" -ge 600 ] || side_s=600
nice -n 19 chrt -i 0 timeout -k 10 "$side_s" "$PIPE/check-side.sh" > "$OUT/side.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT

rc=0
"$PIPE/matrix.sh" || rc=$?
log "boot matrix done; waiting for the checks beside it"
wait "$pid" || true
cat "$OUT/side.log"
exit "$rc"
