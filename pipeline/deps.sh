#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Install what the pipeline needs with apt-get; idempotent and fast when all
# is present.  Reports every pinned package whose installed version differs
# from versions.conf.
. "$(dirname "$0")/lib.sh"

want=$( (awk '!/^#/ && NF { print $1 }' "$PIPE/versions.conf"; \
	 awk '!/^#/ && NF { print $1 }' "$PIPE/packages.txt") | sort -u)

missing=()
for p in $want; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$st" = "install ok installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
	[ "$(id -u)" = 0 ] || die "missing packages (${missing[*]}) and not root: cannot apt-get"
	log "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null
	apt-get install -y -q --no-install-recommends "${missing[@]}" >"${TMPDIR:-/tmp}/xenpv-apt.log" 2>&1 ||
		{ tail -30 "${TMPDIR:-/tmp}/xenpv-apt.log"; die "apt-get install failed"; }
fi

mismatch=0
while read -r p v; do
	case "$p" in ''|'#'*) continue ;; esac
	have=$(installed_version "$p")
	if [ "$have" != "$v" ]; then
		printf 'VERSION MISMATCH: %s is %s, pinned %s (pipeline/versions.conf)\n' "$p" "${have:-absent}" "$v" >&2
		mismatch=1
	fi
done < "$PIPE/versions.conf"
[ $mismatch = 0 ] && log "deps: all pinned versions present" || log "deps: continuing with the versions Debian serves"
exit 0
