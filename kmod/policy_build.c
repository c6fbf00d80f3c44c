// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: freeze a transaction into a policy - domain ids and grants, the flow matrix, the
 * binding tables the lookups probe, exclusive groups - and give it a generation and hash.
 *
 * Domains keep the id they had in the previous policy, so audit records of two generations
 * agree on ids; new domains take the lowest free ids.
 */
#include <linux/bitmap.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/netlink.h>

#include "bulkhead.h"
#include "txn.h"

static int cmp_domains(const void *a, const void *b)
{
	return strcmp(((const struct bulkhead_domain *)a)->name,
		      ((const struct bulkhead_domain *)b)->name);
}

static int cmp_groups(const void *a, const void *b)
{
	return strcmp(((const struct bulkhead_group *)a)->name,
		      ((const struct bulkhead_group *)b)->name);
}

/* Canonical binding order: by domain name, then kind, then target as written. */
static int cmp_bindings(const void *a, const void *b, const void *priv)
{
	const struct bulkhead_binding *x = *(struct bulkhead_binding * const *)a;
	const struct bulkhead_binding *y = *(struct bulkhead_binding * const *)b;
	const struct bulkhead_policy *pol = priv;
	int cmp;

	cmp = strcmp(bulkhead_domain_by_id(pol, x->domain)->name,
		     bulkhead_domain_by_id(pol, y->domain)->name);
	if (cmp)
		return cmp;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->target, y->target);
}

static u32 id_of(const struct bulkhead_policy *pol, const char *name)
{
	return bulkhead_domain_by_name(pol, name)->id;
}

static int build_domains(struct bulkhead_policy *pol, const struct bulkhead_txn *txn,
			 const struct bulkhead_policy *old)
{
	DECLARE_BITMAP(used, BULKHEAD_MAX_DOMAINS) = {};
	const struct bulkhead_domain *prev;
	struct txn_domain *td;
	u32 i = 0, id;
	int bkt;

	pol->domains = kvcalloc(txn->n_domains + bulkhead_exchange_boxes(txn),
				sizeof(*pol->domains), GFP_KERNEL_ACCOUNT);
	if (!pol->domains)
		return -ENOMEM;
	hash_for_each(txn->domains, bkt, td, node) {
		strscpy(pol->domains[i].name, td->name, BULKHEAD_NAME_LEN);
		pol->domains[i].caps = td->caps;
		pol->domains[i++].grant_flags = td->grant_flags;
	}
	bulkhead_exchange_name_boxes(txn, &pol->domains[i]);
	pol->n_domains = i + bulkhead_exchange_boxes(txn);
	sort(pol->domains, pol->n_domains, sizeof(*pol->domains), cmp_domains, NULL);

	/* host is 0; names of the previous policy keep their ids; the rest fill the gaps. */
	for (i = 0; i < pol->n_domains; i++) {
		struct bulkhead_domain *d = &pol->domains[i];

		prev = old ? bulkhead_domain_by_name(old, d->name) : NULL;
		if (!strcmp(d->name, BULKHEAD_HOST_DOMAIN))
			d->id = BULKHEAD_HOST_DOMAIN_ID;
		else if (prev)
			d->id = prev->id;
		else
			d->id = U32_MAX;
		if (d->id != U32_MAX)
			__set_bit(d->id, used);
	}
	for (i = 0; i < pol->n_domains; i++) {
		if (pol->domains[i].id != U32_MAX)
			continue;
		id = find_first_zero_bit(used, BULKHEAD_MAX_DOMAINS);
		__set_bit(id, used);
		pol->domains[i].id = id;
	}
	pol->id_limit = find_last_bit(used, BULKHEAD_MAX_DOMAINS) + 1;
	pol->domain_of_id = kvmalloc_array(pol->id_limit, sizeof(u32), GFP_KERNEL_ACCOUNT);
	if (!pol->domain_of_id)
		return -ENOMEM;
	memset(pol->domain_of_id, 0xff, pol->id_limit * sizeof(u32));
	for (i = 0; i < pol->n_domains; i++)
		pol->domain_of_id[pol->domains[i].id] = i;
	return 0;
}

static int build_flows(struct bulkhead_policy *pol, const struct bulkhead_txn *txn)
{
	struct txn_flow *f;
	int bkt;

	pol->flows = kvcalloc((size_t)pol->id_limit * pol->id_limit, sizeof(u16),
			      GFP_KERNEL_ACCOUNT);
	if (!pol->flows)
		return -ENOMEM;
	hash_for_each(txn->flows, bkt, f, node) {
		u16 entry = f->channels;

		if (f->flags & BULKHEAD_FLOW_F_AUDIT)
			entry |= BULKHEAD_FLOW_AUDIT_BIT;
		pol->flows[id_of(pol, f->from) * pol->id_limit + id_of(pol, f->to)] = entry;
		pol->n_flows++;
		cond_resched();	/* up to 100,000 of them; see txn_free() */
	}
	return 0;
}

static void index_binding(struct bulkhead_policy *pol, struct bulkhead_binding *b)
{
	switch (b->kind) {
	case BULKHEAD_BIND_PATH:
		hlist_add_head(&b->node, bulkhead_bucket(&pol->by_inode,
							 (unsigned long)d_inode(b->path.dentry)));
		break;
	case BULKHEAD_BIND_CGROUP:
		hlist_add_head(&b->node, bulkhead_bucket(&pol->by_cgroup, b->cgroup_id));
		break;
	default:
		hlist_add_head(&b->node, bulkhead_bucket(&pol->by_ifindex, b->ifindex));
		break;
	}
}

/* A table for @n bindings: about one a bucket, at least two buckets, at most 2^20. */
static int table_init(struct bulkhead_binding_table *t, u32 n)
{
	t->bits = clamp_t(u32, order_base_2(n), 1, BULKHEAD_TABLE_MAX_BITS);
	t->heads = kvcalloc(1U << t->bits, sizeof(*t->heads), GFP_KERNEL_ACCOUNT);
	return t->heads ? 0 : -ENOMEM;
}

static int build_bindings(struct bulkhead_policy *pol, const struct bulkhead_txn *txn)
{
	struct txn_binding *tb;
	u32 n = 0, kind, boxes;
	int bkt;

	for (kind = 0; kind <= BULKHEAD_BIND_MAX; kind++)
		n += txn->n_bindings[kind];
	/* Room for the exchanges' boxes (paths), bound once the exchanges are checked. */
	boxes = bulkhead_exchange_boxes(txn);
	n += boxes;
	pol->bindings = kvcalloc(n, sizeof(*pol->bindings), GFP_KERNEL_ACCOUNT);
	if ((n && !pol->bindings) ||
	    table_init(&pol->by_inode, txn->n_bindings[BULKHEAD_BIND_PATH] + boxes) ||
	    table_init(&pol->by_cgroup, txn->n_bindings[BULKHEAD_BIND_CGROUP]) ||
	    table_init(&pol->by_ifindex, txn->n_bindings[BULKHEAD_BIND_NETDEV]))
		return -ENOMEM;
	hash_for_each(txn->bindings, bkt, tb, node) {
		struct bulkhead_binding *b = kzalloc(sizeof(*b), GFP_KERNEL_ACCOUNT);

		if (!b)
			return -ENOMEM;
		b->target = kstrdup(tb->target, GFP_KERNEL_ACCOUNT);
		if (!b->target) {
			kfree(b);
			return -ENOMEM;
		}
		b->kind = tb->kind;
		b->domain = id_of(pol, tb->domain);
		b->path = tb->path;	/* the widest member of the key union */
		if (b->kind == BULKHEAD_BIND_PATH)
			path_get(&b->path);
		pol->bindings[pol->n_all_bindings++] = b;
		pol->n_bindings[b->kind]++;
		index_binding(pol, b);
		cond_resched();	/* up to 100,000 of them; see txn_free() */
	}
	return 0;
}

static int bind_box(struct bulkhead_policy *pol, u32 domain, const char *target,
		    const struct path *path)
{
	struct bulkhead_binding *b = kzalloc(sizeof(*b), GFP_KERNEL_ACCOUNT);

	if (!b)
		return -ENOMEM;
	b->target = kstrdup(target, GFP_KERNEL_ACCOUNT);
	if (!b->target) {
		kfree(b);
		return -ENOMEM;
	}
	b->kind = BULKHEAD_BIND_PATH;
	b->domain = domain;
	b->path = *path;
	path_get(&b->path);
	pol->bindings[pol->n_all_bindings++] = b;
	pol->n_bindings[b->kind]++;
	index_binding(pol, b);
	return 0;
}

static void box_flow(struct bulkhead_policy *pol, u32 from, u32 to)
{
	pol->flows[from * pol->id_limit + to] = BULKHEAD_CHAN_FILE;
}

/*
 * What each exchange adds: its boxes bound to their directories, and the only flows that
 * reach them - FROM -> outbox <-> GUARD <-> inbox -> TO (exchange.c).
 */
static int build_boxes(struct bulkhead_policy *pol)
{
	u32 i;
	int err;

	for (i = 0; i < pol->n_exchanges; i++) {
		const struct bulkhead_exchange *e = &pol->exchanges[i];

		err = bind_box(pol, e->outbox, e->spec.outbox, &e->outbox_path) ?:
		      bind_box(pol, e->inbox, e->spec.inbox, &e->inbox_path);
		if (err)
			return err;
		box_flow(pol, e->from, e->outbox);
		box_flow(pol, e->outbox, e->guard);
		box_flow(pol, e->guard, e->outbox);
		box_flow(pol, e->guard, e->inbox);
		box_flow(pol, e->inbox, e->guard);
		box_flow(pol, e->inbox, e->to);
	}
	sort_r(pol->bindings, pol->n_all_bindings, sizeof(*pol->bindings), cmp_bindings, NULL,
	       pol);
	return 0;
}

/* The member active in @old's group of the same name, if it is still a member. */
static u32 carried_active(const struct bulkhead_group *g, const struct bulkhead_policy *old,
			  const struct bulkhead_policy *pol)
{
	const struct bulkhead_domain *d;
	u32 i, j;

	for (i = 0; old && i < old->n_groups; i++) {
		const struct bulkhead_group *og = &old->groups[i];

		if (strcmp(og->name, g->name))
			continue;
		d = bulkhead_domain_by_id(old, og->members[READ_ONCE(og->active)]);
		for (j = 0; d && j < g->n_members; j++)
			if (!strcmp(bulkhead_domain_by_id(pol, g->members[j])->name, d->name))
				return j;
	}
	return 0;
}

static int build_groups(struct bulkhead_policy *pol, const struct bulkhead_txn *txn,
			const struct bulkhead_policy *old, struct netlink_ext_ack *extack)
{
	struct txn_group *tg;
	u32 i = 0, j;
	int bkt;

	pol->group_of_id = kvmalloc_array(pol->id_limit, sizeof(u32), GFP_KERNEL_ACCOUNT);
	pol->groups = kvcalloc(txn->n_groups, sizeof(*pol->groups), GFP_KERNEL_ACCOUNT);
	if (!pol->group_of_id || (txn->n_groups && !pol->groups))
		return -ENOMEM;
	memset(pol->group_of_id, 0xff, pol->id_limit * sizeof(u32));
	hash_for_each(txn->groups, bkt, tg, node) {
		struct bulkhead_group *g = &pol->groups[i++];

		strscpy(g->name, tg->name, sizeof(g->name));
		g->n_members = tg->n_members;
		for (j = 0; j < tg->n_members; j++)
			g->members[j] = id_of(pol, tg->members[j]);
	}
	pol->n_groups = i;
	sort(pol->groups, pol->n_groups, sizeof(*pol->groups), cmp_groups, NULL);
	for (i = 0; i < pol->n_groups; i++) {
		struct bulkhead_group *g = &pol->groups[i];

		for (j = 0; j < g->n_members; j++) {
			/* Added one by one, members were checked; a copy may still collide. */
			if (pol->group_of_id[g->members[j]] != U32_MAX) {
				NL_SET_ERR_MSG(extack, "a domain is in two exclusive groups");
				return -EINVAL;
			}
			pol->group_of_id[g->members[j]] = i;
		}
		g->active = carried_active(g, old, pol);
	}
	return 0;
}

static void release_partial(struct bulkhead_policy *pol)
{
	kref_init(&pol->ref);
	bulkhead_policy_put(pol);
}

struct bulkhead_policy *bulkhead_policy_build(const struct bulkhead_txn *txn,
					      const struct bulkhead_policy *old,
					      struct netlink_ext_ack *extack)
{
	struct bulkhead_policy *pol;
	int err;

	pol = kvzalloc(sizeof(*pol), GFP_KERNEL_ACCOUNT);
	if (!pol)
		return ERR_PTR(-ENOMEM);
	err = build_domains(pol, txn, old);
	if (!err)
		err = build_flows(pol, txn);
	if (!err)
		err = build_bindings(pol, txn);
	if (!err)
		err = build_groups(pol, txn, old, extack);
	/* Checked before their boxes are in: where their directories are without them. */
	if (!err)
		err = bulkhead_exchange_check(pol, txn, extack);
	if (!err)
		err = bulkhead_exchange_build(pol, txn);
	if (!err)
		err = build_boxes(pol);
	if (err) {
		if (err == -ENOMEM)
			NL_SET_ERR_MSG(extack, "out of memory building the policy");
		release_partial(pol);
		return ERR_PTR(err);
	}
	pol->generation = old ? old->generation + 1 : 0;
	bulkhead_canon_hash(pol, pol->hash);
	kref_init(&pol->ref);
	return pol;
}
