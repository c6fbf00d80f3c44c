#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The debug kernel's leak check (selftests/run.sh runs it when booted with bulkhead.kmemleak=1):
#   kmemleak.sh unloaded   unload bulkhead first, so that what it kept is freed or leaked
#   kmemleak.sh locked     with bulkhead locked in place (the lock lasts until reboot)
# then have kmemleak scan and print one TAP result with its report as "# " lines: any
# unreferenced object fails.
KMEMLEAK=/sys/kernel/debug/kmemleak
name=kmemleak_clean_${1:?usage: kmemleak.sh unloaded|locked}

echo "1..1"
grep -qs ' /sys/kernel/debug ' /proc/mounts || mount -t debugfs debugfs /sys/kernel/debug
if [ ! -e $KMEMLEAK ]; then
	echo "ok 1 $name # SKIP this kernel has no kmemleak"
	exit 0
fi
if [ "$1" = unloaded ]; then
	bulkhead unload 2>&1 | sed 's/^/# /'
	if [ -e /sys/module/bulkhead ]; then
		echo "# bulkhead is still loaded"
		echo "not ok 1 $name"
		exit 1
	fi
fi
# kmemleak names an object only once it is 5 s old and unchanged between two scans.
sleep 6
echo scan > $KMEMLEAK
sleep 2
echo scan > $KMEMLEAK
report=$(cat $KMEMLEAK)
# Each leak is named once: a later check reports only what leaked after this one.
echo clear > $KMEMLEAK
if [ -n "$report" ]; then
	echo "$report" | sed 's/^/# /'
	echo "not ok 1 $name"
	exit 1
fi
echo "ok 1 $name"
