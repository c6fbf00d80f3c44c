// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: kfuncs, the entry points the BPF-LSM programs call from each hook. Each counts
 * the call for its hook, maps the operation to flows between domains (DESIGN section 2) and
 * returns an enum bulkhead_verdict that the program turns into the hook's return value.
 *
 * BPF-LSM programs run under rcu_read_lock(), which is what the policy lookups need.
 */
#include <linux/binfmts.h>
#include <linux/bpf.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/fsnotify_backend.h>
#include <linux/magic.h>
#include <linux/major.h>
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>

#include "bulkhead.h"
#include "compat.h"
#include "policy.h"

/**
 * bulkhead_kfunc_begin() - count a call at @hook and get the policy to decide with
 * @hook: the asking hook
 *
 * Return: the active policy, or NULL when nothing is to be decided: mode off, or an unknown
 * hook number (a bug in a program; counted nowhere, allowed as "off" would).
 */
const struct bulkhead_policy *bulkhead_kfunc_begin(u32 hook)
{
	if (hook > BULKHEAD_HOOK_MAX)
		return NULL;
	bulkhead_hook_count(hook);
	if (bulkhead_mode_get() == BULKHEAD_MODE_OFF)
		return NULL;
	return rcu_dereference(bulkhead_active_policy);
}

u32 bulkhead_current_domain(const struct bulkhead_policy *pol)
{
	return bulkhead_task_domain(pol, current);
}

/* @channel, or the label's other channel when the policy opens that one from @from to @to. */
static u32 label_channel(const struct bulkhead_policy *pol, struct bulkhead_label l, u32 from,
			 u32 to, u32 channel)
{
	return l.also && (bulkhead_flow(pol, from, to) & l.also) ? l.also : channel;
}

/**
 * bulkhead_decide_access() - decide the current task's access to an object
 * @pol: the policy in force
 * @hook: the asking hook
 * @task: the current task's domain
 * @l: the object's label
 * @mask: MAY_READ and/or MAY_WRITE
 * @read_channel: the channel a read uses (file; exec for the kernel's open of a program)
 * @what: the object, for the record
 *
 * Reading moves information from the object to the task, writing the other way; objects
 * whose every use goes both ways are decided both ways whatever @mask says.
 *
 * Return: an enum bulkhead_verdict; EACCES denies.
 */
u32 bulkhead_decide_access(const struct bulkhead_policy *pol, u32 hook, u32 task,
			   struct bulkhead_label l, u32 mask, u32 read_channel,
			   const struct bulkhead_object *what)
{
	u32 v = BULKHEAD_VERDICT_ALLOW;

	switch (l.kind) {
	case BULKHEAD_LABEL_FREE:
		return v;
	case BULKHEAD_LABEL_HOST_ONLY:
		return bulkhead_decide_host_only(pol, hook, task, BULKHEAD_VERDICT_EACCES);
	case BULKHEAD_LABEL_BOTH:
		return bulkhead_decide_both_ways(pol, hook, task, l.domain, BULKHEAD_CHAN_FILE,
						 BULKHEAD_VERDICT_EACCES, what);
	}
	if (mask & MAY_READ)
		v = bulkhead_decide_on(pol, hook, l.domain, task,
				       label_channel(pol, l, l.domain, task, read_channel),
				       BULKHEAD_VERDICT_EACCES, what);
	if (v != BULKHEAD_VERDICT_ALLOW || !(mask & MAY_WRITE))
		return v;
	if (l.kind == BULKHEAD_LABEL_HOST_READ)
		return bulkhead_decide_host_only(pol, hook, task, BULKHEAD_VERDICT_EACCES);
	return bulkhead_decide_on(pol, hook, task, l.domain,
				  label_channel(pol, l, task, l.domain, BULKHEAD_CHAN_FILE),
				  BULKHEAD_VERDICT_EACCES, what);
}

/* The accesses an open file was opened for. */
static u32 file_mask(const struct file *file)
{
	return (file->f_mode & FMODE_READ ? MAY_READ : 0) |
	       (file->f_mode & FMODE_WRITE ? MAY_WRITE : 0);
}

/**
 * bulkhead_description_write() - decide changing the open file description @file itself
 * @pol: the policy in force, under rcu_read_lock()
 * @hook: the asking hook
 * @file: the description
 *
 * A description's status flags (O_NONBLOCK, O_APPEND, O_ASYNC, ...) and its offset are shared
 * by every task that holds it, whichever domain it was passed to, and each holder sees the
 * others' changes. A description a domain's task made is that domain's object; changing it
 * from another domain writes to that domain. One host made (or made before the programs were
 * attached) is not decided, as the descriptors host hands its domains are not (rw.c).
 *
 * Return: an enum bulkhead_verdict; EACCES denies.
 */
u32 bulkhead_description_write(const struct bulkhead_policy *pol, u32 hook, struct file *file)
{
	struct bulkhead_object what = bulkhead_file_object(file);
	u32 creator;

	if (!bulkhead_owner_get(file, &creator))
		return BULKHEAD_VERDICT_ALLOW;
	return bulkhead_decide_on(pol, hook, bulkhead_current_domain(pol), creator,
				  BULKHEAD_CHAN_FILE, BULKHEAD_VERDICT_EACCES, &what);
}

/*
 * Receiving a seekable description shares its offset: every read, write or lseek of the
 * receiver moves it where its creator sees it, a write back to the creator whatever the
 * description's mode. Memory devices keep no offset worth the name (their lseek sets 0).
 */
static u32 received_offset(const struct bulkhead_policy *pol, u32 hook, struct file *file,
			   struct bulkhead_label l)
{
	if (hook != BULKHEAD_HOOK_FILE_RECEIVE || !(file->f_mode & FMODE_LSEEK) ||
	    l.kind == BULKHEAD_LABEL_FREE)
		return BULKHEAD_VERDICT_ALLOW;
	return bulkhead_description_write(pol, hook, file);
}

/*
 * The kernel's own open of a program to execute it (__FMODE_EXEC) is part of the exec. An
 * allowed open that involves a domain is remembered, to be decided again on reads and writes
 * after the policy changes (rw.c).
 */
static u32 file_flows(const struct bulkhead_policy *pol, u32 hook, struct file *file)
{
	struct bulkhead_object what = bulkhead_file_object(file);
	struct bulkhead_label l = bulkhead_file_label(pol, file);
	u32 task = bulkhead_current_domain(pol), v;

	v = bulkhead_decide_access(pol, hook, task, l, file_mask(file),
				   file->f_flags & __FMODE_EXEC ? BULKHEAD_CHAN_EXEC :
								  BULKHEAD_CHAN_FILE, &what);
	if (v == BULKHEAD_VERDICT_ALLOW)
		v = received_offset(pol, hook, file, l);
	if (v != BULKHEAD_VERDICT_ALLOW || l.kind == BULKHEAD_LABEL_FREE ||
	    (task == BULKHEAD_HOST_DOMAIN_ID && l.domain == BULKHEAD_HOST_DOMAIN_ID))
		return v;
	return bulkhead_rw_remember(file) ? BULKHEAD_VERDICT_ENOMEM : v;
}

static u32 exec_flow(const struct bulkhead_policy *pol, u32 hook, struct file *file)
{
	struct bulkhead_object what = bulkhead_file_object(file);

	return bulkhead_decide_access(pol, hook, bulkhead_current_domain(pol),
				      bulkhead_file_label(pol, file), MAY_READ, BULKHEAD_CHAN_EXEC,
				      &what);
}

/*
 * Reading what @dentry names or says about itself: its attributes, xattrs, link target.
 * @path is the same file with its mount where the hook gives one (its record names it from
 * the task's root), NULL otherwise.
 */
static u32 read_flow(const struct bulkhead_policy *pol, u32 hook, struct dentry *dentry,
		     const struct path *path)
{
	struct bulkhead_object what = { .dentry = dentry, .path = path };

	return bulkhead_decide_access(pol, hook, bulkhead_current_domain(pol),
				      bulkhead_dentry_label(pol, dentry), MAY_READ,
				      BULKHEAD_CHAN_FILE, &what);
}

/*
 * Changing what @dentry holds or says about itself: its size, mode, owner, times. Decided on
 * the object's label, as opening it for writing is: an internal object (a memfd, secret
 * memory) is its creator's, /proc and devices are labelled as label.c says. @path as for
 * read_flow().
 */
static u32 write_flow(const struct bulkhead_policy *pol, u32 hook, struct dentry *dentry,
		      const struct path *path)
{
	struct bulkhead_object what = { .dentry = dentry, .path = path };

	return bulkhead_decide_access(pol, hook, bulkhead_current_domain(pol),
				      bulkhead_dentry_label(pol, dentry), MAY_WRITE,
				      BULKHEAD_CHAN_FILE, &what);
}

__bpf_kfunc_start_defs();

/**
 * bulkhead_file_access() - decide opening (or receiving) @file
 * @file: the file
 * @hook: the asking hook (file_open, file_receive)
 *
 * Return: an enum bulkhead_verdict.
 */
__bpf_kfunc u32 bulkhead_file_access(struct file *file, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);

	return pol ? file_flows(pol, hook, file) : BULKHEAD_VERDICT_ALLOW;
}

/**
 * bulkhead_file_exec() - decide mapping @file executable
 * @file: the file, NULL for anonymous memory
 * @hook: the asking hook (mmap_file)
 *
 * Return: an enum bulkhead_verdict; anonymous memory is always allowed.
 */
__bpf_kfunc u32 bulkhead_file_exec(struct file *file, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);

	return pol && file ? exec_flow(pol, hook, file) : BULKHEAD_VERDICT_ALLOW;
}

/**
 * bulkhead_bprm_exec() - decide executing the program (or interpreter) of @bprm
 * @bprm: the exec in progress
 * @hook: the asking hook (bprm_check_security)
 *
 * Return: an enum bulkhead_verdict.
 */
__bpf_kfunc u32 bulkhead_bprm_exec(struct linux_binprm *bprm, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);

	return pol && bprm->file ? exec_flow(pol, hook, bprm->file) : BULKHEAD_VERDICT_ALLOW;
}

/**
 * bulkhead_vma_exec() - decide making the mapping @vma executable
 * @vma: the mapping
 * @hook: the asking hook (file_mprotect)
 *
 * Return: an enum bulkhead_verdict; anonymous memory is always allowed.
 */
__bpf_kfunc u32 bulkhead_vma_exec(struct vm_area_struct *vma, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);

	return pol && vma->vm_file ? exec_flow(pol, hook, vma->vm_file) :
				     BULKHEAD_VERDICT_ALLOW;
}

/**
 * bulkhead_dentry_write() - decide changing what @dentry names
 * @dentry: the name created, removed or whose attributes change
 * @hook: the asking hook (inode_create, _mkdir, _mknod, _symlink, _unlink, _rmdir,
 *	  _setxattr, _removexattr)
 *
 * Under "bulkhead lock" nothing below the pins directory may change, whatever the mode.
 *
 * Return: an enum bulkhead_verdict.
 */
__bpf_kfunc u32 bulkhead_dentry_write(struct dentry *dentry, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);

	if (bulkhead_lock_protects(dentry))
		return bulkhead_deny_locked(hook, dentry);
	return pol ? write_flow(pol, hook, dentry, NULL) : BULKHEAD_VERDICT_ALLOW;
}

/**
 * bulkhead_dentry_move() - decide moving or linking a file from @from to @to
 * @from: the existing name
 * @to: the new name
 * @hook: the asking hook (inode_rename, inode_link)
 *
 * The task writes both places. Afterwards one inode has names in both places, or a descriptor
 * opened through the old name reads what is written through the new one: information can
 * then go either way between the two domains, so both directions must be open.
 *
 * Return: an enum bulkhead_verdict.
 */
__bpf_kfunc u32 bulkhead_dentry_move(struct dentry *from, struct dentry *to, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);
	struct bulkhead_object old_name = { .dentry = from }, new_name = { .dentry = to };
	u32 task, src, dst, v;

	if (bulkhead_lock_protects(from))
		return bulkhead_deny_locked(hook, from);
	if (bulkhead_lock_protects(to))
		return bulkhead_deny_locked(hook, to);
	if (!pol)
		return BULKHEAD_VERDICT_ALLOW;
	/* Each lookup walks cgroup or dentry ancestors: do each once. */
	task = bulkhead_current_domain(pol);
	src = bulkhead_dentry_domain(pol, from);
	dst = bulkhead_dentry_domain(pol, to);
	v = bulkhead_decide_on(pol, hook, task, src, BULKHEAD_CHAN_FILE, BULKHEAD_VERDICT_EACCES,
			       &old_name);
	if (v == BULKHEAD_VERDICT_ALLOW)
		v = bulkhead_decide_on(pol, hook, task, dst, BULKHEAD_CHAN_FILE,
				       BULKHEAD_VERDICT_EACCES, &new_name);
	if (v == BULKHEAD_VERDICT_ALLOW)
		v = bulkhead_decide_both_ways(pol, hook, src, dst, BULKHEAD_CHAN_FILE,
					      BULKHEAD_VERDICT_EACCES, &new_name);
	return v;
}

/**
 * bulkhead_dir_search() - decide searching directory @dir for a name
 * @dir: the directory, at one step of a path lookup
 * @hook: the asking hook (inode_permission)
 *
 * Whether a name exists in another domain's directory is that domain's information. A domain
 * may search a directory bound to another domain when a file or exec flow joins them either
 * way: one that may write there learns which names exist anyway (creating one that exists
 * fails), and running a program there needs its name. Directories below a bound one need no
 * check of their own: a lookup reaches them through the bound one, through a descriptor or
 * /proc link decided when it was taken, or through a bind mount only host can make
 * (docs/enforcement.md). Host's lookups are not decided: host administers the domains (the
 * module itself resolves the paths host binds, in host's task, with the member of an
 * exclusive group inactive) and its files' flows are decided as anyone's. Runs in RCU path
 * walk: nothing here sleeps.
 *
 * Return: an enum bulkhead_verdict; EACCES denies.
 */
__bpf_kfunc u32 bulkhead_dir_search(struct inode *dir, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);
	struct bulkhead_object what = { .inode = dir };
	u32 owner, task;

	if (!pol || !bulkhead_inode_bound(pol, dir, &owner))
		return BULKHEAD_VERDICT_ALLOW;
	task = bulkhead_current_domain(pol);
	if (task == BULKHEAD_HOST_DOMAIN_ID)
		return BULKHEAD_VERDICT_ALLOW;
	return bulkhead_decide_either_way(pol, hook, owner, task,
					  BULKHEAD_CHAN_FILE | BULKHEAD_CHAN_EXEC,
					  BULKHEAD_VERDICT_EACCES, &what);
}

/**
 * bulkhead_dentry_read() - decide reading what @dentry says about its file
 * @dentry: the file
 * @hook: the asking hook (inode_getxattr, inode_listxattr, inode_readlink)
 *
 * Return: an enum bulkhead_verdict.
 */
__bpf_kfunc u32 bulkhead_dentry_read(struct dentry *dentry, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);

	return pol ? read_flow(pol, hook, dentry, NULL) : BULKHEAD_VERDICT_ALLOW;
}

/**
 * bulkhead_path_read() - decide reading the attributes of @path
 * @path: the file
 * @hook: the asking hook (inode_getattr: stat, size and times)
 *
 * Return: an enum bulkhead_verdict.
 */
__bpf_kfunc u32 bulkhead_path_read(const struct path *path, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);

	return pol ? read_flow(pol, hook, path->dentry, path) : BULKHEAD_VERDICT_ALLOW;
}

/* The events a watch receives when its object is read, not changed. */
#define READ_EVENTS	(FS_ACCESS | FS_OPEN | FS_OPEN_EXEC | FS_CLOSE_NOWRITE | \
			 FS_ACCESS_PERM | FS_OPEN_PERM | FS_OPEN_EXEC_PERM)

/*
 * A watch for reads reports every reader of its object, its own domain's and every domain a
 * flow lets read it: each of those must be one that may send to the watcher.
 */
static u32 readers_observed(const struct bulkhead_policy *pol, u32 hook, u32 watcher,
			    struct bulkhead_label l, const struct bulkhead_object *what)
{
	u32 reader, v;

	if (l.kind != BULKHEAD_LABEL_DATA && l.kind != BULKHEAD_LABEL_HOST_READ)
		return BULKHEAD_VERDICT_ALLOW;
	for (reader = 0; reader < pol->id_limit; reader++) {
		if (reader == watcher || pol->domain_of_id[reader] == U32_MAX ||
		    !(bulkhead_flow(pol, l.domain, reader) &
		      (BULKHEAD_CHAN_FILE | BULKHEAD_CHAN_EXEC)))
			continue;
		v = bulkhead_decide_on(pol, hook, reader, watcher, BULKHEAD_CHAN_FILE,
				       BULKHEAD_VERDICT_EACCES, what);
		if (v != BULKHEAD_VERDICT_ALLOW)
			return v;
	}
	return BULKHEAD_VERDICT_ALLOW;
}

/**
 * bulkhead_path_watch() - decide an inotify, fanotify or dnotify watch on @path
 * @path: the file or directory watched
 * @mask: the events asked for (FS_*)
 * @hook: the asking hook (path_notify)
 *
 * A watch reads its object: the names and changes there (object -> watcher). One that asks
 * for reads (IN_ACCESS, IN_OPEN, IN_CLOSE_NOWRITE, fanotify's access and permission events)
 * also learns who reads it, and when: from each domain that may read the object to the
 * watcher, the owner watching its own files included.
 *
 * Return: an enum bulkhead_verdict.
 */
__bpf_kfunc u32 bulkhead_path_watch(const struct path *path, u64 mask, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);
	struct bulkhead_object what = { .dentry = path->dentry, .path = path };
	u32 v;

	if (!pol)
		return BULKHEAD_VERDICT_ALLOW;
	v = read_flow(pol, hook, path->dentry, path);
	if (v != BULKHEAD_VERDICT_ALLOW || !(mask & READ_EVENTS))
		return v;
	return readers_observed(pol, hook, bulkhead_current_domain(pol),
				bulkhead_dentry_label(pol, path->dentry), &what);
}

/**
 * bulkhead_file_lock() - decide taking a lock on @file
 * @file: the file
 * @type: F_RDLCK, F_WRLCK or F_UNLCK (flock() locks are given the same types)
 * @hook: the asking hook (file_lock)
 *
 * A lock is state of the file that every other holder can observe (F_GETLK, a blocked
 * lock): taking one writes to the file's domain, whatever the file was opened for.
 *
 * Return: an enum bulkhead_verdict.
 */
__bpf_kfunc u32 bulkhead_file_lock(struct file *file, u32 type, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);
	struct bulkhead_object what = bulkhead_file_object(file);

	if (!pol || type == F_UNLCK)
		return BULKHEAD_VERDICT_ALLOW;
	return bulkhead_decide_access(pol, hook, bulkhead_current_domain(pol),
				      bulkhead_file_label(pol, file), MAY_WRITE,
				      BULKHEAD_CHAN_FILE, &what);
}

/**
 * bulkhead_path_write() - decide truncating, chmod or chown of @path
 * @path: the file
 * @hook: the asking hook (path_truncate, path_chmod, path_chown)
 *
 * Return: an enum bulkhead_verdict.
 */
__bpf_kfunc u32 bulkhead_path_write(const struct path *path, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);

	if (bulkhead_lock_protects(path->dentry))
		return bulkhead_deny_locked(hook, path->dentry);
	return pol ? write_flow(pol, hook, path->dentry, path) : BULKHEAD_VERDICT_ALLOW;
}

/**
 * bulkhead_inode_setattr() - decide changing the attributes of @dentry_addr's inode
 * @dentry_addr: the hook's dentry argument, handed over as a number: its position differs
 *		 between kernels (after an idmap since 6.3), so the program reads it with
 *		 bpf_get_func_arg(), which the verifier types as a scalar
 * @hook: the asking hook (inode_setattr)
 *
 * Every change made through notify_change(): times (utimensat), mode, owner, and size - the
 * one place where ftruncate() is decided on 6.12, whose file_truncate hook comes instead of
 * path_truncate. A write of the file, decided against the policy in force now.
 *
 * Return: an enum bulkhead_verdict.
 */
__bpf_kfunc u32 bulkhead_inode_setattr(u64 dentry_addr, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);
	struct dentry *dentry = (struct dentry *)(unsigned long)dentry_addr;

	if (!dentry)
		return BULKHEAD_VERDICT_ALLOW;
	if (bulkhead_lock_protects(dentry))
		return bulkhead_deny_locked(hook, dentry);
	return pol ? write_flow(pol, hook, dentry, NULL) : BULKHEAD_VERDICT_ALLOW;
}

/**
 * bulkhead_task_signal() - decide the current task signalling @target
 * @target: the receiving task
 * @not_from_task: 1 for a signal the kernel sends itself (info is SEND_SIG_PRIV) or one sent
 *                 on a file owner's behalf (SIGIO, with the owner's cred), else 0
 * @hook: the asking hook (task_kill)
 *
 * A signal from the kernel is not a flow between domains. One sent for a file owner does not
 * come from the current task, so it is not decided here (docs/enforcement.md).
 *
 * Return: an enum bulkhead_verdict; EPERM denies, as kill(2) does.
 */
__bpf_kfunc u32 bulkhead_task_signal(struct task_struct *target, u32 not_from_task, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);
	struct bulkhead_object what = { .task = target };

	if (!pol || not_from_task)
		return BULKHEAD_VERDICT_ALLOW;
	return bulkhead_decide_on(pol, hook, bulkhead_current_domain(pol),
				  bulkhead_task_domain(pol, target), BULKHEAD_CHAN_SIGNAL,
				  BULKHEAD_VERDICT_EPERM, &what);
}

/**
 * bulkhead_task_trace() - decide a ptrace relation between the current task and @other
 * @other: the tracee (ptrace_access_check) or tracer (ptrace_traceme)
 * @hook: the asking hook
 *
 * Return: an enum bulkhead_verdict; EPERM denies, as ptrace(2) does.
 */
__bpf_kfunc u32 bulkhead_task_trace(struct task_struct *other, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);
	struct bulkhead_object what = { .task = other };

	if (!pol)
		return BULKHEAD_VERDICT_ALLOW;
	return bulkhead_decide_both_ways(pol, hook, bulkhead_current_domain(pol),
					 bulkhead_task_domain(pol, other), BULKHEAD_CHAN_PTRACE,
					 BULKHEAD_VERDICT_EPERM, &what);
}

/*
 * The tasks that F_SETOWN or F_SETOWN_EX would make the receivers of the file's SIGIO and
 * SIGURG: each must be one the current task may signal, since the kernel later sends those
 * signals on its behalf without asking again (docs/enforcement.md).
 */
static u32 sigio_targets(const struct bulkhead_policy *pol, u32 hook, unsigned int cmd,
			 unsigned long arg)
{
	u32 task = bulkhead_current_domain(pol), v = BULKHEAD_VERDICT_ALLOW;
	enum pid_type type = PIDTYPE_TGID;
	struct f_owner_ex owner;
	struct task_struct *p;
	struct pid *pid;
	int nr = (int)arg;

	if (cmd == F_SETOWN_EX) {
		/* Unreadable here means we cannot tell the target: refuse rather than guess. */
		if (copy_from_user_nofault(&owner, (const void __user *)arg, sizeof(owner)))
			return BULKHEAD_VERDICT_EPERM;
		nr = owner.type == F_OWNER_PGRP ? -owner.pid : owner.pid;
		if (owner.type == F_OWNER_TID)
			type = PIDTYPE_PID;
	}
	if (nr < 0) {
		type = PIDTYPE_PGID;
		nr = -nr;
	}
	pid = find_vpid(nr);
	if (!pid)
		return BULKHEAD_VERDICT_ALLOW;	/* fcntl itself fails with ESRCH */
	do_each_pid_task(pid, type, p) {
		struct bulkhead_object what = { .task = p };

		v = bulkhead_decide_on(pol, hook, task, bulkhead_task_domain(pol, p),
				       BULKHEAD_CHAN_SIGNAL, BULKHEAD_VERDICT_EPERM, &what);
		if (v != BULKHEAD_VERDICT_ALLOW)
			return v;
	} while_each_pid_task(pid, type, p);
	return v;
}

/* Asking which locks others hold on a file reads the file's lock state. */
static bool reads_locks(u32 cmd)
{
	return cmd == F_GETLK || cmd == F_OFD_GETLK;
}

/**
 * bulkhead_file_fcntl() - decide an fcntl() that chooses who receives a file's signals,
 * reads its lock state or changes its shared status flags
 * @file: the file
 * @cmd: the fcntl command; F_SETOWN, F_SETOWN_EX, F_GETLK, F_OFD_GETLK and F_SETFL are
 *	 decided
 * @arg: its argument
 * @hook: the asking hook (file_fcntl)
 *
 * Return: an enum bulkhead_verdict; EPERM denies a signal target, as kill(2) would, and
 * EACCES a lock query or a flag change.
 */
__bpf_kfunc u32 bulkhead_file_fcntl(struct file *file, u32 cmd, u64 arg, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);
	struct bulkhead_object what = bulkhead_file_object(file);

	if (!pol)
		return BULKHEAD_VERDICT_ALLOW;
	if (reads_locks(cmd))
		return bulkhead_decide_access(pol, hook, bulkhead_current_domain(pol),
					      bulkhead_file_label(pol, file), MAY_READ,
					      BULKHEAD_CHAN_FILE, &what);
	if (cmd == F_SETFL)
		return bulkhead_description_write(pol, hook, file);
	if (cmd != F_SETOWN && cmd != F_SETOWN_EX)
		return BULKHEAD_VERDICT_ALLOW;
	return sigio_targets(pol, hook, cmd, arg);
}

__bpf_kfunc_end_defs();

BULKHEAD_KFUNCS_START(bulkhead_kfunc_ids)
BTF_ID_FLAGS(func, bulkhead_file_access)
BTF_ID_FLAGS(func, bulkhead_file_exec)
BTF_ID_FLAGS(func, bulkhead_bprm_exec)
BTF_ID_FLAGS(func, bulkhead_vma_exec)
BTF_ID_FLAGS(func, bulkhead_dentry_write)
BTF_ID_FLAGS(func, bulkhead_dentry_move)
BTF_ID_FLAGS(func, bulkhead_path_write)
BTF_ID_FLAGS(func, bulkhead_inode_setattr)
BTF_ID_FLAGS(func, bulkhead_dir_search)
BTF_ID_FLAGS(func, bulkhead_dentry_read)
BTF_ID_FLAGS(func, bulkhead_path_read)
BTF_ID_FLAGS(func, bulkhead_path_watch)
BTF_ID_FLAGS(func, bulkhead_file_lock)
BTF_ID_FLAGS(func, bulkhead_inode_created)
BTF_ID_FLAGS(func, bulkhead_inode_freed)
BTF_ID_FLAGS(func, bulkhead_file_created)
BTF_ID_FLAGS(func, bulkhead_file_freed)
BTF_ID_FLAGS(func, bulkhead_task_attr)
BTF_ID_FLAGS(func, bulkhead_task_setpgid)
BTF_ID_FLAGS(func, bulkhead_task_prlimit)
BTF_ID_FLAGS(func, bulkhead_sigio_deliver)
BTF_ID_FLAGS(func, bulkhead_capable)
BTF_ID_FLAGS(func, bulkhead_file_rw)
BTF_ID_FLAGS(func, bulkhead_file_ioctl)
BTF_ID_FLAGS(func, bulkhead_key_created)
BTF_ID_FLAGS(func, bulkhead_key_access)
BTF_ID_FLAGS(func, bulkhead_task_signal)
BTF_ID_FLAGS(func, bulkhead_task_trace)
BTF_ID_FLAGS(func, bulkhead_file_fcntl)
BTF_ID_FLAGS(func, bulkhead_unix_connect)
BTF_ID_FLAGS(func, bulkhead_unix_send)
BTF_ID_FLAGS(func, bulkhead_socket_create)
BTF_ID_FLAGS(func, bulkhead_socket_connect)
BTF_ID_FLAGS(func, bulkhead_sock_receive)
BTF_ID_FLAGS(func, bulkhead_ipc_alloc)
BTF_ID_FLAGS(func, bulkhead_ipc_free)
BTF_ID_FLAGS(func, bulkhead_ipc_access)
BTF_ID_FLAGS(func, bulkhead_ipc_ctl)
BTF_ID_FLAGS(func, bulkhead_host_only)
BTF_ID_FLAGS(func, bulkhead_task_alloc)
BULKHEAD_KFUNCS_END(bulkhead_kfunc_ids)

static const struct btf_kfunc_id_set bulkhead_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &bulkhead_kfunc_ids,
};

int bulkhead_kfuncs_register(void)
{
	/*
	 * Sets cannot be unregistered; they go away with the module's BTF on unload. The kernel
	 * files LSM and tracing programs' kfuncs together (one set per module), so the one
	 * program that is a tracing one (fmod_ret on security_file_alloc) may call them too.
	 */
	return register_btf_kfunc_id_set(BPF_PROG_TYPE_LSM, &bulkhead_kfunc_set);
}
