#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Line selector (examples/line-selector.bh): the protected network in-net reaches one outside
# line at a time through this host. red and black form the exclusive group "line"; red is
# active after apply. With red active, black's tasks are frozen, in-net and red-net reach each
# other and black-net is cut off both ways (its packets are dropped at veth-black, although
# flows inside <-> black are declared). "bulkhead switch black" flips it all: red frozen, black
# thawed, black-net connected, red-net cut off; "bulkhead switch red" flips it back. Each state
# shows in "bulkhead status" (text and JSON) and in the cgroups' cgroup.events.
#
#                         init netns (bulkhead, ip_forward=1)           netns red-net
#                     +----------------------------------------+     +-----------------+
#     netns in-net    |                    (red) 10.20.1.1     |     |    veth-red-p   |
#  +----------------+ |                             veth-red   +-----+    10.20.1.2/24 |
#  | veth-in-p      | |  exclusive line { red black }          |     |   via 10.20.1.1 |
#  | 10.20.0.2/24   +-+ veth-in                                |     +-----------------+
#  | via 10.20.0.1  | | 10.20.0.1 (inside)                     |      netns black-net
#  +----------------+ |                             veth-black |     +-----------------+
#                     |                    (black) 10.20.2.1   +-----+  veth-black-p   |
#                     | cgroup /red: ticker                    |     |    10.20.2.2/24 |
#                     | cgroup /black: ticker                  |     |   via 10.20.2.1 |
#                     +----------------------------------------+     +-----------------+
#
# Output: TAP. Run as root inside the test VM (selftests/run.sh).

# Busybox's timeout (selftests/run.sh) runs "sh" as its own ash, which prefers busybox applets
# (ip, modprobe, ...) to the real tools: run under dash.
[ "$(readlink /proc/$$/exe)" = /bin/dash ] || exec /bin/dash "$0" "$@"
set -e

POLICY=/etc/bulkhead/examples/line-selector.bh
CG=/sys/fs/cgroup
tmp=$(mktemp -d /tmp/selector.XXXXXX)
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
	for cg in red black; do
		echo 0 > "$CG/$cg/cgroup.freeze" 2> /dev/null
	done
	for p in $pids; do
		kill -9 "$p" 2> /dev/null
	done
	wait 2> /dev/null
	for ns in in red black; do
		ip link del "veth-$ns" 2> /dev/null
		ip netns del "$ns-net" 2> /dev/null
	done
	rm_cgroup red 2> /dev/null
	rm_cgroup black 2> /dev/null
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

ping_from_net() { ip netns exec "$1" ping -c1 -W2 "$2"; }
# ping_from_task DOMAIN ADDR: never into a frozen cgroup, where the task would wait for a thaw
# that this script's signals could not hurry (they are denied).
ping_from_task() {
	grep -qx 'frozen 0' "$CG/$1/cgroup.events" || { echo "$1 is frozen"; return 1; }
	bulkhead exec "$1" -- ping -c1 -W2 "$2"
}
# Before the policy, with a few tries: the links have just come up.
inside_reaches_both() {
	for _ in 1 2 3; do
		ping_from_net in-net 10.20.1.2 && ping_from_net in-net 10.20.2.2 && return 0
	done
	return 1
}

# frozen CGROUP 0|1: wait (5 s at most) until CGROUP's cgroup.events says "frozen 0|1".
frozen() {
	i=0
	while [ $i -lt 50 ]; do
		grep -qx "frozen $2" "$CG/$1/cgroup.events" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	cat "$CG/$1/cgroup.events"
	return 1
}
# ticking CGROUP: its ticker writes more lines within 5 s. still CGROUP: none for 1 s.
ticks() { wc -l < "$tmp/ticks.$1"; }
ticking() {
	a=$(ticks "$1")
	i=0
	while [ $i -lt 25 ]; do
		sleep 0.2
		[ "$(ticks "$1")" -gt "$a" ] && return 0
		i=$((i + 1))
	done
	echo "$1's ticker stayed at $a lines"
	return 1
}
still() {
	a=$(ticks "$1")
	sleep 1
	b=$(ticks "$1")
	[ "$a" = "$b" ] || { echo "$1's ticker went from $a to $b lines"; return 1; }
}
# status_shows ACTIVE: the text status names ACTIVE active, it running and the other frozen.
status_shows() {
	if [ "$1" = red ]; then
		line='red \(running\) black \(frozen\)'
	else
		line='red \(frozen\) black \(running\)'
	fi
	bulkhead status > "$tmp/status"
	grep -E "^ +line +active $1: $line\$" "$tmp/status" ||
		{ sed -n '/^exclusive/,$p' "$tmp/status"; return 1; }
}
# show_status: the group's line of "bulkhead status", as a diagnostic.
show_status() { grep -E '^ +line ' "$tmp/status" | sed 's/^ */# status: /'; }
status_json_shows() {
	if [ "$1" = red ]; then
		members='{"name":"red","tasks":"running"},{"name":"black","tasks":"frozen"}'
	else
		members='{"name":"red","tasks":"frozen"},{"name":"black","tasks":"running"}'
	fi
	want="\"groups\":[{\"name\":\"line\",\"active\":\"$1\",\"members\":[$members]}]"
	bulkhead status -j | tr -d ' \n' > "$tmp/status.json"
	grep -qF "$want" "$tmp/status.json" || { echo "want $want in:"; cat "$tmp/status.json"; return 1; }
}
switch_to() { bulkhead switch "$1" && frozen "$2" 1 && frozen "$1" 0; }

echo "1..32"
bulkhead load > /dev/null
bulkhead mode off > /dev/null
: > "$tmp/empty.bh"
bulkhead policy apply "$tmp/empty.bh" > /dev/null
modprobe veth
for ns in in red black; do
	ip link del "veth-$ns" 2> /dev/null || true
	ip netns del "$ns-net" 2> /dev/null || true
done
outside in 0
outside red 1
outside black 2
echo 1 > /proc/sys/net/ipv4/ip_forward
# A ticker in each member's cgroup: a line every 0.2 s while it runs.
for cg in red black; do
	mkdir -p "$CG/$cg"
	echo 0 > "$CG/$cg/cgroup.freeze"
	# shellcheck disable=SC2016 # $$ is the ticker's own pid
	sh -c 'echo $$ > "$1/cgroup.procs"; while :; do echo tick; sleep 0.2; done' \
		ticker "$CG/$cg" > "$tmp/ticks.$cg" 2>&1 &
	pids="$pids $!"
done

allowed baseline_inside_reaches_both_lines_mode_off inside_reaches_both

allowed policy_applied_enforce sh -c "bulkhead policy apply $POLICY && bulkhead status | grep -x 'mode: enforce'"
grep '^policy generation' "$tmp/out" | sed 's/^/# /'

# red active: red runs and is connected; black is frozen and cut off.
allowed red_running_while_active frozen red 0
allowed red_ticks_while_active ticking red
allowed black_frozen_while_inactive frozen black 1
allowed black_ticks_stop_while_inactive still black
allowed status_shows_red_active status_shows red
show_status
allowed status_json_shows_red_active status_json_shows red
allowed inside_reaches_red_net ping_from_net in-net 10.20.1.2
denied inside_to_black_net_cut "" ping_from_net in-net 10.20.2.2
allowed red_net_reaches_inside ping_from_net red-net 10.20.0.2
denied black_net_to_inside_cut "" ping_from_net black-net 10.20.0.2
allowed red_task_pings_red_net ping_from_task red 10.20.1.2

# switch black: the kernel flips the group, the CLI freezes red and thaws black.
allowed switch_to_black switch_to black red
allowed red_ticks_stop_after_switch still red
allowed black_ticks_after_switch ticking black
allowed status_shows_black_active status_shows black
show_status
allowed status_json_shows_black_active status_json_shows black
allowed inside_reaches_black_net ping_from_net in-net 10.20.2.2
denied inside_to_red_net_cut "" ping_from_net in-net 10.20.1.2
allowed black_net_reaches_inside ping_from_net black-net 10.20.0.2
denied red_net_to_inside_cut "" ping_from_net red-net 10.20.0.2
allowed black_task_pings_black_net ping_from_task black 10.20.2.2

# switch red: back as at first.
allowed switch_back_to_red switch_to red black
allowed red_ticks_again ticking red
allowed black_ticks_stop_again still black
allowed status_shows_red_active_again status_shows red
show_status
allowed inside_reaches_red_net_again ping_from_net in-net 10.20.1.2
denied inside_to_black_net_cut_again "" ping_from_net in-net 10.20.2.2

# Leaving the group thaws its members: an empty policy runs black again.
allowed empty_policy_thaws_all sh -c "bulkhead policy apply $tmp/empty.bh && bulkhead mode off"
allowed black_running_after_empty_policy frozen black 0
allowed black_ticks_after_empty_policy ticking black

echo "# $failed failed, $(($(date +%s) - start)) s"
[ "$failed" = 0 ]
