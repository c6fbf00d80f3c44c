// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: moving policies between userspace and the kernel over netlink.
 */
#include <errno.h>
#include <string.h>
#include <netlink/genl/genl.h>

#include "policy_nl.h"

/* Keep each ADD message well inside the kernel's default socket buffers. */
#define BATCH_BYTES (48 * 1024)

const char *bh_hash_hex(const uint8_t *hash)
{
	static char hex[2 * BULKHEAD_HASH_LEN + 1];
	int i;

	for (i = 0; i < BULKHEAD_HASH_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", hash[i]);
	return hex;
}

void bh_change_print(FILE *out, const char *what, char *const *words,
		     const struct bh_policy_id *id)
{
	fputs(what, out);
	for (; *words; words++)
		fprintf(out, " %s", *words);
	fprintf(out, ": policy generation %llu, sha256 %s\n",
		(unsigned long long)id->generation, bh_hash_hex(id->hash));
}

int bh_put_domain(struct nl_msg *msg, const char *name)
{
	struct nlattr *nest = nla_nest_start(msg, BULKHEAD_A_OBJ_DOMAIN);

	if (!nest || nla_put_string(msg, BULKHEAD_A_OBJ_NAME, name))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

int bh_put_binding(struct nl_msg *msg, const char *domain, unsigned int kind,
		   const char *target)
{
	struct nlattr *nest = nla_nest_start(msg, BULKHEAD_A_OBJ_BINDING);

	if (!nest || (domain && nla_put_string(msg, BULKHEAD_A_BINDING_DOMAIN, domain)) ||
	    nla_put_u32(msg, BULKHEAD_A_BINDING_KIND, kind) ||
	    nla_put_string(msg, BULKHEAD_A_BINDING_TARGET, target))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

int bh_put_flow(struct nl_msg *msg, const char *from, const char *to, uint32_t channels,
		uint32_t flags)
{
	struct nlattr *nest = nla_nest_start(msg, BULKHEAD_A_OBJ_FLOW);

	if (!nest || nla_put_string(msg, BULKHEAD_A_FLOW_FROM, from) ||
	    nla_put_string(msg, BULKHEAD_A_FLOW_TO, to) ||
	    (channels && nla_put_u32(msg, BULKHEAD_A_FLOW_CHANNELS, channels)) ||
	    (flags && nla_put_u32(msg, BULKHEAD_A_FLOW_FLAGS, flags)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

int bh_put_grant(struct nl_msg *msg, const char *domain, uint64_t caps, uint32_t flags)
{
	struct nlattr *nest = nla_nest_start(msg, BULKHEAD_A_OBJ_GRANT);

	if (!nest || nla_put_string(msg, BULKHEAD_A_GRANT_DOMAIN, domain) ||
	    (caps && nla_put_u64(msg, BULKHEAD_A_GRANT_CAPS, caps)) ||
	    (flags && nla_put_u32(msg, BULKHEAD_A_GRANT_FLAGS, flags)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

int bh_put_group(struct nl_msg *msg, const char *name, char (*members)[BULKHEAD_NAME_LEN],
		 size_t n)
{
	struct nlattr *nest = nla_nest_start(msg, BULKHEAD_A_OBJ_GROUP);
	size_t i;

	if (!nest || nla_put_string(msg, BULKHEAD_A_OBJ_NAME, name))
		return -EMSGSIZE;
	for (i = 0; i < n; i++)
		if (nla_put_string(msg, BULKHEAD_A_GROUP_MEMBER, members[i]))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* Each of @strings as one more @type attribute: an exchange's repeated types and patterns. */
static int put_strings(struct nl_msg *msg, int type, char *const *strings, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (nla_put_string(msg, type, strings[i]))
			return -EMSGSIZE;
	return 0;
}

int bh_put_exchange(struct nl_msg *msg, const struct bh_exchange *e)
{
	struct nlattr *nest = nla_nest_start(msg, BULKHEAD_A_OBJ_EXCHANGE);

	/*
	 * What is set, as a delete names the exchange alone. max-size goes unpadded, as a
	 * grant's caps do: the kernel reads a u64 at any alignment.
	 */
	if (!nest || nla_put_string(msg, BULKHEAD_A_OBJ_NAME, e->name) ||
	    (e->from[0] && nla_put_string(msg, BULKHEAD_A_EXCHANGE_FROM, e->from)) ||
	    (e->to[0] && nla_put_string(msg, BULKHEAD_A_EXCHANGE_TO, e->to)) ||
	    (e->guard[0] && nla_put_string(msg, BULKHEAD_A_EXCHANGE_GUARD, e->guard)) ||
	    (e->outbox && nla_put_string(msg, BULKHEAD_A_EXCHANGE_OUTBOX, e->outbox)) ||
	    (e->inbox && nla_put_string(msg, BULKHEAD_A_EXCHANGE_INBOX, e->inbox)) ||
	    (e->flags && nla_put_u32(msg, BULKHEAD_A_EXCHANGE_FLAGS, e->flags)) ||
	    (e->max_size && nla_put_u64(msg, BULKHEAD_A_EXCHANGE_MAX_SIZE, e->max_size)) ||
	    put_strings(msg, BULKHEAD_A_EXCHANGE_TYPE, e->types, e->n_types) ||
	    put_strings(msg, BULKHEAD_A_EXCHANGE_DENY, e->deny, e->n_deny) ||
	    (e->filter && nla_put_string(msg, BULKHEAD_A_EXCHANGE_FILTER, e->filter)) ||
	    (e->filter_timeout &&
	     nla_put_u32(msg, BULKHEAD_A_EXCHANGE_FILTER_TIMEOUT, e->filter_timeout)) ||
	    (e->rate && nla_put_u32(msg, BULKHEAD_A_EXCHANGE_RATE, e->rate)) ||
	    (e->burst && nla_put_u32(msg, BULKHEAD_A_EXCHANGE_BURST, e->burst)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* --- fetch ------------------------------------------------------------------------------ */

struct fetch_state {
	struct bh_policy *p;
	struct bh_policy_id *id;
	bool seen_generation;
};

static void copy_name(char *dst, const struct nlattr *a)
{
	snprintf(dst, BULKHEAD_NAME_LEN, "%s", a ? (const char *)nla_data(a) : "");
}

static uint32_t get_u32(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u32(tb[type]) : 0;
}

/* A copy of string attribute @type into *@dst; 0 when it is absent too. */
static int dup_string(char **dst, struct nlattr **tb, int type)
{
	if (!tb[type])
		return 0;
	*dst = strdup(nla_data(tb[type]));
	return *dst ? 0 : -ENOMEM;
}

/* Group members repeat inside the nest, so they are read in order, not through tb. */
static int fetch_members(const struct nlattr *nest, struct bh_group *g)
{
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem)
		if (nla_type(a) == BULKHEAD_A_GROUP_MEMBER &&
		    bh_group_add_member(g, nla_data(a)))
			return -ENOMEM;
	return 0;
}

/* So do an exchange's types and deny patterns. */
static int fetch_exchange_lists(const struct nlattr *nest, struct bh_exchange *e)
{
	struct nlattr *a;
	int rem, err = 0;

	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) == BULKHEAD_A_EXCHANGE_TYPE)
			err = bh_strings_add(&e->types, &e->n_types, nla_data(a));
		else if (nla_type(a) == BULKHEAD_A_EXCHANGE_DENY)
			err = bh_strings_add(&e->deny, &e->n_deny, nla_data(a));
		if (err)
			return -ENOMEM;
	}
	return 0;
}

/* The kernel dumps what is set, the flags always. */
static int fetch_exchange(const struct nlattr *nest, struct nlattr **tb, struct bh_policy *p)
{
	struct bh_exchange *e;

	if (!tb[BULKHEAD_A_OBJ_NAME] || !tb[BULKHEAD_A_EXCHANGE_FROM] ||
	    !tb[BULKHEAD_A_EXCHANGE_TO] || !tb[BULKHEAD_A_EXCHANGE_GUARD] ||
	    !tb[BULKHEAD_A_EXCHANGE_OUTBOX] || !tb[BULKHEAD_A_EXCHANGE_INBOX])
		return -EPROTO;
	e = bh_policy_add_exchange(p, nla_data(tb[BULKHEAD_A_OBJ_NAME]));
	if (!e)
		return -ENOMEM;
	copy_name(e->from, tb[BULKHEAD_A_EXCHANGE_FROM]);
	copy_name(e->to, tb[BULKHEAD_A_EXCHANGE_TO]);
	copy_name(e->guard, tb[BULKHEAD_A_EXCHANGE_GUARD]);
	e->flags = get_u32(tb, BULKHEAD_A_EXCHANGE_FLAGS);
	e->max_size = tb[BULKHEAD_A_EXCHANGE_MAX_SIZE] ?
		      nla_get_u64(tb[BULKHEAD_A_EXCHANGE_MAX_SIZE]) : 0;
	e->filter_timeout = get_u32(tb, BULKHEAD_A_EXCHANGE_FILTER_TIMEOUT);
	e->rate = get_u32(tb, BULKHEAD_A_EXCHANGE_RATE);
	e->burst = get_u32(tb, BULKHEAD_A_EXCHANGE_BURST);
	return dup_string(&e->outbox, tb, BULKHEAD_A_EXCHANGE_OUTBOX) ?:
	       dup_string(&e->inbox, tb, BULKHEAD_A_EXCHANGE_INBOX) ?:
	       dup_string(&e->filter, tb, BULKHEAD_A_EXCHANGE_FILTER) ?:
	       fetch_exchange_lists(nest, e);
}

int bh_get_object(struct nlattr *nest, int type, struct bh_policy *p)
{
	struct nlattr *tb[BULKHEAD_A_OBJ_MAX + 1];
	struct bh_domain *d;
	struct bh_grant *gr;
	struct bh_flow *f;
	struct bh_group *g;

	if (nla_parse_nested(tb, BULKHEAD_A_OBJ_MAX, nest, NULL))
		return -EPROTO;

	switch (type) {
	case BULKHEAD_A_OBJ_DOMAIN:
		if (!tb[BULKHEAD_A_OBJ_NAME])
			return -EPROTO;
		d = bh_policy_add_domain(p, nla_data(tb[BULKHEAD_A_OBJ_NAME]));
		if (d && tb[BULKHEAD_A_OBJ_ID])
			d->id = nla_get_u32(tb[BULKHEAD_A_OBJ_ID]);
		return d ? 0 : -ENOMEM;
	case BULKHEAD_A_OBJ_BINDING:
		if (!tb[BULKHEAD_A_BINDING_DOMAIN] || !tb[BULKHEAD_A_BINDING_KIND] ||
		    !tb[BULKHEAD_A_BINDING_TARGET])
			return -EPROTO;
		d = bh_policy_domain(p, nla_data(tb[BULKHEAD_A_BINDING_DOMAIN]));
		if (!d)
			return -EPROTO;
		return bh_domain_add_binding(d, nla_get_u32(tb[BULKHEAD_A_BINDING_KIND]),
					     nla_data(tb[BULKHEAD_A_BINDING_TARGET])) ? 0 : -ENOMEM;
	case BULKHEAD_A_OBJ_FLOW:
		if (!tb[BULKHEAD_A_FLOW_FROM] || !tb[BULKHEAD_A_FLOW_TO] ||
		    !tb[BULKHEAD_A_FLOW_CHANNELS])
			return -EPROTO;
		f = bh_policy_add_flow(p, nla_data(tb[BULKHEAD_A_FLOW_FROM]),
				       nla_data(tb[BULKHEAD_A_FLOW_TO]));
		if (!f)
			return -ENOMEM;
		f->channels = nla_get_u32(tb[BULKHEAD_A_FLOW_CHANNELS]);
		f->flags = get_u32(tb, BULKHEAD_A_FLOW_FLAGS);
		return 0;
	case BULKHEAD_A_OBJ_GRANT:
		if (!tb[BULKHEAD_A_GRANT_DOMAIN] || !tb[BULKHEAD_A_GRANT_CAPS])
			return -EPROTO;
		gr = bh_policy_add_grant(p, nla_data(tb[BULKHEAD_A_GRANT_DOMAIN]));
		if (!gr)
			return -ENOMEM;
		gr->caps = nla_get_u64(tb[BULKHEAD_A_GRANT_CAPS]);
		gr->flags = get_u32(tb, BULKHEAD_A_GRANT_FLAGS);
		return 0;
	case BULKHEAD_A_OBJ_GROUP:
		if (!tb[BULKHEAD_A_OBJ_NAME])
			return -EPROTO;
		g = bh_policy_add_group(p, nla_data(tb[BULKHEAD_A_OBJ_NAME]));
		if (!g)
			return -ENOMEM;
		copy_name(g->active, tb[BULKHEAD_A_GROUP_ACTIVE]);
		return fetch_members(nest, g);
	case BULKHEAD_A_OBJ_EXCHANGE:
		return fetch_exchange(nest, tb, p);
	}
	return -EPROTO;
}

static int on_policy_message(struct nlattr **attrs, void *arg)
{
	static const int types[] = { BULKHEAD_A_OBJ_DOMAIN, BULKHEAD_A_OBJ_BINDING,
				     BULKHEAD_A_OBJ_FLOW, BULKHEAD_A_OBJ_GRANT,
				     BULKHEAD_A_OBJ_GROUP, BULKHEAD_A_OBJ_EXCHANGE };
	struct fetch_state *st = arg;
	unsigned int i;
	int err;

	if (attrs[BULKHEAD_A_GENERATION]) {
		uint64_t generation = nla_get_u64(attrs[BULKHEAD_A_GENERATION]);

		/* Every message of one dump must come from one policy. */
		if (st->seen_generation && generation != st->id->generation)
			return -EINTR;
		st->id->generation = generation;
		st->seen_generation = true;
	}
	if (attrs[BULKHEAD_A_POLICY_HASH] &&
	    nla_len(attrs[BULKHEAD_A_POLICY_HASH]) == BULKHEAD_HASH_LEN)
		memcpy(st->id->hash, nla_data(attrs[BULKHEAD_A_POLICY_HASH]), BULKHEAD_HASH_LEN);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (!attrs[types[i]])
			continue;
		err = bh_get_object(attrs[types[i]], types[i], st->p);
		if (err)
			return err;
	}
	return 0;
}

int bh_policy_fetch(struct bh_genl *g, struct bh_policy *p, struct bh_policy_id *id)
{
	struct fetch_state st = { .p = p, .id = id };
	struct nl_msg *msg;

	msg = bh_genl_msg(g, BULKHEAD_CMD_POLICY_GET, NLM_F_DUMP);
	if (!msg)
		return -ENOMEM;
	return bh_genl_call(g, msg, on_policy_message, &st);
}

/* --- push ------------------------------------------------------------------------------- */

/* Which object starts where in the message being built, to name it when the kernel refuses. */
struct placed {
	int offset;
	const struct bh_pos *pos;
	char what[96];
};

struct batch {
	struct bh_genl *g;
	struct nl_msg *msg;
	struct nlattr *objects;
	struct placed *placed;
	size_t n_placed, cap;
	FILE *err;
};

static int batch_open(struct batch *b)
{
	b->msg = bh_genl_msg(b->g, BULKHEAD_CMD_TXN_ADD, 0);
	if (!b->msg)
		return -ENOMEM;
	b->objects = nla_nest_start(b->msg, BULKHEAD_A_OBJECTS);
	b->n_placed = 0;
	return b->objects ? 0 : -ENOMEM;
}

static void report_refusal(const struct batch *b, int err)
{
	const struct placed *obj = NULL;
	size_t i;

	for (i = 0; i < b->n_placed; i++)
		if (b->placed[i].offset <= b->g->bad_attr_offset)
			obj = &b->placed[i];
	if (obj && obj->pos)
		bh_pos_error(b->err, obj->pos, "%s: the kernel refused it: %s%s%s", obj->what,
			     strerror(-err), b->g->ext_ack[0] ? ": " : "", b->g->ext_ack);
	else
		fprintf(b->err, "the kernel refused the policy: %s%s%s\n", strerror(-err),
			b->g->ext_ack[0] ? ": " : "", b->g->ext_ack);
}

static int batch_send(struct batch *b)
{
	int err;

	/* An empty policy has nothing to add: the transaction starts empty. */
	if (!b->n_placed) {
		nlmsg_free(b->msg);
		b->msg = NULL;
		return 0;
	}
	nla_nest_end(b->msg, b->objects);
	err = bh_genl_call(b->g, b->msg, NULL, NULL);
	b->msg = NULL;
	if (err)
		report_refusal(b, err);
	return err;
}

/*
 * Send the batch and start the next when @need more bytes would take it past BATCH_BYTES:
 * every object but an exchange is small enough for the room left past it, and asks for none.
 */
static int batch_make_room(struct batch *b, size_t need)
{
	int err;

	if (nlmsg_hdr(b->msg)->nlmsg_len + need <= BATCH_BYTES)
		return 0;
	err = batch_send(b);
	return err ? err : batch_open(b);
}

/* Note where the next object starts; flush first when the message is full enough. */
static int batch_place(struct batch *b, const struct bh_pos *pos, const char *fmt,
		       const char *a, const char *c)
{
	struct placed *pl;
	int err;

	err = batch_make_room(b, 0);
	if (err)
		return err;
	if (b->n_placed == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 256;
		b->placed = realloc(b->placed, b->cap * sizeof(*b->placed));
		if (!b->placed)
			return -ENOMEM;
	}
	pl = &b->placed[b->n_placed++];
	pl->offset = nlmsg_hdr(b->msg)->nlmsg_len;
	pl->pos = pos;
	snprintf(pl->what, sizeof(pl->what), fmt, a, c);
	return 0;
}

static size_t string_size(const char *s)
{
	return s ? nla_total_size(strlen(s) + 1) : 0;
}

/*
 * The bytes exchange @e takes in a message, a bound: at the most (32 types and patterns of
 * 1,023 bytes) it is close to BATCH_BYTES, so it may need a message of its own.
 */
static size_t exchange_size(const struct bh_exchange *e)
{
	size_t size = nla_total_size(0) + 4 * nla_total_size(BULKHEAD_NAME_LEN) +
		      4 * nla_total_size(sizeof(uint32_t)) + nla_total_size(sizeof(uint64_t)) +
		      string_size(e->outbox) + string_size(e->inbox) + string_size(e->filter);
	size_t i;

	for (i = 0; i < e->n_types; i++)
		size += string_size(e->types[i]);
	for (i = 0; i < e->n_deny; i++)
		size += string_size(e->deny[i]);
	return size;
}

static int push_objects(struct batch *b, const struct bh_policy *p)
{
	size_t i, j;
	int err = 0;

	for (i = 0; !err && i < p->n_domains; i++) {
		if (!strcmp(p->domains[i].name, BULKHEAD_HOST_DOMAIN))
			continue;	/* every transaction holds host already */
		err = batch_place(b, &p->domains[i].pos, "domain %s%s", p->domains[i].name, "") ?:
		      bh_put_domain(b->msg, p->domains[i].name);
	}
	for (i = 0; !err && i < p->n_domains; i++) {
		const struct bh_domain *d = &p->domains[i];

		for (j = 0; !err && j < d->n_bindings; j++)
			err = batch_place(b, &d->bindings[j].pos, "%s %s",
					  bh_binding_kind_name(d->bindings[j].kind),
					  d->bindings[j].target) ?:
			      bh_put_binding(b->msg, d->name, d->bindings[j].kind,
					     d->bindings[j].target);
	}
	for (i = 0; !err && i < p->n_flows; i++) {
		const struct bh_flow *f = &p->flows[i];

		err = batch_place(b, &f->pos, "flow %s -> %s", f->from, f->to) ?:
		      bh_put_flow(b->msg, f->from, f->to, f->channels, f->flags);
	}
	for (i = 0; !err && i < p->n_grants; i++) {
		const struct bh_grant *g = &p->grants[i];

		err = batch_place(b, &g->pos, "grant %s%s", g->domain, "") ?:
		      bh_put_grant(b->msg, g->domain, g->caps, g->flags);
	}
	for (i = 0; !err && i < p->n_groups; i++) {
		const struct bh_group *g = &p->groups[i];

		err = batch_place(b, &g->pos, "exclusive %s%s", g->name, "") ?:
		      bh_put_group(b->msg, g->name, g->members, g->n_members);
	}
	for (i = 0; !err && i < p->n_exchanges; i++) {
		const struct bh_exchange *e = &p->exchanges[i];

		err = batch_make_room(b, exchange_size(e)) ?:
		      batch_place(b, &e->pos, "exchange %s%s", e->name, "") ?:
		      bh_put_exchange(b->msg, e);
	}
	return err ? err : batch_send(b);
}

static int txn_begin(struct bh_genl *g, uint32_t flags, uint64_t *base)
{
	struct bh_policy_id id = { 0 };
	struct fetch_state st = { .id = &id };
	struct nl_msg *msg = bh_genl_msg(g, BULKHEAD_CMD_TXN_BEGIN, 0);
	int err;

	if (!msg || (flags && nla_put_u32(msg, BULKHEAD_A_TXN_FLAGS, flags))) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	err = bh_genl_call(g, msg, on_policy_message, &st);
	*base = id.generation;
	return err;
}

static int txn_commit(struct bh_genl *g, uint64_t base, struct bh_policy_id *id)
{
	struct fetch_state st = { .id = id };
	struct nl_msg *msg = bh_genl_msg(g, BULKHEAD_CMD_TXN_COMMIT, 0);

	if (!msg || nla_put_u64(msg, BULKHEAD_A_GENERATION, base)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return bh_genl_call(g, msg, on_policy_message, &st);
}

int bh_policy_push(struct bh_genl *g, const struct bh_policy *p, struct bh_policy_id *id,
		   FILE *err)
{
	struct batch b = { .g = g, .err = err };
	uint64_t base;
	int ret;

	ret = txn_begin(g, 0, &base);
	if (ret) {
		fprintf(err, "cannot begin a policy transaction: %s%s%s\n", strerror(-ret),
			g->ext_ack[0] ? ": " : "", g->ext_ack);
		return ret;
	}
	/* A refused ADD aborts the transaction in the kernel; nothing more to undo here. */
	ret = batch_open(&b) ?: push_objects(&b, p);
	nlmsg_free(b.msg);
	free(b.placed);
	if (ret)
		return ret;
	ret = txn_commit(g, base, id);
	if (ret)
		fprintf(err, "the kernel refused to commit the policy: %s%s%s\n", strerror(-ret),
			g->ext_ack[0] ? ": " : "", g->ext_ack);
	return ret;
}

int bh_policy_change(struct bh_genl *g, int cmd, struct nl_msg *objects_msg,
		     struct bh_policy_id *id)
{
	uint64_t base;
	int err;

	err = txn_begin(g, BULKHEAD_TXN_F_FROM_ACTIVE, &base);
	if (err) {
		nlmsg_free(objects_msg);
		return err;
	}
	genlmsg_hdr(nlmsg_hdr(objects_msg))->cmd = cmd;
	err = bh_genl_call(g, objects_msg, NULL, NULL);
	if (err)
		return err;	/* the kernel aborted the transaction */
	return txn_commit(g, base, id);
}
