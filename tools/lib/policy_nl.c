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

static int fetch_object(struct nlattr **tb, int type, struct bh_policy *p)
{
	struct bh_domain *d;
	struct bh_grant *gr;
	struct bh_flow *f;
	struct bh_group *g;

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
		f->flags = tb[BULKHEAD_A_FLOW_FLAGS] ? nla_get_u32(tb[BULKHEAD_A_FLOW_FLAGS]) : 0;
		return 0;
	case BULKHEAD_A_OBJ_GRANT:
		if (!tb[BULKHEAD_A_GRANT_DOMAIN] || !tb[BULKHEAD_A_GRANT_CAPS])
			return -EPROTO;
		gr = bh_policy_add_grant(p, nla_data(tb[BULKHEAD_A_GRANT_DOMAIN]));
		if (!gr)
			return -ENOMEM;
		gr->caps = nla_get_u64(tb[BULKHEAD_A_GRANT_CAPS]);
		gr->flags = tb[BULKHEAD_A_GRANT_FLAGS] ? nla_get_u32(tb[BULKHEAD_A_GRANT_FLAGS]) : 0;
		return 0;
	case BULKHEAD_A_OBJ_GROUP:
		if (!tb[BULKHEAD_A_OBJ_NAME])
			return -EPROTO;
		g = bh_policy_add_group(p, nla_data(tb[BULKHEAD_A_OBJ_NAME]));
		if (!g)
			return -ENOMEM;
		copy_name(g->active, tb[BULKHEAD_A_GROUP_ACTIVE]);
		return 0;
	}
	return -EPROTO;
}

/* Group members repeat inside the nest, so they are read in order, not through tb. */
static int fetch_members(struct nlattr *nest, struct bh_policy *p)
{
	struct bh_group *g = &p->groups[p->n_groups - 1];
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem)
		if (nla_type(a) == BULKHEAD_A_GROUP_MEMBER &&
		    bh_group_add_member(g, nla_data(a)))
			return -ENOMEM;
	return 0;
}

static int on_policy_message(struct nlattr **attrs, void *arg)
{
	static const int types[] = { BULKHEAD_A_OBJ_DOMAIN, BULKHEAD_A_OBJ_BINDING,
				     BULKHEAD_A_OBJ_FLOW, BULKHEAD_A_OBJ_GRANT,
				     BULKHEAD_A_OBJ_GROUP };
	struct nlattr *tb[BULKHEAD_A_OBJ_MAX + 1];
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
		if (nla_parse_nested(tb, BULKHEAD_A_OBJ_MAX, attrs[types[i]], NULL))
			return -EPROTO;
		err = fetch_object(tb, types[i], st->p);
		if (!err && types[i] == BULKHEAD_A_OBJ_GROUP)
			err = fetch_members(attrs[types[i]], st->p);
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

/* Note where the next object starts; flush first when the message is full enough. */
static int batch_place(struct batch *b, const struct bh_pos *pos, const char *fmt,
		       const char *a, const char *c)
{
	struct placed *pl;
	int err;

	if (nlmsg_hdr(b->msg)->nlmsg_len > BATCH_BYTES) {
		err = batch_send(b);
		if (!err)
			err = batch_open(b);
		if (err)
			return err;
	}
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
