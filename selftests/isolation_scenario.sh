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

# Busybox's timeout (selftests/run.sh) runs "sh" as its own ash, which prefers busybox applets
# (ip, modprobe, ...) to the real tools: run under dash.
[ "$(readlink /proc/$$/exe)" = /bin/dash ] || exec /bin/dash "$0" "$@"
set -e

POLICY=/etc/bulkhead/examples/isolation.bh
CG=/sys/fs/cgroup
DENIED='Permission denied|Operation not permitted'
tmp=$(mktemp -d /tmp/isolation.XXXXXX)
start=$(date +%s)
fwd_was=$(cat /proc/sys/net/ipv4/ip_forward)
pids=
n=0
failed=0

cleanup() {
	rc=$?
	set +e
	bulkhead mode off > /dev/null 2>&1
	: > "$tmp/empty.bh"
	bulkhead policy apply "$tmp/empty.bh" > /dev/null 2>&1
	for p in $pids; do
		kill -9 "$p" 2> /dev/null
	done
	wait 2> /dev/null
	for ns in red black; do
		ip link del "veth-$ns" 2> /dev/null
		ip netns del "$ns-net" 2> /dev/null
		rm_cgroup "$ns" 2> /dev/null
		rm -rf "/srv/$ns"
	done
	echo "$fwd_was" > /proc/sys/net/ipv4/ip_forward
	rm -rf "$tmp"
	exit "$rc"
}
# rm_cgroup NAME: kill what is left in cgroup NAME (mode off), then remove it; 5 s at most.
rm_cgroup() {
	[ -d "$CG/$1" ] || return 0
	echo 0 > "$CG/$1/cgroup.freeze"
	i=0
	while ! rmdir "$CG/$1" 2> /dev/null; do
		if [ $i -ge 50 ]; then
			echo "# cleanup: cgroup $1 left behind"
			return 1
		fi
		while read -r p; do
			kill -9 "$p"
		done < "$CG/$1/cgroup.procs"
		sleep 0.1
		i=$((i + 1))
	done
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# TAP: "ok N NAME" or "not ok N NAME"; a failed check shows its output as "# " lines.
result() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		sed 's/^/# /' "$tmp/out"
		echo "not ok $n $2"
		failed=$((failed + 1))
	fi
}

# allowed NAME CMD...: CMD succeeds.
allowed() {
	name=$1
	shift
	if "$@" > "$tmp/out" 2>&1; then result 0 "$name"; else result 1 "$name"; fi
}

# denied NAME WHY CMD...: CMD fails; when WHY (an extended regex) is set, its output says so.
denied() {
	name=$1 why=$2
	shift 2
	if "$@" > "$tmp/out" 2>&1; then
		echo "succeeded, expected a failure" >> "$tmp/out"
		result 1 "$name"
	elif [ -n "$why" ] && ! grep -Eq "$why" "$tmp/out"; then
		echo "failed, but without: $why" >> "$tmp/out"
		result 1 "$name"
	else
		tail -n 1 "$tmp/out" | sed 's/^/# /'
		result 0 "$name"
	fi
}

# outside NAME SUBNET: veth-NAME (10.20.SUBNET.1) here, its peer in netns NAME-net (.2).
outside() {
	ip netns add "$1-net"
	ip link add "veth-$1" type veth peer name "veth-$1-p" netns "$1-net"
	ip addr add "10.20.$2.1/24" dev "veth-$1"
	ip link set "veth-$1" up
	ip -n "$1-net" link set lo up
	ip -n "$1-net" addr add "10.20.$2.2/24" dev "veth-$1-p"
	ip -n "$1-net" link set "veth-$1-p" up
	ip -n "$1-net" route add default via "10.20.$2.1"
}

# udp_bound NETNS PORT: wait (5 s at most) until a UDP socket is bound to PORT in NETNS
# ("" for this namespace).
udp_bound() {
	port=$(printf ':%04X ' "$2")
	i=0
	while [ $i -lt 50 ]; do
		if [ -n "$1" ]; then
			ip netns exec "$1" cat /proc/net/udp
		else
			cat /proc/net/udp
		fi | grep -q "$port" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "nothing bound to UDP port $2"
	return 1
}

# ping_from_net NETNS ADDR, ping_from_task DOMAIN ADDR: one echo request.
ping_from_net() { ip netns exec "$1" ping -c1 -W2 "$2"; }
ping_from_task() { bulkhead exec "$1" -- ping -c1 -W2 "$2"; }
# Both ways, with a few tries: the links have just come up.
both_forward() {
	for _ in 1 2 3; do
		ping_from_net red-net 10.20.2.2 && ping_from_net black-net 10.20.1.2 && return 0
	done
	return 1
}
# joined CGROUP PID: wait (5 s at most) until PID has moved into CGROUP, where "bulkhead exec"
# puts itself before it runs the command.
joined() {
	i=0
	while ! grep -qx "$2" "$CG/$1/cgroup.procs"; do
		[ $i -lt 50 ] || { echo "pid $2 is not in cgroup $1"; return 1; }
		sleep 0.1
		i=$((i + 1))
	done
}
# send CMD...: a step that should work; what goes wrong shows as diagnostics.
send() { "$@" > "$tmp/send" 2>&1 || sed 's/^/# /' "$tmp/send"; }
write_file() { bulkhead exec "$1" -- sh -c "echo '$1 was here' > '$2'"; }
denials() { bulkhead status | awk -v h="$1" '$1 == h { print $6 }'; }
rx_has() { grep -qx "$2" "$1" || { echo "received:"; cat "$1"; return 1; }; }
rx_lacks() { ! grep -qx "$2" "$1" || { echo "received $2"; return 1; }; }

echo "1..25"
bulkhead load > /dev/null
bulkhead mode off > /dev/null
: > "$tmp/empty.bh"
bulkhead policy apply "$tmp/empty.bh" > /dev/null
modprobe veth
for ns in red black; do
	ip link del "veth-$ns" 2> /dev/null || true
	ip netns del "$ns-net" 2> /dev/null || true
	mkdir -p "$CG/$ns" "/srv/$ns"
	echo "$ns's report" > "/srv/$ns/report"
done
outside red 1
outside black 2
echo 1 > /proc/sys/net/ipv4/ip_forward

# Before the policy: the two outside networks reach each other through this host.
allowed baseline_forwarding_mode_off both_forward

allowed policy_applied_enforce sh -c "bulkhead policy apply $POLICY && bulkhead status | grep -x 'mode: enforce'"
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
udp_bound "" 7003 > "$tmp/out" || sed 's/^/# /' "$tmp/out"
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

echo "# $failed failed, $(($(date +%s) - start)) s"
[ "$failed" = 0 ]
