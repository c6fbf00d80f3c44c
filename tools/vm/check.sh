#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "make check": run the host unit tests, then the VM selftests on every kernel given, check
# each kernel log, and print one summary line "N passed, N failed, N skipped". Exits non-zero
# on any failure. With --vm-only ("make check-debug"), only what runs in the VMs: the
# selftests, the kernel logs and the audit panic mode; the results go to build/results-vm.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

vm_only=
[ "${1:-}" = --vm-only ] && { vm_only=1; shift; }
results=$BUILD/results${vm_only:+-vm}
rm -rf "$results"
mkdir -p "$results"

# Host unit tests, framed like the VM's suites so one parser reads both.
[ -n "$vm_only" ] || {
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
} > "$results/host.tap"
[ -n "$vm_only" ] || "$(dirname "$0")/tap-summary.sh" --quiet host "$results/host.tap" > /dev/null

# The kernels boot side by side: each VM is mostly one busy vCPU under emulation.
for id in "$@"; do
	echo "check: booting $id and running the selftests"
	("$(dirname "$0")/run.sh" "$id" check 2> "$results/$id.kernel-log"
	 echo $? > "$results/$id.log-status") &
done
wait
for id in "$@"; do
	tr -d '\r' < "$BUILD/vm/$id/tap.log" > "$results/$id.tap"
	# The kernel-log verdict is a result of its own, so it is counted and named.
	if [ "$(cat "$results/$id.log-status")" = 0 ]; then
		echo "ok - kernel_log_clean" >> "$results/$id.tap"
	else
		sed 's/^/# /' "$results/$id.kernel-log" >> "$results/$id.tap"
		echo "not ok - kernel_log_clean (see build/vm/$id/)" >> "$results/$id.tap"
	fi
	# The records the VM exported to its audit subsystem, read by the host's ausearch/aureport.
	"$(dirname "$0")/ausearch-check.sh" "$id" "$results/$id.tap" > "$results/$id.ausearch"
	cat "$results/$id.ausearch" >> "$results/$id.tap"
done

# The audit "panic" failure mode ends a VM: it gets a boot of its own per kernel.
for id in "$@"; do
	echo "check: booting $id for the audit panic mode"
	"$(dirname "$0")/run.sh" "$id" panic > /dev/null 2>&1 &
done
wait
for id in "$@"; do
	if grep -aq "Kernel panic - not syncing: bulkhead: audit ring full" \
		"$BUILD/vm/$id/panic.log"; then
		echo "ok - audit_panic_mode_panics" >> "$results/$id.tap"
	else
		tail -n 5 "$BUILD/vm/$id/panic.log" 2>/dev/null | sed 's/^/# /' >> "$results/$id.tap"
		echo "not ok - audit_panic_mode_panics (see build/vm/$id/panic.log)" >> "$results/$id.tap"
	fi
done

kernels=$(for id in "$@"; do echo "$id" "$results/$id.tap"; done)
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
