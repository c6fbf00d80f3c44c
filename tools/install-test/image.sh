#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The install test's disk: a copy of the cached stock trixie system (base-image.sh) on which
# apt installs the two packages from build/deb as a user would ("apt install ./bulkhead*.deb"),
# so DKMS builds the module for the stock kernel there, plus the test's policy (the diode
# example with its path bindings), files and units; then an ext4 image of it, and the
# kernel and initrd QEMU boots.
set -euo pipefail
. "$(dirname "$0")/../vm/lib.sh"

here=$(dirname "$0")
out=$BUILD/install-test
root=$out/root
version=$(dpkg-parsechangelog -l "$TOP/debian/changelog" -S Version)
debs="$BUILD/deb/bulkhead_${version}_amd64.deb $BUILD/deb/bulkhead-dkms_${version}_all.deb"
for d in $debs; do [ -e "$d" ] || die "$d is missing: run make deb"; done

unmount() {
	local m
	for m in dev/pts dev proc sys; do umount "$root/$m" 2>/dev/null || true; done
}
trap unmount EXIT
unmount
rm -rf "$root" && mkdir -p "$root"
tar -C "$root" -xf "$out/trixie-base.tar"
mount --bind /dev "$root/dev" && mount --bind /dev/pts "$root/dev/pts"
mount -t proc proc "$root/proc" && mount -t sysfs sys "$root/sys"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mkdir -p "$root/tmp/debs" && cp $debs "$root/tmp/debs/"
# mmdebstrap leaves no package lists; apt fetches the dependencies as on any host.
chroot "$root" apt-get update -qq > "$out/apt-install.log" 2>&1 ||
	{ tail "$out/apt-install.log" >&2; die "apt-get update in the image failed"; }
echo "install-test: apt install ./bulkhead_${version}_amd64.deb ./bulkhead-dkms_${version}_all.deb"
if ! chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y \
		/tmp/debs/bulkhead_${version}_amd64.deb /tmp/debs/bulkhead-dkms_${version}_all.deb \
		>> "$out/apt-install.log" 2>&1; then
	tail -30 "$out/apt-install.log" >&2
	die "apt install in the image failed (log: $out/apt-install.log)"
fi
rm -rf "$root/tmp/debs"
kver=$(ls "$root/lib/modules" | sort -V | tail -1)
echo "$kver" > "$out/kernel-release"

# The test's policy: the diode example with the bindings a fresh system has (paths; no
# cgroups or interfaces yet at boot).
mkdir -p "$root/srv/low" "$root/srv/high"
echo "low's data" > "$root/srv/low/data"
echo "high's secret" > "$root/srv/high/secret"
grep -Ev '^\s*(cgroup|netdev) ' "$root/usr/share/doc/bulkhead/examples/diode.bh" > "$root/etc/bulkhead/policy.bh"
sed -i 's/^#mode=enforce/mode=enforce/' "$root/etc/bulkhead/bulkhead.conf"
install -m 0755 "$here/guest-check.sh" "$root/usr/local/sbin/bulkhead-e2e"
install -m 0644 "$here/e2e-early.service" "$root/etc/systemd/system/bulkhead-e2e-early.service"
install -m 0644 "$here/e2e.service" "$root/etc/systemd/system/bulkhead-e2e.service"
chroot "$root" systemctl enable bulkhead-e2e-early.service bulkhead-e2e.service > /dev/null 2>&1
# No login prompt needed; nothing waits for a network.
chroot "$root" systemctl mask serial-getty@ttyS1.service > /dev/null 2>&1 || true
: > "$root/etc/resolv.conf"
cp "$root/boot/vmlinuz-$kver" "$out/vmlinuz"
cp "$root/boot/initrd.img-$kver" "$out/initrd.img"
unmount
trap - EXIT
rm -f "$out/disk.img"
mke2fs -q -t ext4 -L root -d "$root" "$out/disk.img" 4G
