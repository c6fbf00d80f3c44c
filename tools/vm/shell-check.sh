#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "make vm-shell" as a user meets it, scripted: boot one kernel's shell (run.sh ID shell) with
# a pipe for a keyboard, wait for its banner, type a few commands, and print one TAP result per
# promise: the terminal shows no kernel message from boot to prompt (they go to
# build/vm/ID/shell-kernel.log), bulkhead loads and answers, dmesg works inside, and
# "poweroff -f" leaves. Argument: the kernel id. The session is left in build/vm/ID/shell.log.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

id=${1:?usage: shell-check.sh KERNEL-ID}
vm=$BUILD/vm/$id
log=$vm/shell.log
klog=$vm/shell-kernel.log
slow=1
[ "$id" != debug ] || slow=6

check() { # NAME OK?  (the detail, when not ok, from the log)
	if [ "$2" = yes ]; then echo "ok - $1"; else echo "not ok - $1 (see $log)"; fi
}

rm -f "$log" "$klog"
# exec: the coproc is then run.sh, which becomes QEMU, so that VM_PID is what to stop.
coproc VM { exec "$(dirname "$0")/run.sh" "$id" shell 2>&1; }
# Our own copies: bash closes the coproc's descriptors as soon as the VM ends.
exec {keys}>&"${VM[1]}" {screen}<&"${VM[0]}"
# Read the terminal into the log until a line starts with PREFIX (not the echo of what was
# typed, which follows the prompt) or the wait ends.
until_seen() {
	local line part='' rc end=$((SECONDS + $2 * slow))
	while [ $SECONDS -lt $end ]; do
		IFS= read -r -t 5 line <&$screen
		rc=$?
		# Over 128: no whole line for 5 s (a boot is silent here): keep what came, wait on.
		[ $rc -gt 128 ] && { part+=$line; continue; }
		[ $rc = 0 ] || return 1
		line=$part$line part=
		printf '%s\n' "${line%$'\r'}" >> "$log"
		[[ $line == "$1"* ]] && return 0
	done
	return 1
}
banner=no
until_seen "bulkhead VM (" 300 && banner=yes
if [ $banner = yes ]; then
	# Typed only once the shell is there: what the UART gets before has no reader.
	sleep 1
	printf '%s\n' "bulkhead load > /dev/null && bulkhead status | grep -c '^mode: off' | sed 's/^/shellcheck-mode=/'" >&$keys
	until_seen "shellcheck-mode=" 120
	printf '%s\n' "dmesg | grep -c 'bulkhead:' | sed 's/^/shellcheck-dmesg=/'" >&$keys
	until_seen "shellcheck-dmesg=" 60
	printf '%s\n' "poweroff -f" >&$keys
fi
# The VM is gone once poweroff -f ran; the rest of the terminal is read to the end.
timeout $((60 * slow)) cat <&$screen | tr -d '\r' >> "$log"
exec {keys}>&- {screen}<&-
kill "${VM_PID:-}" 2> /dev/null && sleep 1 && kill -9 "${VM_PID:-}" 2> /dev/null
wait 2> /dev/null

check vm_shell_prompt $banner
# Before the banner: only run.sh's own line. A kernel message there is "[    1.234567] ...".
before=$(sed -n "1,/'bulkhead load' to start/p" "$log")
check vm_shell_boot_quiet "$([ -n "$before" ] && ! grep -qE '^\[ *[0-9]+\.[0-9]+\]|Linux version|Run /init' <<< "$before" && echo yes || echo no)"
check vm_shell_kernel_log_to_file "$(grep -q 'Linux version' "$klog" 2> /dev/null && echo yes || echo no)"
check vm_shell_bulkhead_loads "$(grep -qx 'shellcheck-mode=1' "$log" && echo yes || echo no)"
check vm_shell_dmesg_works "$(grep -qE '^shellcheck-dmesg=[1-9]' "$log" && echo yes || echo no)"
check vm_shell_poweroff_leaves "$(grep -q 'reboot: Power down' "$klog" 2> /dev/null && echo yes || echo no)"
