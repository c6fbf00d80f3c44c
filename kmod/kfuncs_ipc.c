// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: kfuncs for System V IPC (shared memory, message queues, semaphores), the "ipc"
 * channel. An IPC object belongs to the domain its creator was in when creating it. BPF-LSM
 * gives programs no storage on IPC objects, so the module keeps its own table from object to
 * domain, filled by the allocation hooks and emptied by the free hooks.
 */
#include <linux/bpf.h>
#include <linux/ipc.h>
#include <linux/msg.h>
#include <linux/rhashtable.h>
#include <linux/sem.h>
#include <linux/shm.h>
#include <linux/slab.h>
#include <uapi/linux/shm.h>

#include "bulkhead.h"
#include "compat.h"
#include "policy.h"

struct ipc_owner {
	struct rhash_head node;
	const struct kern_ipc_perm *perm;	/* the object; only compared, never followed */
	u32 domain;
	struct rcu_head rcu;
};

static const struct rhashtable_params owner_params = {
	.key_len = sizeof(const struct kern_ipc_perm *),
	.key_offset = offsetof(struct ipc_owner, perm),
	.head_offset = offsetof(struct ipc_owner, node),
	.automatic_shrinking = true,
};

static struct rhashtable owners;

/* Objects created before the module was loaded, or while no program ran, are host's. */
static u32 owner_domain(const struct kern_ipc_perm *perm)
{
	struct ipc_owner *o = rhashtable_lookup(&owners, &perm, owner_params);

	return o ? READ_ONCE(o->domain) : BULKHEAD_HOST_DOMAIN_ID;
}

__bpf_kfunc_start_defs();

/**
 * bulkhead_ipc_alloc() - remember the domain of the task creating IPC object @perm
 * @perm: the new object
 * @hook: the asking hook (shm_, msg_queue_, sem_alloc_security)
 *
 * Done in every mode, so that switching to enforce later knows every object's owner. A free
 * hook that did not run (programs detached meanwhile) leaves an entry that the next object at
 * the same address overwrites.
 *
 * Return: an enum bulkhead_verdict; creation fails with ENOMEM when the entry cannot be
 * allocated, since an unlabelled object would be host's.
 */
__bpf_kfunc u32 bulkhead_ipc_alloc(struct kern_ipc_perm *perm, u32 hook)
{
	struct bulkhead_policy *pol = rcu_dereference(bulkhead_active_policy);
	struct ipc_owner *o, *old;

	bulkhead_kfunc_begin(hook);
	o = kmalloc(sizeof(*o), GFP_ATOMIC);
	if (!o)
		return BULKHEAD_VERDICT_ENOMEM;
	o->perm = perm;
	o->domain = bulkhead_current_domain(pol);
	old = rhashtable_lookup_get_insert_fast(&owners, &o->node, owner_params);
	if (IS_ERR(old)) {
		kfree(o);
		return BULKHEAD_VERDICT_ENOMEM;
	}
	if (old) {
		WRITE_ONCE(old->domain, o->domain);
		kfree(o);
	}
	return BULKHEAD_VERDICT_ALLOW;
}

/**
 * bulkhead_ipc_free() - forget IPC object @perm
 * @perm: the object being freed
 * @hook: the asking hook (shm_, msg_queue_, sem_free_security)
 *
 * Return: BULKHEAD_VERDICT_ALLOW.
 */
__bpf_kfunc u32 bulkhead_ipc_free(struct kern_ipc_perm *perm, u32 hook)
{
	struct ipc_owner *o;

	bulkhead_kfunc_begin(hook);
	o = rhashtable_lookup(&owners, &perm, owner_params);
	if (o && !rhashtable_remove_fast(&owners, &o->node, owner_params))
		kfree_rcu(o, rcu);
	return BULKHEAD_VERDICT_ALLOW;
}

/**
 * bulkhead_ipc_access() - decide access to IPC object @perm
 * @perm: the object
 * @flag: the permission bits asked for (S_IRUGO to read, S_IWUGO to alter)
 * @hook: the asking hook (ipc_permission)
 *
 * Every shmat, msgsnd, msgrcv, semop and lookup of an existing key asks this.
 *
 * Return: an enum bulkhead_verdict.
 */
__bpf_kfunc u32 bulkhead_ipc_access(struct kern_ipc_perm *perm, u32 flag, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);
	u32 task, obj, v = BULKHEAD_VERDICT_ALLOW;

	if (!pol)
		return v;
	task = bulkhead_current_domain(pol);
	obj = owner_domain(perm);
	if (flag & 0444)
		v = bulkhead_decide(pol, hook, obj, task, BULKHEAD_CHAN_IPC,
				    BULKHEAD_VERDICT_EACCES);
	if (v == BULKHEAD_VERDICT_ALLOW && (flag & 0222))
		v = bulkhead_decide(pol, hook, task, obj, BULKHEAD_CHAN_IPC,
				    BULKHEAD_VERDICT_EACCES);
	return v;
}

/* The control commands that change an object; all others read it. */
static bool ctl_writes(u32 hook, int cmd)
{
	if (cmd == IPC_RMID || cmd == IPC_SET)
		return true;
	if (hook == BULKHEAD_HOOK_SHM_SHMCTL)
		return cmd == SHM_LOCK || cmd == SHM_UNLOCK;
	if (hook == BULKHEAD_HOOK_SEM_SEMCTL)
		return cmd == SETVAL || cmd == SETALL;
	return false;
}

/**
 * bulkhead_ipc_ctl() - decide a shmctl, msgctl or semctl command on @perm
 * @perm: the object, or NULL for the commands about the whole namespace (IPC_INFO)
 * @cmd: the command
 * @hook: the asking hook (shm_shmctl, msg_queue_msgctl, sem_semctl)
 *
 * Return: an enum bulkhead_verdict.
 */
__bpf_kfunc u32 bulkhead_ipc_ctl(struct kern_ipc_perm *perm, int cmd, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);
	u32 task, obj;

	if (!pol || !perm)
		return BULKHEAD_VERDICT_ALLOW;
	task = bulkhead_current_domain(pol);
	obj = owner_domain(perm);
	if (ctl_writes(hook, cmd))
		return bulkhead_decide(pol, hook, task, obj, BULKHEAD_CHAN_IPC,
				       BULKHEAD_VERDICT_EACCES);
	return bulkhead_decide(pol, hook, obj, task, BULKHEAD_CHAN_IPC, BULKHEAD_VERDICT_EACCES);
}

__bpf_kfunc_end_defs();

int bulkhead_ipc_init(void)
{
	return rhashtable_init(&owners, &owner_params);
}

static void owner_free(void *ptr, void *arg)
{
	kfree(ptr);
}

/* After the programs are gone: nothing reads or writes the table any more. */
void bulkhead_ipc_exit(void)
{
	rhashtable_free_and_destroy(&owners, owner_free, NULL);
}
