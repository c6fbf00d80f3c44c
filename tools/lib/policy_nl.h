/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead: moving policies between userspace and the kernel over netlink.
 */
#ifndef BULKHEAD_POLICY_NL_H
#define BULKHEAD_POLICY_NL_H

#include <stdint.h>
#include <stdio.h>

#include "genl.h"
#include "policy.h"

struct bh_policy_id {
	uint64_t generation;
	uint8_t hash[BULKHEAD_HASH_LEN];
};

/* Fetch the active policy (a consistent dump) into @p, which must be freshly initialised. */
int bh_policy_fetch(struct bh_genl *g, struct bh_policy *p, struct bh_policy_id *id);

/*
 * Replace the active policy with @p in one transaction: BEGIN, ADD batches, COMMIT (refused
 * with -ESTALE if someone else committed meanwhile). On a kernel refusal the object it
 * concerns is named on @err with its position, and the active policy is unchanged.
 */
int bh_policy_push(struct bh_genl *g, const struct bh_policy *p, struct bh_policy_id *id,
		   FILE *err);

/*
 * One incremental change through a transaction started from the active policy: @objects is a
 * BULKHEAD_A_OBJECTS payload built by the caller (see bh_put_*), sent with @cmd (TXN_ADD or
 * TXN_DEL), then committed.
 */
int bh_policy_change(struct bh_genl *g, int cmd, struct nl_msg *objects_msg,
		     struct bh_policy_id *id);

/* Object encoders: each appends one BULKHEAD_A_OBJ_* nest to @msg. */
int bh_put_domain(struct nl_msg *msg, const char *name);
int bh_put_binding(struct nl_msg *msg, const char *domain, unsigned int kind,
		   const char *target);
int bh_put_flow(struct nl_msg *msg, const char *from, const char *to, uint32_t channels,
		uint32_t flags);
int bh_put_grant(struct nl_msg *msg, const char *domain, uint64_t caps, uint32_t flags);
int bh_put_group(struct nl_msg *msg, const char *name, char (*members)[BULKHEAD_NAME_LEN],
		 size_t n);
int bh_put_exchange(struct nl_msg *msg, const struct bh_exchange *e);	/* what is set of @e */

/*
 * Decode one BULKHEAD_A_OBJ_* nest of @type, as the kernel dumps it, into @p: the inverse of
 * bh_put_*(). 0, -EPROTO for a nest that lacks what its kind needs, or -ENOMEM.
 */
int bh_get_object(struct nlattr *nest, int type, struct bh_policy *p);

/*
 * What a change did, as one line: @what and @words (NULL-terminated, the command's own), then
 * the policy it made - "flow add low high file: policy generation 8, sha256 ..." - so that a
 * change is never silent and the generation names the policy now in force.
 */
void bh_change_print(FILE *out, const char *what, char *const *words,
		     const struct bh_policy_id *id);

/* Hex of @hash, in a static buffer. */
const char *bh_hash_hex(const uint8_t *hash);

#endif /* BULKHEAD_POLICY_NL_H */
