// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: kfuncs for the operations a domain could use to step out of its domain rather
 * than send information along a flow: loading BPF programs or kernel modules, changing the
 * mount tree (which decides what a labelled path names) and moving into another cgroup (which
 * decides a task's domain). No flow opens them; only host may make them. Writes to cgroup
 * files are decided with the other file opens (kfuncs.c).
 */
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/security.h>
#include <linux/sched.h>

#include "bulkhead.h"
#include "compat.h"
#include "policy.h"

/*
 * BULKHEAD_GRANTABLE_CAPS spells its capabilities as numbers (the uapi header includes
 * nothing, for the BPF programs); here they are checked against the kernel's names.
 */
static_assert(BULKHEAD_GRANTABLE_CAPS ==
	      (BIT_ULL(CAP_SYS_ADMIN) | BIT_ULL(CAP_SYS_RAWIO) | BIT_ULL(CAP_NET_ADMIN) |
	       BIT_ULL(CAP_SYS_MODULE) | BIT_ULL(CAP_SYS_BOOT) | BIT_ULL(CAP_SYS_TIME) |
	       BIT_ULL(CAP_SYSLOG) | BIT_ULL(CAP_PERFMON) | BIT_ULL(CAP_BPF) |
	       BIT_ULL(CAP_MAC_ADMIN) | BIT_ULL(CAP_MAC_OVERRIDE) | BIT_ULL(CAP_AUDIT_CONTROL) |
	       BIT_ULL(CAP_AUDIT_WRITE) | BIT_ULL(CAP_AUDIT_READ) | BIT_ULL(CAP_MKNOD) |
	       BIT_ULL(CAP_DAC_READ_SEARCH) | BIT_ULL(CAP_SYS_PACCT) | BIT_ULL(CAP_SYS_TTY_CONFIG) |
	       BIT_ULL(CAP_WAKE_ALARM) | BIT_ULL(CAP_BLOCK_SUSPEND) |
	       BIT_ULL(CAP_CHECKPOINT_RESTORE)));

__bpf_kfunc_start_defs();

/**
 * bulkhead_capable() - decide whether the current task may use capability @cap
 * @cap: the capability
 * @opts: CAP_OPT_* (CAP_OPT_NOAUDIT: the kernel only probes, and denial is not recorded)
 * @hook: the asking hook (capable)
 *
 * Asked in every user namespace: capabilities in a namespace a domain made do not reopen
 * what the same capability in the initial one would.
 *
 * Return: an enum bulkhead_verdict; EPERM denies (the task lacks the capability).
 */
__bpf_kfunc u32 bulkhead_capable(u32 cap, u32 opts, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);

	if (!pol || cap > CAP_LAST_CAP || !(BULKHEAD_GRANTABLE_CAPS & BIT_ULL(cap)))
		return BULKHEAD_VERDICT_ALLOW;
	return bulkhead_decide_capability(pol, hook, bulkhead_current_domain(pol), cap,
					  opts & CAP_OPT_NOAUDIT, BULKHEAD_VERDICT_EPERM);
}

/**
 * bulkhead_host_only() - decide an operation that only host may make
 * @hook: the asking hook (bpf, kernel_read_file, kernel_load_data, sb_mount, move_mount,
 *	  sb_pivotroot, syslog, perf_event_open)
 *
 * Return: an enum bulkhead_verdict; EPERM denies, as for a missing capability.
 */
__bpf_kfunc u32 bulkhead_host_only(u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);

	if (!pol)
		return BULKHEAD_VERDICT_ALLOW;
	return bulkhead_decide_host_only(pol, hook, bulkhead_current_domain(pol),
					 BULKHEAD_VERDICT_EPERM);
}

/**
 * bulkhead_task_alloc() - decide creating a task with @clone_flags
 * @clone_flags: the clone flags
 * @hook: the asking hook (task_alloc)
 *
 * CLONE_INTO_CGROUP starts the child in a cgroup chosen by the caller, without writing a
 * cgroup file: only host may use it.
 *
 * Return: an enum bulkhead_verdict.
 */
__bpf_kfunc u32 bulkhead_task_alloc(u64 clone_flags, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);

	if (!pol || !(clone_flags & CLONE_INTO_CGROUP))
		return BULKHEAD_VERDICT_ALLOW;
	return bulkhead_decide_host_only(pol, hook, bulkhead_current_domain(pol),
					 BULKHEAD_VERDICT_EPERM);
}

__bpf_kfunc_end_defs();
