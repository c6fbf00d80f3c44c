// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: a policy and its objects in JSON. In the library, not the CLI, so that the host
 * tests check what the commands print without a kernel to read a policy from.
 */
#include "names.h"
#include "policy_json.h"

void bh_json_domain(struct json *j, const struct bh_domain *d)
{
	size_t k;

	json_object_begin(j, NULL);
	json_string(j, "name", d->name);
	json_u64(j, "id", d->id);
	json_array_begin(j, "bindings");
	for (k = 0; k < d->n_bindings; k++) {
		json_object_begin(j, NULL);
		json_string(j, "kind", bh_binding_kind_name(d->bindings[k].kind));
		json_string(j, "target", d->bindings[k].target);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}

void bh_json_flow(struct json *j, const struct bh_flow *f)
{
	unsigned int bit;

	json_object_begin(j, NULL);
	json_string(j, "from", f->from);
	json_string(j, "to", f->to);
	json_array_begin(j, "channels");
	for (bit = 0; bit < 32; bit++)
		if (f->channels & (1U << bit))
			json_string(j, NULL, bh_channel_name(bit));
	json_array_end(j);
	json_bool(j, "audit", f->flags & BULKHEAD_FLOW_F_AUDIT);
	json_object_end(j);
}

void bh_json_grant(struct json *j, const struct bh_grant *g)
{
	unsigned int cap;

	json_object_begin(j, NULL);
	json_string(j, "domain", g->domain);
	json_array_begin(j, "capabilities");
	for (cap = 0; cap < 64; cap++)
		if (g->caps & (1ULL << cap))
			json_string(j, NULL, bh_cap_name(cap) ?: "?");
	json_array_end(j);
	json_bool(j, "audit", g->flags & BULKHEAD_GRANT_F_AUDIT);
	json_object_end(j);
}

void bh_json_group(struct json *j, const struct bh_group *g)
{
	size_t k;

	json_object_begin(j, NULL);
	json_string(j, "name", g->name);
	json_array_begin(j, "members");
	for (k = 0; k < g->n_members; k++)
		json_string(j, NULL, g->members[k]);
	json_array_end(j);
	json_string(j, "active", g->active);
	json_object_end(j);
}

static void json_strings(struct json *j, const char *key, char *const *strings, size_t n)
{
	size_t k;

	json_array_begin(j, key);
	for (k = 0; k < n; k++)
		json_string(j, NULL, strings[k]);
	json_array_end(j);
}

/* Every setting, those not set too: 0 (no limit, the guard's default) or "" for no filter. */
void bh_json_exchange(struct json *j, const struct bh_exchange *e)
{
	json_object_begin(j, NULL);
	json_string(j, "name", e->name);
	json_string(j, "from", e->from);
	json_string(j, "to", e->to);
	json_string(j, "guard", e->guard);
	json_string(j, "outbox", e->outbox ?: "");
	json_string(j, "inbox", e->inbox ?: "");
	json_u64(j, "max_size", e->max_size);
	json_strings(j, "types", e->types, e->n_types);
	json_strings(j, "deny_patterns", e->deny, e->n_deny);
	json_string(j, "filter", e->filter ?: "");
	json_u64(j, "filter_timeout", e->filter_timeout);
	json_u64(j, "rate", e->rate);
	json_u64(j, "burst", e->burst);
	json_bool(j, "shared_guard", e->flags & BULKHEAD_EXCHANGE_F_SHARED_GUARD);
	json_object_end(j);
}

/* Every object of one kind as an array: the five are alike but for the kind. */
#define JSON_ARRAY_OF(name, items, count, one)					\
void name(struct json *j, const char *key, const struct bh_policy *p)		\
{										\
	size_t i;								\
										\
	json_array_begin(j, key);						\
	for (i = 0; i < p->count; i++)						\
		one(j, &p->items[i]);						\
	json_array_end(j);							\
}

JSON_ARRAY_OF(bh_json_domains, domains, n_domains, bh_json_domain)
JSON_ARRAY_OF(bh_json_flows, flows, n_flows, bh_json_flow)
JSON_ARRAY_OF(bh_json_grants, grants, n_grants, bh_json_grant)
JSON_ARRAY_OF(bh_json_groups, groups, n_groups, bh_json_group)
JSON_ARRAY_OF(bh_json_exchanges, exchanges, n_exchanges, bh_json_exchange)

void bh_json_policy(struct json *j, const struct bh_policy *p, const struct bh_policy_id *id,
		    unsigned int mode)
{
	json_object_begin(j, NULL);
	json_u64(j, "generation", id->generation);
	json_string(j, "sha256", bh_hash_hex(id->hash));
	json_string(j, "mode", bh_mode_name(mode));
	bh_json_domains(j, "domains", p);
	bh_json_flows(j, "flows", p);
	bh_json_grants(j, "grants", p);
	bh_json_groups(j, "exclusive", p);
	bh_json_exchanges(j, "exchanges", p);
	json_object_end(j);
}
