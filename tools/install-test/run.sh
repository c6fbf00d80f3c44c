#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check-install: the packages from build/deb installed by apt on a stock Debian 13 system
# (DKMS building the module for its stock kernel), booted twice in QEMU (TCG) with systemd;
# guest-check.sh checks from inside. Prints numbered TAP lines and ends with one line
# "N passed, N failed, N skipped"; exits non-zero on any failure.
# VM_LOCK (a file) is flock'ed around the QEMU run; no VM starts while NO_VMS (a file) exists.
set -uo pipefail
. "$(dirname "$0")/../vm/lib.sh"

here=$(dirname "$0")
out=$BUILD/install-test
start=$(date +%s)
n=0 passed=0 failed=0
tap() {		# tap ok|not-ok DESCRIPTION [REASON]
	n=$((n + 1))
	if [ "$1" = ok ]; then
		passed=$((passed + 1)); echo "ok $n - $2"
	else
		failed=$((failed + 1)); echo "not ok $n - $2${3:+ # $3}"
	fi
}
finish() {
	echo "1..$n"
	echo "check-install: $(( $(date +%s) - start )) s; console: $out/console.log"
	echo "$passed passed, $failed failed, 0 skipped"
	[ "$failed" = 0 ]
	exit
}

tap ok "make deb built bulkhead and bulkhead-dkms, lintian found no error"
"$here/base-image.sh" || { tap not-ok "the trixie base system (mmdebstrap)"; finish; }
if "$here/image.sh"; then
	tap ok "apt installed both packages on stock Debian 13"
else
	tap not-ok "apt installed both packages on stock Debian 13" \
		"$(grep -h 'bulkhead-dkms: not building' "$out/apt-install.log" | tail -1) see $out/apt-install.log"
	finish
fi
kver=$(cat "$out/kernel-release")
if [ -e "$out/root/lib/modules/$kver/updates/dkms/bulkhead.ko" ] ||
   [ -n "$(ls "$out/root/lib/modules/$kver/updates/dkms/"bulkhead.ko* 2>/dev/null)" ]; then
	tap ok "DKMS built bulkhead.ko for the stock kernel $kver"
else
	why=$(grep -h 'bulkhead-dkms: not building' "$out/apt-install.log" "$out"/root/var/lib/dkms/bulkhead/*/"$kver"/*/log/make.log 2>/dev/null | tail -1)
	tap not-ok "DKMS built bulkhead.ko for the stock kernel $kver" "${why:-see $out/apt-install.log}"
	finish
fi

while [ -n "${NO_VMS:-}" ] && [ -e "$NO_VMS" ]; do
	echo "# $NO_VMS exists: waiting to start the VM"
	sleep 120
done
: > "$out/console.log"; : > "$out/tap.log"
echo "# booting $kver in QEMU (TCG): boot 1, reboot, boot 2, purge"
qemu=(qemu-system-x86_64 -m 2048 -smp 2 -cpu max -display none -no-user-config -nic none
	-serial "file:$out/console.log" -serial "file:$out/tap.log"
	-drive "file=$out/disk.img,if=virtio,format=raw"
	-kernel "$out/vmlinuz" -initrd "$out/initrd.img"
	-append "root=/dev/vda rw console=ttyS0 systemd.show_status=1")
if [ -n "${VM_LOCK:-}" ]; then
	flock "$VM_LOCK" timeout 1800 "${qemu[@]}"
else
	timeout 1800 "${qemu[@]}"
fi
status=$?
while IFS= read -r line; do
	line=${line%$'\r'}
	case $line in
	"ok "*) tap ok "${line#ok }" ;;
	"not ok "*) rest=${line#not ok }; tap not-ok "${rest%% # *}" "${rest#* # }" ;;
	"#"*) echo "$line" ;;
	esac
done < "$out/tap.log"
if grep -q '^# done' "$out/tap.log"; then
	tap ok "the VM ran both boots and powered off"
else
	tap not-ok "the VM ran both boots and powered off" "qemu status $status; see $out/console.log"
fi
finish
