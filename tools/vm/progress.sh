#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# "make check"'s progress (tools/vm/check.sh): TAP on stdin, as it arrives, to one line per
# suite when it ends and each failure at once, each line starting "check: LABEL: SUITE: ".
# The counts are the suite's own; tap-summary.sh adds them up at the end.
# Usage: progress.sh KERNEL-OR-host
#
# Debian's default awk is mawk, which reads a pipe in blocks and would say nothing until the
# VM ended: -W interactive makes it read line by line. gawk reads lines as they come.
label=${1:?usage: progress.sh LABEL}
set --
awk -W version 2> /dev/null | grep -q mawk && set -- -W interactive
exec awk "$@" -v label="$label" '
	{ sub(/\r$/, "") }
	/^# suite: / { suite = $3; pass = fail = skip = 0; next }
	/^ok / { if ($0 ~ /# [Ss][Kk][Ii][Pp]/) skip++; else pass++; next }
	/^not ok / { fail++; print "check: " label ": " suite ": " $0; fflush(); next }
	/^# suite-exit: / {
		printf "check: %s: %s: %d passed, %d failed, %d skipped%s\n", label, suite,
			pass, fail, skip, $4 != 0 ? " (exit status " $4 ")" : ""
		fflush()
	}'
