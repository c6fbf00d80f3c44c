# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the build and VM scripts: paths and the pinned kernel list.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-$TOP/build}
CACHE=$BUILD/cache
KERNELS_LIST=$TOP/tools/vm/kernels.list

die() { echo "$(basename "$0"): $*" >&2; exit 1; }

# kernel_field ID COLUMN: one column (2=release 3=version 4=suite 5=kbuild 6=build root) of
# kernels.list
kernel_field() {
	awk -v id="$1" -v col="$2" '!/^#/ && $1 == id { print $col; found=1 } END { exit !found }' \
		"$KERNELS_LIST" || die "unknown kernel id '$1' (see $KERNELS_LIST)"
}

# Target kernels: the lines with a kbuild package (the linux-source lines have "-").
kernel_ids() { awk '!/^#/ && NF && $5 != "-" { print $1 }' "$KERNELS_LIST"; }

# Debian package names that make up one target kernel (image, modules, headers, common headers,
# kbuild). Bookworm's kernels are one linux-image package; from trixie's backports on (7.x),
# Debian splits it into linux-binary (the image), linux-modules and linux-base.
kernel_packages() {
	local rel ver
	rel=$(kernel_field "$1" 2) ver=$(kernel_field "$1" 3)
	case $(kernel_field "$1" 4) in
	bookworm*) echo "linux-image-$rel-unsigned=$ver" ;;
	*) echo "linux-binary-unsigned-$rel=$ver linux-modules-$rel=$ver linux-base-$rel=$ver" |
		tr ' ' '\n' ;;
	esac
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

# The Debian suite of the build root whose toolchain builds modules for kernel ID, empty when
# the host's own does ("-"): a newer kernel's kbuild wants a newer compiler and C library than
# Debian 12 has (7.3: gcc-14, glibc >= 2.38). tools/vm/build-root.sh makes it.
kernel_build_suite() {
	local s
	[ "$1" = debug ] && return 0
	s=$(kernel_field "$1" 6)
	[ "$s" = - ] || echo "$s"
}
build_root() { echo "$BUILD/build-root/$1"; }

# kbuild_make ID ARGS...: make in kernel ID's build tree, inside its build root if it has one:
# a private mount namespace (gone when make ends) in which the repository and build/ are seen at
# their own paths, so every path kbuild writes means the same inside and out. PAHOLE: Debian's
# 7.x kernels need the module BTF made without pahole's consistent_func check (dkms-pahole).
kbuild_make() {
	local id=$1 suite broot
	shift
	suite=$(kernel_build_suite "$id")
	if [ -z "$suite" ]; then
		make -C "$(kernel_kdir "$id")" "$@"
		return
	fi
	broot=$(build_root "$suite")
	[ -x "$broot/usr/bin/make" ] || die "the $suite build root is not made; run tools/vm/deps.sh"
	unshare -m -- /bin/sh -euc '
		broot=$1 top=$2 build=$3
		shift 3
		for d in "$top" "$build"; do
			mkdir -p "$broot$d"
			mount --bind "$d" "$broot$d"
		done
		mount -t proc proc "$broot/proc"
		exec chroot "$broot" /usr/bin/env PATH=/usr/bin:/bin "$@"' \
		sh "$broot" "$TOP" "$(readlink -f "$BUILD")" make -C "$(kernel_kdir "$id")" \
		PAHOLE="$TOP/tools/dkms/dkms-pahole" "$@"
}
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
