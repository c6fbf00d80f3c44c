// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: BPF-LSM shims. A loadable module cannot register LSM hooks, so each program here
 * attaches to one hook, asks the bulkhead module (through a kfunc) for a verdict, and returns
 * it. All state and logic live in the module. Each program is named after its hook; the
 * loader pins it, and the module reports it attached, under that name.
 *
 * A program reads its arguments by position, so it reads only those at the same position on
 * every supported kernel; where a kernel added or removed one before the verdict (bpf,
 * perf_event_open), it reads none.
 *
 * Pointer arguments that the kernel may pass as NULL (mmap_file's file) are tested in the
 * module too: 6.12's verifier takes LSM pointer arguments for non-NULL and drops such tests
 * from the program (7.x keeps mmap_file's, and requires it). Those compared with constants
 * only (task_kill's) are read as numbers (arg_value()).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <linux/bulkhead.h>

#define EPERM 1
#define ENOMEM 12
#define EACCES 13
#define PROT_EXEC 0x4
#define MAY_EXEC 0x1
#define S_IFMT 00170000
#define S_IFDIR 0040000

extern __u32 bulkhead_file_access(struct file *file, __u32 hook) __ksym;
extern __u32 bulkhead_file_exec(struct file *file, __u32 hook) __ksym;
extern __u32 bulkhead_bprm_exec(struct linux_binprm *bprm, __u32 hook) __ksym;
extern __u32 bulkhead_vma_exec(struct vm_area_struct *vma, __u32 hook) __ksym;
extern __u32 bulkhead_dentry_write(struct dentry *dentry, __u32 hook) __ksym;
extern __u32 bulkhead_inode_setattr(__u64 dentry, __u32 hook) __ksym;
extern __u32 bulkhead_dentry_move(struct dentry *from, struct dentry *to, __u32 hook) __ksym;
extern __u32 bulkhead_path_write(const struct path *path, __u32 hook) __ksym;
extern __u32 bulkhead_task_signal(struct task_struct *target, __u32 not_from_task,
				  __u32 hook) __ksym;
extern __u32 bulkhead_task_trace(struct task_struct *other, __u32 hook) __ksym;
extern __u32 bulkhead_file_fcntl(struct file *file, __u32 cmd, __u64 arg, __u32 hook) __ksym;
extern __u32 bulkhead_unix_connect(struct sock *other, __u32 hook) __ksym;
extern __u32 bulkhead_unix_send(struct socket *other, __u32 hook) __ksym;
extern __u32 bulkhead_socket_create(__u32 family, __u32 type, __u32 protocol, __u32 kern,
				    __u32 hook) __ksym;
extern __u32 bulkhead_socket_connect(struct socket *sock, struct sockaddr *addr, int len,
				     __u32 hook) __ksym;
extern __u32 bulkhead_sock_receive(struct sock *sk, struct sk_buff *skb, __u32 hook) __ksym;
extern __u32 bulkhead_ipc_alloc(struct kern_ipc_perm *perm, __u32 hook) __ksym;
extern __u32 bulkhead_ipc_free(__u64 perm, __u32 hook) __ksym;
extern __u32 bulkhead_ipc_access(struct kern_ipc_perm *perm, __u32 flag, __u32 hook) __ksym;
extern __u32 bulkhead_ipc_ctl(struct kern_ipc_perm *perm, int cmd, __u32 hook) __ksym;
extern __u32 bulkhead_host_only(__u32 hook) __ksym;
extern __u32 bulkhead_task_alloc(__u64 clone_flags, __u32 hook) __ksym;
extern __u32 bulkhead_dentry_read(struct dentry *dentry, __u32 hook) __ksym;
extern __u32 bulkhead_dir_search(struct inode *dir, __u32 hook) __ksym;
extern __u32 bulkhead_path_read(const struct path *path, __u32 hook) __ksym;
extern __u32 bulkhead_path_watch(const struct path *path, __u64 mask, __u32 hook) __ksym;
extern __u32 bulkhead_file_lock(struct file *file, __u32 type, __u32 hook) __ksym;
extern __u32 bulkhead_inode_created(struct inode *inode, __u32 hook) __ksym;
extern __u32 bulkhead_inode_freed(__u64 inode, __u32 hook) __ksym;
extern __u32 bulkhead_file_created(__u64 file, __u32 hook) __ksym;
extern __u32 bulkhead_file_freed(__u64 file, __u32 hook) __ksym;
extern __u32 bulkhead_task_attr(struct task_struct *other, __u32 change, __u32 hook) __ksym;
extern __u32 bulkhead_task_setpgid(struct task_struct *p, int pgid, __u32 hook) __ksym;
extern __u32 bulkhead_task_prlimit(__u32 flags, __u32 hook) __ksym;
extern __u32 bulkhead_sigio_deliver(struct task_struct *tsk, struct fown_struct *fown,
				    __u32 hook) __ksym;
extern __u32 bulkhead_capable(__u32 cap, __u32 opts, __u32 hook) __ksym;
extern __u32 bulkhead_file_rw(struct file *file, __u32 mask, __u32 hook) __ksym;
extern __u32 bulkhead_file_ioctl(struct file *file, __u32 cmd, __u32 hook) __ksym;
extern __u32 bulkhead_key_created(struct key *key, __u32 hook) __ksym;
extern __u32 bulkhead_key_access(__u64 key_ref, __u32 need, __u32 hook) __ksym;

/* kfuncs are only callable from GPL-compatible programs. */
char LICENSE[] SEC("license") = "GPL";

/*
 * Argument @n of the hook as a plain number. The free and alloc hooks of files (and from 7.x
 * the others the verifier lists as untrusted) hand programs pointers that no kfunc may take
 * (7.x requires trusted pointers of every kfunc); the module uses those objects' addresses as
 * keys only, so it gets the address, read this way because a pointer argument stays a pointer
 * to the verifier whatever C casts it to.
 */
static __always_inline __u64 arg_value(void *ctx, __u32 n)
{
	__u64 value = 0;

	bpf_get_func_arg(ctx, n, &value);
	return value;
}

/* Turn the module's verdict into the hook's return value; anything unknown fails closed. */
static __always_inline int verdict(__u32 v)
{
	int allow;

	if (v == BULKHEAD_VERDICT_EACCES)
		return -EACCES;
	if (v == BULKHEAD_VERDICT_ENOMEM)
		return -ENOMEM;
	if (v != BULKHEAD_VERDICT_ALLOW)
		return -EPERM;
	/*
	 * Clang would return v itself here, known to be zero in its low 32 bits only, and 6.12
	 * refuses a program whose return value it cannot bound to [-MAX_ERRNO, 0].
	 */
	asm volatile("%0 = 0" : "=r"(allow));
	return allow;
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
	/* No file: anonymous memory, no object. 7.x marks the argument nullable (6.x does not). */
	if (ret || !(prot & PROT_EXEC) || !file)
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

/*
 * From 6.2, POSIX ACLs are read and written through these hooks and not the xattr ones. The
 * loader attaches them only where the kernel has them; the ACL is an attribute of its file,
 * read and written as the file.
 */
SEC("lsm/inode_set_acl")
int BPF_PROG(inode_set_acl, void *idmap, struct dentry *dentry, const char *acl_name,
	     void *kacl, int ret)
{
	return ret ?: dentry_write(dentry, BULKHEAD_HOOK_INODE_SET_ACL);
}

SEC("lsm/inode_remove_acl")
int BPF_PROG(inode_remove_acl, void *idmap, struct dentry *dentry, const char *acl_name, int ret)
{
	return ret ?: dentry_write(dentry, BULKHEAD_HOOK_INODE_REMOVE_ACL);
}

SEC("lsm/inode_get_acl")
int BPF_PROG(inode_get_acl, void *idmap, struct dentry *dentry, const char *acl_name, int ret)
{
	return ret ?: verdict(bulkhead_dentry_read(dentry, BULKHEAD_HOOK_INODE_GET_ACL));
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
/*
 * (dentry, attr) on 6.1, (idmap, dentry, attr) since 6.3: one program for both kernels takes
 * the dentry by its position, counted from the arguments this kernel passes.
 */
SEC("lsm/inode_setattr")
int inode_setattr(unsigned long long *ctx)
{
	__u64 dentry;

	if (bpf_get_func_arg(ctx, bpf_get_func_arg_cnt(ctx) == 3 ? 1 : 0, &dentry))
		return -EPERM;
	return verdict(bulkhead_inode_setattr(dentry, BULKHEAD_HOOK_INODE_SETATTR));
}

SEC("lsm/task_kill")
int BPF_PROG(task_kill, struct task_struct *p)
{
	/* info == SEND_SIG_PRIV (1): the kernel's own signal; cred: sent for a file owner. */
	__u32 not_from_task = arg_value(ctx, 1) == 1 || arg_value(ctx, 3);

	return verdict(bulkhead_task_signal(p, not_from_task, BULKHEAD_HOOK_TASK_KILL));
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

/* F_SETOWN and F_SETOWN_EX choose who receives the file's SIGIO and SIGURG. */
SEC("lsm/file_fcntl")
int BPF_PROG(file_fcntl, struct file *file, unsigned int cmd, unsigned long arg, int ret)
{
	return ret ?: verdict(bulkhead_file_fcntl(file, cmd, arg, BULKHEAD_HOOK_FILE_FCNTL));
}

/* The field checks keep sock's and socket's BTF (see dentry_write()). */
SEC("lsm/unix_stream_connect")
int BPF_PROG(unix_stream_connect, struct sock *sock, struct sock *other, struct sock *newsk,
	     int ret)
{
	if (ret || !bpf_core_field_exists(other->sk_cgrp_data))
		return ret;
	return verdict(bulkhead_unix_connect(other, BULKHEAD_HOOK_UNIX_STREAM_CONNECT));
}

SEC("lsm/unix_may_send")
int BPF_PROG(unix_may_send, struct socket *sock, struct socket *other, int ret)
{
	if (ret || !bpf_core_field_exists(other->sk))
		return ret;
	return verdict(bulkhead_unix_send(other, BULKHEAD_HOOK_UNIX_MAY_SEND));
}

SEC("lsm/socket_create")
int BPF_PROG(socket_create, int family, int type, int protocol, int kern, int ret)
{
	return ret ?: verdict(bulkhead_socket_create(family, type, protocol, kern,
						     BULKHEAD_HOOK_SOCKET_CREATE));
}

SEC("lsm/socket_connect")
int BPF_PROG(socket_connect, struct socket *sock, struct sockaddr *address, int addrlen,
	     int ret)
{
	if (ret || !bpf_core_field_exists(sock->sk) || !bpf_core_field_exists(address->sa_family))
		return ret;
	return verdict(bulkhead_socket_connect(sock, address, addrlen,
					       BULKHEAD_HOOK_SOCKET_CONNECT));
}

SEC("lsm/socket_sock_rcv_skb")
int BPF_PROG(socket_sock_rcv_skb, struct sock *sk, struct sk_buff *skb, int ret)
{
	if (ret || !bpf_core_field_exists(skb->skb_iif))
		return ret;
	return verdict(bulkhead_sock_receive(sk, skb, BULKHEAD_HOOK_SOCKET_SOCK_RCV_SKB));
}

/* System V IPC: objects get their creator's domain when allocated. */
static __always_inline int ipc_alloc(struct kern_ipc_perm *perm, __u32 hook)
{
	if (!bpf_core_field_exists(perm->key))
		return -EPERM;
	return verdict(bulkhead_ipc_alloc(perm, hook));
}

SEC("lsm/ipc_permission")
int BPF_PROG(ipc_permission, struct kern_ipc_perm *ipcp, short flag, int ret)
{
	if (ret || !bpf_core_field_exists(ipcp->key))
		return ret;
	return verdict(bulkhead_ipc_access(ipcp, flag, BULKHEAD_HOOK_IPC_PERMISSION));
}

SEC("lsm/shm_alloc_security")
int BPF_PROG(shm_alloc_security, struct kern_ipc_perm *perm, int ret)
{
	return ret ?: ipc_alloc(perm, BULKHEAD_HOOK_SHM_ALLOC_SECURITY);
}

SEC("lsm/msg_queue_alloc_security")
int BPF_PROG(msg_queue_alloc_security, struct kern_ipc_perm *perm, int ret)
{
	return ret ?: ipc_alloc(perm, BULKHEAD_HOOK_MSG_QUEUE_ALLOC_SECURITY);
}

SEC("lsm/sem_alloc_security")
int BPF_PROG(sem_alloc_security, struct kern_ipc_perm *perm, int ret)
{
	return ret ?: ipc_alloc(perm, BULKHEAD_HOOK_SEM_ALLOC_SECURITY);
}

/* The free hooks return nothing: the program's return value is ignored. */
SEC("lsm/shm_free_security")
int BPF_PROG(shm_free_security)
{
	bulkhead_ipc_free(arg_value(ctx, 0), BULKHEAD_HOOK_SHM_FREE_SECURITY);
	return 0;
}

SEC("lsm/msg_queue_free_security")
int BPF_PROG(msg_queue_free_security)
{
	bulkhead_ipc_free(arg_value(ctx, 0), BULKHEAD_HOOK_MSG_QUEUE_FREE_SECURITY);
	return 0;
}

SEC("lsm/sem_free_security")
int BPF_PROG(sem_free_security)
{
	bulkhead_ipc_free(arg_value(ctx, 0), BULKHEAD_HOOK_SEM_FREE_SECURITY);
	return 0;
}

/* The ctl hooks get a NULL object for IPC_INFO and the like; the module tests for it. */
SEC("lsm/shm_shmctl")
int BPF_PROG(shm_shmctl, struct kern_ipc_perm *perm, int cmd, int ret)
{
	return ret ?: verdict(bulkhead_ipc_ctl(perm, cmd, BULKHEAD_HOOK_SHM_SHMCTL));
}

SEC("lsm/msg_queue_msgctl")
int BPF_PROG(msg_queue_msgctl, struct kern_ipc_perm *perm, int cmd, int ret)
{
	return ret ?: verdict(bulkhead_ipc_ctl(perm, cmd, BULKHEAD_HOOK_MSG_QUEUE_MSGCTL));
}

SEC("lsm/sem_semctl")
int BPF_PROG(sem_semctl, struct kern_ipc_perm *perm, int cmd, int ret)
{
	return ret ?: verdict(bulkhead_ipc_ctl(perm, cmd, BULKHEAD_HOOK_SEM_SEMCTL));
}

/* Ways out of a domain that no flow opens: host only. */
SEC("lsm/bpf")
int BPF_PROG(bpf)
{
	/* No arguments read: 7.x added one (kernel) before the verdict (see perf_event_open). */
	return verdict(bulkhead_host_only(BULKHEAD_HOOK_BPF));
}

/* Firmware is read for a driver, whichever task triggered it; everything else is loaded. */
SEC("lsm/kernel_read_file")
int BPF_PROG(kernel_read_file, struct file *file, enum kernel_read_file_id id, bool contents,
	     int ret)
{
	if (ret || id == bpf_core_enum_value(enum kernel_read_file_id, READING_FIRMWARE))
		return ret;
	return verdict(bulkhead_host_only(BULKHEAD_HOOK_KERNEL_READ_FILE));
}

SEC("lsm/kernel_load_data")
int BPF_PROG(kernel_load_data, enum kernel_load_data_id id, bool contents, int ret)
{
	if (ret || id == bpf_core_enum_value(enum kernel_load_data_id, LOADING_FIRMWARE))
		return ret;
	return verdict(bulkhead_host_only(BULKHEAD_HOOK_KERNEL_LOAD_DATA));
}

SEC("lsm/sb_mount")
int BPF_PROG(sb_mount, const char *dev_name, const struct path *path, const char *type,
	     unsigned long flags, void *data, int ret)
{
	return ret ?: verdict(bulkhead_host_only(BULKHEAD_HOOK_SB_MOUNT));
}

SEC("lsm/move_mount")
int BPF_PROG(move_mount, const struct path *from_path, const struct path *to_path, int ret)
{
	return ret ?: verdict(bulkhead_host_only(BULKHEAD_HOOK_MOVE_MOUNT));
}

SEC("lsm/sb_pivotroot")
int BPF_PROG(sb_pivotroot, const struct path *old_path, const struct path *new_path, int ret)
{
	return ret ?: verdict(bulkhead_host_only(BULKHEAD_HOOK_SB_PIVOTROOT));
}

SEC("lsm/task_alloc")
int BPF_PROG(task_alloc, struct task_struct *task, unsigned long clone_flags, int ret)
{
	return ret ?: verdict(bulkhead_task_alloc(clone_flags, BULKHEAD_HOOK_TASK_ALLOC));
}

/*
 * Objects no path labels remember their creator's domain (the module keeps the table). The
 * field checks keep inode's and file's BTF (see dentry_write()).
 */
SEC("lsm/inode_alloc_security")
int BPF_PROG(inode_alloc_security, struct inode *inode, int ret)
{
	if (ret || !bpf_core_field_exists(inode->i_sb))
		return ret;
	return verdict(bulkhead_inode_created(inode, BULKHEAD_HOOK_INODE_ALLOC_SECURITY));
}

SEC("lsm/inode_free_security")
int BPF_PROG(inode_free_security)
{
	bulkhead_inode_freed(arg_value(ctx, 0), BULKHEAD_HOOK_INODE_FREE_SECURITY);
	return 0;
}

/*
 * 7.x refuses BPF-LSM programs on file_alloc_security, so this one attaches to the function
 * that calls the LSMs' hooks instead (fmod_ret may change a security_ function's return), on
 * every kernel. It runs before the LSMs: should one of them then refuse the file, the file is
 * freed without file_free_security, and the module forgets its entry when the address is
 * reused.
 */
SEC("fmod_ret/security_file_alloc")
int BPF_PROG(file_alloc_security)
{
	return verdict(bulkhead_file_created(arg_value(ctx, 0), BULKHEAD_HOOK_FILE_ALLOC_SECURITY));
}

SEC("lsm/file_free_security")
int BPF_PROG(file_free_security)
{
	bulkhead_file_freed(arg_value(ctx, 0), BULKHEAD_HOOK_FILE_FREE_SECURITY);
	return 0;
}

/* Reading a file's attributes, extended attributes or link target, or watching it. */
SEC("lsm/inode_getattr")
int BPF_PROG(inode_getattr, const struct path *path, int ret)
{
	return ret ?: verdict(bulkhead_path_read(path, BULKHEAD_HOOK_INODE_GETATTR));
}

/* 6.17+: file_getattr(2) and FS_IOC_FSGETXATTR read a file's attributes without an open. */
SEC("lsm/inode_file_getattr")
int BPF_PROG(inode_file_getattr, struct dentry *dentry)
{
	return verdict(bulkhead_dentry_read(dentry, BULKHEAD_HOOK_INODE_FILE_GETATTR));
}

/* 6.17+: file_setattr(2) and FS_IOC_FSSETXATTR change them (immutable, append-only, ...). */
SEC("lsm/inode_file_setattr")
int BPF_PROG(inode_file_setattr, struct dentry *dentry)
{
	return verdict(bulkhead_dentry_write(dentry, BULKHEAD_HOOK_INODE_FILE_SETATTR));
}

SEC("lsm/inode_getxattr")
int BPF_PROG(inode_getxattr, struct dentry *dentry, const char *name, int ret)
{
	return ret ?: verdict(bulkhead_dentry_read(dentry, BULKHEAD_HOOK_INODE_GETXATTR));
}

SEC("lsm/inode_listxattr")
int BPF_PROG(inode_listxattr, struct dentry *dentry, int ret)
{
	return ret ?: verdict(bulkhead_dentry_read(dentry, BULKHEAD_HOOK_INODE_LISTXATTR));
}

/*
 * Each step of a path lookup searches a directory, and its answer (ENOENT or not) tells
 * whether a name exists there. Only directories are asked about, and the module answers at
 * once for those not bound to a domain: this runs on every lookup.
 */
SEC("lsm/inode_permission")
int BPF_PROG(inode_permission, struct inode *inode, int mask, int ret)
{
	if (ret || !(mask & MAY_EXEC) || (inode->i_mode & S_IFMT) != S_IFDIR)
		return ret;
	return verdict(bulkhead_dir_search(inode, BULKHEAD_HOOK_INODE_PERMISSION));
}

SEC("lsm/inode_readlink")
int BPF_PROG(inode_readlink, struct dentry *dentry, int ret)
{
	return ret ?: verdict(bulkhead_dentry_read(dentry, BULKHEAD_HOOK_INODE_READLINK));
}

SEC("lsm/path_notify")
int BPF_PROG(path_notify, const struct path *path, __u64 mask, unsigned int obj_type, int ret)
{
	return ret ?: verdict(bulkhead_path_watch(path, mask, BULKHEAD_HOOK_PATH_NOTIFY));
}

SEC("lsm/file_lock")
int BPF_PROG(file_lock, struct file *file, unsigned int cmd, int ret)
{
	return ret ?: verdict(bulkhead_file_lock(file, cmd, BULKHEAD_HOOK_FILE_LOCK));
}

/* The field check keeps fown_struct's BTF (see dentry_write()). */
SEC("lsm/file_send_sigiotask")
int BPF_PROG(file_send_sigiotask, struct task_struct *tsk, struct fown_struct *fown, int sig,
	     int ret)
{
	if (ret || !bpf_core_field_exists(fown->pid))
		return ret;
	return verdict(bulkhead_sigio_deliver(tsk, fown, BULKHEAD_HOOK_FILE_SEND_SIGIOTASK));
}

/* What one task may change (1) or read (0) of another: the signal channel. */
static __always_inline int task_attr(struct task_struct *p, __u32 change, __u32 hook)
{
	return verdict(bulkhead_task_attr(p, change, hook));
}

SEC("lsm/task_setpgid")
int BPF_PROG(task_setpgid, struct task_struct *p, pid_t pgid, int ret)
{
	return ret ?: verdict(bulkhead_task_setpgid(p, pgid, BULKHEAD_HOOK_TASK_SETPGID));
}

SEC("lsm/task_getpgid")
int BPF_PROG(task_getpgid, struct task_struct *p, int ret)
{
	return ret ?: task_attr(p, 0, BULKHEAD_HOOK_TASK_GETPGID);
}

SEC("lsm/task_getsid")
int BPF_PROG(task_getsid, struct task_struct *p, int ret)
{
	return ret ?: task_attr(p, 0, BULKHEAD_HOOK_TASK_GETSID);
}

SEC("lsm/task_setnice")
int BPF_PROG(task_setnice, struct task_struct *p, int nice, int ret)
{
	return ret ?: task_attr(p, 1, BULKHEAD_HOOK_TASK_SETNICE);
}

SEC("lsm/task_setioprio")
int BPF_PROG(task_setioprio, struct task_struct *p, int ioprio, int ret)
{
	return ret ?: task_attr(p, 1, BULKHEAD_HOOK_TASK_SETIOPRIO);
}

SEC("lsm/task_getioprio")
int BPF_PROG(task_getioprio, struct task_struct *p, int ret)
{
	return ret ?: task_attr(p, 0, BULKHEAD_HOOK_TASK_GETIOPRIO);
}

/* The hook names the two tasks' credentials only; the module finds the target. */
SEC("lsm/task_prlimit")
int BPF_PROG(task_prlimit, const struct cred *cred, const struct cred *tcred,
	     unsigned int flags, int ret)
{
	return ret ?: verdict(bulkhead_task_prlimit(flags, BULKHEAD_HOOK_TASK_PRLIMIT));
}

SEC("lsm/task_setrlimit")
int BPF_PROG(task_setrlimit, struct task_struct *p, unsigned int resource,
	     struct rlimit *new_rlim, int ret)
{
	return ret ?: task_attr(p, 1, BULKHEAD_HOOK_TASK_SETRLIMIT);
}

SEC("lsm/task_setscheduler")
int BPF_PROG(task_setscheduler, struct task_struct *p, int ret)
{
	return ret ?: task_attr(p, 1, BULKHEAD_HOOK_TASK_SETSCHEDULER);
}

SEC("lsm/task_getscheduler")
int BPF_PROG(task_getscheduler, struct task_struct *p, int ret)
{
	return ret ?: task_attr(p, 0, BULKHEAD_HOOK_TASK_GETSCHEDULER);
}

SEC("lsm/task_movememory")
int BPF_PROG(task_movememory, struct task_struct *p, int ret)
{
	return ret ?: task_attr(p, 1, BULKHEAD_HOOK_TASK_MOVEMEMORY);
}

/* Capabilities over state all domains share are host's (the module keeps the list). */
SEC("lsm/capable")
int BPF_PROG(capable, const struct cred *cred, struct user_namespace *ns, int cap,
	     unsigned int opts, int ret)
{
	return ret ?: verdict(bulkhead_capable(cap, opts, BULKHEAD_HOOK_CAPABLE));
}

/* The kernel log (syslog(2), reading /dev/kmsg) shows every domain's messages. */
SEC("lsm/syslog")
int BPF_PROG(syslog, int type, int ret)
{
	return ret ?: verdict(bulkhead_host_only(BULKHEAD_HOOK_SYSLOG));
}

/*
 * Performance events sample other tasks and every CPU. The hook's arguments changed (6.x:
 * attr, type; 7.x: type), and the verifier refuses a read past a kernel's own list, so this
 * program reads none, not even the previous program's verdict after them: the trampoline
 * runs it only while that verdict is 0 (it skips the rest of the hook's programs at the first
 * non-zero one).
 */
SEC("lsm/perf_event_open")
int BPF_PROG(perf_event_open)
{
	return verdict(bulkhead_host_only(BULKHEAD_HOOK_PERF_EVENT_OPEN));
}

/* Every read and write: decided again when the policy changed since the open. */
SEC("lsm/file_permission")
int BPF_PROG(file_permission, struct file *file, int mask, int ret)
{
	return ret ?: verdict(bulkhead_file_rw(file, mask, BULKHEAD_HOOK_FILE_PERMISSION));
}

/* An ioctl acts on its file (or device) whatever the descriptor was opened for. */
SEC("lsm/file_ioctl")
int BPF_PROG(file_ioctl, struct file *file, unsigned int cmd, unsigned long arg, int ret)
{
	return ret ?: verdict(bulkhead_file_ioctl(file, cmd, BULKHEAD_HOOK_FILE_IOCTL));
}

/* 6.8 and later: a 32-bit task's ioctls; the loader leaves it out where the hook is absent. */
SEC("lsm/file_ioctl_compat")
int BPF_PROG(file_ioctl_compat, struct file *file, unsigned int cmd, unsigned long arg, int ret)
{
	return ret ?: verdict(bulkhead_file_ioctl(file, cmd, BULKHEAD_HOOK_FILE_IOCTL_COMPAT));
}

/* Keys carry their creator's domain; using one is the ipc channel. */
SEC("lsm/key_alloc")
int BPF_PROG(key_alloc, struct key *key, const struct cred *cred, unsigned long flags, int ret)
{
	if (ret || !bpf_core_field_exists(key->serial))
		return ret;
	return verdict(bulkhead_key_created(key, BULKHEAD_HOOK_KEY_ALLOC));
}

/*
 * key_ref_t points to a structure no kernel defines, and the verifier refuses to read such an
 * argument from the context; bpf_get_func_arg() hands it over as a number. The module only
 * compares it with the addresses of keys it knows, never follows it.
 */
SEC("lsm/key_permission")
int key_permission(unsigned long long *ctx)
{
	int need_perm = (int)ctx[2], ret = (int)ctx[3];
	__u64 key_ref;

	if (ret)
		return ret;
	if (bpf_get_func_arg(ctx, 0, &key_ref))
		return -EPERM;
	return verdict(bulkhead_key_access(key_ref, need_perm, BULKHEAD_HOOK_KEY_PERMISSION));
}
