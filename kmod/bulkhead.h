/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead: declarations shared between the module's files.
 */
#ifndef _BULKHEAD_H
#define _BULKHEAD_H

#include <linux/types.h>
#include <net/netlink.h>
#include <uapi/linux/bulkhead.h>

#define BULKHEAD_MODULE_VERSION "0.1.0"

/* mode.c: the global decision mode */
enum bulkhead_mode bulkhead_mode_get(void);
void bulkhead_mode_set(enum bulkhead_mode mode);
u64 bulkhead_epoch(void);
void bulkhead_epoch_bump(void);
const char *bulkhead_mode_name(enum bulkhead_mode mode);

/* canon.c: names of the policy language (NULL for a value without one) */
const char *bulkhead_channel_name(u32 channel);
const char *bulkhead_cap_name(u32 cap);

/* hooks.c: the table of LSM hooks served through BPF, with call counters */
const char *bulkhead_hook_name(enum bulkhead_hook hook);
void bulkhead_hook_count(enum bulkhead_hook hook);
void bulkhead_hook_count_denial(enum bulkhead_hook hook);
u64 bulkhead_hook_calls(enum bulkhead_hook hook);
u64 bulkhead_hook_denials(enum bulkhead_hook hook);
bool bulkhead_hook_present(enum bulkhead_hook hook);
bool bulkhead_hook_attached(enum bulkhead_hook hook);
struct path;
int bulkhead_pin_lookup(const char *name, struct path *pin);

/* kfuncs.c: the functions BPF programs call (declared here only for the checkers) */
struct dentry;
struct file;
struct linux_binprm;
struct task_struct;
struct vm_area_struct;
int bulkhead_kfuncs_register(void);
u32 bulkhead_file_access(struct file *file, u32 hook);
u32 bulkhead_file_exec(struct file *file, u32 hook);
u32 bulkhead_bprm_exec(struct linux_binprm *bprm, u32 hook);
u32 bulkhead_vma_exec(struct vm_area_struct *vma, u32 hook);
u32 bulkhead_dentry_write(struct dentry *dentry, u32 hook);
u32 bulkhead_dentry_move(struct dentry *from, struct dentry *to, u32 hook);
u32 bulkhead_path_write(const struct path *path, u32 hook);
u32 bulkhead_inode_setattr(u64 dentry_addr, u32 hook);
u32 bulkhead_dir_search(struct inode *dir, u32 hook);
u32 bulkhead_task_signal(struct task_struct *target, u32 not_from_task, u32 hook);
u32 bulkhead_task_trace(struct task_struct *other, u32 hook);
u32 bulkhead_file_fcntl(struct file *file, u32 cmd, u64 arg, u32 hook);
u32 bulkhead_dentry_read(struct dentry *dentry, u32 hook);
u32 bulkhead_path_read(const struct path *path, u32 hook);
u32 bulkhead_path_watch(const struct path *path, u64 mask, u32 hook);
u32 bulkhead_file_lock(struct file *file, u32 type, u32 hook);

/* rw.c: reads and writes decided again after the policy changed */
int bulkhead_rw_init(void);
void bulkhead_rw_exit(void);
u32 bulkhead_file_rw(struct file *file, u32 mask, u32 hook);
u32 bulkhead_file_ioctl(struct file *file, u32 cmd, u32 hook);

/* kfuncs_object.c */
struct inode;
/* What bulkhead_remember_creator() does with an object a host task creates. */
enum bulkhead_host_object {
	BULKHEAD_HOST_SKIP,	/* nothing: an object nobody remembers is host's */
	BULKHEAD_HOST_FORGET,	/* drop what an object freed unseen at its address left */
	BULKHEAD_HOST_KEEP,	/* remember it as host's, over any such entry */
};

u32 bulkhead_remember_creator(const void *object, enum bulkhead_host_object host);
u32 bulkhead_inode_created(struct inode *inode, u32 hook);
u32 bulkhead_inode_freed(u64 inode, u32 hook);
u32 bulkhead_file_created(u64 file, u32 hook);
u32 bulkhead_file_freed(u64 file, u32 hook);

/* kfuncs_key.c */
struct key;
u32 bulkhead_key_created(struct key *key, u32 hook);
u32 bulkhead_key_access(u64 key_ref, u32 need, u32 hook);

/* kfuncs_task.c */
struct fown_struct;
u32 bulkhead_task_attr(struct task_struct *other, u32 change, u32 hook);
u32 bulkhead_task_setpgid(struct task_struct *p, int pgid, u32 hook);
u32 bulkhead_task_prlimit(u32 flags, u32 hook);
u32 bulkhead_sigio_deliver(struct task_struct *tsk, struct fown_struct *fown, u32 hook);

/* kfuncs_net.c */
struct sk_buff;
struct sock;
struct sockaddr;
struct socket;
u32 bulkhead_unix_connect(struct sock *other, u32 hook);
u32 bulkhead_unix_send(struct socket *other, u32 hook);
u32 bulkhead_socket_create(u32 family, u32 type, u32 protocol, u32 kern, u32 hook);
u32 bulkhead_socket_connect(struct socket *sock, struct sockaddr *addr, int len, u32 hook);
u32 bulkhead_sock_receive(struct sock *sk, struct sk_buff *skb, u32 hook);

/* owners.c: the domain each unlabelled object was created in */
int bulkhead_owners_init(void);
void bulkhead_owners_exit(void);
int bulkhead_owner_set(const void *object, u32 domain);
bool bulkhead_owner_get(const void *object, u32 *domain);
void bulkhead_owner_forget(const void *object);
void bulkhead_owners_retire(const unsigned long *gone);
/* The owner of objects whose domain was deleted: in no flow, so nobody's. */
#define BULKHEAD_RETIRED_DOMAIN_ID	U32_MAX

/* kfuncs_ipc.c: System V IPC */
struct kern_ipc_perm;
u32 bulkhead_ipc_alloc(struct kern_ipc_perm *perm, u32 hook);
u32 bulkhead_ipc_free(u64 perm, u32 hook);
u32 bulkhead_ipc_access(struct kern_ipc_perm *perm, u32 flag, u32 hook);
u32 bulkhead_ipc_ctl(struct kern_ipc_perm *perm, int cmd, u32 hook);

/* kfuncs_escape.c */
u32 bulkhead_host_only(u32 hook);
u32 bulkhead_task_alloc(u64 clone_flags, u32 hook);
u32 bulkhead_capable(u32 cap, u32 opts, u32 hook);

/* netfilter.c: the packet-path hooks, in every network namespace */
int bulkhead_netfilter_register(void);
void bulkhead_netfilter_unregister(void);

/* netlink.c: the generic netlink family */
struct genl_info;
struct netlink_callback;
extern struct genl_family bulkhead_family;
int bulkhead_netlink_register(void);
void bulkhead_netlink_unregister(void);
void bulkhead_nl_notify(u8 cmd);

/* Attribute types bulkhead_nl_no_duplicates() tells apart: every set's fit (static_asserts). */
#define BULKHEAD_NL_TYPES	64
struct nlattr;
struct netlink_ext_ack;
int bulkhead_nl_no_duplicates(const struct nlattr *head, int len, u64 repeatable,
			      struct netlink_ext_ack *extack);

/* selftest.c: the self-tests, at load and on request */
u32 bulkhead_selftest_run(void);
void bulkhead_selftest_last(u32 *failed, u64 *time_ns);

/* lock.c: "bulkhead lock", until reboot */
bool bulkhead_locked(void);
bool bulkhead_lock_protects(struct dentry *dentry);
struct vfsmount *bulkhead_lock_mount(void);

#endif /* _BULKHEAD_H */
