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

kernel_ids() { awk '!/^#/ && NF && $1 != "source" { print $1 }' "$KERNELS_LIST"; }

# Debian package names that make up one target kernel (image, headers, common headers, kbuild).
kernel_packages() {
	local rel ver
	rel=$(kernel_field "$1" 2) ver=$(kernel_field "$1" 3)
	echo "linux-image-$rel-unsigned=$ver"
	echo "linux-headers-$rel=$ver"
	echo "linux-headers-${rel%-cloud-amd64}-common=$ver"
	echo "$(kernel_field "$1" 5)=$ver"
}

kernel_root() { echo "$BUILD/kernels/$1/root"; }
kernel_kdir() { echo "$(kernel_root "$1")/usr/src/linux-headers-$(kernel_field "$1" 2)"; }
source_dir() { echo "$BUILD/src/linux"; }
