/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead: the kernel API differences between the supported kernels (6.1, 6.12 and 7.3), in one
 * place so the rest of the module is written against one API.
 */
#ifndef _BULKHEAD_COMPAT_H
#define _BULKHEAD_COMPAT_H

#include <linux/btf.h>
#include <linux/btf_ids.h>

/*
 * 6.9 renamed the kfunc id-set markers and flags the set as kfuncs; 6.1 has only the plain
 * sorted set8 and no __bpf_kfunc annotation: a global noinline function keeps its body and BTF.
 */
#ifdef BTF_KFUNCS_START
#define BULKHEAD_KFUNCS_START(name)	BTF_KFUNCS_START(name)
#define BULKHEAD_KFUNCS_END(name)	BTF_KFUNCS_END(name)
#else
#define BULKHEAD_KFUNCS_START(name)	BTF_SET8_START(name)
#define BULKHEAD_KFUNCS_END(name)	BTF_SET8_END(name)
#endif

/*
 * 6.2 split the generic netlink ops: one struct genl_split_ops for a command's do and one for
 * its dump, each with its own pre_doit (Kbuild finds the structure in the headers). 6.1 has
 * one struct genl_ops per command and one pre_doit per family. The ops that ynl-gen-c writes
 * from the spec (nl_gen.c, which includes this file) are split ones: on 6.1 they are declared
 * in this shape, the fields they set and no more, and kmod/netlink.c turns them into genl_ops
 * when it registers the family.
 */
#include <net/genetlink.h>
#ifndef BULKHEAD_GENL_SPLIT_OPS
struct genl_split_ops {
	int (*pre_doit)(const struct genl_split_ops *ops, struct sk_buff *skb,
			struct genl_info *info);
	int (*doit)(struct sk_buff *skb, struct genl_info *info);
	int (*start)(struct netlink_callback *cb);
	int (*dumpit)(struct sk_buff *skb, struct netlink_callback *cb);
	int (*done)(struct netlink_callback *cb);
	const struct nla_policy *policy;
	unsigned int maxattr;
	u8 cmd;
	u8 flags;
	u8 validate;
};
#endif

/* 6.2 gave POSIX ACLs LSM hooks of their own (Kbuild finds them in lsm_hook_defs.h). */
#ifdef BULKHEAD_ACL_HOOKS
#define BULKHEAD_HAS_ACL_HOOKS	true
#else
#define BULKHEAD_HAS_ACL_HOOKS	false
#endif

/*
 * 6.8 gave 32-bit ioctls a hook of their own, file_ioctl_compat; stable kernels backported it
 * (Debian's 6.1.176 has it), so Kbuild looks for it in lsm_hook_defs.h, not at the version.
 */
#ifdef BULKHEAD_IOCTL_COMPAT_HOOK
#define BULKHEAD_HAS_IOCTL_COMPAT_HOOK	true
#else
#define BULKHEAD_HAS_IOCTL_COMPAT_HOOK	false
#endif

/*
 * 6.17 added file_getattr(2) and file_setattr(2), which read and change a file's attributes by
 * path without opening it, with hooks of their own (Kbuild finds them in lsm_hook_defs.h).
 */
#ifdef BULKHEAD_FILE_ATTR_HOOKS
#define BULKHEAD_HAS_FILE_ATTR_HOOKS	true
#else
#define BULKHEAD_HAS_FILE_ATTR_HOOKS	false
#endif

#ifndef __bpf_kfunc
#define __bpf_kfunc noinline
#endif

/* 6.7 added markers that silence -Wmissing-prototypes around kfunc definitions. */
#ifndef __bpf_kfunc_start_defs
#define __bpf_kfunc_start_defs()
#define __bpf_kfunc_end_defs()
#endif

/*
 * 6.1 exports vfs_path_lookup() but declares it only in fs/internal.h; 6.12 declares it in
 * <linux/namei.h>. Repeating the identical prototype is harmless where both exist, and a
 * kernel that changed it would fail to build rather than misbehave.
 */
struct dentry;
struct path;
struct vfsmount;
int vfs_path_lookup(struct dentry *dentry, struct vfsmount *mnt, const char *name,
		    unsigned int flags, struct path *path);

/*
 * 6.12 allocates a file's owner settings on demand and points back to the file from them; 6.1
 * embeds them in the file. Kbuild tells which (BULKHEAD_FOWN_POINTS_BACK).
 */
#include <linux/fs.h>
static inline struct file *bulkhead_fown_file(struct fown_struct *fown)
{
#ifdef BULKHEAD_FOWN_POINTS_BACK
	return fown->file;
#else
	return container_of(fown, struct file, f_owner);
#endif
}

/*
 * 6.17 replaced the SHA-256 library's struct sha256_state with struct sha256_ctx; the calls
 * (sha256_init/update/final) kept their names. Kbuild finds which (BULKHEAD_SHA256_CTX).
 */
#include <crypto/sha2.h>
#ifdef BULKHEAD_SHA256_CTX
#define bulkhead_sha256_state	sha256_ctx
#else
#define bulkhead_sha256_state	sha256_state
#endif

/* 6.19 moved the hex helpers (hex_byte_pack_upper) out of <linux/kernel.h> into <linux/hex.h>. */
#ifdef BULKHEAD_HEX_H
#include <linux/hex.h>
#endif

/*
 * 6.18 renamed the unbound system workqueue system_dfl_wq and warns at run time when work is
 * queued on the old name; Kbuild finds the new one in <linux/workqueue.h>.
 */
#include <linux/workqueue.h>
#ifdef BULKHEAD_DFL_WQ
#define bulkhead_unbound_wq	system_dfl_wq
#else
#define bulkhead_unbound_wq	system_unbound_wq
#endif

#endif /* _BULKHEAD_COMPAT_H */
