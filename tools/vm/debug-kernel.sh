#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the debug kernel of "make check-debug" (KASAN, lockdep, UBSAN, kmemleak, ...) from the
# pinned linux-source package of the "ynl" line of kernels.list and tools/vm/debug.config, in
# build/kernels/debug: src (the unpacked tree), obj (the build tree bulkhead.ko is built
# against) and root (boot/vmlinuz-RELEASE and lib/modules/RELEASE, as for the Debian kernels).
# Rebuilt only when the fragment or the package version changes; never committed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

fragment=$TOP/tools/vm/debug.config
dir=$BUILD/kernels/debug
src=$dir/src
obj=$(kernel_kdir debug)
root=$(kernel_root debug)
key="$(kernel_field ynl 3) $(sha256sum < "$fragment" | cut -c1-16)"
[ "$(cat "$dir/built" 2>/dev/null)" = "$key" ] && exit 0

unpack_linux_source ynl "$src"
rm -f "$dir/built"
mkdir -p "$obj"
# ARCH=x86_64 so that allnoconfig keeps a 64-bit kernel (with ARCH=x86, 64BIT is a question).
kmake() { make -s -C "$src" O="$obj" ARCH=x86_64 "$@"; }

# allnoconfig is the smallest base; olddefconfig then gives what the fragment turns on its
# defaults (the sanitizers' sub-checks among them) without reopening what allnoconfig said no to.
kmake allnoconfig
"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$fragment" > /dev/null
kmake olddefconfig
# A line Kconfig dropped (a dependency missing) would silently weaken the kernel.
lost=$(grep -E '^(CONFIG_|# CONFIG_)' "$fragment" | grep -vxF -f "$obj/.config" || true)
[ -z "$lost" ] || die "not in the final .config (a dependency is missing): $lost"

log=$dir/build.log
echo "debug-kernel: building (log in $log)"
start=$(date +%s)
# Other engineers share the CPUs: the build yields to them.
if ! nice -n 19 make -C "$src" O="$obj" ARCH=x86_64 -j"$(nproc)" bzImage modules > "$log" 2>&1; then
	tail -n 40 "$log" >&2
	die "kernel build failed (see $log)"
fi
echo "debug-kernel: built in $(( $(date +%s) - start )) s"
# Known only now: the build writes it with CONFIG_LOCALVERSION applied.
rel=$(cat "$obj/include/config/kernel.release")

rm -rf "$root"
mkdir -p "$root/boot"
kmake INSTALL_MOD_PATH="$root" modules_install > /dev/null
cp "$obj/arch/x86/boot/bzImage" "$root/boot/vmlinuz-$rel"
echo "$rel" > "$dir/release"
echo "$key" > "$dir/built"
