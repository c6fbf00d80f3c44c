// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: kfuncs for the operations a domain could use to step out of its domain rather
 * than send information along a flow: loading BPF programs or kernel modules, changing the
 * mount tree (which decides what a labelled path names) and moving into another cgroup (which
 * decides a task's domain). No flow opens them; only host may make them. Writes to cgroup
 * files are decided with the other file opens (kfuncs.c).
 */
#include <linux/bpf.h>
#include <linux/sched.h>

#include "bulkhead.h"
#include "compat.h"
#include "policy.h"

__bpf_kfunc_start_defs();

/**
 * bulkhead_host_only() - decide an operation that only host may make
 * @hook: the asking hook (bpf, kernel_read_file, kernel_load_data, sb_mount, move_mount,
 *	  sb_pivotroot)
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
