/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * bulkhead: sealed security domains - the user/kernel ABI.
 *
 * Generic netlink family "bulkhead" (BULKHEAD_GENL_NAME), version BULKHEAD_GENL_VERSION, in the
 * initial network namespace only. Every request is validated strictly: unknown, unsupported,
 * duplicate-typed or malformed attributes are refused with an extended-ACK message that names
 * the offending attribute. See docs/netlink.md for errnos per command.
 *
 * docs/netlink/bulkhead.yaml, a YNL spec, is the one source of the netlink ABI: the build
 * generates <linux/bulkhead_nl.h> from it (the family name and version, the multicast group,
 * and the enums of commands and attributes, included below; installed in
 * build/gen/include/uapi) and the module's attribute policies and ops. The definitions in
 * this file are in the spec too, and "make check" compares their names and values.
 *
 * BULKHEAD_CMD_STATUS_GET (doit, anyone)
 *   request: no attributes
 *   reply:
 *     BULKHEAD_A_VERSION: string, module version
 *     BULKHEAD_A_ABI: u32, BULKHEAD_GENL_VERSION spoken by the module
 *     BULKHEAD_A_KERNEL: string, running kernel release
 *     BULKHEAD_A_MODE: u32, enum bulkhead_mode
 *     BULKHEAD_A_LOCKED: u8, 1 after BULKHEAD_CMD_LOCK
 *     BULKHEAD_A_HOOKS: nest
 *       BULKHEAD_A_HOOKS_ENTRY: nest, one per hook, in enum bulkhead_hook order
 *         BULKHEAD_A_HOOK_ID: u32, enum bulkhead_hook
 *         BULKHEAD_A_HOOK_NAME: string, LSM hook name ("file_open")
 *         BULKHEAD_A_HOOK_ATTACHED: u8, 1 when the loader's BPF link is pinned
 *         BULKHEAD_A_HOOK_CALLS: u64, times the BPF program asked the module
 *         BULKHEAD_A_HOOK_DENIALS: u64, decisions against the policy (denied in enforce
 *                                  mode, let through in audit mode)
 *
 *     BULKHEAD_A_GENERATION: u64, generation of the active policy (0: none applied)
 *     BULKHEAD_A_POLICY_HASH: binary[32], SHA-256 of the active policy's canonical text
 *     BULKHEAD_A_SELFTEST_FAILED: u32, BULKHEAD_SELFTEST_* of the self-tests that failed in
 *                                 the last run (0: all passed)
 *     BULKHEAD_A_SELFTEST_TIME: u64, when that run was, CLOCK_REALTIME in nanoseconds
 *
 * BULKHEAD_CMD_AUDIT_STATS_GET (doit, CAP_AUDIT_READ)
 *   reply: BULKHEAD_A_AUDIT_FAILURE, _CAPACITY, _SLOTS, _NEXT_SEQ, _SEALED, _ACKED, _EMITTED,
 *          _DELIVERED, _LOST, _PREVENTED, _EPOCH, _KEY_TAKEN, _RECORD_ALLOWS, _EXPORT
 *
 * BULKHEAD_CMD_AUDIT_CONFIG_SET (doit, CAP_AUDIT_CONTROL)
 *   request: any of BULKHEAD_A_AUDIT_FAILURE, BULKHEAD_A_AUDIT_CAPACITY (16..slots),
 *            BULKHEAD_A_AUDIT_RECORD_ALLOWS, BULKHEAD_A_AUDIT_EXPORT
 *
 * BULKHEAD_CMD_AUDIT_KEY_TAKE (doit, CAP_AUDIT_CONTROL): once per module load
 *   reply: BULKHEAD_A_AUDIT_KEY, the trail's initial sealing key K[0]; the module forgets it
 *   (EALREADY afterwards). The record format and the reader device are described in
 *   <linux/bulkhead_audit.h>.
 *
 * BULKHEAD_CMD_MODE_SET (doit, CAP_MAC_ADMIN)
 *   request:
 *     BULKHEAD_A_MODE: u32, enum bulkhead_mode (required)
 *   reply: none beyond the ACK
 *
 * Policy changes are transactions: BEGIN, any number of ADD and DEL, then COMMIT or ABORT.
 * At most one transaction is open at a time; it belongs to the netlink socket that began it
 * and is aborted when that socket closes. COMMIT validates the whole policy, then swaps it in
 * atomically; a refused or aborted transaction leaves the active policy untouched.
 *
 * BULKHEAD_CMD_TXN_BEGIN (doit, CAP_MAC_ADMIN)
 *   request:
 *     BULKHEAD_A_TXN_FLAGS: u32, BULKHEAD_TXN_F_* (FROM_ACTIVE: start from a copy of the
 *                           active policy rather than from an empty one)
 *   reply:
 *     BULKHEAD_A_GENERATION: u64, generation the transaction starts from
 *
 * BULKHEAD_CMD_TXN_ADD, BULKHEAD_CMD_TXN_DEL (doit, CAP_MAC_ADMIN, transaction owner)
 *   request:
 *     BULKHEAD_A_OBJECTS: nest, any number and mix of
 *       BULKHEAD_A_OBJ_DOMAIN: nest (enum bulkhead_obj_attr, as are the others)
 *         BULKHEAD_A_OBJ_NAME: string [a-z0-9_-]{1,31}
 *       BULKHEAD_A_OBJ_BINDING: nest
 *         BULKHEAD_A_BINDING_DOMAIN: string, domain name
 *         BULKHEAD_A_BINDING_KIND: u32, enum bulkhead_binding_kind
 *         BULKHEAD_A_BINDING_TARGET: string: cgroup path (relative to the cgroup2 root),
 *                                    file path (absolute, resolved in the caller's mount
 *                                    namespace when added) or interface name
 *       BULKHEAD_A_OBJ_FLOW: nest
 *         BULKHEAD_A_FLOW_FROM, BULKHEAD_A_FLOW_TO: string, domain names
 *         BULKHEAD_A_FLOW_CHANNELS: u32, BULKHEAD_CHAN_* bits (ADD only; not zero)
 *         BULKHEAD_A_FLOW_FLAGS: u32, BULKHEAD_FLOW_F_* bits (ADD only)
 *       BULKHEAD_A_OBJ_GROUP: nest
 *         BULKHEAD_A_OBJ_NAME: string, group name
 *         BULKHEAD_A_GROUP_MEMBER: string, domain name; repeated, in order (ADD only)
 *       BULKHEAD_A_OBJ_GRANT: nest
 *         BULKHEAD_A_GRANT_DOMAIN: string, domain name (not host: it holds them all)
 *         BULKHEAD_A_GRANT_CAPS: u64, 1 << CAP_* of BULKHEAD_GRANTABLE_CAPS (ADD only; not
 *                                zero)
 *         BULKHEAD_A_GRANT_FLAGS: u32, BULKHEAD_GRANT_F_* bits (ADD only)
 *       BULKHEAD_A_OBJ_EXCHANGE: nest, a guarded exchange (docs/exchange.md)
 *         BULKHEAD_A_OBJ_NAME: string [a-z0-9_-]{1,23}
 *         BULKHEAD_A_EXCHANGE_FROM, _TO, _GUARD: string, domain names (three different ones;
 *                                  the guard not host)
 *         BULKHEAD_A_EXCHANGE_OUTBOX, _INBOX: string, absolute paths of directories in FROM's
 *                                  and TO's domains, resolved when added (ADD only)
 *         BULKHEAD_A_EXCHANGE_FLAGS: u32, BULKHEAD_EXCHANGE_F_* (ADD only)
 *         BULKHEAD_A_EXCHANGE_MAX_SIZE: u64; _TYPE, _DENY: strings, repeated; _FILTER: string;
 *         _FILTER_TIMEOUT, _RATE, _BURST: u32 - the guard's checks, kept for the guard to
 *                                  read from the dump, not interpreted (ADD only)
 *       The exchange's outbox and inbox become domains of their own, "NAME.outbox" and
 *       "NAME.inbox", with the flows FROM -> outbox, outbox <-> GUARD, GUARD <-> inbox and
 *       inbox -> TO on the file channel. COMMIT refuses an outbox not in FROM's domain, an
 *       inbox not in TO's, a binding at or below either, a flow of the policy between FROM
 *       and TO or between GUARD and either, and a guard serving two exchanges unless both
 *       say BULKHEAD_EXCHANGE_F_SHARED_GUARD.
 *   DEL names objects by their key: domain and group by name, binding by kind and target,
 *   flow by FROM and TO, grant by domain, exchange by name. Adding an object whose key exists
 *   replaces it.
 *
 * BULKHEAD_CMD_TXN_COMMIT (doit, CAP_MAC_ADMIN, transaction owner)
 *   request:
 *     BULKHEAD_A_GENERATION: u64, optional: refuse with ESTALE unless the active policy is
 *                            still this generation
 *   reply:
 *     BULKHEAD_A_GENERATION: u64, the new generation
 *     BULKHEAD_A_POLICY_HASH: binary[32]
 *
 * BULKHEAD_CMD_TXN_ABORT (doit, CAP_MAC_ADMIN, transaction owner): no attributes
 *
 * BULKHEAD_CMD_POLICY_GET (dump, CAP_MAC_ADMIN)
 *   One message with BULKHEAD_A_GENERATION and BULKHEAD_A_POLICY_HASH, then one message per
 *   object of the active policy, each carrying one BULKHEAD_A_OBJ_* nest as above; domains
 *   also carry BULKHEAD_A_OBJ_ID, groups BULKHEAD_A_GROUP_ACTIVE. An exchange's boxes, their
 *   bindings and flows are not dumped: its nest stands for them. The whole dump shows one
 *   generation: the messages all carry it in BULKHEAD_A_GENERATION.
 *
 * BULKHEAD_CMD_SWITCH (doit, CAP_MAC_ADMIN)
 *   request:
 *     BULKHEAD_A_GROUP_NAME: string, exclusive group
 *     BULKHEAD_A_DOMAIN_NAME: string, the member to make active
 *
 * BULKHEAD_CMD_QUERY (doit, CAP_MAC_ADMIN): which domain a subject or object belongs to
 *   request: exactly one of
 *     BULKHEAD_A_QUERY_PID: u32, a task (in the caller's pid namespace)
 *     BULKHEAD_A_QUERY_PATH: string, a file (resolved in the caller's mount namespace)
 *     BULKHEAD_A_QUERY_IFNAME: string, a network interface in the initial namespace
 *   reply:
 *     BULKHEAD_A_DOMAIN_NAME, BULKHEAD_A_DOMAIN_ID
 *     BULKHEAD_A_GENERATION: u64, the policy that answered
 *
 * BULKHEAD_CMD_LOCK (doit, CAP_MAC_ADMIN and CAP_AUDIT_CONTROL): no attributes
 *   Until reboot: the policy, the mode and the audit configuration cannot change (MODE_SET,
 *   TXN_BEGIN/ADD/DEL/COMMIT and AUDIT_CONFIG_SET fail with EPERM), the module cannot be
 *   removed, and nobody may unlink, rename or change anything under BULKHEAD_BPFFS_DIR, so
 *   the BPF links stay attached. SWITCH still chooses among the members a locked policy
 *   declares. Needs every LSM hook attached (else ENOENT); EALREADY when locked already.
 *
 * BULKHEAD_CMD_TRANSFER_RECORD (doit, a task of the exchange's guard domain; no capability)
 *   request:
 *     BULKHEAD_A_TRANSFER: nest (enum bulkhead_transfer_attr)
 *       _EXCHANGE: string, _ID: u64, _NAME: string, _VERDICT: u32 (required)
 *       _DELIVERED_AS: string, _SHA256: binary[32] (required for BULKHEAD_TRANSFER_DELIVERED)
 *       _SIZE: u64, _REASON, _FILTER: string, _SENDER_UID: u32
 *   Appends a BULKHEAD_AUDIT_TRANSFER record to the sealed trail. Anyone else gets EPERM
 *   and the attempt is recorded; ENOBUFS when the trail cannot keep the record in block
 *   failure mode (the guard must not deliver then).
 *
 * BULKHEAD_CMD_SELFTEST (doit, CAP_AUDIT_CONTROL or CAP_MAC_ADMIN): no attributes
 *   Runs the self-tests the module runs before it registers anything at load - known answers
 *   of SHA-256 and HMAC-SHA256 through the calls that hash policies and seal the trail, and
 *   the decision on a built-in policy - and appends a BULKHEAD_AUDIT_SELFTEST record.
 *   reply: BULKHEAD_A_SELFTEST_FAILED, BULKHEAD_A_SELFTEST_TIME (as in the status). A load
 *   whose self-test fails is refused: init_module() fails with ENOTRECOVERABLE, which no other
 *   step of the module's load returns, and the kernel log says which test failed.
 *
 * BULKHEAD_CMD_CHANGE_NTF (multicast group "events", BULKHEAD_MCGRP_EVENTS): sent after every
 * change; never a request
 *   BULKHEAD_A_CHANGE: u32, the command that changed something (TXN_COMMIT, MODE_SET, SWITCH
 *                      or LOCK)
 *   BULKHEAD_A_GENERATION, BULKHEAD_A_MODE, BULKHEAD_A_LOCKED: the state after it
 */
#ifndef _UAPI_LINUX_BULKHEAD_H
#define _UAPI_LINUX_BULKHEAD_H

/* Generated from the spec; like this file, it includes nothing, so BPF code may include both. */
#include <linux/bulkhead_nl.h>

/* Where the loader pins BPF programs and links (bpffs in the initial mount namespace). */
#define BULKHEAD_BPFFS_DIR	"/sys/fs/bpf/bulkhead"

#define BULKHEAD_VERSION_LEN	32	/* longest BULKHEAD_A_VERSION, with NUL */
#define BULKHEAD_HOOK_NAME_LEN	32	/* longest BULKHEAD_A_HOOK_NAME, with NUL */
#define BULKHEAD_NAME_LEN	32	/* longest domain or group name, with NUL */
/* The bytes a domain or group name is made of, [a-z0-9_-], tested byte by byte everywhere. */
static __inline__ int bulkhead_name_byte_ok(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

#define BULKHEAD_TARGET_LEN	4096	/* longest binding target, with NUL */
/*
 * The bytes a target is written with unquoted in the canonical text, [A-Za-z0-9/._+:@%,=-]:
 * byte by byte, never by locale or the kernel's Latin-1 ctype, so that the kernel and the
 * tools write one text for every target.
 */
static __inline__ int bulkhead_target_byte_plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '/' || c == '.' || c == '_' || c == '+' || c == ':' || c == '@' ||
	       c == '%' || c == ',' || c == '=' || c == '-';
}

#define BULKHEAD_HASH_LEN	32	/* SHA-256 */

/* Limits of one policy; one more is refused with E2BIG. */
#define BULKHEAD_MAX_DOMAINS		1024	/* host included */
#define BULKHEAD_MAX_PATH_BINDINGS	100000
#define BULKHEAD_MAX_CGROUP_BINDINGS	10000
#define BULKHEAD_MAX_NETDEV_BINDINGS	1024
#define BULKHEAD_MAX_FLOWS		100000
#define BULKHEAD_MAX_GROUPS		256
#define BULKHEAD_MAX_GROUP_MEMBERS	64
#define BULKHEAD_MAX_EXCHANGES		64
#define BULKHEAD_MAX_EXCHANGE_TYPES	32	/* BULKHEAD_A_EXCHANGE_TYPE per exchange */
#define BULKHEAD_MAX_EXCHANGE_PATTERNS	32	/* BULKHEAD_A_EXCHANGE_DENY per exchange */
/*
 * Longest exchange name, with NUL: an exchange's outbox and inbox are domains of their own,
 * named "NAME.outbox" and "NAME.inbox", which must fit BULKHEAD_NAME_LEN.
 */
#define BULKHEAD_EXCHANGE_NAME_LEN	24
#define BULKHEAD_EXCHANGE_MAX_FILTER_TIMEOUT	3600	/* seconds */
#define BULKHEAD_EXCHANGE_MAX_RATE		10000	/* files a second, and in a burst */

/*
 * The capabilities that act on state every domain shares - the kernel, its log and clocks,
 * devices and I/O ports, the network configuration, mounts and namespaces, security and
 * audit settings - or that bypass a check bulkhead relies on (open_by_handle_at). A domain's
 * tasks lose them, whatever their credentials, unless the policy grants them to the domain
 * ("grant DOMAIN { CAP... }"). As 1 << CAP_* of <linux/capability.h>.
 */
#define BULKHEAD_GRANTABLE_CAPS						\
	((1ULL << 21) /* sys_admin */ | (1ULL << 17) /* sys_rawio */ |		\
	 (1ULL << 12) /* net_admin */ | (1ULL << 16) /* sys_module */ |		\
	 (1ULL << 22) /* sys_boot */ | (1ULL << 25) /* sys_time */ |		\
	 (1ULL << 34) /* syslog */ | (1ULL << 38) /* perfmon */ |		\
	 (1ULL << 39) /* bpf */ | (1ULL << 33) /* mac_admin */ |		\
	 (1ULL << 32) /* mac_override */ | (1ULL << 30) /* audit_control */ |	\
	 (1ULL << 29) /* audit_write */ | (1ULL << 37) /* audit_read */ |	\
	 (1ULL << 27) /* mknod */ | (1ULL << 2) /* dac_read_search */ |	\
	 (1ULL << 20) /* sys_pacct */ | (1ULL << 26) /* sys_tty_config */ |	\
	 (1ULL << 35) /* wake_alarm */ | (1ULL << 36) /* block_suspend */ |	\
	 (1ULL << 40) /* checkpoint_restore */)

/*
 * Their names in the policy language: the CAP_* name in lower case without "CAP_", indexed
 * by capability number, as an array initializer.
 */
#define BULKHEAD_CAP_NAMES {						\
	[2] = "dac_read_search", [12] = "net_admin", [16] = "sys_module",	\
	[17] = "sys_rawio", [20] = "sys_pacct", [21] = "sys_admin",		\
	[22] = "sys_boot", [25] = "sys_time", [26] = "sys_tty_config",		\
	[27] = "mknod", [29] = "audit_write", [30] = "audit_control",		\
	[32] = "mac_override", [33] = "mac_admin", [34] = "syslog",		\
	[35] = "wake_alarm", [36] = "block_suspend", [37] = "audit_read",	\
	[38] = "perfmon", [39] = "bpf", [40] = "checkpoint_restore",		\
}

#define BULKHEAD_CAP_NAMES_LEN	41	/* one past the highest grantable capability */

/* The domain that holds everything not bound elsewhere. */
#define BULKHEAD_HOST_DOMAIN		"host"
#define BULKHEAD_HOST_DOMAIN_ID		0

/* Loading never enforces: a freshly loaded module is in BULKHEAD_MODE_OFF. */
enum bulkhead_mode {
	BULKHEAD_MODE_OFF,	/* hooks attached, nothing decided */
	BULKHEAD_MODE_AUDIT,	/* decide and record, never deny */
	BULKHEAD_MODE_ENFORCE,	/* decide, record and deny */

	__BULKHEAD_MODE_MAX,
	BULKHEAD_MODE_MAX = __BULKHEAD_MODE_MAX - 1
};

#define BULKHEAD_TXN_F_FROM_ACTIVE	(1U << 0)
#define BULKHEAD_TXN_F_ALL		BULKHEAD_TXN_F_FROM_ACTIVE

enum bulkhead_binding_kind {
	BULKHEAD_BIND_CGROUP,	/* a cgroup v2 subtree: its tasks */
	BULKHEAD_BIND_PATH,	/* a file subtree: its inodes */
	BULKHEAD_BIND_NETDEV,	/* a network interface: its packets */

	__BULKHEAD_BIND_MAX,
	BULKHEAD_BIND_MAX = __BULKHEAD_BIND_MAX - 1
};

/* Channels a flow opens, one bit each. */
#define BULKHEAD_CHAN_FILE	(1U << 0)
#define BULKHEAD_CHAN_EXEC	(1U << 1)
#define BULKHEAD_CHAN_SIGNAL	(1U << 2)
#define BULKHEAD_CHAN_PTRACE	(1U << 3)
#define BULKHEAD_CHAN_UNIX	(1U << 4)
#define BULKHEAD_CHAN_IPC	(1U << 5)
#define BULKHEAD_CHAN_NET	(1U << 6)
#define BULKHEAD_CHAN_ALL	((1U << 7) - 1)

/* Record the flow's allowed operations in the audit trail too. */
#define BULKHEAD_FLOW_F_AUDIT	(1U << 0)
#define BULKHEAD_FLOW_F_ALL	BULKHEAD_FLOW_F_AUDIT

/* BULKHEAD_A_GRANT_FLAGS */
#define BULKHEAD_GRANT_F_AUDIT	(1U << 0)	/* record every use of a granted capability */
#define BULKHEAD_GRANT_F_ALL	BULKHEAD_GRANT_F_AUDIT

/* BULKHEAD_A_EXCHANGE_FLAGS */
#define BULKHEAD_EXCHANGE_F_SHARED_GUARD	(1U << 0)	/* the guard may serve others too */
#define BULKHEAD_EXCHANGE_F_ALL			BULKHEAD_EXCHANGE_F_SHARED_GUARD

/* The module's self-tests, one bit each (BULKHEAD_A_SELFTEST_FAILED). */
#define BULKHEAD_SELFTEST_SHA256	(1U << 0)	/* SHA-256 known answers */
#define BULKHEAD_SELFTEST_HMAC		(1U << 1)	/* HMAC-SHA256 known answers */
#define BULKHEAD_SELFTEST_DECIDE	(1U << 2)	/* decisions on a built-in policy */
#define BULKHEAD_SELFTEST_ALL		((1U << 3) - 1)

/* Their names, by bit number, as an array initializer: the words the tools print. */
#define BULKHEAD_SELFTEST_NAMES { "sha256", "hmac", "decide" }

/* What an exchange's guard did with a file (BULKHEAD_A_TRANSFER_VERDICT). */
enum bulkhead_transfer_verdict {
	BULKHEAD_TRANSFER_DELIVERED,	/* checked and delivered to the inbox */
	BULKHEAD_TRANSFER_REJECTED,	/* a check said no: quarantined */
	BULKHEAD_TRANSFER_FAILED,	/* the guard could not finish it: quarantined */

	__BULKHEAD_TRANSFER_MAX,
	BULKHEAD_TRANSFER_MAX = __BULKHEAD_TRANSFER_MAX - 1
};

/*
 * Hooks the module decides at: LSM hooks the BPF programs attach to (each program is named
 * after its hook and passes the hook's number to the module's kfunc, which counts and
 * decides), then the netfilter hooks the module registers itself.
 */
enum bulkhead_hook {
	BULKHEAD_HOOK_FILE_OPEN,
	BULKHEAD_HOOK_FILE_RECEIVE,
	BULKHEAD_HOOK_BPRM_CHECK_SECURITY,
	BULKHEAD_HOOK_MMAP_FILE,
	BULKHEAD_HOOK_FILE_MPROTECT,
	BULKHEAD_HOOK_INODE_CREATE,
	BULKHEAD_HOOK_INODE_MKDIR,
	BULKHEAD_HOOK_INODE_MKNOD,
	BULKHEAD_HOOK_INODE_SYMLINK,
	BULKHEAD_HOOK_INODE_UNLINK,
	BULKHEAD_HOOK_INODE_RMDIR,
	BULKHEAD_HOOK_INODE_RENAME,
	BULKHEAD_HOOK_INODE_LINK,
	BULKHEAD_HOOK_INODE_SETXATTR,
	BULKHEAD_HOOK_INODE_REMOVEXATTR,
	BULKHEAD_HOOK_PATH_TRUNCATE,
	BULKHEAD_HOOK_PATH_CHMOD,
	BULKHEAD_HOOK_PATH_CHOWN,
	BULKHEAD_HOOK_TASK_KILL,
	BULKHEAD_HOOK_PTRACE_ACCESS_CHECK,
	BULKHEAD_HOOK_PTRACE_TRACEME,
	BULKHEAD_HOOK_FILE_FCNTL,
	BULKHEAD_HOOK_UNIX_STREAM_CONNECT,
	BULKHEAD_HOOK_UNIX_MAY_SEND,
	BULKHEAD_HOOK_SOCKET_CREATE,
	BULKHEAD_HOOK_SOCKET_CONNECT,
	BULKHEAD_HOOK_SOCKET_SOCK_RCV_SKB,
	BULKHEAD_HOOK_IPC_PERMISSION,
	BULKHEAD_HOOK_SHM_ALLOC_SECURITY,
	BULKHEAD_HOOK_SHM_FREE_SECURITY,
	BULKHEAD_HOOK_SHM_SHMCTL,
	BULKHEAD_HOOK_MSG_QUEUE_ALLOC_SECURITY,
	BULKHEAD_HOOK_MSG_QUEUE_FREE_SECURITY,
	BULKHEAD_HOOK_MSG_QUEUE_MSGCTL,
	BULKHEAD_HOOK_SEM_ALLOC_SECURITY,
	BULKHEAD_HOOK_SEM_FREE_SECURITY,
	BULKHEAD_HOOK_SEM_SEMCTL,
	BULKHEAD_HOOK_BPF,
	BULKHEAD_HOOK_KERNEL_READ_FILE,
	BULKHEAD_HOOK_KERNEL_LOAD_DATA,
	BULKHEAD_HOOK_SB_MOUNT,
	BULKHEAD_HOOK_MOVE_MOUNT,
	BULKHEAD_HOOK_SB_PIVOTROOT,
	BULKHEAD_HOOK_TASK_ALLOC,
	BULKHEAD_HOOK_INODE_ALLOC_SECURITY,
	BULKHEAD_HOOK_INODE_FREE_SECURITY,
	BULKHEAD_HOOK_FILE_ALLOC_SECURITY,
	BULKHEAD_HOOK_FILE_FREE_SECURITY,
	BULKHEAD_HOOK_INODE_GETATTR,
	BULKHEAD_HOOK_INODE_GETXATTR,
	BULKHEAD_HOOK_INODE_LISTXATTR,
	BULKHEAD_HOOK_INODE_READLINK,
	BULKHEAD_HOOK_PATH_NOTIFY,
	BULKHEAD_HOOK_FILE_LOCK,
	BULKHEAD_HOOK_FILE_SEND_SIGIOTASK,
	BULKHEAD_HOOK_TASK_SETPGID,
	BULKHEAD_HOOK_TASK_GETPGID,
	BULKHEAD_HOOK_TASK_GETSID,
	BULKHEAD_HOOK_TASK_SETNICE,
	BULKHEAD_HOOK_TASK_SETIOPRIO,
	BULKHEAD_HOOK_TASK_GETIOPRIO,
	BULKHEAD_HOOK_TASK_PRLIMIT,
	BULKHEAD_HOOK_TASK_SETRLIMIT,
	BULKHEAD_HOOK_TASK_SETSCHEDULER,
	BULKHEAD_HOOK_TASK_GETSCHEDULER,
	BULKHEAD_HOOK_TASK_MOVEMEMORY,
	BULKHEAD_HOOK_CAPABLE,
	BULKHEAD_HOOK_SYSLOG,
	BULKHEAD_HOOK_PERF_EVENT_OPEN,
	BULKHEAD_HOOK_FILE_PERMISSION,
	BULKHEAD_HOOK_KEY_ALLOC,
	BULKHEAD_HOOK_KEY_PERMISSION,
	BULKHEAD_HOOK_INODE_SETATTR,
	/* 6.2 and later: POSIX ACLs no longer pass the xattr hooks */
	BULKHEAD_HOOK_INODE_GET_ACL,
	BULKHEAD_HOOK_INODE_SET_ACL,
	BULKHEAD_HOOK_INODE_REMOVE_ACL,
	BULKHEAD_HOOK_INODE_PERMISSION,
	BULKHEAD_HOOK_FILE_IOCTL,
	/* 6.8 and later: 32-bit ioctls no longer pass file_ioctl */
	BULKHEAD_HOOK_FILE_IOCTL_COMPAT,
	/* netfilter hooks the module registers itself, for IPv4 and IPv6 in every namespace */
	BULKHEAD_HOOK_NF_PRE_ROUTING,
	BULKHEAD_HOOK_NF_FORWARD,
	BULKHEAD_HOOK_NF_POST_ROUTING,
	BULKHEAD_HOOK_NF_LOCAL_IN,
	/*
	 * 6.17 and later: file_getattr(2)/file_setattr(2) and the FS_IOC_FS[GS]ETXATTR ioctls
	 * (after the netfilter hooks, so that earlier numbers keep their meaning in old trails)
	 */
	BULKHEAD_HOOK_INODE_FILE_GETATTR,
	BULKHEAD_HOOK_INODE_FILE_SETATTR,

	__BULKHEAD_HOOK_MAX,
	BULKHEAD_HOOK_MAX = __BULKHEAD_HOOK_MAX - 1
};

/*
 * The hooks' names, indexed by enum bulkhead_hook, as an array initializer: the LSM hooks
 * (each BPF program and its pin are named after its hook), then the netfilter hooks. Status
 * reports them and audit records are printed with them.
 */
#define BULKHEAD_HOOK_NAMES {							\
	[BULKHEAD_HOOK_FILE_OPEN] = "file_open",				\
	[BULKHEAD_HOOK_FILE_RECEIVE] = "file_receive",				\
	[BULKHEAD_HOOK_BPRM_CHECK_SECURITY] = "bprm_check_security",		\
	[BULKHEAD_HOOK_MMAP_FILE] = "mmap_file",				\
	[BULKHEAD_HOOK_FILE_MPROTECT] = "file_mprotect",			\
	[BULKHEAD_HOOK_INODE_CREATE] = "inode_create",				\
	[BULKHEAD_HOOK_INODE_MKDIR] = "inode_mkdir",				\
	[BULKHEAD_HOOK_INODE_MKNOD] = "inode_mknod",				\
	[BULKHEAD_HOOK_INODE_SYMLINK] = "inode_symlink",			\
	[BULKHEAD_HOOK_INODE_UNLINK] = "inode_unlink",				\
	[BULKHEAD_HOOK_INODE_RMDIR] = "inode_rmdir",				\
	[BULKHEAD_HOOK_INODE_RENAME] = "inode_rename",				\
	[BULKHEAD_HOOK_INODE_LINK] = "inode_link",				\
	[BULKHEAD_HOOK_INODE_SETXATTR] = "inode_setxattr",			\
	[BULKHEAD_HOOK_INODE_REMOVEXATTR] = "inode_removexattr",		\
	[BULKHEAD_HOOK_PATH_TRUNCATE] = "path_truncate",			\
	[BULKHEAD_HOOK_PATH_CHMOD] = "path_chmod",				\
	[BULKHEAD_HOOK_PATH_CHOWN] = "path_chown",				\
	[BULKHEAD_HOOK_TASK_KILL] = "task_kill",				\
	[BULKHEAD_HOOK_PTRACE_ACCESS_CHECK] = "ptrace_access_check",		\
	[BULKHEAD_HOOK_PTRACE_TRACEME] = "ptrace_traceme",			\
	[BULKHEAD_HOOK_FILE_FCNTL] = "file_fcntl",				\
	[BULKHEAD_HOOK_UNIX_STREAM_CONNECT] = "unix_stream_connect",		\
	[BULKHEAD_HOOK_UNIX_MAY_SEND] = "unix_may_send",			\
	[BULKHEAD_HOOK_SOCKET_CREATE] = "socket_create",			\
	[BULKHEAD_HOOK_SOCKET_CONNECT] = "socket_connect",			\
	[BULKHEAD_HOOK_SOCKET_SOCK_RCV_SKB] = "socket_sock_rcv_skb",		\
	[BULKHEAD_HOOK_IPC_PERMISSION] = "ipc_permission",			\
	[BULKHEAD_HOOK_SHM_ALLOC_SECURITY] = "shm_alloc_security",		\
	[BULKHEAD_HOOK_SHM_FREE_SECURITY] = "shm_free_security",		\
	[BULKHEAD_HOOK_SHM_SHMCTL] = "shm_shmctl",				\
	[BULKHEAD_HOOK_MSG_QUEUE_ALLOC_SECURITY] = "msg_queue_alloc_security",	\
	[BULKHEAD_HOOK_MSG_QUEUE_FREE_SECURITY] = "msg_queue_free_security",	\
	[BULKHEAD_HOOK_MSG_QUEUE_MSGCTL] = "msg_queue_msgctl",			\
	[BULKHEAD_HOOK_SEM_ALLOC_SECURITY] = "sem_alloc_security",		\
	[BULKHEAD_HOOK_SEM_FREE_SECURITY] = "sem_free_security",		\
	[BULKHEAD_HOOK_SEM_SEMCTL] = "sem_semctl",				\
	[BULKHEAD_HOOK_BPF] = "bpf",						\
	[BULKHEAD_HOOK_KERNEL_READ_FILE] = "kernel_read_file",			\
	[BULKHEAD_HOOK_KERNEL_LOAD_DATA] = "kernel_load_data",			\
	[BULKHEAD_HOOK_SB_MOUNT] = "sb_mount",					\
	[BULKHEAD_HOOK_MOVE_MOUNT] = "move_mount",				\
	[BULKHEAD_HOOK_SB_PIVOTROOT] = "sb_pivotroot",				\
	[BULKHEAD_HOOK_TASK_ALLOC] = "task_alloc",				\
	[BULKHEAD_HOOK_INODE_ALLOC_SECURITY] = "inode_alloc_security",		\
	[BULKHEAD_HOOK_INODE_FREE_SECURITY] = "inode_free_security",		\
	[BULKHEAD_HOOK_FILE_ALLOC_SECURITY] = "file_alloc_security",		\
	[BULKHEAD_HOOK_FILE_FREE_SECURITY] = "file_free_security",		\
	[BULKHEAD_HOOK_INODE_GETATTR] = "inode_getattr",			\
	[BULKHEAD_HOOK_INODE_GETXATTR] = "inode_getxattr",			\
	[BULKHEAD_HOOK_INODE_LISTXATTR] = "inode_listxattr",			\
	[BULKHEAD_HOOK_INODE_READLINK] = "inode_readlink",			\
	[BULKHEAD_HOOK_PATH_NOTIFY] = "path_notify",				\
	[BULKHEAD_HOOK_FILE_LOCK] = "file_lock",				\
	[BULKHEAD_HOOK_FILE_SEND_SIGIOTASK] = "file_send_sigiotask",		\
	[BULKHEAD_HOOK_TASK_SETPGID] = "task_setpgid",				\
	[BULKHEAD_HOOK_TASK_GETPGID] = "task_getpgid",				\
	[BULKHEAD_HOOK_TASK_GETSID] = "task_getsid",				\
	[BULKHEAD_HOOK_TASK_SETNICE] = "task_setnice",				\
	[BULKHEAD_HOOK_TASK_SETIOPRIO] = "task_setioprio",			\
	[BULKHEAD_HOOK_TASK_GETIOPRIO] = "task_getioprio",			\
	[BULKHEAD_HOOK_TASK_PRLIMIT] = "task_prlimit",				\
	[BULKHEAD_HOOK_TASK_SETRLIMIT] = "task_setrlimit",			\
	[BULKHEAD_HOOK_TASK_SETSCHEDULER] = "task_setscheduler",		\
	[BULKHEAD_HOOK_TASK_GETSCHEDULER] = "task_getscheduler",		\
	[BULKHEAD_HOOK_TASK_MOVEMEMORY] = "task_movememory",			\
	[BULKHEAD_HOOK_CAPABLE] = "capable",					\
	[BULKHEAD_HOOK_SYSLOG] = "syslog",					\
	[BULKHEAD_HOOK_PERF_EVENT_OPEN] = "perf_event_open",			\
	[BULKHEAD_HOOK_FILE_PERMISSION] = "file_permission",			\
	[BULKHEAD_HOOK_KEY_ALLOC] = "key_alloc",				\
	[BULKHEAD_HOOK_KEY_PERMISSION] = "key_permission",			\
	[BULKHEAD_HOOK_INODE_SETATTR] = "inode_setattr",			\
	[BULKHEAD_HOOK_INODE_GET_ACL] = "inode_get_acl",			\
	[BULKHEAD_HOOK_INODE_SET_ACL] = "inode_set_acl",			\
	[BULKHEAD_HOOK_INODE_REMOVE_ACL] = "inode_remove_acl",			\
	[BULKHEAD_HOOK_INODE_PERMISSION] = "inode_permission",			\
	[BULKHEAD_HOOK_FILE_IOCTL] = "file_ioctl",				\
	[BULKHEAD_HOOK_FILE_IOCTL_COMPAT] = "file_ioctl_compat",		\
	[BULKHEAD_HOOK_NF_PRE_ROUTING] = "nf_pre_routing",			\
	[BULKHEAD_HOOK_NF_FORWARD] = "nf_forward",				\
	[BULKHEAD_HOOK_NF_POST_ROUTING] = "nf_post_routing",			\
	[BULKHEAD_HOOK_NF_LOCAL_IN] = "nf_local_in",				\
	[BULKHEAD_HOOK_INODE_FILE_GETATTR] = "inode_file_getattr",		\
	[BULKHEAD_HOOK_INODE_FILE_SETATTR] = "inode_file_setattr",		\
}

/*
 * What a module kfunc tells the BPF program that called it. Small constants rather than
 * errnos, so that the program returns verifier-visible constants (6.12 checks the range of an
 * LSM program's return value).
 */
enum bulkhead_verdict {
	BULKHEAD_VERDICT_ALLOW,		/* return 0 */
	BULKHEAD_VERDICT_EACCES,	/* return -EACCES: denied by policy */
	BULKHEAD_VERDICT_EPERM,		/* return -EPERM: denied, kernel convention for the hook */
	BULKHEAD_VERDICT_ENOMEM,	/* return -ENOMEM: the module could not label the object */
};

#endif /* _UAPI_LINUX_BULKHEAD_H */
