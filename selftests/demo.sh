#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The demo shown by "make demo", inside the VM: load bulkhead, show its status, watch the
# file_open counter move, apply the diode example, show a denied cross-domain access next to
# an allowed one, pass two files through a guarded exchange (one delivered, one quarantined),
# show the audit records of the denials and transfers and verify the recorded trail, unload.
set -e
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "bulkhead load"
bulkhead load
step "bulkhead audit keygen: the trail's initial key, handed out once (keep it off the host)"
bulkhead audit keygen > /tmp/audit.key
cat /tmp/audit.key
step "bulkhead audit record --dir /var/log/bulkhead (the recorder, in the background)"
mkdir -p /var/log
bulkhead audit record --dir /var/log/bulkhead &
recorder=$!
step "bulkhead status"
bulkhead status | head -8
step "bulkhead status -j"
bulkhead status -j
calls() { bulkhead status -j | sed 's/.*"name":"file_open","attached":[a-z]*,"calls":\([0-9]*\).*/\1/'; }
before=$(calls)
for i in 1 2 3 4 5 6 7 8 9 10; do cat /etc/passwd > /dev/null; done
after=$(calls)
step "file_open calls: $before before, $after after opening /etc/passwd ten times"
[ "$after" -ge $((before + 10)) ]

step "the diode example: low -> high only"
mkdir -p /sys/fs/cgroup/low /sys/fs/cgroup/high /srv/low /srv/high
echo "low's report" > /srv/low/report
echo "high's secret" > /srv/high/secret
modprobe veth
ip link add veth-low type veth peer name veth-high
cat /etc/bulkhead/examples/diode.bh
bulkhead policy apply /etc/bulkhead/examples/diode.bh

step "high reads low's report (flow low -> high { file }): allowed"
bulkhead exec high -- cat /srv/low/report
step "low reads high's secret (no flow high -> low): denied"
if bulkhead exec low -- cat /srv/high/secret; then
	echo "demo: the diode leaked" >&2
	exit 1
fi
step "low writes into high (flow low -> high { file }): allowed; high writes into low: denied"
bulkhead exec low -- sh -c 'echo sent > /srv/high/inbox'
! bulkhead exec high -- sh -c 'echo back > /srv/low/outbox'
bulkhead status | grep -E '^mode|file_open|inode_create'

step "a guarded exchange: low's files reach high only through a guard that checks each one"
bulkhead mode off	# host makes the boxes; the diode would not let it write into low
mkdir -p /sys/fs/cgroup/guard /srv/low/export /srv/high/import /var/lib/bulkhead/guard
cat > /tmp/exchange.bh <<EOF
domain low { cgroup /low path /srv/low }
domain high { cgroup /high path /srv/high }
domain guard { cgroup /guard path /var/lib/bulkhead/guard }
flow host -> low { file exec }
flow host -> high { file exec }
flow host -> guard { file exec }
exchange low-high from low to high via guard {
	outbox /srv/low/export
	inbox /srv/high/import
	type text/plain
	deny-pattern "SECRET"
}
mode enforce
EOF
cat /tmp/exchange.bh
bulkhead policy apply /tmp/exchange.bh
echo "quarterly figures" > /tmp/report.txt
echo "SECRET plans" > /tmp/memo.txt
step "low sends two files into its outbox; it cannot list or read them back"
bulkhead exec low -- bulkhead send /srv/low/export /tmp/report.txt /tmp/memo.txt
! bulkhead exec low -- ls /srv/low/export
step "the guard (started as host, it enters domain guard) takes, checks and delivers"
bulkhead guard run --exchange low-high --state-dir /var/lib/bulkhead/guard --once
step "high's inbox: the report; the memo (deny pattern SECRET) is in the guard's quarantine"
inbox=$(bulkhead exec high -- ls /srv/high/import)
echo "$inbox"
[ "$inbox" = "report.txt" ]
bulkhead exec high -- cat /srv/high/import/report.txt
step "the transfer records, sealed in the trail"
bulkhead audit tail --type transfer

step "bulkhead audit tail --decision denied: what the module recorded"
bulkhead mode off
sleep 1
bulkhead audit tail --decision denied | tail -n 4
step "bulkhead audit stats"
bulkhead audit stats
kill -TERM "$recorder"
wait "$recorder"
step "bulkhead audit verify --key-file /tmp/audit.key /var/log/bulkhead/trail-*"
bulkhead audit verify --key-file /tmp/audit.key /var/log/bulkhead/trail-*

step "bulkhead unload"
bulkhead unload
echo
echo "demo: OK"
