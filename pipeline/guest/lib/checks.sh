# SPDX-License-Identifier: GPL-2.0-only
# The checks of a case.  Each check says one line,
#   XCI-CHECK CASE CHECK PASS|FAIL|SKIP DETAIL
# on the console and in $OUT/checks, which report.py reads: every check
# is a test of the report, and a case with a failed check fails there
# whatever its own result line says.  A case's reason for failing is the
# list of its failed checks (ck_why), not a string the case builds.
# Sourced by dom0.sh; defines functions and constants only.

# CHECKS: the checks of the last try of each case so far; those of an
# earlier try move to CHECKS.old when the case starts again (ck_begin).
CHECKS=$OUT/checks
# CK_TIMES: "CASE CHECK UPTIME", a line per check, for the profile.
CK_TIMES=$OUT/check-times
# CK_CONSOLE: where ck also says each check (dom0's console).
CK_CONSOLE=/dev/console
# CK_CASE: the case whose checks ck records, set by ck_begin.
# CK_FAILS: how many checks of CK_CASE failed in this try.
CK_CASE=""
CK_FAILS=0

# ck_begin NAME: a try of case NAME begins.  The lines of NAME's earlier
# tries leave CHECKS for CHECKS.old, so that CHECKS holds each case's
# last try only.  Bash alone: no program to fork (README, testbed notes).
ck_begin() {
	local l lines keep=() old=()
	CK_CASE=$1 CK_FAILS=0
	[ -f "$CHECKS" ] || return 0
	mapfile -t lines < "$CHECKS"
	for l in "${lines[@]}"; do
		if [[ $l == "XCI-CHECK $1 "* ]]; then
			old+=("$l")
		else
			keep+=("$l")
		fi
	done
	[ ${#old[@]} = 0 ] && return 0
	printf '%s\n' "${old[@]}" >> "$CHECKS.old"
	# Whole or not at all: a runner the testbed's defect kills here must
	# not take the other cases' lines with it.
	if [ ${#keep[@]} = 0 ]; then
		: > "$CHECKS.new"
	else
		printf '%s\n' "${keep[@]}" > "$CHECKS.new"
	fi
	mv -f "$CHECKS.new" "$CHECKS"
}

# ck CHECK PASS|FAIL|SKIP [DETAIL...]: one check of CK_CASE, with what it
# saw (for a FAIL: why), made one line.
ck() {
	local c=$1 st=$2 d
	shift 2
	d=$*
	d=${d//[$'\r\n\t']/ }
	[ "$st" = FAIL ] && CK_FAILS=$((CK_FAILS + 1))
	echo "XCI-CHECK ${CK_CASE:-unnamed} $c $st $d" >> "$CHECKS"
	echo "XCI-CHECK ${CK_CASE:-unnamed} $c $st $d" >> "$CK_CONSOLE"
	# When, in dom0's uptime: what each check of a case costs (CK_TIMES).
	local up _r
	if [ -n "${CK_TIMES:-}" ] && read -r up _r < /proc/uptime; then
		echo "${CK_CASE:-unnamed} $c $up" >> "$CK_TIMES"
	fi
	return 0
}

# ck_if CHECK PASS_DETAIL FAIL_DETAIL COMMAND...: ck CHECK PASS if
# COMMAND succeeds, FAIL otherwise; returns COMMAND's success.
ck_if() {
	local c=$1 p=$2 f=$3
	shift 3
	if "$@"; then
		ck "$c" PASS "$p"
		return 0
	fi
	ck "$c" FAIL "$f"
	return 1
}

# ck_same CHECK WANT GOT WHAT [HOW...]: CHECK passes if GOT (a checksum)
# is WANT; WHAT says what was compared.  On a failure, the command HOW
# (pat_diff, say) may add a line that says how the data differ.
ck_same() {
	local how=""
	if [ -n "$3" ] && [ "$2" = "$3" ]; then
		ck "$1" PASS "$4: $3"
		return 0
	fi
	[ $# -gt 4 ] && how=$("${@:5}" | head -n 1)
	ck "$1" FAIL "$4: got ${3:-no checksum}, want $2${how:+; $how}"
	return 1
}

# pat_diff SEED MIB FILE [SKIP_MIB]: how MIB MiB of FILE from SKIP_MIB on
# differ from xpat's stream for SEED (data moved, zeros, another seed's,
# corrupted: pipeline/tools/xpat.c), one line.
pat_diff() {
	dd if="$3" bs=1M skip="${4:-0}" count="$2" 2>/dev/null | xpat -d "$1" "$2"
	return 0
}

# xl_why LOG: why xl failed, from its output LOG, in REPLY: its first
# error (the cause: what follows is mostly the cleanup failing in turn),
# then its last line, which is all when there is no error line.
xl_why() {
	local first last
	first=$(grep -m 1 -E 'error|panic|timed? ?out|Killed' "$1" 2>/dev/null)
	last=$(tail -n 1 "$1" 2>/dev/null)
	REPLY=$last
	if [ -n "$first" ] && [ "$first" != "$last" ]; then
		REPLY="$first ... $last"
	fi
	return 0
}

# ck_xl_create NAME DIR [XL_ARGS...]: the check xl-create: xl create of
# DIR/cfg (with XL_ARGS before it), its output in DIR/create.log, which
# says why it failed (xl_why); xl's exit code in XL_CREATE_RC.  A create
# that failed but did not hang is tried once more, after destroying what
# is left of the domain: the testbed's defect breaks xl now and then
# before the domain's kernel has run (README), in ways that leave no
# crash behind (a path cut short in xl's memory, CI 2026-12-04).  The
# first try's output stays in DIR/create.log.1, and the check says that
# it took two tries and why the first failed.  Returns xl's success.
XL_CREATE_RC=0
ck_xl_create() {
	local name=$1 d=$2 first=""
	shift 2
	timeout 180 $XL create "$@" "$d/cfg" > "$d/create.log" 2>&1
	XL_CREATE_RC=$?
	if [ $XL_CREATE_RC != 0 ] && [ $XL_CREATE_RC != 124 ]; then
		xl_why "$d/create.log"
		first=$REPLY
		mv "$d/create.log" "$d/create.log.1"
		timeout 60 $XL destroy "$name" > /dev/null 2>&1
		timeout 180 $XL create "$@" "$d/cfg" > "$d/create.log" 2>&1
		XL_CREATE_RC=$?
	fi
	if [ $XL_CREATE_RC = 0 ]; then
		ck xl-create PASS "domU $name created${first:+ on the second try (the first failed: $first)}"
		return 0
	fi
	xl_why "$d/create.log"
	if [ -z "$first" ] || [ "$first" = "$REPLY" ]; then
		ck xl-create FAIL "$REPLY${first:+ (both tries)}"
	else
		ck xl-create FAIL "$REPLY (the first try: $first)"
	fi
	return 1
}

# ck_ok: true while no check of CK_CASE's try has failed (a case skips
# the steps that need the ones before).
ck_ok() {
	[ "$CK_FAILS" = 0 ]
}

# domu_checks_read LOG: the domU's own check lines in its console LOG,
# "XCI-CHECK CHECK PASS|FAIL|SKIP DETAIL" (domu.sh), read once: the detail
# of each CHECK's first PASS, first SKIP and first FAIL in DOMU_PASS,
# DOMU_SKIP and DOMU_FAIL, and its first line of any status in DOMU_ANY
# (status and detail), by CHECK.  A last line without its newline (a
# console still written to) counts too.
declare -A DOMU_PASS=() DOMU_SKIP=() DOMU_FAIL=() DOMU_ANY=()
domu_checks_read() {
	local line c st d
	DOMU_PASS=() DOMU_SKIP=() DOMU_FAIL=() DOMU_ANY=()
	while IFS= read -r line || [ -n "$line" ]; do
		[[ $line == "XCI-CHECK "* ]] || continue
		line=${line//$'\r'/}
		line=${line#XCI-CHECK }
		c=${line%% *}
		line=${line#"$c"}
		line=${line# }
		st=${line%% *}
		d=${line#"$st"}
		d=${d# }
		[ -n "$c" ] || continue
		case $st in
		PASS) [ -n "${DOMU_PASS[$c]+x}" ] || DOMU_PASS[$c]=$d ;;
		SKIP) [ -n "${DOMU_SKIP[$c]+x}" ] || DOMU_SKIP[$c]=$d ;;
		FAIL) [ -n "${DOMU_FAIL[$c]+x}" ] || DOMU_FAIL[$c]=$d ;;
		*) continue ;;
		esac
		[ -n "${DOMU_ANY[$c]+x}" ] || DOMU_ANY[$c]="$st${d:+: $d}"
	done 2>/dev/null < "$1"
	return 0
}

# domu_check CHECK [skip]: CHECK, as the domU reported it (domu_checks_read),
# recorded as a check of CK_CASE: a PASS anywhere passes it; with "skip",
# a SKIP where it cannot apply skips it; anything else fails it.
domu_check() {
	local c=$1
	if [ -n "${DOMU_PASS[$c]+x}" ]; then
		ck "$c" PASS "${DOMU_PASS[$c]}"
	elif [ "${2:-}" = skip ] && [ -n "${DOMU_SKIP[$c]+x}" ]; then
		ck "$c" SKIP "${DOMU_SKIP[$c]}"
	elif [ -n "${DOMU_ANY[$c]+x}" ]; then
		ck "$c" FAIL "the domU said ${DOMU_ANY[$c]}"
	else
		ck "$c" FAIL "the domU did not report it"
	fi
}

# ck_domu LOG CHECK...: each CHECK as the domU reported it on its console
# LOG (domu_check, no SKIP allowed).
ck_domu() {
	local c
	domu_checks_read "$1"
	shift
	for c in "$@"; do
		domu_check "$c"
	done
}

# domu_kernel_check LOG CHECK [TYPE]: CHECK fails if the domU's console
# LOG shows a panic, BUG, oops or warning of its kernel (the first one is
# the detail), or if there is no LOG.  One warning is not the kernel's:
# in a PVH domU (TYPE pvh), a WARNING in fpu__init_system_xstate() right
# after "XSAVE consistency problem", which Xen 4.17's CPUID quirk raises
# in about 1 PVH boot in 3 (design notes), Debian's kernel as ours.
# With TYPE grant-breach:REF (a backend that keeps a receive buffer
# mapped after answering it, on purpose: hostile-backend's page-take
# step), the grant table's "WARNING: g.e. REF still in use!" about that
# one grant (REF as the grant table prints it, 0x...) after the domU
# brought the step's vif up is not the kernel's either: it is how the
# grant table logs that backend's breach (a pr_warn, not a WARN).
domu_kernel_check() {
	local line="" l prev="" up=""
	if [ ! -r "$1" ]; then
		ck "$2" FAIL "no console log ${1##*/}"
		return
	fi
	while IFS= read -r l || [ -n "$l" ]; do
		[[ $l == XCI-IDLE-UP\ * ]] && up=1
		if [[ $l =~ (Kernel panic.*|BUG:.*|WARNING:.*|Oops.*) ]]; then
			line=${BASH_REMATCH[1]//$'\r'/}
			if [[ ${3:-} == grant-breach:* ]]; then
				[ -n "$up" ] && [ "$line" = "WARNING: g.e. ${3#grant-breach:} still in use!" ] ||
					break
			else
				[ "${3:-}" = pvh ] && [[ $prev == *"XSAVE consistency problem"* ]] &&
					[[ $line =~ ^WARNING:.*\ fpu__init_system_xstate\+ ]] ||
					break
			fi
			line=""
		fi
		prev=$l
	done < "$1"
	if [ -n "$line" ]; then
		ck "$2" FAIL "$line"
	else
		ck "$2" PASS "no panic, BUG, oops or warning on the domU's console"
	fi
}

# ck_why: sets REPLY to CK_CASE's failed checks in this try,
# " CHECK(DETAIL)" each (spaces in DETAIL made "_"), for the case's
# result line (in REPLY, not printed: a $(...) would fork).
ck_why() {
	local l c st d out=""
	REPLY=""
	[ -f "$CHECKS" ] || return 0
	while read -r l; do
		[[ $l == "XCI-CHECK $CK_CASE "* ]] || continue
		l=${l#"XCI-CHECK $CK_CASE "}
		c=${l%% *}
		l=${l#"$c"}
		l=${l# }
		st=${l%% *}
		[ "$st" = FAIL ] || continue
		d=${l#FAIL}
		d=${d# }
		d=${d// /_}
		out="$out $c${d:+($d)}"
	done < "$CHECKS"
	REPLY=$out
}
