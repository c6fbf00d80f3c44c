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
for t in ./*_test; do
	name=${t#./}
	wanted "$name" || continue
	echo "# suite: $name"
	start=$(date +%s)
	timeout 900 "$t" 2>&1
	echo "# suite-exit: $name $?"
	echo "# suite-seconds: $name $(($(date +%s) - start))"
done
for s in ./*_scenario.sh; do
	[ -e "$s" ] || continue
	name=${s#./}
	wanted "$name" || continue
	echo "# suite: $name"
	start=$(date +%s)
	timeout 900 /bin/sh "$s" 2>&1
	echo "# suite-exit: $name $?"
	echo "# suite-seconds: $name $(($(date +%s) - start))"
done
echo "# all-suites-done"
