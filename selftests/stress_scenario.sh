#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Stress: stress-ng file, directory, socket, signal and System V IPC workers run in two domains,
# sa and sb, while this script keeps changing the policy under them for 20 s: it re-applies
# two policies in turn (p1: sa and sb talk to host over TCP on lo; p2: the same, one domain
# more with nested path labels inside sa's and sb's trees, and flows between sa and sb), both
# in enforce mode, switches the exclusive group { sa sb } at every round, which freezes one
# domain's workers and thaws the other's (until the CLI has frozen it, the member just made
# inactive runs and is denied everything), and every third round turns to audit mode until
# the next apply. It checks that every apply, switch and mode change succeeded, that the hooks
# were exercised, that the workers ended, that bulkhead still answers, and that the kernel
# logged no warning meanwhile (the VM runner checks the whole kernel log too).
#
#                         init netns (bulkhead)
#  +-------------------------------------------------------------------+
#  |  cgroup /stress-a (sa)            cgroup /stress-b (sb)           |
#  |  stress-ng: hdd dir open sock     stress-ng: hdd dir open sock    |
#  |    sockpair sigq msg                sockpair sigq msg             |
#  |  /srv/stress-a  (/sub: sc in p2)  /srv/stress-b  (/sub: sc in p2) |
#  |          \__ TCP 127.0.0.1:22000 __ lo (host) __ :23000 __/        |
#  |                                                                   |
#  |  this script: apply p2, switch sb, apply p1, switch sa, ... 20 s  |
#  +-------------------------------------------------------------------+
#
# Output: TAP. Run as root inside the test VM (selftests/run.sh).

# shellcheck source-path=SCRIPTDIR source=scenario_lib.sh
. "$(dirname "$0")/scenario_lib.sh"

# Stretched on the debug kernel (BULKHEAD_SLOW), where 20 s is two rounds and no System V call.
SECONDS_OF_STRESS=$((20 * ${BULKHEAD_SLOW:-1}))
HOOKS="file_open inode_create inode_unlink inode_mkdir task_kill socket_connect socket_sock_rcv_skb
ipc_permission nf_post_routing"
cgroups="stress-a stress-b"

teardown() {
	for d in a b; do
		rm -rf "/srv/stress-$d"
	done
}

# kill_cgroup CGROUP: SIGKILL every task left in CGROUP (stress-ng's workers, say).
kill_cgroup() {
	[ -e "$1/cgroup.procs" ] || return 0
	while read -r p; do
		kill -9 "$p" 2> /dev/null || true
	done < "$1/cgroup.procs"
}

# snapshot FILE: "HOOK CALLS DENIALS" for every hook of $HOOKS.
snapshot() {
	bulkhead status > "$tmp/status"
	for h in $HOOKS; do
		awk -v h="$h" '$1 == h { print h, $4, $6 }' "$tmp/status"
	done > "$1"
}
# exercised: every hook of $HOOKS was called during the run.
exercised() {
	awk 'NR == FNR { calls[$1] = $2; denials[$1] = $3; next }
		{ printf "%s: %d calls, %d denials\n", $1, $2 - calls[$1], $3 - denials[$1]
		  if ($2 <= calls[$1]) idle++ }
		END { exit idle > 0 }' "$tmp/before" "$tmp/after"
}
# gone PID SECONDS: PID has exited within SECONDS.
gone() {
	i=0
	while kill -0 "$1" 2> /dev/null; do
		[ $i -ge $(($2 * 5)) ] && { echo "pid $1 still runs after $2 s"; return 1; }
		sleep 0.2
		i=$((i + 1))
	done
}
no_tasks_left() {
	for d in a b; do
		[ -z "$(cat "$CG/stress-$d/cgroup.procs")" ] ||
			{ echo "left in stress-$d:"; cat "$CG/stress-$d/cgroup.procs"; return 1; }
	done
}
# kernel_log_clean: nothing alarming in the kernel log since this script began.
kernel_log_clean() {
	dmesg | sed -n '/stress_scenario: begin/,$p' > "$tmp/dmesg"
	! grep -E 'WARNING|BUG|Oops|lockdep|circular locking|stall|Call Trace' "$tmp/dmesg"
}
status_works() {
	if bulkhead status > "$tmp/status" && grep -q '^mode: off$' "$tmp/status" &&
		bulkhead status -j > "$tmp/status.json" &&
		grep -q '"groups":\[\]' "$tmp/status.json"; then
		return 0
	fi
	cat "$tmp/status" "$tmp/status.json"
	return 1
}

cat > "$tmp/p1.bh" << 'EOF'
# p1: sa and sb run host's programs and talk TCP over lo with host.
mode enforce
domain sa { cgroup /stress-a  path /srv/stress-a }
domain sb { cgroup /stress-b  path /srv/stress-b }
flow host -> sa { file exec net unix ipc }
flow sa -> host { net unix }
flow host -> sb { file exec net unix ipc }
flow sb -> host { net unix }
exclusive stress { sa sb }
EOF
cat > "$tmp/p2.bh" << 'EOF'
# p2: p1, one domain more, labelling a subtree inside sa's and inside sb's, and flows
# between sa and sb.
mode enforce
domain sa { cgroup /stress-a  path /srv/stress-a }
domain sb { cgroup /stress-b  path /srv/stress-b }
domain sc { path /srv/stress-a/sub  path /srv/stress-b/sub }
flow host -> sa { file exec net unix ipc }
flow sa -> host { net unix } audit
flow host -> sb { file exec net unix ipc }
flow sb -> host { net unix } audit
flow sa -> sb { file signal }
flow sb -> sa { file signal } audit
flow sa -> sc { file }
flow sc -> sb { file }
exclusive stress { sa sb }
EOF

echo "1..10"
reset_bulkhead
echo "stress_scenario: begin" > /dev/kmsg
for d in a b; do
	mkdir -p "$CG/stress-$d" "/srv/stress-$d/sub"
	echo 0 > "$CG/stress-$d/cgroup.freeze"
done

allowed policies_valid sh -c "bulkhead policy check $tmp/p1.bh && bulkhead policy check $tmp/p2.bh"
allowed first_policy_applied bulkhead policy apply "$tmp/p1.bh"
snapshot "$tmp/before"

# stress-ng in each domain (sb's waits frozen until the first switch).
# stress DOMAIN-LETTER PORT: stress-ng in the background, in domain s<LETTER>.
#
# At most 256 descriptors per worker: the sockpair worker opens as many socket pairs as it
# may, and when a denial ends its reader (the member just made inactive is denied
# everything), it fills every pair's buffers and keeps them until its timeout. With the
# default 1024 descriptors that pinned some 120 MB of socket buffers per domain, and the two
# domains together ran the 1 GiB VM out of memory (an OOM on 6.12; under emulation an OOM
# can also look like soft lockups on every CPU).
stress() {
	(ulimit -n 256 && exec bulkhead exec "s$1" -- stress-ng --timeout "${SECONDS_OF_STRESS}s" \
		--temp-path "/srv/stress-$1" --hdd 1 --hdd-bytes 1M --dir 1 --dir-dirs 64 \
		--open 1 --sock 1 --sock-port "$2" --sockpair 1 --sigq 1 --msg 1 \
		--log-brief > "$tmp/stress-ng.$1" 2>&1) &
	pids="$pids $!"
}
stress a 22000
stress_a=$!
stress b 23000
stress_b=$!

# Change the policy under the workers: p2, switch, p1, switch, ... for SECONDS_OF_STRESS.
applies=0 apply_failures=0 switches=0 switch_failures=0 modes=0 mode_failures=0
end=$(($(date +%s) + SECONDS_OF_STRESS))
round=0
low_kb=$(awk '$1 == "MemAvailable:" { print $2 }' /proc/meminfo)
while [ "$(date +%s)" -lt "$end" ]; do
	round=$((round + 1))
	low_kb=$(awk -v low="$low_kb" '$1 == "MemAvailable:" { print ($2 < low ? $2 : low) }' \
		/proc/meminfo)
	policy=p$((round % 2 + 1))
	if timeout 30 bulkhead policy apply "$tmp/$policy.bh" > "$tmp/apply" 2>&1; then
		applies=$((applies + 1))
	else
		apply_failures=$((apply_failures + 1))
		sed "s/^/# apply $policy: /" "$tmp/apply"
	fi
	if [ $((round % 2)) = 1 ]; then member=sb; else member=sa; fi
	if timeout 30 bulkhead switch "$member" > "$tmp/switch" 2>&1; then
		switches=$((switches + 1))
	else
		switch_failures=$((switch_failures + 1))
		sed "s/^/# switch $member: /" "$tmp/switch"
	fi
	[ $((round % 3)) = 0 ] || continue
	if timeout 30 bulkhead mode audit > "$tmp/mode" 2>&1; then
		modes=$((modes + 1))
	else
		mode_failures=$((mode_failures + 1))
		sed "s/^/# mode audit: /" "$tmp/mode"
	fi
done
echo "# $round rounds: $applies applies ($apply_failures failed), $switches switches" \
	"($switch_failures failed), $modes changes to audit ($mode_failures failed)"
echo "# lowest MemAvailable during the run: $((low_kb / 1024)) MiB"
allowed every_apply_succeeded test "$apply_failures" = 0 -a "$applies" -ge 2
allowed every_switch_succeeded test "$switch_failures" = 0 -a "$switches" -ge 2
allowed every_mode_change_succeeded test "$mode_failures" = 0

snapshot "$tmp/after"
allowed hooks_exercised exercised
sed 's/^/# /' "$tmp/out"

# Hand back a clean host: mode off, no policy (which thaws both), the workers ended.
bulkhead mode off > /dev/null
bulkhead policy apply "$tmp/empty.bh" > /dev/null
if gone "$stress_a" 30 > "$tmp/out" 2>&1 && gone "$stress_b" 10 >> "$tmp/out" 2>&1; then
	result 0 stress_ng_exited_by_itself
else
	for d in a b; do
		echo "stress-ng in s$d said:"
		tail -n 5 "$tmp/stress-ng.$d"
	done >> "$tmp/out"
	result 1 stress_ng_exited_by_itself
fi
kill_cgroup "$CG/stress-a"
kill_cgroup "$CG/stress-b"
sleep 1
allowed no_tasks_left no_tasks_left
allowed status_still_works status_works
allowed kernel_log_clean kernel_log_clean

for d in a b; do
	grep -E 'dispatching|terminated|run completed' "$tmp/stress-ng.$d" | sed "s/^/# s$d: /"
done
finish
