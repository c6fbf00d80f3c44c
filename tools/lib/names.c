// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: names shared by the CLI and tests.
 */
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
