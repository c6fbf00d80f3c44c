// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: kfuncs for System V IPC (shared memory, message queues, semaphores), the "ipc"
 * channel. An IPC object belongs to the domain its creator was in when creating it. The module's
 * table of object owners (owners.c) keeps it.
 */
#include <linux/bpf.h>
#include <linux/ipc.h>
#include <linux/msg.h>
#include <linux/sem.h>
#include <linux/shm.h>
#include <uapi/linux/shm.h>

#include "bulkhead.h"
#include "compat.h"
#include "policy.h"

/* Objects created before the module was loaded, or while no program ran, are host's. */
static u32 owner_domain(const struct kern_ipc_perm *perm)
{
	u32 domain = BULKHEAD_HOST_DOMAIN_ID;

	bulkhead_owner_get(perm, &domain);
	return domain;
}

__bpf_kfunc_start_defs();

/**
 * bulkhead_ipc_alloc() - remember the domain of the task creating IPC object @perm
 * @perm: the new object
 * @hook: the asking hook (shm_, msg_queue_, sem_alloc_security)
 *
 * Done in every mode, so that switching to enforce later knows every object's owner.
 *
 * Return: an enum bulkhead_verdict; creation fails with ENOMEM when the entry cannot be
 * allocated, since an unlabelled object would be host's.
 */
__bpf_kfunc u32 bulkhead_ipc_alloc(struct kern_ipc_perm *perm, u32 hook)
{
	bulkhead_kfunc_begin(hook);
	return bulkhead_remember_creator(perm, BULKHEAD_HOST_KEEP);
}

/**
 * bulkhead_ipc_free() - forget IPC object @perm
 * @perm: the address of the object being freed (a key only)
 * @hook: the asking hook (shm_, msg_queue_, sem_free_security)
 *
 * Return: BULKHEAD_VERDICT_ALLOW.
 */
__bpf_kfunc u32 bulkhead_ipc_free(u64 perm, u32 hook)
{
	bulkhead_kfunc_begin(hook);
	bulkhead_owner_forget((const void *)(unsigned long)perm);
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
