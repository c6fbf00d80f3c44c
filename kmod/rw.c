// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: reads and writes through descriptors opened before the policy changed. Opening
 * (or receiving) a file is decided against the policy of that moment; a read or write is
 * decided again when the decision epoch (mode.c) has moved since, so that a new policy, an
 * exclusive group's switch or a new mode applies to descriptors already open - including
 * io_uring requests queued earlier, which reach the same hook.
 *
 * This is the hottest path bulkhead has: it costs one hash lookup per read or write, and a
 * full decision only once per descriptor, task cgroup and epoch. Only descriptors whose open
 * was a decision involving a domain are remembered; one a task inherited from the host that
 * placed it in its domain, or made itself, was never decided and stays as it was given.
 */
#include <linux/bpf.h>
#include <linux/cgroup.h>
#include <linux/fs.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/termios.h>
#include <linux/fiemap.h>
#include <uapi/linux/fs.h>

#include "bulkhead.h"
#include "compat.h"
#include "policy.h"

/* One file as decided for the tasks of one cgroup. */
struct opened {
	struct rhlist_head node;
	const struct file *file;	/* the key; only compared, never followed */
	u64 cgroup;
	u64 epoch;			/* when last decided */
	struct rcu_head rcu;
};

static const struct rhashtable_params opened_params = {
	.key_len = sizeof(const struct file *),
	.key_offset = offsetof(struct opened, file),
	.head_offset = offsetof(struct opened, node),
	.automatic_shrinking = true,
};

static struct rhltable opened;

static u64 current_cgroup(void)
{
	return cgroup_id(task_dfl_cgroup(current));
}

static struct opened *lookup(const struct file *file, u64 cgroup)
{
	struct rhlist_head *list, *pos;
	struct opened *o;

	list = rhltable_lookup(&opened, &file, opened_params);
	rhl_for_each_entry_rcu(o, pos, list, node)
		if (o->cgroup == cgroup)
			return o;
	return NULL;
}

/**
 * bulkhead_rw_remember() - note that the current task's open of @file was just decided
 * @file: the file
 *
 * Under rcu_read_lock().
 *
 * Return: 0, or -ENOMEM: the open fails rather than escape later decisions.
 */
int bulkhead_rw_remember(const struct file *file)
{
	u64 cgroup = current_cgroup();
	struct opened *o = lookup(file, cgroup);

	if (o) {
		WRITE_ONCE(o->epoch, bulkhead_epoch());
		return 0;
	}
	o = kmalloc(sizeof(*o), GFP_ATOMIC);
	if (!o)
		return -ENOMEM;
	o->file = file;
	o->cgroup = cgroup;
	o->epoch = bulkhead_epoch();
	if (rhltable_insert(&opened, &o->node, opened_params)) {
		kfree(o);
		return -ENOMEM;
	}
	return 0;
}

/* Forget @file, being freed. Under rcu_read_lock(). */
void bulkhead_rw_forget(const struct file *file)
{
	struct rhlist_head *list, *pos;
	struct opened *o;

	if (!atomic_read(&opened.ht.nelems))
		return;
	list = rhltable_lookup(&opened, &file, opened_params);
	rhl_for_each_entry_rcu(o, pos, list, node)
		if (!rhltable_remove(&opened, &o->node, opened_params))
			kfree_rcu(o, rcu);
}

/* bulkhead_file_rw() once the policy is known. */
static u32 rw_decide(const struct bulkhead_policy *pol, struct file *file, u32 mask, u32 hook)
{
	struct bulkhead_object what = bulkhead_file_object(file);
	u64 epoch = bulkhead_epoch();
	u32 access = (mask & MAY_READ) | (mask & (MAY_WRITE | MAY_APPEND) ? MAY_WRITE : 0);
	struct opened *o;
	u32 v;

	if (!atomic_read(&opened.ht.nelems))
		return BULKHEAD_VERDICT_ALLOW;
	o = lookup(file, current_cgroup());
	if (!o || READ_ONCE(o->epoch) == epoch)
		return BULKHEAD_VERDICT_ALLOW;
	v = bulkhead_decide_access(pol, hook, bulkhead_current_domain(pol),
				   bulkhead_file_label(pol, file), access, BULKHEAD_CHAN_FILE,
				   &what);
	/* Allowed (or recorded in audit mode) once per epoch; denied every time. */
	if (v == BULKHEAD_VERDICT_ALLOW)
		WRITE_ONCE(o->epoch, epoch);
	return v;
}

__bpf_kfunc_start_defs();

/**
 * bulkhead_file_rw() - decide a read or write through @file
 * @file: the file
 * @mask: MAY_READ, MAY_WRITE (and MAY_APPEND, a write)
 * @hook: the asking hook (file_permission)
 *
 * Return: an enum bulkhead_verdict; EACCES denies the read or write.
 */
__bpf_kfunc u32 bulkhead_file_rw(struct file *file, u32 mask, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);

	return pol ? rw_decide(pol, file, mask, hook) : BULKHEAD_VERDICT_ALLOW;
}

/*
 * ioctl commands that only read the file or its attributes, or change what only the calling
 * task's descriptor table holds (close-on-exec).
 */
static bool ioctl_reads(u32 cmd)
{
	switch (cmd) {
	case FIONREAD: case FIOQSIZE: case FIGETBSZ: case FIOCLEX: case FIONCLEX:
	case FS_IOC_GETFLAGS: case FS_IOC32_GETFLAGS: case FS_IOC_GETVERSION:
	case FS_IOC32_GETVERSION: case FS_IOC_FSGETXATTR: case FS_IOC_FIEMAP:
	case FS_IOC_GETFSLABEL: case TCGETS: case TIOCGWINSZ: case TIOCGPGRP:
		return true;
	}
	return false;
}

/**
 * bulkhead_file_ioctl() - decide an ioctl() through @file
 * @file: the file
 * @cmd: the command
 * @hook: the asking hook (file_ioctl, file_ioctl_compat)
 *
 * An ioctl acts on the object whatever the descriptor was opened for: FS_IOC_SETFLAGS and
 * FS_IOC_FSSETXATTR change an inode's attributes through a descriptor opened for reading, a
 * filesystem's own commands change what it keeps about the file, a device's change the
 * device. So every command but the few that only read is a write from the task to the file,
 * decided against the policy in force for the descriptors whose open or receipt was decided,
 * as reads and writes are (those host handed over stay as given). FIONBIO and FIOASYNC change
 * the description's shared flags, as F_SETFL does.
 *
 * Return: an enum bulkhead_verdict; EACCES denies.
 */
__bpf_kfunc u32 bulkhead_file_ioctl(struct file *file, u32 cmd, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);
	struct bulkhead_object what = bulkhead_file_object(file);

	if (!pol)
		return BULKHEAD_VERDICT_ALLOW;
	if (cmd == FIONBIO || cmd == FIOASYNC)
		return bulkhead_description_write(pol, hook, file);
	if (ioctl_reads(cmd))
		return rw_decide(pol, file, MAY_READ, hook);
	if (!atomic_read(&opened.ht.nelems) || !lookup(file, current_cgroup()))
		return BULKHEAD_VERDICT_ALLOW;
	return bulkhead_decide_access(pol, hook, bulkhead_current_domain(pol),
				      bulkhead_file_label(pol, file), MAY_WRITE, BULKHEAD_CHAN_FILE,
				      &what);
}

__bpf_kfunc_end_defs();

int bulkhead_rw_init(void)
{
	return rhltable_init(&opened, &opened_params);
}

static void opened_free(void *ptr, void *arg)
{
	kfree(ptr);
}

/* After the programs are gone: nothing reads or writes the table any more. */
void bulkhead_rw_exit(void)
{
	rhltable_free_and_destroy(&opened, opened_free, NULL);
}
