/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead: the policy - domains, bindings, flows and exclusive groups.
 *
 * A policy is built aside by a transaction (txn.c), frozen by bulkhead_policy_build() and
 * published with RCU. A published policy never changes, except for the active member of each
 * exclusive group, so hook-path lookups read it under rcu_read_lock() without locks.
 */
#ifndef _BULKHEAD_POLICY_H
#define _BULKHEAD_POLICY_H

#include <linux/bits.h>
#include <linux/hash.h>
#include <linux/hashtable.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/path.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <uapi/linux/bulkhead.h>

struct cgroup;
struct dentry;
struct net_device;
struct netlink_ext_ack;
struct nlattr;
struct sk_buff;
struct sock;
struct sockaddr;
struct task_struct;

struct bulkhead_domain {
	u32 id;
	char name[BULKHEAD_NAME_LEN];
	u64 caps;			/* granted: 1 << CAP_* of BULKHEAD_GRANTABLE_CAPS */
	u32 grant_flags;		/* BULKHEAD_GRANT_F_* */
	bool box;			/* an exchange's outbox or inbox, made by its exchange */
};

/* One binding; which key is used depends on the kind. */
struct bulkhead_binding {
	struct hlist_node node;		/* in the policy's table for its kind */
	u32 kind;			/* enum bulkhead_binding_kind */
	u32 domain;			/* domain id */
	char *target;			/* as the administrator wrote it */
	union {
		struct path path;	/* BULKHEAD_BIND_PATH: held, keeps the inode */
		u64 cgroup_id;		/* BULKHEAD_BIND_CGROUP */
		int ifindex;		/* BULKHEAD_BIND_NETDEV, initial namespace */
	};
};

struct bulkhead_group {
	char name[BULKHEAD_NAME_LEN];
	u32 n_members;
	u32 members[BULKHEAD_MAX_GROUP_MEMBERS];	/* domain ids, in declared order */
	u32 active;			/* index into members; changed by switch */
};

/*
 * What an exchange says beyond its domains: where its boxes are, as written, and the guard's
 * checks, which the module keeps for the guard to read and does not interpret.
 */
struct bulkhead_exchange_spec {
	char *outbox;
	char *inbox;
	u32 flags;			/* BULKHEAD_EXCHANGE_F_* */
	u64 max_size;
	u32 n_types;
	u32 n_deny;
	char *types[BULKHEAD_MAX_EXCHANGE_TYPES];
	char *deny[BULKHEAD_MAX_EXCHANGE_PATTERNS];
	char *filter;
	u32 filter_timeout;
	u32 rate;
	u32 burst;
};

/*
 * A guarded exchange. Its outbox and inbox are domains of their own ("NAME.outbox",
 * "NAME.inbox", bound to the two directories), joined by flows only the exchange makes:
 * from -> outbox, outbox <-> guard, guard <-> inbox, inbox -> to (exchange.c).
 */
struct bulkhead_exchange {
	char name[BULKHEAD_EXCHANGE_NAME_LEN];
	u32 from, to, guard;		/* domain ids */
	u32 outbox, inbox;		/* the boxes' domain ids */
	struct path outbox_path;	/* held, as the boxes' bindings hold them */
	struct path inbox_path;
	struct bulkhead_exchange_spec spec;
};

/* Flow matrix entry: channel bits, plus the audit flag above them. */
#define BULKHEAD_FLOW_AUDIT_BIT	BIT(15)

/*
 * The bindings of one kind by key (inode, cgroup id, ifindex), sized when the policy is built
 * for about one binding per bucket: a lookup, made at every ancestor of every path decided,
 * costs the same with ten bindings as with 100,000.
 */
struct bulkhead_binding_table {
	struct hlist_head *heads;
	u8 bits;
};

#define BULKHEAD_TABLE_MAX_BITS	20

static inline struct hlist_head *bulkhead_bucket(const struct bulkhead_binding_table *t, u64 key)
{
	return &t->heads[hash_64(key, t->bits)];
}

struct bulkhead_policy {
	struct kref ref;
	u64 generation;
	u8 hash[BULKHEAD_HASH_LEN];

	u32 n_domains;
	struct bulkhead_domain *domains;	/* sorted by name */
	u32 id_limit;				/* every domain id is below this */
	u32 *domain_of_id;			/* id -> index in domains, or U32_MAX */
	u16 *flows;				/* [from * id_limit + to] */
	u32 n_flows;

	u32 n_bindings[__BULKHEAD_BIND_MAX];
	struct bulkhead_binding **bindings;	/* all of them, canonical order */
	u32 n_all_bindings;
	struct bulkhead_binding_table by_inode, by_cgroup, by_ifindex;

	u32 n_groups;
	struct bulkhead_group *groups;		/* sorted by name */
	u32 *group_of_id;			/* id -> group index, or U32_MAX */

	u32 n_exchanges;
	struct bulkhead_exchange *exchanges;	/* sorted by name */
};

/* The active policy; never NULL while the module is loaded. */
extern struct bulkhead_policy __rcu *bulkhead_active_policy;

struct bulkhead_policy *bulkhead_policy_get_active(void);
void bulkhead_policy_put(struct bulkhead_policy *pol);
int bulkhead_policy_init(void);
void bulkhead_policy_exit(void);

/* Lookups, under rcu_read_lock(); each returns a domain id. */
u32 bulkhead_cgroup_domain(const struct bulkhead_policy *pol, struct cgroup *cgrp);
u32 bulkhead_task_domain(const struct bulkhead_policy *pol, struct task_struct *task);
u32 bulkhead_sock_domain(const struct bulkhead_policy *pol, struct sock *sk);
u32 bulkhead_dentry_domain(const struct bulkhead_policy *pol, struct dentry *dentry);
u32 bulkhead_dentry_domain_walk(const struct bulkhead_policy *pol, struct dentry *dentry,
				bool *detached);
u32 bulkhead_netdev_domain(const struct bulkhead_policy *pol, int ifindex);
u32 bulkhead_dev_domain(const struct bulkhead_policy *pol, const struct net_device *dev);
u32 bulkhead_flow(const struct bulkhead_policy *pol, u32 from, u32 to);
bool bulkhead_inode_bound(const struct bulkhead_policy *pol, const struct inode *inode,
			  u32 *domain);

/* label.c: what a file holds and whose it is */
enum bulkhead_label_kind {
	BULKHEAD_LABEL_DATA,		/* reading: domain -> task; writing: task -> domain */
	BULKHEAD_LABEL_BOTH,		/* any use carries information both ways */
	BULKHEAD_LABEL_FREE,		/* holds no domain's information */
	BULKHEAD_LABEL_HOST_READ,	/* read as DATA; written by host only */
	BULKHEAD_LABEL_HOST_ONLY,	/* state every domain shares: host only */
};

struct bulkhead_label {
	u32 domain;
	u32 kind;			/* enum bulkhead_label_kind */
	u32 also;			/* a channel that opens DATA too (ptrace for /proc/PID) */
};

struct file;
struct inode;
struct bulkhead_label bulkhead_dentry_label(const struct bulkhead_policy *pol,
					    struct dentry *dentry);
struct bulkhead_label bulkhead_file_label(const struct bulkhead_policy *pol, struct file *file);

/* rw.c */
int bulkhead_rw_remember(const struct file *file);
void bulkhead_rw_forget(const struct file *file);

/* kfuncs.c: what every kfunc starts with, under rcu_read_lock() */
const struct bulkhead_policy *bulkhead_kfunc_begin(u32 hook);
u32 bulkhead_current_domain(const struct bulkhead_policy *pol);

/* decide.c */

/* What an operation acts on, for its audit record; any member may be NULL. */
struct bulkhead_object {
	struct dentry *dentry;			/* a file */
	const struct path *path;		/* the same file, where the hook has its mount */
	struct task_struct *task;		/* a peer task */
	const struct net_device *dev;		/* an interface */
	const struct sk_buff *skb;		/* a packet: addresses and ports */
	const struct sockaddr *addr;		/* a destination being connected to */
	const u32 *capability;			/* a capability being used (CAP_*) */
	const struct inode *inode;		/* a file known only by its inode */
};

/* An open file as an object: its dentry and the path it was opened by. */
static inline struct bulkhead_object bulkhead_file_object(struct file *file)
{
	return (struct bulkhead_object){ .dentry = file->f_path.dentry, .path = &file->f_path };
}

u32 bulkhead_flow_open(const struct bulkhead_policy *pol, u32 from, u32 to, u32 channel);
u32 bulkhead_decide_on(const struct bulkhead_policy *pol, enum bulkhead_hook hook, u32 from,
		       u32 to, u32 channel, u32 deny, const struct bulkhead_object *obj);
u32 bulkhead_decide_both_ways(const struct bulkhead_policy *pol, enum bulkhead_hook hook, u32 a,
			      u32 b, u32 channel, u32 deny, const struct bulkhead_object *obj);
u32 bulkhead_decide_either_way(const struct bulkhead_policy *pol, enum bulkhead_hook hook,
			       u32 from, u32 to, u32 channel, u32 deny,
			       const struct bulkhead_object *obj);
u32 bulkhead_decide(const struct bulkhead_policy *pol, enum bulkhead_hook hook, u32 from,
		    u32 to, u32 channel, u32 deny);
u32 bulkhead_decide_host_only(const struct bulkhead_policy *pol, enum bulkhead_hook hook,
			      u32 domain, u32 deny);
u32 bulkhead_decide_capability(const struct bulkhead_policy *pol, enum bulkhead_hook hook,
			       u32 domain, u32 cap, bool probe, u32 deny);
u32 bulkhead_deny_locked(u32 hook, struct dentry *dentry);
u32 bulkhead_decide_access(const struct bulkhead_policy *pol, u32 hook, u32 task,
			   struct bulkhead_label l, u32 mask, u32 read_channel,
			   const struct bulkhead_object *what);
u32 bulkhead_description_write(const struct bulkhead_policy *pol, u32 hook, struct file *file);

const struct bulkhead_domain *bulkhead_domain_by_id(const struct bulkhead_policy *pol, u32 id);
const struct bulkhead_domain *bulkhead_domain_by_name(const struct bulkhead_policy *pol,
						      const char *name);

/* txn.c: the open transaction; all under the policy lock. */
int bulkhead_txn_begin(u32 portid, bool from_active, u64 *base, struct netlink_ext_ack *extack);
int bulkhead_txn_check_owner(u32 portid, struct netlink_ext_ack *extack);
int bulkhead_txn_add(const struct nlattr *objects, struct netlink_ext_ack *extack);
int bulkhead_txn_del(const struct nlattr *objects, struct netlink_ext_ack *extack);
int bulkhead_txn_commit(const u64 *expect, struct bulkhead_policy **newpol,
			struct netlink_ext_ack *extack);
void bulkhead_txn_abort(void);
void bulkhead_txn_release(u32 portid);

/* switch an exclusive group to @member; under the policy lock */
int bulkhead_group_switch(const char *group, const char *member,
			  struct netlink_ext_ack *extack);

/* Serializes transactions, commits, switches and mode changes. */
extern struct mutex bulkhead_policy_lock;

/* exchange.c */
int bulkhead_exchange_spec_copy(struct bulkhead_exchange_spec *dst,
				const struct bulkhead_exchange_spec *src);
void bulkhead_exchange_spec_free(struct bulkhead_exchange_spec *spec);
const struct bulkhead_exchange *bulkhead_exchange_by_name(const struct bulkhead_policy *pol,
							  const char *name);

/* canon.c: the canonical text of a policy's objects, and its SHA-256 */
struct bulkhead_canon_source;
void bulkhead_canon_hash(const struct bulkhead_policy *pol, u8 *hash);

bool bulkhead_name_valid(const char *name);
const char *bulkhead_binding_kind_name(u32 kind);

#endif /* _BULKHEAD_POLICY_H */
