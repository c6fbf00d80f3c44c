#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run every libFuzzer harness (build/fuzz/*_fuzz) for SECONDS each (default 30), from its seed
# corpus in tools/fuzz/corpus/NAME; inputs it finds go to a scratch corpus under build/, never
# into the repo. Prints one TAP result per harness; a crash, leak or sanitizer report fails it
# and the reproducer is kept under build/fuzz/NAME-crashes/. Used by "make check" (30 s) and
# "make fuzz" (FUZZ_SECONDS, default 600).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

seconds=${1:-30}
for f in "$BUILD"/fuzz/*_fuzz; do
	name=$(basename "$f" _fuzz)
	scratch=$BUILD/fuzz/$name-corpus crashes=$BUILD/fuzz/$name-crashes
	mkdir -p "$scratch" "$crashes"
	log=$BUILD/fuzz/$name.log
	if "$f" -max_total_time="$seconds" -rss_limit_mb=2048 -artifact_prefix="$crashes/" \
		"$scratch" "$TOP/tools/fuzz/corpus/$name" > "$log" 2>&1; then
		echo "ok - fuzz_$name # $(grep -o 'Done [0-9]* runs' "$log" | tail -n 1)"
	else
		grep -E 'ERROR|SUMMARY|panic|abort' "$log" | head -n 5 | sed 's/^/# /'
		echo "not ok - fuzz_$name (see $log and $crashes)"
	fi
done
