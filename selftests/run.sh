#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run every selftest suite in the VM. Each suite's TAP is framed by "# suite: NAME" and
# "# suite-exit: NAME STATUS" so the host can tell a crashed suite from a passing one.
cd /selftests || exit 1
# BULKHEAD_ONLY=a_test,b_scenario.sh: run only those (set from the kernel command line).
# BULKHEAD_SHARE=K/N: this VM is one of N running the suites side by side ("make check-debug"):
# it runs the Kth of every N suites in order, and the lock suite only in share 0.
share=${BULKHEAD_SHARE%/*} shares=${BULKHEAD_SHARE#*/} index=0
wanted() {
	if [ -n "$BULKHEAD_SHARE" ] && [ -z "$all_shares" ]; then
		index=$((index + 1))
		[ $(((index - 1) % shares)) = "$share" ] || return 1
	fi
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
	timeout $((900 * ${BULKHEAD_SLOW:-1})) "$@" 2>&1
	echo "# suite-exit: $name $?"
	echo "# suite-seconds: $name $(($(date +%s) - start))"
	# "make evidence" (bulkhead.evidence=1): the witness records the trail between suites.
	[ -z "$BULKHEAD_EVIDENCE" ] || ./witness.sh step "$name" > /dev/null 2>&1
}
# On the debug kernel (bulkhead.slow=N) the harness's per-test alarm waits N times longer too.
stretch=
[ -z "$BULKHEAD_SLOW" ] || stretch="env LD_PRELOAD=/usr/lib/bulkhead/slow_alarm.so"
for t in ./*_test; do
	# "bulkhead lock" lasts until reboot: its suite goes last.
	# shellcheck disable=SC2086 # $stretch is a command prefix or nothing
	[ "$t" = ./lock_test ] || suite "${t#./}" $stretch "$t"
done
for s in ./*_scenario.sh; do
	[ -e "$s" ] && suite "${s#./}" /bin/sh "$s"
done
# On the debug kernel (bulkhead.kmemleak=1): leaks after the module is unloaded, which only
# works before the lock, then what the lock suite leaked with the module locked in place.
# Each share checks its own VM for leaks; only share 0 locks.
all_shares=1
[ -z "$BULKHEAD_KMEMLEAK" ] || suite kmemleak_unloaded /bin/sh ./kmemleak.sh unloaded
if [ "${share:-0}" = 0 ]; then
	# shellcheck disable=SC2086
	suite lock_test $stretch ./lock_test
	[ -z "$BULKHEAD_KMEMLEAK" ] || suite kmemleak_locked /bin/sh ./kmemleak.sh locked
fi
echo "# all-suites-done"
