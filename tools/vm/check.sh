#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "make check": run the host unit tests and the VM selftests on every kernel given, side by
# side, check each kernel log, and print one summary line "N passed, N failed, N skipped".
# Exits non-zero on any failure. While it runs it prints a line per suite as each ends (its
# passes, failures and skips, per kernel) and each failure as it comes, and says where the
# TAP and the kernel logs are. With --vm-only ("make check-debug"), only what runs in the VMs:
# the selftests, the kernel logs and the audit panic mode; the results go to build/results-vm.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

vm_only=
[ "${1:-}" = --vm-only ] && { vm_only=1; shift; }
results=$BUILD/results${vm_only:+-vm}
rm -rf "$results"
mkdir -p "$results"

# progress LABEL: TAP on stdin, as it arrives, to a line per suite and each failure at once.
progress() { "$(dirname "$0")/progress.sh" "$1"; }

# Host unit tests, framed like the VM's suites so one parser reads both.
host_tests() {
	for t in "$BUILD"/unit/*_test; do
		name=$(basename "$t")
		echo "# suite: $name"
		timeout 120 "$t" 2>&1
		echo "# suite-exit: $name $?"
	done
	# The libFuzzer harnesses, 30 s each ("make fuzz" runs them longer).
	echo "# suite: fuzz"
	"$(dirname "$0")/fuzz.sh" 30
	echo "# suite-exit: fuzz 0"
	echo "# all-suites-done"
}

# One kernel: the selftests in one boot, then the audit "panic" failure mode, which ends a VM,
# in a boot of its own. Its TAP is followed as the VM writes it. With SHARE (K/N), one of N
# VMs that run the suites side by side: its logs and results are its own (ID.sK), and only
# share 0 boots for the panic mode and the shell.
kernel_tests() {
	local id=$1 share=${2:-} vm=$BUILD/vm/$1 tag=$1 first=yes
	if [ -n "$share" ]; then
		tag=$id.s${share%/*} vm=$BUILD/vm/$id/share-${share%/*}
		[ "${share%/*}" = 0 ] || first=
		mkdir -p "$vm"
	fi

	local boot retried=
	for boot in 1 2; do
		rm -f "$vm/tap.log"
		echo "check: $tag: booting and running the selftests (TAP: $vm/tap.log, kernel log: $vm/dmesg.log, console: $vm/console.log)"
		(SHARE=$share VM_LOGS=$vm "$(dirname "$0")/run.sh" "$id" check \
			2> "$results/$tag.kernel-log"
		 echo $? > "$results/$tag.log-status") &
		tail -n +1 -F --pid=$! "$vm/tap.log" 2> /dev/null | progress "$tag"
		wait
		# A kernel that crashed while booting, before the first suite began and so before
		# bulkhead was loaded (TCG has been seen to trip over the kernel's own code patching
		# there), is booted once more; the crash stays in the TAP as a comment.
		if [ $boot = 1 ] && ! grep -q '^# suite:' "$vm/tap.log" 2>/dev/null &&
			grep -aq 'Kernel panic' "$vm/console.log" 2>/dev/null &&
			! grep -aq 'Modules linked in:.*bulkhead' "$vm/console.log"; then
			retried=$(grep -a -m 3 -E 'Oops|RIP:|Kernel panic' "$vm/console.log")
			cp "$vm/console.log" "$vm/console-crashed-boot.log"
			echo "check: $tag: the kernel crashed while booting, before bulkhead was loaded; booting again (console: $vm/console-crashed-boot.log)"
			continue
		fi
		break
	done
	tr -d '\r' < "$vm/tap.log" > "$results/$tag.tap"
	[ -z "$retried" ] || echo "$retried" |
		sed 's|^|# first boot crashed before bulkhead was loaded ('"$vm"'/console-crashed-boot.log): |' >> "$results/$tag.tap"
	# The kernel-log verdict is a result of its own, so it is counted and named.
	if [ "$(cat "$results/$tag.log-status")" = 0 ]; then
		echo "ok - kernel_log_clean" >> "$results/$tag.tap"
	else
		sed 's/^/# /' "$results/$tag.kernel-log" >> "$results/$tag.tap"
		echo "not ok - kernel_log_clean (see $vm/)" >> "$results/$tag.tap"
	fi
	# The records the VM exported to its audit subsystem, read by the host's ausearch/aureport
	# (by the share that ran the export scenario).
	if [ -z "$share" ] || grep -q '^# auditexpect:' "$results/$tag.tap"; then
		"$(dirname "$0")/ausearch-check.sh" "$id" "$results/$tag.tap" > "$results/$tag.ausearch"
		cat "$results/$tag.ausearch" >> "$results/$tag.tap"
	fi
	[ -n "$first" ] || return 0

	echo "check: $id: booting for the audit panic mode (log: $BUILD/vm/$id/panic.log)"
	"$(dirname "$0")/run.sh" "$id" panic > /dev/null 2>&1
	if grep -aq "Kernel panic - not syncing: bulkhead: audit ring full" "$BUILD/vm/$id/panic.log"; then
		echo "ok - audit_panic_mode_panics" >> "$results/$tag.tap"
	else
		tail -n 5 "$BUILD/vm/$id/panic.log" 2>/dev/null | sed 's/^/# /' >> "$results/$tag.tap"
		echo "not ok - audit_panic_mode_panics (see $BUILD/vm/$id/panic.log)" >> "$results/$tag.tap"
	fi
	# "make vm-shell" as a user meets it: a quiet boot to the prompt, bulkhead and dmesg there.
	echo "check: $id: booting the interactive shell, typing into it (log: $BUILD/vm/$id/shell.log)"
	"$(dirname "$0")/shell-check.sh" "$id" >> "$results/$tag.tap"
}

# Everything side by side: each VM is mostly one busy vCPU under emulation and waits in its
# suites' timeouts; the host tests fill the gaps.
if [ -z "$vm_only" ]; then
	echo "check: host unit tests and fuzzers (TAP: $results/host.tap)"
	host_tests | tee "$results/host.tap" | progress host &
fi
# The debug kernel runs the suites several times slower than a Debian kernel: two VMs share
# them, and their results are then one kernel's.
debug_tests() {
	kernel_tests debug 0/2 &
	kernel_tests debug 1/2 &
	wait
	cat "$results"/debug.s0.tap "$results"/debug.s1.tap > "$results/debug.tap" &&
		rm "$results"/debug.s0.tap "$results"/debug.s1.tap
}
for id in "$@"; do
	if [ "$id" = debug ]; then debug_tests & else kernel_tests "$id" & fi
done
wait
[ -n "$vm_only" ] || "$(dirname "$0")/tap-summary.sh" --quiet host "$results/host.tap" > /dev/null

kernels=$(for id in "$@"; do echo "$id" "$results/$id.tap"; done)
echo "check: the TAP of every run is in $results/, each kernel's log in $BUILD/vm/ID/dmesg.log"
# shellcheck disable=SC2086 # label and file pairs
[ -z "$vm_only" ] || exec "$(dirname "$0")/tap-summary.sh" $kernels

# Every LSM hook of every kernel named in docs/hooks.table, which matches the BPF programs.
{ echo "# suite: check"; "$(dirname "$0")/hooks-check.sh" "$@"
  echo "# suite-exit: check 0"; echo "# all-suites-done"; } > "$results/hooks.tap"

{ echo "# suite: check"; "$(dirname "$0")/reqmap-check.sh" "$results"/*.tap
  echo "# suite-exit: check 0"; echo "# all-suites-done"; } > "$results/map.tap"

# shellcheck disable=SC2086 # label and file pairs
exec "$(dirname "$0")/tap-summary.sh" host "$results/host.tap" hooks "$results/hooks.tap" \
	map "$results/map.tap" $kernels
