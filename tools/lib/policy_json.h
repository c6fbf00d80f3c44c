/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead: a policy and its objects in JSON, as every -j command that shows them prints them.
 */
#ifndef BULKHEAD_POLICY_JSON_H
#define BULKHEAD_POLICY_JSON_H

#include "json.h"
#include "policy.h"
#include "policy_nl.h"

/* One object. */
void bh_json_domain(struct json *j, const struct bh_domain *d);
void bh_json_flow(struct json *j, const struct bh_flow *f);
void bh_json_grant(struct json *j, const struct bh_grant *g);
void bh_json_group(struct json *j, const struct bh_group *g);
void bh_json_exchange(struct json *j, const struct bh_exchange *e);

/* Every object of one kind, as an array named @key (NULL: the document itself, "... list"). */
void bh_json_domains(struct json *j, const char *key, const struct bh_policy *p);
void bh_json_flows(struct json *j, const char *key, const struct bh_policy *p);
void bh_json_grants(struct json *j, const char *key, const struct bh_policy *p);
void bh_json_groups(struct json *j, const char *key, const struct bh_policy *p);
void bh_json_exchanges(struct json *j, const char *key, const struct bh_policy *p);

/* "policy show -j": generation, hash, mode, then every object. */
void bh_json_policy(struct json *j, const struct bh_policy *p, const struct bh_policy_id *id,
		    unsigned int mode);

#endif /* BULKHEAD_POLICY_JSON_H */
