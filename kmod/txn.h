/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead: the open policy transaction - objects by name, as the administrator added them.
 * Private to txn.c and policy_build.c, and selftest.c, which builds a policy of its own.
 */
#ifndef _BULKHEAD_TXN_H
#define _BULKHEAD_TXN_H

#include "policy.h"

#define TXN_DOMAIN_BITS	10
#define TXN_OBJECT_BITS	14
#define TXN_EXCHANGE_BITS	6

struct txn_domain {
	struct hlist_node node;
	char name[BULKHEAD_NAME_LEN];
	u32 users;		/* bindings, flows, group memberships and its grant */
	u64 caps;		/* granted capabilities, 1 << CAP_*; 0 without a grant */
	u32 grant_flags;	/* BULKHEAD_GRANT_F_* */
};

struct txn_binding {
	struct hlist_node node;		/* keyed by kind and resolved object */
	u32 kind;
	char domain[BULKHEAD_NAME_LEN];
	char *target;
	union {
		struct path path;
		u64 cgroup_id;
		int ifindex;
	};
};

struct txn_flow {
	struct hlist_node node;
	char from[BULKHEAD_NAME_LEN];
	char to[BULKHEAD_NAME_LEN];
	u32 channels;
	u32 flags;
};

struct txn_group {
	struct hlist_node node;
	char name[BULKHEAD_NAME_LEN];
	u32 n_members;
	char members[BULKHEAD_MAX_GROUP_MEMBERS][BULKHEAD_NAME_LEN];
};

struct txn_exchange {
	struct hlist_node node;
	char name[BULKHEAD_EXCHANGE_NAME_LEN];
	char from[BULKHEAD_NAME_LEN];
	char to[BULKHEAD_NAME_LEN];
	char guard[BULKHEAD_NAME_LEN];
	struct path outbox;		/* held, as a path binding holds its path */
	struct path inbox;
	struct bulkhead_exchange_spec spec;
};

struct bulkhead_txn {
	u32 portid;
	u64 base_generation;
	u32 n_domains;
	u32 n_bindings[__BULKHEAD_BIND_MAX];
	u32 n_flows;
	u32 n_groups;
	u32 n_exchanges;
	DECLARE_HASHTABLE(domains, TXN_DOMAIN_BITS);
	DECLARE_HASHTABLE(bindings, TXN_OBJECT_BITS);
	DECLARE_HASHTABLE(flows, TXN_OBJECT_BITS);
	DECLARE_HASHTABLE(groups, TXN_DOMAIN_BITS);
	DECLARE_HASHTABLE(exchanges, TXN_EXCHANGE_BITS);
};

/* txn.c: for the objects kept in their own files */
struct txn_domain *txn_find_domain(const struct bulkhead_txn *txn, const char *name);
struct txn_domain *txn_domain_ref(struct bulkhead_txn *txn, const struct nlattr *attr,
				  struct netlink_ext_ack *extack);
int txn_parse_object(const struct nlattr *obj, const struct nla_policy *policy, int maxtype,
		     u64 repeatable, struct nlattr **tb, struct netlink_ext_ack *extack);
void txn_drop_user(struct bulkhead_txn *txn, const char *name);
struct bulkhead_txn *txn_alloc(u32 portid);
void txn_free(struct bulkhead_txn *txn);
struct txn_domain *txn_put_domain(struct bulkhead_txn *txn, const char *name);
int txn_put_flow(struct bulkhead_txn *txn, struct txn_domain *from, struct txn_domain *to,
		 u32 channels, u32 flags);

/* exchange.c: the exchanges of a transaction */
int txn_add_exchange(struct bulkhead_txn *txn, const struct nlattr *obj,
		     struct netlink_ext_ack *extack);
int txn_del_exchange(struct bulkhead_txn *txn, const struct nlattr *obj,
		     struct netlink_ext_ack *extack);
int txn_copy_exchanges(struct bulkhead_txn *txn, const struct bulkhead_policy *pol);
void txn_free_exchanges(struct bulkhead_txn *txn);

/* exchange.c: an exchange's part in the policy being built (policy_build.c) */
u32 bulkhead_exchange_boxes(const struct bulkhead_txn *txn);
void bulkhead_exchange_name_boxes(const struct bulkhead_txn *txn, struct bulkhead_domain *d);
int bulkhead_exchange_check(const struct bulkhead_policy *pol, const struct bulkhead_txn *txn,
			    struct netlink_ext_ack *extack);
int bulkhead_exchange_build(struct bulkhead_policy *pol, const struct bulkhead_txn *txn);

/* policy_build.c: freeze @txn into a new policy following @old; no change to either. */
struct bulkhead_policy *bulkhead_policy_build(const struct bulkhead_txn *txn,
					      const struct bulkhead_policy *old,
					      struct netlink_ext_ack *extack);

#endif /* _BULKHEAD_TXN_H */
