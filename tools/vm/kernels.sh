#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Query the pinned kernel list for the Makefile: "ids", "release ID", "kdir ID".
set -euo pipefail
. "$(dirname "$0")/lib.sh"

case "${1:-}" in
ids) kernel_ids | xargs ;;
release) kernel_field "$2" 2 ;;
kdir) kernel_kdir "$2" ;;
*) die "usage: kernels.sh ids | release ID | kdir ID" ;;
esac
