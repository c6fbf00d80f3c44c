#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The build root of one Debian suite (kernels.list column 6): a minimal system made by
# mmdebstrap from Debian's archive with the toolchain its kernels' kbuild wants, in which
# kbuild_make (lib.sh) builds and checks the module for those kernels. Cached under
# build/build-root/SUITE until this script changes; never committed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

suite=${1:?usage: build-root.sh SUITE}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
# gcc-14 and make for kbuild, pahole for module BTF, and the libraries the kbuild package's
# host programs (modpost, resolve_btfids) link with.
PACKAGES="gcc-14 make libc6-dev pahole libelf1t64 libssl3t64 zlib1g"
# pahole dedups the module's BTF against vmlinux with libbpf. trixie's libbpf 1.5 does it badly
# against 7.x vmlinux BTF (struct file and friends come out twice, and the verifier then refuses
# bulkhead's kfunc calls as taking the wrong type), so libbpf comes from the next suite. The
# archive's copy of a testing suite can outlive its Release file's Valid-Until; the packages are
# still checked against the signed Release. sparse for "make lint" comes from there too: trixie's
# 0.6.4 cannot parse 7.x headers (__typeof_unqual__).
NEWER=forky
FROM_NEWER="libbpf1 sparse"

root=$(build_root "$suite")
key=$(sha256sum "$0" | cut -d' ' -f1)
[ "$(cat "$root.key" 2>/dev/null)" = "$key" ] && [ -x "$root/usr/bin/make" ] && exit 0
echo "build-root: making the $suite build root with mmdebstrap (cached in $root)"
rm -rf "$root" "$root.key"
mkdir -p "$(dirname "$root")"
# shellcheck disable=SC2086
if ! mmdebstrap --variant=minbase --include="$(echo $PACKAGES | tr ' ' ,)" \
	--setup-hook="echo 'deb [check-valid-until=no] $MIRROR $NEWER main' > \"\$1/etc/apt/sources.list.d/newer.list\"" \
	--setup-hook="printf 'Package: *\nPin: release n=$NEWER\nPin-Priority: 100\n' > \"\$1/etc/apt/preferences.d/newer\"" \
	--customize-hook="chroot \"\$1\" apt-get install -y -qq -t $NEWER $FROM_NEWER" \
	--customize-hook='chroot "$1" apt-get clean' \
	"$suite" "$root" "$MIRROR" > "$root.log" 2>&1; then
	tail -30 "$root.log" >&2
	die "mmdebstrap of the $suite build root failed (log: $root.log)"
fi
echo "$key" > "$root.key"
