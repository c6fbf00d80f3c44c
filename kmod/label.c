// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: what a file holds and whose it is. Most files are their nearest labelled
 * ancestor's (policy.c); this file adds the objects whose domain a path cannot tell
 * (docs/enforcement.md, "Objects and their domains"):
 *
 *  - objects on the kernel's internal filesystems (pipes, memfds, eventfds, ...) belong to
 *    the domain that created them (owners.c);
 *  - /proc/PID/... belongs to that task's domain; the rest of /proc shows every domain's
 *    objects or the kernel's state and is host's, readable by domains only where it is on a
 *    short list of system-wide summaries;
 *  - device nodes are decided by what they are, not where their node is: a domain that may
 *    create a node in its own directory must not reach the disk or memory through it.
 */
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/magic.h>
#include <linux/major.h>
#include <linux/net.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <net/sock.h>

#include "bulkhead.h"
#include "policy.h"

#ifndef PID_FS_MAGIC
#define PID_FS_MAGIC	0x50494446	/* 6.9+; 6.1 makes pidfds on the anonymous inode */
#endif

static struct bulkhead_label label(u32 domain, u32 kind)
{
	return (struct bulkhead_label){ .domain = domain, .kind = kind };
}

/*
 * Character devices by major and minor. The memory devices that discard, give zeroes or
 * give randomness hold nobody's information; terminals are ordinary files of the domain
 * their node is in. Every other device (the disks, /dev/mem, /dev/port, /dev/kmsg, misc
 * devices, ...) reaches state all domains share: host only.
 */
static bool device_free(const struct inode *inode)
{
	if (!S_ISCHR(inode->i_mode) || imajor(inode) != MEM_MAJOR)
		return false;
	switch (iminor(inode)) {
	case 3: case 5: case 7: case 8: case 9:	/* null zero full random urandom */
		return true;
	}
	return false;
}

static bool device_terminal(const struct inode *inode)
{
	unsigned int major = imajor(inode);

	return S_ISCHR(inode->i_mode) &&
	       (major == TTY_MAJOR || major == TTYAUX_MAJOR ||
		(major >= UNIX98_PTY_SLAVE_MAJOR &&
		 major < UNIX98_PTY_SLAVE_MAJOR + UNIX98_PTY_MAJOR_COUNT));
}

/* The /proc entries a domain may read: summaries that name no other domain's objects. */
static bool proc_summary(const struct qstr *name)
{
	static const char *const names[] = {
		"self", "thread-self", "cpuinfo", "meminfo", "stat", "uptime", "loadavg",
		"version", "filesystems", "mounts", "cmdline", "sys", "devices",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(name->name, names[i]))
			return true;
	return false;
}

static struct task_struct *proc_task(const struct dentry *top)
{
	unsigned int nr;
	struct pid *pid;

	if (kstrtouint(top->d_name.name, 10, &nr))
		return NULL;
	pid = find_pid_ns(nr, proc_pid_ns(top->d_sb));
	return pid ? pid_task(pid, PIDTYPE_PID) : NULL;
}

/*
 * A /proc entry. /proc/PID/... is that task's (the kernel ties each such inode to its task),
 * except /proc/PID/net, which shows the whole network namespace all domains share.
 */
static struct bulkhead_label proc_label(const struct bulkhead_policy *pol,
					struct dentry *dentry)
{
	struct dentry *d = dentry, *root = dentry->d_sb->s_root, *parent;
	struct task_struct *task;
	bool net = false;

	if (d == root)
		return label(BULKHEAD_HOST_DOMAIN_ID, BULKHEAD_LABEL_HOST_READ);
	/* procfs renames nothing: the walk needs no rename_lock. */
	for (;;) {
		parent = READ_ONCE(d->d_parent);
		if (parent == root || parent == d)
			break;
		net |= !strcmp(d->d_name.name, "net");
		d = parent;
	}
	task = proc_task(d);
	if (task && net)
		return label(BULKHEAD_HOST_DOMAIN_ID, BULKHEAD_LABEL_HOST_ONLY);
	if (task) {
		/* What a debugger reads there (mem, environ, maps) the ptrace channel opens. */
		struct bulkhead_label l = label(bulkhead_task_domain(pol, task),
						BULKHEAD_LABEL_DATA);

		l.also = BULKHEAD_CHAN_PTRACE;
		return l;
	}
	if (proc_summary(&d->d_name))
		return label(BULKHEAD_HOST_DOMAIN_ID, BULKHEAD_LABEL_HOST_READ);
	return label(BULKHEAD_HOST_DOMAIN_ID, BULKHEAD_LABEL_HOST_ONLY);
}

/*
 * An object of one of the kernel's internal filesystems, which nobody can mount and whose
 * objects only descriptors reach. A socket holds its creator's traffic (sockets remember
 * their creator's cgroup). Pipes and memory files carry data one way per open mode;
 * everything else there (eventfd, timerfd, signalfd, epoll, inotify, userfaultfd, ...) lets
 * whoever holds it both change and observe its state. pidfds and namespace files are exempt:
 * what they allow is decided at the task they name (signals, ptrace, and the ptrace check of
 * opening /proc/PID/ns/...) or needs CAP_SYS_ADMIN (setns), host only. @file is NULL for hooks
 * that have only a name.
 */
static struct bulkhead_label internal_label(const struct bulkhead_policy *pol,
					    struct inode *inode, struct dentry *dentry,
					    struct file *file)
{
	unsigned long magic = inode->i_sb->s_magic;
	u32 domain = BULKHEAD_HOST_DOMAIN_ID;

	if (S_ISSOCK(inode->i_mode)) {
		struct sock *sk = SOCKET_I(inode)->sk;

		return label(sk ? bulkhead_sock_domain(pol, sk) : domain, BULKHEAD_LABEL_DATA);
	}
	if (magic == PID_FS_MAGIC || magic == NSFS_MAGIC ||
	    (magic == ANON_INODE_FS_MAGIC && !strcmp(dentry->d_name.name, "[pidfd]")))
		return label(domain, BULKHEAD_LABEL_FREE);
	/* A pipe's or memfd's inode is its own; anonymous files share one inode. */
	if (!bulkhead_owner_get(inode, &domain) && file)
		bulkhead_owner_get(file, &domain);
	if (magic == PIPEFS_MAGIC || magic == TMPFS_MAGIC || magic == SECRETMEM_MAGIC)
		return label(domain, BULKHEAD_LABEL_DATA);
	return label(domain, BULKHEAD_LABEL_BOTH);
}

static bool device(const struct inode *inode)
{
	return S_ISCHR(inode->i_mode) || S_ISBLK(inode->i_mode);
}

static struct bulkhead_label label_of(const struct bulkhead_policy *pol, struct dentry *dentry,
				      struct file *file)
{
	struct inode *inode = file ? file_inode(file) : d_inode_rcu(dentry);
	unsigned long magic = dentry->d_sb->s_magic;
	bool detached;
	u32 domain;

	if (inode && device(inode) && !device_terminal(inode))
		return label(BULKHEAD_HOST_DOMAIN_ID, device_free(inode) ? BULKHEAD_LABEL_FREE :
								     BULKHEAD_LABEL_HOST_ONLY);
	/* nsfs and pidfs are internal too, though nsfs_init() clears nsfs's SB_NOUSER. */
	if (inode && ((inode->i_sb->s_flags & SB_NOUSER) || magic == NSFS_MAGIC ||
		      magic == PID_FS_MAGIC))
		return internal_label(pol, inode, dentry, file);
	if (magic == PROC_SUPER_MAGIC)
		return proc_label(pol, dentry);
	domain = bulkhead_dentry_domain_walk(pol, dentry, &detached);
	/* A name not connected to its filesystem's root could be anyone's: fail closed. */
	if (detached)
		return label(domain, BULKHEAD_LABEL_HOST_ONLY);
	/* Writing a cgroup file moves tasks or changes their limits. */
	if (magic == CGROUP2_SUPER_MAGIC || magic == CGROUP_SUPER_MAGIC)
		return label(domain, BULKHEAD_LABEL_HOST_READ);
	return label(domain, BULKHEAD_LABEL_DATA);
}

/**
 * bulkhead_dentry_label() - what the file at @dentry holds and whose it is
 * @pol: the policy in force, under rcu_read_lock()
 * @dentry: the file (positive or not)
 *
 * For hooks that have a name but no open file; bulkhead_file_label() also knows the objects
 * that only an open file reaches (files on the shared anonymous inode).
 *
 * Return: the label.
 */
struct bulkhead_label bulkhead_dentry_label(const struct bulkhead_policy *pol,
					    struct dentry *dentry)
{
	return label_of(pol, dentry, NULL);
}

/**
 * bulkhead_file_label() - what open file @file holds and whose it is
 * @pol: the policy in force, under rcu_read_lock()
 * @file: the file
 *
 * Return: the label.
 */
struct bulkhead_label bulkhead_file_label(const struct bulkhead_policy *pol, struct file *file)
{
	return label_of(pol, file->f_path.dentry, file);
}
