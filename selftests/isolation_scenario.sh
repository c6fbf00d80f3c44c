#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Strict isolation (examples/isolation.bh): domains red and black, with no flow between them.
# Each domain has tasks (a cgroup), files (a directory) and an outside network (a veth pair
# into a network namespace of its own). Under enforce nothing crosses in either direction:
# files, signals, packets sent by a task, packets received by a task and packets forwarded
# between the two outside networks; each domain keeps everything within itself. Under audit
# the same crossings are counted and allowed.
#
#       netns red-net          init netns (bulkhead, ip_forward=1)          netns black-net
#  +-----------------+     +--------------------------------------+     +-----------------+
#  | veth-red-p      |     | veth-red                  veth-black |     |    veth-black-p |
#  | 10.20.1.2/24    +-----+ 10.20.1.1 (red)    (black) 10.20.2.1 +-----+    10.20.2.2/24 |
#  | via 10.20.1.1   |     |                                      |     |   via 10.20.2.1 |
#  +-----------------+     | cgroup /red       cgroup /black      |     +-----------------+
#                          |   sleeper           sleeper,         |
#                          |                     UDP 7003 server  |
#                          | /srv/red/report   /srv/black/report  |
#                          +--------------------------------------+
#
# Output: TAP. Run as root inside the test VM (selftests/run.sh).

# shellcheck source-path=SCRIPTDIR source=scenario_lib.sh
. "$(dirname "$0")/scenario_lib.sh"

POLICY=/etc/bulkhead/examples/isolation.bh
cgroups="red black"

teardown() {
	for ns in red black; do
		rm_outside "$ns"
		rm -rf "/srv/$ns"
	done
}

# ping_from_task DOMAIN ADDR: one echo request from a task of DOMAIN.
ping_from_task() { bulkhead exec "$1" -- ping -c1 -W2 "$2"; }
# joined CGROUP PID: wait (5 s at most) until PID has moved into CGROUP, where "bulkhead exec"
# puts itself before it runs the command.
joined() {
	within grep -qx "$2" "$CG/$1/cgroup.procs" || { echo "pid $2 is not in cgroup $1"; return 1; }
}
denials() { bulkhead status | awk -v h="$1" '$1 == h { print $6 }'; }
rx_has() { grep -qx "$2" "$1" || { echo "received:"; cat "$1"; return 1; }; }
rx_lacks() { ! grep -qx "$2" "$1" || { echo "received $2"; return 1; }; }

echo "1..25"
reset_bulkhead
modprobe veth
for ns in red black; do
	mkdir -p "$CG/$ns" "/srv/$ns"
	echo "$ns's report" > "/srv/$ns/report"
done
outside red 1
outside black 2
forwarding_on

# Before the policy: the two outside networks reach each other through this host.
allowed baseline_forwarding_mode_off pings_both red-net 10.20.2.2 black-net 10.20.1.2

allowed policy_applied_enforce applied_enforce "$POLICY"
# The module's kernel log lines say whose they are, the commit's among them (BH-CLI-1).
log_prefixed() {
	dmesg | grep -E 'policy generation [0-9]+ committed' > "$tmp/out" &&
		! grep -v 'bulkhead: policy generation' "$tmp/out"
}
allowed kernel_log_lines_prefixed log_prefixed
grep '^policy generation' "$tmp/out" | sed 's/^/# /'

# Files: each domain reads and writes its own directory and nothing of the other's.
allowed red_reads_own_file bulkhead exec red -- cat /srv/red/report
denied red_reads_black_file_denied "$DENIED" bulkhead exec red -- cat /srv/black/report
allowed black_reads_own_file bulkhead exec black -- cat /srv/black/report
denied black_reads_red_file_denied "$DENIED" bulkhead exec black -- cat /srv/red/report
allowed red_writes_own_dir write_file red /srv/red/note
denied red_writes_black_dir_denied "$DENIED" write_file red /srv/black/note
allowed black_writes_own_dir write_file black /srv/black/note
denied black_writes_red_dir_denied "$DENIED" write_file black /srv/red/note

# Signals: a sleeper in each domain; signal 0 from each side.
bulkhead exec red -- sleep 600 &
red_pid=$!
pids="$pids $red_pid"
bulkhead exec black -- sleep 600 &
black_pid=$!
pids="$pids $black_pid"
send joined red "$red_pid"
send joined black "$black_pid"
allowed red_signals_own_task bulkhead exec red -- kill -0 "$red_pid"
denied red_signals_black_task_denied "$DENIED" bulkhead exec red -- kill -0 "$black_pid"
allowed black_signals_own_task bulkhead exec black -- kill -0 "$black_pid"
denied black_signals_red_task_denied "$DENIED" bulkhead exec black -- kill -0 "$red_pid"

# Sending: a task reaches its own outside network only (the other's: EPERM at post-routing).
allowed red_task_pings_red_net ping_from_task red 10.20.1.2
denied red_task_ping_black_net_denied "$DENIED" ping_from_task red 10.20.2.2
allowed black_task_pings_black_net ping_from_task black 10.20.2.2
denied black_task_ping_red_net_denied "$DENIED" ping_from_task black 10.20.1.2

# Forwarding between the outside networks: dropped both ways.
denied forward_red_net_to_black_net_denied "" ping_from_net red-net 10.20.2.2
denied forward_black_net_to_red_net_denied "" ping_from_net black-net 10.20.1.2

# Receiving: a black service listening on every address of the host gets black-net's
# datagram, and not the one red-net sends to the host's address on red's line (sent first).
bulkhead exec black -- timeout 10 socat -u UDP-RECVFROM:7003 STDOUT > "$tmp/rx" 2>&1 &
rx_pid=$!
pids="$pids $rx_pid"
send bound udp "" 7003
echo from-red-net | ip netns exec red-net socat -u STDIN UDP-SENDTO:10.20.1.1:7003
sleep 0.2
echo from-black-net | ip netns exec black-net socat -u STDIN UDP-SENDTO:10.20.2.1:7003
wait "$rx_pid" || true
allowed black_task_receives_from_black_net rx_has "$tmp/rx" from-black-net
allowed black_task_receive_from_red_net_dropped rx_lacks "$tmp/rx" from-red-net

# Audit: the same crossings are counted and allowed.
bulkhead mode audit > /dev/null
before=$(denials file_open)
allowed audit_mode_allows_cross_read bulkhead exec red -- cat /srv/black/report
after=$(denials file_open)
echo "# file_open denials: $before before, $after after the audited read"
allowed audit_mode_counts_denial test "$after" -gt "$before"
allowed audit_mode_allows_forwarding ping_from_net red-net 10.20.2.2

finish
