// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the policy transaction. BEGIN opens it (empty or as a copy of the active policy),
 * ADD and DEL change it object by object, COMMIT freezes and publishes it (policy_build.c),
 * ABORT or the owner's socket closing throws it away. At most one is open.
 *
 * Every reference is checked when it is added, so an error can point at the attribute that
 * caused it: a binding, flow or grant must name a domain already in the transaction, and a
 * domain still named by something cannot be deleted.
 */
#include <linux/cgroup.h>
#include <linux/jhash.h>
#include <linux/namei.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "bulkhead.h"
#include "nl_gen.h"
#include "txn.h"

/*
 * Serializes transactions, commits, switches and mode changes. The generic netlink family is
 * not parallel_ops, so genl_mutex serializes its commands already; this lock is what the
 * policy relies on (a CLI command and the socket-release notifier can race under it), and
 * every entry point asserts it. A commit's synchronize_rcu() (retiring the old policy's
 * objects) runs under both: one commit at a time is the design, not an accident.
 */
DEFINE_MUTEX(bulkhead_policy_lock);

static struct bulkhead_txn *open_txn;

static u32 name_hash(const char *name)
{
	return jhash(name, strlen(name), 0);
}

struct txn_domain *txn_find_domain(const struct bulkhead_txn *txn, const char *name)
{
	struct txn_domain *d;

	hash_for_each_possible(txn->domains, d, node, name_hash(name))
		if (!strcmp(d->name, name))
			return d;
	return NULL;
}

static u64 binding_key(u32 kind, const struct txn_binding *b)
{
	switch (kind) {
	case BULKHEAD_BIND_PATH:
		return (unsigned long)d_inode(b->path.dentry);
	case BULKHEAD_BIND_CGROUP:
		return b->cgroup_id;
	default:
		return b->ifindex;
	}
}

static bool same_binding(const struct txn_binding *a, const struct txn_binding *b)
{
	return a->kind == b->kind && binding_key(a->kind, a) == binding_key(b->kind, b);
}

static u32 binding_hash(const struct txn_binding *b)
{
	return jhash_2words(b->kind, (u32)hash_64(binding_key(b->kind, b), 32), 0);
}

static u32 flow_hash(const char *from, const char *to)
{
	return jhash(to, strlen(to), name_hash(from));
}

static struct txn_flow *find_flow(const struct bulkhead_txn *txn, const char *from,
				  const char *to)
{
	struct txn_flow *f;

	hash_for_each_possible(txn->flows, f, node, flow_hash(from, to))
		if (!strcmp(f->from, from) && !strcmp(f->to, to))
			return f;
	return NULL;
}

static struct txn_group *find_group(const struct bulkhead_txn *txn, const char *name)
{
	struct txn_group *g;

	hash_for_each_possible(txn->groups, g, node, name_hash(name))
		if (!strcmp(g->name, name))
			return g;
	return NULL;
}

static void binding_release(struct txn_binding *b)
{
	if (b->kind == BULKHEAD_BIND_PATH)
		path_put(&b->path);
	kfree(b->target);
	kfree(b);
}

/*
 * Frees up to 100,000 bindings and as many flows: the loops let others run (on a debug kernel a
 * transaction's free alone took longer than the soft-lockup watchdog's 20 s). Every caller
 * may sleep.
 */
void txn_free(struct bulkhead_txn *txn)
{
	struct hlist_node *tmp;
	struct txn_binding *b;
	struct txn_domain *d;
	struct txn_flow *f;
	struct txn_group *g;
	int bkt;

	hash_for_each_safe(txn->bindings, bkt, tmp, b, node) {
		binding_release(b);
		cond_resched();
	}
	hash_for_each_safe(txn->domains, bkt, tmp, d, node)
		kfree(d);
	hash_for_each_safe(txn->flows, bkt, tmp, f, node) {
		kfree(f);
		cond_resched();
	}
	hash_for_each_safe(txn->groups, bkt, tmp, g, node)
		kfree(g);
	txn_free_exchanges(txn);
	kvfree(txn);
}

/* A name from a validated attribute: check its characters and that it names a domain. */
struct txn_domain *txn_domain_ref(struct bulkhead_txn *txn, const struct nlattr *attr,
				  struct netlink_ext_ack *extack)
{
	struct txn_domain *d;

	if (!attr) {
		NL_SET_ERR_MSG(extack, "a domain name is missing");
		return ERR_PTR(-EINVAL);
	}
	d = txn_find_domain(txn, nla_data(attr));
	if (!d) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "no such domain in this transaction");
		return ERR_PTR(-ENOENT);
	}
	return d;
}

static_assert(BULKHEAD_A_OBJ_MAX < BULKHEAD_NL_TYPES);	/* and repeatable ones a u64 mask */

/* A kind of object: its policy, generated from the spec (nl_gen.c), and its repeated attribute. */
struct obj_kind {
	const struct nla_policy *policy;
	int maxtype;
	u64 repeatable;			/* BIT_ULL(type) */
};

static const struct obj_kind domain_kind = {
	.policy = bulkhead_domain_nl_policy,
	.maxtype = ARRAY_SIZE(bulkhead_domain_nl_policy) - 1,
};

static const struct obj_kind binding_kind = {
	.policy = bulkhead_binding_nl_policy,
	.maxtype = ARRAY_SIZE(bulkhead_binding_nl_policy) - 1,
};

static const struct obj_kind flow_kind = {
	.policy = bulkhead_flow_nl_policy,
	.maxtype = ARRAY_SIZE(bulkhead_flow_nl_policy) - 1,
};

static const struct obj_kind group_kind = {
	.policy = bulkhead_group_nl_policy,
	.maxtype = ARRAY_SIZE(bulkhead_group_nl_policy) - 1,
	.repeatable = BIT_ULL(BULKHEAD_A_GROUP_MEMBER),
};

static const struct obj_kind grant_kind = {
	.policy = bulkhead_grant_nl_policy,
	.maxtype = ARRAY_SIZE(bulkhead_grant_nl_policy) - 1,
};

/*
 * Parse object nest @obj with @policy into @tb, which has room for every object attribute (the
 * kind's policy fills only its own), refusing what only dumps carry and duplicates but of
 * @repeatable.
 */
int txn_parse_object(const struct nlattr *obj, const struct nla_policy *policy, int maxtype,
		     u64 repeatable, struct nlattr **tb, struct netlink_ext_ack *extack)
{
	int err;

	memset(tb, 0, sizeof(*tb) * (BULKHEAD_A_OBJ_MAX + 1));
	err = nla_parse_nested(tb, maxtype, obj, policy, extack);
	if (err)
		return err;
	/* The spec gives dumps and requests one nest per kind; what dumps add is theirs only. */
	if (tb[BULKHEAD_A_OBJ_ID] || tb[BULKHEAD_A_GROUP_ACTIVE]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[BULKHEAD_A_OBJ_ID] ?: tb[BULKHEAD_A_GROUP_ACTIVE],
				    "only dumps carry this attribute");
		return -EINVAL;
	}
	return bulkhead_nl_no_duplicates(nla_data(obj), nla_len(obj), repeatable, extack);
}

static int parse_object(const struct nlattr *obj, const struct obj_kind *kind, struct nlattr **tb,
			struct netlink_ext_ack *extack)
{
	return txn_parse_object(obj, kind->policy, kind->maxtype, kind->repeatable, tb, extack);
}

/* A required attribute of object nest @obj: 0, or -EINVAL with @msg pointing at the nest. */
#define need(tb, type, obj, msg, extack) ({				\
	int __err = 0;							\
									\
	if (!(tb)[type]) {						\
		NL_SET_ERR_MSG_ATTR(extack, obj, msg);			\
		__err = -EINVAL;					\
	}								\
	__err;								\
})

/* Parse a domain or group nest and return its checked name (in @tb's attribute). */
static const char *parse_named_object(const struct nlattr *obj, const struct obj_kind *kind,
				      struct nlattr **tb, struct netlink_ext_ack *extack)
{
	const char *name;
	int err;

	err = parse_object(obj, kind, tb, extack);
	if (!err)
		err = need(tb, BULKHEAD_A_OBJ_NAME, obj, "the object needs a name", extack);
	if (err)
		return ERR_PTR(err);
	name = nla_data(tb[BULKHEAD_A_OBJ_NAME]);
	if (!bulkhead_name_valid(name)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[BULKHEAD_A_OBJ_NAME],
				    "a name is 1 to 31 characters from a-z 0-9 _ -");
		return ERR_PTR(-EINVAL);
	}
	return name;
}

static int add_domain(struct bulkhead_txn *txn, const struct nlattr *obj,
		      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[BULKHEAD_A_OBJ_MAX + 1];
	const char *name;

	name = parse_named_object(obj, &domain_kind, tb, extack);
	if (IS_ERR(name))
		return PTR_ERR(name);
	if (txn_find_domain(txn, name)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[BULKHEAD_A_OBJ_NAME], "domain already exists");
		return -EEXIST;
	}
	/* An exchange's outbox and inbox are domains too. */
	if (txn->n_domains + 2 * txn->n_exchanges >= BULKHEAD_MAX_DOMAINS) {
		NL_SET_ERR_MSG_ATTR(extack, obj,
				    "too many domains (limit BULKHEAD_MAX_DOMAINS, an exchange's boxes included)");
		return -E2BIG;
	}
	return PTR_ERR_OR_ZERO(txn_put_domain(txn, name));
}

/* Resolve a binding's target to the object it labels; fills @b's key. */
static int resolve_binding(struct txn_binding *b, const struct nlattr *target,
			   struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	struct cgroup *cgrp;
	int err;

	switch (b->kind) {
	case BULKHEAD_BIND_PATH:
		if (b->target[0] != '/') {
			NL_SET_ERR_MSG_ATTR(extack, target, "a bound path must be absolute");
			return -EINVAL;
		}
		err = kern_path(b->target, LOOKUP_FOLLOW, &b->path);
		if (err)
			NL_SET_ERR_MSG_ATTR(extack, target, "the bound path does not resolve");
		return err;
	case BULKHEAD_BIND_CGROUP:
		cgrp = cgroup_get_from_path(b->target);
		if (IS_ERR(cgrp)) {
			NL_SET_ERR_MSG_ATTR(extack, target,
					    "no such cgroup (paths are relative to the cgroup2 root)");
			return PTR_ERR(cgrp);
		}
		b->cgroup_id = cgroup_id(cgrp);
		cgroup_put(cgrp);
		return 0;
	default:
		dev = dev_get_by_name(&init_net, b->target);
		if (!dev) {
			NL_SET_ERR_MSG_ATTR(extack, target,
					    "no such network interface in the initial namespace");
			return -ENODEV;
		}
		b->ifindex = dev->ifindex;
		dev_put(dev);
		return 0;
	}
}

static struct txn_binding *find_binding(const struct bulkhead_txn *txn,
					const struct txn_binding *key)
{
	struct txn_binding *b;

	hash_for_each_possible(txn->bindings, b, node, binding_hash(key))
		if (same_binding(b, key))
			return b;
	return NULL;
}

static const u32 binding_limits[] = {
	[BULKHEAD_BIND_CGROUP] = BULKHEAD_MAX_CGROUP_BINDINGS,
	[BULKHEAD_BIND_PATH] = BULKHEAD_MAX_PATH_BINDINGS,
	[BULKHEAD_BIND_NETDEV] = BULKHEAD_MAX_NETDEV_BINDINGS,
};

/* Parse a binding nest into a new txn_binding with its target resolved. */
static struct txn_binding *parse_binding(const struct nlattr *obj, struct nlattr **tb,
					 struct netlink_ext_ack *extack)
{
	struct txn_binding *b;
	int err;

	err = parse_object(obj, &binding_kind, tb, extack);
	if (!err)
		err = need(tb, BULKHEAD_A_BINDING_KIND, obj, "a binding needs a kind", extack);
	if (!err)
		err = need(tb, BULKHEAD_A_BINDING_TARGET, obj, "a binding needs a target", extack);
	if (err)
		return ERR_PTR(err);
	b = kzalloc(sizeof(*b), GFP_KERNEL_ACCOUNT);
	if (!b)
		return ERR_PTR(-ENOMEM);
	b->kind = nla_get_u32(tb[BULKHEAD_A_BINDING_KIND]);
	b->target = kstrdup(nla_data(tb[BULKHEAD_A_BINDING_TARGET]), GFP_KERNEL_ACCOUNT);
	if (!b->target) {
		kfree(b);
		return ERR_PTR(-ENOMEM);
	}
	err = resolve_binding(b, tb[BULKHEAD_A_BINDING_TARGET], extack);
	if (err) {
		kfree(b->target);
		kfree(b);
		return ERR_PTR(err);
	}
	return b;
}

static int add_binding(struct bulkhead_txn *txn, const struct nlattr *obj,
		       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[BULKHEAD_A_OBJ_MAX + 1];
	struct txn_domain *d;
	struct txn_binding *b;

	b = parse_binding(obj, tb, extack);
	if (IS_ERR(b))
		return PTR_ERR(b);
	d = txn_domain_ref(txn, tb[BULKHEAD_A_BINDING_DOMAIN], extack);
	if (IS_ERR(d)) {
		binding_release(b);
		return PTR_ERR(d);
	}
	if (find_binding(txn, b)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[BULKHEAD_A_BINDING_TARGET],
				    "this object is already bound (unbind it first)");
		binding_release(b);
		return -EEXIST;
	}
	if (txn->n_bindings[b->kind] >= binding_limits[b->kind]) {
		NL_SET_ERR_MSG_ATTR(extack, obj, "too many bindings of this kind (see the limits)");
		binding_release(b);
		return -E2BIG;
	}
	strscpy(b->domain, d->name, sizeof(b->domain));
	d->users++;
	hash_add(txn->bindings, &b->node, binding_hash(b));
	txn->n_bindings[b->kind]++;
	return 0;
}

static int add_flow(struct bulkhead_txn *txn, const struct nlattr *obj,
		    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[BULKHEAD_A_OBJ_MAX + 1];
	struct txn_domain *from, *to;
	int err;

	err = parse_object(obj, &flow_kind, tb, extack);
	if (!err)
		err = need(tb, BULKHEAD_A_FLOW_CHANNELS, obj, "a flow needs channels", extack);
	if (err)
		return err;
	from = txn_domain_ref(txn, tb[BULKHEAD_A_FLOW_FROM], extack);
	if (IS_ERR(from))
		return PTR_ERR(from);
	to = txn_domain_ref(txn, tb[BULKHEAD_A_FLOW_TO], extack);
	if (IS_ERR(to))
		return PTR_ERR(to);
	if (from == to) {
		NL_SET_ERR_MSG_ATTR(extack, obj, "everything flows within a domain already");
		return -EINVAL;
	}
	if (!nla_get_u32(tb[BULKHEAD_A_FLOW_CHANNELS])) {
		NL_SET_ERR_MSG_ATTR(extack, tb[BULKHEAD_A_FLOW_CHANNELS],
				    "a flow needs at least one channel");
		return -EINVAL;
	}
	if (find_flow(txn, from->name, to->name)) {
		NL_SET_ERR_MSG_ATTR(extack, obj, "this flow already exists (delete it first)");
		return -EEXIST;
	}
	if (txn->n_flows >= BULKHEAD_MAX_FLOWS) {
		NL_SET_ERR_MSG_ATTR(extack, obj, "too many flows (limit BULKHEAD_MAX_FLOWS)");
		return -E2BIG;
	}
	return txn_put_flow(txn, from, to, nla_get_u32(tb[BULKHEAD_A_FLOW_CHANNELS]),
			    tb[BULKHEAD_A_FLOW_FLAGS] ? nla_get_u32(tb[BULKHEAD_A_FLOW_FLAGS]) : 0);
}

/* A checked flow into the transaction: from add_flow(), or the self-test's built-in policy. */
int txn_put_flow(struct bulkhead_txn *txn, struct txn_domain *from, struct txn_domain *to,
		 u32 channels, u32 flags)
{
	struct txn_flow *f;

	f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
	if (!f)
		return -ENOMEM;
	strscpy(f->from, from->name, sizeof(f->from));
	strscpy(f->to, to->name, sizeof(f->to));
	f->channels = channels;
	f->flags = flags;
	from->users++;
	to->users++;
	hash_add(txn->flows, &f->node, flow_hash(f->from, f->to));
	txn->n_flows++;
	return 0;
}

/* A grant is part of its domain, kept apart from it so that one can change without the other. */
static int add_grant(struct bulkhead_txn *txn, const struct nlattr *obj,
		     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[BULKHEAD_A_OBJ_MAX + 1];
	struct txn_domain *d;
	int err;

	err = parse_object(obj, &grant_kind, tb, extack);
	if (!err)
		err = need(tb, BULKHEAD_A_GRANT_CAPS, obj, "a grant needs capabilities", extack);
	if (err)
		return err;
	d = txn_domain_ref(txn, tb[BULKHEAD_A_GRANT_DOMAIN], extack);
	if (IS_ERR(d))
		return PTR_ERR(d);
	if (!strcmp(d->name, BULKHEAD_HOST_DOMAIN)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[BULKHEAD_A_GRANT_DOMAIN],
				    "host holds every capability already");
		return -EINVAL;
	}
	if (!nla_get_u64(tb[BULKHEAD_A_GRANT_CAPS])) {
		NL_SET_ERR_MSG_ATTR(extack, tb[BULKHEAD_A_GRANT_CAPS],
				    "a grant needs at least one capability");
		return -EINVAL;
	}
	if (nla_get_u64(tb[BULKHEAD_A_GRANT_CAPS]) & ~BULKHEAD_GRANTABLE_CAPS) {
		NL_SET_ERR_MSG_ATTR(extack, tb[BULKHEAD_A_GRANT_CAPS],
				    "only capabilities domains lose can be granted (BULKHEAD_GRANTABLE_CAPS)");
		return -EINVAL;
	}
	if (d->caps) {
		NL_SET_ERR_MSG_ATTR(extack, obj,
				    "the domain has a grant already (delete it first)");
		return -EEXIST;
	}
	d->caps = nla_get_u64(tb[BULKHEAD_A_GRANT_CAPS]);
	d->grant_flags = tb[BULKHEAD_A_GRANT_FLAGS] ? nla_get_u32(tb[BULKHEAD_A_GRANT_FLAGS]) : 0;
	d->users++;
	return 0;
}

static bool domain_in_some_group(const struct bulkhead_txn *txn, const char *name)
{
	struct txn_group *g;
	u32 i;
	int bkt;

	hash_for_each(txn->groups, bkt, g, node)
		for (i = 0; i < g->n_members; i++)
			if (!strcmp(g->members[i], name))
				return true;
	return false;
}

static int add_group_members(struct bulkhead_txn *txn, struct txn_group *g,
			     const struct nlattr *obj, struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	struct txn_domain *d;
	int rem;
	u32 i;

	nla_for_each_nested(a, obj, rem) {
		if (nla_type(a) != BULKHEAD_A_GROUP_MEMBER)
			continue;
		/*
		 * ynl-gen-c (6.12) writes NLA_STRING, not NLA_NUL_STRING, for a repeated string:
		 * its length is checked, its terminating NUL is not.
		 */
		if (!nla_len(a) || ((const char *)nla_data(a))[nla_len(a) - 1]) {
			NL_SET_ERR_MSG_ATTR(extack, a, "a member name must end with a NUL byte");
			return -EINVAL;
		}
		d = txn_domain_ref(txn, a, extack);
		if (IS_ERR(d))
			return PTR_ERR(d);
		if (g->n_members == BULKHEAD_MAX_GROUP_MEMBERS) {
			NL_SET_ERR_MSG_ATTR(extack, a, "too many members in one exclusive group");
			return -E2BIG;
		}
		for (i = 0; i < g->n_members; i++)
			if (!strcmp(g->members[i], d->name)) {
				NL_SET_ERR_MSG_ATTR(extack, a, "a domain is listed twice");
				return -EINVAL;
			}
		if (!strcmp(d->name, BULKHEAD_HOST_DOMAIN) ||
		    domain_in_some_group(txn, d->name)) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "host, or a domain already in an exclusive group, cannot join one");
			return -EINVAL;
		}
		strscpy(g->members[g->n_members++], d->name, BULKHEAD_NAME_LEN);
	}
	if (g->n_members < 2) {
		NL_SET_ERR_MSG_ATTR(extack, obj, "an exclusive group needs at least two members");
		return -EINVAL;
	}
	return 0;
}

static int add_group(struct bulkhead_txn *txn, const struct nlattr *obj,
		     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[BULKHEAD_A_OBJ_MAX + 1];
	struct txn_group *g;
	const char *name;
	u32 i;
	int err;

	name = parse_named_object(obj, &group_kind, tb, extack);
	if (IS_ERR(name))
		return PTR_ERR(name);
	if (find_group(txn, name)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[BULKHEAD_A_OBJ_NAME], "group already exists");
		return -EEXIST;
	}
	if (txn->n_groups >= BULKHEAD_MAX_GROUPS) {
		NL_SET_ERR_MSG_ATTR(extack, obj, "too many exclusive groups");
		return -E2BIG;
	}
	g = kzalloc(sizeof(*g), GFP_KERNEL_ACCOUNT);
	if (!g)
		return -ENOMEM;
	strscpy(g->name, name, sizeof(g->name));
	err = add_group_members(txn, g, obj, extack);
	if (err) {
		kfree(g);
		return err;
	}
	for (i = 0; i < g->n_members; i++)
		txn_find_domain(txn, g->members[i])->users++;
	hash_add(txn->groups, &g->node, name_hash(name));
	txn->n_groups++;
	return 0;
}

void txn_drop_user(struct bulkhead_txn *txn, const char *name)
{
	struct txn_domain *d = txn_find_domain(txn, name);

	if (d)
		d->users--;
}

static int del_domain(struct bulkhead_txn *txn, const struct nlattr *obj,
		      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[BULKHEAD_A_OBJ_MAX + 1];
	struct txn_domain *d;
	int err;

	err = parse_object(obj, &domain_kind, tb, extack);
	if (err)
		return err;
	d = txn_domain_ref(txn, tb[BULKHEAD_A_OBJ_NAME], extack);
	if (IS_ERR(d))
		return PTR_ERR(d);
	/* Everything not bound elsewhere is host's (id 0): a policy without it means nothing. */
	if (!strcmp(d->name, BULKHEAD_HOST_DOMAIN)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[BULKHEAD_A_OBJ_NAME],
				    "the host domain always exists and cannot be deleted");
		return -EPERM;
	}
	if (d->users) {
		NL_SET_ERR_MSG_ATTR(extack, tb[BULKHEAD_A_OBJ_NAME],
				    "the domain still has bindings, flows, a group, a grant or an exchange");
		return -EBUSY;
	}
	hash_del(&d->node);
	kfree(d);
	txn->n_domains--;
	return 0;
}

static int del_binding(struct bulkhead_txn *txn, const struct nlattr *obj,
		       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[BULKHEAD_A_OBJ_MAX + 1];
	struct netlink_ext_ack resolving = {};
	struct txn_binding *key, *b = NULL;
	struct hlist_node *tmp;
	int bkt, err;

	/* Malformed (a duplicate attribute, say) is refused before any fallback, as in TXN_ADD. */
	err = parse_object(obj, &binding_kind, tb, extack);
	if (err)
		return err;
	/* A target that no longer resolves is no error here: the fallback below finds it. */
	key = parse_binding(obj, tb, &resolving);
	if (!IS_ERR(key)) {
		b = find_binding(txn, key);
		binding_release(key);
	} else if (tb[BULKHEAD_A_BINDING_TARGET] && tb[BULKHEAD_A_BINDING_KIND]) {
		/* The target no longer resolves: find the binding by what was written. */
		hash_for_each_safe(txn->bindings, bkt, tmp, b, node)
			if (b->kind == nla_get_u32(tb[BULKHEAD_A_BINDING_KIND]) &&
			    !strcmp(b->target, nla_data(tb[BULKHEAD_A_BINDING_TARGET])))
				break;
	}
	if (!b) {
		NL_SET_ERR_MSG_ATTR(extack, obj, "no such binding in this transaction");
		return -ENOENT;
	}
	hash_del(&b->node);
	txn_drop_user(txn, b->domain);
	txn->n_bindings[b->kind]--;
	binding_release(b);
	return 0;
}

static int del_flow(struct bulkhead_txn *txn, const struct nlattr *obj,
		    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[BULKHEAD_A_OBJ_MAX + 1];
	struct txn_flow *f;
	int err;

	err = parse_object(obj, &flow_kind, tb, extack);
	if (!err)
		err = need(tb, BULKHEAD_A_FLOW_FROM, obj, "a flow needs FROM", extack);
	if (!err)
		err = need(tb, BULKHEAD_A_FLOW_TO, obj, "a flow needs TO", extack);
	if (err)
		return err;
	f = find_flow(txn, nla_data(tb[BULKHEAD_A_FLOW_FROM]), nla_data(tb[BULKHEAD_A_FLOW_TO]));
	if (!f) {
		NL_SET_ERR_MSG_ATTR(extack, obj, "no such flow in this transaction");
		return -ENOENT;
	}
	hash_del(&f->node);
	txn_drop_user(txn, f->from);
	txn_drop_user(txn, f->to);
	txn->n_flows--;
	kfree(f);
	return 0;
}

static int del_group(struct bulkhead_txn *txn, const struct nlattr *obj,
		     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[BULKHEAD_A_OBJ_MAX + 1];
	struct txn_group *g;
	u32 i;
	int err;

	err = parse_object(obj, &group_kind, tb, extack);
	if (!err)
		err = need(tb, BULKHEAD_A_OBJ_NAME, obj, "a group needs a name", extack);
	if (err)
		return err;
	g = find_group(txn, nla_data(tb[BULKHEAD_A_OBJ_NAME]));
	if (!g) {
		NL_SET_ERR_MSG_ATTR(extack, obj, "no such group in this transaction");
		return -ENOENT;
	}
	hash_del(&g->node);
	for (i = 0; i < g->n_members; i++)
		txn_drop_user(txn, g->members[i]);
	txn->n_groups--;
	kfree(g);
	return 0;
}

static int del_grant(struct bulkhead_txn *txn, const struct nlattr *obj,
		     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[BULKHEAD_A_OBJ_MAX + 1];
	struct txn_domain *d;
	int err;

	err = parse_object(obj, &grant_kind, tb, extack);
	if (err)
		return err;
	d = txn_domain_ref(txn, tb[BULKHEAD_A_GRANT_DOMAIN], extack);
	if (IS_ERR(d))
		return PTR_ERR(d);
	if (!d->caps) {
		NL_SET_ERR_MSG_ATTR(extack, obj, "no grant for this domain in this transaction");
		return -ENOENT;
	}
	d->caps = 0;
	d->grant_flags = 0;
	d->users--;
	return 0;
}

typedef int (*object_fn)(struct bulkhead_txn *txn, const struct nlattr *obj,
			 struct netlink_ext_ack *extack);

static const object_fn adders[BULKHEAD_A_MAX + 1] = {
	[BULKHEAD_A_OBJ_DOMAIN] = add_domain,
	[BULKHEAD_A_OBJ_BINDING] = add_binding,
	[BULKHEAD_A_OBJ_FLOW] = add_flow,
	[BULKHEAD_A_OBJ_GROUP] = add_group,
	[BULKHEAD_A_OBJ_GRANT] = add_grant,
	[BULKHEAD_A_OBJ_EXCHANGE] = txn_add_exchange,
};

static const object_fn deleters[BULKHEAD_A_MAX + 1] = {
	[BULKHEAD_A_OBJ_DOMAIN] = del_domain,
	[BULKHEAD_A_OBJ_BINDING] = del_binding,
	[BULKHEAD_A_OBJ_FLOW] = del_flow,
	[BULKHEAD_A_OBJ_GROUP] = del_group,
	[BULKHEAD_A_OBJ_GRANT] = del_grant,
	[BULKHEAD_A_OBJ_EXCHANGE] = txn_del_exchange,
};

/*
 * Apply every object of @objects in order. Objects before a failing one stay applied: the
 * transaction is not the active policy, and the caller aborts it on error.
 */
static int apply_objects(const struct nlattr *objects, const object_fn *fns,
			 struct netlink_ext_ack *extack)
{
	const struct nlattr *obj;
	int rem, err;

	lockdep_assert_held(&bulkhead_policy_lock);
	nla_for_each_nested(obj, objects, rem) {
		err = fns[nla_type(obj)](open_txn, obj, extack);
		if (err)
			return err;
	}
	return 0;
}

int bulkhead_txn_add(const struct nlattr *objects, struct netlink_ext_ack *extack)
{
	return apply_objects(objects, adders, extack);
}

int bulkhead_txn_del(const struct nlattr *objects, struct netlink_ext_ack *extack)
{
	return apply_objects(objects, deleters, extack);
}

/* Copy @pol into @txn, as if its objects had been added one by one. */
static int txn_copy_policy(struct bulkhead_txn *txn, const struct bulkhead_policy *pol)
{
	u32 i, j;

	/* An exchange's boxes, their bindings and flows come back with the exchange. */
	for (i = 0; i < pol->n_domains; i++) {
		struct txn_domain *d;

		if (pol->domains[i].box)
			continue;
		d = kzalloc(sizeof(*d), GFP_KERNEL_ACCOUNT);
		if (!d)
			return -ENOMEM;
		strscpy(d->name, pol->domains[i].name, sizeof(d->name));
		d->caps = pol->domains[i].caps;
		d->grant_flags = pol->domains[i].grant_flags;
		d->users = !!d->caps;
		hash_add(txn->domains, &d->node, name_hash(d->name));
		txn->n_domains++;
	}
	for (i = 0; i < pol->n_all_bindings; i++) {
		const struct bulkhead_binding *pb = pol->bindings[i];
		struct txn_binding *b;

		if (bulkhead_domain_by_id(pol, pb->domain)->box)
			continue;
		b = kzalloc(sizeof(*b), GFP_KERNEL_ACCOUNT);
		if (!b)
			return -ENOMEM;
		b->target = kstrdup(pb->target, GFP_KERNEL_ACCOUNT);
		if (!b->target) {
			kfree(b);
			return -ENOMEM;
		}
		b->kind = pb->kind;
		b->path = pb->path;	/* the widest member of the key union */
		if (b->kind == BULKHEAD_BIND_PATH)
			path_get(&b->path);
		strscpy(b->domain, bulkhead_domain_by_id(pol, pb->domain)->name,
			sizeof(b->domain));
		txn_find_domain(txn, b->domain)->users++;
		hash_add(txn->bindings, &b->node, binding_hash(b));
		txn->n_bindings[b->kind]++;
		cond_resched();
	}
	for (i = 0; i < pol->id_limit; i++) {
		for (j = 0; j < pol->id_limit; j++) {
			u16 entry = pol->flows[i * pol->id_limit + j];
			struct txn_flow *f;

			if (!entry || bulkhead_domain_by_id(pol, i)->box ||
			    bulkhead_domain_by_id(pol, j)->box)
				continue;
			f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
			if (!f)
				return -ENOMEM;
			strscpy(f->from, bulkhead_domain_by_id(pol, i)->name, sizeof(f->from));
			strscpy(f->to, bulkhead_domain_by_id(pol, j)->name, sizeof(f->to));
			f->channels = entry & BULKHEAD_CHAN_ALL;
			f->flags = entry & BULKHEAD_FLOW_AUDIT_BIT ? BULKHEAD_FLOW_F_AUDIT : 0;
			txn_find_domain(txn, f->from)->users++;
			txn_find_domain(txn, f->to)->users++;
			hash_add(txn->flows, &f->node, flow_hash(f->from, f->to));
			txn->n_flows++;
			/* Up to 100,000 of them: the debug kernel's watchdog saw 22 s without. */
			cond_resched();
		}
	}
	for (i = 0; i < pol->n_groups; i++) {
		const struct bulkhead_group *pg = &pol->groups[i];
		struct txn_group *g = kzalloc(sizeof(*g), GFP_KERNEL_ACCOUNT);

		if (!g)
			return -ENOMEM;
		strscpy(g->name, pg->name, sizeof(g->name));
		for (j = 0; j < pg->n_members; j++) {
			strscpy(g->members[j], bulkhead_domain_by_id(pol, pg->members[j])->name,
				BULKHEAD_NAME_LEN);
			txn_find_domain(txn, g->members[j])->users++;
		}
		g->n_members = pg->n_members;
		hash_add(txn->groups, &g->node, name_hash(g->name));
		txn->n_groups++;
	}
	return txn_copy_exchanges(txn, pol);
}

/* A domain named @name, the one already there or a new one; an ERR_PTR on failure. */
struct txn_domain *txn_put_domain(struct bulkhead_txn *txn, const char *name)
{
	struct txn_domain *d = txn_find_domain(txn, name);

	if (d)
		return d;
	d = kzalloc(sizeof(*d), GFP_KERNEL_ACCOUNT);
	if (!d)
		return ERR_PTR(-ENOMEM);
	strscpy(d->name, name, sizeof(d->name));
	hash_add(txn->domains, &d->node, name_hash(d->name));
	txn->n_domains++;
	return d;
}

/* An empty transaction, owned by netlink socket @portid (0: the module's own). */
struct bulkhead_txn *txn_alloc(u32 portid)
{
	struct bulkhead_txn *txn = kvzalloc(sizeof(*txn), GFP_KERNEL_ACCOUNT);

	if (!txn)
		return NULL;
	hash_init(txn->domains);
	hash_init(txn->bindings);
	hash_init(txn->flows);
	hash_init(txn->groups);
	hash_init(txn->exchanges);
	txn->portid = portid;
	return txn;
}

int bulkhead_txn_begin(u32 portid, bool from_active, u64 *base, struct netlink_ext_ack *extack)
{
	struct bulkhead_policy *pol;
	struct bulkhead_txn *txn;
	int err;

	lockdep_assert_held(&bulkhead_policy_lock);
	if (open_txn) {
		NL_SET_ERR_MSG(extack, "another policy transaction is open");
		return -EBUSY;
	}
	txn = txn_alloc(portid);
	if (!txn)
		return -ENOMEM;
	pol = rcu_dereference_protected(bulkhead_active_policy,
					lockdep_is_held(&bulkhead_policy_lock));
	/* Before the initial policy exists there is nothing to start from. */
	txn->base_generation = pol ? pol->generation : 0;
	err = from_active && pol ? txn_copy_policy(txn, pol) : 0;
	/* Every transaction holds the host domain: it always exists. */
	if (!err)
		err = PTR_ERR_OR_ZERO(txn_put_domain(txn, BULKHEAD_HOST_DOMAIN));
	if (err) {
		txn_free(txn);
		return err;
	}
	*base = txn->base_generation;
	open_txn = txn;
	return 0;
}

int bulkhead_txn_check_owner(u32 portid, struct netlink_ext_ack *extack)
{
	lockdep_assert_held(&bulkhead_policy_lock);
	if (!open_txn) {
		NL_SET_ERR_MSG(extack, "no policy transaction is open");
		return -ENOENT;
	}
	if (open_txn->portid != portid) {
		NL_SET_ERR_MSG(extack, "the open policy transaction belongs to another socket");
		return -EBUSY;
	}
	return 0;
}

void bulkhead_txn_abort(void)
{
	lockdep_assert_held(&bulkhead_policy_lock);
	if (open_txn)
		txn_free(open_txn);
	open_txn = NULL;
}

/* The domains of @old that @new deleted or whose id it gave another name lose their objects. */
static void retire_gone_domains(const struct bulkhead_policy *old,
				const struct bulkhead_policy *new)
{
	DECLARE_BITMAP(gone, BULKHEAD_MAX_DOMAINS) = {};
	const struct bulkhead_domain *now;
	bool any = false;
	u32 i;

	for (i = 0; i < old->n_domains; i++) {
		now = bulkhead_domain_by_id(new, old->domains[i].id);
		if (!now || strcmp(now->name, old->domains[i].name)) {
			__set_bit(old->domains[i].id, gone);
			any = true;
		}
	}
	if (any)
		bulkhead_owners_retire(gone);
}

int bulkhead_txn_commit(const u64 *expect, struct bulkhead_policy **newpol,
			struct netlink_ext_ack *extack)
{
	struct bulkhead_policy *old, *pol;

	old = rcu_dereference_protected(bulkhead_active_policy,
					lockdep_is_held(&bulkhead_policy_lock));
	if (expect && (!old || *expect != old->generation)) {
		NL_SET_ERR_MSG(extack, "the active policy changed since the expected generation");
		bulkhead_txn_abort();
		return -ESTALE;
	}
	pol = bulkhead_policy_build(open_txn, old, extack);
	bulkhead_txn_abort();
	if (IS_ERR(pol))
		return PTR_ERR(pol);
	rcu_assign_pointer(bulkhead_active_policy, pol);
	bulkhead_epoch_bump();
	if (old) {
		/* Hooks may still be reading the old policy; its bindings hold paths to put. */
		synchronize_rcu();
		retire_gone_domains(old, pol);
		bulkhead_policy_put(old);
	}
	*newpol = pol;
	return 0;
}

void bulkhead_txn_release(u32 portid)
{
	mutex_lock(&bulkhead_policy_lock);
	if (open_txn && open_txn->portid == portid)
		bulkhead_txn_abort();
	mutex_unlock(&bulkhead_policy_lock);
}
