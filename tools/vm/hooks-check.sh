#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Complete mediation as a checked property: docs/hooks.table must name every LSM hook of each
# kernel given (its include/linux/lsm_hook_defs.h), its "attached" and "attached-X.Y" hooks
# must be exactly the BPF programs of bpf/bulkhead.bpf.c, every attached hook must exist on
# every kernel (an "attached-X.Y" one on the kernels from X.Y), and
# docs/enforcement.md must mention each attached hook. Prints one TAP result per kernel plus
# one for the programs and the document. Arguments: kernel ids.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

table=$TOP/docs/hooks.table
attached=$(awk -F'\t' '!/^#/ && $2 == "attached" { print $1 }' "$table" | sort)
# "hook X.Y" lines: hooks attached on the kernels from X.Y that have them; the loader skips them elsewhere.
newer=$(awk -F'\t' '!/^#/ && $2 ~ /^attached-[0-9]+\.[0-9]+$/ {
	sub("attached-", "", $2); print $1, $2 }' "$table" | sort)
named=$(awk -F'\t' '!/^#/ && NF { print $1 }' "$table" | sort)
# The programs' names (each is its hook's; one attaches to the security_ function calling the
# hook, as fmod_ret, where a kernel refuses BPF-LSM programs on the hook itself).
programs=$(awk '/^SEC\("(lsm|fmod_ret)\// { getline; print }' "$TOP/bpf/bulkhead.bpf.c" |
	sed -E 's/^int (BPF_PROG\()?([a-z0-9_]+).*/\2/' | sort)

# Whether release $1 (X.Y...) is at least X.Y $2.
release_at_least() {
	local have=${1%%-*} want=$2
	[ "$(printf '%s\n%s\n' "$want" "$have" | sort -V | head -n 1)" = "$want" ]
}

for id in "$@"; do
	defs=$(kernel_kdir "$id" | sed 's/-cloud-amd64$/-common/')/include/linux/lsm_hook_defs.h
	hooks=$(grep -ohE '^LSM_HOOK\([^,]+, [^,]+, [a-z0-9_]+' "$defs" | awk -F', ' '{ print $3 }' |
		sort -u)
	unnamed=$(comm -23 <(echo "$hooks") <(echo "$named"))
	absent=$(comm -13 <(echo "$hooks") <(echo "$attached"))
	# A hook the table says X.Y has: present on this kernel if it is X.Y or later (an older
	# stable kernel may have it too, backported: 6.1.176 has file_ioctl_compat).
	while read -r h since; do
		[ -n "$h" ] && release_at_least "$(kernel_release "$id")" "$since" || continue
		echo "$hooks" | grep -qxF "$h" || absent+=$'\n'"$h (missing, expected from $since)"
	done <<< "$newer"
	absent=$(echo "$absent" | sed '/^$/d')
	for h in $unnamed; do echo "# $id: hook $h is not in docs/hooks.table"; done
	echo "$absent" | sed '/^$/d; s/^/# '"$id"': attached hook does not match this kernel: /'
	if [ -z "$unnamed$absent" ] && [ -n "$hooks" ]; then
		echo "ok - hook_table_complete_$id"
	else
		echo "not ok - hook_table_complete_$id"
	fi
done

newer=$(echo "$newer" | awk 'NF { print $1 }')
problems=$(diff <(printf '%s\n' $attached $newer | sort) <(echo "$programs") | grep '^[<>]')
for h in $attached $newer; do
	grep -q "\`$h\`" "$TOP/docs/enforcement.md" || problems+=$'\n'"enforcement.md: no $h"
done
problems=$(echo "$problems" | sed '/^$/d')
if [ -z "$problems" ]; then
	echo "ok - hook_table_matches_programs"
else
	echo "$problems" | sed 's/^/# /'
	echo "not ok - hook_table_matches_programs"
fi
