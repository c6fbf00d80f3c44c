// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the audit commands of the netlink family - counters, configuration and the
 * one-time hand-out of the initial sealing key.
 */
#include <linux/capability.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "audit.h"
#include "bulkhead.h"
#include "nl_gen.h"

static int put_stats(struct sk_buff *skb, const struct bulkhead_audit_stats *st)
{
	const struct {
		int attr;
		u64 val;
	} counters[] = {
		{ BULKHEAD_A_AUDIT_NEXT_SEQ, st->next_seq },
		{ BULKHEAD_A_AUDIT_SEALED, st->sealed },
		{ BULKHEAD_A_AUDIT_ACKED, st->acked },
		{ BULKHEAD_A_AUDIT_EMITTED, st->emitted },
		{ BULKHEAD_A_AUDIT_DELIVERED, st->delivered },
		{ BULKHEAD_A_AUDIT_LOST, st->lost },
		{ BULKHEAD_A_AUDIT_PREVENTED, st->prevented },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(counters); i++)
		if (nla_put_u64_64bit(skb, counters[i].attr, counters[i].val, BULKHEAD_A_PAD))
			return -EMSGSIZE;
	if (nla_put_u32(skb, BULKHEAD_A_AUDIT_FAILURE, st->failure) ||
	    nla_put_u32(skb, BULKHEAD_A_AUDIT_CAPACITY, st->capacity) ||
	    nla_put_u32(skb, BULKHEAD_A_AUDIT_SLOTS, st->slots) ||
	    nla_put_u32(skb, BULKHEAD_A_AUDIT_EPOCH, st->epoch) ||
	    nla_put_u8(skb, BULKHEAD_A_AUDIT_KEY_TAKEN, st->key_taken) ||
	    nla_put_u8(skb, BULKHEAD_A_AUDIT_RECORD_ALLOWS, st->record_allows) ||
	    nla_put_u8(skb, BULKHEAD_A_AUDIT_EXPORT, st->export))
		return -EMSGSIZE;
	return 0;
}

int bulkhead_nl_audit_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct bulkhead_audit_stats st;
	struct sk_buff *reply;
	void *hdr;

	bulkhead_audit_get_stats(&st);
	reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	hdr = genlmsg_put_reply(reply, info, &bulkhead_family, 0, info->genlhdr->cmd);
	if (!hdr || put_stats(reply, &st)) {
		nlmsg_free(reply);
		return -EMSGSIZE;
	}
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
}

int bulkhead_nl_audit_config_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	u32 failure, capacity;
	bool allows, export;
	int err;

	if (!a[BULKHEAD_A_AUDIT_FAILURE] && !a[BULKHEAD_A_AUDIT_CAPACITY] &&
	    !a[BULKHEAD_A_AUDIT_RECORD_ALLOWS] && !a[BULKHEAD_A_AUDIT_EXPORT]) {
		NL_SET_ERR_MSG(info->extack, "nothing to configure");
		return -EINVAL;
	}
	if (a[BULKHEAD_A_AUDIT_FAILURE])
		failure = nla_get_u32(a[BULKHEAD_A_AUDIT_FAILURE]);
	if (a[BULKHEAD_A_AUDIT_CAPACITY])
		capacity = nla_get_u32(a[BULKHEAD_A_AUDIT_CAPACITY]);
	if (a[BULKHEAD_A_AUDIT_RECORD_ALLOWS])
		allows = nla_get_u8(a[BULKHEAD_A_AUDIT_RECORD_ALLOWS]);
	if (a[BULKHEAD_A_AUDIT_EXPORT])
		export = nla_get_u8(a[BULKHEAD_A_AUDIT_EXPORT]);
	err = bulkhead_audit_configure(a[BULKHEAD_A_AUDIT_FAILURE] ? &failure : NULL,
				       a[BULKHEAD_A_AUDIT_CAPACITY] ? &capacity : NULL,
				       a[BULKHEAD_A_AUDIT_RECORD_ALLOWS] ? &allows : NULL,
				       a[BULKHEAD_A_AUDIT_EXPORT] ? &export : NULL, info->extack);
	if (err && a[BULKHEAD_A_AUDIT_CAPACITY])
		info->extack->bad_attr = a[BULKHEAD_A_AUDIT_CAPACITY];
	return err;
}

int bulkhead_nl_audit_key_take_doit(struct sk_buff *skb, struct genl_info *info)
{
	u8 key[BULKHEAD_AUDIT_KEY_LEN];
	struct sk_buff *reply;
	void *hdr;
	int err;

	reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	hdr = genlmsg_put_reply(reply, info, &bulkhead_family, 0, info->genlhdr->cmd);
	err = hdr ? bulkhead_audit_take_key(key, info->extack) : -EMSGSIZE;
	if (!err && nla_put(reply, BULKHEAD_A_AUDIT_KEY, sizeof(key), key))
		err = -EMSGSIZE;
	memzero_explicit(key, sizeof(key));
	if (err) {
		nlmsg_free(reply);
		return err;
	}
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
}
