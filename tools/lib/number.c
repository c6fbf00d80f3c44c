// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead tools: numbers given on the command line, read strictly. strtoul() alone accepts
 * "-1" (as ULONG_MAX), leading spaces and "+", and wraps silently where the caller narrows the
 * result: every number an administrator types goes through here instead.
 */
#include "number.h"

int bh_parse_uint(const char *text, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	const char *c;

	if (!*text)
		return -1;
	for (c = text; *c; c++) {
		if (*c < '0' || *c > '9' || v > (UINT64_MAX - (*c - '0')) / 10)
			return -1;
		v = v * 10 + (*c - '0');
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}
