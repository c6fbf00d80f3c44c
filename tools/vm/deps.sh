#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what bulkhead needs on a Debian 12 host, idempotently: build and test packages, the
# bookworm-backports source, the pinned target-kernel packages (downloaded into the build cache,
# never installed into the host system), and the build root of a kernel whose kbuild needs a
# newer toolchain than the host's.
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

# suite_apt SUITE ARGS...: apt-get for a suite the host does not follow (a newer release and its
# backports, for a newer target kernel), with its own configuration and lists under the cache;
# it only ever downloads.
suite_apt() {
	local suite=$1 dir=$CACHE/apt/$1
	shift
	if [ ! -e "$dir/sources.list" ]; then
		mkdir -p "$dir/lists/partial" "$dir/archives/partial"
		: > "$dir/status"
		printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian %s main\n' \
			"${suite%-backports}" "$suite" | sort -u > "$dir/sources.list"
	fi
	apt-get -q -o APT::Sandbox::User=root -o Dir::Etc::SourceList="$dir/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists="$dir/lists" \
		-o Dir::State::Status="$dir/status" -o Dir::Cache::Archives="$dir/archives" \
		-o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null "$@"
}

# missing_debs PACKAGE=VERSION...: those not yet in the cache.
missing_debs() {
	local p ver
	for p in "$@"; do
		ver=${p#*=}
		ls "$debs/${p%%=*}_${ver//:/%3a}_"*.deb >/dev/null 2>&1 || echo "$p"
	done
}

# Packages of the host's suites, through the host's apt.
wanted=$( { for id in $(kernel_ids); do
		case $(kernel_field "$id" 4) in bookworm*) kernel_packages "$id" ;; esac
	done
	for id in source ynl; do echo "$(kernel_field $id 2)=$(kernel_field $id 3)"; done; } )
# shellcheck disable=SC2086
need=$(missing_debs $wanted | xargs)
if [ -n "$need" ]; then
	echo "deps: downloading $need"
	# apt-get download fails when the lists are stale; refresh once and retry.
	# shellcheck disable=SC2086
	(cd "$debs" && apt-get download -q -o APT::Sandbox::User=root $need) ||
		{ apt_update; cd "$debs" && apt-get download -q -o APT::Sandbox::User=root $need; }
fi

# A newer suite's kernels, and the build root their modules are built in.
for id in $(kernel_ids); do
	suite=$(kernel_field "$id" 4)
	case $suite in bookworm*) continue ;; esac
	# shellcheck disable=SC2046
	need=$(missing_debs $(kernel_packages "$id") | xargs)
	if [ -n "$need" ]; then
		echo "deps: downloading from $suite: $need"
		suite_apt "$suite" update -qq
		# shellcheck disable=SC2086
		(cd "$debs" && suite_apt "$suite" download $need)
	fi
	build=$(kernel_build_suite "$id")
	[ -z "$build" ] || "$(dirname "$0")/build-root.sh" "$build"
done
