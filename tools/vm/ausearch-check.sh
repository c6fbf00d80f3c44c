#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Ask the host's real ausearch and aureport (Debian's auditd package) about the records a VM
# exported to its Linux audit subsystem (selftests/export_scenario.sh), and print one TAP result
# per answer. Arguments: the kernel id and the TAP file of its run; the records, in auditd's
# format, are left in build/vm/ID/audit.log.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

id=${1:?usage: ausearch-check.sh KERNEL-ID TAP-FILE}
tap=${2:?usage: ausearch-check.sh KERNEL-ID TAP-FILE}
log=$BUILD/vm/$id/audit.log
export LC_ALL=C

sed -n 's/^# auditlog: //p' "$tap" > "$log"
expect() { sed -n "s/^# auditexpect: .*\\b$1=\\([^ ]*\\).*/\\1/p" "$tap" | head -n 1; }
pid=$(expect pid) comm=$(expect comm) auid=$(expect auid)
long=$(sed -n 's/^# auditexpect: long_path=//p' "$tap")

# check NAME WANT GOT [WHAT]: one result; WHAT (the command) shown when they differ.
check() {
	if [ "$2" = "$3" ]; then
		echo "ok - $1"
	else
		echo "# $1: wanted $2, got $3${4:+ from: $4}"
		echo "not ok - $1 (see $log)"
	fi
}

# events ARGS...: how many events ausearch finds in the log (each record is an event).
events() { ausearch --input "$log" --format raw "$@" 2> /dev/null | grep -c '^type='; }

if [ ! -s "$log" ] || [ -z "$pid" ]; then
	echo "# no exported records in $tap (did export_scenario.sh run?)"
	echo "not ok - ausearch_log_captured"
	exit 0
fi
echo "ok - ausearch_log_captured"

# Every record is parsed, its result read: none is skipped as malformed or of a type that
# nothing reads.
check ausearch_every_result_read "$(wc -l < "$log")" \
	"$(($(events -sv yes) + $(events -sv no)))" "-sv yes plus -sv no"
check ausearch_by_pid "$(expect denials)" "$(events -p "$pid" -sv no)" "-p $pid -sv no"
check ausearch_by_comm "$(expect denials)" "$(events -c "$comm" -sv no)" "-c $comm -sv no"
check ausearch_by_auid "$(expect denials)" "$(events -ua "$auid" -sv no)" "-ua $auid -sv no"
check ausearch_by_path "$(expect secret_denials)" "$(events -f /srv/bhx_b/secret -sv no)" \
	"-f /srv/bhx_b/secret -sv no"
check ausearch_long_path_whole "$(expect long_denials)" "$(events -f "$long" -sv no)" \
	"-f '$long' -sv no"
check ausearch_by_type "$(expect denials)" "$(events -m INTEGRITY_RULE -p "$pid" -sv no)" \
	"-m INTEGRITY_RULE -p $pid -sv no"
allowed=$(events -p "$pid" -sv yes)
check ausearch_allowed_succeeded yes "$([ "$allowed" -ge 1 ] && echo yes || echo no)" \
	"-p $pid -sv yes ($allowed)"

# -ts/-te: the second of the probe's first record bounds its events.
first=$(grep -m1 " pid=$pid " "$log" | sed 's/.*audit(\([0-9]*\)\..*/\1/')
last=$(grep " pid=$pid " "$log" | tail -n 1 | sed 's/.*audit(\([0-9]*\)\..*/\1/')
at() { date -d "@$1" '+%x %T'; }
# shellcheck disable=SC2046 # a date and a time, two words each
check ausearch_time_window "$(expect denials)" \
	"$(events -ts $(at "$first") -te $(at $((last + 1))) -p "$pid" -sv no)" "-ts/-te"
# shellcheck disable=SC2046
check ausearch_before_window 0 "$(events -te $(at $((first - 1))) -p "$pid")" "-te"

# -i: the fields keep their meaning, the encoded path comes out whole.
out=$(ausearch --input "$log" -i -f "$long" 2> /dev/null)
want="name=$long"
check ausearch_interprets_name yes "$(grep -qF "$want" <<< "$out" && echo yes || echo no)" \
	"-i: $out"
check ausearch_interprets_fields yes "$(grep -q "op=file_open uid=root pid=$pid " <<< "$out" &&
	grep -q " comm=$comm .* res=no " <<< "$out" &&
	grep -q "event=decision decision=denied" <<< "$out" &&
	grep -q "channel=file" <<< "$out" && echo yes || echo no)" "-i: $out"

# aureport: the denials are the failed events, policy and mode changes the MAC events.
failed=$(aureport --input "$log" --failed --summary 2> /dev/null |
	sed -n 's/^Number of events: //p')
check aureport_failed "$(grep -c ' res=0$\| res=0 ' "$log")" "$failed" "--failed --summary"
check aureport_failed_are_denials "$(expect denials)" \
	"$(grep " pid=$pid " "$log" | grep -c ' res=0 ')" "the log's denials of pid $pid"
mac=$(aureport --input "$log" --mac 2> /dev/null | grep -c '^[0-9]*\. ')
check aureport_mac "$(expect mac_events)" "$mac" "--mac"
summary=$(aureport --input "$log" --summary 2> /dev/null)
check aureport_summary_mac "$(expect mac_events)" \
	"$(sed -n 's/^Number of MAC events: //p' <<< "$summary")" "--summary"
check aureport_summary_events "$(wc -l < "$log")" \
	"$(sed -n 's/^Number of events: //p' <<< "$summary")" "--summary"
files=$(aureport --input "$log" --file 2> /dev/null)
check aureport_file yes "$(grep -qF " $long " <<< "$files" &&
	grep -q ' /srv/bhx_b/secret ' <<< "$files" && echo yes || echo no)" "--file: $files"
exit 0
