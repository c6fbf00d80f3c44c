// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: what root's fuzzed requests must never do. Root may change anything, so
 * a few requests would end the suite rather than test the kernel: the filter below walks a
 * datagram exactly as the kernel will and refuses those, whatever else is broken about it.
 */
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/types.h>
#include <linux/bulkhead.h>
#include <linux/bulkhead_audit.h>

#include "nlfuzz_gen.h"

/*
 * Whether one attribute leaves the VM usable: a mode of off or audit (enforce would deny the
 * rest of the suite whatever the fuzzed policy says), the drop failure mode (block stops
 * every audited operation once the ring is full, panic ends the VM), no export to the audit
 * subsystem (without auditd the kernel prints each record, flooding the log the suite
 * checks). Exact sizes only: the kernel refuses any other, and a refusal is what we rely on.
 */
static bool attr_safe(uint8_t cmd, unsigned int type, const uint8_t *data, size_t len)
{
	uint32_t v32 = 0;

	if (len == sizeof(v32))
		memcpy(&v32, data, sizeof(v32));
	if (cmd == BULKHEAD_CMD_MODE_SET && type == BULKHEAD_A_MODE)
		return len == 4 && (v32 == BULKHEAD_MODE_OFF || v32 == BULKHEAD_MODE_AUDIT);
	if (cmd == BULKHEAD_CMD_AUDIT_CONFIG_SET && type == BULKHEAD_A_AUDIT_FAILURE)
		return len == 4 && v32 == BULKHEAD_AUDIT_FAIL_DROP;
	if (cmd == BULKHEAD_CMD_AUDIT_CONFIG_SET && type == BULKHEAD_A_AUDIT_EXPORT)
		return len == 1 && data[0] == 0;
	return true;
}

/* One bulkhead message of @len bytes: never LOCK, each attribute safe, walked as the kernel does. */
static bool message_safe(const uint8_t *msg, size_t len)
{
	struct genlmsghdr gh;
	const uint8_t *p = msg + NLMSG_LENGTH(GENL_HDRLEN);
	size_t rem = len - NLMSG_LENGTH(GENL_HDRLEN);
	struct nlattr a;

	memcpy(&gh, msg + NLMSG_HDRLEN, sizeof(gh));
	if (gh.cmd == BULKHEAD_CMD_LOCK)
		return false;
	while (rem >= NLA_HDRLEN) {
		memcpy(&a, p, sizeof(a));
		if (a.nla_len < NLA_HDRLEN || a.nla_len > rem)
			break;
		if (!attr_safe(gh.cmd, a.nla_type & NLA_TYPE_MASK, p + NLA_HDRLEN,
			       a.nla_len - NLA_HDRLEN))
			return false;
		if ((size_t)NLA_ALIGN(a.nla_len) >= rem)
			break;
		rem -= NLA_ALIGN(a.nla_len);
		p += NLA_ALIGN(a.nla_len);
	}
	return true;
}

static bool type_safe(uint16_t type, uint16_t family)
{
	return type == family || type == GENL_ID_CTRL || type < NLMSG_MIN_TYPE || type >= 0xff00;
}

bool fuzz_root_safe(const uint8_t *buf, size_t len, uint16_t family)
{
	struct nlmsghdr nlh;
	size_t step;

	/* The walk of netlink_rcv_skb(): a header that does not fit ends the datagram. */
	while (len >= NLMSG_HDRLEN) {
		memcpy(&nlh, buf, sizeof(nlh));
		if (nlh.nlmsg_len < NLMSG_HDRLEN || len < nlh.nlmsg_len)
			return true;
		if (!type_safe(nlh.nlmsg_type, family))
			return false;
		if (nlh.nlmsg_type == family && (nlh.nlmsg_flags & NLM_F_REQUEST) &&
		    nlh.nlmsg_len >= NLMSG_LENGTH(GENL_HDRLEN) &&
		    !message_safe(buf, nlh.nlmsg_len))
			return false;
		step = NLMSG_ALIGN(nlh.nlmsg_len);
		if (step > len)
			step = len;
		buf += step;
		len -= step;
	}
	return true;
}
