// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: a copy of each sealed record for the Linux audit subsystem, when the audit
 * configuration asks for it ("bulkhead audit config export on"), so that auditd, ausearch and
 * SIEM agents see bulkhead's decisions. Records go out as AUDIT_KERNEL_OTHER (1316, "for use
 * by 3rd party modules") messages starting "bulkhead seq=N"; the sealed trail stays the
 * authority, this copy carries no seal.
 */
#include <linux/audit.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "audit.h"
#include "bulkhead.h"

static const char *const type_names[] = BULKHEAD_AUDIT_TYPE_NAMES;

static const char *const decision_names[] = BULKHEAD_AUDIT_DECISION_NAMES;

static const char *const field_names[] = BULKHEAD_AUDIT_FIELD_NAMES;

/* The fields worth a SIEM's attention, by the names the CLI prints (audit tail). */
static bool exported(u16 type)
{
	switch (type) {
	case BULKHEAD_AUDIT_SUBJ_PID: case BULKHEAD_AUDIT_SUBJ_UID:
	case BULKHEAD_AUDIT_SUBJ_LOGINUID: case BULKHEAD_AUDIT_SUBJ_COMM:
	case BULKHEAD_AUDIT_FROM_DOMAIN: case BULKHEAD_AUDIT_TO_DOMAIN:
	case BULKHEAD_AUDIT_CHANNEL: case BULKHEAD_AUDIT_OBJ_PATH:
	case BULKHEAD_AUDIT_PEER_PID: case BULKHEAD_AUDIT_NETDEV:
	case BULKHEAD_AUDIT_DST_PORT: case BULKHEAD_AUDIT_LOST_COUNT:
	case BULKHEAD_AUDIT_NEW_MODE: case BULKHEAD_AUDIT_ACTIVE:
	case BULKHEAD_AUDIT_RULE: case BULKHEAD_AUDIT_CAPABILITY:
		return true;
	}
	return false;
}

static bool is_string(u16 type)
{
	switch (type) {
	case BULKHEAD_AUDIT_SUBJ_COMM: case BULKHEAD_AUDIT_FROM_DOMAIN:
	case BULKHEAD_AUDIT_TO_DOMAIN: case BULKHEAD_AUDIT_OBJ_PATH:
	case BULKHEAD_AUDIT_NETDEV: case BULKHEAD_AUDIT_ACTIVE:
		return true;
	}
	return false;
}

/*
 * As the audit subsystem writes strings a task controls: quoted when plain, else in hex
 * (upper case), which ausearch -i decodes.
 */
static void log_string(struct audit_buffer *ab, const char *name, const u8 *s, u16 len)
{
	char hex[2 * 128 + 1];
	u16 i;

	len = min_t(u16, len, 128);
	for (i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] >= 0x7f || s[i] == '"')
			break;
	if (i == len) {
		audit_log_format(ab, " %s=\"%.*s\"", name, len, s);
		return;
	}
	for (i = 0; i < len; i++) {
		hex[2 * i] = hex_asc_upper_hi(s[i]);
		hex[2 * i + 1] = hex_asc_upper_lo(s[i]);
	}
	hex[2 * len] = '\0';
	audit_log_format(ab, " %s=%s", name, hex);
}

static void log_field(struct audit_buffer *ab, const struct bulkhead_audit_field *f)
{
	const char *name;
	const void *val = f + 1;
	u64 num;

	if (f->type >= ARRAY_SIZE(field_names) || !exported(f->type))
		return;
	name = field_names[f->type];
	if (is_string(f->type)) {
		log_string(ab, name, val, f->len);
		return;
	}
	if (f->len == sizeof(u32))
		num = *(const u32 *)val;
	else if (f->len == sizeof(u64))
		num = *(const u64 *)val;
	else
		return;
	audit_log_format(ab, " %s=%llu", name, num);
}

/**
 * bulkhead_audit_export() - send a copy of sealed record @data to the audit subsystem
 * @data: the record, as sealed (its framing was written by this module)
 *
 * Called by the sealer, in process context.
 */
void bulkhead_audit_export(const void *data)
{
	const struct bulkhead_audit_hdr *hdr = data;
	const u8 *p = (const u8 *)(hdr + 1);
	const u8 *end = (const u8 *)data + hdr->size - BULKHEAD_AUDIT_SEAL_LEN;
	struct audit_buffer *ab;

	ab = audit_log_start(NULL, GFP_KERNEL, AUDIT_KERNEL_OTHER);
	if (!ab)
		return;
	audit_log_format(ab, "bulkhead seq=%llu type=%s decision=%s gen=%llu", hdr->seq,
			 hdr->type < ARRAY_SIZE(type_names) && type_names[hdr->type] ?
			 type_names[hdr->type] : "?",
			 hdr->decision < ARRAY_SIZE(decision_names) ?
			 decision_names[hdr->decision] : "?", hdr->generation);
	if (hdr->hook != BULKHEAD_AUDIT_NO_HOOK)
		audit_log_format(ab, " hook=%s", bulkhead_hook_name(hdr->hook));
	while (p + sizeof(struct bulkhead_audit_field) <= end) {
		const struct bulkhead_audit_field *f = (const void *)p;

		log_field(ab, f);
		p += sizeof(*f) + BULKHEAD_AUDIT_ALIGN(f->len);
	}
	audit_log_end(ab);
}
