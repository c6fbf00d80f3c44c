#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Count TAP results over several runs and print the failures and one closing line
# "N passed, N failed, N skipped". Arguments: pairs of LABEL FILE.
#
# Within a file, "# suite: NAME" ... "# suite-exit: NAME STATUS" frame each suite; a suite that
# exits non-zero without a "not ok", plans more tests than it reports, or never reports its exit
# counts as failed, and so does a file without "# all-suites-done" (the run died part way).
set -uo pipefail

quiet=
[ "${1:-}" = --quiet ] && { quiet=1; shift; }
pass=0 fail=0 skip=0
failures=()

while [ $# -ge 2 ]; do
	label=$1 file=$2
	shift 2
	counts=$(awk -v label="$label" '
		function close_suite(status) {
			if (suite == "") return
			if (planned > seen) { fail += planned - seen; print "F " label ": " suite ": " planned - seen " planned tests never reported" }
			if (status != 0 && suite_fail == 0) { fail++; print "F " label ": " suite ": exited with status " status }
			suite = ""
		}
		/^# suite: / { close_suite(0); suite = $3; planned = 0; seen = 0; suite_fail = 0; open = 1; next }
		/^# suite-exit: / { close_suite($4); open = 0; next }
		/^# all-suites-done/ { done = 1; next }
		/^1\.\.[0-9]+/ { planned = substr($1, 4) + 0; next }
		/^ok / {
			seen++
			if ($0 ~ /# [Ss][Kk][Ii][Pp]/) { skip++; print "S " label ": " $0 } else pass++
			next
		}
		/^not ok / { seen++; fail++; suite_fail++; print "F " label ": " $0; next }
		END {
			if (open) { fail++; print "F " label ": " suite ": never finished" }
			if (!done) { fail++; print "F " label ": the run ended before all suites ran" }
			print "C " pass + 0 " " fail + 0 " " skip + 0
		}' "$file" 2>/dev/null || echo "F $label: no results ($file)")
	while IFS= read -r line; do
		case "$line" in
		"C "*) read -r _ p f s <<< "$line"; pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s)) ;;
		"F "*) failures+=("FAIL ${line#F }") ;;
		"S "*) failures+=("SKIP ${line#S }") ;;
		esac
	done <<< "$counts"
	[ -e "$file" ] || { fail=$((fail + 1)); failures+=("FAIL $label: $file missing"); }
done

if [ -z "$quiet" ]; then
	for f in "${failures[@]}"; do
		echo "$f"
	done
	echo "$pass passed, $fail failed, $skip skipped"
fi
[ "$fail" = 0 ]
