// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: BPF-LSM shims. A loadable module cannot register LSM hooks, so each program here
 * attaches to one hook, asks the bulkhead module (through a kfunc) for a verdict, and returns
 * it. All state and logic live in the module. Each program is named after its hook; the
 * loader pins it, and the module reports it attached, under that name.
 *
 * Only hooks whose argument list is the same on every supported kernel are used: a program
 * reads its arguments by position.
 *
 * Pointer arguments that the kernel may pass as NULL (mmap_file's file, task_kill's cred) are
 * tested in the module, not here: 6.12's verifier takes LSM pointer arguments for non-NULL and
 * drops such tests from the program.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <linux/bulkhead.h>

#define EPERM 1
#define EACCES 13
#define PROT_EXEC 0x4

extern __u32 bulkhead_file_access(struct file *file, __u32 hook) __ksym;
extern __u32 bulkhead_file_exec(struct file *file, __u32 hook) __ksym;
extern __u32 bulkhead_bprm_exec(struct linux_binprm *bprm, __u32 hook) __ksym;
extern __u32 bulkhead_vma_exec(struct vm_area_struct *vma, __u32 hook) __ksym;
extern __u32 bulkhead_dentry_write(struct dentry *dentry, __u32 hook) __ksym;
extern __u32 bulkhead_dentry_move(struct dentry *from, struct dentry *to, __u32 hook) __ksym;
extern __u32 bulkhead_path_write(const struct path *path, __u32 hook) __ksym;
extern __u32 bulkhead_task_signal(struct task_struct *target, struct kernel_siginfo *info,
				  const struct cred *cred, __u32 hook) __ksym;
extern __u32 bulkhead_task_trace(struct task_struct *other, __u32 hook) __ksym;

/* kfuncs are only callable from GPL-compatible programs. */
char LICENSE[] SEC("license") = "GPL";

/* Turn the module's verdict into the hook's return value; anything unknown fails closed. */
static __always_inline int verdict(__u32 v)
{
	if (v == BULKHEAD_VERDICT_ALLOW)
		return 0;
	if (v == BULKHEAD_VERDICT_EACCES)
		return -EACCES;
	return -EPERM;
}

/*
 * libbpf 1.1 matches each kfunc's prototype against the kernel's and refuses a forward
 * declaration where the kernel has a struct, and clang emits only a forward declaration for a
 * struct that the object merely points to. A CO-RE field check names a member, which makes
 * clang emit the full definition; it costs nothing at run time (libbpf turns it into a
 * constant), and the field always exists.
 */
static __always_inline int dentry_write(struct dentry *dentry, __u32 hook)
{
	if (!bpf_core_field_exists(dentry->d_inode))
		return -EPERM;
	return verdict(bulkhead_dentry_write(dentry, hook));
}

/* An earlier LSM's denial stands: each program first returns a non-zero ret unchanged. */

SEC("lsm/file_open")
int BPF_PROG(file_open, struct file *file, int ret)
{
	return ret ?: verdict(bulkhead_file_access(file, BULKHEAD_HOOK_FILE_OPEN));
}

/* A descriptor passed over a unix socket is checked for its receiver. */
SEC("lsm/file_receive")
int BPF_PROG(file_receive, struct file *file, int ret)
{
	return ret ?: verdict(bulkhead_file_access(file, BULKHEAD_HOOK_FILE_RECEIVE));
}

SEC("lsm/bprm_check_security")
int BPF_PROG(bprm_check_security, struct linux_binprm *bprm, int ret)
{
	return ret ?: verdict(bulkhead_bprm_exec(bprm, BULKHEAD_HOOK_BPRM_CHECK_SECURITY));
}

SEC("lsm/mmap_file")
int BPF_PROG(mmap_file, struct file *file, unsigned long reqprot, unsigned long prot,
	     unsigned long flags, int ret)
{
	if (ret || !(prot & PROT_EXEC))
		return ret;
	return verdict(bulkhead_file_exec(file, BULKHEAD_HOOK_MMAP_FILE));
}

SEC("lsm/file_mprotect")
int BPF_PROG(file_mprotect, struct vm_area_struct *vma, unsigned long reqprot,
	     unsigned long prot, int ret)
{
	/* The field check keeps vm_area_struct's BTF (see dentry_write()). */
	if (ret || !(prot & PROT_EXEC) || !bpf_core_field_exists(vma->vm_file))
		return ret;
	return verdict(bulkhead_vma_exec(vma, BULKHEAD_HOOK_FILE_MPROTECT));
}

SEC("lsm/inode_create")
int BPF_PROG(inode_create, struct inode *dir, struct dentry *dentry, umode_t mode, int ret)
{
	return ret ?: dentry_write(dentry, BULKHEAD_HOOK_INODE_CREATE);
}

SEC("lsm/inode_mkdir")
int BPF_PROG(inode_mkdir, struct inode *dir, struct dentry *dentry, umode_t mode, int ret)
{
	return ret ?: dentry_write(dentry, BULKHEAD_HOOK_INODE_MKDIR);
}

SEC("lsm/inode_mknod")
int BPF_PROG(inode_mknod, struct inode *dir, struct dentry *dentry, umode_t mode, dev_t dev,
	     int ret)
{
	return ret ?: dentry_write(dentry, BULKHEAD_HOOK_INODE_MKNOD);
}

SEC("lsm/inode_symlink")
int BPF_PROG(inode_symlink, struct inode *dir, struct dentry *dentry, const char *old_name,
	     int ret)
{
	return ret ?: dentry_write(dentry, BULKHEAD_HOOK_INODE_SYMLINK);
}

SEC("lsm/inode_unlink")
int BPF_PROG(inode_unlink, struct inode *dir, struct dentry *dentry, int ret)
{
	return ret ?: dentry_write(dentry, BULKHEAD_HOOK_INODE_UNLINK);
}

SEC("lsm/inode_rmdir")
int BPF_PROG(inode_rmdir, struct inode *dir, struct dentry *dentry, int ret)
{
	return ret ?: dentry_write(dentry, BULKHEAD_HOOK_INODE_RMDIR);
}

SEC("lsm/inode_rename")
int BPF_PROG(inode_rename, struct inode *old_dir, struct dentry *old_dentry,
	     struct inode *new_dir, struct dentry *new_dentry, int ret)
{
	return ret ?: verdict(bulkhead_dentry_move(old_dentry, new_dentry,
						   BULKHEAD_HOOK_INODE_RENAME));
}

SEC("lsm/inode_link")
int BPF_PROG(inode_link, struct dentry *old_dentry, struct inode *dir,
	     struct dentry *new_dentry, int ret)
{
	return ret ?: verdict(bulkhead_dentry_move(old_dentry, new_dentry,
						   BULKHEAD_HOOK_INODE_LINK));
}

/* The first argument is a user namespace on 6.1 and an idmap on 6.12: only its place counts. */
SEC("lsm/inode_setxattr")
int BPF_PROG(inode_setxattr, void *idmap, struct dentry *dentry, const char *name,
	     const void *value, size_t size, int flags, int ret)
{
	return ret ?: dentry_write(dentry, BULKHEAD_HOOK_INODE_SETXATTR);
}

SEC("lsm/inode_removexattr")
int BPF_PROG(inode_removexattr, void *idmap, struct dentry *dentry, const char *name, int ret)
{
	return ret ?: dentry_write(dentry, BULKHEAD_HOOK_INODE_REMOVEXATTR);
}

SEC("lsm/path_truncate")
int BPF_PROG(path_truncate, const struct path *path, int ret)
{
	return ret ?: verdict(bulkhead_path_write(path, BULKHEAD_HOOK_PATH_TRUNCATE));
}

SEC("lsm/path_chmod")
int BPF_PROG(path_chmod, const struct path *path, umode_t mode, int ret)
{
	return ret ?: verdict(bulkhead_path_write(path, BULKHEAD_HOOK_PATH_CHMOD));
}

SEC("lsm/path_chown")
int BPF_PROG(path_chown, const struct path *path, __u64 uid, __u64 gid, int ret)
{
	return ret ?: verdict(bulkhead_path_write(path, BULKHEAD_HOOK_PATH_CHOWN));
}

/* The field checks keep kernel_siginfo's and cred's BTF (see dentry_write()). */
SEC("lsm/task_kill")
int BPF_PROG(task_kill, struct task_struct *p, struct kernel_siginfo *info, int sig,
	     const struct cred *cred, int ret)
{
	if (ret || !bpf_core_field_exists(info->si_signo) || !bpf_core_field_exists(cred->uid))
		return ret;
	return verdict(bulkhead_task_signal(p, info, cred, BULKHEAD_HOOK_TASK_KILL));
}

SEC("lsm/ptrace_access_check")
int BPF_PROG(ptrace_access_check, struct task_struct *child, unsigned int mode, int ret)
{
	return ret ?: verdict(bulkhead_task_trace(child, BULKHEAD_HOOK_PTRACE_ACCESS_CHECK));
}

SEC("lsm/ptrace_traceme")
int BPF_PROG(ptrace_traceme, struct task_struct *parent, int ret)
{
	return ret ?: verdict(bulkhead_task_trace(parent, BULKHEAD_HOOK_PTRACE_TRACEME));
}
