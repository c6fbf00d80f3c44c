#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own YNL client (tools/net/ynl/cli.py) drives bulkhead with nothing but its spec
# (docs/netlink/bulkhead.yaml): every command, a dump, the extended ACKs and the events group,
# each checked against what the bulkhead CLI sees. A spec that disagreed with the module would
# encode or decode something else here.
#
# Output: TAP. Run as root inside the test VM (selftests/run.sh).

# shellcheck source-path=SCRIPTDIR source=scenario_lib.sh
. "$(dirname "$0")/scenario_lib.sh"

# ynl ARGS...: the YNL client, JSON out; the VM has no jsonschema, the host validated the spec.
ynl() {
	python3 /usr/lib/ynl/cli.py --spec /usr/lib/ynl/bulkhead.yaml --no-schema --output-json "$@"
}

# has NAME TEXT CMD...: CMD succeeds and prints TEXT (a fixed string).
has() {
	name=$1 text=$2
	shift 2
	if "$@" > "$tmp/out" 2>&1 && grep -qF -- "$text" "$tmp/out"; then
		result 0 "$name"
	else
		echo "expected: $text" >> "$tmp/out"
		result 1 "$name"
	fi
}

reset_bulkhead
mkdir -p "$CG/ynl-a"
cgroups="ynl-a"

version=$(bulkhead status -j | sed 's/.*"version":"\([^"]*\)".*/\1/')
has status_get_decodes_version "\"version\": \"$version\"" ynl --do status-get
has status_get_decodes_mode_and_lock '"mode": "off", "locked": 0' ynl --do status-get
hooks=$(bulkhead status | grep -c ' calls ')
ynl --do status-get | grep -o '"attached": 1' | wc -l > "$tmp/attached"
[ "$(cat "$tmp/attached")" = "$hooks" ] && ok=0 || ok=1
echo "$(cat "$tmp/attached") hooks attached through YNL, $hooks in bulkhead status" > "$tmp/out"
result $ok status_get_decodes_every_hook

# A transaction lives as long as its socket: --multi sends the steps on one.
txn='{"objects": {"obj-domain": [{"obj-name": "ynl-a"}],
	"obj-binding": [{"binding-domain": "ynl-a", "binding-kind": "cgroup", "binding-target": "/ynl-a"}],
	"obj-flow": [{"flow-from": "host", "flow-to": "ynl-a", "flow-channels": ["file", "exec"], "flow-flags": ["audit"]}]}}'
has transaction_commits_through_ynl '"policy-hash"' ynl --multi txn-begin '{}' \
	--multi txn-add "$txn" --multi txn-commit '{}'
has committed_objects_visible_to_cli 'flow host -> ynl-a { file exec } audit' bulkhead policy show
has policy_dump_decodes_objects '"binding-kind": "cgroup", "binding-target": "/ynl-a"}]' \
	ynl --dump policy-get
sh -c "echo \$\$ > $CG/ynl-a/cgroup.procs; exec sleep 600" &
pids="$pids $!"
has query_answers_domain '"domain-name": "ynl-a"' ynl --do query --json "{\"query-pid\": $!}"
has query_path_is_host '"domain-name": "host"' ynl --do query --json '{"query-path": "/tmp"}'

allowed mode_set_through_ynl ynl --do mode-set --json '{"mode": "audit"}'
has mode_set_seen_by_cli 'audit' bulkhead mode
denied extack_names_range_error "'msg': 'integer out of range'.*'bad-attr': '.mode'" \
	ynl --do mode-set --json '{"mode": 9}'
denied extack_from_module "'msg': 'no policy transaction is open'" ynl --do txn-commit
has audit_stats_decoded '"audit-failure": "drop"' ynl --do audit-stats-get
has selftest_through_ynl '"selftest-failed": []' ynl --do selftest

# Events: a subscriber hears a mode change made by the CLI.
ynl --subscribe events --sleep 20 > "$tmp/events" 2>&1 &
sub=$!
pids="$pids $sub"
sleep 12
bulkhead mode enforce > /dev/null
wait "$sub" || true
cp "$tmp/events" "$tmp/out"
grep -q '"name": "change-ntf", "msg": {"change": 2, .*"mode": "enforce", "locked": 0}' \
	"$tmp/events" && ok=0 || ok=1
result $ok events_group_announces_mode_change

finish
