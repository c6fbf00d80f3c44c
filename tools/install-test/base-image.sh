#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The stock Debian system the install test puts the packages on: a trixie root made by mmdebstrap
# from Debian's archive with the stock cloud kernel and its headers, systemd as PID 1 and dkms,
# as a tarball under build/install-test, cached until this script or the suite changes. The
# packages under test are never in it: image.sh installs them on a copy.
set -euo pipefail
. "$(dirname "$0")/../vm/lib.sh"

SUITE=${SUITE:-trixie}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
# What a user's host has before "apt install ./bulkhead*.deb": a kernel, its headers, dkms
# (which brings the compiler), systemd, and apt to install and purge with.
PACKAGES="systemd-sysv udev kmod apt dkms linux-image-cloud-amd64 linux-headers-cloud-amd64
ifupdown iproute2 procps"

out=$BUILD/install-test
base=$out/$SUITE-base.tar
key=$out/$SUITE-base.key
want=$(cat "$0" | sha256sum | cut -d' ' -f1)-$SUITE
mkdir -p "$out"
if [ -s "$base" ] && [ "$(cat "$key" 2>/dev/null)" = "$want" ]; then
	exit 0
fi
echo "install-test: building the $SUITE base system with mmdebstrap (cached in $base)"
rm -f "$base" "$key"
# shellcheck disable=SC2086
mmdebstrap --variant=apt --include="$(echo $PACKAGES | tr ' ' ,)" \
	--customize-hook='echo bulkhead-test > "$1/etc/hostname"' \
	--customize-hook='printf "/dev/vda / ext4 rw,errors=remount-ro 0 1\n" > "$1/etc/fstab"' \
	--customize-hook='chroot "$1" passwd -d root' \
	--customize-hook='printf "auto lo\niface lo inet loopback\n" > "$1/etc/network/interfaces"' \
	--format=tar "$SUITE" "$base.part" "$MIRROR" > "$out/$SUITE-base.log" 2>&1 ||
	{ tail -30 "$out/$SUITE-base.log" >&2; die "mmdebstrap of $SUITE failed (log: $out/$SUITE-base.log)"; }
mv "$base.part" "$base"
echo "$want" > "$key"
