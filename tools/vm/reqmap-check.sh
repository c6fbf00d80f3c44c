#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Check selftests/requirements.map against the tests that ran: every reported test must be
# mapped to a requirement, and every map line must match a test. Prints one TAP result.
# Arguments: the TAP files of a check run.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

map=$TOP/selftests/requirements.map
mapfile -t patterns < <(awk '!/^#/ && NF { print $1 }' "$map")
# The harness names a skipped test only on its "#  RUN" line ("ok 3 # SKIP reason").
mapfile -t tests < <(awk '
	/^# suite: / { suite = $3; next }
	/^#  RUN / { running = $3; next }
	/^ok [0-9]+ # SKIP/ { print suite ":" running; next }
	/^(not )?ok [0-9]+ / { sub(/^(not )?ok [0-9]+ /, ""); sub(/ # .*/, ""); print suite ":" $0; next }
	/^(not )?ok - / { sub(/^(not )?ok - /, ""); print "check:" $1 }' "$@" | sort -u)
tests+=("check:requirements_mapped")

# What only "make evidence" reports, after this check ran: its verification of the trail the
# run itself left (tools/vm/evidence.sh).
evidence_only=("check:run_trail_verified")

problems=()
declare -A used
for t in "${tests[@]}"; do
	hit=
	for p in "${patterns[@]}"; do
		# shellcheck disable=SC2053
		if [[ $t == $p ]]; then
			hit=1
			used[$p]=1
		fi
	done
	[ -n "$hit" ] || problems+=("# test not in $map: $t")
done
for p in "${patterns[@]}"; do
	[[ " ${evidence_only[*]} " == *" $p "* ]] && continue
	[ -n "${used[$p]:-}" ] || problems+=("# map line matches no test: $p")
done
# Every requirement ID the map uses is defined in docs/requirements.md.
for id in $(awk '!/^#/ && NF { for (i = 2; i <= NF; i++) print $i }' "$map" | sort -u); do
	grep -q "^| $id |" "$TOP/docs/requirements.md" ||
		problems+=("# requirement $id (in $map) is not defined in docs/requirements.md")
done
if [ ${#problems[@]} = 0 ]; then
	echo "ok - requirements_mapped"
else
	printf '%s\n' "${problems[@]}"
	echo "not ok - requirements_mapped"
fi
