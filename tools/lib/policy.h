/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead: a policy in memory - what the parser builds, what "policy show" rebuilds from the
 * kernel's dump, and what the canonical writer prints.
 */
#ifndef BULKHEAD_POLICY_H
#define BULKHEAD_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/bulkhead.h>

/* Where something was written, for error messages; file NULL for kernel-made objects. */
struct bh_pos {
	const char *file;
	int line;
	int col;
};

struct bh_binding {
	unsigned int kind;		/* enum bulkhead_binding_kind */
	char *target;
	struct bh_pos pos;
};

struct bh_domain {
	char name[BULKHEAD_NAME_LEN];
	unsigned int id;		/* from the kernel; 0 in parsed policies */
	struct bh_binding *bindings;
	size_t n_bindings;
	struct bh_pos pos;
};

struct bh_flow {
	char from[BULKHEAD_NAME_LEN];
	char to[BULKHEAD_NAME_LEN];
	uint32_t channels;		/* BULKHEAD_CHAN_* */
	uint32_t flags;			/* BULKHEAD_FLOW_F_* */
	struct bh_pos pos;
};

/* Capabilities a domain keeps although it would lose them (BULKHEAD_GRANTABLE_CAPS). */
struct bh_grant {
	char domain[BULKHEAD_NAME_LEN];
	uint64_t caps;			/* 1 << CAP_* */
	uint32_t flags;			/* BULKHEAD_GRANT_F_* */
	struct bh_pos pos;
};

struct bh_group {
	char name[BULKHEAD_NAME_LEN];
	char (*members)[BULKHEAD_NAME_LEN];
	size_t n_members;
	char active[BULKHEAD_NAME_LEN];	/* from the kernel; "" in parsed policies */
	struct bh_pos pos;
};

/*
 * A guarded exchange: FROM's files cross to TO only through GUARD's daemon, by way of the
 * outbox (in FROM's domain) and the inbox (in TO's). The checks are the guard's; the kernel
 * keeps them in the policy so that the guard reads its configuration from there.
 */
struct bh_exchange {
	char name[BULKHEAD_EXCHANGE_NAME_LEN];
	char from[BULKHEAD_NAME_LEN];
	char to[BULKHEAD_NAME_LEN];
	char guard[BULKHEAD_NAME_LEN];
	char *outbox;
	char *inbox;
	uint32_t flags;			/* BULKHEAD_EXCHANGE_F_* */
	uint64_t max_size;		/* bytes; 0: no limit */
	char **types;			/* content types let through; none: every type */
	size_t n_types;
	char **deny;			/* regular expressions the content must not match */
	size_t n_deny;
	char *filter;			/* NULL: no filter command */
	uint32_t filter_timeout;	/* seconds; 0: the guard's default */
	uint32_t rate;			/* files per second; 0: no limit */
	uint32_t burst;			/* 0: the rate */
	struct bh_pos pos;
};

/*
 * The longest strings of an exchange with their NUL, and its largest numbers: the checks the
 * spec (docs/netlink/bulkhead.yaml) puts on BULKHEAD_A_EXCHANGE_*, which no header names.
 * Paths are binding targets (BULKHEAD_TARGET_LEN).
 */
#define BH_EXCHANGE_TYPE_LEN		128
#define BH_EXCHANGE_PATTERN_LEN		1024
#define BH_EXCHANGE_FILTER_LEN		1024
#define BH_EXCHANGE_MAX_FILTER_TIMEOUT	BULKHEAD_EXCHANGE_MAX_FILTER_TIMEOUT	/* seconds */
#define BH_EXCHANGE_MAX_RATE		BULKHEAD_EXCHANGE_MAX_RATE	/* files a second, and in a burst */

struct bh_policy {
	struct bh_domain *domains;
	size_t n_domains;
	struct bh_flow *flows;
	size_t n_flows;
	struct bh_grant *grants;
	size_t n_grants;
	struct bh_group *groups;
	size_t n_groups;
	struct bh_exchange *exchanges;
	size_t n_exchanges;
	int mode;			/* enum bulkhead_mode, or -1 when not set */
	char **files;			/* names of the files read, owned here */
	size_t n_files;
};

void bh_policy_init(struct bh_policy *p);
void bh_policy_free(struct bh_policy *p);

struct bh_domain *bh_policy_domain(const struct bh_policy *p, const char *name);
struct bh_domain *bh_policy_add_domain(struct bh_policy *p, const char *name);
struct bh_binding *bh_domain_add_binding(struct bh_domain *d, unsigned int kind,
					 const char *target);
struct bh_flow *bh_policy_add_flow(struct bh_policy *p, const char *from, const char *to);
struct bh_grant *bh_policy_add_grant(struct bh_policy *p, const char *domain);
struct bh_group *bh_policy_add_group(struct bh_policy *p, const char *name);
int bh_group_add_member(struct bh_group *g, const char *name);
struct bh_exchange *bh_policy_add_exchange(struct bh_policy *p, const char *name);
void bh_exchange_free(struct bh_exchange *e);	/* what @e owns, not @e */

/* Append a copy of @s to the *@n strings at *@strings (an exchange's types or patterns). */
int bh_strings_add(char ***strings, size_t *n, const char *s);

/* Names of binding kinds and channels, as the policy language writes them. */
const char *bh_binding_kind_name(unsigned int kind);
int bh_binding_kind_parse(const char *name);
const char *bh_channel_name(unsigned int bit);
int bh_channel_parse(const char *name);	/* the BULKHEAD_CHAN_* bit, or -1 */
bool bh_name_valid(const char *name);	/* 1 to 31 bytes of [a-z0-9_-]: a domain or group */
const char *bh_cap_name(unsigned int cap);	/* a grantable capability's name, or NULL */
int bh_cap_parse(const char *name);	/* its number, or -1 for no grantable capability */

/*
 * Print @p's canonical text: the exact bytes the kernel hashes (see kmod/canon.c), sorted,
 * without mode or comments.
 */
void bh_policy_write_canonical(FILE *out, const struct bh_policy *p);

/* Print exchange @e as the canonical text does. */
void bh_exchange_write(FILE *out, const struct bh_exchange *e);

/*
 * Print @p as one self-contained statement per line ("domain D", "domain D path /x",
 * "flow ...", "grant ...", "exclusive ...", "exchange ... { ... }"), for comparing two
 * policies line by line.
 */
void bh_policy_write_flat(FILE *out, const struct bh_policy *p);

/*
 * Check what the kernel would refuse, without a kernel: unknown or duplicate names, a flow
 * within one domain or declared twice, an object bound twice, a grant to host or declared
 * twice, group membership rules, an exchange's domains, boxes and guard sharing and the flows
 * that would bypass it, and the limits; and what the guard would refuse, an exchange's deny
 * pattern that does not compile. Prints "file:line:col: message" for each problem to @err;
 * returns their number.
 */
int bh_policy_validate(const struct bh_policy *p, FILE *err);

/* Report one problem at @pos, in the file:line:col: form. */
void bh_pos_error(FILE *err, const struct bh_pos *pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* BULKHEAD_POLICY_H */
