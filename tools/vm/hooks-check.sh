#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Complete mediation as a checked property: docs/hooks.table must name every LSM hook of each
# kernel given (its include/linux/lsm_hook_defs.h), its "attached" and "attached-6.2" hooks must
# be exactly the BPF programs of bpf/bulkhead.bpf.c, every attached hook must exist on every
# kernel (an "attached-6.2" one on exactly the kernels from 6.2), and
# docs/enforcement.md must mention each attached hook. Prints one TAP result per kernel plus
# one for the programs and the document. Arguments: kernel ids.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

table=$TOP/docs/hooks.table
attached=$(awk -F'\t' '!/^#/ && $2 == "attached" { print $1 }' "$table" | sort)
# Attached on the kernels that have them (6.2+); the loader skips them elsewhere.
newer=$(awk -F'\t' '!/^#/ && $2 == "attached-6.2" { print $1 }' "$table" | sort)
named=$(awk -F'\t' '!/^#/ && NF { print $1 }' "$table" | sort)
programs=$(grep -oE 'SEC\("lsm/[a-z0-9_]+' "$TOP/bpf/bulkhead.bpf.c" | sed 's/SEC("lsm\///' | sort)

for id in "$@"; do
	defs=$(kernel_kdir "$id" | sed 's/-cloud-amd64$/-common/')/include/linux/lsm_hook_defs.h
	hooks=$(grep -ohE '^LSM_HOOK\([^,]+, [^,]+, [a-z0-9_]+' "$defs" | awk -F', ' '{ print $3 }' |
		sort -u)
	unnamed=$(comm -23 <(echo "$hooks") <(echo "$named"))
	absent=$(comm -13 <(echo "$hooks") <(echo "$attached"))
	# A hook the table says 6.2 has: present exactly when this kernel is 6.2 or later.
	for h in $newer; do
		has=$(echo "$hooks" | grep -cxF "$h")
		case "$(kernel_release "$id")" in
		[0-5].* | 6.[01].* | 6.[01]) want=0 ;;
		*) want=1 ;;
		esac
		[ "$has" = "$want" ] || absent+=$'\n'"$h (present: $has, expected from the release: $want)"
	done
	absent=$(echo "$absent" | sed '/^$/d')
	for h in $unnamed; do echo "# $id: hook $h is not in docs/hooks.table"; done
	echo "$absent" | sed '/^$/d; s/^/# '"$id"': attached hook does not match this kernel: /'
	if [ -z "$unnamed$absent" ] && [ -n "$hooks" ]; then
		echo "ok - hook_table_complete_$id"
	else
		echo "not ok - hook_table_complete_$id"
	fi
done

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
