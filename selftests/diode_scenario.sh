#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# One-way data diode (examples/diode.bh): information moves from low to high over files and
# the network, and never back. High reads low's files and low writes into high's, not the
# reverse. Datagrams from low's outside network are forwarded into high's; nothing from high's
# network or high's tasks reaches low's network: forwarded datagrams and echo requests are
# dropped, a high task's sendto() fails with EPERM and its connect() with EACCES. A TCP
# connection from low-net to high-net cannot complete, as its SYN-ACK would flow back from
# high to low; a low task cannot connect() to high-net either (a stream needs both ways). An
# ICMP port-unreachable from high-net never reaches a low task's socket (no error comes back
# up its error queue), while a high task gets its own.
# Within a domain everything flows: a low task serves TCP to low-net, sends to low-net.
#
#       netns low-net          init netns (bulkhead, ip_forward=1)          netns high-net
#  +-----------------+     +--------------------------------------+     +-----------------+
#  | veth-low-p      |     | veth-low                   veth-high |     |     veth-high-p |
#  | 10.20.1.2/24    +-----+ 10.20.1.1 (low) ===> (high) 10.20.2.1 +-----+    10.20.2.2/24 |
#  | via 10.20.1.1   |     |                                      |     |   via 10.20.2.1 |
#  | UDP 7200 sink   |     | cgroup /low        cgroup /high      |     | UDP 7300 sink   |
#  +-----------------+     |   senders,           senders         |     | TCP 7100, 7101  |
#                          |   TCP 7102 server                    |     +-----------------+
#                          | /srv/low/report    /srv/high/secret  |
#                          +--------------------------------------+
#
# Output: TAP. Run as root inside the test VM (selftests/run.sh).

# shellcheck source-path=SCRIPTDIR source=scenario_lib.sh
. "$(dirname "$0")/scenario_lib.sh"

POLICY=/etc/bulkhead/examples/diode.bh
EPERM='Operation not permitted'
EACCES='Permission denied'
cgroups="low high"

teardown() {
	echo "1 0" > /proc/sys/net/ipv4/ping_group_range
	for ns in low high; do
		rm_outside "$ns"
		rm -rf "/srv/$ns"
	done
}

# rx_start NETNS PORT: collect the datagrams sent to PORT in NETNS into $tmp/rx.PORT.
rx_start() {
	ip netns exec "$1" timeout 60 socat -u "UDP-RECV:$2" STDOUT > "$tmp/rx.$2" 2>&1 &
	pids="$pids $!"
	bound udp "$1" "$2"
}
# rx_got PORT PAYLOAD: PAYLOAD arrived at PORT (waiting 5 s at most).
rx_got() {
	within grep -qx "$2" "$tmp/rx.$1" || { echo "port $1 got:"; cat "$tmp/rx.$1"; return 1; }
}
# rx_lacks PORT PAYLOAD...: none of the PAYLOADs arrived at PORT.
rx_lacks() {
	port=$1
	shift
	for p in "$@"; do
		if grep -qx "$p" "$tmp/rx.$port"; then
			echo "port $port got $p"
			return 1
		fi
	done
}

# udp_from_net NETNS ADDR PORT PAYLOAD, udp_from_task DOMAIN ADDR PORT PAYLOAD: one datagram,
# sent with sendto(); udp_connected_from_task sends it on a connected socket.
udp_from_net() { echo "$4" | ip netns exec "$1" socat -u STDIN "UDP-SENDTO:$2:$3"; }
udp_from_task() { echo "$4" | bulkhead exec "$1" -- socat -u STDIN "UDP-SENDTO:$2:$3"; }
udp_connected_from_task() { echo "$4" | bulkhead exec "$1" -- socat -u STDIN "UDP:$2:$3"; }
# mib NETNS PROTO COUNTER: a counter of /proc/net/snmp in NETNS ("Icmp InEchos").
mib() {
	ip netns exec "$1" cat /proc/net/snmp | awk -v p="$2:" -v c="$3" '$1 == p {
		if (!col) { for (i = 1; i <= NF; i++) if ($i == c) col = i; next }
		print $col }'
}
# tcp_once NETNS ADDR PORT PAYLOAD: a TCP connection from NETNS carrying PAYLOAD.
tcp_once() { echo "$4" | ip netns exec "$1" timeout 8 nc -w 3 "$2" "$3"; }
same() { [ "$(cat "$1")" = "$2" ] || { echo "$1 holds:"; cat "$1"; return 1; }; }
# udp_error DOMAIN ADDR PORT: a task of DOMAIN sends a datagram on a connected socket to a
# closed port; its second send fails ("refused") when the ICMP error came back to it.
udp_error() {
	bulkhead exec "$1" -- python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect((sys.argv[1], int(sys.argv[2])))
s.send(b"probe")
time.sleep(1)
try:
	s.send(b"probe")
	print("no error")
except ConnectionRefusedError:
	print("refused")
' "$2" "$3"
}
empty() { [ ! -s "$1" ] || { echo "$1 holds:"; cat "$1"; return 1; }; }

echo "1..32"
reset_bulkhead
modprobe veth
for ns in low high; do
	mkdir -p "$CG/$ns" "/srv/$ns"
done
echo "low's report" > /srv/low/report
echo "high's secret" > /srv/high/secret
outside low 1
outside high 2
forwarding_on

# Before the policy, both ways work: a datagram from high-net reaches low-net and a TCP
# connection from low-net to high-net carries data.
send rx_start low-net 7200
for _ in 1 2 3; do
	send udp_from_net high-net 10.20.1.2 7200 baseline-high-net
	grep -qx baseline-high-net "$tmp/rx.7200" && break
	sleep 1
done
allowed baseline_udp_high_net_to_low_net rx_got 7200 baseline-high-net
ip netns exec high-net timeout 20 nc -l -p 7100 > "$tmp/tcp.7100" 2>&1 &
tcp_pid=$!
pids="$pids $tcp_pid"
send bound tcp high-net 7100
send tcp_once low-net 10.20.2.2 7100 baseline-tcp
wait "$tcp_pid" || true
allowed baseline_tcp_low_net_to_high_net same "$tmp/tcp.7100" baseline-tcp

allowed policy_applied_enforce applied_enforce "$POLICY"
grep '^policy generation' "$tmp/out" | sed 's/^/# /'

# Files: high reads low's, low writes into high's; never the reverse.
allowed high_reads_low_file bulkhead exec high -- cat /srv/low/report
denied low_reads_high_file_denied "$DENIED" bulkhead exec low -- cat /srv/high/secret
allowed low_writes_into_high write_file low /srv/high/inbox
denied high_writes_into_low_denied "$DENIED" write_file high /srv/low/outbox

# Up the diode: low-net's datagram is forwarded into high-net, a low task's is sent there.
send rx_start high-net 7300
send udp_from_net low-net 10.20.2.2 7300 low-net-to-high-net
send udp_from_task low 10.20.2.2 7300 low-task-to-high-net
send udp_from_task high 10.20.2.2 7300 high-task-to-high-net
allowed udp_low_net_to_high_net_forwarded rx_got 7300 low-net-to-high-net
allowed low_task_udp_to_high_net_delivered rx_got 7300 low-task-to-high-net
allowed high_task_udp_to_high_net_delivered rx_got 7300 high-task-to-high-net

# Down the diode: nothing from high-net or high's tasks reaches low-net, while low's own task
# does (its datagram is sent last, so the others had their chance first).
send udp_from_net high-net 10.20.1.2 7200 high-net-to-low-net
denied high_task_udp_sendto_low_net_denied "$EPERM" \
	udp_from_task high 10.20.1.2 7200 high-task-sendto-low-net
denied high_task_udp_connect_low_net_denied "$EACCES" \
	udp_connected_from_task high 10.20.1.2 7200 high-task-connect-low-net
sleep 0.2
send udp_from_task low 10.20.1.2 7200 low-task-to-low-net
allowed low_task_udp_to_low_net_delivered rx_got 7200 low-task-to-low-net
allowed udp_high_net_to_low_net_dropped rx_lacks 7200 high-net-to-low-net
allowed high_task_datagrams_not_received rx_lacks 7200 high-task-sendto-low-net \
	high-task-connect-low-net

# Echo requests: low-net's reach high-net but the replies cannot come back; high-net's never
# reach low-net.
before=$(mib high-net Icmp InEchos)
denied ping_low_net_to_high_net_no_reply "" ping_from_net low-net 10.20.2.2
after=$(mib high-net Icmp InEchos)
echo "# high-net echo requests received: $before before, $after after"
allowed ping_low_net_request_reaches_high_net test "$after" -gt "$before"
before=$(mib low-net Icmp InEchos)
denied ping_high_net_to_low_net_dropped "" ping_from_net high-net 10.20.1.2
after=$(mib low-net Icmp InEchos)
echo "# low-net echo requests received: $before before, $after after"
allowed ping_high_net_request_never_reaches_low_net test "$after" = "$before"

# TCP: low-net's SYN reaches high-net's server, whose SYN-ACK is dropped; a low task's server
# serves low-net; a low task cannot even connect() to high-net.
ip netns exec high-net timeout 20 nc -l -p 7101 > "$tmp/tcp.7101" 2>&1 &
tcp_pid=$!
pids="$pids $tcp_pid"
send bound tcp high-net 7101
before=$(mib high-net Tcp InSegs)
denied tcp_low_net_to_high_net_not_established "" tcp_once low-net 10.20.2.2 7101 up-the-diode
after=$(mib high-net Tcp InSegs)
kill "$tcp_pid" 2> /dev/null || true
echo "# high-net TCP segments received: $before before, $after after"
allowed tcp_syn_reaches_high_net test "$after" -gt "$before"
allowed tcp_high_net_server_got_nothing empty "$tmp/tcp.7101"
bulkhead exec low -- timeout 20 nc -l -p 7102 > "$tmp/tcp.7102" 2>&1 &
tcp_pid=$!
pids="$pids $tcp_pid"
send bound tcp "" 7102
send tcp_once low-net 10.20.1.1 7102 within-low
wait "$tcp_pid" || true
allowed tcp_low_net_to_low_task_established same "$tmp/tcp.7102" within-low
denied low_task_tcp_connect_high_net_denied "$EACCES" \
	bulkhead exec low -- timeout 8 nc -w 3 10.20.2.2 7101 < /dev/null

# ICMP errors: high-net's port-unreachable reaches a high task's socket, never a low task's.
udp_error high 10.20.2.2 7399 > "$tmp/icmp.high" 2>&1
allowed icmp_error_reaches_high_task same "$tmp/icmp.high" refused
udp_error low 10.20.2.2 7399 > "$tmp/icmp.low" 2>&1
allowed icmp_error_from_high_net_never_reaches_low_task same "$tmp/icmp.low" "no error"

# Errors for ping and raw sockets: an unreachable route behind each outside network answers
# with ICMP errors quoting the probe. From high-net they reach no low socket (the ping socket
# is found by an identifier the kernel keeps to itself: errors from a domain's network reach
# ping sockets only when that domain may send to every domain); from low-net they do.
echo "0 2147483647" > /proc/sys/net/ipv4/ping_group_range
for side in low:1:8 high:2:9; do
	ns=${side%%:*} net=${side#*:}
	ip netns exec "$ns-net" sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
	ip -n "$ns-net" route add unreachable "10.20.${net#*:}.0/24"
	ip route add "10.20.${net#*:}.0/24" via "10.20.${net%:*}.2"
done
probe() { bulkhead exec low -- /selftests/icmp_probe "$@"; }
starts() { grep -q "^$2" "$1" || { echo "$1 holds:"; cat "$1"; return 1; }; }
probe ping 10.20.8.1 > "$tmp/ping.low" 2>&1
allowed ping_error_from_low_net_reaches_low_task starts "$tmp/ping.low" "error 3 "
probe ping 10.20.9.1 > "$tmp/ping.high" 2>&1
allowed ping_error_from_high_net_never_reaches_low_task same "$tmp/ping.high" "no error"
probe raw-udp 10.20.1.2 7299 > "$tmp/raw.low" 2>&1
allowed raw_error_from_low_net_reaches_low_task same "$tmp/raw.low" "error 3 3"
probe raw-udp 10.20.2.2 7399 > "$tmp/raw.high" 2>&1
allowed raw_error_from_high_net_never_reaches_low_task same "$tmp/raw.high" "no error"

# The example grants low sys_time, and no one else: low sets the clock (to what it reads),
# high may not. (busybox date reports a refused setting and still exits 0: its message is
# the answer.)
set_clock() {
	bulkhead exec "$1" -- sh -c 'e=$(date -s "@$(date +%s)" 2>&1 >/dev/null); echo "$e"; [ -z "$e" ]'
}
allowed grant_lets_low_set_the_clock set_clock low
denied high_sets_no_clock "$EPERM" set_clock high

finish
