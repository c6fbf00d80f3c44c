// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the exchange guard's kernel sink - each transfer record sent as
 * BULKHEAD_CMD_TRANSFER_RECORD and kept once the kernel acknowledged it, which it does only
 * after sealing it into the audit trail; a refusal carries the kernel's extended-ACK message.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <netlink/attr.h>

#include <linux/bulkhead.h>
#include "genl.h"
#include "guard.h"

static const uint32_t transfer_verdicts[] = {
	[BH_GUARD_PASS] = BULKHEAD_TRANSFER_DELIVERED,
	[BH_GUARD_REJECTED] = BULKHEAD_TRANSFER_REJECTED,
	[BH_GUARD_FAILED] = BULKHEAD_TRANSFER_FAILED,
};

/* The record's hex SHA-256 as the 32 bytes the kernel keeps; none for a file never copied. */
static int put_sha256(struct nl_msg *msg, const char *hex)
{
	uint8_t sha[BULKHEAD_HASH_LEN];
	unsigned int i;

	if (!hex[0])
		return 0;
	if (strlen(hex) != 2 * sizeof(sha))
		return -EINVAL;
	for (i = 0; i < sizeof(sha); i++)
		if (sscanf(hex + 2 * i, "%2hhx", &sha[i]) != 1)
			return -EINVAL;
	return nla_put(msg, BULKHEAD_A_TRANSFER_SHA256, sizeof(sha), sha) ? -EMSGSIZE : 0;
}

int bh_guard_transfer_put(struct nl_msg *msg, const struct bh_guard_record *r)
{
	struct nlattr *nest;

	if ((unsigned int)r->verdict >= sizeof(transfer_verdicts) / sizeof(transfer_verdicts[0]))
		return -EINVAL;
	nest = nla_nest_start(msg, BULKHEAD_A_TRANSFER);
	if (!nest || nla_put_string(msg, BULKHEAD_A_TRANSFER_EXCHANGE, r->exchange) ||
	    nla_put_u64(msg, BULKHEAD_A_TRANSFER_ID, r->id) ||
	    nla_put_string(msg, BULKHEAD_A_TRANSFER_NAME, r->name) ||
	    (r->delivered_as[0] &&
	     nla_put_string(msg, BULKHEAD_A_TRANSFER_DELIVERED_AS, r->delivered_as)) ||
	    nla_put_u64(msg, BULKHEAD_A_TRANSFER_SIZE, r->size) ||
	    nla_put_u32(msg, BULKHEAD_A_TRANSFER_VERDICT, transfer_verdicts[r->verdict]) ||
	    (r->reason[0] && nla_put_string(msg, BULKHEAD_A_TRANSFER_REASON, r->reason)) ||
	    nla_put_string(msg, BULKHEAD_A_TRANSFER_FILTER, r->filter) ||
	    nla_put_u32(msg, BULKHEAD_A_TRANSFER_SENDER_UID, r->uid))
		return -EMSGSIZE;
	if (put_sha256(msg, r->sha256))
		return -EINVAL;
	nla_nest_end(msg, nest);
	return 0;
}

static int kernel_emit(struct bh_guard_sink *sink, const struct bh_guard_record *r)
{
	struct bh_genl *g = sink->priv;
	struct nl_msg *msg = bh_genl_msg(g, BULKHEAD_CMD_TRANSFER_RECORD, 0);
	int err;

	if (!msg)
		return -ENOMEM;
	err = bh_guard_transfer_put(msg, r);
	if (err) {
		nlmsg_free(msg);
		snprintf(sink->error, sizeof(sink->error), "the record cannot be encoded");
		return err;
	}
	err = bh_genl_call(g, msg, NULL, NULL);
	if (err)
		snprintf(sink->error, sizeof(sink->error), "%s", g->ext_ack);
	return err;
}

void bh_guard_sink_kernel(struct bh_guard_sink *sink, struct bh_genl *g)
{
	*sink = (struct bh_guard_sink){ .emit = kernel_emit, .priv = g, .name = "trail" };
}
