#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# "make bench" inside the VM: every benchmark in one boot, so ratios compare like with like.
set -e
bulkhead load > /dev/null
# BULKHEAD_ONLY=hotpath_bench (ONLY= on the host) runs just the benchmarks named.
for b in /selftests/*_bench /selftests/*_bench.sh; do
	case ",${BULKHEAD_ONLY:-$(basename "$b")}," in *",$(basename "$b"),"*) "$b" ;; esac
done
bulkhead unload > /dev/null
echo "bench: OK"
