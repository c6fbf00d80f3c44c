#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what bulkhead needs on a Debian 12 host, idempotently: build and test packages, the
# bookworm-backports source, and the pinned target-kernel packages (downloaded into the build
# cache, never installed into the host system).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

HOST_PACKAGES="build-essential gcc-12 clang llvm libbpf-dev bpftool libnl-3-dev libnl-genl-3-dev
libkmod-dev kmod dwarves lz4 busybox-static cpio qemu-system-x86 iproute2 sparse python3-yaml
libelf-dev zlib1g-dev pkg-config xz-utils flex bison bc perl stress-ng socat libssl-dev python3-jsonschema
libmagic-dev libclang-rt-14-dev auditd
debhelper dh-dkms dkms lintian pandoc mmdebstrap e2fsprogs bash-completion"
BACKPORTS=/etc/apt/sources.list.d/bookworm-backports.sources

updated=
apt_update() {
	[ -n "$updated" ] && return
	echo "deps: apt-get update"
	apt-get update -qq
	updated=1
}

[ "$(id -u)" = 0 ] || die "must run as root to install packages"

if [ ! -e "$BACKPORTS" ] && ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d; then
	echo "deps: adding $BACKPORTS"
	cat > "$BACKPORTS" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	apt_update
fi

missing=
for p in $HOST_PACKAGES; do
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] || missing="$missing $p"
done
if [ -n "$missing" ]; then
	apt_update
	echo "deps: installing$missing"
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
fi

debs=$CACHE/debs
mkdir -p "$debs"
wanted=$( { for id in $(kernel_ids); do kernel_packages "$id"; done
	for id in source ynl; do echo "$(kernel_field $id 2)=$(kernel_field $id 3)"; done; } )
need=
for p in $wanted; do
	name=${p%%=*} ver=${p#*=}
	ls "$debs/${name}_${ver//:/%3a}_"*.deb >/dev/null 2>&1 || need="$need $p"
done
if [ -n "$need" ]; then
	echo "deps: downloading$need"
	# apt-get download fails when the lists are stale; refresh once and retry.
	# shellcheck disable=SC2086
	(cd "$debs" && apt-get download -q -o APT::Sandbox::User=root $need) ||
		{ apt_update; cd "$debs" && apt-get download -q -o APT::Sandbox::User=root $need; }
fi
