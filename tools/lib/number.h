/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead tools: numbers given on the command line, read strictly.
 */
#ifndef BULKHEAD_NUMBER_H
#define BULKHEAD_NUMBER_H

#include <stdint.h>

/*
 * Read @text as a decimal number in [@min, @max] into @out: digits only (no sign, no spaces,
 * no suffix), nothing left over, no wrap-around. Returns 0, or -1 with @out untouched.
 */
int bh_parse_uint(const char *text, uint64_t min, uint64_t max, uint64_t *out);

#endif /* BULKHEAD_NUMBER_H */
