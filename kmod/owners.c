// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the domain each kernel object was created in, for the objects whose domain is
 * not given by a binding: System V IPC objects, the inodes of the kernel's internal
 * filesystems (pipes, memfds, per-object anonymous inodes) and the files on the one shared
 * anonymous inode (eventfd, timerfd, signalfd, epoll, ...). BPF-LSM gives programs no storage
 * on these objects, so the module keeps one table from object address to domain, filled by
 * the allocation hooks and emptied by the free hooks. Addresses are only compared, never
 * followed.
 */
#include <linux/rhashtable.h>
#include <linux/slab.h>

#include "bulkhead.h"
#include "policy.h"

struct owner {
	struct rhash_head node;
	const void *object;
	u32 domain;
	struct rcu_head rcu;
};

static const struct rhashtable_params owner_params = {
	.key_len = sizeof(const void *),
	.key_offset = offsetof(struct owner, object),
	.head_offset = offsetof(struct owner, node),
	.automatic_shrinking = true,
};

static struct rhashtable owners;

/**
 * bulkhead_owner_set() - remember that @object belongs to @domain
 * @object: the object's address
 * @domain: its creator's domain
 *
 * Callable from any hook (atomic allocation). A free hook that did not run (programs detached
 * meanwhile) leaves an entry that the next object at the same address overwrites.
 *
 * Return: 0, or -ENOMEM: the caller fails the creation, since an object nobody remembers
 * would be host's.
 */
int bulkhead_owner_set(const void *object, u32 domain)
{
	struct owner *o, *old;

	o = kmalloc(sizeof(*o), GFP_ATOMIC);
	if (!o)
		return -ENOMEM;
	o->object = object;
	o->domain = domain;
	old = rhashtable_lookup_get_insert_fast(&owners, &o->node, owner_params);
	if (IS_ERR(old)) {
		kfree(o);
		return -ENOMEM;
	}
	if (old) {
		WRITE_ONCE(old->domain, domain);
		kfree(o);
	}
	return 0;
}

/**
 * bulkhead_owner_get() - the domain @object was created in
 * @object: the object's address
 * @domain: set to the domain when known
 *
 * Under rcu_read_lock().
 *
 * Return: true when the object is in the table.
 */
bool bulkhead_owner_get(const void *object, u32 *domain)
{
	struct owner *o;

	if (!atomic_read(&owners.nelems))
		return false;
	o = rhashtable_lookup(&owners, &object, owner_params);
	if (o)
		*domain = READ_ONCE(o->domain);
	return o;
}

/* Forget @object, which is being freed. Under rcu_read_lock(). */
void bulkhead_owner_forget(const void *object)
{
	struct owner *o;

	/* Most freed objects were never remembered: skip the lookup while nothing is. */
	if (!atomic_read(&owners.nelems))
		return;
	o = rhashtable_lookup(&owners, &object, owner_params);
	if (o && !rhashtable_remove_fast(&owners, &o->node, owner_params))
		kfree_rcu(o, rcu);
}

/**
 * bulkhead_owners_retire() - take their objects away from domains that are gone
 * @gone: bitmap of BULKHEAD_MAX_DOMAINS domain ids that a new policy deleted or gave to
 *	  another domain
 *
 * Ids are reused: without this a new domain would inherit the pipes, keys and IPC objects of
 * a deleted one that had its id. They go to BULKHEAD_RETIRED_DOMAIN_ID, which no task is in
 * and no flow names, so no domain can use them any more (host neither, in enforce mode).
 * Called after the new policy is published and no hook uses the old one; may sleep.
 */
void bulkhead_owners_retire(const unsigned long *gone)
{
	struct rhashtable_iter iter;
	struct owner *o;

	rhashtable_walk_enter(&owners, &iter);
	rhashtable_walk_start(&iter);
	while ((o = rhashtable_walk_next(&iter))) {
		if (IS_ERR(o))
			continue;	/* -EAGAIN: the table was resized; the walk goes on */
		if (o->domain < BULKHEAD_MAX_DOMAINS && test_bit(o->domain, gone))
			WRITE_ONCE(o->domain, BULKHEAD_RETIRED_DOMAIN_ID);
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
}

int bulkhead_owners_init(void)
{
	return rhashtable_init(&owners, &owner_params);
}

static void owner_free(void *ptr, void *arg)
{
	kfree(ptr);
}

/* After the programs are gone: nothing reads or writes the table any more. */
void bulkhead_owners_exit(void)
{
	rhashtable_free_and_destroy(&owners, owner_free, NULL);
}
