#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The audit failure mode "panic", in a VM of its own (bulkhead.run=panic): with a tiny ring
# that nobody drains, the records of a flood of decisions fill it and the kernel must panic
# ("make check" looks for the panic message on the console). Reaching the end is the failure.
set -e
bulkhead load --audit-slots 16
bulkhead audit config failure panic capacity 16
mkdir -p /sys/fs/cgroup/p /tmp/pd/x
echo secret > /tmp/pd/x/f
printf 'domain p {\n\tcgroup /p\n}\ndomain x {\n\tpath /tmp/pd/x\n}\nflow host -> p { file exec }\nmode audit\n' > /tmp/p.bh
bulkhead policy apply /tmp/p.bh
echo "panic: flooding the ring"
bulkhead exec p -- sh -c 'for i in $(seq 100); do cat /tmp/pd/x/f; done' > /dev/null 2>&1 || true
echo "panic: the kernel did not panic"
