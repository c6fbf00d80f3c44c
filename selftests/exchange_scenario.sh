#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A guarded import (issue 13): domain low sends files to domain high only through the guard
# domain's daemon, which lets through plain text and PNG images and runs a virus scanner's
# stand-in (a script that rejects files holding the EICAR test string). Of five files sent,
# three cross and two are quarantined; high sees only what crossed and cannot change it, low
# reads nothing back, and every transfer is a sealed record: the trail, recorded from the
# module's load, verifies and lists each one.
#
#   domain low (cgroup /low)      domain guard (cgroup /guard)             domain high (/high)
#  +---------------------+     +--------------------------------------+     +----------------+
#  | /srv/low/outbox/    |     | bulkhead guard run --exchange        |     | /srv/high/     |
#  |  .NAME.part -> NAME +---->+   low-high: max-size, type text/plain +---->+  inbox/        |
#  |  (write only)       |     |   and image/png, filter scan.sh      |     |  (read only)   |
#  +---------------------+     | /srv/guard/state/low-high (staging)  |     +----------------+
#                              | /srv/guard/quarantine/               |
#                              +------------------+-------------------+
#                                                 | TRANSFER_RECORD (netlink, guard only)
#                                                 v
#                     the module's sealed audit trail --> bulkhead audit record --> $tmp/trail
#
# Output: TAP. Run as root inside the test VM (selftests/run.sh).

# shellcheck source-path=SCRIPTDIR source=scenario_lib.sh
. "$(dirname "$0")/scenario_lib.sh"

OUTBOX=/srv/low/outbox
INBOX=/srv/high/inbox
STATE=/srv/guard/state
QUARANTINE=/srv/guard/quarantine
cgroups="low high guard"

teardown() {
	rm -rf /srv/low /srv/high /srv/guard
}

# fresh_trail: reload bulkhead and take the new trail's key: "audit verify" checks a trail
# from its first record, which only a recorder started at the load has.
fresh_trail() {
	bulkhead mode off > /dev/null 2>&1 || true
	bulkhead unload > /dev/null 2>&1 || true
	bulkhead load > /dev/null && bulkhead audit keygen > "$tmp/key"
}
# run_guard ARGS...: the guard of exchange low-high, in its domain; its boxes and checks come
# from the kernel's policy. INTEGRATOR: options as docs/exchange.md names them.
run_guard() {
	bulkhead guard run --exchange low-high \
		--staging "$STATE/low-high" --quarantine "$QUARANTINE" --state-dir "$STATE" "$@"
}
# domain_is PATH DOMAIN: the kernel puts PATH in DOMAIN.
domain_is() { [ "$(bulkhead domain of "$1")" = "$2" ]; }
# send_file NAME SOURCE: low sends SOURCE by the sender's protocol (.NAME.part, renamed NAME).
send_file() {
	bulkhead exec low -- sh -c "cat > '$OUTBOX/.$1.part' && mv '$OUTBOX/.$1.part' '$OUTBOX/$1'" \
		< "$2"
}
# inbox_is NAME...: high lists exactly these names in its inbox.
inbox_is() {
	got=$(bulkhead exec high -- ls "$INBOX" | tr '\n' ' ')
	[ "$got" = "$* " ] || { echo "inbox: $got"; return 1; }
}
# same_content NAME SOURCE: what high reads as NAME in its inbox is SOURCE, byte for byte.
same_content() { bulkhead exec high -- cat "$INBOX/$1" | cmp - "$2"; }
# quarantined REASON: the guard's quarantine holds a file whose reason begins with REASON.
quarantined() { bulkhead exec guard -- sh -c "grep -l '^reason $1' $QUARANTINE/*.reason"; }
# stat_of NAME: one counter of "bulkhead audit stats -j".
stat_of() { bulkhead audit stats -j | sed "s/.*\"$1\":\([0-9]*\).*/\1/"; }
# recorded: every record the module numbered is on disk and acknowledged.
recorded() { [ "$(stat_of acknowledged)" -ge $(($(stat_of next_seq) - 1)) ]; }
# transfers N: the trail holds N transfer records ($tmp/transfers).
transfers() {
	bulkhead audit tail --type transfer "$tmp"/trail/trail-* > "$tmp/transfers"
	[ "$(wc -l < "$tmp/transfers")" = "$1" ] || { cat "$tmp/transfers"; return 1; }
}
# verdicts DELIVERED REJECTED: how many transfer records say each (by name or by number).
verdicts() {
	[ "$(grep -Ec ' verdict=(0|delivered) ' "$tmp/transfers")" = "$1" ] &&
		[ "$(grep -Ec ' verdict=(1|rejected) ' "$tmp/transfers")" = "$2" ]
}
# record_hash NAME SOURCE: NAME's record carries the SHA-256 of SOURCE.
record_hash() {
	grep "file=\"$1\"" "$tmp/transfers" | grep -q "sha256=$(sha256sum < "$2" | cut -d' ' -f1)"
}

echo "1..25"
allowed fresh_trail_from_load fresh_trail
bulkhead audit record --dir "$tmp/trail" > /dev/null 2>&1 &
recorder=$!
pids="$pids $recorder"

mkdir -p "$CG/low" "$CG/high" "$CG/guard" "$OUTBOX" "$INBOX" "$STATE/low-high" "$QUARANTINE"
chmod 700 "$STATE" "$STATE/low-high" "$QUARANTINE"
printf 'quarterly report: all clear\n' > "$tmp/report.txt"
printf 'meeting notes\n' > "$tmp/notes.txt"
# A 1x1 PNG image.
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\000\001\000\000\000\001\010\002\000\000\000\220wS\336\000\000\000\fIDAT\010\327c\370\317\300\000\000\003\001\001\000\030\335\215\260\000\000\000\000IEND\256B\140\202' \
	> "$tmp/logo.png"
cat > "$tmp/eicar.txt" <<'EOF'
X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*
EOF
# A program, named as text: libmagic reads what it is.
head -c 8192 /bin/busybox > "$tmp/tool.txt"
cat > "$tmp/scan.sh" <<'EOF'
#!/bin/sh
# A virus scanner's stand-in: infected (exit 1) when the file holds the EICAR test string.
if grep -q 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE' "$1"; then exit 1; fi
exit 0
EOF
chmod 755 "$tmp/scan.sh"
# INTEGRATOR: the exchange statement as the issue and docs/exchange.md spell it, one "type"
# line per type allowed.
cat > "$tmp/import.bh" <<EOF
domain low { cgroup /low path /srv/low }
domain high { cgroup /high path /srv/high }
domain guard { cgroup /guard path /srv/guard }
flow host -> low { file exec }
flow host -> high { file exec }
flow host -> guard { file exec }
exchange low-high from low to high via guard {
	outbox $OUTBOX
	inbox $INBOX
	max-size 1048576
	type text/plain
	type image/png
	filter "$tmp/scan.sh"
	filter-timeout 10
	rate 100/s
}
mode enforce
EOF

allowed policy_applied_enforce applied_enforce "$tmp/import.bh"
allowed outbox_is_a_domain_of_its_own domain_is "$OUTBOX" low-high.outbox
allowed inbox_is_a_domain_of_its_own domain_is "$INBOX" low-high.inbox

# The sender writes, and reads nothing back.
allowed low_sends_report send_file report.txt "$tmp/report.txt"
allowed low_sends_logo send_file logo.png "$tmp/logo.png"
allowed low_sends_notes send_file notes.txt "$tmp/notes.txt"
allowed low_sends_eicar send_file eicar.txt "$tmp/eicar.txt"
allowed low_sends_program_named_txt send_file tool.txt "$tmp/tool.txt"
denied low_reads_back_denied "$DENIED" bulkhead exec low -- cat "$OUTBOX/report.txt"
denied low_lists_outbox_denied "$DENIED" bulkhead exec low -- ls "$OUTBOX"

# One pass of the guard: three files cross, two are quarantined.
allowed guard_takes_every_file run_guard --once
allowed inbox_holds_clean_files inbox_is logo.png notes.txt report.txt
allowed high_reads_report same_content report.txt "$tmp/report.txt"
allowed high_reads_logo same_content logo.png "$tmp/logo.png"
allowed eicar_quarantined_by_filter quarantined 'filter:exit-1'
allowed program_quarantined_by_type quarantined 'type:application/'
denied high_writes_inbox_denied "$DENIED" bulkhead exec high -- sh -c "echo forged > $INBOX/forged"
denied low_reads_quarantine_denied "$DENIED" bulkhead exec low -- ls "$QUARANTINE"
denied low_reads_inbox_denied "$DENIED" bulkhead exec low -- ls "$INBOX"
allowed guard_status_counts sh -c "bulkhead exec guard -- bulkhead guard status --state-dir $STATE |
	grep 'pending 0 waiting 0 delivered 3 rejected 2'"

# The trail: every transfer, sealed; the recorder has all of it before it stops.
send within recorded
kill -TERM "$recorder"
wait "$recorder" || true
allowed five_transfers_recorded transfers 5
sed 's/^/# /' "$tmp/transfers"
allowed three_delivered_two_rejected verdicts 3 2
allowed report_record_hash_matches record_hash report.txt "$tmp/report.txt"
allowed trail_verifies sh -c "bulkhead audit verify --key-file '$tmp/key' '$tmp'/trail/trail-* |
	grep '^verified'"
grep '^verified' "$tmp/out" | sed 's/^/# /'

finish
