#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The checks that make check runs beside the boot matrix (check.sh), one
# after another: the static checks, the protocol cores' unit tests and
# fuzzers, and the patch series' checks.  Each writes its TAP for the
# report; a failure here stops none of the others.
. "$(dirname "$0")/lib.sh"

"$PIPE/static-checks.sh" || true
XCI_HOST_PART=xen "$PIPE/tests/run.sh" || true
python3 "$PIPE/patches.py" check > "$OUT/patches.tap" || true
log "patches: $(grep -c '^ok' "$OUT/patches.tap") of $(grep -c -E '^(not )?ok' "$OUT/patches.tap") checks passed ($OUT/patches, $OUT/patches.tap)"
