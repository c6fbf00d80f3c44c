# SPDX-License-Identifier: GPL-2.0
# Helpers shared by the *_scenario.sh scripts: TAP checks, cleanup, outside networks (netns + veth).
#
# A scenario sources it first thing, with . "$(dirname "$0")/scenario_lib.sh", which re-executes
# it under dash, turns on set -e, sets CG, DENIED, tmp (a new directory /tmp/NAME.XXXXXX for
# NAME_scenario.sh), start, cgroups, pids, fwd_was, n and failed, and makes cleanup the EXIT
# trap. After that the scenario may set, for cleanup:
#   cgroups   the cgroups (under $CG) it creates: thawed before $pids are killed, then removed;
#   pids      background processes to kill (append to it);
#   teardown  a function, run after the kills, removing the rest of what it set up.

# Busybox's timeout (selftests/run.sh) runs "sh" as its own ash, which prefers busybox applets
# (ip, modprobe, ...) to the real tools: run under dash. ($0 is the scenario's, even here.)
[ "$(readlink /proc/$$/exe)" = /bin/dash ] || exec /bin/dash "$0" "$@"
set -e

CG=/sys/fs/cgroup
# shellcheck disable=SC2034 # the scenarios' "denied" checks use it
DENIED='Permission denied|Operation not permitted'
tmp=$(mktemp -d "/tmp/$(basename "$0" _scenario.sh).XXXXXX")
start=$(date +%s)
cgroups=
pids=
fwd_was=
n=0
failed=0

# teardown: the scenario's own clean-up (none unless the scenario defines it).
teardown() { :; }

# cleanup: EXIT trap; mode off, empty policy, kill $pids, teardown, remove $cgroups and $tmp.
cleanup() {
	rc=$?
	set +e
	bulkhead mode off > /dev/null 2>&1
	: > "$tmp/empty.bh"
	bulkhead policy apply "$tmp/empty.bh" > /dev/null 2>&1
	for cg in $cgroups; do
		echo 0 > "$CG/$cg/cgroup.freeze" 2> /dev/null
	done
	for p in $pids; do
		kill -9 "$p" 2> /dev/null
	done
	wait 2> /dev/null
	teardown
	for cg in $cgroups; do
		rm_cgroup "$cg" 2> /dev/null
	done
	[ -z "$fwd_was" ] || echo "$fwd_was" > /proc/sys/net/ipv4/ip_forward
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

# reset_bulkhead: load the module, mode off, and an empty policy ($tmp/empty.bh).
reset_bulkhead() {
	bulkhead load > /dev/null
	bulkhead mode off > /dev/null
	: > "$tmp/empty.bh"
	bulkhead policy apply "$tmp/empty.bh" > /dev/null
}

# result 0|1 NAME: TAP "ok N NAME" or "not ok N NAME" (after $tmp/out as "# " lines).
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

# within CMD...: run CMD every 0.1 s until it succeeds, for 5 s at most (N times that with
# bulkhead.slow=N).
within() {
	i=0
	until "$@"; do
		# 5 s, stretched on the debug kernel (bulkhead.slow=N), where a datagram sent from a
		# domain through socat took longer to arrive.
		[ $i -lt $((50 * ${BULKHEAD_SLOW:-1})) ] || return 1
		sleep 0.1
		i=$((i + 1))
	done
}

# finish: the closing "# F failed, S s" line; fails if any check failed.
finish() {
	echo "# $failed failed, $(($(date +%s) - start)) s"
	[ "$failed" = 0 ]
}

# send CMD...: a step that should work; what goes wrong shows as diagnostics.
send() { "$@" > "$tmp/send" 2>&1 || sed 's/^/# /' "$tmp/send"; }

# applied_enforce POLICY: POLICY is applied and the mode is now enforce.
applied_enforce() { bulkhead policy apply "$1" && bulkhead status | grep -x 'mode: enforce'; }

# forwarding_on: turn IPv4 forwarding on; cleanup puts back what it was.
forwarding_on() {
	fwd_was=$(cat /proc/sys/net/ipv4/ip_forward)
	echo 1 > /proc/sys/net/ipv4/ip_forward
}

# rm_outside NAME: remove veth-NAME and netns NAME-net, if they exist.
rm_outside() {
	ip link del "veth-$1" 2> /dev/null || true
	ip netns del "$1-net" 2> /dev/null || true
}

# outside NAME SUBNET: veth-NAME (10.20.SUBNET.1) here, its peer in netns NAME-net (.2).
outside() {
	rm_outside "$1"
	ip netns add "$1-net"
	ip link add "veth-$1" type veth peer name "veth-$1-p" netns "$1-net"
	ip addr add "10.20.$2.1/24" dev "veth-$1"
	ip link set "veth-$1" up
	ip -n "$1-net" link set lo up
	ip -n "$1-net" addr add "10.20.$2.2/24" dev "veth-$1-p"
	ip -n "$1-net" link set "veth-$1-p" up
	ip -n "$1-net" route add default via "10.20.$2.1"
}

# bound udp|tcp NETNS PORT: wait 5 s at most until PORT is bound (TCP: listens) in NETNS ("" here).
bound() {
	pattern=$(printf ':%04X ' "$3")
	if [ "$1" = tcp ]; then
		pattern="${pattern}[0-9A-F:]* 0A "
	fi
	within socket_listed "$1" "$2" "$pattern" ||
		{ echo "nothing bound to $1 port $3 in netns '$2'"; return 1; }
}

# socket_listed udp|tcp NETNS PATTERN: a line of NETNS's IPv4 or IPv6 socket table matches.
socket_listed() {
	if [ -n "$2" ]; then
		ip netns exec "$2" cat "/proc/net/$1" "/proc/net/${1}6"
	else
		cat "/proc/net/$1" "/proc/net/${1}6"
	fi | grep -q "$3"
}

# ping_from_net NETNS ADDR: one echo request from netns NETNS.
ping_from_net() { ip netns exec "$1" ping -c1 -W2 "$2"; }

# pings_both NETNS1 ADDR1 NETNS2 ADDR2: both pings succeed; 3 tries, as links may just be up.
pings_both() {
	for _ in 1 2 3; do
		ping_from_net "$1" "$2" && ping_from_net "$3" "$4" && return 0
	done
	return 1
}

# write_file DOMAIN FILE: a task of DOMAIN writes a line into FILE.
write_file() { bulkhead exec "$1" -- sh -c "echo '$1 was here' > '$2'"; }
