// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: kfuncs for what one task can learn about or change in another besides signals
 * and ptrace (kfuncs.c): scheduling, priorities, limits, memory placement, process groups,
 * and the SIGIO a file sends its owner. Each is the "signal" channel between the two tasks'
 * domains: changing the other task is a flow to it, reading its settings a flow from it.
 */
#include <linux/bpf.h>
#include <linux/fs.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/security.h>
#include <linux/syscalls.h>
#include <asm/syscall.h>

#include "bulkhead.h"
#include "compat.h"
#include "policy.h"

static u32 task_flow(const struct bulkhead_policy *pol, u32 hook, struct task_struct *other,
		     bool change)
{
	struct bulkhead_object what = { .task = other };
	u32 task = bulkhead_current_domain(pol), peer = bulkhead_task_domain(pol, other);

	return change ? bulkhead_decide_on(pol, hook, task, peer, BULKHEAD_CHAN_SIGNAL,
					   BULKHEAD_VERDICT_EPERM, &what) :
			bulkhead_decide_on(pol, hook, peer, task, BULKHEAD_CHAN_SIGNAL,
					   BULKHEAD_VERDICT_EPERM, &what);
}

__bpf_kfunc_start_defs();

/**
 * bulkhead_task_attr() - decide changing or reading @other's scheduling, priority, limits
 * or memory placement
 * @other: the task acted on
 * @change: 1 for a change (setpriority, ioprio_set, sched_set*, setrlimit, move_pages),
 *	    0 for a read (ioprio_get, sched_get*, getpgid, getsid)
 * @hook: the asking hook
 *
 * Return: an enum bulkhead_verdict; EPERM denies.
 */
__bpf_kfunc u32 bulkhead_task_attr(struct task_struct *other, u32 change, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);

	return pol ? task_flow(pol, hook, other, change) : BULKHEAD_VERDICT_ALLOW;
}

/**
 * bulkhead_task_setpgid() - decide @p joining process group @pgid
 * @p: the task that joins (the caller or one of its children)
 * @pgid: the group, 0 for a group of @p's own
 * @hook: the asking hook (task_setpgid)
 *
 * The caller changes @p; @p then receives what is sent to the group (kill(-pgid), a file's
 * SIGIO) and the group what is sent to it, so @p and each member must be open both ways.
 *
 * Return: an enum bulkhead_verdict; EPERM denies.
 */
__bpf_kfunc u32 bulkhead_task_setpgid(struct task_struct *p, int pgid, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);
	u32 joiner, v;
	struct task_struct *member;
	struct pid *grp;

	if (!pol)
		return BULKHEAD_VERDICT_ALLOW;
	v = p == current ? BULKHEAD_VERDICT_ALLOW : task_flow(pol, hook, p, true);
	grp = pgid ? find_vpid(pgid) : NULL;
	if (v != BULKHEAD_VERDICT_ALLOW || !grp)
		return v;
	joiner = bulkhead_task_domain(pol, p);
	do_each_pid_task(grp, PIDTYPE_PGID, member) {
		struct bulkhead_object what = { .task = member };

		v = bulkhead_decide_both_ways(pol, hook, joiner, bulkhead_task_domain(pol, member),
					      BULKHEAD_CHAN_SIGNAL, BULKHEAD_VERDICT_EPERM, &what);
		if (v != BULKHEAD_VERDICT_ALLOW)
			return v;
	} while_each_pid_task(grp, PIDTYPE_PGID, member);
	return v;
}

/**
 * bulkhead_task_prlimit() - decide prlimit() on another task
 * @flags: LSM_PRLIMIT_READ and/or LSM_PRLIMIT_WRITE
 * @hook: the asking hook (task_prlimit)
 *
 * The hook is given the two tasks' credentials, not the target task: the target is the pid
 * the caller passed to prlimit64(2), the first argument of the system call in progress. The
 * kernel looked it up the same way a moment ago, and holds it. Any other way in (a 32-bit
 * system call) finds no target and is left to host.
 *
 * Return: an enum bulkhead_verdict; EPERM denies.
 */
__bpf_kfunc u32 bulkhead_task_prlimit(u32 flags, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);
	struct pt_regs *regs = task_pt_regs(current);
	struct task_struct *other;
	unsigned long args[6];
	u32 v = BULKHEAD_VERDICT_ALLOW;

	if (!pol)
		return v;
	if (in_ia32_syscall() || syscall_get_nr(current, regs) != __NR_prlimit64)
		return bulkhead_decide_host_only(pol, hook, bulkhead_current_domain(pol),
						 BULKHEAD_VERDICT_EPERM);
	syscall_get_arguments(current, regs, args);
	other = (pid_t)args[0] ? pid_task(find_vpid((pid_t)args[0]), PIDTYPE_PID) : current;
	if (!other || other == current)
		return v;
	if (flags & LSM_PRLIMIT_READ)
		v = task_flow(pol, hook, other, false);
	if (v == BULKHEAD_VERDICT_ALLOW && (flags & LSM_PRLIMIT_WRITE))
		v = task_flow(pol, hook, other, true);
	return v;
}

/**
 * bulkhead_sigio_deliver() - decide a file's SIGIO or SIGURG reaching @tsk
 * @tsk: the receiving task
 * @fown: the file's owner settings
 * @hook: the asking hook (file_send_sigiotask)
 *
 * F_SETOWN was decided for the receivers of that moment; a task that joins the owning
 * process group later is decided here, as a flow from the file's domain.
 *
 * Return: an enum bulkhead_verdict; any denial drops the signal.
 */
__bpf_kfunc u32 bulkhead_sigio_deliver(struct task_struct *tsk, struct fown_struct *fown,
				       u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);
	struct bulkhead_object what = { .task = tsk };
	struct file *file;

	if (!pol)
		return BULKHEAD_VERDICT_ALLOW;
	file = bulkhead_fown_file(fown);
	return bulkhead_decide_on(pol, hook, bulkhead_file_label(pol, file).domain,
				  bulkhead_task_domain(pol, tsk), BULKHEAD_CHAN_SIGNAL,
				  BULKHEAD_VERDICT_EPERM, &what);
}

__bpf_kfunc_end_defs();
