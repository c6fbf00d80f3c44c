#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lay out a private copy of one target kernel under build/kernels/ID/root: its image, modules
# and headers, made able to build modules with BTF (the host's /usr/src is never touched).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

id=${1:?usage: kernel-tree.sh KERNEL-ID}
# The debug kernel is built from source, not unpacked from Debian's packages.
[ "$id" != debug ] || exec "$(dirname "$0")/debug-kernel.sh"
rel=$(kernel_field "$id" 2)
ver=$(kernel_field "$id" 3)
root=$(kernel_root "$id")
kdir=$(kernel_kdir "$id")
# Made again when the version or this script changes.
stamp=$root/.ready-$ver-$(cat "$0" "$(dirname "$0")/checker-valid.sh" | sha256sum | cut -c1-12)
[ -e "$stamp" ] && exit 0

rm -rf "$root"
mkdir -p "$root"
for p in $(kernel_packages "$id"); do
	deb=$(ls "$CACHE/debs/${p%%=*}_${ver}_"*.deb 2>/dev/null) ||
		die "${p%%=*} $ver is not in $CACHE/debs; run tools/vm/deps.sh"
	dpkg-deb -x "$deb" "$root"
done

# From 7.x Debian's packages have the merged-/usr layout (modules in /usr/lib/modules) and keep
# the image beside them; give the copy the paths the image builder and QEMU use for every kernel.
if [ -d "$root/usr/lib/modules" ] && [ ! -e "$root/lib" ]; then
	ln -s usr/lib "$root/lib"
fi
if [ ! -e "$root/boot/vmlinuz-$rel" ]; then
	mkdir -p "$root/boot"
	ln -s "../usr/lib/modules/$rel/vmlinuz.unsigned" "$root/boot/vmlinuz-$rel"
fi

# The arch headers Makefile includes the common tree (and from 7.x names its own directory as
# KBUILD_OUTPUT) by absolute path; point both at our copy.
sed -i -e "s|^include /usr/src/|include $root/usr/src/|" \
	-e "s|^KBUILD_OUTPUT=/usr/src/|KBUILD_OUTPUT=$root/usr/src/|" "$kdir/Makefile"

# 7.x's Makefile asks scripts/checker-valid.sh before running sparse, which its headers package
# does not ship ("make lint" would check nothing): give the tree our own.
common=$(sed -n "s|^include $root/usr/src/\([^/]*\)/Makefile|\1|p" "$kdir/Makefile")
if [ -n "$common" ] && grep -qs 'checker-valid.sh' "$root/usr/src/$common/Makefile" &&
	[ ! -e "$root/usr/src/$common/scripts/checker-valid.sh" ]; then
	install -m 755 "$(dirname "$0")/checker-valid.sh" "$root/usr/src/$common/scripts/"
fi

# Module BTF needs the vmlinux BTF base and resolve_btfids. 6.12 headers ship both; for 6.1 the
# vmlinux is unpacked from the bzImage (LZ4 legacy payload) and resolve_btfids built from source.
if [ ! -e "$kdir/vmlinux" ]; then
	bz=$root/boot/vmlinuz-$rel
	setup_sects=$(od -An -tu1 -j $((0x1f1)) -N1 "$bz" | tr -d ' ')
	read -r off len < <(od -An -tu4 -j $((0x248)) -N8 "$bz")
	start=$(( (setup_sects + 1) * 512 + off ))
	magic=$(od -An -tx1 -j "$start" -N4 "$bz" | tr -d ' ')
	[ "$magic" = 02214c18 ] || die "$bz: payload is not LZ4 legacy (magic $magic)"
	tail -c +$((start + 1)) "$bz" | head -c "$len" | lz4 -dc > "$kdir/vmlinux" 2>/dev/null || true
	# Not grep -q: under pipefail an early exit would fail readelf with SIGPIPE.
	readelf -S "$kdir/vmlinux" | grep '\.BTF' > /dev/null || die "$bz: unpacked vmlinux has no .BTF"
fi
btfids=$kdir/tools/bpf/resolve_btfids/resolve_btfids
if [ ! -x "$btfids" ]; then
	"$(dirname "$0")/linux-source.sh"
	src=$(source_dir)
	echo "kernel-tree: building resolve_btfids for $id"
	mkdir -p "$BUILD/src/resolve_btfids"
	make -s -C "$src/tools/bpf/resolve_btfids" OUTPUT="$BUILD/src/resolve_btfids/" >/dev/null
	# kdir/tools is a symlink into the private kbuild package copy.
	mkdir -p "$(dirname "$btfids")"
	cp "$BUILD/src/resolve_btfids/resolve_btfids" "$btfids"
fi
# The packages ship no modules.dep; the VM image builder resolves module dependencies with it.
depmod -b "$root" "$rel"
touch "$stamp"
