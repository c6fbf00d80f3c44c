/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead: the open policy transaction - objects by name, as the administrator added them.
 * Private to txn.c and policy_build.c.
 */
#ifndef _BULKHEAD_TXN_H
#define _BULKHEAD_TXN_H

#include "policy.h"

#define TXN_DOMAIN_BITS	10
#define TXN_OBJECT_BITS	14

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

struct bulkhead_txn {
	u32 portid;
	u64 base_generation;
	u32 n_domains;
	u32 n_bindings[__BULKHEAD_BIND_MAX];
	u32 n_flows;
	u32 n_groups;
	DECLARE_HASHTABLE(domains, TXN_DOMAIN_BITS);
	DECLARE_HASHTABLE(bindings, TXN_OBJECT_BITS);
	DECLARE_HASHTABLE(flows, TXN_OBJECT_BITS);
	DECLARE_HASHTABLE(groups, TXN_DOMAIN_BITS);
};

/* policy_build.c: freeze @txn into a new policy following @old; no change to either. */
struct bulkhead_policy *bulkhead_policy_build(const struct bulkhead_txn *txn,
					      const struct bulkhead_policy *old,
					      struct netlink_ext_ack *extack);

#endif /* _BULKHEAD_TXN_H */
