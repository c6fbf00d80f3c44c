// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: "bulkhead lock" - from now until reboot the policy, the mode and the audit
 * configuration stay as they are, the module stays loaded, and the pinned BPF links that
 * attach its LSM hooks stay in place (as "auditctl -e 2" freezes the audit rules). An intruder
 * who gains root later can still do whatever the locked policy lets host do, but cannot turn
 * bulkhead off or quietly change what it decides.
 */
#include <linux/capability.h>
#include <linux/dcache.h>
#include <linux/magic.h>
#include <linux/module.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <net/genetlink.h>

#include "audit.h"
#include "bulkhead.h"
#include "nl_gen.h"
#include "policy.h"

/*
 * Set once, never cleared. Written with a release store after @pins is taken, so that a
 * reader who sees it set (acquire) also sees @pins.
 */
static bool locked;

/*
 * The pins directory, held from the lock on. Holding it also keeps its bpffs instance
 * alive: even a lazy unmount of /sys/fs/bpf cannot release the pins, and with them the links.
 */
static struct path pins;

bool bulkhead_locked(void)
{
	/* Pairs with the release in bulkhead_nl_lock(): @pins is set when @locked is seen. */
	return smp_load_acquire(&locked);
}

/**
 * bulkhead_lock_protects() - tell whether the lock forbids changing @dentry
 * @dentry: a name about to be created, removed, renamed or changed
 *
 * Return: true when locked and @dentry is the pins directory or anything below it.
 */
bool bulkhead_lock_protects(struct dentry *dentry)
{
	return bulkhead_locked() && dentry->d_sb == pins.dentry->d_sb &&
	       is_subdir(dentry, pins.dentry);
}

/**
 * bulkhead_lock_mount() - the mount of the pins directory, once locked
 *
 * What bulkhead_lock_protects() said yes to is on it: its records name the pins from the
 * task's root, as the task named them.
 *
 * Return: the mount, NULL before the lock.
 */
struct vfsmount *bulkhead_lock_mount(void)
{
	return bulkhead_locked() ? pins.mnt : NULL;
}

/* A lock with a hook missing would freeze bulkhead with a hole in it. */
static int check_all_attached(struct genl_info *info)
{
	int hook;

	for (hook = 0; hook <= BULKHEAD_HOOK_MAX; hook++) {
		if (bulkhead_hook_present(hook) && !bulkhead_hook_attached(hook)) {
			NL_SET_ERR_MSG(info->extack,
				       "a hook is not attached (see status): run 'bulkhead load' first");
			return -ENOENT;
		}
	}
	return 0;
}

int bulkhead_nl_lock_doit(struct sk_buff *skb, struct genl_info *info)
{
	int err;

	if (bulkhead_locked()) {
		NL_SET_ERR_MSG(info->extack, "bulkhead is locked already, until reboot");
		return -EALREADY;
	}
	err = check_all_attached(info);
	if (err)
		return err;
	err = bulkhead_pin_lookup("", &pins);
	if (err) {
		NL_SET_ERR_MSG(info->extack, "cannot find the pinned BPF links");
		return err;
	}
	if (pins.dentry->d_sb->s_magic != BPF_FS_MAGIC) {
		path_put(&pins);
		NL_SET_ERR_MSG(info->extack, BULKHEAD_BPFFS_DIR " is not on a BPF filesystem");
		return -EINVAL;
	}
	/* Never put: the module cannot be removed until reboot. */
	__module_get(THIS_MODULE);
	mutex_lock(&bulkhead_policy_lock);
	/* Pairs with the acquire in bulkhead_locked(): publish @pins before the flag. */
	smp_store_release(&locked, true);
	bulkhead_audit_lock(bulkhead_mode_get());
	mutex_unlock(&bulkhead_policy_lock);
	bulkhead_nl_notify(BULKHEAD_CMD_LOCK);
	return 0;
}
