// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: module load and unload.
 *
 * Loading never enforces: the module starts in mode "off" and decides nothing until an
 * administrator changes the mode over netlink. A module whose self-test fails does not load.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "audit.h"
#include "bulkhead.h"
#include "policy.h"

static int __init bulkhead_init(void)
{
	int err;

	/* The trail first: its first record says the module was loaded. */
	err = bulkhead_audit_init();
	if (err) {
		pr_err("cannot start the audit trail: %d\n", err);
		return err;
	}
	/*
	 * Before anything the rest of the kernel can reach exists (FPT_TST.1): the trail only
	 * records the result. ENOTRECOVERABLE tells "bulkhead load" that this is why.
	 */
	if (bulkhead_selftest_run()) {
		pr_err("refusing to load: a self-test failed\n");
		err = -ENOTRECOVERABLE;
		goto fail_audit;
	}
	err = bulkhead_policy_init();
	if (err) {
		pr_err("cannot create the initial policy: %d\n", err);
		goto fail_audit;
	}
	err = bulkhead_owners_init();
	if (err) {
		pr_err("cannot create the object owner table: %d\n", err);
		goto fail_policy;
	}
	err = bulkhead_rw_init();
	if (err) {
		pr_err("cannot create the table of open files: %d\n", err);
		goto fail_owners;
	}
	err = bulkhead_kfuncs_register();
	if (err) {
		pr_err("cannot register kfuncs: %d\n", err);
		goto fail_rw;
	}
	err = bulkhead_netfilter_register();
	if (err) {
		pr_err("cannot register the netfilter hooks: %d\n", err);
		goto fail_rw;
	}
	err = bulkhead_audit_dev_register();
	if (err) {
		pr_err("cannot register the audit device: %d\n", err);
		goto fail_netfilter;
	}
	err = bulkhead_netlink_register();
	if (err) {
		pr_err("cannot register the generic netlink family: %d\n", err);
		goto fail_dev;
	}
	pr_info("version %s loaded, mode %s\n", BULKHEAD_MODULE_VERSION,
		bulkhead_mode_name(bulkhead_mode_get()));
	return 0;
fail_dev:
	bulkhead_audit_dev_unregister();
fail_netfilter:
	bulkhead_netfilter_unregister();
fail_rw:
	bulkhead_rw_exit();
fail_owners:
	bulkhead_owners_exit();
fail_policy:
	bulkhead_policy_exit();
fail_audit:
	bulkhead_audit_exit();
	return err;
}

static void __exit bulkhead_exit(void)
{
	bulkhead_netlink_unregister();
	bulkhead_audit_dev_unregister();
	bulkhead_netfilter_unregister();
	bulkhead_rw_exit();
	bulkhead_owners_exit();
	mutex_lock(&bulkhead_policy_lock);
	bulkhead_txn_abort();
	mutex_unlock(&bulkhead_policy_lock);
	bulkhead_policy_exit();
	bulkhead_audit_exit();
	pr_info("unloaded\n");
}

module_init(bulkhead_init);
module_exit(bulkhead_exit);

MODULE_DESCRIPTION("bulkhead: sealed security domains with a sealed audit trail");
MODULE_LICENSE("GPL");
MODULE_VERSION(BULKHEAD_MODULE_VERSION);
