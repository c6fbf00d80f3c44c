#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unpack the pieces of the pinned linux-source package that the build borrows at build time:
# the kselftest harness headers, checkpatch, and the tools/ tree for resolve_btfids.
# They live under build/src/linux and are never committed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

dst=$(source_dir)
stamp=$dst/.unpacked-$(kernel_field source 3)
[ -e "$stamp" ] && exit 0

pkg=$(kernel_field source 2)
deb=$(ls "$CACHE/debs/${pkg}_$(kernel_field source 3)_"*.deb 2>/dev/null) ||
	die "$pkg is not in $CACHE/debs; run tools/vm/deps.sh"
rm -rf "$dst" "$BUILD/src/deb"
mkdir -p "$dst" "$BUILD/src/deb"
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$BUILD/src/deb" --wildcards './usr/src/linux-source-*.tar.xz'
tarball=$(ls "$BUILD"/src/deb/usr/src/linux-source-*.tar.xz)
top=$(basename "$tarball" .tar.xz)
echo "linux-source: unpacking tools/ and checkpatch from $(basename "$tarball")"
tar -xJf "$tarball" -C "$dst" --strip-components=1 \
	"$top/tools" "$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
	"$top/scripts/const_structs.checkpatch" "$top/scripts/bpf_doc.py"
rm -rf "$BUILD/src/deb"
touch "$stamp"
