#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the initramfs for one target kernel from the host's binaries: busybox, kmod, iproute2,
# bpftool, stress-ng, socat, python3 and the kernel's YNL client, the bulkhead CLI and selftests
# (with their shared libraries), the
# kernel modules the tests need, and bulkhead.ko installed where "bulkhead load" finds it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

id=${1:?usage: mkinitramfs.sh KERNEL-ID}
"$(dirname "$0")/kernel-tree.sh" "$id"
rel=$(kernel_release "$id")
kroot=$(kernel_root "$id")
out=$BUILD/vm/$id
root=$out/root
# Kernel modules the selftests use, resolved with their dependencies.
KMODS="veth nf_socket_ipv4 nf_socket_ipv6"
# dash is /bin/sh: busybox's shell runs its own applets (ip, modprobe) ahead of PATH.
# stress-ng drives the stress scenario; socat is the scenarios' UDP sender and receiver (busybox
# nc speaks TCP only).
HOST_BINS="/bin/busybox /bin/dash /usr/bin/kmod /bin/ip /usr/sbin/bpftool /usr/bin/stress-ng
/usr/bin/socat"

echo "  INITRD  $id"
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run,root,selftests} \
	"$root/lib/modules/$rel/extra"

# Copy a host binary into the image (at DEST, by default its own path) with its libraries.
add_binary() {
	local f lib
	f=$(readlink -f "$1")
	install -D -m 0755 "$f" "$root${2:-$1}"
	for lib in $(ldd "$f" 2>/dev/null | awk '/=> \// { print $3 } /^\t\/[^ ]+ \(/ { print $1 }'); do
		[ -e "$root$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
	done
}

for b in $HOST_BINS; do
	add_binary "$b"
done
ln -s dash "$root/bin/sh"
for applet in $(/bin/busybox --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
for tool in modprobe insmod rmmod lsmod depmod modinfo; do
	ln -sf /usr/bin/kmod "$root/sbin/$tool"
done

add_binary "$BUILD/tools/bulkhead" /usr/sbin/bulkhead
# The exchange guard decides file types by content with libmagic, which needs its database.
install -D -m 0644 "$(readlink -f /usr/lib/file/magic.mgc)" "$root/usr/share/misc/magic.mgc"
shopt -s nullglob
for t in "$BUILD"/selftests/*_test "$BUILD"/selftests/*_bench "$BUILD"/selftests/*_probe; do
	add_binary "$t" "/selftests/$(basename "$t")"
done
cp "$TOP"/selftests/*.sh "$root/selftests/"
install -d "$root/etc/bulkhead/examples"
cp "$TOP"/examples/*.bh "$root/etc/bulkhead/examples/"

# The kernel's YNL client (ynl_scenario.sh drives bulkhead with it through its spec): Debian's
# python3 with the standard library (less what no script here imports) and PyYAML, and
# tools/net/ynl from build/src/ynl (tools/vm/ynl.sh).
add_binary /usr/bin/python3.11 /usr/bin/python3
pystd=/usr/lib/python3.11
py_unused=('config-*' test idlelib tkinter ensurepip lib2to3 pydoc_data distutils turtledemo
	asyncio email multiprocessing xml unittest http concurrent curses dbm sqlite3 wsgiref xmlrpc
	html tomllib venv zoneinfo ctypes)
tar -C / -c "${py_unused[@]/#/--exclude=${pystd#/}/}" "${pystd#/}" \
	usr/lib/python3/dist-packages/yaml usr/lib/python3/dist-packages/_yaml | tar -C "$root" -x
for so in "$root$pystd"/lib-dynload/*.so "$root"/usr/lib/python3/dist-packages/yaml/*.so; do
	for lib in $(ldd "$so" 2>/dev/null | awk '/=> \// { print $3 }'); do
		[ -e "$root$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
	done
done
install -d "$root/usr/lib/ynl"
cp -r "$BUILD/src/ynl/tools/net/ynl/cli.py" "$BUILD/src/ynl/tools/net/ynl/lib" "$root/usr/lib/ynl/"
install -m 0644 "$TOP/docs/netlink/bulkhead.yaml" "$root/usr/lib/ynl/bulkhead.yaml"

# Kernel modules: the ones the tests need (from the pinned kernel package) and bulkhead.ko.
moddir=$kroot/lib/modules/$rel
for m in $KMODS; do
	deps=$(modprobe -d "$kroot" -S "$rel" --show-depends "$m") || die "kernel module $m not found"
	for f in $(echo "$deps" | awk '/^insmod/ { print $2 }'); do
		install -D -m 0644 "$f" "$root${f#"$kroot"}"
	done
done
cp "$moddir"/modules.{order,builtin,builtin.modinfo} "$root/lib/modules/$rel/" 2>/dev/null || true
install -m 0644 "$BUILD/kmod/$id/bulkhead.ko" "$root/lib/modules/$rel/extra/"
depmod -b "$root" "$rel"

# The debug kernel's selftests wait longer (tools/vm/slow_alarm.c, selftests/run.sh).
[ "$id" != debug ] || install -D -m 0755 "$BUILD/vm/slow_alarm.so" "$root/usr/lib/bulkhead/slow_alarm.so"
install -m 0755 "$TOP/tools/vm/init" "$root/init"
echo "root:x:0:0:root:/root:/bin/sh" > "$root/etc/passwd"
echo "nobody:x:65534:65534:nobody:/:/bin/false" >> "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"

(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1) > "$out/initramfs.cpio.gz"
