// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the LSM hooks served through BPF programs: names, call counters and whether the
 * loader's link for each hook is in place.
 */
#include <linux/fs_struct.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/percpu.h>
#include <linux/pid_namespace.h>
#include <linux/sched/task.h>

#include "bulkhead.h"
#include "compat.h"

static const char *const hook_names[] = BULKHEAD_HOOK_NAMES;

static_assert(ARRAY_SIZE(hook_names) == __BULKHEAD_HOOK_MAX);

struct hook_counters {
	u64 calls[__BULKHEAD_HOOK_MAX];
	u64 denials[__BULKHEAD_HOOK_MAX];
};

/* Per-CPU so that counting never bounces a cache line between CPUs. */
static DEFINE_PER_CPU(struct hook_counters, counters);

const char *bulkhead_hook_name(enum bulkhead_hook hook)
{
	return hook <= BULKHEAD_HOOK_MAX ? hook_names[hook] : "?";
}

void bulkhead_hook_count(enum bulkhead_hook hook)
{
	this_cpu_inc(counters.calls[hook]);
}

void bulkhead_hook_count_denial(enum bulkhead_hook hook)
{
	this_cpu_inc(counters.denials[hook]);
}

u64 bulkhead_hook_calls(enum bulkhead_hook hook)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(&counters, cpu)->calls[hook];
	return sum;
}

u64 bulkhead_hook_denials(enum bulkhead_hook hook)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(&counters, cpu)->denials[hook];
	return sum;
}

/*
 * The root of PID 1, the system's init, not of the idle task: from 6.19 the idle task keeps
 * the initial empty root (nullfs) and init moves to the real root file system.
 */
static int init_root(struct path *root)
{
	struct task_struct *init;
	int err = -ENOENT;

	rcu_read_lock();
	init = READ_ONCE(init_pid_ns.child_reaper);
	if (init)
		get_task_struct(init);
	rcu_read_unlock();
	if (!init)
		return err;
	task_lock(init);
	if (init->fs) {
		get_fs_root(init->fs, root);
		err = 0;
	}
	task_unlock(init);
	put_task_struct(init);
	return err;
}

/**
 * bulkhead_pin_lookup() - find @name under BULKHEAD_BPFFS_DIR
 * @name: a path relative to the pins directory, "" for the directory itself
 * @pin: the path found, to be released with path_put()
 *
 * The loader pins in the initial mount namespace; the lookup starts at init's root so that
 * the answer does not depend on the caller's namespace. May sleep.
 *
 * Return: 0, or the lookup's error.
 */
int bulkhead_pin_lookup(const char *name, struct path *pin)
{
	struct path root;
	char full[64];
	int err;

	if (snprintf(full, sizeof(full), "%s/%s", BULKHEAD_BPFFS_DIR + 1, name) >= sizeof(full))
		return -ENAMETOOLONG;
	err = init_root(&root);
	if (err)
		return err;
	err = vfs_path_lookup(root.dentry, root.mnt, full, 0, pin);
	path_put(&root);
	return err;
}

/**
 * bulkhead_hook_present() - tell whether this kernel has @hook
 * @hook: the hook to look up
 *
 * 6.2 gave POSIX ACLs hooks of their own; before, ACLs pass the xattr hooks. 6.8 (and the
 * stable kernels that took it) gave 32-bit ioctls file_ioctl_compat; before, they pass
 * file_ioctl. 6.17 gave file_getattr(2) and file_setattr(2) (and the FS_IOC_FS[GS]ETXATTR
 * ioctls) inode_file_getattr and inode_file_setattr. Status lists only the hooks present,
 * and lock waits only for those (the loader attaches only those).
 *
 * Return: true when the kernel has @hook.
 */
bool bulkhead_hook_present(enum bulkhead_hook hook)
{
	switch (hook) {
	case BULKHEAD_HOOK_INODE_GET_ACL:
	case BULKHEAD_HOOK_INODE_SET_ACL:
	case BULKHEAD_HOOK_INODE_REMOVE_ACL:
		return BULKHEAD_HAS_ACL_HOOKS;
	case BULKHEAD_HOOK_FILE_IOCTL_COMPAT:
		return BULKHEAD_HAS_IOCTL_COMPAT_HOOK;
	case BULKHEAD_HOOK_INODE_FILE_GETATTR:
	case BULKHEAD_HOOK_INODE_FILE_SETATTR:
		return BULKHEAD_HAS_FILE_ATTR_HOOKS;
	default:
		return true;
	}
}

/**
 * bulkhead_hook_attached() - tell whether @hook is in place
 * @hook: the hook to look up
 *
 * The module registers its netfilter hooks itself, for as long as it is loaded. For an LSM
 * hook, the loader's BPF link is pinned at BULKHEAD_BPFFS_DIR/links/NAME. May sleep.
 *
 * Return: true when the netfilter hook is registered or the pin exists.
 */
bool bulkhead_hook_attached(enum bulkhead_hook hook)
{
	struct path pin;
	char name[48];

	if (hook >= BULKHEAD_HOOK_NF_PRE_ROUTING && hook <= BULKHEAD_HOOK_NF_LOCAL_IN)
		return true;
	snprintf(name, sizeof(name), "links/%s", bulkhead_hook_name(hook));
	if (bulkhead_pin_lookup(name, &pin))
		return false;
	path_put(&pin);
	return true;
}
