// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the guarded exchange - FROM's files reach TO only through GUARD's daemon.
 *
 * An exchange adds to the policy exactly what it needs: its outbox and inbox become domains of
 * their own, "NAME.outbox" bound to a directory in FROM's domain and "NAME.inbox" to one in
 * TO's, and four flows join them, all on the file channel:
 *
 *   FROM -> NAME.outbox <-> GUARD <-> NAME.inbox -> TO
 *
 * So FROM creates and writes files in its outbox but cannot read, list or stat them back; only
 * GUARD reads the outbox and removes what it took; only GUARD writes the inbox; TO reads it.
 * Every hook decides these as any other flow: the exchange needs no rule of its own on the
 * decision path. Nothing flows from GUARD or TO back to FROM, and the commit refuses any flow
 * the administrator declared that would go around the guard.
 *
 * This file keeps the exchanges of a transaction (decoded from their netlink nests), checks
 * them against the whole policy at commit, and builds their part of the policy.
 */
#include <linux/dcache.h>
#include <linux/jhash.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/netlink.h>

#include "bulkhead.h"
#include "nl_gen.h"
#include "txn.h"

void bulkhead_exchange_spec_free(struct bulkhead_exchange_spec *spec)
{
	u32 i;

	for (i = 0; i < spec->n_types; i++)
		kfree(spec->types[i]);
	for (i = 0; i < spec->n_deny; i++)
		kfree(spec->deny[i]);
	kfree(spec->outbox);
	kfree(spec->inbox);
	kfree(spec->filter);
	memset(spec, 0, sizeof(*spec));
}

static int dup_string(char **dst, const char *src)
{
	if (!src)
		return 0;
	*dst = kstrdup(src, GFP_KERNEL_ACCOUNT);
	return *dst ? 0 : -ENOMEM;
}

/* Copy @src into @dst, which is empty; on error @dst holds what was copied, to be freed. */
int bulkhead_exchange_spec_copy(struct bulkhead_exchange_spec *dst,
				const struct bulkhead_exchange_spec *src)
{
	int err;
	u32 i;

	*dst = (struct bulkhead_exchange_spec){
		.flags = src->flags, .max_size = src->max_size,
		.filter_timeout = src->filter_timeout, .rate = src->rate, .burst = src->burst,
	};
	err = dup_string(&dst->outbox, src->outbox) ?:
	      dup_string(&dst->inbox, src->inbox) ?:
	      dup_string(&dst->filter, src->filter);
	for (i = 0; !err && i < src->n_types; i++, dst->n_types++)
		err = dup_string(&dst->types[i], src->types[i]);
	for (i = 0; !err && i < src->n_deny; i++, dst->n_deny++)
		err = dup_string(&dst->deny[i], src->deny[i]);
	return err;
}

const struct bulkhead_exchange *bulkhead_exchange_by_name(const struct bulkhead_policy *pol,
							  const char *name)
{
	u32 lo = 0, hi = pol->n_exchanges;

	/* exchanges[] is sorted by name. */
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		int cmp = strcmp(name, pol->exchanges[mid].name);

		if (!cmp)
			return &pol->exchanges[mid];
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* --- the transaction's exchanges ------------------------------------------------------ */

static u32 exchange_hash(const char *name)
{
	return jhash(name, strlen(name), 0);
}

static struct txn_exchange *find_exchange(const struct bulkhead_txn *txn, const char *name)
{
	struct txn_exchange *e;

	hash_for_each_possible(txn->exchanges, e, node, exchange_hash(name))
		if (!strcmp(e->name, name))
			return e;
	return NULL;
}

static void exchange_release(struct txn_exchange *e)
{
	path_put(&e->outbox);
	path_put(&e->inbox);
	bulkhead_exchange_spec_free(&e->spec);
	kfree(e);
}

void txn_free_exchanges(struct bulkhead_txn *txn)
{
	struct hlist_node *tmp;
	struct txn_exchange *e;
	int bkt;

	hash_for_each_safe(txn->exchanges, bkt, tmp, e, node)
		exchange_release(e);
}

/* A box's directory: absolute, resolved now in the caller's mount namespace, a directory. */
static int resolve_box(const struct nlattr *attr, struct path *path, char **target,
		       struct netlink_ext_ack *extack)
{
	const char *name = nla_data(attr);
	int err;

	if (name[0] != '/') {
		NL_SET_ERR_MSG_ATTR(extack, attr, "an outbox or inbox must be an absolute path");
		return -EINVAL;
	}
	err = kern_path(name, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, path);
	if (err) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "the outbox or inbox does not resolve to a directory");
		return err;
	}
	*target = kstrdup(name, GFP_KERNEL_ACCOUNT);
	if (!*target) {
		path_put(path);
		path->dentry = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* One directory is the other or below it (within one filesystem, where labels apply). */
static bool overlap(const struct path *a, const struct path *b)
{
	return is_subdir(a->dentry, b->dentry) || is_subdir(b->dentry, a->dentry);
}

/*
 * The repeated strings of nest @obj of type @type, at most @max. ynl-gen-c (6.12) writes
 * NLA_STRING for a repeated string: its length is checked, its terminating NUL is not.
 */
static int take_strings(const struct nlattr *obj, int type, char **dst, u32 *n, u32 max,
			struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	int rem;

	nla_for_each_nested(a, obj, rem) {
		if (nla_type(a) != type)
			continue;
		if (!nla_len(a) || ((const char *)nla_data(a))[nla_len(a) - 1]) {
			NL_SET_ERR_MSG_ATTR(extack, a, "a string must end with a NUL byte");
			return -EINVAL;
		}
		if (nla_len(a) == 1) {
			NL_SET_ERR_MSG_ATTR(extack, a, "an empty type or pattern");
			return -EINVAL;
		}
		if (*n == max) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "too many types or patterns (BULKHEAD_MAX_EXCHANGE_TYPES, _PATTERNS)");
			return -E2BIG;
		}
		dst[*n] = kstrdup(nla_data(a), GFP_KERNEL_ACCOUNT);
		if (!dst[*n])
			return -ENOMEM;
		(*n)++;
	}
	return 0;
}

static u32 get_u32(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u32(tb[type]) : 0;
}

/* The guard's checks, which the module keeps but does not interpret. */
static int take_checks(struct txn_exchange *e, const struct nlattr *obj, struct nlattr **tb,
		       struct netlink_ext_ack *extack)
{
	struct bulkhead_exchange_spec *s = &e->spec;
	int err;

	s->flags = get_u32(tb, BULKHEAD_A_EXCHANGE_FLAGS);
	s->max_size = tb[BULKHEAD_A_EXCHANGE_MAX_SIZE] ?
		      nla_get_u64(tb[BULKHEAD_A_EXCHANGE_MAX_SIZE]) : 0;
	s->filter_timeout = get_u32(tb, BULKHEAD_A_EXCHANGE_FILTER_TIMEOUT);
	s->rate = get_u32(tb, BULKHEAD_A_EXCHANGE_RATE);
	s->burst = get_u32(tb, BULKHEAD_A_EXCHANGE_BURST);
	if (s->burst && !s->rate) {
		NL_SET_ERR_MSG_ATTR(extack, tb[BULKHEAD_A_EXCHANGE_BURST], "a burst needs a rate");
		return -EINVAL;
	}
	if (tb[BULKHEAD_A_EXCHANGE_FILTER]) {
		if (!nla_len(tb[BULKHEAD_A_EXCHANGE_FILTER]) ||
		    !*(char *)nla_data(tb[BULKHEAD_A_EXCHANGE_FILTER])) {
			NL_SET_ERR_MSG_ATTR(extack, tb[BULKHEAD_A_EXCHANGE_FILTER],
					    "an empty filter command");
			return -EINVAL;
		}
		err = dup_string(&s->filter, nla_data(tb[BULKHEAD_A_EXCHANGE_FILTER]));
		if (err)
			return err;
	}
	err = take_strings(obj, BULKHEAD_A_EXCHANGE_TYPE, s->types, &s->n_types,
			   BULKHEAD_MAX_EXCHANGE_TYPES, extack);
	return err ?: take_strings(obj, BULKHEAD_A_EXCHANGE_DENY, s->deny, &s->n_deny,
				   BULKHEAD_MAX_EXCHANGE_PATTERNS, extack);
}

/* The three domains: named, different, and the guard a third one that is not host. */
static int take_domains(struct bulkhead_txn *txn, struct txn_exchange *e, struct nlattr **tb,
			const struct nlattr *obj, struct netlink_ext_ack *extack)
{
	struct txn_domain *from, *to, *guard;

	from = txn_domain_ref(txn, tb[BULKHEAD_A_EXCHANGE_FROM], extack);
	if (IS_ERR(from))
		return PTR_ERR(from);
	to = txn_domain_ref(txn, tb[BULKHEAD_A_EXCHANGE_TO], extack);
	if (IS_ERR(to))
		return PTR_ERR(to);
	guard = txn_domain_ref(txn, tb[BULKHEAD_A_EXCHANGE_GUARD], extack);
	if (IS_ERR(guard))
		return PTR_ERR(guard);
	if (from == to) {
		NL_SET_ERR_MSG_ATTR(extack, obj, "an exchange goes from one domain to another");
		return -EINVAL;
	}
	if (guard == from || guard == to) {
		NL_SET_ERR_MSG_ATTR(extack, tb[BULKHEAD_A_EXCHANGE_GUARD],
				    "an exchange's guard must be a third domain, not FROM or TO");
		return -EINVAL;
	}
	if (!strcmp(guard->name, BULKHEAD_HOST_DOMAIN)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[BULKHEAD_A_EXCHANGE_GUARD],
				    "host cannot guard an exchange: it reaches every domain");
		return -EINVAL;
	}
	strscpy(e->from, from->name, sizeof(e->from));
	strscpy(e->to, to->name, sizeof(e->to));
	strscpy(e->guard, guard->name, sizeof(e->guard));
	return 0;
}

/* The two directories: resolved, apart from each other and from every other exchange's. */
static int take_boxes(const struct bulkhead_txn *txn, struct txn_exchange *e, struct nlattr **tb,
		      struct netlink_ext_ack *extack)
{
	struct txn_exchange *other;
	int err, bkt;

	err = resolve_box(tb[BULKHEAD_A_EXCHANGE_OUTBOX], &e->outbox, &e->spec.outbox, extack);
	if (err)
		return err;
	err = resolve_box(tb[BULKHEAD_A_EXCHANGE_INBOX], &e->inbox, &e->spec.inbox, extack);
	if (err)
		return err;
	if (overlap(&e->outbox, &e->inbox)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[BULKHEAD_A_EXCHANGE_INBOX],
				    "the outbox and the inbox are one directory or one holds the other");
		return -EINVAL;
	}
	hash_for_each(txn->exchanges, bkt, other, node) {
		if (overlap(&e->outbox, &other->outbox) || overlap(&e->outbox, &other->inbox) ||
		    overlap(&e->inbox, &other->outbox) || overlap(&e->inbox, &other->inbox)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[BULKHEAD_A_EXCHANGE_OUTBOX],
					    "the outbox or inbox overlaps another exchange's");
			return -EINVAL;
		}
	}
	return 0;
}

static const int required[] = {
	BULKHEAD_A_EXCHANGE_FROM, BULKHEAD_A_EXCHANGE_TO, BULKHEAD_A_EXCHANGE_GUARD,
	BULKHEAD_A_EXCHANGE_OUTBOX, BULKHEAD_A_EXCHANGE_INBOX,
};

#define EXCHANGE_REPEATED \
	(BIT_ULL(BULKHEAD_A_EXCHANGE_TYPE) | BIT_ULL(BULKHEAD_A_EXCHANGE_DENY))

static int parse_exchange(const struct nlattr *obj, struct nlattr **tb, bool add,
			  struct netlink_ext_ack *extack)
{
	const char *name;
	size_t i;
	int err;

	err = txn_parse_object(obj, bulkhead_exchange_nl_policy,
			       ARRAY_SIZE(bulkhead_exchange_nl_policy) - 1, EXCHANGE_REPEATED,
			       tb, extack);
	if (err)
		return err;
	if (!tb[BULKHEAD_A_OBJ_NAME]) {
		NL_SET_ERR_MSG_ATTR(extack, obj, "an exchange needs a name");
		return -EINVAL;
	}
	name = nla_data(tb[BULKHEAD_A_OBJ_NAME]);
	if (!bulkhead_name_valid(name) || strlen(name) >= BULKHEAD_EXCHANGE_NAME_LEN) {
		NL_SET_ERR_MSG_ATTR(extack, tb[BULKHEAD_A_OBJ_NAME],
				    "an exchange's name is 1 to 23 characters from a-z 0-9 _ -");
		return -EINVAL;
	}
	for (i = 0; add && i < ARRAY_SIZE(required); i++) {
		if (!tb[required[i]]) {
			NL_SET_ERR_MSG_ATTR(extack, obj,
					    "an exchange needs from, to, guard, outbox and inbox");
			return -EINVAL;
		}
	}
	return 0;
}

int txn_add_exchange(struct bulkhead_txn *txn, const struct nlattr *obj,
		     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[BULKHEAD_A_OBJ_MAX + 1];
	struct txn_exchange *e;
	int err;

	err = parse_exchange(obj, tb, true, extack);
	if (err)
		return err;
	if (find_exchange(txn, nla_data(tb[BULKHEAD_A_OBJ_NAME]))) {
		NL_SET_ERR_MSG_ATTR(extack, tb[BULKHEAD_A_OBJ_NAME],
				    "exchange already exists (delete it first)");
		return -EEXIST;
	}
	if (txn->n_exchanges >= BULKHEAD_MAX_EXCHANGES ||
	    txn->n_domains + 2 * (txn->n_exchanges + 1) > BULKHEAD_MAX_DOMAINS) {
		NL_SET_ERR_MSG_ATTR(extack, obj,
				    "too many exchanges (BULKHEAD_MAX_EXCHANGES; each counts two domains)");
		return -E2BIG;
	}
	e = kzalloc(sizeof(*e), GFP_KERNEL_ACCOUNT);
	if (!e)
		return -ENOMEM;
	strscpy(e->name, nla_data(tb[BULKHEAD_A_OBJ_NAME]), sizeof(e->name));
	err = take_domains(txn, e, tb, obj, extack) ?:
	      take_checks(e, obj, tb, extack) ?:
	      take_boxes(txn, e, tb, extack);
	if (err) {
		exchange_release(e);
		return err;
	}
	txn_find_domain(txn, e->from)->users++;
	txn_find_domain(txn, e->to)->users++;
	txn_find_domain(txn, e->guard)->users++;
	hash_add(txn->exchanges, &e->node, exchange_hash(e->name));
	txn->n_exchanges++;
	return 0;
}

int txn_del_exchange(struct bulkhead_txn *txn, const struct nlattr *obj,
		     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[BULKHEAD_A_OBJ_MAX + 1];
	struct txn_exchange *e;
	int err;

	err = parse_exchange(obj, tb, false, extack);
	if (err)
		return err;
	e = find_exchange(txn, nla_data(tb[BULKHEAD_A_OBJ_NAME]));
	if (!e) {
		NL_SET_ERR_MSG_ATTR(extack, obj, "no such exchange in this transaction");
		return -ENOENT;
	}
	hash_del(&e->node);
	txn_drop_user(txn, e->from);
	txn_drop_user(txn, e->to);
	txn_drop_user(txn, e->guard);
	txn->n_exchanges--;
	exchange_release(e);
	return 0;
}

/* The exchanges of @pol into @txn, which holds @pol's domains already (txn.c). */
int txn_copy_exchanges(struct bulkhead_txn *txn, const struct bulkhead_policy *pol)
{
	const struct bulkhead_exchange *pe;
	struct txn_exchange *e;
	int bkt, err;
	u32 i;

	for (i = 0; i < pol->n_exchanges; i++) {
		pe = &pol->exchanges[i];
		e = kzalloc(sizeof(*e), GFP_KERNEL_ACCOUNT);
		if (!e)
			return -ENOMEM;
		strscpy(e->name, pe->name, sizeof(e->name));
		strscpy(e->from, bulkhead_domain_by_id(pol, pe->from)->name, sizeof(e->from));
		strscpy(e->to, bulkhead_domain_by_id(pol, pe->to)->name, sizeof(e->to));
		strscpy(e->guard, bulkhead_domain_by_id(pol, pe->guard)->name, sizeof(e->guard));
		e->outbox = pe->outbox_path;
		e->inbox = pe->inbox_path;
		path_get(&e->outbox);
		path_get(&e->inbox);
		err = bulkhead_exchange_spec_copy(&e->spec, &pe->spec);
		if (err) {
			exchange_release(e);
			return err;
		}
		hash_add(txn->exchanges, &e->node, exchange_hash(e->name));
		txn->n_exchanges++;
	}
	/* Counted once every exchange is in, as add_exchange counts them. */
	hash_for_each(txn->exchanges, bkt, e, node) {
		txn_find_domain(txn, e->from)->users++;
		txn_find_domain(txn, e->to)->users++;
		txn_find_domain(txn, e->guard)->users++;
	}
	return 0;
}

/* --- an exchange's part in the policy ------------------------------------------------- */

u32 bulkhead_exchange_boxes(const struct bulkhead_txn *txn)
{
	return 2 * txn->n_exchanges;
}

/* Fill @d, room for bulkhead_exchange_boxes() domains, with the boxes' names. */
void bulkhead_exchange_name_boxes(const struct bulkhead_txn *txn, struct bulkhead_domain *d)
{
	struct txn_exchange *e;
	int bkt;

	hash_for_each(txn->exchanges, bkt, e, node) {
		/* A '.' is in no domain's name: the boxes cannot collide with one. */
		snprintf(d->name, sizeof(d->name), "%s.outbox", e->name);
		(d++)->box = true;
		snprintf(d->name, sizeof(d->name), "%s.inbox", e->name);
		(d++)->box = true;
	}
}

static bool any_flow(const struct bulkhead_policy *pol, u32 a, u32 b)
{
	return bulkhead_flow(pol, a, b) || bulkhead_flow(pol, b, a);
}

static u32 domain_id(const struct bulkhead_policy *pol, const char *name)
{
	return bulkhead_domain_by_name(pol, name)->id;
}

static bool box_holds_binding(const struct bulkhead_txn *txn, const struct path *box)
{
	struct txn_binding *b;
	int bkt;

	hash_for_each(txn->bindings, bkt, b, node)
		if (b->kind == BULKHEAD_BIND_PATH && is_subdir(b->path.dentry, box->dentry))
			return true;
	return false;
}

static bool guard_shared_badly(const struct bulkhead_txn *txn, const struct txn_exchange *e)
{
	struct txn_exchange *other;
	int bkt;

	hash_for_each(txn->exchanges, bkt, other, node)
		if (other != e && !strcmp(other->guard, e->guard) &&
		    !(e->spec.flags & other->spec.flags & BULKHEAD_EXCHANGE_F_SHARED_GUARD))
			return true;
	return false;
}

/* In @pol, built without the boxes yet: where the directories are, and the flows around. */
static int check_one(const struct bulkhead_policy *pol, const struct bulkhead_txn *txn,
		     const struct txn_exchange *e, struct netlink_ext_ack *extack)
{
	u32 from = domain_id(pol, e->from), to = domain_id(pol, e->to);
	u32 guard = domain_id(pol, e->guard);
	bool outbox_ok, inbox_ok;

	rcu_read_lock();
	outbox_ok = bulkhead_dentry_domain(pol, e->outbox.dentry) == from;
	inbox_ok = bulkhead_dentry_domain(pol, e->inbox.dentry) == to;
	rcu_read_unlock();
	if (!outbox_ok) {
		NL_SET_ERR_MSG(extack, "an exchange's outbox is not in its FROM domain");
		return -EINVAL;
	}
	if (!inbox_ok) {
		NL_SET_ERR_MSG(extack, "an exchange's inbox is not in its TO domain");
		return -EINVAL;
	}
	if (box_holds_binding(txn, &e->outbox) || box_holds_binding(txn, &e->inbox)) {
		NL_SET_ERR_MSG(extack,
			       "an exchange's outbox or inbox is bound, or holds a binding, itself");
		return -EINVAL;
	}
	if (any_flow(pol, from, to)) {
		NL_SET_ERR_MSG(extack,
			       "an exchange's FROM and TO have a flow of their own: it would bypass the guard");
		return -EINVAL;
	}
	if (any_flow(pol, guard, from) || any_flow(pol, guard, to)) {
		NL_SET_ERR_MSG(extack,
			       "an exchange's guard has a flow with FROM or TO: it may reach them only through the outbox and inbox");
		return -EINVAL;
	}
	if (guard_shared_badly(txn, e)) {
		NL_SET_ERR_MSG(extack,
			       "a guard domain serves two exchanges: each must say shared-guard");
		return -EINVAL;
	}
	return 0;
}

/**
 * bulkhead_exchange_check() - check every exchange of @txn against the whole policy
 * @pol: the policy being built from @txn, its domains, flows and bindings in, the boxes not
 * @txn: the transaction
 * @extack: for the reason
 *
 * What other objects can change after an exchange was added is checked here, at commit.
 *
 * Return: 0, or -EINVAL with a message.
 */
int bulkhead_exchange_check(const struct bulkhead_policy *pol, const struct bulkhead_txn *txn,
			    struct netlink_ext_ack *extack)
{
	struct txn_exchange *e;
	int bkt, err;

	hash_for_each(txn->exchanges, bkt, e, node) {
		err = check_one(pol, txn, e, extack);
		if (err)
			return err;
	}
	return 0;
}

static int cmp_exchanges(const void *a, const void *b)
{
	return strcmp(((const struct bulkhead_exchange *)a)->name,
		      ((const struct bulkhead_exchange *)b)->name);
}

/* @pol's exchanges, sorted by name; the boxes' bindings and flows are policy_build.c's. */
int bulkhead_exchange_build(struct bulkhead_policy *pol, const struct bulkhead_txn *txn)
{
	char box[BULKHEAD_NAME_LEN];
	struct txn_exchange *e;
	int bkt, err;

	pol->exchanges = kvcalloc(txn->n_exchanges, sizeof(*pol->exchanges), GFP_KERNEL_ACCOUNT);
	if (txn->n_exchanges && !pol->exchanges)
		return -ENOMEM;
	hash_for_each(txn->exchanges, bkt, e, node) {
		struct bulkhead_exchange *pe = &pol->exchanges[pol->n_exchanges];

		strscpy(pe->name, e->name, sizeof(pe->name));
		pe->from = domain_id(pol, e->from);
		pe->to = domain_id(pol, e->to);
		pe->guard = domain_id(pol, e->guard);
		snprintf(box, sizeof(box), "%s.outbox", e->name);
		pe->outbox = domain_id(pol, box);
		snprintf(box, sizeof(box), "%s.inbox", e->name);
		pe->inbox = domain_id(pol, box);
		pe->outbox_path = e->outbox;
		pe->inbox_path = e->inbox;
		path_get(&pe->outbox_path);
		path_get(&pe->inbox_path);
		pol->n_exchanges++;
		err = bulkhead_exchange_spec_copy(&pe->spec, &e->spec);
		if (err)
			return err;
	}
	sort(pol->exchanges, pol->n_exchanges, sizeof(*pol->exchanges), cmp_exchanges, NULL);
	return 0;
}
