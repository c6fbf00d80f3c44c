// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: BULKHEAD_CMD_POLICY_GET, the dump of the active policy. The dump holds a
 * reference on the policy it started with, so it shows one generation from first message to
 * last even while other processes commit.
 */
#include <net/genetlink.h>

#include "bulkhead.h"
#include "nl_gen.h"
#include "policy.h"

enum dump_phase { PHASE_HEADER, PHASE_DOMAINS, PHASE_BINDINGS, PHASE_FLOWS, PHASE_GRANTS,
		  PHASE_GROUPS, PHASE_EXCHANGES, PHASE_DONE };

/*
 * The largest message of the dump: an exchange with the longest of everything (a binding with
 * the longest target, or an exclusive group of the most members, is smaller). Every message of
 * the dump is allocated at least this large, so that each object fits in one; one that still
 * does not is an error, never a silent end.
 */
#define DUMP_MAX_MESSAGE							\
	(NLMSG_HDRLEN + GENL_HDRLEN + nla_total_size_64bit(sizeof(u64)) +	\
	 nla_total_size(0) + 4 * nla_total_size(BULKHEAD_NAME_LEN) +		\
	 2 * nla_total_size(BULKHEAD_TARGET_LEN) +				\
	 4 * nla_total_size(sizeof(u32)) + nla_total_size_64bit(sizeof(u64)) +	\
	 BULKHEAD_MAX_EXCHANGE_TYPES * nla_total_size(128) +			\
	 BULKHEAD_MAX_EXCHANGE_PATTERNS * nla_total_size(1024) + nla_total_size(1024))

/* cb->args: [0] the policy, [1] the phase, [2] the position within it, [3] checked */
#define DUMP_POLICY(cb)	((struct bulkhead_policy *)(cb)->args[0])

int bulkhead_nl_policy_get_start(struct netlink_callback *cb)
{
	struct bulkhead_policy *pol;

	pol = bulkhead_policy_get_active();
	cb->args[0] = (long)pol;
	cb->seq = pol->generation + 1;	/* a non-zero sequence enables the consistency check */
	cb->min_dump_alloc = max_t(u32, cb->min_dump_alloc, DUMP_MAX_MESSAGE);
	return 0;
}

int bulkhead_nl_policy_get_done(struct netlink_callback *cb)
{
	if (DUMP_POLICY(cb))
		bulkhead_policy_put(DUMP_POLICY(cb));
	return 0;
}

/* An exchange's boxes, and their bindings and flows, are dumped as the exchange. */
static bool box(const struct bulkhead_policy *pol, u32 id)
{
	return bulkhead_domain_by_id(pol, id)->box;
}

static int put_domain(struct sk_buff *skb, const struct bulkhead_policy *pol, u32 i)
{
	struct nlattr *nest;

	if (pol->domains[i].box)
		return -ENOENT;
	nest = nla_nest_start(skb, BULKHEAD_A_OBJ_DOMAIN);
	if (!nest || nla_put_string(skb, BULKHEAD_A_OBJ_NAME, pol->domains[i].name) ||
	    nla_put_u32(skb, BULKHEAD_A_OBJ_ID, pol->domains[i].id))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_binding(struct sk_buff *skb, const struct bulkhead_policy *pol, u32 i)
{
	const struct bulkhead_binding *b = pol->bindings[i];
	struct nlattr *nest;

	if (box(pol, b->domain))
		return -ENOENT;
	nest = nla_nest_start(skb, BULKHEAD_A_OBJ_BINDING);
	if (!nest ||
	    nla_put_string(skb, BULKHEAD_A_BINDING_DOMAIN,
			   bulkhead_domain_by_id(pol, b->domain)->name) ||
	    nla_put_u32(skb, BULKHEAD_A_BINDING_KIND, b->kind) ||
	    nla_put_string(skb, BULKHEAD_A_BINDING_TARGET, b->target))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* Flow position i walks the matrix in domain-name order; empty cells put nothing. */
static int put_flow(struct sk_buff *skb, const struct bulkhead_policy *pol, u32 i)
{
	const struct bulkhead_domain *from = &pol->domains[i / pol->n_domains];
	const struct bulkhead_domain *to = &pol->domains[i % pol->n_domains];
	u16 entry = pol->flows[from->id * pol->id_limit + to->id];
	struct nlattr *nest;

	if (!entry || from->box || to->box)
		return -ENOENT;
	nest = nla_nest_start(skb, BULKHEAD_A_OBJ_FLOW);
	if (!nest || nla_put_string(skb, BULKHEAD_A_FLOW_FROM, from->name) ||
	    nla_put_string(skb, BULKHEAD_A_FLOW_TO, to->name) ||
	    nla_put_u32(skb, BULKHEAD_A_FLOW_CHANNELS, entry & BULKHEAD_CHAN_ALL) ||
	    nla_put_u32(skb, BULKHEAD_A_FLOW_FLAGS,
			entry & BULKHEAD_FLOW_AUDIT_BIT ? BULKHEAD_FLOW_F_AUDIT : 0))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* Grant position i is domain i (in name order); a domain without a grant puts nothing. */
static int put_grant(struct sk_buff *skb, const struct bulkhead_policy *pol, u32 i)
{
	const struct bulkhead_domain *d = &pol->domains[i];
	struct nlattr *nest;

	if (!d->caps)
		return -ENOENT;
	nest = nla_nest_start(skb, BULKHEAD_A_OBJ_GRANT);
	if (!nest || nla_put_string(skb, BULKHEAD_A_GRANT_DOMAIN, d->name) ||
	    nla_put_u64_64bit(skb, BULKHEAD_A_GRANT_CAPS, d->caps, BULKHEAD_A_OBJ_PAD) ||
	    nla_put_u32(skb, BULKHEAD_A_GRANT_FLAGS, d->grant_flags))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_group(struct sk_buff *skb, const struct bulkhead_policy *pol, u32 i)
{
	const struct bulkhead_group *g = &pol->groups[i];
	struct nlattr *nest = nla_nest_start(skb, BULKHEAD_A_OBJ_GROUP);
	u32 j;

	if (!nest || nla_put_string(skb, BULKHEAD_A_OBJ_NAME, g->name))
		return -EMSGSIZE;
	for (j = 0; j < g->n_members; j++)
		if (nla_put_string(skb, BULKHEAD_A_GROUP_MEMBER,
				   bulkhead_domain_by_id(pol, g->members[j])->name))
			return -EMSGSIZE;
	if (nla_put_string(skb, BULKHEAD_A_GROUP_ACTIVE,
			   bulkhead_domain_by_id(pol, g->members[READ_ONCE(g->active)])->name))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_strings(struct sk_buff *skb, int type, char *const *strings, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (nla_put_string(skb, type, strings[i]))
			return -EMSGSIZE;
	return 0;
}

static const char *name_of(const struct bulkhead_policy *pol, u32 id)
{
	return bulkhead_domain_by_id(pol, id)->name;
}

/* What was set, as it was added; the flags always. */
static int put_exchange(struct sk_buff *skb, const struct bulkhead_policy *pol, u32 i)
{
	const struct bulkhead_exchange *e = &pol->exchanges[i];
	const struct bulkhead_exchange_spec *s = &e->spec;
	struct nlattr *nest = nla_nest_start(skb, BULKHEAD_A_OBJ_EXCHANGE);

	if (!nest || nla_put_string(skb, BULKHEAD_A_OBJ_NAME, e->name) ||
	    nla_put_string(skb, BULKHEAD_A_EXCHANGE_FROM, name_of(pol, e->from)) ||
	    nla_put_string(skb, BULKHEAD_A_EXCHANGE_TO, name_of(pol, e->to)) ||
	    nla_put_string(skb, BULKHEAD_A_EXCHANGE_GUARD, name_of(pol, e->guard)) ||
	    nla_put_string(skb, BULKHEAD_A_EXCHANGE_OUTBOX, s->outbox) ||
	    nla_put_string(skb, BULKHEAD_A_EXCHANGE_INBOX, s->inbox) ||
	    nla_put_u32(skb, BULKHEAD_A_EXCHANGE_FLAGS, s->flags) ||
	    (s->max_size && nla_put_u64_64bit(skb, BULKHEAD_A_EXCHANGE_MAX_SIZE, s->max_size,
					      BULKHEAD_A_OBJ_PAD)) ||
	    put_strings(skb, BULKHEAD_A_EXCHANGE_TYPE, s->types, s->n_types) ||
	    put_strings(skb, BULKHEAD_A_EXCHANGE_DENY, s->deny, s->n_deny) ||
	    (s->filter && nla_put_string(skb, BULKHEAD_A_EXCHANGE_FILTER, s->filter)) ||
	    (s->filter_timeout &&
	     nla_put_u32(skb, BULKHEAD_A_EXCHANGE_FILTER_TIMEOUT, s->filter_timeout)) ||
	    (s->rate && nla_put_u32(skb, BULKHEAD_A_EXCHANGE_RATE, s->rate)) ||
	    (s->burst && nla_put_u32(skb, BULKHEAD_A_EXCHANGE_BURST, s->burst)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static u32 phase_length(const struct bulkhead_policy *pol, long phase)
{
	switch (phase) {
	case PHASE_HEADER:
		return 1;
	case PHASE_DOMAINS:
		return pol->n_domains;
	case PHASE_BINDINGS:
		return pol->n_all_bindings;
	case PHASE_FLOWS:
		return pol->n_domains * pol->n_domains;
	case PHASE_GRANTS:
		return pol->n_domains;
	case PHASE_GROUPS:
		return pol->n_groups;
	default:
		return pol->n_exchanges;
	}
}

static int put_object(struct sk_buff *skb, const struct bulkhead_policy *pol, long phase,
		      u32 i)
{
	switch (phase) {
	case PHASE_HEADER:
		return nla_put(skb, BULKHEAD_A_POLICY_HASH, BULKHEAD_HASH_LEN, pol->hash);
	case PHASE_DOMAINS:
		return put_domain(skb, pol, i);
	case PHASE_BINDINGS:
		return put_binding(skb, pol, i);
	case PHASE_FLOWS:
		return put_flow(skb, pol, i);
	case PHASE_GRANTS:
		return put_grant(skb, pol, i);
	case PHASE_GROUPS:
		return put_group(skb, pol, i);
	default:
		return put_exchange(skb, pol, i);
	}
}

int bulkhead_nl_policy_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct bulkhead_policy *pol = DUMP_POLICY(cb);
	void *hdr;
	int err;

	/*
	 * Checked here rather than in .start: only the dump callbacks have an extack, and its
	 * message travels in NLMSG_DONE.
	 */
	if (!cb->args[3]) {
		if (!netlink_capable(cb->skb, CAP_MAC_ADMIN)) {
			NL_SET_ERR_MSG(cb->extack, "reading the policy needs CAP_MAC_ADMIN");
			return -EPERM;
		}
		cb->args[3] = 1;
	}
	for (; cb->args[1] < PHASE_DONE; cb->args[1]++, cb->args[2] = 0) {
		for (; cb->args[2] < phase_length(pol, cb->args[1]); cb->args[2]++) {
			hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
					  &bulkhead_family, NLM_F_MULTI, BULKHEAD_CMD_POLICY_GET);
			if (!hdr)
				return skb->len;
			genl_dump_check_consistent(cb, hdr);
			err = nla_put_u64_64bit(skb, BULKHEAD_A_GENERATION, pol->generation,
						BULKHEAD_A_PAD);
			if (!err)
				err = put_object(skb, pol, cb->args[1], cb->args[2]);
			if (err == -ENOENT) {
				genlmsg_cancel(skb, hdr);
				continue;
			}
			if (err) {
				genlmsg_cancel(skb, hdr);
				if (skb->len)
					return skb->len;	/* the rest in the next message */
				NL_SET_ERR_MSG(cb->extack,
					       "a policy object does not fit in a dump message");
				return -EMSGSIZE;
			}
			genlmsg_end(skb, hdr);
		}
	}
	return skb->len;
}
