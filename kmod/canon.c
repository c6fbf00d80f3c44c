// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the canonical text of a policy and its SHA-256.
 *
 * The canonical text is the policy in the policy language, written one way only, so that
 * "bulkhead policy show" reproduces it byte for byte and anyone can recompute the hash:
 *
 *   domain NAME                      (no bindings), or
 *   domain NAME {                    (sorted by name)
 *   <TAB>KIND TARGET                 (sorted by kind, then target)
 *   }
 *   flow FROM -> TO { CHANNEL... }[ audit]    (sorted by FROM, then TO)
 *   grant DOMAIN { CAPABILITY... }[ audit]     (sorted by DOMAIN; capabilities by number)
 *   exclusive NAME { MEMBER... }               (sorted by name; members as declared)
 *   exchange NAME from FROM to TO via GUARD {   (sorted by name)
 *   <TAB>outbox TARGET
 *   <TAB>inbox TARGET
 *   <TAB>max-size N                            (when not 0)
 *   <TAB>type TARGET                           (each, as declared)
 *   <TAB>deny-pattern TARGET                   (each, as declared)
 *   <TAB>filter TARGET                         (when set)
 *   <TAB>filter-timeout N                      (when not 0)
 *   <TAB>rate N/s[ burst B]                    (when not 0; burst when not 0)
 *   <TAB>shared-guard                          (with the flag)
 *   }
 *
 * An exchange's outbox and inbox domains, their bindings and flows are the exchange's own
 * doing: the exchange statement stands for them.
 *
 * A target is quoted when it is empty or holds a byte bulkhead_target_byte_plain() refuses;
 * inside quotes, '"' and '\' are escaped with '\' and bytes outside printable ASCII as \xHH.
 */
#include <crypto/sha2.h>
#include <linux/string.h>

#include "bulkhead.h"
#include "compat.h"
#include "policy.h"

static const char *const channel_names[] = {
	"file", "exec", "signal", "ptrace", "unix", "ipc", "net",
};

static_assert(BULKHEAD_CHAN_ALL == (1U << ARRAY_SIZE(channel_names)) - 1);

static void put(struct bulkhead_sha256_state *s, const char *text)
{
	sha256_update(s, (const u8 *)text, strlen(text));
}

static void put_target(struct bulkhead_sha256_state *s, const char *t)
{
	const char *p;
	char esc[5];

	for (p = t; *p && bulkhead_target_byte_plain(*p); p++)
		;
	if (*t && !*p) {
		put(s, t);
		return;
	}
	put(s, "\"");
	for (p = t; *p; p++) {
		unsigned char c = *p;

		if (c == '"' || c == '\\')
			snprintf(esc, sizeof(esc), "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			snprintf(esc, sizeof(esc), "\\x%02x", c);
		else
			snprintf(esc, sizeof(esc), "%c", c);
		put(s, esc);
	}
	put(s, "\"");
}

static void put_domains(struct bulkhead_sha256_state *s, const struct bulkhead_policy *pol)
{
	u32 i, b = 0;

	/* Bindings are sorted by domain name, as domains are: walk both together. */
	for (i = 0; i < pol->n_domains; i++) {
		const struct bulkhead_domain *d = &pol->domains[i];
		bool open = false;

		if (d->box) {
			while (b < pol->n_all_bindings && pol->bindings[b]->domain == d->id)
				b++;
			continue;
		}
		put(s, "domain ");
		put(s, d->name);
		for (; b < pol->n_all_bindings && pol->bindings[b]->domain == d->id; b++) {
			if (!open)
				put(s, " {\n");
			open = true;
			cond_resched();	/* up to 100,000 lines; see txn_free() */
			put(s, "\t");
			put(s, bulkhead_binding_kind_name(pol->bindings[b]->kind));
			put(s, " ");
			put_target(s, pol->bindings[b]->target);
			put(s, "\n");
		}
		put(s, open ? "}\n" : "\n");
	}
}

static void put_flows(struct bulkhead_sha256_state *s, const struct bulkhead_policy *pol)
{
	u32 i, j, c;

	/* Domains are sorted by name; the matrix is indexed by id. */
	for (i = 0; i < pol->n_domains; i++) {
		for (j = 0; j < pol->n_domains; j++) {
			u16 entry = pol->flows[pol->domains[i].id * pol->id_limit +
					       pol->domains[j].id];

			if (!entry || pol->domains[i].box || pol->domains[j].box)
				continue;
			put(s, "flow ");
			put(s, pol->domains[i].name);
			put(s, " -> ");
			put(s, pol->domains[j].name);
			put(s, " {");
			for (c = 0; c < ARRAY_SIZE(channel_names); c++) {
				if (entry & (1U << c)) {
					put(s, " ");
					put(s, channel_names[c]);
				}
			}
			put(s, entry & BULKHEAD_FLOW_AUDIT_BIT ? " } audit\n" : " }\n");
			cond_resched();	/* up to 100,000 lines; see txn_free() */
		}
	}
}

static const char *const cap_names[BULKHEAD_CAP_NAMES_LEN] = BULKHEAD_CAP_NAMES;

/* The words of the policy language, for the copies of records the audit subsystem gets. */
const char *bulkhead_channel_name(u32 channel)
{
	unsigned int c;

	for (c = 0; c < ARRAY_SIZE(channel_names); c++)
		if (channel == 1U << c)
			return channel_names[c];
	return NULL;
}

const char *bulkhead_cap_name(u32 cap)
{
	return cap < ARRAY_SIZE(cap_names) ? cap_names[cap] : NULL;
}

static void put_grants(struct bulkhead_sha256_state *s, const struct bulkhead_policy *pol)
{
	u32 i, c;

	for (i = 0; i < pol->n_domains; i++) {
		const struct bulkhead_domain *d = &pol->domains[i];

		if (!d->caps)
			continue;
		put(s, "grant ");
		put(s, d->name);
		put(s, " {");
		for (c = 0; c < ARRAY_SIZE(cap_names); c++) {
			if (d->caps & BIT_ULL(c)) {
				put(s, " ");
				put(s, cap_names[c]);
			}
		}
		put(s, d->grant_flags & BULKHEAD_GRANT_F_AUDIT ? " } audit\n" : " }\n");
	}
}

static void put_groups(struct bulkhead_sha256_state *s, const struct bulkhead_policy *pol)
{
	u32 i, j;

	for (i = 0; i < pol->n_groups; i++) {
		put(s, "exclusive ");
		put(s, pol->groups[i].name);
		put(s, " {");
		for (j = 0; j < pol->groups[i].n_members; j++) {
			put(s, " ");
			put(s, bulkhead_domain_by_id(pol, pol->groups[i].members[j])->name);
		}
		put(s, " }\n");
	}
}

static void put_line(struct bulkhead_sha256_state *s, const char *key, const char *target)
{
	put(s, "\t");
	put(s, key);
	put(s, " ");
	put_target(s, target);
	put(s, "\n");
}

static void put_number(struct bulkhead_sha256_state *s, const char *key, u64 n, const char *unit)
{
	char num[24];

	snprintf(num, sizeof(num), "%llu", n);
	put(s, "\t");
	put(s, key);
	put(s, " ");
	put(s, num);
	put(s, unit);
}

static void put_exchange(struct bulkhead_sha256_state *s, const struct bulkhead_policy *pol,
			 const struct bulkhead_exchange *e)
{
	const struct bulkhead_exchange_spec *spec = &e->spec;
	u32 i;

	put(s, "exchange ");
	put(s, e->name);
	put(s, " from ");
	put(s, bulkhead_domain_by_id(pol, e->from)->name);
	put(s, " to ");
	put(s, bulkhead_domain_by_id(pol, e->to)->name);
	put(s, " via ");
	put(s, bulkhead_domain_by_id(pol, e->guard)->name);
	put(s, " {\n");
	put_line(s, "outbox", spec->outbox);
	put_line(s, "inbox", spec->inbox);
	if (spec->max_size)
		put_number(s, "max-size", spec->max_size, "\n");
	for (i = 0; i < spec->n_types; i++)
		put_line(s, "type", spec->types[i]);
	for (i = 0; i < spec->n_deny; i++)
		put_line(s, "deny-pattern", spec->deny[i]);
	if (spec->filter)
		put_line(s, "filter", spec->filter);
	if (spec->filter_timeout)
		put_number(s, "filter-timeout", spec->filter_timeout, "\n");
	if (spec->rate) {
		put_number(s, "rate", spec->rate, "/s");
		if (spec->burst) {
			char num[12];

			snprintf(num, sizeof(num), "%u", spec->burst);
			put(s, " burst ");
			put(s, num);
		}
		put(s, "\n");
	}
	if (spec->flags & BULKHEAD_EXCHANGE_F_SHARED_GUARD)
		put(s, "\tshared-guard\n");
	put(s, "}\n");
}

void bulkhead_canon_hash(const struct bulkhead_policy *pol, u8 *hash)
{
	u32 i;

	struct bulkhead_sha256_state s;

	sha256_init(&s);
	put_domains(&s, pol);
	put_flows(&s, pol);
	put_grants(&s, pol);
	put_groups(&s, pol);
	for (i = 0; i < pol->n_exchanges; i++)
		put_exchange(&s, pol, &pol->exchanges[i]);
	sha256_final(&s, hash);
}
