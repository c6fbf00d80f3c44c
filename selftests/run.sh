#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run every selftest suite in the VM. Each suite's TAP is framed by "# suite: NAME" and
# "# suite-exit: NAME STATUS" so the host can tell a crashed suite from a passing one.
cd /selftests || exit 1
# BULKHEAD_ONLY=a_test,b_scenario.sh: run only those (set from the kernel command line).
wanted() {
	[ -z "$BULKHEAD_ONLY" ] && return 0
	case ",$BULKHEAD_ONLY," in *",$1,"*) return 0 ;; esac
	return 1
}
# Run suite $1 with the command $2...
suite() {
	name=$1
	shift
	wanted "$name" || return 0
	echo "# suite: $name"
	start=$(date +%s)
	timeout 900 "$@" 2>&1
	echo "# suite-exit: $name $?"
	echo "# suite-seconds: $name $(($(date +%s) - start))"
}
for t in ./*_test; do
	# "bulkhead lock" lasts until reboot: its suite goes last.
	[ "$t" = ./lock_test ] || suite "${t#./}" "$t"
done
for s in ./*_scenario.sh; do
	[ -e "$s" ] && suite "${s#./}" /bin/sh "$s"
done
suite lock_test ./lock_test
echo "# all-suites-done"
