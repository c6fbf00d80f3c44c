// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the "bulkhead" generic netlink family, the management plane's only entry point.
 */
#include <linux/capability.h>
#include <linux/if.h>
#include <linux/utsname.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "audit.h"
#include "bulkhead.h"
#include "compat.h"
#include "nl_gen.h"
#include "policy.h"

/*
 * What pre_doit() checks before a command's handler runs. The spec gives each command one of
 * the bulkhead_nl_pre_*() below as its "pre", so that who may call what is defined there once.
 */
#define NL_MAC_ADMIN		BIT(0)	/* the sender needs CAP_MAC_ADMIN */
#define NL_AUDIT_CONTROL	BIT(1)	/* CAP_AUDIT_CONTROL */
#define NL_AUDIT_READ		BIT(2)	/* CAP_AUDIT_READ */
#define NL_CHANGE		BIT(3)	/* a change the lock forbids */
#define NL_EITHER_ADMIN		BIT(4)	/* CAP_AUDIT_CONTROL or CAP_MAC_ADMIN, either will do */

/* The message for a sender without the capability @cap that command @cmd needs. */
static int refuse_cap(u8 cmd, int cap, struct netlink_ext_ack *extack)
{
	switch (cmd) {
	case BULKHEAD_CMD_MODE_SET:
		NL_SET_ERR_MSG(extack, "changing the mode needs CAP_MAC_ADMIN");
		break;
	case BULKHEAD_CMD_SWITCH:
		NL_SET_ERR_MSG(extack, "switching needs CAP_MAC_ADMIN");
		break;
	case BULKHEAD_CMD_QUERY:
		NL_SET_ERR_MSG(extack, "querying the policy needs CAP_MAC_ADMIN");
		break;
	case BULKHEAD_CMD_LOCK:
		if (cap == CAP_MAC_ADMIN)
			NL_SET_ERR_MSG(extack, "locking needs CAP_MAC_ADMIN");
		else	/* the lock freezes the audit configuration too: its owner must agree */
			NL_SET_ERR_MSG(extack, "locking needs CAP_AUDIT_CONTROL as well");
		break;
	case BULKHEAD_CMD_AUDIT_STATS_GET:
		NL_SET_ERR_MSG(extack, "reading audit counters needs CAP_AUDIT_READ");
		break;
	case BULKHEAD_CMD_AUDIT_CONFIG_SET:
		NL_SET_ERR_MSG(extack, "changing the audit configuration needs CAP_AUDIT_CONTROL");
		break;
	case BULKHEAD_CMD_AUDIT_KEY_TAKE:
		NL_SET_ERR_MSG(extack, "taking the audit key needs CAP_AUDIT_CONTROL");
		break;
	case BULKHEAD_CMD_SELFTEST:
		NL_SET_ERR_MSG(extack,
			       "running the self-test needs CAP_AUDIT_CONTROL or CAP_MAC_ADMIN");
		break;
	default:	/* the transaction commands */
		NL_SET_ERR_MSG(extack, "changing the policy needs CAP_MAC_ADMIN");
	}
	return -EPERM;
}

static_assert(BULKHEAD_A_MAX < BULKHEAD_NL_TYPES);

/**
 * bulkhead_nl_no_duplicates() - refuse a second attribute of one type
 * @head: the attributes (a message's top level, or a nest's payload)
 * @len: their length
 * @repeatable: BIT_ULL(type) of the types that may repeat
 * @extack: for the message, pointing at the second one
 *
 * Netlink keeps only the last of two attributes of one type, which would hide what the
 * caller meant. Types past the bitmap are not the family's: the attribute policies refuse
 * them.
 *
 * Return: 0, or -EINVAL.
 */
int bulkhead_nl_no_duplicates(const struct nlattr *head, int len, u64 repeatable,
			      struct netlink_ext_ack *extack)
{
	DECLARE_BITMAP(seen, BULKHEAD_NL_TYPES) = {};
	const struct nlattr *a;
	int rem, type;

	nla_for_each_attr(a, head, len, rem) {
		type = nla_type(a);
		if (type >= BULKHEAD_NL_TYPES || (repeatable & BIT_ULL(type)))
			continue;
		if (__test_and_set_bit(type, seen)) {
			NL_SET_ERR_MSG_ATTR(extack, a, "duplicate attribute");
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * The checks every command makes before its handler: no attribute twice at the top level
 * (netlink keeps only the last, which would hide what the caller meant), the capabilities
 * the command needs (from the sender's credentials), and the lock for changes.
 */
static int pre_doit(u8 cmd, unsigned int checks, struct sk_buff *skb, struct genl_info *info)
{
	static const struct {
		u8 flag;
		int cap;
	} caps[] = {
		{ NL_MAC_ADMIN, CAP_MAC_ADMIN },
		{ NL_AUDIT_CONTROL, CAP_AUDIT_CONTROL },
		{ NL_AUDIT_READ, CAP_AUDIT_READ },
	};
	unsigned int i;
	int err;

	err = bulkhead_nl_no_duplicates(genlmsg_data(info->genlhdr), genlmsg_len(info->genlhdr),
					0, info->extack);
	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(caps); i++)
		if ((checks & caps[i].flag) && !netlink_capable(skb, caps[i].cap))
			return refuse_cap(cmd, caps[i].cap, info->extack);
	/* The self-test concerns both the audit and the policy administrator. */
	if ((checks & NL_EITHER_ADMIN) && !netlink_capable(skb, CAP_AUDIT_CONTROL) &&
	    !netlink_capable(skb, CAP_MAC_ADMIN))
		return refuse_cap(cmd, CAP_AUDIT_CONTROL, info->extack);
	if ((checks & NL_CHANGE) && bulkhead_locked()) {
		NL_SET_ERR_MSG(info->extack, "bulkhead is locked until reboot");
		return -EPERM;
	}
	return 0;
}

int bulkhead_nl_pre_anyone(const struct genl_split_ops *ops, struct sk_buff *skb,
			   struct genl_info *info)
{
	return pre_doit(ops->cmd, 0, skb, info);
}

int bulkhead_nl_pre_mac_admin(const struct genl_split_ops *ops, struct sk_buff *skb,
			      struct genl_info *info)
{
	return pre_doit(ops->cmd, NL_MAC_ADMIN, skb, info);
}

int bulkhead_nl_pre_mac_admin_unlocked(const struct genl_split_ops *ops, struct sk_buff *skb,
				       struct genl_info *info)
{
	return pre_doit(ops->cmd, NL_MAC_ADMIN | NL_CHANGE, skb, info);
}

int bulkhead_nl_pre_audit_read(const struct genl_split_ops *ops, struct sk_buff *skb,
			       struct genl_info *info)
{
	return pre_doit(ops->cmd, NL_AUDIT_READ, skb, info);
}

int bulkhead_nl_pre_audit_control(const struct genl_split_ops *ops, struct sk_buff *skb,
				  struct genl_info *info)
{
	return pre_doit(ops->cmd, NL_AUDIT_CONTROL, skb, info);
}

int bulkhead_nl_pre_audit_control_unlocked(const struct genl_split_ops *ops, struct sk_buff *skb,
					   struct genl_info *info)
{
	return pre_doit(ops->cmd, NL_AUDIT_CONTROL | NL_CHANGE, skb, info);
}

int bulkhead_nl_pre_lock(const struct genl_split_ops *ops, struct sk_buff *skb,
			 struct genl_info *info)
{
	return pre_doit(ops->cmd, NL_MAC_ADMIN | NL_AUDIT_CONTROL, skb, info);
}

int bulkhead_nl_pre_selftest(const struct genl_split_ops *ops, struct sk_buff *skb,
			     struct genl_info *info)
{
	return pre_doit(ops->cmd, NL_EITHER_ADMIN, skb, info);
}

static int put_hook(struct sk_buff *skb, enum bulkhead_hook hook)
{
	struct nlattr *entry;

	entry = nla_nest_start(skb, BULKHEAD_A_HOOKS_ENTRY);
	if (!entry)
		return -EMSGSIZE;
	if (nla_put_u32(skb, BULKHEAD_A_HOOK_ID, hook) ||
	    nla_put_string(skb, BULKHEAD_A_HOOK_NAME, bulkhead_hook_name(hook)) ||
	    nla_put_u8(skb, BULKHEAD_A_HOOK_ATTACHED, bulkhead_hook_attached(hook)) ||
	    nla_put_u64_64bit(skb, BULKHEAD_A_HOOK_CALLS, bulkhead_hook_calls(hook),
			      BULKHEAD_A_HOOK_PAD) ||
	    nla_put_u64_64bit(skb, BULKHEAD_A_HOOK_DENIALS, bulkhead_hook_denials(hook),
			      BULKHEAD_A_HOOK_PAD)) {
		nla_nest_cancel(skb, entry);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, entry);
	return 0;
}

static int put_policy_id(struct sk_buff *skb)
{
	struct bulkhead_policy *pol = bulkhead_policy_get_active();
	int err;

	err = nla_put_u64_64bit(skb, BULKHEAD_A_GENERATION, pol->generation, BULKHEAD_A_PAD) ?:
	      nla_put(skb, BULKHEAD_A_POLICY_HASH, BULKHEAD_HASH_LEN, pol->hash);
	bulkhead_policy_put(pol);
	return err;
}

/* The last self-test's result and time: in the status and the selftest reply. */
static int put_selftest(struct sk_buff *skb)
{
	u64 time_ns;
	u32 failed;

	bulkhead_selftest_last(&failed, &time_ns);
	return nla_put_u32(skb, BULKHEAD_A_SELFTEST_FAILED, failed) ?:
	       nla_put_u64_64bit(skb, BULKHEAD_A_SELFTEST_TIME, time_ns, BULKHEAD_A_PAD);
}

static int put_status(struct sk_buff *skb)
{
	struct nlattr *hooks;
	int hook;

	if (nla_put_string(skb, BULKHEAD_A_VERSION, BULKHEAD_MODULE_VERSION) ||
	    nla_put_u32(skb, BULKHEAD_A_ABI, BULKHEAD_GENL_VERSION) ||
	    nla_put_string(skb, BULKHEAD_A_KERNEL, init_utsname()->release) ||
	    nla_put_u32(skb, BULKHEAD_A_MODE, bulkhead_mode_get()) ||
	    nla_put_u8(skb, BULKHEAD_A_LOCKED, bulkhead_locked()) || put_policy_id(skb) ||
	    put_selftest(skb))
		return -EMSGSIZE;
	hooks = nla_nest_start(skb, BULKHEAD_A_HOOKS);
	if (!hooks)
		return -EMSGSIZE;
	for (hook = 0; hook <= BULKHEAD_HOOK_MAX; hook++)
		if (bulkhead_hook_present(hook) && put_hook(skb, hook))
			return -EMSGSIZE;
	nla_nest_end(skb, hooks);
	return 0;
}

/* A reply to @info of command @cmd, filled by @put. */
static int reply_with(struct genl_info *info, u8 cmd, int (*put)(struct sk_buff *skb))
{
	struct sk_buff *reply;
	void *hdr;

	reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	hdr = genlmsg_put_reply(reply, info, &bulkhead_family, 0, cmd);
	if (!hdr || put(reply)) {
		nlmsg_free(reply);
		NL_SET_ERR_MSG(info->extack, "the reply does not fit in one message");
		return -EMSGSIZE;
	}
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
}

int bulkhead_nl_status_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return reply_with(info, BULKHEAD_CMD_STATUS_GET, put_status);
}

/* A failed test is the reply's news, not the command's failure: the run itself worked. */
int bulkhead_nl_selftest_doit(struct sk_buff *skb, struct genl_info *info)
{
	bulkhead_selftest_run();
	return reply_with(info, BULKHEAD_CMD_SELFTEST, put_selftest);
}

int bulkhead_nl_mode_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	u32 old;

	if (GENL_REQ_ATTR_CHECK(info, BULKHEAD_A_MODE)) {
		NL_SET_ERR_MSG(info->extack, "BULKHEAD_A_MODE is required");
		return -EINVAL;
	}
	mutex_lock(&bulkhead_policy_lock);
	old = bulkhead_mode_get();
	bulkhead_mode_set(nla_get_u32(info->attrs[BULKHEAD_A_MODE]));
	bulkhead_audit_mode(old, bulkhead_mode_get());
	mutex_unlock(&bulkhead_policy_lock);
	bulkhead_nl_notify(BULKHEAD_CMD_MODE_SET);
	return 0;
}

/*
 * The multicast groups, indexed as nl_gen.h numbers them. nl_gen.c has the same table, but
 * static: the spec's protocol (genetlink-c, for the uapi names) leaves the family to us.
 */
static const struct genl_multicast_group bulkhead_mcgrps[] = {
	[BULKHEAD_NLGRP_EVENTS] = { .name = BULKHEAD_MCGRP_EVENTS },
};

#ifndef BULKHEAD_GENL_SPLIT_OPS
/*
 * 6.1: the generated split ops as genl_ops (each command has a do or a dump, never both), and
 * one family pre_doit that runs the one the spec gives the command.
 */
static struct genl_ops bulkhead_ops[ARRAY_SIZE(bulkhead_nl_ops)] __ro_after_init;

static int pre_doit_by_cmd(const struct genl_ops *ops, struct sk_buff *skb,
			   struct genl_info *info)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bulkhead_nl_ops); i++)
		if (bulkhead_nl_ops[i].cmd == ops->cmd && bulkhead_nl_ops[i].pre_doit)
			return bulkhead_nl_ops[i].pre_doit(&bulkhead_nl_ops[i], skb, info);
	return 0;
}

static void ops_from_split(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bulkhead_nl_ops); i++) {
		const struct genl_split_ops *split = &bulkhead_nl_ops[i];

		bulkhead_ops[i] = (struct genl_ops) {
			.cmd = split->cmd,
			.doit = split->doit,
			.start = split->start,
			.dumpit = split->dumpit,
			.done = split->done,
			.policy = split->policy,
			.maxattr = split->maxattr,
			.validate = split->validate,
			/* 6.1 derives these from doit and dumpit. */
			.flags = split->flags & ~(GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP),
		};
	}
}
#endif

struct genl_family bulkhead_family __ro_after_init = {
	.name = BULKHEAD_GENL_NAME,
	.version = BULKHEAD_GENL_VERSION,
	.module = THIS_MODULE,
#ifdef BULKHEAD_GENL_SPLIT_OPS
	.split_ops = bulkhead_nl_ops,
	.n_split_ops = ARRAY_SIZE(bulkhead_nl_ops),
#else
	.ops = bulkhead_ops,
	.n_ops = ARRAY_SIZE(bulkhead_ops),
	.pre_doit = pre_doit_by_cmd,
#endif
	.mcgrps = bulkhead_mcgrps,
	.n_mcgrps = ARRAY_SIZE(bulkhead_mcgrps),
	/* Every command is new: validate all of them strictly, reserved header bits included. */
	.resv_start_op = BULKHEAD_CMD_STATUS_GET,
	.parallel_ops = false,
};

/**
 * bulkhead_nl_notify() - announce a change on the "events" multicast group
 * @cmd: the command that changed something
 *
 * The message carries the state after the change: policy generation, mode and lock.
 */
void bulkhead_nl_notify(u8 cmd)
{
	struct bulkhead_policy *pol = bulkhead_policy_get_active();
	u64 generation = pol->generation;
	struct sk_buff *skb;
	void *hdr;

	bulkhead_policy_put(pol);

	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &bulkhead_family, 0, BULKHEAD_CMD_CHANGE_NTF);
	if (!hdr || nla_put_u32(skb, BULKHEAD_A_CHANGE, cmd) ||
	    nla_put_u64_64bit(skb, BULKHEAD_A_GENERATION, generation, BULKHEAD_A_PAD) ||
	    nla_put_u32(skb, BULKHEAD_A_MODE, bulkhead_mode_get()) ||
	    nla_put_u8(skb, BULKHEAD_A_LOCKED, bulkhead_locked())) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	/* No listener (-ESRCH) is fine: the announcement is best effort by design. */
	genlmsg_multicast(&bulkhead_family, skb, 0, BULKHEAD_NLGRP_EVENTS, GFP_KERNEL);
}

/* A transaction dies with the socket that opened it. */
static int netlink_release_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct netlink_notify *n = ptr;

	if (event == NETLINK_URELEASE && n->protocol == NETLINK_GENERIC &&
	    net_eq(n->net, &init_net))
		bulkhead_txn_release(n->portid);
	return NOTIFY_DONE;
}

static struct notifier_block netlink_release_nb = {
	.notifier_call = netlink_release_event,
};

int bulkhead_netlink_register(void)
{
	int err;

#ifndef BULKHEAD_GENL_SPLIT_OPS
	ops_from_split();
#endif
	err = netlink_register_notifier(&netlink_release_nb);
	if (err)
		return err;
	err = genl_register_family(&bulkhead_family);
	if (err)
		netlink_unregister_notifier(&netlink_release_nb);
	return err;
}

void bulkhead_netlink_unregister(void)
{
	genl_unregister_family(&bulkhead_family);
	netlink_unregister_notifier(&netlink_release_nb);
}
