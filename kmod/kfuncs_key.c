// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: kfuncs for keys and keyrings, the "ipc" channel. A key belongs to the domain of
 * the task that created it (owners.c): root in every domain is one uid, and the keyrings the
 * kernel keeps per uid (the user and user-session keyrings) would otherwise be one mailbox
 * shared by all domains. Reading, viewing or searching a key is a flow from its domain,
 * writing, linking, unlinking or changing it a flow to it.
 *
 * 6.12 has no key_free hook, so every key is remembered when created, host's included: an
 * entry left by a freed key is overwritten by the next key created at its address, and only
 * keys ask the table about their addresses.
 */
#include <linux/bpf.h>
#include <linux/key.h>

#include "bulkhead.h"
#include "compat.h"
#include "policy.h"

__bpf_kfunc_start_defs();

/**
 * bulkhead_key_created() - remember the domain of the task creating @key
 * @key: the new key or keyring
 * @hook: the asking hook (key_alloc)
 *
 * Return: an enum bulkhead_verdict; creation fails with ENOMEM when the entry cannot be
 * allocated.
 */
__bpf_kfunc u32 bulkhead_key_created(struct key *key, u32 hook)
{
	bulkhead_kfunc_begin(hook);
	return bulkhead_remember_creator(key, BULKHEAD_HOST_KEEP);
}

/**
 * bulkhead_key_access() - decide the current task's use of a key
 * @key_ref: the key, as the kernel refers to it (with the possession bit), as a number: it
 *	     is only compared with the addresses of known keys, never followed
 * @need: the permission asked for (enum key_need_perm)
 * @hook: the asking hook (key_permission)
 *
 * Return: an enum bulkhead_verdict; EACCES denies.
 */
__bpf_kfunc u32 bulkhead_key_access(u64 key_ref, u32 need, u32 hook)
{
	const struct bulkhead_policy *pol = bulkhead_kfunc_begin(hook);
	u32 owner = BULKHEAD_HOST_DOMAIN_ID, task;

	if (!pol)
		return BULKHEAD_VERDICT_ALLOW;
	bulkhead_owner_get(key_ref_to_ptr((key_ref_t)(unsigned long)key_ref), &owner);
	task = bulkhead_current_domain(pol);
	switch (need) {
	case KEY_DEFER_PERM_CHECK:
		/* A lookup that asks again with the permission it needs once it has the key. */
		return BULKHEAD_VERDICT_ALLOW;
	case KEY_NEED_UNSPECIFIED:
	case KEY_NEED_VIEW:
	case KEY_NEED_READ:
	case KEY_NEED_SEARCH:
		return bulkhead_decide(pol, hook, owner, task, BULKHEAD_CHAN_IPC,
				       BULKHEAD_VERDICT_EACCES);
	case KEY_NEED_WRITE:
	case KEY_NEED_LINK:
	case KEY_NEED_SETATTR:
	case KEY_NEED_UNLINK:
		return bulkhead_decide(pol, hook, task, owner, BULKHEAD_CHAN_IPC,
				       BULKHEAD_VERDICT_EACCES);
	}
	/* Anything else (the administrator and authorization-key overrides) goes both ways. */
	return bulkhead_decide_both_ways(pol, hook, task, owner, BULKHEAD_CHAN_IPC,
					 BULKHEAD_VERDICT_EACCES, NULL);
}

__bpf_kfunc_end_defs();
