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
 * @host: what to do when the creator is host: SKIP where the free hook always runs; FORGET
 *	  where an object can be freed without it (a file an LSM refused after
 *	  security_file_alloc's program), so a host object never inherits a stale entry; KEEP
 *	  for objects with no free hook on every kernel (keys) or whose free hook may have been
 *	  missed (IPC). A domain's entry overwrites whatever is at the address in every case.
 *
 * Return: an enum bulkhead_verdict; ENOMEM fails the creation rather than leave a domain's
 * object looking like host's.
 */
u32 bulkhead_remember_creator(const void *object, enum bulkhead_host_object host)
{
	const struct bulkhead_policy *pol = rcu_dereference(bulkhead_active_policy);
	u32 domain = pol ? bulkhead_current_domain(pol) : BULKHEAD_HOST_DOMAIN_ID;

	if (domain == BULKHEAD_HOST_DOMAIN_ID && host != BULKHEAD_HOST_KEEP) {
		if (host == BULKHEAD_HOST_FORGET)
			bulkhead_owner_forget(object);
		return BULKHEAD_VERDICT_ALLOW;
	}
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
	return bulkhead_remember_creator(inode, BULKHEAD_HOST_SKIP);
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
	bulkhead_kfunc_begin(hook);
	return bulkhead_remember_creator((const void *)(unsigned long)file, BULKHEAD_HOST_FORGET);
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
