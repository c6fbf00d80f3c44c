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

# shellcheck source-path=SCRIPTDIR source=scenario_lib.sh
. "$(dirname "$0")/scenario_lib.sh"

POLICY=/etc/bulkhead/examples/line-selector.bh
cgroups="red black"

teardown() {
	for ns in in red black; do
		rm_outside "$ns"
	done
}

# ping_from_task DOMAIN ADDR: never into a frozen cgroup, where the task would wait for a thaw
# that this script's signals could not hurry (they are denied).
ping_from_task() {
	grep -qx 'frozen 0' "$CG/$1/cgroup.events" || { echo "$1 is frozen"; return 1; }
	bulkhead exec "$1" -- ping -c1 -W2 "$2"
}

# frozen CGROUP 0|1: wait (5 s at most) until CGROUP's cgroup.events says "frozen 0|1".
frozen() {
	within grep -qx "frozen $2" "$CG/$1/cgroup.events" || { cat "$CG/$1/cgroup.events"; return 1; }
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
reset_bulkhead
modprobe veth
outside in 0
outside red 1
outside black 2
forwarding_on
# A ticker in each member's cgroup: a line every 0.2 s while it runs.
for cg in red black; do
	mkdir -p "$CG/$cg"
	echo 0 > "$CG/$cg/cgroup.freeze"
	# shellcheck disable=SC2016 # $$ is the ticker's own pid
	sh -c 'echo $$ > "$1/cgroup.procs"; while :; do echo tick; sleep 0.2; done' \
		ticker "$CG/$cg" > "$tmp/ticks.$cg" 2>&1 &
	pids="$pids $!"
done

allowed baseline_inside_reaches_both_lines_mode_off pings_both in-net 10.20.1.2 in-net 10.20.2.2

allowed policy_applied_enforce applied_enforce "$POLICY"
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

finish
