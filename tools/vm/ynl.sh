#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Generate bulkhead's netlink ABI from its spec (docs/netlink/bulkhead.yaml) with the kernel's
# own YNL tools: unpack tools/net/ynl and the netlink schemas from the pinned linux-source
# package ("ynl" in kernels.list) into build/src/ynl, laid out as in the kernel tree with
# bulkhead's spec among the specs, then run ynl-gen-c.py, which validates the spec against the
# genetlink-c schema first. Build outputs, never committed:
#   build/gen/include/uapi/linux/bulkhead_nl.h  the uapi enums of commands and attributes, the
#                                               family name and version, the multicast group
#                                               (included by include/uapi/linux/bulkhead.h)
#   build/gen/kmod/nl_gen.h, nl_gen.c           the module's attribute policies and ops table
#                                               (kernel mode; build-kmod.sh adds them to kmod/)
#   build/ynl/bulkhead.h                        every name the spec defines, the hand-written
#                                               definitions included, as one uapi header;
#   build/ynl/ynl_bulkhead.h                    the same with every name prefixed YNL_, and
#   build/ynl/ynl_names.h                       NUM(name) or STR(name) for each, for
#                                               tools/tests/abi_spec_test.c
#   build/gen/stamp                             all of the above are up to date
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=$BUILD/src/ynl
gen=$BUILD/gen
chk=$BUILD/ynl
specs=$src/Documentation/netlink/specs
ynl_gen_c() { /usr/bin/python3 "$src/tools/net/ynl/ynl-gen-c.py" "$@"; }

unpack_linux_source ynl "$src" tools/net/ynl Documentation/netlink MAINTAINERS
# A fresh file, not a write through a hard link a copied build tree may share.
rm -f "$specs/bulkhead.yaml" "$specs/bulkhead-all.yaml"
install -m 0644 "$TOP/docs/netlink/bulkhead.yaml" "$specs/bulkhead.yaml"
# The spec's definitions are hand-written in <linux/bulkhead.h>; for the comparison, render
# them too (a definition without "header" is generated).
grep -v '^    header: linux/bulkhead.h$' "$TOP/docs/netlink/bulkhead.yaml" > "$specs/bulkhead-all.yaml"

mkdir -p "$gen/include/uapi/linux" "$gen/kmod" "$chk"
# Debian's python3 with python3-yaml and python3-jsonschema (deps.sh), whatever else is in PATH.
# ynl-gen-c writes each file whole when it is done (and names the header the source includes
# after the source's own name).
ynl_gen_c --mode uapi --header --spec "$specs/bulkhead.yaml" \
	-o "$gen/include/uapi/linux/bulkhead_nl.h"
ynl_gen_c --mode kernel --header --spec "$specs/bulkhead.yaml" -o "$gen/kmod/nl_gen.h"
ynl_gen_c --mode kernel --source --spec "$specs/bulkhead.yaml" -o "$gen/kmod/nl_gen.c"

ynl_gen_c --mode uapi --header --spec "$specs/bulkhead-all.yaml" -o "$chk/bulkhead.h"
sed -e 's/BULKHEAD_/YNL_BULKHEAD_/g' -e 's/enum bulkhead_/enum ynl_bulkhead_/g' \
	"$chk/bulkhead.h" > "$chk/ynl_bulkhead.h"
grep -o '\bYNL_BULKHEAD_[A-Z0-9_]*' "$chk/ynl_bulkhead.h" | grep -v '_H$' | sort -u |
	while read -r name; do
		if grep -Eq "^#define $name[[:space:]]+\"" "$chk/ynl_bulkhead.h"; then
			echo "STR(${name#YNL_})"
		else
			echo "NUM(${name#YNL_})"
		fi
	done > "$chk/ynl_names.h"
touch "$gen/stamp"
