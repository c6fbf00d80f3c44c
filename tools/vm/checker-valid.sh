#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Installed by kernel-tree.sh as scripts/checker-valid.sh in a kernel tree whose headers
# package lacks it (Debian's 7.x): the tree's Makefile asks it, for C=1 and C=2, whether the
# checker given (the command line: sparse and its flags) understands the kernel's headers,
# and skips checking unless it prints 1. The test is the newest construct those headers need
# (__typeof_unqual__, 7.x).
set -u
f=$(mktemp --suffix=.c) || exit 1
trap 'rm -f "$f"' EXIT
printf 'static int get(const int *p)\n{\n\t__typeof_unqual__(*p) v = *p;\n\treturn v;\n}\n' > "$f"
if "$@" "$f" 2>&1 | grep -q 'error'; then
	echo 0
else
	echo 1
fi
