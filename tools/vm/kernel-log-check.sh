#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fail when a kernel log shows trouble: WARN, BUG, Oops, KASAN/UBSAN, lockdep or RCU stalls, hung
# tasks, kmemleak's suspects.
# Also fails when the full kernel log (dumped by the VM's init at the end) is missing: a VM
# that died half way must not pass.
set -uo pipefail

PATTERN='WARNING:|BUG:|Oops|KASAN|UBSAN|kernel BUG|general protection|possible circular locking|lockdep|INFO: rcu|rcu_(sched|preempt) (self-)?detected|stall on CPU|Call Trace:|Kernel panic|refcount_t:|list_(add|del) corruption|blocked for more than|suspected memory leak'
# What the debug kernel's checkers announce at boot: not reports.
BENIGN='RCU lockdep checking is enabled'
status=0
dmesg_log=${1:?usage: kernel-log-check.sh DMESG-LOG [MORE-LOGS...]}
if ! grep -q . "$dmesg_log" 2>/dev/null; then
	echo "kernel log: $dmesg_log is missing or empty (the VM did not finish)" >&2
	status=1
fi
for f in "$@"; do
	[ -e "$f" ] || continue
	if hits=$(grep -aEn "$PATTERN" "$f" | grep -avE "$BENIGN"); then
		echo "$hits" >&2
		echo "kernel log: trouble in $f (lines above)" >&2
		status=1
	fi
done
exit $status
