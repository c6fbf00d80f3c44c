// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: kfuncs that remember which domain created the objects no path labels: the
 * inodes of the kernel's internal filesystems (a pipe, a memfd, a per-object anonymous
 * inode) and the files on the anonymous inode they all share (eventfd, timerfd, signalfd,
 * epoll, ...). label.c reads what they remember (owners.c keeps it).
 *
 * Done in every mode, so that switching to enforce later knows every object's creator. Host
 * creates most objects; they are not remembered, since an object nobody remembers is host's.
 */
#include <linux/bpf.h>
#include <linux/fs.h>
#include <linux/magic.h>

#include "bulkhead.h"
#include "compat.h"
#include "policy.h"

/**
 * bulkhead_remember_creator() - remember the current task's domain as @object's, in every mode
 * @object: the object being created
 * @host_too: remember host's objects as well, for objects that have no free hook on every
 *	      kernel (keys) or whose free hook may have been missed (IPC): the entry then
 *	      overwrites whatever a freed object at the same address left
 *
 * Return: an enum bulkhead_verdict; ENOMEM fails the creation rather than leave a domain's
 * object looking like host's.
 */
u32 bulkhead_remember_creator(const void *object, bool host_too)
{
	const struct bulkhead_policy *pol = rcu_dereference(bulkhead_active_policy);
	u32 domain = pol ? bulkhead_current_domain(pol) : BULKHEAD_HOST_DOMAIN_ID;

	if (domain == BULKHEAD_HOST_DOMAIN_ID && !host_too)
		return BULKHEAD_VERDICT_ALLOW;
	return bulkhead_owner_set(object, domain) ? BULKHEAD_VERDICT_ENOMEM :
						    BULKHEAD_VERDICT_ALLOW;
}

__bpf_kfunc_start_defs();

/**
 * bulkhead_inode_created() - remember who creates @inode, if it is an internal one
 * @inode: the new inode; its mode is not set yet, its superblock is
 * @hook: the asking hook (inode_alloc_security)
 *
 * Sockets are left out: a socket remembers its creator itself.
 *
 * Return: an enum bulkhead_verdict; ENOMEM fails the creation.
 */
__bpf_kfunc u32 bulkhead_inode_created(struct inode *inode, u32 hook)
{
	const struct super_block *sb = inode->i_sb;

	bulkhead_kfunc_begin(hook);
	if (!(sb->s_flags & SB_NOUSER) || sb->s_magic == SOCKFS_MAGIC)
		return BULKHEAD_VERDICT_ALLOW;
	return bulkhead_remember_creator(inode, false);
}

/**
 * bulkhead_inode_freed() - forget @inode
 * @inode: the address of the inode being freed (a key only: see arg_value() in the BPF)
 * @hook: the asking hook (inode_free_security)
 *
 * Return: BULKHEAD_VERDICT_ALLOW.
 */
__bpf_kfunc u32 bulkhead_inode_freed(u64 inode, u32 hook)
{
	bulkhead_kfunc_begin(hook);
	bulkhead_owner_forget((const void *)(unsigned long)inode);
	return BULKHEAD_VERDICT_ALLOW;
}

/**
 * bulkhead_file_created() - remember who creates @file
 * @file: the address of the new file, not yet tied to an inode (a key only)
 * @hook: the asking hook (file_alloc_security)
 *
 * Which inode the file will be on is not known yet, so every file a domain's task creates is
 * remembered; only files on the shared anonymous inode are ever asked about.
 *
 * Return: an enum bulkhead_verdict; ENOMEM fails the creation.
 */
__bpf_kfunc u32 bulkhead_file_created(u64 file, u32 hook)
{
	const void *object = (const void *)(unsigned long)file;

	bulkhead_kfunc_begin(hook);
	/*
	 * A file an LSM refused after this hook was freed without file_free_security: forget
	 * what it left here, or a host task's file at its address would look like a domain's.
	 */
	bulkhead_owner_forget(object);
	return bulkhead_remember_creator(object, false);
}

/**
 * bulkhead_file_freed() - forget @file
 * @file: the address of the file being freed (a key only)
 * @hook: the asking hook (file_free_security)
 *
 * Return: BULKHEAD_VERDICT_ALLOW.
 */
__bpf_kfunc u32 bulkhead_file_freed(u64 file, u32 hook)
{
	bulkhead_kfunc_begin(hook);
	bulkhead_owner_forget((const void *)(unsigned long)file);
	bulkhead_rw_forget((const struct file *)(unsigned long)file);
	return BULKHEAD_VERDICT_ALLOW;
}

__bpf_kfunc_end_defs();
