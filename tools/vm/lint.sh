#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "make lint": checkpatch --strict on the kernel and BPF sources, sparse on the module built
# for every target kernel. Both checkers come from the build (linux-source, Debian's sparse).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

"$(dirname "$0")/linux-source.sh" || exit 1
status=0
cd "$TOP" || exit 1

echo "lint: checkpatch --strict"
# SPDX_LICENSE_TAG: checkpatch wants "//" on .c and "/* */" on .h, which we follow; the uapi
# header's dual licence line is the kernel's own uapi convention. The code generated from the
# netlink spec (build/gen: nl_gen.c, nl_gen.h, bulkhead_nl.h) is a build output, written by the
# kernel's ynl-gen-c as the kernel's own generated files are, so checkpatch does not read it;
# sparse does, as part of the module.
if ! perl "$(source_dir)/scripts/checkpatch.pl" --no-tree --strict --terse --show-types \
	--ignore FILE_PATH_CHANGES -f kmod/*.c kmod/*.h bpf/*.c include/uapi/linux/*.h; then
	status=1
fi

for id in $(kernel_ids); do
	echo "lint: sparse ($id)"
	out=$BUILD/kmod/$id
	"$(dirname "$0")/build-kmod.sh" "$id" > /dev/null || { status=1; continue; }
	log=$out/sparse.log
	kbuild_make "$id" M="$out" C=2 CHECK="sparse" modules > "$log" 2>&1
	# A tree whose Makefile finds the checker unfit says so and checks nothing.
	if ! grep -q '^  CHECK ' "$log" || grep -q 'is not available or not up to date' "$log"; then
		echo "lint: sparse did not run for $id ($log)"
		status=1
	fi
	if grep -E '(warning|error):' "$log" | grep -v '^/.*/linux-headers-' ; then
		echo "lint: sparse found problems ($log)"
		status=1
	fi
done
[ $status = 0 ] && echo "lint: clean"
exit $status
