#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unpack the pieces of the pinned linux-source package that the build borrows at build time:
# the kselftest harness headers, checkpatch, and the tools/ tree for resolve_btfids.
# They live under build/src/linux and are never committed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

unpack_linux_source source "$(source_dir)" tools scripts/checkpatch.pl scripts/spelling.txt \
	scripts/const_structs.checkpatch scripts/bpf_doc.py
