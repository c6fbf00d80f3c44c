/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * bulkhead: sealed security domains - the user/kernel ABI.
 *
 * Generic netlink family "bulkhead" (BULKHEAD_GENL_NAME), version BULKHEAD_GENL_VERSION, in the
 * initial network namespace only. Every request is validated strictly: unknown, unsupported,
 * duplicate-typed or malformed attributes are refused with an extended-ACK message that names
 * the offending attribute. See docs/netlink.md for errnos per command.
 *
 * BULKHEAD_CMD_STATUS_GET (doit, anyone)
 *   request: no attributes
 *   reply:
 *     BULKHEAD_A_VERSION: string, module version
 *     BULKHEAD_A_ABI: u32, BULKHEAD_GENL_VERSION spoken by the module
 *     BULKHEAD_A_KERNEL: string, running kernel release
 *     BULKHEAD_A_MODE: u32, enum bulkhead_mode
 *     BULKHEAD_A_HOOKS: nest
 *       BULKHEAD_A_HOOKS_ENTRY: nest, one per hook, in enum bulkhead_hook order
 *         BULKHEAD_A_HOOK_ID: u32, enum bulkhead_hook
 *         BULKHEAD_A_HOOK_NAME: string, LSM hook name ("file_open")
 *         BULKHEAD_A_HOOK_ATTACHED: u8, 1 when the loader's BPF link is pinned
 *         BULKHEAD_A_HOOK_CALLS: u64, times the BPF program asked the module
 *
 * BULKHEAD_CMD_MODE_SET (doit, CAP_MAC_ADMIN)
 *   request:
 *     BULKHEAD_A_MODE: u32, enum bulkhead_mode (required)
 *   reply: none beyond the ACK
 */
#ifndef _UAPI_LINUX_BULKHEAD_H
#define _UAPI_LINUX_BULKHEAD_H

#define BULKHEAD_GENL_NAME	"bulkhead"
#define BULKHEAD_GENL_VERSION	1

/* Where the loader pins BPF programs and links (bpffs in the initial mount namespace). */
#define BULKHEAD_BPFFS_DIR	"/sys/fs/bpf/bulkhead"

#define BULKHEAD_VERSION_LEN	32	/* longest BULKHEAD_A_VERSION, with NUL */
#define BULKHEAD_HOOK_NAME_LEN	32	/* longest BULKHEAD_A_HOOK_NAME, with NUL */

enum bulkhead_cmd {
	BULKHEAD_CMD_UNSPEC,
	BULKHEAD_CMD_STATUS_GET,
	BULKHEAD_CMD_MODE_SET,

	__BULKHEAD_CMD_MAX,
	BULKHEAD_CMD_MAX = __BULKHEAD_CMD_MAX - 1
};

/* Loading never enforces: a freshly loaded module is in BULKHEAD_MODE_OFF. */
enum bulkhead_mode {
	BULKHEAD_MODE_OFF,	/* hooks attached, nothing decided */
	BULKHEAD_MODE_AUDIT,	/* decide and record, never deny */
	BULKHEAD_MODE_ENFORCE,	/* decide, record and deny */

	__BULKHEAD_MODE_MAX,
	BULKHEAD_MODE_MAX = __BULKHEAD_MODE_MAX - 1
};

/* LSM hooks the BPF programs attach to; each calls the module's kfunc of the same name. */
enum bulkhead_hook {
	BULKHEAD_HOOK_FILE_OPEN,

	__BULKHEAD_HOOK_MAX,
	BULKHEAD_HOOK_MAX = __BULKHEAD_HOOK_MAX - 1
};

/*
 * What a module kfunc tells the BPF program that called it. Small constants rather than
 * errnos, so that the program returns verifier-visible constants (6.12 checks the range of an
 * LSM program's return value). This header includes nothing, so BPF code may include it.
 */
enum bulkhead_verdict {
	BULKHEAD_VERDICT_ALLOW,		/* return 0 */
	BULKHEAD_VERDICT_EACCES,	/* return -EACCES: denied by policy */
	BULKHEAD_VERDICT_EPERM,		/* return -EPERM: denied, kernel convention for the hook */
};

enum bulkhead_attr {
	BULKHEAD_A_UNSPEC,
	BULKHEAD_A_PAD,
	BULKHEAD_A_VERSION,
	BULKHEAD_A_ABI,
	BULKHEAD_A_KERNEL,
	BULKHEAD_A_MODE,
	BULKHEAD_A_HOOKS,

	__BULKHEAD_A_MAX,
	BULKHEAD_A_MAX = __BULKHEAD_A_MAX - 1
};

enum bulkhead_hooks_attr {
	BULKHEAD_A_HOOKS_UNSPEC,
	BULKHEAD_A_HOOKS_ENTRY,

	__BULKHEAD_A_HOOKS_MAX,
	BULKHEAD_A_HOOKS_MAX = __BULKHEAD_A_HOOKS_MAX - 1
};

enum bulkhead_hook_attr {
	BULKHEAD_A_HOOK_UNSPEC,
	BULKHEAD_A_HOOK_PAD,
	BULKHEAD_A_HOOK_ID,
	BULKHEAD_A_HOOK_NAME,
	BULKHEAD_A_HOOK_ATTACHED,
	BULKHEAD_A_HOOK_CALLS,

	__BULKHEAD_A_HOOK_MAX,
	BULKHEAD_A_HOOK_MAX = __BULKHEAD_A_HOOK_MAX - 1
};

#endif /* _UAPI_LINUX_BULKHEAD_H */
