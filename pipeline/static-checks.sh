#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Static checks of our own files only, as TAP in build/out/static.tap:
#   checkpatch --strict   every .c/.h of ours (kernel, selftests, pipeline tools)
#   kernel-doc -none      every kernel .c/.h of ours, and every non-static
#                         function of ours has kernel-doc (kdoc-coverage.py)
#   sparse (C=2) + W=1    every kernel .c of ours that the config builds
#   coccicheck report     every kernel .c of ours, all of scripts/coccinelle
#   modules               our drivers built for Debian's kernel, and by DKMS
#   api-users             the other in-tree users of the Xen API, compiled
#                         against our tree (api-users.sh)
# Zero findings are required; a check with nothing to check yet says SKIP.
. "$(dirname "$0")/lib.sh"

mkdir -p "$OUT"
tap="$OUT/static.tap"
log="$OUT/static.log"
# No earlier run's results: a run that does not finish has none.
rm -f "$tap"
: > "$log"
n=0
res=()
emit() { n=$((n + 1)); res+=("$1 $n $2"); }

mapfile -t ours < <(grep -E '\.(c|h)$' "$B/ours.list" 2>/dev/null || true)
mapfile -t kfiles < <(printf '%s\n' "${ours[@]}" | grep -E '^(arch|drivers|include)/' || true)
mapfile -t kc < <(printf '%s\n' "${kfiles[@]}" | grep -E '\.c$' || true)
tools=("$PIPE"/tools/*.[ch])

cd "$SRC"
# The per-file checks run JOBS at a time, each writing what it found to a
# file of its own in $par; they are reported afterwards, in list order.
par=$(mktemp -d "$B/static.XXXXXX")
dk=""
trap 'rm -rf "$par" ${dk:+"$dk"}' EXIT

# checkpatch.  Some of its tests do not apply to some of our files (Xen's
# names, Xen's -ENOSYS): pipeline/checkpatch-ignores.tbl says which and
# why, for these checks and for the patches' (patches.py).
# cp_ignores FILE: the table's types for FILE, comma-separated, or "".
cp_ignores() {
	local pre types all=""
	while IFS='|' read -r pre types; do
		pre=${pre%%#*}
		pre=${pre//[[:space:]]/}
		types=${types//[[:space:]]/}
		[ -n "$pre" ] || continue
		case $1 in "$pre"*) all+=${all:+,}$types ;; esac
	done < "$PIPE/checkpatch-ignores.tbl"
	printf '%s' "$all"
}

# one_checkpatch I FILE: FILE's findings into $par/cp.I.
one_checkpatch() {
	local i=$1 f=$2 ign=() out t
	t=$(cp_ignores "$f")
	[ -z "$t" ] || ign=(--ignore "$t")
	out=$(perl scripts/checkpatch.pl --strict --terse --no-summary --show-types \
		"${ign[@]}" -f "$f" 2>&1) || out+=$'\n'"checkpatch.pl failed"
	printf '%s' "$out" > "$par/cp.$i"
}

# one_kdoc I FILE: kernel-doc's findings on FILE and, for a .c, those of
# kdoc-coverage.py, into $par/kd.I.
one_kdoc() {
	{
		perl scripts/kernel-doc -none -Wall "$2" 2>&1
		case "$2" in *.c) python3 "$PIPE/kdoc-coverage.py" "$2" ;; esac
		true
	} > "$par/kd.$1" 2>&1
}

# one_cocci I SCRIPT: the coccinelle SCRIPT's report on our kernel .c
# files (KC_LIST, one per line) into $par/cc.I.
one_cocci() {
	local k
	mapfile -t k <<< "$KC_LIST"
	spatch -D report --very-quiet --no-show-diff --no-includes --include-headers \
		--cocci-file "$2" "${k[@]}" > "$par/cc.$1" 2>/dev/null || true
}
export -f cp_ignores one_checkpatch one_kdoc one_cocci
export par PIPE

# on_all FUNC ITEM...: FUNC INDEX ITEM for each ITEM, JOBS at a time.
on_all() {
	local fn=$1 i=0 x
	shift
	for x in "$@"; do
		printf '%s\0%s\0' "$i" "$x"
		i=$((i + 1))
	done | xargs -0 -r -n 2 -P "$JOBS" bash -c "$fn \"\$0\" \"\$1\"" || true
}

# report_all KIND PREFIX FILE...: a check "KIND FILE" per FILE, passed if
# its $par/PREFIX.I is empty.
report_all() {
	local kind=$1 pre=$2 i=0 f out
	shift 2
	for f in "$@"; do
		out=$(cat "$par/$pre.$i" 2>/dev/null || echo "no result")
		if [ -z "$out" ]; then
			emit ok "$kind ${f#$TOP/}"
		else
			emit "not ok" "$kind ${f#$TOP/}"
			printf '== %s %s\n%s\n' "$kind" "$f" "$out" >> "$log"
		fi
		i=$((i + 1))
	done
}

all=()
for f in "${ours[@]}" "${tools[@]}"; do
	[ -n "$f" ] && all+=("$f")
done
# One alone first: checkpatch writes its cache of CamelCase names
# (.checkpatch-camelcase.*) on its first run in a tree, which the others
# would read half-written.
one_checkpatch 0 "${all[0]}"
on_all one_checkpatch "${all[@]}"
report_all checkpatch cp "${all[@]}"
# kernel-doc
if [ ${#kfiles[@]} -eq 0 ] || [ -z "${kfiles[0]}" ]; then
	emit ok "kernel-doc # SKIP no kernel files of ours yet"
else
	on_all one_kdoc "${kfiles[@]}"
	report_all kernel-doc kd "${kfiles[@]}"
fi
# sparse and W=1: the files the config builds, touched and rebuilt by one
# make.  A finding belongs to the file it names; one in a header, or in
# any other file, fails a check of its own (sparse-W1 other files).
if [ ${#kc[@]} -eq 0 ] || [ -z "${kc[0]}" ]; then
	emit ok "sparse-W1 # SKIP no kernel C files of ours yet"
else
	built=()
	for f in "${kc[@]}"; do
		[ -f "$OBJ/${f%.c}.o" ] && built+=("$f")
	done
	sp=""
	if [ ${#built[@]} -gt 0 ]; then
		touch "${built[@]}"
		rc=0
		sp=$(make -s -k -j"$JOBS" -C "$SRC" O="$OBJ" CC="ccache gcc" C=2 W=1 \
			"${built[@]/%.c/.o}" 2>&1) || rc=$?
		sp=$(grep -E 'warning|error' <<< "$sp" || true)
		[ "$rc" = 0 ] || sp+=$'\n'"error: make C=2 W=1 exited $rc"
	fi
	rest=$sp
	for f in "${kc[@]}"; do
		if [ ! -f "$OBJ/${f%.c}.o" ]; then
			emit ok "sparse-W1 $f # SKIP not built by this config"
			continue
		fi
		out=$(grep -F "$f:" <<< "$sp" || true)
		rest=$(grep -v -F "$f:" <<< "$rest" || true)
		if [ -z "$out" ]; then emit ok "sparse-W1 $f"
		else emit "not ok" "sparse-W1 $f"; printf '== sparse/W=1 %s\n%s\n' "$f" "$out" >> "$log"; fi
	done
	if [ -n "$rest" ]; then
		emit "not ok" "sparse-W1 other files"
		printf '== sparse/W=1 in other files\n%s\n' "$rest" >> "$log"
	fi
fi
# coccinelle, report mode
if [ ${#kc[@]} -eq 0 ] || [ -z "${kc[0]}" ]; then
	emit ok "coccicheck # SKIP no kernel C files of ours yet"
else
	mapfile -t cocci < <(find scripts/coccinelle -name '*.cocci' | sort)
	KC_LIST=$(printf '%s\n' "${kc[@]}")
	export KC_LIST
	on_all one_cocci "${cocci[@]}"
	out=""
	i=0
	for c in "${cocci[@]}"; do
		r=$(cat "$par/cc.$i" 2>/dev/null || true)
		[ -z "$r" ] || out+="== $c"$'\n'"$r"$'\n'
		i=$((i + 1))
	done
	if [ -z "$out" ]; then emit ok "coccicheck ${#kc[@]} files"
	else emit "not ok" "coccicheck"; printf '== coccicheck\n%s\n' "$out" >> "$log"; fi
fi

# Our drivers as modules for Debian's kernel (build-modules.sh): all four
# there, for that kernel; and DKMS builds the same package, in a tree of
# its own (dkms.conf).
stock=$(stock_kver)
for m in xen-blkfront xen-blkback xen-netfront xen-netback; do
	vm=$(modinfo -F vermagic "$OUT/modules/$m.ko" 2>/dev/null | awk '{ print $1 }' || true)
	if [ "$vm" = "$stock" ]; then emit ok "module-for-stock-kernel $m"
	else emit "not ok" "module-for-stock-kernel $m"; printf '== module %s: vermagic "%s", want "%s"\n' "$m" "$vm" "$stock" >> "$log"; fi
done
dk=$(mktemp -d "$B/dkms.XXXXXX")
dv=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$B/modules/src/dkms.conf" 2>/dev/null || true)
mkdir -p "$dk/src/xen-split-drivers-$dv" "$dk/tree"
rsync -a --exclude='*.o' --exclude='*.ko' --exclude='.*' --exclude='*.mod*' \
	--exclude=modules.order --exclude=Module.symvers \
	"$B/modules/src/" "$dk/src/xen-split-drivers-$dv/" || true
out=$(dkms build -m xen-split-drivers -v "$dv" -k "$stock" \
	--dkmstree "$dk/tree" --sourcetree "$dk/src" 2>&1 || true)
got=$(find "$dk/tree" -name 'xen-*.ko*' | wc -l)
if [ -n "$dv" ] && [ "$got" = 4 ]; then emit ok "dkms-build xen-split-drivers/$dv for $stock"
else emit "not ok" "dkms-build xen-split-drivers/${dv:-?}"; printf '== dkms build: %s modules\n%s\n' "$got" "$out" >> "$log"; fi
rm -rf "$dk"

# The other in-tree users of the Xen API, compiled against our tree.
while IFS= read -r l; do
	case $l in
	"not ok "*) emit "not ok" "${l#not ok }" ;;
	"ok "*) emit ok "${l#ok }" ;;
	esac
done < <("$PIPE/api-users.sh")
cat "$OUT/api-users.log" >> "$log" 2>/dev/null

{
	echo "TAP version 13"
	echo "1..$n"
	printf '%s\n' "${res[@]}"
} > "$tap"
fails=$(grep -c '^not ok' "$tap" || true)
log "static checks: $n checks, $fails with findings${fails:+ (see $log)}"
