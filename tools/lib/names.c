// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: names shared by the CLI and tests.
 */
#include <stdio.h>
#include <string.h>

#include <linux/bulkhead.h>
#include "names.h"

static const char *const mode_names[] = {
	[BULKHEAD_MODE_OFF] = "off",
	[BULKHEAD_MODE_AUDIT] = "audit",
	[BULKHEAD_MODE_ENFORCE] = "enforce",
};

const char *bh_mode_name(unsigned int mode)
{
	return mode <= BULKHEAD_MODE_MAX ? mode_names[mode] : "unknown";
}

int bh_mode_parse(const char *name)
{
	int mode;

	for (mode = 0; mode <= BULKHEAD_MODE_MAX; mode++)
		if (!strcmp(name, mode_names[mode]))
			return mode;
	return -1;
}

bool bh_lsm_list_has(const char *list, const char *lsm)
{
	size_t len = strlen(lsm);
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ",\n");

		if (n == len && !strncmp(p, lsm, len))
			return true;
		p += n;
		p += strspn(p, ",\n");
	}
	return false;
}

static const char *const selftest_names[] = BULKHEAD_SELFTEST_NAMES;
_Static_assert(BULKHEAD_SELFTEST_ALL == (1U << (sizeof(selftest_names) / sizeof(selftest_names[0]))) - 1,
	       "one name per self-test");

void bh_format_bits(char *buf, size_t size, uint32_t bits, uint32_t named,
		    const char *(*name)(unsigned int bit), const char *none)
{
	uint32_t unknown = bits & ~named;
	unsigned int bit;
	int n = 0;

	buf[0] = '\0';
	for (bit = 0; (1U << bit) & named; bit++)
		if (bits & (1U << bit))
			n += snprintf(buf + n, size - n, "%s%s", n ? "," : "", name(bit));
	if (unknown)
		snprintf(buf + n, size - n, "%s0x%x", n ? "," : "", unknown);
	else if (!bits)
		snprintf(buf, size, "%s", none);
}

void bh_selftest_format(char *buf, size_t size, uint32_t tests)
{
	bh_format_bits(buf, size, tests, BULKHEAD_SELFTEST_ALL, bh_selftest_name, "none");
}

const char *bh_selftest_name(unsigned int bit)
{
	return bit < sizeof(selftest_names) / sizeof(selftest_names[0]) ? selftest_names[bit] : NULL;
}
