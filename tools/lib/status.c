// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: decode the module's status reply.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "names.h"
#include "policy.h"
#include "policy_nl.h"
#include "status.h"
#include "audit_codec.h"

static void copy_string(char *dst, size_t len, const struct nlattr *attr)
{
	snprintf(dst, len, "%s", attr ? (const char *)nla_data(attr) : "");
}

static int decode_hook(struct nlattr *entry, struct bh_hook_status *h)
{
	struct nlattr *tb[BULKHEAD_A_HOOK_MAX + 1];

	if (nla_parse_nested(tb, BULKHEAD_A_HOOK_MAX, entry, NULL) ||
	    !tb[BULKHEAD_A_HOOK_ID] || !tb[BULKHEAD_A_HOOK_NAME])
		return -EPROTO;
	h->id = nla_get_u32(tb[BULKHEAD_A_HOOK_ID]);
	copy_string(h->name, sizeof(h->name), tb[BULKHEAD_A_HOOK_NAME]);
	h->attached = tb[BULKHEAD_A_HOOK_ATTACHED] && nla_get_u8(tb[BULKHEAD_A_HOOK_ATTACHED]);
	h->calls = tb[BULKHEAD_A_HOOK_CALLS] ? nla_get_u64(tb[BULKHEAD_A_HOOK_CALLS]) : 0;
	h->denials = tb[BULKHEAD_A_HOOK_DENIALS] ? nla_get_u64(tb[BULKHEAD_A_HOOK_DENIALS]) : 0;
	return 0;
}

/* The last self-test's result: absent from a module older than the self-test, as 0. */
static void decode_selftest(struct nlattr **attrs, struct bh_selftest *t)
{
	t->failed = attrs[BULKHEAD_A_SELFTEST_FAILED] ?
		    nla_get_u32(attrs[BULKHEAD_A_SELFTEST_FAILED]) : 0;
	t->time_ns = attrs[BULKHEAD_A_SELFTEST_TIME] ?
		     nla_get_u64(attrs[BULKHEAD_A_SELFTEST_TIME]) : 0;
}

static int decode_selftest_reply(struct nlattr **attrs, void *arg)
{
	if (!attrs[BULKHEAD_A_SELFTEST_FAILED] || !attrs[BULKHEAD_A_SELFTEST_TIME])
		return -EPROTO;
	decode_selftest(attrs, arg);
	return 0;
}

int bh_selftest_run(struct bh_genl *g, struct bh_selftest *result)
{
	struct nl_msg *msg = bh_genl_msg(g, BULKHEAD_CMD_SELFTEST, 0);

	memset(result, 0, sizeof(*result));
	return msg ? bh_genl_call(g, msg, decode_selftest_reply, result) : -ENOMEM;
}

void bh_selftest_text(char *buf, size_t size, const struct bh_selftest *t)
{
	char when[64], tests[64];

	bh_audit_format_time(when, sizeof(when), t->time_ns);
	bh_selftest_format(tests, sizeof(tests), t->failed);
	if (t->failed)
		snprintf(buf, size, "failed (%s) at %s", tests, when);
	else
		snprintf(buf, size, "passed at %s", when);
}

void bh_json_selftest(struct json *j, const char *name, const struct bh_selftest *t)
{
	char when[64];
	unsigned int bit;

	bh_audit_format_time(when, sizeof(when), t->time_ns);
	json_object_begin(j, name);
	json_string(j, "result", t->failed ? "failed" : "passed");
	json_array_begin(j, "failed");
	for (bit = 0; bit < 32; bit++) {
		if (!(t->failed & (1U << bit)))
			continue;
		if (bh_selftest_name(bit)) {
			json_string(j, NULL, bh_selftest_name(bit));
		} else {
			char hex[16];

			snprintf(hex, sizeof(hex), "0x%x", 1U << bit);
			json_string(j, NULL, hex);
		}
	}
	json_array_end(j);
	json_string(j, "time", when);
	json_u64(j, "time_ns", t->time_ns);
	json_object_end(j);
}

static int decode_status(struct nlattr **attrs, void *arg)
{
	struct bh_status *st = arg;
	struct nlattr *entry;
	int rem;

	if (!attrs[BULKHEAD_A_ABI] || !attrs[BULKHEAD_A_MODE] || !attrs[BULKHEAD_A_HOOKS])
		return -EPROTO;
	copy_string(st->version, sizeof(st->version), attrs[BULKHEAD_A_VERSION]);
	copy_string(st->kernel, sizeof(st->kernel), attrs[BULKHEAD_A_KERNEL]);
	st->abi = nla_get_u32(attrs[BULKHEAD_A_ABI]);
	st->mode = nla_get_u32(attrs[BULKHEAD_A_MODE]);
	st->locked = attrs[BULKHEAD_A_LOCKED] && nla_get_u8(attrs[BULKHEAD_A_LOCKED]);
	if (attrs[BULKHEAD_A_GENERATION])
		st->generation = nla_get_u64(attrs[BULKHEAD_A_GENERATION]);
	if (attrs[BULKHEAD_A_POLICY_HASH] &&
	    nla_len(attrs[BULKHEAD_A_POLICY_HASH]) == BULKHEAD_HASH_LEN)
		memcpy(st->policy_hash, nla_data(attrs[BULKHEAD_A_POLICY_HASH]), BULKHEAD_HASH_LEN);
	decode_selftest(attrs, &st->selftest);
	st->n_hooks = 0;
	nla_for_each_nested(entry, attrs[BULKHEAD_A_HOOKS], rem) {
		/* Never cut the list silently: "all hooks attached" would then be a guess. */
		if (st->n_hooks == BH_STATUS_MAX_HOOKS)
			return -EPROTO;
		if (decode_hook(entry, &st->hooks[st->n_hooks]))
			return -EPROTO;
		st->n_hooks++;
	}
	return 0;
}

int bh_status_get(struct bh_genl *g, struct bh_status *st)
{
	struct nl_msg *msg = bh_genl_msg(g, BULKHEAD_CMD_STATUS_GET, 0);

	memset(st, 0, sizeof(*st));
	return msg ? bh_genl_call(g, msg, decode_status, st) : -ENOMEM;
}

const struct bh_hook_status *bh_status_hook(const struct bh_status *st, const char *name)
{
	unsigned int i;

	for (i = 0; i < st->n_hooks; i++)
		if (!strcmp(st->hooks[i].name, name))
			return &st->hooks[i];
	return NULL;
}

int bh_mode_set(struct bh_genl *g, unsigned int mode)
{
	struct nl_msg *msg = bh_genl_msg(g, BULKHEAD_CMD_MODE_SET, 0);

	if (!msg || nla_put_u32(msg, BULKHEAD_A_MODE, mode)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return bh_genl_call(g, msg, NULL, NULL);
}

int bh_lock(struct bh_genl *g)
{
	struct nl_msg *msg = bh_genl_msg(g, BULKHEAD_CMD_LOCK, 0);

	if (!msg)
		return -ENOMEM;
	return bh_genl_call(g, msg, NULL, NULL);
}

static void json_groups(struct json *j, const struct bh_policy *p,
			const char *(*tasks)(const struct bh_policy *p, const char *member))
{
	size_t i, k;

	json_array_begin(j, "groups");
	for (i = 0; i < p->n_groups; i++) {
		json_object_begin(j, NULL);
		json_string(j, "name", p->groups[i].name);
		json_string(j, "active", p->groups[i].active);
		json_array_begin(j, "members");
		for (k = 0; k < p->groups[i].n_members; k++) {
			json_object_begin(j, NULL);
			json_string(j, "name", p->groups[i].members[k]);
			json_string(j, "tasks", tasks(p, p->groups[i].members[k]));
			json_object_end(j);
		}
		json_array_end(j);
		json_object_end(j);
	}
	json_array_end(j);
}

void bh_json_status(struct json *j, const struct bh_status *st, const struct bh_policy *p,
		    const char *(*tasks)(const struct bh_policy *p, const char *member))
{
	unsigned int i;

	json_object_begin(j, NULL);
	json_string(j, "version", st->version);
	json_u64(j, "abi", st->abi);
	json_string(j, "kernel", st->kernel);
	json_string(j, "mode", bh_mode_name(st->mode));
	json_bool(j, "locked", st->locked);
	json_u64(j, "generation", st->generation);
	json_string(j, "sha256", bh_hash_hex(st->policy_hash));
	bh_json_selftest(j, "selftest", &st->selftest);
	json_array_begin(j, "hooks");
	for (i = 0; i < st->n_hooks; i++) {
		json_object_begin(j, NULL);
		json_string(j, "name", st->hooks[i].name);
		json_bool(j, "attached", st->hooks[i].attached);
		json_u64(j, "calls", st->hooks[i].calls);
		json_u64(j, "denials", st->hooks[i].denials);
		json_object_end(j);
	}
	json_array_end(j);
	if (p)
		json_groups(j, p, tasks);
	json_object_end(j);
}
