#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kernel's YNL tools for bulkhead's netlink spec (docs/netlink/bulkhead.yaml): unpack
# tools/net/ynl and the netlink schemas from the pinned linux-source package ("ynl" in
# kernels.list) into build/src/ynl, laid out as in the kernel tree with bulkhead's spec among
# the specs, then generate with ynl-gen-c.py (which validates the spec against the schema):
#   build/ynl/bulkhead.h        the uapi header the spec describes
#   build/ynl/ynl_bulkhead.h    the same with every name prefixed YNL_, and
#   build/ynl/ynl_names.h       NUM(name) or STR(name) for each, for tools/tests/abi_spec_test.c
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=$BUILD/src/ynl
gen=$BUILD/ynl
unpack_linux_source ynl "$src" tools/net/ynl Documentation/netlink MAINTAINERS
install -m 0644 "$TOP/docs/netlink/bulkhead.yaml" "$src/Documentation/netlink/specs/bulkhead.yaml"

mkdir -p "$gen"
# Debian's python3 with python3-yaml and python3-jsonschema (deps.sh), whatever else is in PATH.
/usr/bin/python3 "$src/tools/net/ynl/ynl-gen-c.py" --mode uapi --header \
	--spec "$src/Documentation/netlink/specs/bulkhead.yaml" -o "$gen/bulkhead.h.tmp"
mv "$gen/bulkhead.h.tmp" "$gen/bulkhead.h"
sed -e 's/BULKHEAD_/YNL_BULKHEAD_/g' -e 's/enum bulkhead_/enum ynl_bulkhead_/g' \
	"$gen/bulkhead.h" > "$gen/ynl_bulkhead.h"
grep -o '\bYNL_BULKHEAD_[A-Z0-9_]*' "$gen/ynl_bulkhead.h" | grep -v '_H$' | sort -u |
	while read -r name; do
		if grep -Eq "^#define $name[[:space:]]+\"" "$gen/ynl_bulkhead.h"; then
			echo "STR(${name#YNL_})"
		else
			echo "NUM(${name#YNL_})"
		fi
	done > "$gen/ynl_names.h"
