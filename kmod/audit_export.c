// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: a copy of each sealed record for the Linux audit subsystem, when the audit
 * configuration asks for it ("bulkhead audit config export on"), so that auditd, ausearch,
 * aureport and SIEM agents see bulkhead's decisions. The sealed trail stays the authority;
 * this copy carries no seal.
 *
 * The sealer sends the copies, outside any syscall, so each is one self-contained record: no
 * SYSCALL record joins it to give the subject. The record type is the one whose parser in
 * ausearch/aureport reads the fields such a record needs, and the fields come in the order
 * those parsers scan them (docs/audit-format.md, "Export to the Linux audit subsystem").
 */
#include <linux/audit.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "audit.h"
#include "bulkhead.h"
#include "compat.h"

static const char *const type_names[] = BULKHEAD_AUDIT_TYPE_NAMES;

static const char *const decision_names[] = BULKHEAD_AUDIT_DECISION_NAMES;

static const char *const failure_names[] = BULKHEAD_AUDIT_FAILURE_NAMES;

static const char *const field_names[] = BULKHEAD_AUDIT_FIELD_NAMES;
static const u8 field_kinds[] = BULKHEAD_AUDIT_FIELD_KINDS;
static_assert(ARRAY_SIZE(field_kinds) == ARRAY_SIZE(field_names));

static const char *const verdict_names[] = BULKHEAD_AUDIT_VERDICT_NAMES;

static const char *const rule_names[] = BULKHEAD_AUDIT_RULE_NAMES;

static const char *const selftest_names[] = BULKHEAD_SELFTEST_NAMES;

/*
 * Decisions go out as INTEGRITY_RULE: of the kernel record types, the one whose parser reads
 * pid, auid, ses, comm, name and res from a record standing alone; a guard's transfer record
 * is its decision about a file, and goes out the same way. Policy, mode and switch
 * changes are the MAC events aureport --mac counts, as SELinux's are; the audit configuration
 * is the audit system's (CONFIG_CHANGE); the rest has no counterpart.
 */
static int export_type(u16 type)
{
	switch (type) {
	case BULKHEAD_AUDIT_DECISION:
	case BULKHEAD_AUDIT_TRANSFER:
		return AUDIT_INTEGRITY_RULE;
	case BULKHEAD_AUDIT_POLICY:
		return AUDIT_MAC_POLICY_LOAD;
	case BULKHEAD_AUDIT_MODE:
	case BULKHEAD_AUDIT_LOCK:
		return AUDIT_MAC_STATUS;
	case BULKHEAD_AUDIT_SWITCH:
		return AUDIT_MAC_CONFIG_CHANGE;
	case BULKHEAD_AUDIT_CONFIG:
		return AUDIT_CONFIG_CHANGE;
	}
	return AUDIT_KERNEL_OTHER;
}

/*
 * The subject, first and in this order: ausearch 3.0 reads a uid found after pid in an
 * INTEGRITY record as 0 (it skips 4 bytes of " uid="), so uid comes before pid, where it
 * does not look, rather than match the wrong searches.
 */
static const u16 subject_fields[] = {
	BULKHEAD_AUDIT_SUBJ_UID, BULKHEAD_AUDIT_SUBJ_PID, BULKHEAD_AUDIT_SUBJ_TGID,
	BULKHEAD_AUDIT_SUBJ_GID, BULKHEAD_AUDIT_SUBJ_LOGINUID, BULKHEAD_AUDIT_SUBJ_SESSION,
	BULKHEAD_AUDIT_SUBJ_COMM, BULKHEAD_AUDIT_SUBJ_CGROUP,
};

static bool is_subject(u16 type)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(subject_fields); i++)
		if (subject_fields[i] == type)
			return true;
	return false;
}

struct fields {
	const u8 *start, *end;
};

static const struct bulkhead_audit_field *next_field(const struct fields *fs, const u8 **p)
{
	const struct bulkhead_audit_field *f = (const void *)*p;

	if (*p + sizeof(*f) > fs->end || *p + sizeof(*f) + f->len > fs->end)
		return NULL;
	*p += sizeof(*f) + BULKHEAD_AUDIT_ALIGN(f->len);
	return f;
}

static const struct bulkhead_audit_field *find_field(const struct fields *fs, u16 type)
{
	const struct bulkhead_audit_field *f;
	const u8 *p = fs->start;

	while ((f = next_field(fs, &p)))
		if (f->type == type)
			return f;
	return NULL;
}

static u64 number_of(const struct bulkhead_audit_field *f)
{
	const void *val = f + 1;

	if (f->len == sizeof(u32))
		return *(const u32 *)val;
	if (f->len == sizeof(u64))
		return *(const u64 *)val;
	return 0;
}

static void log_word(struct audit_buffer *ab, const char *key, const char *word, u64 num)
{
	if (word)
		audit_log_format(ab, " %s=%s", key, word);
	else
		audit_log_format(ab, " %s=%llu", key, num);
}

/*
 * A string a task controls, encoded as audit_log_n_untrustedstring() does - quoted, or in
 * upper-case hex when it holds a quote, a space, a control byte or a byte above 0x7e - and
 * whole. That function is not exported to modules (6.1 and 6.12), so its rule is kept here.
 */
static void log_untrusted(struct audit_buffer *ab, const char *key, const u8 *s, u16 len)
{
	char hex[2 * 32 + 1], *h;
	u16 i, n;

	for (i = 0; i < len; i++)
		if (s[i] == '"' || s[i] < 0x21 || s[i] > 0x7e)
			break;
	if (i == len) {
		audit_log_format(ab, " %s=\"%.*s\"", key, len, s);
		return;
	}
	audit_log_format(ab, " %s=", key);
	for (i = 0; i < len; i += n) {
		n = min_t(u16, len - i, sizeof(hex) / 2);
		for (h = hex; h < hex + 2 * n; )
			h = hex_byte_pack_upper(h, s[i + (h - hex) / 2]);
		*h = '\0';
		audit_log_format(ab, "%s", hex);
	}
}

/* Self-test bits by name, comma-separated ("none" for 0), as "bulkhead audit tail" writes. */
static void log_tests(struct audit_buffer *ab, const char *key, u64 tests)
{
	unsigned int i;
	char sep = '=';

	audit_log_format(ab, " %s", key);
	for (i = 0; i < 32; i++) {
		if (!(tests & BIT_ULL(i)))
			continue;
		if (i < ARRAY_SIZE(selftest_names))
			audit_log_format(ab, "%c%s", sep, selftest_names[i]);
		else
			audit_log_format(ab, "%c%u", sep, i);
		sep = ',';
	}
	if (sep == '=')
		audit_log_format(ab, "=none");
}

/* One field, its value written as "bulkhead audit tail" writes it. */
static void log_field(struct audit_buffer *ab, const struct bulkhead_audit_field *f)
{
	const u8 *val = (const u8 *)(f + 1);
	const char *key;
	u64 num;
	u32 ns;

	if (f->type >= ARRAY_SIZE(field_names) || !field_names[f->type])
		return;
	key = field_names[f->type];
	switch (field_kinds[f->type]) {
	case BULKHEAD_AUDIT_KIND_STRING:
		log_untrusted(ab, key, val, f->len);
		return;
	case BULKHEAD_AUDIT_KIND_HASH:
		audit_log_format(ab, " %s=%*phN", key, f->len, val);
		return;
	case BULKHEAD_AUDIT_KIND_ADDR:
		if (f->len == 4)
			audit_log_format(ab, " %s=%pI4", key, val);
		else if (f->len == 16)
			audit_log_format(ab, " %s=%pI6c", key, val);
		return;
	}
	num = number_of(f);
	switch (f->type) {
	case BULKHEAD_AUDIT_OBJ_DEV:
		audit_log_format(ab, " %s=%llu:%llu", key, num >> 20, num & 0xfffff);
		return;
	case BULKHEAD_AUDIT_LOST_FROM_NS: case BULKHEAD_AUDIT_LOST_TO_NS:
		audit_log_format(ab, " %s=%llu.%09u", key, div_u64_rem(num, NSEC_PER_SEC, &ns), ns);
		return;
	case BULKHEAD_AUDIT_CHANNEL:
		log_word(ab, key, bulkhead_channel_name(num), num);
		return;
	case BULKHEAD_AUDIT_NEW_MODE: case BULKHEAD_AUDIT_OLD_MODE:
		log_word(ab, key, num <= BULKHEAD_MODE_MAX ? bulkhead_mode_name(num) : NULL, num);
		return;
	case BULKHEAD_AUDIT_FAILURE_MODE: case BULKHEAD_AUDIT_OLD_FAILURE_MODE:
		log_word(ab, key, num < ARRAY_SIZE(failure_names) ? failure_names[num] : NULL,
			 num);
		return;
	case BULKHEAD_AUDIT_READER_EVENT:
		log_word(ab, key, num == 1 ? "attached" : num ? NULL : "detached", num);
		return;
	case BULKHEAD_AUDIT_RULE:
		log_word(ab, key, num < ARRAY_SIZE(rule_names) ? rule_names[num] : NULL, num);
		return;
	case BULKHEAD_AUDIT_VERDICT:
		log_word(ab, key, num < ARRAY_SIZE(verdict_names) ? verdict_names[num] : NULL, num);
		return;
	case BULKHEAD_AUDIT_CAPABILITY:
		log_word(ab, key, bulkhead_cap_name(num), num);
		return;
	case BULKHEAD_AUDIT_SELFTEST_FAILED:
		log_tests(ab, key, num);
		return;
	}
	if (f->len == sizeof(u32) || f->len == sizeof(u64))
		audit_log_format(ab, " %s=%llu", key, num);
}

/*
 * The subject in the order above, then the result: ausearch takes res from the first "res="
 * after comm, so it comes before any name a task chose (a file named "res=1"). A record made
 * outside a task (a packet being received) has no subject; auid and ses are then unset, as
 * the kernel writes them for its own threads.
 */
static void log_subject(struct audit_buffer *ab, const struct fields *fs, bool success)
{
	const struct bulkhead_audit_field *f;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(subject_fields); i++) {
		f = find_field(fs, subject_fields[i]);
		if (f)
			log_field(ab, f);
		else if (subject_fields[i] == BULKHEAD_AUDIT_SUBJ_LOGINUID)
			audit_log_format(ab, " auid=%u", AUDIT_UID_UNSET);
		else if (subject_fields[i] == BULKHEAD_AUDIT_SUBJ_SESSION)
			audit_log_format(ab, " ses=%u", AUDIT_SID_UNSET);
	}
	audit_log_format(ab, " res=%d", success);
}

/* What res= says: a denial, or a self-test that failed, is a failure. */
static bool succeeded(const struct bulkhead_audit_hdr *hdr, const struct fields *fs)
{
	const struct bulkhead_audit_field *f = find_field(fs, BULKHEAD_AUDIT_SELFTEST_FAILED);

	if (hdr->decision == BULKHEAD_AUDIT_DENIED || hdr->decision == BULKHEAD_AUDIT_PREVENTED)
		return false;
	return !(hdr->type == BULKHEAD_AUDIT_SELFTEST && f && number_of(f));
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
	struct fields fs = {
		.start = (const u8 *)(hdr + 1),
		.end = (const u8 *)data + hdr->size - BULKHEAD_AUDIT_SEAL_LEN,
	};
	const struct bulkhead_audit_field *f;
	struct audit_buffer *ab;
	const u8 *p = fs.start;

	ab = audit_log_start(NULL, GFP_KERNEL, export_type(hdr->type));
	if (!ab)
		return;
	audit_log_format(ab, "lsm=bulkhead " BULKHEAD_AUDIT_KEY_SEQ "=%llu", hdr->seq);
	log_word(ab, BULKHEAD_AUDIT_KEY_EVENT, hdr->type < ARRAY_SIZE(type_names) ?
		 type_names[hdr->type] : NULL, hdr->type);
	if (hdr->decision != BULKHEAD_AUDIT_NONE)
		log_word(ab, BULKHEAD_AUDIT_KEY_DECISION,
			 hdr->decision < ARRAY_SIZE(decision_names) ?
			 decision_names[hdr->decision] : NULL, hdr->decision);
	audit_log_format(ab, " " BULKHEAD_AUDIT_KEY_GEN "=%llu", hdr->generation);
	if (hdr->hook != BULKHEAD_AUDIT_NO_HOOK)
		audit_log_format(ab, " " BULKHEAD_AUDIT_KEY_OP "=%s",
				 bulkhead_hook_name(hdr->hook));
	log_subject(ab, &fs, succeeded(hdr, &fs));
	while ((f = next_field(&fs, &p)))
		if (!is_subject(f->type))
			log_field(ab, f);
	/* Said, never silent: a field the record had no room for is missing or cut. */
	if (hdr->flags & BULKHEAD_AUDIT_F_TRUNCATED)
		audit_log_format(ab, " " BULKHEAD_AUDIT_KEY_TRUNCATED "=yes");
	audit_log_end(ab);
}
