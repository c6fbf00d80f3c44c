// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the active policy and the lookups the hooks make in it.
 *
 * Each lookup costs O(1) (flows, netdevs) or O(depth) hash probes (cgroup ancestors, dentry
 * ancestors), whatever the policy's size, and neither sleeps nor takes a lock.
 */
#include <linux/cgroup.h>
#include <linux/dcache.h>
#include <linux/netdevice.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "audit.h"
#include "bulkhead.h"
#include "policy.h"

struct bulkhead_policy __rcu *bulkhead_active_policy;

bool bulkhead_name_valid(const char *name)
{
	size_t len = strlen(name);
	size_t i;

	if (!len || len >= BULKHEAD_NAME_LEN)
		return false;
	/* Byte by byte: the kernel's islower() accepts some bytes above 0x7f. */
	for (i = 0; i < len; i++)
		if (!bulkhead_name_byte_ok(name[i]))
			return false;
	return true;
}

const char *bulkhead_binding_kind_name(u32 kind)
{
	static const char *const names[] = {
		[BULKHEAD_BIND_CGROUP] = "cgroup",
		[BULKHEAD_BIND_PATH] = "path",
		[BULKHEAD_BIND_NETDEV] = "netdev",
	};

	return kind <= BULKHEAD_BIND_MAX ? names[kind] : "?";
}

/**
 * bulkhead_policy_get_active() - take a reference on the active policy
 *
 * For readers that outlive an RCU read section, such as dumps. Hooks use
 * rcu_dereference(bulkhead_active_policy) instead.
 *
 * Return: the active policy, to be released with bulkhead_policy_put().
 */
struct bulkhead_policy *bulkhead_policy_get_active(void)
{
	struct bulkhead_policy *pol;

	/* A replaced policy loses its last reference only after a grace period. */
	rcu_read_lock();
	pol = rcu_dereference(bulkhead_active_policy);
	kref_get(&pol->ref);
	rcu_read_unlock();
	return pol;
}

static void policy_free(struct kref *ref)
{
	struct bulkhead_policy *pol = container_of(ref, struct bulkhead_policy, ref);
	u32 i;

	for (i = 0; i < pol->n_exchanges; i++) {
		path_put(&pol->exchanges[i].outbox_path);
		path_put(&pol->exchanges[i].inbox_path);
		bulkhead_exchange_spec_free(&pol->exchanges[i].spec);
	}
	kvfree(pol->exchanges);

	for (i = 0; i < pol->n_all_bindings; i++) {
		struct bulkhead_binding *b = pol->bindings[i];

		if (b->kind == BULKHEAD_BIND_PATH)
			path_put(&b->path);
		kfree(b->target);
		kfree(b);
		cond_resched();	/* up to 100,000 of them; see txn_free() */
	}
	kvfree(pol->bindings);
	kvfree(pol->by_inode.heads);
	kvfree(pol->by_cgroup.heads);
	kvfree(pol->by_ifindex.heads);
	kvfree(pol->domains);
	kvfree(pol->domain_of_id);
	kvfree(pol->flows);
	kvfree(pol->groups);
	kvfree(pol->group_of_id);
	kvfree(pol);
}

/* Drop a reference; the last one frees, so callers must be able to sleep (path_put). */
void bulkhead_policy_put(struct bulkhead_policy *pol)
{
	might_sleep();
	kref_put(&pol->ref, policy_free);
}

const struct bulkhead_domain *bulkhead_domain_by_id(const struct bulkhead_policy *pol, u32 id)
{
	if (id >= pol->id_limit || pol->domain_of_id[id] == U32_MAX)
		return NULL;
	return &pol->domains[pol->domain_of_id[id]];
}

const struct bulkhead_domain *bulkhead_domain_by_name(const struct bulkhead_policy *pol,
						      const char *name)
{
	u32 lo = 0, hi = pol->n_domains;

	/* domains[] is sorted by name. */
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		int cmp = strcmp(name, pol->domains[mid].name);

		if (!cmp)
			return &pol->domains[mid];
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* The domain of the tasks in @cgrp: that of its nearest bound ancestor, or host. */
u32 bulkhead_cgroup_domain(const struct bulkhead_policy *pol, struct cgroup *cgrp)
{
	struct bulkhead_binding *b;

	if (!pol->n_bindings[BULKHEAD_BIND_CGROUP])
		return BULKHEAD_HOST_DOMAIN_ID;
	for (; cgrp; cgrp = cgroup_parent(cgrp)) {
		u64 id = cgroup_id(cgrp);

		hlist_for_each_entry(b, bulkhead_bucket(&pol->by_cgroup, id), node)
			if (b->cgroup_id == id)
				return b->domain;
	}
	return BULKHEAD_HOST_DOMAIN_ID;
}

u32 bulkhead_task_domain(const struct bulkhead_policy *pol, struct task_struct *task)
{
	return bulkhead_cgroup_domain(pol, task_dfl_cgroup(task));
}

/*
 * The domain of the task that created socket @sk: sockets remember their creator's cgroup
 * v2 (sk_cgrp_data), and keep it when handed to another process.
 */
u32 bulkhead_sock_domain(const struct bulkhead_policy *pol, struct sock *sk)
{
	return bulkhead_cgroup_domain(pol, sock_cgroup_ptr(&sk->sk_cgrp_data));
}

static struct bulkhead_binding *inode_binding(const struct bulkhead_policy *pol,
					      const struct inode *inode)
{
	struct bulkhead_binding *b;

	hlist_for_each_entry(b, bulkhead_bucket(&pol->by_inode, (unsigned long)inode), node)
		if (d_inode(b->path.dentry) == inode)
			return b;
	return NULL;
}

/**
 * bulkhead_inode_bound() - tell whether a path binding labels @inode itself
 * @pol: the policy in force, under rcu_read_lock()
 * @inode: the inode
 * @domain: set to the domain it is bound to
 *
 * Return: true when @inode is the inode of a bound path.
 */
bool bulkhead_inode_bound(const struct bulkhead_policy *pol, const struct inode *inode,
			  u32 *domain)
{
	struct bulkhead_binding *b;

	if (!pol->n_bindings[BULKHEAD_BIND_PATH])
		return false;
	b = inode_binding(pol, inode);
	if (b)
		*domain = b->domain;
	return b;
}

/*
 * The domain of the file at @dentry: that of its nearest labelled ancestor within its
 * filesystem, or host. Labels sit on inodes, so every name of a hard-linked file and every
 * mount showing a subtree (bind mounts, /proc/PID/root) leads to the same answer. The walk
 * runs under RCU and restarts if a rename moved anything meanwhile, as d_path() does.
 *
 * A walk that ends at a root other than its filesystem's (a dentry decoded from a file
 * handle and not yet connected to its parents) cannot tell: @detached is set, for the
 * caller to fail closed.
 *
 * In interrupt context (a file's SIGIO sent by a driver) the rename in progress may be the
 * interrupted task's own: the walk is made once, without waiting for it.
 */
u32 bulkhead_dentry_domain_walk(const struct bulkhead_policy *pol, struct dentry *dentry,
				bool *detached)
{
	bool irq = in_interrupt();
	struct bulkhead_binding *b;
	struct dentry *d, *parent;
	struct inode *inode;
	unsigned int seq = 0;
	u32 domain;

	*detached = false;
	if (!pol->n_bindings[BULKHEAD_BIND_PATH])
		return BULKHEAD_HOST_DOMAIN_ID;
	do {
		if (!irq)
			seq = read_seqbegin(&rename_lock);
		domain = BULKHEAD_HOST_DOMAIN_ID;
		*detached = false;
		for (d = dentry;; d = parent) {
			inode = d_inode_rcu(d);
			b = inode ? inode_binding(pol, inode) : NULL;
			if (b) {
				domain = b->domain;
				break;
			}
			parent = READ_ONCE(d->d_parent);
			if (parent == d) {
				*detached = d != d->d_sb->s_root;
				break;
			}
		}
	} while (!irq && read_seqretry(&rename_lock, seq));
	return domain;
}

u32 bulkhead_dentry_domain(const struct bulkhead_policy *pol, struct dentry *dentry)
{
	bool detached = false;

	return bulkhead_dentry_domain_walk(pol, dentry, &detached);
}

u32 bulkhead_netdev_domain(const struct bulkhead_policy *pol, int ifindex)
{
	struct bulkhead_binding *b;

	hlist_for_each_entry(b, bulkhead_bucket(&pol->by_ifindex, ifindex), node)
		if (b->ifindex == ifindex)
			return b->domain;
	return BULKHEAD_HOST_DOMAIN_ID;
}

/*
 * The domain of @dev's packets. Bindings name devices of the initial network namespace;
 * devices elsewhere (other namespaces' loopback and veth ends) are in host.
 */
u32 bulkhead_dev_domain(const struct bulkhead_policy *pol, const struct net_device *dev)
{
	if (!dev || !net_eq(dev_net(dev), &init_net))
		return BULKHEAD_HOST_DOMAIN_ID;
	return bulkhead_netdev_domain(pol, dev->ifindex);
}

/**
 * bulkhead_flow() - what flows from domain @from to domain @to
 * @pol: policy to decide with
 * @from: source domain id
 * @to: destination domain id
 *
 * Return: the BULKHEAD_CHAN_* bits open from @from to @to - all of them within one domain -
 * with BULKHEAD_FLOW_AUDIT_BIT when the flow was declared with "audit" (its allowed
 * operations recorded); 0 for no flow.
 */
u32 bulkhead_flow(const struct bulkhead_policy *pol, u32 from, u32 to)
{
	if (from == to)
		return BULKHEAD_CHAN_ALL;
	if (from >= pol->id_limit || to >= pol->id_limit)
		return 0;
	return pol->flows[from * pol->id_limit + to];
}

int bulkhead_group_switch(const char *group, const char *member,
			  struct netlink_ext_ack *extack)
{
	struct bulkhead_policy *pol;
	const struct bulkhead_domain *d;
	u32 i, j;

	pol = rcu_dereference_protected(bulkhead_active_policy,
					lockdep_is_held(&bulkhead_policy_lock));
	for (i = 0; i < pol->n_groups; i++) {
		if (strcmp(pol->groups[i].name, group))
			continue;
		d = bulkhead_domain_by_name(pol, member);
		for (j = 0; d && j < pol->groups[i].n_members; j++) {
			if (pol->groups[i].members[j] == d->id) {
				const struct bulkhead_domain *old = bulkhead_domain_by_id(pol,
					pol->groups[i].members[pol->groups[i].active]);

				WRITE_ONCE(pol->groups[i].active, j);
				bulkhead_epoch_bump();
				bulkhead_audit_switch(group, old ? old->name : "?", member);
				return 0;
			}
		}
		NL_SET_ERR_MSG(extack, "the domain is not a member of this exclusive group");
		return -ENOENT;
	}
	NL_SET_ERR_MSG(extack, "no such exclusive group in the active policy");
	return -ENOENT;
}

int bulkhead_policy_init(void)
{
	struct bulkhead_policy *pol;
	u64 base;
	int err;

	/* The initial policy is an empty transaction committed: host alone, generation 0. */
	mutex_lock(&bulkhead_policy_lock);
	err = bulkhead_txn_begin(0, false, &base, NULL);
	if (!err)
		err = bulkhead_txn_commit(NULL, &pol, NULL);
	mutex_unlock(&bulkhead_policy_lock);
	return err;
}

void bulkhead_policy_exit(void)
{
	struct bulkhead_policy *pol;

	pol = rcu_replace_pointer(bulkhead_active_policy, NULL, true);
	synchronize_rcu();
	if (pol)
		bulkhead_policy_put(pol);
}
