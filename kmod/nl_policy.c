// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: netlink commands on the policy - transactions, the policy dump, switching an
 * exclusive group and asking which domain something belongs to.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/namei.h>
#include <linux/netdevice.h>
#include <linux/pid.h>
#include <linux/sched/task.h>
#include <net/genetlink.h>

#include "audit.h"
#include "bulkhead.h"
#include "nl_gen.h"
#include "policy.h"

static int reply_generation(struct genl_info *info, u8 cmd, const struct bulkhead_policy *pol,
			    u64 generation)
{
	struct sk_buff *reply;
	void *hdr;

	reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	hdr = genlmsg_put_reply(reply, info, &bulkhead_family, 0, cmd);
	if (!hdr || nla_put_u64_64bit(reply, BULKHEAD_A_GENERATION, generation, BULKHEAD_A_PAD) ||
	    (pol && nla_put(reply, BULKHEAD_A_POLICY_HASH, BULKHEAD_HASH_LEN, pol->hash))) {
		nlmsg_free(reply);
		return -EMSGSIZE;
	}
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
}

int bulkhead_nl_txn_begin_doit(struct sk_buff *skb, struct genl_info *info)
{
	u32 flags = 0;
	u64 base;
	int err;

	if (info->attrs[BULKHEAD_A_TXN_FLAGS])
		flags = nla_get_u32(info->attrs[BULKHEAD_A_TXN_FLAGS]);
	mutex_lock(&bulkhead_policy_lock);
	err = bulkhead_txn_begin(info->snd_portid, flags & BULKHEAD_TXN_F_FROM_ACTIVE, &base,
				 info->extack);
	mutex_unlock(&bulkhead_policy_lock);
	if (err)
		return err;
	err = reply_generation(info, BULKHEAD_CMD_TXN_BEGIN, NULL, base);
	if (err)
		bulkhead_txn_release(info->snd_portid);
	return err;
}

/* ADD and DEL: a failure aborts the transaction, so no half-applied batch can be committed. */
static int txn_change(struct sk_buff *skb, struct genl_info *info, bool add)
{
	int err;

	if (GENL_REQ_ATTR_CHECK(info, BULKHEAD_A_OBJECTS)) {
		NL_SET_ERR_MSG(info->extack, "BULKHEAD_A_OBJECTS is required");
		return -EINVAL;
	}
	mutex_lock(&bulkhead_policy_lock);
	err = bulkhead_txn_check_owner(info->snd_portid, info->extack);
	if (!err) {
		err = add ? bulkhead_txn_add(info->attrs[BULKHEAD_A_OBJECTS], info->extack) :
			    bulkhead_txn_del(info->attrs[BULKHEAD_A_OBJECTS], info->extack);
		if (err)
			bulkhead_txn_abort();
	}
	mutex_unlock(&bulkhead_policy_lock);
	return err;
}

int bulkhead_nl_txn_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	return txn_change(skb, info, true);
}

int bulkhead_nl_txn_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return txn_change(skb, info, false);
}

int bulkhead_nl_txn_commit_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct bulkhead_policy *pol;
	u8 hash[BULKHEAD_HASH_LEN], old_hash[BULKHEAD_HASH_LEN];
	u64 expect, generation, old_generation;
	struct bulkhead_policy *old;
	int err;

	if (info->attrs[BULKHEAD_A_GENERATION])
		expect = nla_get_u64(info->attrs[BULKHEAD_A_GENERATION]);
	mutex_lock(&bulkhead_policy_lock);
	old = rcu_dereference_protected(bulkhead_active_policy,
					lockdep_is_held(&bulkhead_policy_lock));
	old_generation = old->generation;
	memcpy(old_hash, old->hash, sizeof(old_hash));
	err = bulkhead_txn_check_owner(info->snd_portid, info->extack);
	if (!err)
		err = bulkhead_txn_commit(info->attrs[BULKHEAD_A_GENERATION] ? &expect : NULL,
					  &pol, info->extack);
	if (!err) {
		generation = pol->generation;
		memcpy(hash, pol->hash, sizeof(hash));
		bulkhead_audit_policy(old_generation, old_hash, generation, hash);
	}
	mutex_unlock(&bulkhead_policy_lock);
	if (err)
		return err;
	pr_info("policy generation %llu committed\n", generation);
	bulkhead_nl_notify(BULKHEAD_CMD_TXN_COMMIT);
	pol = bulkhead_policy_get_active();
	err = reply_generation(info, BULKHEAD_CMD_TXN_COMMIT, pol, pol->generation);
	bulkhead_policy_put(pol);
	return err;
}

int bulkhead_nl_txn_abort_doit(struct sk_buff *skb, struct genl_info *info)
{
	int err;

	mutex_lock(&bulkhead_policy_lock);
	err = bulkhead_txn_check_owner(info->snd_portid, info->extack);
	if (!err)
		bulkhead_txn_abort();
	mutex_unlock(&bulkhead_policy_lock);
	return err;
}

int bulkhead_nl_switch_doit(struct sk_buff *skb, struct genl_info *info)
{
	int err;

	if (GENL_REQ_ATTR_CHECK(info, BULKHEAD_A_GROUP_NAME) ||
	    GENL_REQ_ATTR_CHECK(info, BULKHEAD_A_DOMAIN_NAME)) {
		NL_SET_ERR_MSG(info->extack, "a switch names a group and a domain");
		return -EINVAL;
	}
	mutex_lock(&bulkhead_policy_lock);
	err = bulkhead_group_switch(nla_data(info->attrs[BULKHEAD_A_GROUP_NAME]),
				    nla_data(info->attrs[BULKHEAD_A_DOMAIN_NAME]), info->extack);
	mutex_unlock(&bulkhead_policy_lock);
	if (err)
		return err;
	bulkhead_nl_notify(BULKHEAD_CMD_SWITCH);
	return 0;
}

/* The domain id the query in @info asks about, looked up in @pol. */
static int query_domain(struct genl_info *info, const struct bulkhead_policy *pol, u32 *domain)
{
	struct nlattr **attrs = info->attrs;
	struct task_struct *task;
	struct net_device *dev;
	struct path path;
	int err;

	if (!!attrs[BULKHEAD_A_QUERY_PID] + !!attrs[BULKHEAD_A_QUERY_PATH] +
	    !!attrs[BULKHEAD_A_QUERY_IFNAME] != 1) {
		NL_SET_ERR_MSG(info->extack, "a query asks about exactly one pid, path or ifname");
		return -EINVAL;
	}
	if (attrs[BULKHEAD_A_QUERY_PID]) {
		rcu_read_lock();
		task = pid_task(find_vpid(nla_get_u32(attrs[BULKHEAD_A_QUERY_PID])), PIDTYPE_PID);
		if (task)
			*domain = bulkhead_task_domain(pol, task);
		rcu_read_unlock();
		if (!task) {
			NL_SET_ERR_MSG_ATTR(info->extack, attrs[BULKHEAD_A_QUERY_PID],
					    "no such process");
			return -ESRCH;
		}
		return 0;
	}
	if (attrs[BULKHEAD_A_QUERY_PATH]) {
		err = kern_path(nla_data(attrs[BULKHEAD_A_QUERY_PATH]), 0, &path);
		if (err) {
			NL_SET_ERR_MSG_ATTR(info->extack, attrs[BULKHEAD_A_QUERY_PATH],
					    "the path does not resolve");
			return err;
		}
		rcu_read_lock();
		*domain = bulkhead_dentry_domain(pol, path.dentry);
		rcu_read_unlock();
		path_put(&path);
		return 0;
	}
	dev = dev_get_by_name(&init_net, nla_data(attrs[BULKHEAD_A_QUERY_IFNAME]));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[BULKHEAD_A_QUERY_IFNAME],
				    "no such network interface in the initial namespace");
		return -ENODEV;
	}
	*domain = bulkhead_netdev_domain(pol, dev->ifindex);
	dev_put(dev);
	return 0;
}

int bulkhead_nl_query_doit(struct sk_buff *skb, struct genl_info *info)
{
	const struct bulkhead_domain *d;
	struct bulkhead_policy *pol;
	struct sk_buff *reply;
	u32 domain;
	void *hdr;
	int err;

	pol = bulkhead_policy_get_active();
	err = query_domain(info, pol, &domain);
	if (err)
		goto out;
	err = -ENOMEM;
	reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!reply)
		goto out;
	d = bulkhead_domain_by_id(pol, domain);
	hdr = genlmsg_put_reply(reply, info, &bulkhead_family, 0, BULKHEAD_CMD_QUERY);
	if (!hdr || nla_put_string(reply, BULKHEAD_A_DOMAIN_NAME, d->name) ||
	    nla_put_u32(reply, BULKHEAD_A_DOMAIN_ID, d->id) ||
	    nla_put_u64_64bit(reply, BULKHEAD_A_GENERATION, pol->generation, BULKHEAD_A_PAD)) {
		nlmsg_free(reply);
		err = -EMSGSIZE;
		goto out;
	}
	genlmsg_end(reply, hdr);
	err = genlmsg_reply(reply, info);
out:
	bulkhead_policy_put(pol);
	return err;
}
