// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: BULKHEAD_CMD_TRANSFER_RECORD - an exchange's guard appends what it did with a
 * file to the sealed audit trail. Only a task of that exchange's guard domain may: the record
 * speaks for the guard, and whoever else tries is refused and recorded. No capability is
 * asked: the domain is the credential, whatever the task's uid.
 */
#include <net/genetlink.h>

#include "audit.h"
#include "bulkhead.h"
#include "nl_gen.h"
#include "policy.h"

static_assert(BULKHEAD_A_TRANSFER_MAX < BULKHEAD_NL_TYPES);

static const char *get_str(struct nlattr **tb, int type)
{
	return tb[type] ? nla_data(tb[type]) : NULL;
}

static u64 get_u64(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u64(tb[type]) : 0;
}

/* Parse the transfer nest: every attribute once, the ones a record cannot do without. */
static int parse_transfer(struct genl_info *info, struct nlattr **tb)
{
	int err;

	if (GENL_REQ_ATTR_CHECK(info, BULKHEAD_A_TRANSFER)) {
		NL_SET_ERR_MSG(info->extack, "BULKHEAD_A_TRANSFER is required");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, BULKHEAD_A_TRANSFER_MAX, info->attrs[BULKHEAD_A_TRANSFER],
			       bulkhead_transfer_nl_policy, info->extack);
	if (!err)
		err = bulkhead_nl_no_duplicates(nla_data(info->attrs[BULKHEAD_A_TRANSFER]),
						nla_len(info->attrs[BULKHEAD_A_TRANSFER]), 0,
						info->extack);
	if (err)
		return err;
	if (!tb[BULKHEAD_A_TRANSFER_EXCHANGE] || !tb[BULKHEAD_A_TRANSFER_ID] ||
	    !tb[BULKHEAD_A_TRANSFER_NAME] || !tb[BULKHEAD_A_TRANSFER_VERDICT]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[BULKHEAD_A_TRANSFER],
				    "a transfer record needs the exchange, id, name and verdict");
		return -EINVAL;
	}
	/* A delivery says what was delivered, under which name. */
	if (nla_get_u32(tb[BULKHEAD_A_TRANSFER_VERDICT]) == BULKHEAD_TRANSFER_DELIVERED &&
	    (!tb[BULKHEAD_A_TRANSFER_DELIVERED_AS] || !tb[BULKHEAD_A_TRANSFER_SHA256])) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[BULKHEAD_A_TRANSFER],
				    "a delivery's record needs delivered-as and sha256");
		return -EINVAL;
	}
	return 0;
}

int bulkhead_nl_transfer_record_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[BULKHEAD_A_TRANSFER_MAX + 1];
	const struct bulkhead_exchange *e;
	const struct bulkhead_policy *pol;
	struct bulkhead_audit_transfer t;
	u32 domain;
	int err;

	err = parse_transfer(info, tb);
	if (err)
		return err;
	rcu_read_lock();
	pol = rcu_dereference(bulkhead_active_policy);
	e = bulkhead_exchange_by_name(pol, nla_data(tb[BULKHEAD_A_TRANSFER_EXCHANGE]));
	if (!e) {
		rcu_read_unlock();
		NL_SET_ERR_MSG_ATTR(info->extack, tb[BULKHEAD_A_TRANSFER_EXCHANGE],
				    "no such exchange in the active policy");
		return -ENOENT;
	}
	domain = bulkhead_task_domain(pol, current);
	if (domain != e->guard) {
		bulkhead_audit_transfer_refused(pol, e->name, domain, e->guard);
		rcu_read_unlock();
		NL_SET_ERR_MSG(info->extack,
			       "only a task of the exchange's guard domain may record its transfers");
		return -EPERM;
	}
	t = (struct bulkhead_audit_transfer){
		.exchange = e->name, .from = e->from, .to = e->to,
		.id = get_u64(tb, BULKHEAD_A_TRANSFER_ID),
		.name = get_str(tb, BULKHEAD_A_TRANSFER_NAME),
		.delivered_as = get_str(tb, BULKHEAD_A_TRANSFER_DELIVERED_AS),
		.size = get_u64(tb, BULKHEAD_A_TRANSFER_SIZE),
		.sha256 = tb[BULKHEAD_A_TRANSFER_SHA256] ?
			  nla_data(tb[BULKHEAD_A_TRANSFER_SHA256]) : NULL,
		.verdict = nla_get_u32(tb[BULKHEAD_A_TRANSFER_VERDICT]),
		.reason = get_str(tb, BULKHEAD_A_TRANSFER_REASON),
		.filter = get_str(tb, BULKHEAD_A_TRANSFER_FILTER),
		.sender_uid = tb[BULKHEAD_A_TRANSFER_SENDER_UID] ?
			      nla_get_u32(tb[BULKHEAD_A_TRANSFER_SENDER_UID]) : (u32)-1,
	};
	err = bulkhead_audit_transfer(pol, &t);
	rcu_read_unlock();
	if (err)
		NL_SET_ERR_MSG(info->extack,
			       "the audit trail cannot keep the record (block mode): do not deliver yet");
	return err;
}
