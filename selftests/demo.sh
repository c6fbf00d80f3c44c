#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The demo shown by "make demo": load bulkhead, show its status, watch the file_open counter
# move, unload. Runs inside the VM.
set -e
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "bulkhead load"
bulkhead load
step "bulkhead status"
bulkhead status
step "bulkhead status -j"
bulkhead status -j
calls() { bulkhead status -j | sed 's/.*"name":"file_open","attached":[a-z]*,"calls":\([0-9]*\).*/\1/'; }
before=$(calls)
for i in 1 2 3 4 5 6 7 8 9 10; do cat /etc/passwd > /dev/null; done
after=$(calls)
step "file_open calls: $before before, $after after opening /etc/passwd ten times"
[ "$after" -ge $((before + 10)) ]
step "bulkhead unload"
bulkhead unload
echo
echo "demo: OK"
