#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build bulkhead.ko for one target kernel in build/kmod/ID (a mirror of the sources, so the two
# kernels' objects never mix), and refuse a module without BTF: kfuncs need module BTF.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

id=${1:?usage: build-kmod.sh KERNEL-ID}
"$(dirname "$0")/kernel-tree.sh" "$id"
out=$BUILD/kmod/$id
mkdir -p "$out"
cp -rsf "$TOP/kmod" "$TOP/include" "$TOP/Kbuild" "$out/"
# The code and uapi header generated from the netlink spec (tools/vm/ynl.sh), among the rest.
[ -e "$BUILD/gen/stamp" ] || die "the netlink code is not generated; run tools/vm/ynl.sh"
cp -rsf "$BUILD/gen/kmod" "$BUILD/gen/include" "$out/"
log=$out/build.log
echo "  KMOD    $id"
if ! kbuild_make "$id" M="$out" modules > "$log" 2>&1; then
	cat "$log" >&2
	die "module build for $id failed"
fi
# resolve_btfids says "WARN: resolve_btfids: unresolved symbol" when a kfunc is missing from the
# BTF; the module would load and then refuse the BPF programs that call it.
grep -iE 'warning|^WARN' "$log" >&2 && die "module build for $id has warnings (see $log)"
grep -q 'Skipping BTF generation' "$log" && die "module BTF was skipped for $id (see $log)"
# Not grep -q: under pipefail an early exit would fail readelf with SIGPIPE.
readelf -S "$out/bulkhead.ko" | grep '\.BTF' > /dev/null || die "$out/bulkhead.ko has no .BTF section"
exit 0
