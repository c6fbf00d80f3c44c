/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead: names shared by the CLI and tests: modes, self-tests, and the active-LSM list check.
 */
#ifndef BULKHEAD_NAMES_H
#define BULKHEAD_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "off", "audit" or "enforce" for a mode number; "unknown" for anything else. */
const char *bh_mode_name(unsigned int mode);

/* The mode number named by @name, or -1 when it names none. */
int bh_mode_parse(const char *name);

/*
 * @bits as the tools write a set of flags: the names @name gives the bits of @named, joined
 * by commas, then any other bits in hex; @none when @bits is 0.
 */
void bh_format_bits(char *buf, size_t size, uint32_t bits, uint32_t named,
		    const char *(*name)(unsigned int bit), const char *none);

/*
 * Self-test bits (BULKHEAD_SELFTEST_*) as the tools write them: names joined by commas,
 * unnamed bits in hex, "none" for 0.
 */
void bh_selftest_format(char *buf, size_t size, uint32_t tests);

/* The name of self-test bit number @bit, or NULL. */
const char *bh_selftest_name(unsigned int bit);

/* Whether @lsm appears in @list, a comma-separated list as in /sys/kernel/security/lsm. */
bool bh_lsm_list_has(const char *list, const char *lsm);

#endif /* BULKHEAD_NAMES_H */
