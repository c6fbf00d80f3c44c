# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the build and VM scripts: paths and the pinned kernel list.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-$TOP/build}
CACHE=$BUILD/cache
KERNELS_LIST=$TOP/tools/vm/kernels.list

die() { echo "$(basename "$0"): $*" >&2; exit 1; }

# kernel_field ID COLUMN: one column (2=release 3=version 4=suite 5=kbuild) of kernels.list
kernel_field() {
	awk -v id="$1" -v col="$2" '!/^#/ && $1 == id { print $col; found=1 } END { exit !found }' \
		"$KERNELS_LIST" || die "unknown kernel id '$1' (see $KERNELS_LIST)"
}

# Target kernels: the lines with a kbuild package (the linux-source lines have "-").
kernel_ids() { awk '!/^#/ && NF && $5 != "-" { print $1 }' "$KERNELS_LIST"; }

# Debian package names that make up one target kernel (image, headers, common headers, kbuild).
kernel_packages() {
	local rel ver
	rel=$(kernel_field "$1" 2) ver=$(kernel_field "$1" 3)
	echo "linux-image-$rel-unsigned=$ver"
	echo "linux-headers-$rel=$ver"
	echo "linux-headers-${rel%-cloud-amd64}-common=$ver"
	echo "$(kernel_field "$1" 5)=$ver"
}

# The debug kernel ("make check-debug") is no kernels.list line and no make check target: it is
# built from the "ynl" line's linux-source (tools/vm/debug-kernel.sh), its release known once
# built, its module build tree the kernel's own build directory.
kernel_release() {
	if [ "$1" = debug ]; then
		cat "$BUILD/kernels/debug/release" 2>/dev/null ||
			die "the debug kernel is not built; run tools/vm/debug-kernel.sh"
	else
		kernel_field "$1" 2
	fi
}

kernel_root() { echo "$BUILD/kernels/$1/root"; }
kernel_kdir() {
	if [ "$1" = debug ]; then
		echo "$BUILD/kernels/debug/obj"
	else
		echo "$(kernel_root "$1")/usr/src/linux-headers-$(kernel_field "$1" 2)"
	fi
}
source_dir() { echo "$BUILD/src/linux"; }

# unpack_linux_source ID DEST [PATH...]: unpack PATHs (by default the whole tree) of the
# linux-source package of kernels.list line ID into DEST, once per package version
# (DEST/.unpacked-VERSION). Never committed.
unpack_linux_source() {
	local id=$1 dst=$2 pkg ver deb tarball top
	shift 2
	pkg=$(kernel_field "$id" 2) ver=$(kernel_field "$id" 3)
	[ -e "$dst/.unpacked-$ver" ] && return 0
	deb=$(ls "$CACHE/debs/${pkg}_${ver//:/%3a}_"*.deb 2>/dev/null) ||
		die "$pkg is not in $CACHE/debs; run tools/vm/deps.sh"
	rm -rf "$dst" "$dst.deb"
	mkdir -p "$dst" "$dst.deb"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dst.deb" --wildcards './usr/src/linux-source-*.tar.xz'
	tarball=$(ls "$dst.deb"/usr/src/linux-source-*.tar.xz)
	top=$(basename "$tarball" .tar.xz)
	echo "linux-source: unpacking ${*:-everything} from $(basename "$tarball")"
	tar -xJf "$tarball" -C "$dst" --strip-components=1 "${@/#/$top/}"
	rm -rf "$dst.deb"
	touch "$dst/.unpacked-$ver"
}
