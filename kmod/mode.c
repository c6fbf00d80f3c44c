// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the global decision mode (off, audit, enforce).
 */
#include <linux/atomic.h>
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

/*
 * Changes whenever a decision made earlier may no longer hold - a new mode, a new policy, a
 * switch of an exclusive group - so that descriptors opened before are decided again on their
 * next read or write (rw.c).
 */
static atomic64_t decision_epoch = ATOMIC64_INIT(1);

u64 bulkhead_epoch(void)
{
	return atomic64_read(&decision_epoch);
}

void bulkhead_epoch_bump(void)
{
	atomic64_inc(&decision_epoch);
}

void bulkhead_mode_set(enum bulkhead_mode mode)
{
	WRITE_ONCE(current_mode, mode);
	bulkhead_epoch_bump();
}

const char *bulkhead_mode_name(enum bulkhead_mode mode)
{
	return mode <= BULKHEAD_MODE_MAX ? mode_names[mode] : "?";
}
