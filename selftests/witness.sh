#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The evidence witness ("make evidence", bulkhead.evidence=1): keeps the sealed audit trail of
# the test run itself with the real recorder, and hands it to the host.
#   witness.sh step SUITE   after each suite (selftests/run.sh)
#   witness.sh export       at the end: every segment, gzip'd tar in base64, on stdout
# A trail lasts one module load, and the suites unload and reload the module; a recorder that
# stayed open would pin the module and break them, and one acknowledging records meanwhile
# would change what the audit suites measure. So the witness records between suites: the first
# time it sees a load it takes that load's initial key (a load whose key a suite took stays
# unrecorded, and says so), then records the ring up to what is sealed and stops. Each load
# seen is one segment under /evidence/seg-NNN: key, trail/, suites (the suites it spans),
# last (the last sequence number sealed when it was read, for "audit verify --last").
# A suite that runs a recorder of its own acknowledges records the witness has not read, and
# the ring may reuse their slots: the witness then stops recording that load (closed says
# why), so that what it hands out is a whole trail up to "last", never one with a hole.
dir=/evidence
state=$dir/state

# stat_of NAME: one counter of "bulkhead audit stats -j".
stat_of() {
	bulkhead audit stats -j 2> /dev/null | sed -n "s/.*\"$1\":\\([0-9]*\\).*/\\1/p"
}

step() {
	mkdir -p "$dir"
	[ -e /dev/bulkhead-audit ] && [ -d /sys/module/bulkhead ] || return 0
	# A reload gives the module's sysfs directory a new inode: that tells loads apart.
	ino=$(stat -c %i /sys/module/bulkhead)
	cur='' seg=0 ok=0
	[ -r "$state" ] && read -r cur seg ok < "$state"
	acked=$(stat_of acknowledged)
	if [ "$ino" != "$cur" ]; then
		seg=$((seg + 1))
		s=$dir/seg-$(printf %03d "$seg")
		mkdir -p "$s/trail"
		ok=0
		if [ "${acked:-0}" != 0 ]; then
			echo "records up to $acked were acknowledged by a reader of $1 first" > "$s/closed"
		elif bulkhead audit keygen > "$s/key" 2> "$s/keygen.err"; then
			ok=1
		else
			rm -f "$s/key"
		fi
		echo "$ino $seg $ok" > "$state"
	fi
	s=$dir/seg-$(printf %03d "$seg")
	echo "$1" >> "$s/suites"
	[ "$ok" = 1 ] || return 0
	if [ -s "$s/last" ] && [ "${acked:-0}" -gt "$(cat "$s/last")" ]; then
		echo "records after $(cat "$s/last") (up to $acked) were acknowledged by a reader of $1" \
			> "$s/closed"
		echo "$ino $seg 0" > "$state"
		return 0
	fi
	bulkhead audit record --dir "$s/trail" --fsync batch > /dev/null 2>> "$s/record.err" &
	pid=$!
	# Until everything sealed is on disk and acknowledged (a minute at most).
	n=0
	while [ $n -lt 60 ]; do
		sealed=$(stat_of sealed)
		[ -n "$sealed" ] && [ "$sealed" = "$(stat_of acknowledged)" ] && break
		sleep 1
		n=$((n + 1))
	done
	kill -TERM "$pid" 2> /dev/null
	wait "$pid"
	[ -z "$sealed" ] || echo "$sealed" > "$s/last"
}

case "$1" in
step) step "$2" ;;
export)
	[ -d "$dir" ] || mkdir -p "$dir"
	rm -f "$state"
	tar -C "$dir" -cf - . | gzip -6 | base64
	echo "# witness-end"
	;;
*) echo "usage: witness.sh step SUITE | export" >&2; exit 2 ;;
esac
