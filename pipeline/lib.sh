# SPDX-License-Identifier: GPL-2.0-only
# Shared settings and helpers for the pipeline scripts.  Source it; do not run it.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PIPE="$TOP/pipeline"
B=${B:-$TOP/build}
BASE_DIR="$B/base"           # pristine unpacked linux-source-6.12, reused
SRC="$B/src"                 # base + our overlay + our patches
OBJ="$B/obj"                 # O= build directory of our kernel
OUT="$B/out"                 # images, initramfs, disks, logs of a run
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache-xenpv}
export CCACHE_BASEDIR="$B"
export CCACHE_SLOPPINESS=time_macros,include_file_mtime,include_file_ctime
export CCACHE_NOHASHDIR=1
export KBUILD_BUILD_TIMESTAMP='2024-01-01'
export KBUILD_BUILD_USER=xenpv KBUILD_BUILD_HOST=ci
JOBS=${JOBS:-2}

# Paths of ours that lie over the base.
OVERLAY_PATHS="arch drivers include tools Documentation MAINTAINERS"

log()  { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die()  { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# pinned NAME -> pinned version from versions.conf
pinned() { awk -v p="$1" '$1 == p { print $2 }' "$PIPE/versions.conf"; }

installed_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || true; }

# The stock Debian kernel: version string and paths.
stock_kver() {
	local v
	v=$(dpkg-query -W -f='${Depends}' linux-image-6.12-amd64 | sed -n 's/^linux-image-\([^ ]*\) .*/\1/p')
	[ -n "$v" ] || die "cannot tell which kernel linux-image-6.12-amd64 depends on"
	echo "$v"
}

# now_s: seconds since the epoch with a fraction
now_s() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now_s)" 'BEGIN { printf "%.1f", b - a }'; }
