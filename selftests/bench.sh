#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# "make bench" inside the VM: every benchmark in one boot, so ratios compare like with like.
set -e
bulkhead load > /dev/null
for b in /selftests/*_bench; do
	"$b"
done
bulkhead unload > /dev/null
echo "bench: OK"
