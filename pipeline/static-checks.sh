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
: > "$log"
n=0
res=()
emit() { n=$((n + 1)); res+=("$1 $n $2"); }

mapfile -t ours < <(grep -E '\.(c|h)$' "$B/ours.list" 2>/dev/null || true)
mapfile -t kfiles < <(printf '%s\n' "${ours[@]}" | grep -E '^(arch|drivers|include)/' || true)
mapfile -t kc < <(printf '%s\n' "${kfiles[@]}" | grep -E '\.c$' || true)
tools=("$PIPE"/tools/*.[ch])

cd "$SRC"
# checkpatch.  Xen's interface headers (include/xen/interface) keep the
# names of Xen's public headers, which the in-kernel API uses: CamelCase
# states (XenbusStateConnected) and xenstored's error name ENOSYS.  Those
# two checks, and only those, are off for them, and the CamelCase check
# for the list of names their host ABI test compares and for the console,
# which reads start_info's console.domU; the ENOSYS check for the
# console's raw output, which falls back on it to the debug port.
for f in "${ours[@]}" "${tools[@]}"; do
	[ -n "$f" ] || continue
	ign=()
	case $f in
	include/xen/interface/*) ign=(--ignore CAMELCASE,ENOSYS) ;;
	tools/testing/xen/abi_xs_list.h) ign=(--ignore CAMELCASE) ;;
	# start_info's console.domU, Xen's name, which the primary console
	# reads; the console hypercall's -ENOSYS, which the raw output tests.
	drivers/tty/hvc/hvc_xen_cons.c) ign=(--ignore CAMELCASE) ;;
	drivers/tty/hvc/hvc_xen_early.c) ign=(--ignore ENOSYS) ;;
	esac
	if out=$(perl scripts/checkpatch.pl --strict --terse --no-summary --show-types "${ign[@]}" -f "$f" 2>&1) && [ -z "$out" ]; then
		emit ok "checkpatch ${f#$TOP/}"
	else
		emit "not ok" "checkpatch ${f#$TOP/}"
		printf '== checkpatch %s\n%s\n' "$f" "$out" >> "$log"
	fi
done
# kernel-doc
if [ ${#kfiles[@]} -eq 0 ] || [ -z "${kfiles[0]}" ]; then
	emit ok "kernel-doc # SKIP no kernel files of ours yet"
else
	for f in "${kfiles[@]}"; do
		out=$(perl scripts/kernel-doc -none -Wall "$f" 2>&1
		      case "$f" in *.c) python3 "$PIPE/kdoc-coverage.py" "$f" ;; esac; true)
		if [ -z "$out" ]; then emit ok "kernel-doc $f"
		else emit "not ok" "kernel-doc $f"; printf '== kernel-doc %s\n%s\n' "$f" "$out" >> "$log"; fi
	done
fi
# sparse and W=1, one object at a time
if [ ${#kc[@]} -eq 0 ] || [ -z "${kc[0]}" ]; then
	emit ok "sparse-W1 # SKIP no kernel C files of ours yet"
else
	for f in "${kc[@]}"; do
		o=${f%.c}.o
		if [ ! -f "$OBJ/$o" ]; then
			emit ok "sparse-W1 $f # SKIP not built by this config"
			continue
		fi
		touch "$f"
		out=$(make -s -C "$SRC" O="$OBJ" CC="ccache gcc" C=2 W=1 "$o" 2>&1 | grep -E 'warning|error' || true)
		if [ -z "$out" ]; then emit ok "sparse-W1 $f"
		else emit "not ok" "sparse-W1 $f"; printf '== sparse/W=1 %s\n%s\n' "$f" "$out" >> "$log"; fi
	done
fi
# coccinelle, report mode
if [ ${#kc[@]} -eq 0 ] || [ -z "${kc[0]}" ]; then
	emit ok "coccicheck # SKIP no kernel C files of ours yet"
else
	out=""
	for c in $(find scripts/coccinelle -name '*.cocci' | sort); do
		r=$(spatch -D report --very-quiet --no-show-diff --no-includes --include-headers \
			--cocci-file "$c" "${kc[@]}" 2>/dev/null || true)
		[ -z "$r" ] || out+="== $c"$'\n'"$r"$'\n'
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
trap 'rm -rf "$dk"' EXIT
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
