#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot one target kernel in QEMU (TCG) with the bulkhead initramfs.
#   run.sh ID check   run the selftests; leaves console.log, tap.log, dmesg.log in build/vm/ID/
#   run.sh ID demo    run the demo on this terminal
#   run.sh ID bench   run the benchmarks on this terminal
#   run.sh ID panic   the audit "panic" failure mode; leaves panic.log in build/vm/ID/
#   run.sh ID shell   interactive shell; the kernel's messages go to build/vm/ID/shell-kernel.log
# check and demo fail when the kernel log shows a WARN, BUG, Oops, KASAN, lockdep or RCU stall.
# ID "debug" is the debug kernel of "make check-debug" (tools/vm/debug-kernel.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

id=${1:?usage: run.sh KERNEL-ID check|demo|shell}
what=${2:?usage: run.sh KERNEL-ID check|demo|shell}
rel=$(kernel_release "$id")
out=$BUILD/vm/$id
kernel=$(kernel_root "$id")/boot/vmlinuz-$rel
# slow: how many times longer than on a Debian kernel every wait is. The debug kernel runs
# the same suites several times slower (KASAN, lockdep and kmemleak under emulation), needs
# memory for their shadow and metadata, and checks for leaks after the suites.
slow=1 mem=1G
[ "$id" != debug ] || slow=6 mem=2G
# The exchange benchmark holds a 256 MiB file three times over (outbox, staging, inbox) in the
# VM's memory-backed root.
[ "${2:-}" != bench ] || mem=2G
# QEMU 7.2's TCG mis-emulates the gs-prefixed cmpxchg16b that SLUB uses on 6.12 (random double
# faults during boot); without cx16 the kernel takes its locked fallback and boots reliably.
qemu=(qemu-system-x86_64 -cpu qemu64,-cx16 -m "$mem" -smp 2 -no-reboot -kernel "$kernel"
	-initrd "$out/initramfs.cpio.gz")
append="console=ttyS0 panic=-1 oops=panic bulkhead.run=$what"
[ "$id" != debug ] || append+=" bulkhead.slow=$slow bulkhead.kmemleak=1"
# ONLY=file_test,net_test runs just those suites (while developing; make check runs all).
[ -z "${ONLY:-}" ] || append+=" bulkhead.only=$ONLY"
# SHARE=K/N (check.sh, on the debug kernel): this VM runs the Kth of N shares of the suites
# beside the others; VM_LOGS is then where its console, TAP and kernel log go.
[ -z "${SHARE:-}" ] || append+=" bulkhead.share=$SHARE"
logs=${VM_LOGS:-$out}
# EVIDENCE=1 ("make evidence"): the VM also records the run's audit trail and hands it over on a
# fourth serial port, evidence.log (selftests/witness.sh).
evidence=()
if [ -n "${EVIDENCE:-}" ] && [ "$what" = check ]; then
	append+=" bulkhead.evidence=1"
	evidence=(-serial "file:$logs/evidence.log")
fi
# NLFUZZ_SEED=0x... (and NLFUZZ_REQUESTS, NLFUZZ_WORKERS, NLFUZZ_TRACE) replay or stretch
# nlfuzz_test: the kernel hands command-line words it does not know to init's environment.
for v in NLFUZZ_SEED NLFUZZ_REQUESTS NLFUZZ_WORKERS NLFUZZ_TRACE; do
	[ -z "${!v:-}" ] || append+=" $v=${!v}"
done

# A lockup or a hung task ends the run at once (not at the timeout, minutes later), and the
# panic replays the whole kernel log, stack traces included, onto the console the run keeps.
lockups="softlockup_panic=1 hung_task_panic=1 sysctl.kernel.panic_on_rcu_stall=1 panic_print=0x20"

case "$what" in
shell)
	# The kernel's console is the second serial port, a file, so that boot and later kernel
	# messages never land in the middle of the prompt; the shell has the first (init puts it
	# there) and dmesg reads the kernel log as ever. Ctrl-a x leaves QEMU.
	echo "vm-shell: booting $id (a minute or so); its kernel messages go to $out/shell-kernel.log"
	exec "${qemu[@]}" -display none -serial mon:stdio -serial "file:$out/shell-kernel.log" \
		-append "${append/console=ttyS0/console=ttyS1}"
	;;
check)
	rm -f "$logs"/{console,tap,dmesg,evidence}.log
	timeout $((2400 * slow)) "${qemu[@]}" -display none -monitor none -append "$append quiet $lockups" \
		-serial "file:$logs/console.log" -serial "file:$logs/tap.log" \
		-serial "file:$logs/dmesg.log" "${evidence[@]}" || true
	;;
panic)
	rm -f "$out/panic.log"
	timeout $((600 * slow)) "${qemu[@]}" -display none -monitor none -append "$append quiet" \
		-serial "file:$out/panic.log" -serial null -serial null || true
	exit 0
	;;
demo | bench)
	rm -f "$out/dmesg.log"
	timeout $((900 * slow)) "${qemu[@]}" -display none -monitor none -append "$append quiet loglevel=3 $lockups" \
		-serial stdio -serial null -serial "file:$out/dmesg.log" | tee "$out/console.log" || true
	grep -q "^$what: OK" "$out/console.log" || die "the $what did not complete (see $out/console.log)"
	;;
*)
	die "unknown action '$what' (check, demo, bench or shell)"
	;;
esac
exec "$(dirname "$0")/kernel-log-check.sh" "$logs/dmesg.log" "$logs/console.log"
