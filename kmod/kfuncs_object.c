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

/* The creator's domain, or host when there is no policy to ask yet. */
static u32 creator_domain(void)
{
	const struct bulkhead_policy *pol = rcu_dereference(bulkhead_active_policy);

	return pol ? bulkhead_current_domain(pol) : BULKHEAD_HOST_DOMAIN_ID;
}

static u32 remember(const void *object)
{
	u32 domain = creator_domain();

	if (domain == BULKHEAD_HOST_DOMAIN_ID)
		return BULKHEAD_VERDICT_ALLOW;
	/* Fail the creation rather than leave a domain's object looking like host's. */
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
	return remember(inode);
}

/**
 * bulkhead_inode_freed() - forget @inode
 * @inode: the inode being freed
 * @hook: the asking hook (inode_free_security)
 *
 * Return: BULKHEAD_VERDICT_ALLOW.
 */
__bpf_kfunc u32 bulkhead_inode_freed(struct inode *inode, u32 hook)
{
	bulkhead_kfunc_begin(hook);
	bulkhead_owner_forget(inode);
	return BULKHEAD_VERDICT_ALLOW;
}

/**
 * bulkhead_file_created() - remember who creates @file
 * @file: the new file, not yet tied to an inode
 * @hook: the asking hook (file_alloc_security)
 *
 * Which inode the file will be on is not known yet, so every file a domain's task creates is
 * remembered; only files on the shared anonymous inode are ever asked about.
 *
 * Return: an enum bulkhead_verdict; ENOMEM fails the creation.
 */
__bpf_kfunc u32 bulkhead_file_created(struct file *file, u32 hook)
{
	bulkhead_kfunc_begin(hook);
	return remember(file);
}

/**
 * bulkhead_file_freed() - forget @file
 * @file: the file being freed
 * @hook: the asking hook (file_free_security)
 *
 * Return: BULKHEAD_VERDICT_ALLOW.
 */
__bpf_kfunc u32 bulkhead_file_freed(struct file *file, u32 hook)
{
	bulkhead_kfunc_begin(hook);
	bulkhead_owner_forget(file);
	bulkhead_rw_forget(file);
	return BULKHEAD_VERDICT_ALLOW;
}

__bpf_kfunc_end_defs();
