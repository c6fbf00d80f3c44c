// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: module load and unload.
 *
 * Loading never enforces: the module starts in mode "off" and decides nothing until an
 * administrator changes the mode over netlink.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "bulkhead.h"
#include "policy.h"

static int __init bulkhead_init(void)
{
	int err;

	err = bulkhead_policy_init();
	if (err) {
		pr_err("cannot create the initial policy: %d\n", err);
		return err;
	}
	err = bulkhead_ipc_init();
	if (err) {
		pr_err("cannot create the IPC owner table: %d\n", err);
		goto fail_policy;
	}
	err = bulkhead_kfuncs_register();
	if (err) {
		pr_err("cannot register kfuncs: %d\n", err);
		goto fail_ipc;
	}
	err = bulkhead_netfilter_register();
	if (err) {
		pr_err("cannot register the netfilter hooks: %d\n", err);
		goto fail_ipc;
	}
	err = bulkhead_netlink_register();
	if (err) {
		pr_err("cannot register the generic netlink family: %d\n", err);
		goto fail_netfilter;
	}
	pr_info("version %s loaded, mode %s\n", BULKHEAD_MODULE_VERSION,
		bulkhead_mode_name(bulkhead_mode_get()));
	return 0;
fail_netfilter:
	bulkhead_netfilter_unregister();
fail_ipc:
	bulkhead_ipc_exit();
fail_policy:
	bulkhead_policy_exit();
	return err;
}

static void __exit bulkhead_exit(void)
{
	bulkhead_netlink_unregister();
	bulkhead_netfilter_unregister();
	bulkhead_ipc_exit();
	mutex_lock(&bulkhead_policy_lock);
	bulkhead_txn_abort();
	mutex_unlock(&bulkhead_policy_lock);
	bulkhead_policy_exit();
	pr_info("unloaded\n");
}

module_init(bulkhead_init);
module_exit(bulkhead_exit);

MODULE_DESCRIPTION("bulkhead: sealed security domains with a sealed audit trail");
MODULE_LICENSE("GPL");
MODULE_VERSION(BULKHEAD_MODULE_VERSION);
