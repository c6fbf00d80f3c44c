/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead: names shared by the CLI and tests: modes, and the active-LSM list check.
 */
#ifndef BULKHEAD_NAMES_H
#define BULKHEAD_NAMES_H

#include <stdbool.h>

/* "off", "audit" or "enforce" for a mode number; "unknown" for anything else. */
const char *bh_mode_name(unsigned int mode);

/* The mode number named by @name, or -1 when it names none. */
int bh_mode_parse(const char *name);

/* Whether @lsm appears in @list, a comma-separated list as in /sys/kernel/security/lsm. */
bool bh_lsm_list_has(const char *list, const char *lsm);

#endif /* BULKHEAD_NAMES_H */
