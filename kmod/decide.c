// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the decision. Information may move from one domain to another over a channel
 * when both domains are active (not the inactive member of an exclusive group) and they are
 * the same domain or a declared flow carries that channel. The mode says what a "no" does.
 */
#include "audit.h"
#include "bulkhead.h"
#include "policy.h"

static bool domain_active(const struct bulkhead_policy *pol, u32 id)
{
	const struct bulkhead_group *g;

	if (id >= pol->id_limit || pol->group_of_id[id] == U32_MAX)
		return true;
	g = &pol->groups[pol->group_of_id[id]];
	return g->members[READ_ONCE(g->active)] == id;
}

/**
 * bulkhead_flow_open() - the decision itself: may information move over @channel?
 * @pol: the policy to decide with
 * @from: domain the information comes from
 * @to: domain it goes to
 * @channel: BULKHEAD_CHAN_* bits, any of which will do
 *
 * Both domains must be active and the same domain, or joined by a flow that opens @channel.
 * No mode, counter or record: what the hooks make of the answer is bulkhead_decide_on()'s,
 * and the self-test asks this directly.
 *
 * Return: the flow's matrix entry (non-zero) when open, else 0.
 */
u32 bulkhead_flow_open(const struct bulkhead_policy *pol, u32 from, u32 to, u32 channel)
{
	u32 flow = bulkhead_flow(pol, from, to);

	return domain_active(pol, from) && domain_active(pol, to) && (flow & channel) ? flow : 0;
}

/*
 * An operation against the policy: counted, recorded, and denied in enforce mode - or in
 * audit mode too when its record cannot be kept and the failure mode is block.
 */
static u32 against_policy(const struct bulkhead_policy *pol, enum bulkhead_hook hook,
			  enum bulkhead_mode mode, u32 from, u32 to, u32 channel, u32 deny,
			  const struct bulkhead_object *obj)
{
	bool enforce = mode == BULKHEAD_MODE_ENFORCE;

	bulkhead_hook_count_denial(hook);
	if (!bulkhead_audit_decision(pol, hook, from, to, channel, obj,
				     enforce ? BULKHEAD_AUDIT_DENIED : BULKHEAD_AUDIT_WOULD_DENY))
		return deny;
	return enforce ? deny : BULKHEAD_VERDICT_ALLOW;
}

/*
 * An allowed operation along a flow declared with "audit", or any allowed cross-domain one when
 * the audit configuration says so: recorded, and kept or denied.
 */
static u32 audited_allow(const struct bulkhead_policy *pol, enum bulkhead_hook hook, u32 from,
			 u32 to, u32 channel, u32 deny, const struct bulkhead_object *obj)
{
	if (!bulkhead_audit_decision(pol, hook, from, to, channel, obj, BULKHEAD_AUDIT_ALLOWED))
		return deny;
	return BULKHEAD_VERDICT_ALLOW;
}

/**
 * bulkhead_decide_on() - decide one flow of information about an object
 * @pol: the policy in force, under rcu_read_lock()
 * @hook: the hook asking, for its counters
 * @from: domain the information comes from
 * @to: domain it goes to
 * @channel: one BULKHEAD_CHAN_* bit
 * @deny: the verdict that denies at this hook (EACCES, or EPERM where the kernel says so)
 * @obj: what the operation acts on, named in its audit record; NULL for nothing
 *
 * Decisions against the policy, and allowed ones along flows declared "audit", are recorded
 * in the audit trail.
 *
 * Return: BULKHEAD_VERDICT_ALLOW, or @deny when the flow is against the policy and the mode
 * is enforce. In audit mode such a flow is counted and allowed. In block failure mode an
 * operation whose record cannot be kept is denied as well.
 */
u32 bulkhead_decide_on(const struct bulkhead_policy *pol, enum bulkhead_hook hook, u32 from,
		       u32 to, u32 channel, u32 deny, const struct bulkhead_object *obj)
{
	enum bulkhead_mode mode = bulkhead_mode_get();
	u32 flow;

	if (mode == BULKHEAD_MODE_OFF)
		return BULKHEAD_VERDICT_ALLOW;
	flow = bulkhead_flow_open(pol, from, to, channel);
	if (flow) {
		if ((flow & BULKHEAD_FLOW_AUDIT_BIT) ||
		    (from != to && bulkhead_audit_record_allows()))
			return audited_allow(pol, hook, from, to, channel, deny, obj);
		return BULKHEAD_VERDICT_ALLOW;
	}
	return against_policy(pol, hook, mode, from, to, channel, deny, obj);
}

/*
 * bulkhead_decide_on() both ways, @a to @b then @b to @a: for relations in which each side
 * can learn about and act on the other (ptrace, stream connections).
 */
u32 bulkhead_decide_both_ways(const struct bulkhead_policy *pol, enum bulkhead_hook hook, u32 a,
			      u32 b, u32 channel, u32 deny, const struct bulkhead_object *obj)
{
	u32 v = bulkhead_decide_on(pol, hook, a, b, channel, deny, obj);

	return v == BULKHEAD_VERDICT_ALLOW ?
	       bulkhead_decide_on(pol, hook, b, a, channel, deny, obj) : v;
}

/**
 * bulkhead_decide_either_way() - decide an operation that a flow either way already reveals
 * @pol: the policy in force, under rcu_read_lock()
 * @hook: the hook asking
 * @from: domain the information comes from
 * @to: domain it goes to
 * @channel: BULKHEAD_CHAN_* bits, any of which will do
 * @deny: the verdict that denies at this hook
 * @obj: what the operation acts on, for the record
 *
 * For what @to learns anyway when @channel flows either way (which names exist in a directory
 * it may read or write). Allowed ones are not recorded, even along flows declared "audit":
 * they are every step of every path lookup.
 *
 * Return: as bulkhead_decide_on(); a denial is recorded as the flow @from to @to.
 */
u32 bulkhead_decide_either_way(const struct bulkhead_policy *pol, enum bulkhead_hook hook,
			       u32 from, u32 to, u32 channel, u32 deny,
			       const struct bulkhead_object *obj)
{
	enum bulkhead_mode mode = bulkhead_mode_get();

	if (mode == BULKHEAD_MODE_OFF)
		return BULKHEAD_VERDICT_ALLOW;
	if (bulkhead_flow_open(pol, from, to, channel) ||
	    bulkhead_flow_open(pol, to, from, channel))
		return BULKHEAD_VERDICT_ALLOW;
	return against_policy(pol, hook, mode, from, to, channel, deny, obj);
}

/* bulkhead_decide_on() for an operation whose record names no object. */
u32 bulkhead_decide(const struct bulkhead_policy *pol, enum bulkhead_hook hook, u32 from,
		    u32 to, u32 channel, u32 deny)
{
	return bulkhead_decide_on(pol, hook, from, to, channel, deny, NULL);
}

/**
 * bulkhead_decide_host_only() - decide an operation that only host may make
 * @pol: the policy in force, under rcu_read_lock()
 * @hook: the hook asking
 * @domain: the domain of the task asking
 * @deny: the verdict that denies at this hook
 *
 * For the ways out of a domain that no flow can open: loading BPF programs or kernel
 * modules, mounting, moving tasks between cgroups, raw packet access.
 *
 * Return: as bulkhead_decide_on().
 */
u32 bulkhead_decide_host_only(const struct bulkhead_policy *pol, enum bulkhead_hook hook,
			      u32 domain, u32 deny)
{
	enum bulkhead_mode mode = bulkhead_mode_get();

	if (mode == BULKHEAD_MODE_OFF || domain == BULKHEAD_HOST_DOMAIN_ID)
		return BULKHEAD_VERDICT_ALLOW;
	return against_policy(pol, hook, mode, domain, domain, 0, deny, NULL);
}

/**
 * bulkhead_decide_capability() - decide a capability that acts on state domains share
 * @pol: the policy in force, under rcu_read_lock()
 * @hook: the hook asking (capable)
 * @domain: the domain of the task asking
 * @cap: the capability, one of BULKHEAD_GRANTABLE_CAPS
 * @probe: the kernel only probes (CAP_OPT_NOAUDIT): a denial is counted, never recorded
 * @deny: the verdict that denies at this hook
 *
 * Host only, unless the policy grants @cap to @domain; a grant declared "audit" records
 * every use. An inactive exclusive member uses nothing.
 *
 * Return: as bulkhead_decide_on().
 */
u32 bulkhead_decide_capability(const struct bulkhead_policy *pol, enum bulkhead_hook hook,
			       u32 domain, u32 cap, bool probe, u32 deny)
{
	enum bulkhead_mode mode = bulkhead_mode_get();
	struct bulkhead_object obj = { .capability = &cap };
	const struct bulkhead_domain *d;

	if (mode == BULKHEAD_MODE_OFF || domain == BULKHEAD_HOST_DOMAIN_ID)
		return BULKHEAD_VERDICT_ALLOW;
	d = bulkhead_domain_by_id(pol, domain);
	if (d && (d->caps & BIT_ULL(cap)) && domain_active(pol, domain)) {
		if ((d->grant_flags & BULKHEAD_GRANT_F_AUDIT) && !probe)
			return audited_allow(pol, hook, domain, domain, 0, deny, &obj);
		return BULKHEAD_VERDICT_ALLOW;
	}
	if (probe) {
		bulkhead_hook_count_denial(hook);
		return mode == BULKHEAD_MODE_ENFORCE ? deny : BULKHEAD_VERDICT_ALLOW;
	}
	return against_policy(pol, hook, mode, domain, domain, 0, deny, &obj);
}

/**
 * bulkhead_deny_locked() - deny changing the pinned BPF links of a locked bulkhead
 * @hook: the asking hook
 * @dentry: the name the task tried to change
 *
 * In every mode and for every domain, host included: nothing may detach the hooks until
 * reboot. Counted as a denial and recorded.
 *
 * Return: BULKHEAD_VERDICT_EPERM.
 */
u32 bulkhead_deny_locked(u32 hook, struct dentry *dentry)
{
	const struct bulkhead_policy *pol = rcu_dereference(bulkhead_active_policy);
	struct path where = { .mnt = bulkhead_lock_mount(), .dentry = dentry };
	struct bulkhead_object obj = { .dentry = dentry, .path = &where };

	if (hook <= BULKHEAD_HOOK_MAX) {
		bulkhead_hook_count_denial(hook);
		bulkhead_audit_lock_denial(pol, hook, bulkhead_current_domain(pol), &obj);
	}
	return BULKHEAD_VERDICT_EPERM;
}
