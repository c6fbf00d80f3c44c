/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * bulkhead: the audit record format (version 1), shared by the module, the tools and the
 * verifier. docs/audit-format.md describes it in prose.
 *
 * A record is a fixed header, then fields, then the seal:
 *
 *   struct bulkhead_audit_hdr     48 bytes
 *   fields                        each a struct bulkhead_audit_field header (type, len), then
 *                                 len bytes of value, then zero padding to a multiple of 4
 *   seal                          BULKHEAD_AUDIT_SEAL_LEN bytes
 *
 * hdr.size counts all of it. Integers are in the host's byte order (the trail is read back on
 * the machine, or one of the same architecture). Strings are not NUL-terminated in the record:
 * a field's len is the string's length.
 *
 * Reading: /dev/bulkhead-audit, modelled on /dev/kmsg. Each open file has its own position,
 * starting at the oldest record the ring holds; each read() returns exactly one record (EINVAL
 * if the buffer is too small for it), blocks until one exists (EAGAIN with O_NONBLOCK) and
 * fails with EPIPE once when records were overwritten before this reader got them - the
 * position then moves to the oldest record held, and the reader knows it missed some. Writing
 * a __u64 sequence number acknowledges every record up to it as durable (CAP_AUDIT_CONTROL);
 * un-acknowledged records are never overwritten - the failure mode decides what happens
 * instead. poll() reports readability.
 *
 * Sealing: seal(n) = HMAC-SHA256(K[epoch(n)], seal(n - 1) || record n without its seal),
 * seal(0) = 32 zero bytes, for the records numbered 1, 2, ... of one boot. The key evolves
 * forward every BULKHEAD_AUDIT_EPOCH_RECORDS records: records with seq in
 * [e * EPOCH + 1, (e + 1) * EPOCH] are sealed with K[e], and
 *
 *   K[e + 1] = SHA-256("bulkhead-audit-key" || K[e])     (the 18 ASCII bytes, no NUL)
 *
 * after which the module wipes K[e]. K[0] is drawn at module load and handed out once
 * (BULKHEAD_CMD_AUDIT_KEY_TAKE, "bulkhead audit keygen"); the module then forgets it, so whoever
 * takes the host later cannot seal earlier records again. hdr.epoch repeats e for the verifier.
 */
#ifndef _UAPI_LINUX_BULKHEAD_AUDIT_H
#define _UAPI_LINUX_BULKHEAD_AUDIT_H

#include <linux/types.h>

#define BULKHEAD_AUDIT_VERSION		1
#define BULKHEAD_AUDIT_DEVICE		"/dev/bulkhead-audit"
#define BULKHEAD_AUDIT_SEAL_LEN		32
#define BULKHEAD_AUDIT_KEY_LEN		32
#define BULKHEAD_AUDIT_EPOCH_RECORDS	1024
#define BULKHEAD_AUDIT_MAX_RECORD	1024	/* no record is longer */
#define BULKHEAD_AUDIT_KEY_LABEL	"bulkhead-audit-key"

struct bulkhead_audit_hdr {
	__u16 version;		/* BULKHEAD_AUDIT_VERSION */
	__u16 size;		/* whole record, seal included */
	__u16 type;		/* enum bulkhead_audit_type */
	__u8 decision;		/* enum bulkhead_audit_decision */
	__u8 flags;		/* BULKHEAD_AUDIT_F_* */
	__u64 seq;		/* 1, 2, ... per boot, no gaps */
	__u64 realtime_ns;	/* CLOCK_REALTIME when the event happened */
	__u64 boottime_ns;	/* CLOCK_BOOTTIME when the event happened */
	__u64 generation;	/* policy generation in force */
	__u32 epoch;		/* key epoch the seal used: (seq - 1) / EPOCH_RECORDS */
	__u32 hook;		/* enum bulkhead_hook for decisions, else BULKHEAD_AUDIT_NO_HOOK */
};

#define BULKHEAD_AUDIT_NO_HOOK		0xffffffff

/* A field was cut to fit BULKHEAD_AUDIT_MAX_RECORD (a long path). */
#define BULKHEAD_AUDIT_F_TRUNCATED	(1U << 0)

struct bulkhead_audit_field {
	__u16 type;		/* enum bulkhead_audit_field_type */
	__u16 len;		/* value bytes, padding excluded */
};

#define BULKHEAD_AUDIT_ALIGN(len)	(((len) + 3U) & ~3U)

enum bulkhead_audit_type {
	/* an operation decided against the policy, or an allowed one on an audited flow */
	BULKHEAD_AUDIT_DECISION = 1,
	BULKHEAD_AUDIT_POLICY,		/* policy committed: OLD_GENERATION, hashes */
	BULKHEAD_AUDIT_MODE,		/* mode changed: NEW_MODE, OLD_MODE */
	BULKHEAD_AUDIT_SWITCH,		/* exclusive group switched: GROUP, ACTIVE, OLD_ACTIVE */
	BULKHEAD_AUDIT_CONFIG,		/* audit configuration changed: new and OLD_ values */
	BULKHEAD_AUDIT_LOAD,		/* module loaded: the first record of a boot's trail */
	BULKHEAD_AUDIT_UNLOAD,		/* module unloading: the last record */
	BULKHEAD_AUDIT_LOST,		/* records lost in drop mode: LOST_COUNT, LOST_FROM/TO_NS */
	BULKHEAD_AUDIT_KEY_TAKEN,	/* the initial key was handed out */
	BULKHEAD_AUDIT_READER,		/* a recorder attached or detached: READER_EVENT */
	BULKHEAD_AUDIT_LOCK,		/* locked until reboot: NEW_MODE, the mode now fixed */
	/*
	 * an exchange's guard appended a transfer record (EXCHANGE, FROM/TO_DOMAIN, TRANSFER_ID,
	 * FILE_NAME, ..., VERDICT), or decision DENIED: a task outside the guard domain tried
	 */
	BULKHEAD_AUDIT_TRANSFER,
	BULKHEAD_AUDIT_SELFTEST,	/* the self-tests ran (at load or asked): SELFTEST_FAILED */

	__BULKHEAD_AUDIT_TYPE_MAX,
	BULKHEAD_AUDIT_TYPE_MAX = __BULKHEAD_AUDIT_TYPE_MAX - 1
};

enum bulkhead_audit_decision {
	BULKHEAD_AUDIT_NONE,		/* not a decision (configuration events) */
	BULKHEAD_AUDIT_ALLOWED,		/* allowed along an audited flow */
	BULKHEAD_AUDIT_DENIED,		/* denied (enforce mode) */
	BULKHEAD_AUDIT_WOULD_DENY,	/* against the policy, allowed because of audit mode */
	BULKHEAD_AUDIT_PREVENTED,	/* denied because its record could not be kept (block) */
};

enum bulkhead_audit_field_type {
	BULKHEAD_AUDIT_FIELD_UNSPEC,
	BULKHEAD_AUDIT_SUBJ_PID,	/* u32, thread id, in the initial pid namespace */
	BULKHEAD_AUDIT_SUBJ_TGID,	/* u32 */
	BULKHEAD_AUDIT_SUBJ_UID,	/* u32, in the initial user namespace */
	BULKHEAD_AUDIT_SUBJ_GID,	/* u32 */
	BULKHEAD_AUDIT_SUBJ_LOGINUID,	/* u32, (u32)-1 when unset */
	BULKHEAD_AUDIT_SUBJ_COMM,	/* string */
	BULKHEAD_AUDIT_SUBJ_CGROUP,	/* u64, cgroup v2 id */
	BULKHEAD_AUDIT_FROM_DOMAIN,	/* string: the domain the information comes from */
	BULKHEAD_AUDIT_TO_DOMAIN,	/* string: the domain it goes to */
	BULKHEAD_AUDIT_CHANNEL,		/* u32, one BULKHEAD_CHAN_* bit */
	BULKHEAD_AUDIT_OBJ_PATH,	/* string */
	BULKHEAD_AUDIT_OBJ_DEV,		/* u32, st_dev encoding (major << 20 | minor) */
	BULKHEAD_AUDIT_OBJ_INO,		/* u64 */
	BULKHEAD_AUDIT_PEER_PID,	/* u32 */
	BULKHEAD_AUDIT_NETDEV,		/* string, interface name */
	BULKHEAD_AUDIT_NEW_MODE,	/* u32, enum bulkhead_mode */
	BULKHEAD_AUDIT_OLD_MODE,	/* u32 */
	BULKHEAD_AUDIT_OLD_GENERATION,	/* u64 */
	BULKHEAD_AUDIT_OLD_HASH,	/* binary[32] */
	BULKHEAD_AUDIT_NEW_HASH,	/* binary[32] */
	BULKHEAD_AUDIT_GROUP,		/* string */
	BULKHEAD_AUDIT_ACTIVE,		/* string, the member now active */
	BULKHEAD_AUDIT_OLD_ACTIVE,	/* string */
	BULKHEAD_AUDIT_LOST_COUNT,	/* u64, records lost since the previous LOST record */
	BULKHEAD_AUDIT_LOST_FROM_NS,	/* u64, CLOCK_BOOTTIME of the first lost record */
	BULKHEAD_AUDIT_LOST_TO_NS,	/* u64, of the last */
	BULKHEAD_AUDIT_FAILURE_MODE,	/* u32, enum bulkhead_audit_failure */
	BULKHEAD_AUDIT_RING_RECORDS,	/* u32, ring size in records */
	BULKHEAD_AUDIT_READER_EVENT,	/* u32, 1 attached, 0 detached */
	BULKHEAD_AUDIT_VERSION_TEXT,	/* string, module version (LOAD) */
	BULKHEAD_AUDIT_RECORD_ALLOWS,	/* u32, 1: every allowed cross-domain operation recorded */
	BULKHEAD_AUDIT_PROTOCOL,	/* u32, IP protocol (IPPROTO_*) */
	BULKHEAD_AUDIT_SRC_ADDR,	/* binary[4] IPv4 or binary[16] IPv6, network order */
	BULKHEAD_AUDIT_DST_ADDR,	/* binary[4] or binary[16] */
	BULKHEAD_AUDIT_SRC_PORT,	/* u32, host order */
	BULKHEAD_AUDIT_DST_PORT,	/* u32 */
	BULKHEAD_AUDIT_RULE,		/* u32, enum bulkhead_audit_rule; absent: the flows */
	BULKHEAD_AUDIT_CAPABILITY,	/* u32, the capability used (CAP_*), for hook capable */
	BULKHEAD_AUDIT_SUBJ_SESSION,	/* u32, audit session id, (u32)-1 when unset */
	BULKHEAD_AUDIT_OLD_FAILURE_MODE,	/* u32, CONFIG: the values before the change */
	BULKHEAD_AUDIT_OLD_RING_RECORDS,	/* u32 */
	BULKHEAD_AUDIT_OLD_RECORD_ALLOWS,	/* u32 */
	BULKHEAD_AUDIT_EXPORT,		/* u32, 1: records copied to the Linux audit subsystem */
	BULKHEAD_AUDIT_OLD_EXPORT,	/* u32 */
	BULKHEAD_AUDIT_EXCHANGE,	/* string, an exchange's name */
	BULKHEAD_AUDIT_TRANSFER_ID,	/* u64, the guard's number for a transfer */
	BULKHEAD_AUDIT_FILE_NAME,	/* string, a transferred file's name in the outbox */
	BULKHEAD_AUDIT_DELIVERED_AS,	/* string, its name in the inbox */
	BULKHEAD_AUDIT_FILE_SIZE,	/* u64, bytes */
	BULKHEAD_AUDIT_SHA256,		/* binary[32], SHA-256 of the content */
	BULKHEAD_AUDIT_VERDICT,		/* u32, enum bulkhead_transfer_verdict */
	BULKHEAD_AUDIT_REASON,		/* string, why rejected or failed */
	BULKHEAD_AUDIT_FILTER,		/* string, what the filter command said */
	BULKHEAD_AUDIT_SENDER_UID,	/* u32, the file's owner in the outbox */
	BULKHEAD_AUDIT_SELFTEST_FAILED,	/* u32, BULKHEAD_SELFTEST_* that failed; 0: all passed */
	/* string: the acting task's own domain (SELinux's scontext), whichever way the flow goes */
	BULKHEAD_AUDIT_SUBJ_DOMAIN,

	__BULKHEAD_AUDIT_FIELD_MAX,
	BULKHEAD_AUDIT_FIELD_MAX = __BULKHEAD_AUDIT_FIELD_MAX - 1
};

/* What decided, when it was not the flows between the domains named. */
enum bulkhead_audit_rule {
	BULKHEAD_AUDIT_RULE_FLOWS,	/* the policy's flows (never written: the default) */
	BULKHEAD_AUDIT_RULE_LOCK,	/* "bulkhead lock" protects the pinned BPF links */
	BULKHEAD_AUDIT_RULE_GUARD,	/* only an exchange's guard domain records its transfers */
};

/* What happens when un-acknowledged records fill the ring. */
enum bulkhead_audit_failure {
	BULKHEAD_AUDIT_FAIL_DROP,	/* keep going; count, and put a LOST record in the stream */
	/* deny the operation whose record cannot be kept, unless the task has CAP_AUDIT_CONTROL */
	BULKHEAD_AUDIT_FAIL_BLOCK,
	BULKHEAD_AUDIT_FAIL_PANIC,	/* panic the kernel */

	__BULKHEAD_AUDIT_FAIL_MAX,
	BULKHEAD_AUDIT_FAIL_MAX = __BULKHEAD_AUDIT_FAIL_MAX - 1
};

/*
 * Names for the enums above, as array initializers indexed by value: the words the tools print
 * ("type=decision decision=denied") and the copies for the audit subsystem use.
 */
#define BULKHEAD_AUDIT_TYPE_NAMES {			\
	[BULKHEAD_AUDIT_DECISION] = "decision",		\
	[BULKHEAD_AUDIT_POLICY] = "policy",		\
	[BULKHEAD_AUDIT_MODE] = "mode",			\
	[BULKHEAD_AUDIT_SWITCH] = "switch",		\
	[BULKHEAD_AUDIT_CONFIG] = "config",		\
	[BULKHEAD_AUDIT_LOAD] = "load",			\
	[BULKHEAD_AUDIT_UNLOAD] = "unload",		\
	[BULKHEAD_AUDIT_LOST] = "lost",			\
	[BULKHEAD_AUDIT_KEY_TAKEN] = "key_taken",	\
	[BULKHEAD_AUDIT_READER] = "reader",		\
	[BULKHEAD_AUDIT_LOCK] = "lock",			\
	[BULKHEAD_AUDIT_TRANSFER] = "transfer",		\
	[BULKHEAD_AUDIT_SELFTEST] = "selftest",		\
}

#define BULKHEAD_AUDIT_DECISION_NAMES {			\
	[BULKHEAD_AUDIT_NONE] = "none",			\
	[BULKHEAD_AUDIT_ALLOWED] = "allowed",		\
	[BULKHEAD_AUDIT_DENIED] = "denied",		\
	[BULKHEAD_AUDIT_WOULD_DENY] = "would_deny",	\
	[BULKHEAD_AUDIT_PREVENTED] = "prevented",	\
}

#define BULKHEAD_AUDIT_FAILURE_NAMES {		\
	[BULKHEAD_AUDIT_FAIL_DROP] = "drop",	\
	[BULKHEAD_AUDIT_FAIL_BLOCK] = "block",	\
	[BULKHEAD_AUDIT_FAIL_PANIC] = "panic",	\
}

/*
 * The name of each field: the key the tools print ("from=low") and the key of the copy for the
 * Linux audit subsystem, the same word in both. Where the audit subsystem has a word for the
 * same thing, it is that word (auid, ses, name for a path, opid for a peer task), and no key
 * is one that auparse interprets as something else ("mode" is a file mode, "saddr" a socket
 * address, "cgroup" an escaped path): docs/audit-format.md has the reasons.
 */
#define BULKHEAD_AUDIT_FIELD_NAMES {					\
	[BULKHEAD_AUDIT_SUBJ_PID] = "pid",				\
	[BULKHEAD_AUDIT_SUBJ_TGID] = "tgid",				\
	[BULKHEAD_AUDIT_SUBJ_UID] = "uid",				\
	[BULKHEAD_AUDIT_SUBJ_GID] = "gid",				\
	[BULKHEAD_AUDIT_SUBJ_LOGINUID] = "auid",			\
	[BULKHEAD_AUDIT_SUBJ_COMM] = "comm",				\
	[BULKHEAD_AUDIT_SUBJ_CGROUP] = "cgroup_id",			\
	[BULKHEAD_AUDIT_FROM_DOMAIN] = "from",				\
	[BULKHEAD_AUDIT_TO_DOMAIN] = "to",				\
	[BULKHEAD_AUDIT_CHANNEL] = "channel",				\
	[BULKHEAD_AUDIT_OBJ_PATH] = "name",				\
	[BULKHEAD_AUDIT_OBJ_DEV] = "dev",				\
	[BULKHEAD_AUDIT_OBJ_INO] = "ino",				\
	[BULKHEAD_AUDIT_PEER_PID] = "opid",				\
	[BULKHEAD_AUDIT_NETDEV] = "netdev",				\
	[BULKHEAD_AUDIT_NEW_MODE] = "new_mode",				\
	[BULKHEAD_AUDIT_OLD_MODE] = "old_mode",				\
	[BULKHEAD_AUDIT_OLD_GENERATION] = "old_gen",			\
	[BULKHEAD_AUDIT_OLD_HASH] = "old_hash",				\
	[BULKHEAD_AUDIT_NEW_HASH] = "new_hash",				\
	[BULKHEAD_AUDIT_GROUP] = "group",				\
	[BULKHEAD_AUDIT_ACTIVE] = "active",				\
	[BULKHEAD_AUDIT_OLD_ACTIVE] = "old_active",			\
	[BULKHEAD_AUDIT_LOST_COUNT] = "lost_count",			\
	[BULKHEAD_AUDIT_LOST_FROM_NS] = "lost_from",			\
	[BULKHEAD_AUDIT_LOST_TO_NS] = "lost_to",			\
	[BULKHEAD_AUDIT_FAILURE_MODE] = "failure_mode",			\
	[BULKHEAD_AUDIT_RING_RECORDS] = "ring_records",			\
	[BULKHEAD_AUDIT_READER_EVENT] = "reader",			\
	[BULKHEAD_AUDIT_VERSION_TEXT] = "version",			\
	[BULKHEAD_AUDIT_RECORD_ALLOWS] = "record_allows",		\
	[BULKHEAD_AUDIT_PROTOCOL] = "proto",				\
	[BULKHEAD_AUDIT_SRC_ADDR] = "src_addr",				\
	[BULKHEAD_AUDIT_DST_ADDR] = "dst_addr",				\
	[BULKHEAD_AUDIT_SRC_PORT] = "sport",				\
	[BULKHEAD_AUDIT_DST_PORT] = "dport",				\
	[BULKHEAD_AUDIT_RULE] = "rule",					\
	[BULKHEAD_AUDIT_CAPABILITY] = "cap",				\
	[BULKHEAD_AUDIT_SUBJ_SESSION] = "ses",				\
	[BULKHEAD_AUDIT_OLD_FAILURE_MODE] = "old_failure_mode",		\
	[BULKHEAD_AUDIT_OLD_RING_RECORDS] = "old_ring_records",		\
	[BULKHEAD_AUDIT_OLD_RECORD_ALLOWS] = "old_record_allows",	\
	[BULKHEAD_AUDIT_EXPORT] = "export",				\
	[BULKHEAD_AUDIT_OLD_EXPORT] = "old_export",			\
	[BULKHEAD_AUDIT_EXCHANGE] = "exchange",				\
	[BULKHEAD_AUDIT_TRANSFER_ID] = "transfer_id",			\
	[BULKHEAD_AUDIT_FILE_NAME] = "file",				\
	[BULKHEAD_AUDIT_DELIVERED_AS] = "delivered_as",			\
	[BULKHEAD_AUDIT_FILE_SIZE] = "size",				\
	[BULKHEAD_AUDIT_SHA256] = "sha256",				\
	[BULKHEAD_AUDIT_VERDICT] = "verdict",				\
	[BULKHEAD_AUDIT_REASON] = "reason",				\
	[BULKHEAD_AUDIT_FILTER] = "filter",				\
	[BULKHEAD_AUDIT_SENDER_UID] = "sender_uid",			\
	[BULKHEAD_AUDIT_SELFTEST_FAILED] = "failed_tests",		\
	[BULKHEAD_AUDIT_SUBJ_DOMAIN] = "subj_domain",			\
}

/* How a field's value is encoded, read from the one table below by kernel, tools and export. */
enum bulkhead_audit_field_kind {
	BULKHEAD_AUDIT_KIND_U32 = 1,	/* 4 bytes, host order */
	BULKHEAD_AUDIT_KIND_U64,	/* 8 bytes, host order */
	BULKHEAD_AUDIT_KIND_STRING,	/* bytes of any length, no NUL among them */
	BULKHEAD_AUDIT_KIND_HASH,	/* binary[32] (BULKHEAD_HASH_LEN) */
	BULKHEAD_AUDIT_KIND_ADDR,	/* binary[4] IPv4 or binary[16] IPv6, network order */
};

/* The kind of each field type, as an array initializer indexed by the type. */
#define BULKHEAD_AUDIT_FIELD_KINDS {						\
	[BULKHEAD_AUDIT_SUBJ_PID] = BULKHEAD_AUDIT_KIND_U32,			\
	[BULKHEAD_AUDIT_SUBJ_TGID] = BULKHEAD_AUDIT_KIND_U32,			\
	[BULKHEAD_AUDIT_SUBJ_UID] = BULKHEAD_AUDIT_KIND_U32,			\
	[BULKHEAD_AUDIT_SUBJ_GID] = BULKHEAD_AUDIT_KIND_U32,			\
	[BULKHEAD_AUDIT_SUBJ_LOGINUID] = BULKHEAD_AUDIT_KIND_U32,		\
	[BULKHEAD_AUDIT_SUBJ_COMM] = BULKHEAD_AUDIT_KIND_STRING,		\
	[BULKHEAD_AUDIT_SUBJ_CGROUP] = BULKHEAD_AUDIT_KIND_U64,			\
	[BULKHEAD_AUDIT_FROM_DOMAIN] = BULKHEAD_AUDIT_KIND_STRING,		\
	[BULKHEAD_AUDIT_TO_DOMAIN] = BULKHEAD_AUDIT_KIND_STRING,		\
	[BULKHEAD_AUDIT_CHANNEL] = BULKHEAD_AUDIT_KIND_U32,			\
	[BULKHEAD_AUDIT_OBJ_PATH] = BULKHEAD_AUDIT_KIND_STRING,			\
	[BULKHEAD_AUDIT_OBJ_DEV] = BULKHEAD_AUDIT_KIND_U32,			\
	[BULKHEAD_AUDIT_OBJ_INO] = BULKHEAD_AUDIT_KIND_U64,			\
	[BULKHEAD_AUDIT_PEER_PID] = BULKHEAD_AUDIT_KIND_U32,			\
	[BULKHEAD_AUDIT_NETDEV] = BULKHEAD_AUDIT_KIND_STRING,			\
	[BULKHEAD_AUDIT_NEW_MODE] = BULKHEAD_AUDIT_KIND_U32,			\
	[BULKHEAD_AUDIT_OLD_MODE] = BULKHEAD_AUDIT_KIND_U32,			\
	[BULKHEAD_AUDIT_OLD_GENERATION] = BULKHEAD_AUDIT_KIND_U64,		\
	[BULKHEAD_AUDIT_OLD_HASH] = BULKHEAD_AUDIT_KIND_HASH,			\
	[BULKHEAD_AUDIT_NEW_HASH] = BULKHEAD_AUDIT_KIND_HASH,			\
	[BULKHEAD_AUDIT_GROUP] = BULKHEAD_AUDIT_KIND_STRING,			\
	[BULKHEAD_AUDIT_ACTIVE] = BULKHEAD_AUDIT_KIND_STRING,			\
	[BULKHEAD_AUDIT_OLD_ACTIVE] = BULKHEAD_AUDIT_KIND_STRING,		\
	[BULKHEAD_AUDIT_LOST_COUNT] = BULKHEAD_AUDIT_KIND_U64,			\
	[BULKHEAD_AUDIT_LOST_FROM_NS] = BULKHEAD_AUDIT_KIND_U64,		\
	[BULKHEAD_AUDIT_LOST_TO_NS] = BULKHEAD_AUDIT_KIND_U64,			\
	[BULKHEAD_AUDIT_FAILURE_MODE] = BULKHEAD_AUDIT_KIND_U32,		\
	[BULKHEAD_AUDIT_RING_RECORDS] = BULKHEAD_AUDIT_KIND_U32,		\
	[BULKHEAD_AUDIT_READER_EVENT] = BULKHEAD_AUDIT_KIND_U32,		\
	[BULKHEAD_AUDIT_VERSION_TEXT] = BULKHEAD_AUDIT_KIND_STRING,		\
	[BULKHEAD_AUDIT_RECORD_ALLOWS] = BULKHEAD_AUDIT_KIND_U32,		\
	[BULKHEAD_AUDIT_PROTOCOL] = BULKHEAD_AUDIT_KIND_U32,			\
	[BULKHEAD_AUDIT_SRC_ADDR] = BULKHEAD_AUDIT_KIND_ADDR,			\
	[BULKHEAD_AUDIT_DST_ADDR] = BULKHEAD_AUDIT_KIND_ADDR,			\
	[BULKHEAD_AUDIT_SRC_PORT] = BULKHEAD_AUDIT_KIND_U32,			\
	[BULKHEAD_AUDIT_DST_PORT] = BULKHEAD_AUDIT_KIND_U32,			\
	[BULKHEAD_AUDIT_RULE] = BULKHEAD_AUDIT_KIND_U32,			\
	[BULKHEAD_AUDIT_CAPABILITY] = BULKHEAD_AUDIT_KIND_U32,			\
	[BULKHEAD_AUDIT_SUBJ_SESSION] = BULKHEAD_AUDIT_KIND_U32,		\
	[BULKHEAD_AUDIT_OLD_FAILURE_MODE] = BULKHEAD_AUDIT_KIND_U32,		\
	[BULKHEAD_AUDIT_OLD_RING_RECORDS] = BULKHEAD_AUDIT_KIND_U32,		\
	[BULKHEAD_AUDIT_OLD_RECORD_ALLOWS] = BULKHEAD_AUDIT_KIND_U32,		\
	[BULKHEAD_AUDIT_EXPORT] = BULKHEAD_AUDIT_KIND_U32,			\
	[BULKHEAD_AUDIT_OLD_EXPORT] = BULKHEAD_AUDIT_KIND_U32,			\
	[BULKHEAD_AUDIT_EXCHANGE] = BULKHEAD_AUDIT_KIND_STRING,			\
	[BULKHEAD_AUDIT_TRANSFER_ID] = BULKHEAD_AUDIT_KIND_U64,			\
	[BULKHEAD_AUDIT_FILE_NAME] = BULKHEAD_AUDIT_KIND_STRING,		\
	[BULKHEAD_AUDIT_DELIVERED_AS] = BULKHEAD_AUDIT_KIND_STRING,		\
	[BULKHEAD_AUDIT_FILE_SIZE] = BULKHEAD_AUDIT_KIND_U64,			\
	[BULKHEAD_AUDIT_SHA256] = BULKHEAD_AUDIT_KIND_HASH,			\
	[BULKHEAD_AUDIT_VERDICT] = BULKHEAD_AUDIT_KIND_U32,			\
	[BULKHEAD_AUDIT_REASON] = BULKHEAD_AUDIT_KIND_STRING,			\
	[BULKHEAD_AUDIT_FILTER] = BULKHEAD_AUDIT_KIND_STRING,			\
	[BULKHEAD_AUDIT_SENDER_UID] = BULKHEAD_AUDIT_KIND_U32,			\
	[BULKHEAD_AUDIT_SELFTEST_FAILED] = BULKHEAD_AUDIT_KIND_U32,		\
	[BULKHEAD_AUDIT_SUBJ_DOMAIN] = BULKHEAD_AUDIT_KIND_STRING,		\
}

#define BULKHEAD_AUDIT_RULE_NAMES {		\
	[BULKHEAD_AUDIT_RULE_FLOWS] = "flows",	\
	[BULKHEAD_AUDIT_RULE_LOCK] = "lock",	\
	[BULKHEAD_AUDIT_RULE_GUARD] = "guard",	\
}

/* BULKHEAD_AUDIT_VERDICT's values (enum bulkhead_transfer_verdict of <linux/bulkhead.h>). */
#define BULKHEAD_AUDIT_VERDICT_NAMES {	\
	[0] = "delivered",		\
	[1] = "rejected",		\
	[2] = "failed",			\
}

/*
 * The keys for the header's members, shared the same way: the record type is the "event"
 * (auparse reads "type" as the record's own type) and the hook the "op" ("hook" is the
 * netfilter hook to auparse).
 */
#define BULKHEAD_AUDIT_KEY_SEQ		"seq"
#define BULKHEAD_AUDIT_KEY_EVENT	"event"
#define BULKHEAD_AUDIT_KEY_DECISION	"decision"
#define BULKHEAD_AUDIT_KEY_OP		"op"
#define BULKHEAD_AUDIT_KEY_GEN		"gen"
#define BULKHEAD_AUDIT_KEY_TRUNCATED	"truncated"

#endif /* _UAPI_LINUX_BULKHEAD_AUDIT_H */
