# SPDX-License-Identifier: GPL-2.0-only
# The evidence of the testbed's defect (README, testbed notes) that a case
# saw.  dom0 runs each case once per boot; a case that failed with such
# evidence says so in an EVIDENCE line (result, in dom0.sh), and the host
# decides whether to boot again for it (pipeline/retry.py).
# Sourced by dom0.sh; defines functions and constants only.

# DOMU_FAULTS: what a domU's console shows when the testbed's defect killed
# one of its user processes: the kernel's report of a user fault
# (forwarded by domu.sh as XCI-DMESG lines, or on the console), bash's
# report of a child killed by a fault signal, glibc's or ld.so's
# complaints, or XCI-USERFAULT (a checksum pipeline that printed no
# checksum: domu.sh).  Not a fault of the kernel: that reads "Oops:
# general protection fault", and fails a case on its own.
DOMU_FAULTS='segfault at |traps: .*general protection|Segmentation fault|Illegal instruction|Bus error|(^|[0-9] +)Aborted|malloc\(\): |Inconsistency detected by ld\.so|XCI-USERFAULT'

# domu_faults LOG...: whether one of the domU consoles LOG shows
# DOMU_FAULTS.
domu_faults() {
	grep -a -q -E "$DOMU_FAULTS" "$@" 2>/dev/null
}

# triple_faults: how many "Triple fault" lines of HVM-container guests
# Xen's console ring holds now (0 if xl cannot say).  PVH domUs
# triple-fault now and then under TCG, in bursts (README, testbed notes):
# a PVH case that saw the count grow adds Xen-reported-triple-fault to
# its evidence.  The ring may wrap, which can only lose lines.
triple_faults() {
	local n
	n=$(timeout 20 $XL dmesg 2>/dev/null | grep -c 'Triple fault')
	echo "${n:-0}"
}

# flake_evidence F0 LOG [DOM0_MORE [LOG...]]: FLAKE, the evidence of the
# testbed's defect a case saw, in words: user-space-faults-in-dom0 if
# dom0_faults is no longer F0 (what it said when the case began) or
# DOM0_MORE is non-empty (a case's own count of dom0 processes it saw
# die, such as xl's crashes), user-space-faults-in-domU if LOG, the
# domU's console, or one of the LOGs after DOM0_MORE (the consoles of
# the same domU after a migration) shows domu_faults.  Empty if neither;
# a case adds its own kinds after.
flake_evidence() {
	FLAKE=""
	[ "$(dom0_faults)" = "$1" ] && [ -z "${3:-}" ] ||
		FLAKE="user-space-faults-in-dom0"
	domu_faults "$2" "${@:4}" && FLAKE="$FLAKE${FLAKE:+ }user-space-faults-in-domU"
	return 0
}

# case_once NAME FUNC: FUNC NAME, one try, and its result.  FUNC sets
# CASE_T0, CASE_WHY (empty if it passed), CASE_DETAIL (what a pass
# showed), FLAKE (the evidence, for the host's retry) and, if its log is
# not guests/guest-NAME.log, CASE_LOG ("-": dom0's console).
case_once() {
	CASE_LOG=""
	ck_begin "$1"
	"$2" "$1"
	if [ -z "$CASE_WHY" ]; then
		result "$1" PASS "$CASE_T0" "${CASE_LOG:-guests/guest-$1.log}" "$CASE_DETAIL"
	else
		result "$1" FAIL "$CASE_T0" "${CASE_LOG:-guests/guest-$1.log}" "${CASE_WHY# }"
	fi
}
