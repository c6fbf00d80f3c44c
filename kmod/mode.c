// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the global decision mode (off, audit, enforce).
 */
#include <linux/compiler.h>

#include "bulkhead.h"

/*
 * Read locklessly on every hook; writers are serialized by the netlink family's lock, so a
 * plain annotated store is enough.
 */
static enum bulkhead_mode current_mode = BULKHEAD_MODE_OFF;

static const char *const mode_names[] = {
	[BULKHEAD_MODE_OFF] = "off",
	[BULKHEAD_MODE_AUDIT] = "audit",
	[BULKHEAD_MODE_ENFORCE] = "enforce",
};

enum bulkhead_mode bulkhead_mode_get(void)
{
	return READ_ONCE(current_mode);
}

void bulkhead_mode_set(enum bulkhead_mode mode)
{
	WRITE_ONCE(current_mode, mode);
}

const char *bulkhead_mode_name(enum bulkhead_mode mode)
{
	return mode <= BULKHEAD_MODE_MAX ? mode_names[mode] : "?";
}
