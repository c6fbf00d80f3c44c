/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead host tests: a policy's canonical text as a string, to compare with what a test
 * expects or with another policy's.
 */
#ifndef BULKHEAD_CANONICAL_H
#define BULKHEAD_CANONICAL_H

#include <stdio.h>

#include "policy.h"

/* bh_policy_write_canonical() into a malloc'd string. */
static inline char *canonical(const struct bh_policy *p)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&buf, &n);

	bh_policy_write_canonical(out, p);
	fclose(out);
	return buf;
}

#endif /* BULKHEAD_CANONICAL_H */
