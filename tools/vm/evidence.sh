#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "make evidence": what "make check" runs (tools/vm/check.sh), with each VM keeping the audit
# trail of its run (selftests/witness.sh, handed out on build/vm/ID/evidence.log); then the
# trails are unpacked and verified here with the real "bulkhead audit verify", the environment
# is collected, and tools/evidence turns the TAP of build/results into build/evidence/:
# report.html, report.md, report.json, assessment-results.json (checked against NIST's OSCAL
# 1.0.0 schema), the trails and their keys. Arguments: the kernel ids. Exits non-zero when the
# check failed, a trail does not verify or the OSCAL document is invalid; the report is
# written in every case.
# EVIDENCE_REPORT_ONLY=1 skips the check and reports on the results and trails already there.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

out=$BUILD/evidence
results=$BUILD/results
cli=$BUILD/tools/bulkhead
schema=${OSCAL_SCHEMA:-$TOP/../shared/oscal/oscal_assessment-results_schema-1.0.0.json}
status=0
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)

if [ -z "${EVIDENCE_REPORT_ONLY:-}" ]; then
	EVIDENCE=1 "$(dirname "$0")/check.sh" "$@" || status=1
fi
rm -rf "$out"
mkdir -p "$out/trail"
env=$out/environment.tsv

# fact SECTION KEY VALUE: one line of the environment ("~SECTION": of this run alone).
fact() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$env"; }

commit=$(git -C "$TOP" rev-parse HEAD 2>/dev/null || echo unknown)
dirty=clean
[ -z "$(git -C "$TOP" status --porcelain --untracked-files=no 2>/dev/null)" ] || dirty=dirty
fact build "git commit" "$commit"
fact build "working tree" "$dirty"
fact ~run started "$started"
for id in "$@"; do
	fact kernels "$id release" "$(kernel_release "$id")"
	for p in $(kernel_packages "$id"); do
		fact kernels "$id package ${p%%=*}" "${p#*=}"
	done
done
for f in "$BUILD"/kmod/*/bulkhead.ko "$BUILD/bpf/bulkhead.bpf.o" "$cli" \
	"$BUILD/tools/bh-evidence"; do
	[ -e "$f" ] && fact "SHA-256" "${f#"$BUILD"/}" "$(sha256sum < "$f" | cut -d' ' -f1)"
done
for ko in "$BUILD"/kmod/*/bulkhead.ko; do
	[ -e "$ko" ] && fact versions "${ko#"$BUILD"/} (modinfo)" "$(modinfo -F version "$ko" 2>/dev/null)"
done
for p in gcc-12 clang bpftool qemu-system-x86 busybox-static libbpf1 libnl-genl-3-200 auditd \
	python3-jsonschema; do
	fact tools "$p" "$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || echo "not installed")"
done

# trail_result ID VERIFIED RECORDED: the run's trail as a result of the kernel's own
# (BH-AU-5): passed when every segment recorded verified, and at least one was.
trail_result() {
	if [ "$2" = 1 ] && [ "$3" -gt 0 ]; then
		echo "ok - run_trail_verified ($3 segments)"
	else
		echo "not ok - run_trail_verified ($3 segments recorded; see trail verification in the report)"
	fi >> "$results/$1.tap"
}

# The trails: one segment per module load the witness saw (selftests/witness.sh).
for id in "$@"; do
	dir=$out/trail/$id
	log=$BUILD/vm/$id/evidence.log
	mkdir -p "$dir"
	verified=1 recorded=0
	if ! sed '/^# witness-end/,$d' "$log" 2> /dev/null | tr -d '\r' | base64 -d |
		tar -xz -C "$dir" 2> /dev/null; then
		fact "trail verification" "$id" "no trail came out of the VM ($log)"
		status=1
		trail_result "$id" 0 0
		continue
	fi
	for seg in "$dir"/seg-*; do
		[ -d "$seg" ] || continue
		name="$id $(basename "$seg") (suites: $(head -n 1 "$seg/suites") .. $(tail -n 1 "$seg/suites"))"
		if [ ! -e "$seg/key" ]; then
			fact "trail verification" "$name" "not recorded (trail notes say why)"
			fact "~trail notes" "$name" "$(cat "$seg/closed" 2>/dev/null ||
				echo "a suite took this load's key: $(cat "$seg/keygen.err" 2>/dev/null)")"
			continue
		fi
		[ ! -e "$seg/closed" ] || fact "~trail notes" "$name" "recorded until: $(cat "$seg/closed")"
		files=("$seg"/trail/trail-*)
		last=()
		[ -s "$seg/last" ] && last=(--last "$(cat "$seg/last")")
		verdict=$("$cli" audit verify --key-file "$seg/key" "${last[@]}" "${files[@]}" 2>&1)
		rc=$?
		[ $rc = 0 ] || status=1 verified=0
		recorded=$((recorded + 1))
		# the verdict names sequence numbers, which are this run's own
		fact "trail verification" "$name" "$([ $rc = 0 ] && echo verified || echo "NOT verified (exit $rc)")"
		fact "~trail sequence" "$name" "$verdict"
		# every policy the segment's trail saw committed: its hash and the generations
		"$cli" audit tail --type policy "${files[@]}" 2> /dev/null |
			awk -v sect="policies applied ($id $(basename "$seg"))" '
				{ for (i = 1; i <= NF; i++) {
					if ($i ~ /^gen=/) gen = substr($i, 5)
					if ($i ~ /^new_hash=/) hash = substr($i, 10)
				  }
				  if (!(hash in gens)) order[n++] = hash
				  gens[hash] = gens[hash] (gens[hash] == "" ? "" : ", ") gen }
				END { for (i = 0; i < n; i++)
					printf "%s\tsha256 %s\tgenerations %s\n", sect, order[i], gens[order[i]] }' >> "$env"
	done
	trail_result "$id" $verified $recorded
done
fact ~run finished "$(date -u +%Y-%m-%dT%H:%M:%SZ)"

taps=()
for f in host hooks map; do
	[ -e "$results/$f.tap" ] && taps+=(--host "$results/$f.tap")
done
for id in "$@"; do
	[ -e "$results/$id.tap" ] && taps+=(--kernel "$id=$results/$id.tap")
done
# Run from the top so that the report names the catalogue and map as the repository does.
(cd "$TOP" && "$BUILD/tools/bh-evidence" --catalogue docs/requirements.md \
	--map selftests/requirements.map "${taps[@]}" --env "$env" --out "$out") || status=1

# NIST's schema, with Debian's python3-jsonschema: the one python step of the evidence.
if /usr/bin/python3 -c 'import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))' \
	"$schema" "$out/assessment-results.json" 2> "$out/oscal-validation.log"; then
	echo "evidence: assessment-results.json validates against OSCAL 1.0.0 ($(basename "$schema"))"
else
	echo "evidence: assessment-results.json does NOT validate (see $out/oscal-validation.log)"
	status=1
fi
echo "evidence: the report is $out/report.html (also report.md, report.json, assessment-results.json; trails and keys in $out/trail/)"
exit $status
