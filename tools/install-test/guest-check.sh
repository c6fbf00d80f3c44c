#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The install test's checks inside the booted Debian system (bulkhead-e2e.service runs it once
# the system is up). Boot 1: the service, the policy in force before any ordinary service, a
# cross-domain denial, the trail from record 1, a reload of a changed policy (and of a broken
# one, which must change nothing); then reboot. Boot 2: everything again from boot, then
# "apt purge" and what it must have removed. Results go to the second serial port as
# "ok DESCRIPTION" / "not ok DESCRIPTION # why" lines; run.sh numbers and counts them.
set -u
TAP=/dev/ttyS1
STATE=/var/lib/bulkhead-e2e
POLICY=/etc/bulkhead/policy.bh
mkdir -p "$STATE"
boot=$(( $(cat "$STATE/boot" 2>/dev/null || echo 0) + 1 ))
echo "$boot" > "$STATE/boot"

say() { echo "$*" > "$TAP"; }
ok() { say "ok boot $boot: $1"; }
fail() { say "not ok boot $boot: $1 # $2"; }
check() {		# check DESCRIPTION COMMAND...: ok when COMMAND succeeds
	local what=$1 out
	shift
	if out=$("$@" 2>&1); then ok "$what"; else fail "$what" "$(echo "$out" | tail -3 | tr '\n' ' ')"; fi
}
status_field() { bulkhead status -j | grep -o "\"$1\":[^,]*" | head -1 | cut -d: -f2 | tr -d '"'; }

# Every started service that has the default dependencies (an ordinary service) started after
# bulkhead.service had finished applying the policy.
before_ordinary() {
	local done u start first=
	done=$(systemctl show -P ActiveEnterTimestampMonotonic bulkhead.service)
	[ "$done" -gt 0 ] || { echo "bulkhead.service never became active"; return 1; }
	for u in $(systemctl list-units --type=service --all --no-legend --plain | awk '{print $1}'); do
		[ "$(systemctl show -P DefaultDependencies "$u")" = yes ] || continue
		start=$(systemctl show -P ExecMainStartTimestampMonotonic "$u")
		[ "${start:-0}" -gt 0 ] || continue
		if [ "$start" -lt "$done" ]; then
			echo "$u started at $start, before bulkhead.service was active at $done"
			return 1
		fi
		[ -z "$first" ] || [ "$start" -lt "${first#* }" ] && first="$u $start"
	done
	echo "first ordinary service: $first; bulkhead active at $done"
}

# What the first ordinary service saw (bulkhead-e2e-early.service, recorded when it started).
early_saw_enforce() {
	grep -q '"mode":"enforce"' /run/bulkhead-e2e-early.json &&
		! grep -q '"generation":0,' /run/bulkhead-e2e-early.json
}

# Refused by the policy: EACCES, not a missing file (stat is decided as a read too, so the
# name cannot be tested apart).
denied() {
	local err
	err=$(cat "$1" 2>&1 >/dev/null) && { echo "$1 was readable"; return 1; }
	case $err in *"Permission denied"*) return 0 ;; esac
	echo "$err"
	return 1
}
readable() { cat "$1" >/dev/null; }

trail_from_one() {
	local dir=/var/log/bulkhead/$(cat /proc/sys/kernel/random/boot_id | tr -d -)
	local first
	sleep 3	# the recorder's batch
	first=$(bulkhead audit tail -j "$dir/trail-000001" | grep -o '"seq":[0-9]*' | head -1)
	[ "$first" = '"seq":1' ] || { echo "first record of $dir/trail-000001: $first"; return 1; }
	bulkhead audit verify --key-file "$STATE/key.$boot" "$dir"/trail-*
}

denial_recorded() {
	sleep 3
	bulkhead audit tail --decision denied --path /srv/high /var/log/bulkhead/*/trail-* | grep -q .
}

reload_broken_changes_nothing() {
	local gen
	gen=$(status_field generation)
	cp "$POLICY" "$STATE/good.bh"
	echo "flow nosuch -> high { file }" >> "$POLICY"
	if systemctl reload bulkhead; then echo "reload of a broken policy succeeded"; return 1; fi
	cp "$STATE/good.bh" "$POLICY"
	[ "$(status_field generation)" = "$gen" ] || { echo "generation changed"; return 1; }
	[ "$(status_field mode)" = enforce ] && denied /srv/high/secret
}

reload_applies() {
	local gen
	gen=$(status_field generation)
	echo "flow high -> host { file }" >> "$POLICY"
	systemctl reload bulkhead || return 1
	[ "$(status_field generation)" -gt "$gen" ] || { echo "generation still $gen"; return 1; }
	readable /srv/high/secret
}

purged() {
	local f bad=
	DEBIAN_FRONTEND=noninteractive apt-get purge -y bulkhead bulkhead-dkms > "$STATE/purge.log" 2>&1 ||
		{ tail -5 "$STATE/purge.log"; return 1; }
	for f in /lib/modules/*/updates/dkms/bulkhead.ko* /usr/src/bulkhead-* /var/lib/dkms/bulkhead \
		 /usr/lib/systemd/system/bulkhead*.service /lib/systemd/system/bulkhead*.service \
		 /etc/systemd/system/*/bulkhead.service /etc/systemd/system/*/bulkhead-recorder.service \
		 /usr/sbin/bulkhead /etc/bulkhead/bulkhead.conf /sys/fs/bpf/bulkhead /sys/module/bulkhead; do
		[ -e "$f" ] && bad="$bad $f"
	done
	if [ -n "$bad" ]; then
		echo "left behind:$bad; $(grep -i bulkhead "$STATE/purge.log" | tail -2 | tr '\n' ' ')"
		echo "refcount $(cat /sys/module/bulkhead/refcnt 2>/dev/null), holders:" \
			"$(ls /sys/module/bulkhead/holders 2>/dev/null), readers: $(fuser /dev/bulkhead-audit 2>&1)"
		return 1
	fi
	! modinfo bulkhead >/dev/null 2>&1 || { echo "modinfo still finds bulkhead"; return 1; }
}

check "bulkhead.service is active" systemctl is-active --quiet bulkhead.service
check "bulkhead-recorder.service is active" systemctl is-active --quiet bulkhead-recorder.service
check "the module DKMS built for the stock kernel is loaded" \
	sh -c 'modinfo -n bulkhead | grep -q /updates/dkms/ && [ -e /sys/module/bulkhead ]'
check "the policy was in force before the first ordinary service started" before_ordinary
check "the first ordinary service saw mode enforce and the policy" early_saw_enforce
bulkhead audit keygen > "$STATE/key.$boot" 2>/dev/null
case $boot in
1)
	check "host reading high's file is denied (cross-domain)" denied /srv/high/secret
	check "host's own files stay readable" readable /etc/hostname
	check "the denial is in the recorded trail" denial_recorded
	check "the trail starts at record 1 and verifies" trail_from_one
	check "reload of a broken policy fails and changes nothing" reload_broken_changes_nothing
	check "reload applies a changed policy" reload_applies
	bulkhead status -j | grep -o '"sha256":"[0-9a-f]*"' > "$STATE/hash"
	say "# boot 1 done, rebooting"
	systemctl reboot
	;;
2)
	check "after reboot the changed policy is in force (high's file readable)" readable /srv/high/secret
	check "after reboot the policy hash is the reloaded one" \
		sh -c "bulkhead status -j | grep -qF '$(cat "$STATE/hash")'"
	check "after reboot low's file is still denied" denied /srv/low/data
	check "after reboot the new boot's trail starts at record 1 and verifies" trail_from_one
	check "apt purge removes the module, units, pins and configuration" purged
	say "# done"
	systemctl poweroff
	;;
*)
	say "# unexpected boot $boot"
	systemctl poweroff
	;;
esac
