// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the "bulkhead" generic netlink family, the management plane's only entry point.
 */
#include <linux/capability.h>
#include <linux/utsname.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "bulkhead.h"

static const struct nla_policy no_attrs_policy[BULKHEAD_A_MAX + 1] = {};

static const struct nla_policy mode_set_policy[BULKHEAD_A_MAX + 1] = {
	[BULKHEAD_A_MODE] = NLA_POLICY_MAX(NLA_U32, BULKHEAD_MODE_MAX),
};

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
			      BULKHEAD_A_HOOK_PAD)) {
		nla_nest_cancel(skb, entry);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, entry);
	return 0;
}

static int put_status(struct sk_buff *skb)
{
	struct nlattr *hooks;
	int hook;

	if (nla_put_string(skb, BULKHEAD_A_VERSION, BULKHEAD_MODULE_VERSION) ||
	    nla_put_u32(skb, BULKHEAD_A_ABI, BULKHEAD_GENL_VERSION) ||
	    nla_put_string(skb, BULKHEAD_A_KERNEL, init_utsname()->release) ||
	    nla_put_u32(skb, BULKHEAD_A_MODE, bulkhead_mode_get()))
		return -EMSGSIZE;
	hooks = nla_nest_start(skb, BULKHEAD_A_HOOKS);
	if (!hooks)
		return -EMSGSIZE;
	for (hook = 0; hook <= BULKHEAD_HOOK_MAX; hook++)
		if (put_hook(skb, hook))
			return -EMSGSIZE;
	nla_nest_end(skb, hooks);
	return 0;
}

static struct genl_family bulkhead_family;

static int status_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *reply;
	void *hdr;

	reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	hdr = genlmsg_put_reply(reply, info, &bulkhead_family, 0, BULKHEAD_CMD_STATUS_GET);
	if (!hdr || put_status(reply)) {
		nlmsg_free(reply);
		NL_SET_ERR_MSG(info->extack, "status does not fit in one message");
		return -EMSGSIZE;
	}
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
}

static int mode_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	/* Checked against the sender's credentials, as for every policy-changing command. */
	if (!netlink_capable(skb, CAP_MAC_ADMIN)) {
		NL_SET_ERR_MSG(info->extack, "changing the mode needs CAP_MAC_ADMIN");
		return -EPERM;
	}
	if (GENL_REQ_ATTR_CHECK(info, BULKHEAD_A_MODE)) {
		NL_SET_ERR_MSG(info->extack, "BULKHEAD_A_MODE is required");
		return -EINVAL;
	}
	bulkhead_mode_set(nla_get_u32(info->attrs[BULKHEAD_A_MODE]));
	return 0;
}

static const struct genl_ops bulkhead_ops[] = {
	{
		.cmd = BULKHEAD_CMD_STATUS_GET,
		.doit = status_get_doit,
		.policy = no_attrs_policy,
		.maxattr = BULKHEAD_A_MAX,
	},
	{
		.cmd = BULKHEAD_CMD_MODE_SET,
		.doit = mode_set_doit,
		.policy = mode_set_policy,
		.maxattr = BULKHEAD_A_MAX,
	},
};

static struct genl_family bulkhead_family __ro_after_init = {
	.name = BULKHEAD_GENL_NAME,
	.version = BULKHEAD_GENL_VERSION,
	.module = THIS_MODULE,
	.ops = bulkhead_ops,
	.n_ops = ARRAY_SIZE(bulkhead_ops),
	/* Every command is new: validate all of them strictly, reserved header bits included. */
	.resv_start_op = BULKHEAD_CMD_STATUS_GET,
	.parallel_ops = false,
};

int bulkhead_netlink_register(void)
{
	return genl_register_family(&bulkhead_family);
}

void bulkhead_netlink_unregister(void)
{
	genl_unregister_family(&bulkhead_family);
}
