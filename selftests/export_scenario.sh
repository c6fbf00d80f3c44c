#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The copy of the trail in the Linux audit subsystem ("audit config export on"), made to be
# read by the host's real ausearch and aureport. A probe with a name of its own (comm bhprobe)
# and a login uid of its own (1001), in domain a, reads domain b's files: 4 denials from one
# pid, 3 of them of /srv/bhx_b/secret and 1 of a file whose path is longer than 128 bytes and
# holds a space, on a tmpfs mounted there (so that its name is whole only when it is made from
# the task's root, not within its filesystem); it also writes into b along the audited flow (allowed, recorded). Policy and
# mode changes frame it. The kernel prints each audit record (no auditd runs in the VM); this
# scenario hands them to the host as "# auditlog: " lines in auditd's format, and what the
# sealed trail says as "# auditexpect: " lines. tools/vm/ausearch-check.sh, run by make check
# after the VM, asks ausearch and aureport about them.
#
#   cgroup /bhx_a (domain a)                  cgroup /bhx_b (domain b)
#   /srv/bhx_a/bhprobe  --- reads: denied --> /srv/bhx_b/secret, /srv/bhx_b/LONG/long file
#                       --- writes: audit --> /srv/bhx_b/inbox
#
# Output: TAP. Run as root inside the test VM (selftests/run.sh).

# shellcheck source-path=SCRIPTDIR source=scenario_lib.sh
. "$(dirname "$0")/scenario_lib.sh"

cgroups="bhx_a bhx_b"
LONG=/srv/bhx_b/$(printf '%0140d' 0 | tr 0 l)
ratelimit=$(cat /proc/sys/kernel/printk_ratelimit)

teardown() {
	bulkhead audit config export off > /dev/null 2>&1
	echo "$ratelimit" > /proc/sys/kernel/printk_ratelimit
	umount "$LONG" 2> /dev/null
	rm -rf /srv/bhx_a /srv/bhx_b
}

# exported: the bulkhead records the kernel printed since the mark, in auditd's format.
exported() {
	dmesg | sed -n '/bhx-export-mark/,$ s/.*audit: type=\([0-9]*\) audit(\([^)]*\)): \(lsm=bulkhead .*\)/type=\1 msg=audit(\2): \3/p'
}

echo "1..6"
reset_bulkhead
for d in a b; do
	mkdir -p "$CG/bhx_$d" "/srv/bhx_$d"
done
mkdir -p "$LONG"
mount -t tmpfs bhx_long "$LONG"
echo secret > /srv/bhx_b/secret
echo long > "$LONG/long file"
: > /srv/bhx_b/inbox
cp /bin/dash /srv/bhx_a/bhprobe
cat > "$tmp/policy.bh" <<EOF
mode enforce
domain a {
	cgroup /bhx_a
	path /srv/bhx_a
}
domain b {
	cgroup /bhx_b
	path /srv/bhx_b
	path $LONG
}
flow host -> a { file exec }
flow a -> b { file } audit
EOF

# Without a limit, the kernel prints every record it holds for a missing auditd.
echo 0 > /proc/sys/kernel/printk_ratelimit
echo "bhx-export-mark" > /dev/kmsg
allowed export_on bulkhead audit config export on
allowed policy_applied applied_enforce "$tmp/policy.bh"

# The login uid is set outside the domain (it needs CAP_AUDIT_CONTROL) and inherited. The reads
# are redirections of a builtin, so the probe itself opens, under its own pid and name.
sh -c 'echo 1001 > /proc/self/loginuid && exec bulkhead exec a -- /srv/bhx_a/bhprobe -c "
	echo \$\$ > /srv/bhx_a/pid
	for i in 1 2 3; do { read -r x < /srv/bhx_b/secret; } 2> /dev/null && echo read; done
	{ read -r x < \"$1/long file\"; } 2> /dev/null && echo read
	echo in >> /srv/bhx_b/inbox && echo wrote
"' sh "$LONG" > "$tmp/out" 2>&1 || true
if [ "$(grep -c '^read$' "$tmp/out")" = 0 ] && grep -qx wrote "$tmp/out"; then
	result 0 probe_denied_reads_allowed_write
else
	result 1 probe_denied_reads_allowed_write
fi
allowed mode_off bulkhead mode off
pid=$(cat /srv/bhx_a/pid)

# The sealer exports after sealing: wait for the mode change, the last record.
within sh -c 'dmesg | grep -q "lsm=bulkhead .*event=mode .*new_mode=off"' || true
exported > "$tmp/log"
if grep -q "pid=$pid " "$tmp/log"; then result 0 records_printed; else
	cp "$tmp/log" "$tmp/out"
	result 1 records_printed
fi
sed 's/^/# auditlog: /' "$tmp/log"

# What the sealed trail holds about the same events, for the host to compare with.
bulkhead audit tail > "$tmp/trail"
echo "# auditexpect: pid=$pid comm=bhprobe auid=1001 denials=4 secret_denials=3 long_denials=1"
echo "# auditexpect: long_path=$LONG/long file"
# The MAC events since the export began: policy, mode, switch and lock records after the
# last configuration change (export on).
echo "# auditexpect: mac_events=$(awk '/ event=config /{ c = 0; next }
	/ event=(policy|mode|switch|lock) /{ c++ } END { print c + 0 }' "$tmp/trail")"
if grep " pid=$pid " "$tmp/trail" | grep -c 'decision=denied' | grep -qx 4; then
	result 0 trail_has_4_denials
else
	grep " pid=$pid " "$tmp/trail" > "$tmp/out"
	result 1 trail_has_4_denials
fi
finish
