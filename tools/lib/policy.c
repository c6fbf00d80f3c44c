// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the in-memory policy, its canonical text and its offline validation.
 */
#include <ctype.h>
#include <inttypes.h>
#include <regex.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

static const char *const kind_names[] = {
	[BULKHEAD_BIND_CGROUP] = "cgroup",
	[BULKHEAD_BIND_PATH] = "path",
	[BULKHEAD_BIND_NETDEV] = "netdev",
};

/* In bit order: BULKHEAD_CHAN_FILE is bit 0. */
static const char *const channel_names[] = {
	"file", "exec", "signal", "ptrace", "unix", "ipc", "net",
};

_Static_assert(BULKHEAD_CHAN_ALL == (1U << (sizeof(channel_names) / sizeof(channel_names[0]))) - 1,
	       "one name per channel bit");

static const char *const cap_names[BULKHEAD_CAP_NAMES_LEN] = BULKHEAD_CAP_NAMES;

const char *bh_cap_name(unsigned int cap)
{
	return cap < BULKHEAD_CAP_NAMES_LEN ? cap_names[cap] : NULL;
}

int bh_cap_parse(const char *name)
{
	int cap;

	for (cap = 0; cap < BULKHEAD_CAP_NAMES_LEN; cap++)
		if (cap_names[cap] && !strcmp(name, cap_names[cap]))
			return cap;
	return -1;
}

const char *bh_binding_kind_name(unsigned int kind)
{
	return kind <= BULKHEAD_BIND_MAX ? kind_names[kind] : "?";
}

int bh_binding_kind_parse(const char *name)
{
	int kind;

	for (kind = 0; kind <= BULKHEAD_BIND_MAX; kind++)
		if (!strcmp(name, kind_names[kind]))
			return kind;
	return -1;
}

const char *bh_channel_name(unsigned int bit)
{
	return bit < sizeof(channel_names) / sizeof(channel_names[0]) ? channel_names[bit] : "?";
}

int bh_channel_parse(const char *name)
{
	unsigned int bit;

	for (bit = 0; bit < sizeof(channel_names) / sizeof(channel_names[0]); bit++)
		if (!strcmp(name, channel_names[bit]))
			return 1U << bit;
	return -1;
}

void bh_policy_init(struct bh_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->mode = -1;
}

void bh_policy_free(struct bh_policy *p)
{
	size_t i, j;

	for (i = 0; i < p->n_domains; i++) {
		for (j = 0; j < p->domains[i].n_bindings; j++)
			free(p->domains[i].bindings[j].target);
		free(p->domains[i].bindings);
	}
	for (i = 0; i < p->n_groups; i++)
		free(p->groups[i].members);
	for (i = 0; i < p->n_exchanges; i++)
		bh_exchange_free(&p->exchanges[i]);
	free(p->exchanges);
	for (i = 0; i < p->n_files; i++)
		free(p->files[i]);
	free(p->domains);
	free(p->flows);
	free(p->grants);
	free(p->groups);
	free(p->files);
	bh_policy_init(p);
}

void bh_exchange_free(struct bh_exchange *e)
{
	size_t i;

	for (i = 0; i < e->n_types; i++)
		free(e->types[i]);
	for (i = 0; i < e->n_deny; i++)
		free(e->deny[i]);
	free(e->types);
	free(e->deny);
	free(e->outbox);
	free(e->inbox);
	free(e->filter);
}

/* Grow *@array by one zeroed element of @size; returns it, or NULL without memory. */
static void *grow(void *array_ptr, size_t *n, size_t size)
{
	void **array = array_ptr;
	char *bigger = realloc(*array, (*n + 1) * size);

	if (!bigger)
		return NULL;
	*array = bigger;
	memset(bigger + *n * size, 0, size);
	return bigger + (*n)++ * size;
}

struct bh_domain *bh_policy_domain(const struct bh_policy *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->n_domains; i++)
		if (!strcmp(p->domains[i].name, name))
			return &p->domains[i];
	return NULL;
}

struct bh_domain *bh_policy_add_domain(struct bh_policy *p, const char *name)
{
	struct bh_domain *d = grow(&p->domains, &p->n_domains, sizeof(*d));

	if (d)
		snprintf(d->name, sizeof(d->name), "%s", name);
	return d;
}

struct bh_binding *bh_domain_add_binding(struct bh_domain *d, unsigned int kind,
					 const char *target)
{
	struct bh_binding *b = grow(&d->bindings, &d->n_bindings, sizeof(*b));

	if (!b)
		return NULL;
	b->kind = kind;
	b->target = strdup(target);
	if (!b->target) {
		d->n_bindings--;
		return NULL;
	}
	return b;
}

struct bh_flow *bh_policy_add_flow(struct bh_policy *p, const char *from, const char *to)
{
	struct bh_flow *f = grow(&p->flows, &p->n_flows, sizeof(*f));

	if (f) {
		snprintf(f->from, sizeof(f->from), "%s", from);
		snprintf(f->to, sizeof(f->to), "%s", to);
	}
	return f;
}

struct bh_grant *bh_policy_add_grant(struct bh_policy *p, const char *domain)
{
	struct bh_grant *g = grow(&p->grants, &p->n_grants, sizeof(*g));

	if (g)
		snprintf(g->domain, sizeof(g->domain), "%s", domain);
	return g;
}

struct bh_group *bh_policy_add_group(struct bh_policy *p, const char *name)
{
	struct bh_group *g = grow(&p->groups, &p->n_groups, sizeof(*g));

	if (g)
		snprintf(g->name, sizeof(g->name), "%s", name);
	return g;
}

int bh_group_add_member(struct bh_group *g, const char *name)
{
	char *m = grow(&g->members, &g->n_members, sizeof(*g->members));

	if (!m)
		return -1;
	snprintf(m, BULKHEAD_NAME_LEN, "%s", name);
	return 0;
}

struct bh_exchange *bh_policy_add_exchange(struct bh_policy *p, const char *name)
{
	struct bh_exchange *e = grow(&p->exchanges, &p->n_exchanges, sizeof(*e));

	if (e)
		snprintf(e->name, sizeof(e->name), "%s", name);
	return e;
}

int bh_strings_add(char ***strings, size_t *n, const char *s)
{
	char *copy = strdup(s);
	char **slot;

	if (!copy)
		return -1;
	slot = grow(strings, n, sizeof(*slot));
	if (!slot) {
		free(copy);
		return -1;
	}
	*slot = copy;
	return 0;
}

/* --- canonical text ------------------------------------------------------------------- */

static int cmp_domain_ptrs(const void *a, const void *b)
{
	return strcmp((*(const struct bh_domain *const *)a)->name,
		      (*(const struct bh_domain *const *)b)->name);
}

static int cmp_bindings(const void *a, const void *b)
{
	const struct bh_binding *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->target, y->target);
}

static int cmp_flow_ptrs(const void *a, const void *b)
{
	const struct bh_flow *x = *(const struct bh_flow *const *)a;
	const struct bh_flow *y = *(const struct bh_flow *const *)b;
	int cmp = strcmp(x->from, y->from);

	return cmp ? cmp : strcmp(x->to, y->to);
}

static int cmp_grant_ptrs(const void *a, const void *b)
{
	return strcmp((*(const struct bh_grant *const *)a)->domain,
		      (*(const struct bh_grant *const *)b)->domain);
}

static int cmp_group_ptrs(const void *a, const void *b)
{
	return strcmp((*(const struct bh_group *const *)a)->name,
		      (*(const struct bh_group *const *)b)->name);
}

static int cmp_exchange_ptrs(const void *a, const void *b)
{
	return strcmp((*(const struct bh_exchange *const *)a)->name,
		      (*(const struct bh_exchange *const *)b)->name);
}

static void write_target(FILE *out, const char *t)
{
	const char *p;

	for (p = t; *p && bulkhead_target_byte_plain(*p); p++)
		;
	if (*t && !*p) {
		fputs(t, out);
		return;
	}
	fputc('"', out);
	for (p = t; *p; p++) {
		unsigned char c = *p;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void write_domain(FILE *out, const struct bh_domain *d)
{
	struct bh_binding *sorted;
	size_t i;

	fprintf(out, "domain %s", d->name);
	if (!d->n_bindings) {
		fputc('\n', out);
		return;
	}
	sorted = malloc(d->n_bindings * sizeof(*sorted));
	if (!sorted)
		abort();
	memcpy(sorted, d->bindings, d->n_bindings * sizeof(*sorted));
	qsort(sorted, d->n_bindings, sizeof(*sorted), cmp_bindings);
	fputs(" {\n", out);
	for (i = 0; i < d->n_bindings; i++) {
		fprintf(out, "\t%s ", bh_binding_kind_name(sorted[i].kind));
		write_target(out, sorted[i].target);
		fputc('\n', out);
	}
	fputs("}\n", out);
	free(sorted);
}

static void write_flow(FILE *out, const struct bh_flow *f)
{
	unsigned int bit;

	fprintf(out, "flow %s -> %s {", f->from, f->to);
	for (bit = 0; bit < 32; bit++)
		if (f->channels & (1U << bit))
			fprintf(out, " %s", bh_channel_name(bit));
	fputs(f->flags & BULKHEAD_FLOW_F_AUDIT ? " } audit\n" : " }\n", out);
}

static void write_grant(FILE *out, const struct bh_grant *g)
{
	unsigned int cap;

	fprintf(out, "grant %s {", g->domain);
	for (cap = 0; cap < 64; cap++)
		if (g->caps & (1ULL << cap))
			fprintf(out, " %s", bh_cap_name(cap) ?: "?");
	fputs(g->flags & BULKHEAD_GRANT_F_AUDIT ? " } audit\n" : " }\n", out);
}

static void write_group(FILE *out, const struct bh_group *g)
{
	size_t i;

	fprintf(out, "exclusive %s {", g->name);
	for (i = 0; i < g->n_members; i++)
		fprintf(out, " %s", g->members[i]);
	fputs(" }\n", out);
}

/* "KEY TARGET" after @sep, when @target is set. */
static void write_setting(FILE *out, const char *sep, const char *key, const char *target)
{
	if (!target)
		return;
	fprintf(out, "%s%s ", sep, key);
	write_target(out, target);
}

/*
 * An exchange, each setting on a line of its own in the canonical text, all on one line in the
 * @flat one. Only what is set is printed, in the kernel's order (kmod/canon.c).
 */
static void write_exchange(FILE *out, const struct bh_exchange *e, bool flat)
{
	const char *sep = flat ? " " : "\n\t";
	size_t i;

	fprintf(out, "exchange %s from %s to %s via %s {", e->name, e->from, e->to, e->guard);
	write_setting(out, sep, "outbox", e->outbox);
	write_setting(out, sep, "inbox", e->inbox);
	if (e->max_size)
		fprintf(out, "%smax-size %" PRIu64, sep, e->max_size);
	for (i = 0; i < e->n_types; i++)
		write_setting(out, sep, "type", e->types[i]);
	for (i = 0; i < e->n_deny; i++)
		write_setting(out, sep, "deny-pattern", e->deny[i]);
	write_setting(out, sep, "filter", e->filter);
	if (e->filter_timeout)
		fprintf(out, "%sfilter-timeout %" PRIu32, sep, e->filter_timeout);
	if (e->rate)
		fprintf(out, "%srate %" PRIu32 "/s", sep, e->rate);
	if (e->rate && e->burst)
		fprintf(out, " burst %" PRIu32, e->burst);
	if (e->flags & BULKHEAD_EXCHANGE_F_SHARED_GUARD)
		fprintf(out, "%sshared-guard", sep);
	fputs(flat ? " }\n" : "\n}\n", out);
}

void bh_exchange_write(FILE *out, const struct bh_exchange *e)
{
	write_exchange(out, e, false);
}

/* An array of pointers to @n elements of @size at @base, sorted with @cmp. */
static const void **sorted_ptrs(const void *base, size_t n, size_t size,
				int (*cmp)(const void *, const void *))
{
	const void **ptrs = malloc((n + 1) * sizeof(*ptrs));
	size_t i;

	if (!ptrs)
		abort();
	for (i = 0; i < n; i++)
		ptrs[i] = (const char *)base + i * size;
	qsort(ptrs, n, sizeof(*ptrs), cmp);
	return ptrs;
}

void bh_policy_write_canonical(FILE *out, const struct bh_policy *p)
{
	static const struct bh_domain host = { .name = BULKHEAD_HOST_DOMAIN };
	const struct bh_domain **domains;
	const struct bh_flow **flows;
	const struct bh_grant **grants;
	const struct bh_group **groups;
	const struct bh_exchange **exchanges;
	size_t n = p->n_domains, i;

	/* The kernel's policy always holds host; a file may leave it implicit. */
	domains = (const struct bh_domain **)sorted_ptrs(p->domains, n, sizeof(*p->domains),
							 cmp_domain_ptrs);
	if (!bh_policy_domain(p, BULKHEAD_HOST_DOMAIN)) {
		domains[n++] = &host;
		qsort(domains, n, sizeof(*domains), cmp_domain_ptrs);
	}
	for (i = 0; i < n; i++)
		write_domain(out, domains[i]);
	flows = (const struct bh_flow **)sorted_ptrs(p->flows, p->n_flows, sizeof(*p->flows),
						     cmp_flow_ptrs);
	for (i = 0; i < p->n_flows; i++)
		write_flow(out, flows[i]);
	grants = (const struct bh_grant **)sorted_ptrs(p->grants, p->n_grants, sizeof(*p->grants),
						       cmp_grant_ptrs);
	for (i = 0; i < p->n_grants; i++)
		write_grant(out, grants[i]);
	groups = (const struct bh_group **)sorted_ptrs(p->groups, p->n_groups, sizeof(*p->groups),
						       cmp_group_ptrs);
	for (i = 0; i < p->n_groups; i++)
		write_group(out, groups[i]);
	exchanges = (const struct bh_exchange **)sorted_ptrs(p->exchanges, p->n_exchanges,
							     sizeof(*p->exchanges),
							     cmp_exchange_ptrs);
	for (i = 0; i < p->n_exchanges; i++)
		write_exchange(out, exchanges[i], false);
	free(domains);
	free(flows);
	free(grants);
	free(groups);
	free(exchanges);
}

void bh_policy_write_flat(FILE *out, const struct bh_policy *p)
{
	size_t i, j;

	if (!bh_policy_domain(p, BULKHEAD_HOST_DOMAIN))
		fprintf(out, "domain %s\n", BULKHEAD_HOST_DOMAIN);
	for (i = 0; i < p->n_domains; i++) {
		fprintf(out, "domain %s\n", p->domains[i].name);
		for (j = 0; j < p->domains[i].n_bindings; j++) {
			fprintf(out, "domain %s %s ", p->domains[i].name,
				bh_binding_kind_name(p->domains[i].bindings[j].kind));
			write_target(out, p->domains[i].bindings[j].target);
			fputc('\n', out);
		}
	}
	for (i = 0; i < p->n_flows; i++)
		write_flow(out, &p->flows[i]);
	for (i = 0; i < p->n_grants; i++)
		write_grant(out, &p->grants[i]);
	for (i = 0; i < p->n_groups; i++)
		write_group(out, &p->groups[i]);
	for (i = 0; i < p->n_exchanges; i++)
		write_exchange(out, &p->exchanges[i], true);
}

/* --- validation ------------------------------------------------------------------------ */

void bh_pos_error(FILE *err, const struct bh_pos *pos, const char *fmt, ...)
{
	va_list ap;

	if (pos->file)
		fprintf(err, "%s:%d:%d: ", pos->file, pos->line, pos->col);
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fputc('\n', err);
}

/* 1 to @size - 1 bytes of [a-z0-9_-]. */
static bool name_valid(const char *name, size_t size)
{
	size_t len = strlen(name), i;

	if (!len || len >= size)
		return false;
	for (i = 0; i < len; i++)
		if (!bulkhead_name_byte_ok(name[i]))
			return false;
	return true;
}

bool bh_name_valid(const char *name)
{
	return name_valid(name, BULKHEAD_NAME_LEN);
}

static int check_name(FILE *err, const struct bh_pos *pos, const char *what, const char *name,
		      size_t size)
{
	if (name_valid(name, size))
		return 0;
	bh_pos_error(err, pos, "invalid %s name '%s': 1 to %zu characters from a-z 0-9 _ -",
		     what, name, size - 1);
	return 1;
}

static int check_ref(FILE *err, const struct bh_policy *p, const struct bh_pos *pos,
		     const char *name)
{
	if (!strcmp(name, BULKHEAD_HOST_DOMAIN) || bh_policy_domain(p, name))
		return 0;
	bh_pos_error(err, pos, "unknown domain '%s'", name);
	return 1;
}

static int cmp_binding_ptrs(const void *a, const void *b)
{
	return cmp_bindings(*(const struct bh_binding *const *)a,
			    *(const struct bh_binding *const *)b);
}

/* The same kind and target must not be bound twice, in one domain or two. */
static int validate_unique_bindings(const struct bh_policy *p, FILE *err)
{
	const struct bh_binding **all;
	size_t n = 0, i, j;
	int errors = 0;

	for (i = 0; i < p->n_domains; i++)
		n += p->domains[i].n_bindings;
	all = malloc((n + 1) * sizeof(*all));
	if (!all)
		abort();
	n = 0;
	for (i = 0; i < p->n_domains; i++)
		for (j = 0; j < p->domains[i].n_bindings; j++)
			all[n++] = &p->domains[i].bindings[j];
	qsort(all, n, sizeof(*all), cmp_binding_ptrs);
	for (i = 1; i < n; i++)
		if (!cmp_bindings(all[i - 1], all[i]))
			bh_pos_error(err, &all[i]->pos, "%s %s is already bound",
				     bh_binding_kind_name(all[i]->kind), all[i]->target), errors++;
	free(all);
	return errors;
}

static int validate_domains(const struct bh_policy *p, FILE *err)
{
	static const size_t limits[] = {
		[BULKHEAD_BIND_CGROUP] = BULKHEAD_MAX_CGROUP_BINDINGS,
		[BULKHEAD_BIND_PATH] = BULKHEAD_MAX_PATH_BINDINGS,
		[BULKHEAD_BIND_NETDEV] = BULKHEAD_MAX_NETDEV_BINDINGS,
	};
	size_t counts[BULKHEAD_BIND_MAX + 1] = { 0 };
	size_t i, j;
	int errors = 0;

	for (i = 0; i < p->n_domains; i++) {
		const struct bh_domain *d = &p->domains[i];

		errors += check_name(err, &d->pos, "domain", d->name, sizeof(d->name));
		for (j = 0; j < i; j++)
			if (!strcmp(p->domains[j].name, d->name))
				bh_pos_error(err, &d->pos, "domain '%s' declared twice", d->name),
					errors++;
		for (j = 0; j < d->n_bindings; j++) {
			const struct bh_binding *b = &d->bindings[j];

			if (b->kind == BULKHEAD_BIND_PATH && b->target[0] != '/')
				bh_pos_error(err, &b->pos, "a bound path must be absolute"), errors++;
			if (++counts[b->kind] == limits[b->kind] + 1)
				bh_pos_error(err, &b->pos, "more than %zu %s bindings",
					     limits[b->kind], bh_binding_kind_name(b->kind)), errors++;
		}
	}
	return errors + validate_unique_bindings(p, err);
}

/*
 * The kernel holds the domains declared, host, and an outbox and an inbox domain for each
 * exchange: the problem is named at the object one past the limit.
 */
static int validate_domain_count(const struct bh_policy *p, FILE *err)
{
	size_t implicit_host = !bh_policy_domain(p, BULKHEAD_HOST_DOMAIN);
	size_t n = p->n_domains + implicit_host, i;

	if (n > BULKHEAD_MAX_DOMAINS) {
		bh_pos_error(err, &p->domains[BULKHEAD_MAX_DOMAINS - implicit_host].pos,
			     "more than %d domains (host included)", BULKHEAD_MAX_DOMAINS);
		return 1;
	}
	for (i = 0; i < p->n_exchanges; i++) {
		n += 2;
		if (n > BULKHEAD_MAX_DOMAINS) {
			bh_pos_error(err, &p->exchanges[i].pos,
				     "more than %d domains (host included): an exchange's outbox and inbox are two",
				     BULKHEAD_MAX_DOMAINS);
			return 1;
		}
	}
	return 0;
}

static int validate_flows(const struct bh_policy *p, FILE *err)
{
	const struct bh_flow **sorted;
	size_t i;
	int errors = 0;

	for (i = 0; i < p->n_flows; i++) {
		const struct bh_flow *f = &p->flows[i];

		errors += check_ref(err, p, &f->pos, f->from) + check_ref(err, p, &f->pos, f->to);
		if (!strcmp(f->from, f->to))
			bh_pos_error(err, &f->pos, "everything flows within a domain already"),
				errors++;
		if (!f->channels)
			bh_pos_error(err, &f->pos, "a flow needs at least one channel"), errors++;
	}
	sorted = (const struct bh_flow **)sorted_ptrs(p->flows, p->n_flows, sizeof(*p->flows),
						      cmp_flow_ptrs);
	for (i = 1; i < p->n_flows; i++)
		if (!cmp_flow_ptrs(&sorted[i - 1], &sorted[i]))
			bh_pos_error(err, &sorted[i]->pos, "flow %s -> %s declared twice",
				     sorted[i]->from, sorted[i]->to), errors++;
	free(sorted);
	if (p->n_flows > BULKHEAD_MAX_FLOWS)
		bh_pos_error(err, &p->flows[BULKHEAD_MAX_FLOWS].pos, "more than %d flows",
			     BULKHEAD_MAX_FLOWS), errors++;
	return errors;
}

static int validate_grants(const struct bh_policy *p, FILE *err)
{
	size_t i, j;
	int errors = 0;

	for (i = 0; i < p->n_grants; i++) {
		const struct bh_grant *g = &p->grants[i];

		errors += check_ref(err, p, &g->pos, g->domain);
		if (!strcmp(g->domain, BULKHEAD_HOST_DOMAIN))
			bh_pos_error(err, &g->pos, "host holds every capability already"), errors++;
		if (!g->caps)
			bh_pos_error(err, &g->pos, "a grant needs at least one capability"), errors++;
		if (g->caps & ~BULKHEAD_GRANTABLE_CAPS)
			bh_pos_error(err, &g->pos, "only capabilities domains lose can be granted"),
				errors++;
		for (j = 0; j < i; j++)
			if (!strcmp(p->grants[j].domain, g->domain))
				bh_pos_error(err, &g->pos, "domain '%s' has a grant already", g->domain),
					errors++;
	}
	return errors;
}

static int validate_groups(const struct bh_policy *p, FILE *err)
{
	size_t i, j, k, l;
	int errors = 0;

	for (i = 0; i < p->n_groups; i++) {
		const struct bh_group *g = &p->groups[i];

		errors += check_name(err, &g->pos, "group", g->name, sizeof(g->name));
		if (g->n_members < 2)
			bh_pos_error(err, &g->pos, "an exclusive group needs at least two members"),
				errors++;
		if (g->n_members > BULKHEAD_MAX_GROUP_MEMBERS)
			bh_pos_error(err, &g->pos, "more than %d members",
				     BULKHEAD_MAX_GROUP_MEMBERS), errors++;
		for (j = 0; j < i; j++)
			if (!strcmp(p->groups[j].name, g->name))
				bh_pos_error(err, &g->pos, "group '%s' declared twice", g->name),
					errors++;
		for (j = 0; j < g->n_members; j++) {
			const char *m = g->members[j];

			errors += check_ref(err, p, &g->pos, m);
			if (!strcmp(m, BULKHEAD_HOST_DOMAIN))
				bh_pos_error(err, &g->pos, "host cannot join an exclusive group"),
					errors++;
			/* Earlier members of this group, then members of earlier groups. */
			for (k = 0; k <= i; k++)
				for (l = 0; l < (k == i ? j : p->groups[k].n_members); l++)
					if (!strcmp(p->groups[k].members[l], m))
						bh_pos_error(err, &g->pos,
							     "domain '%s' is already in group '%s'",
							     m, p->groups[k].name), errors++;
		}
	}
	if (p->n_groups > BULKHEAD_MAX_GROUPS)
		bh_pos_error(err, &p->groups[BULKHEAD_MAX_GROUPS].pos, "more than %d groups",
			     BULKHEAD_MAX_GROUPS), errors++;
	return errors;
}

/* @path's length without its trailing '/'s: "/srv/a/" and "/srv/a" name one directory. */
static size_t dir_len(const char *path)
{
	size_t len = strlen(path);

	while (len && path[len - 1] == '/')
		len--;
	return len;
}

/* Whether directory @inner is @outer or lies below it, by their names alone. */
static bool dir_within(const char *inner, const char *outer)
{
	size_t in = dir_len(inner), out = dir_len(outer);

	return in >= out && !memcmp(inner, outer, out) && (in == out || inner[out] == '/');
}

/* Whether directories @a and @b, when both are given, are one or one holds the other. */
static bool dirs_overlap(const char *a, const char *b)
{
	return a && b && (dir_within(a, b) || dir_within(b, a));
}

/* Whether exchange @e's outbox or inbox overlaps directory @dir. */
static bool boxes_overlap(const struct bh_exchange *e, const char *dir)
{
	return dirs_overlap(e->outbox, dir) || dirs_overlap(e->inbox, dir);
}

/* An exchange's outbox or inbox: given, absolute. */
static int check_box(FILE *err, const struct bh_exchange *e, const char *what, const char *path)
{
	if (!path)
		bh_pos_error(err, &e->pos, "exchange '%s' needs an %s", e->name, what);
	else if (path[0] != '/')
		bh_pos_error(err, &e->pos, "the %s of exchange '%s' must be an absolute path", what,
			     e->name);
	else
		return 0;
	return 1;
}

/*
 * The exchange binds its boxes to domains of their own: a path bound at a box or below it
 * would give the box, or files in it, to another domain. (A binding above a box is how it is
 * in FROM's or TO's domain: the kernel checks that at apply time.)
 */
static int check_box_bindings(const struct bh_policy *p, const struct bh_exchange *e, FILE *err)
{
	size_t i, j;
	int errors = 0;

	for (i = 0; i < p->n_domains; i++)
		for (j = 0; j < p->domains[i].n_bindings; j++) {
			const struct bh_binding *b = &p->domains[i].bindings[j];

			if (b->kind != BULKHEAD_BIND_PATH ||
			    !((e->outbox && dir_within(b->target, e->outbox)) ||
			      (e->inbox && dir_within(b->target, e->inbox))))
				continue;
			bh_pos_error(err, &b->pos,
				     "path %s is in the outbox or inbox of exchange '%s', which only the exchange binds",
				     b->target, e->name);
			errors++;
		}
	return errors;
}

/* Its three domains: declared, apart, and the guard a domain of its own. */
static int check_exchange_domains(const struct bh_policy *p, const struct bh_exchange *e,
				  FILE *err)
{
	int errors = check_ref(err, p, &e->pos, e->from) + check_ref(err, p, &e->pos, e->to) +
		     check_ref(err, p, &e->pos, e->guard);

	if (!strcmp(e->from, e->to))
		bh_pos_error(err, &e->pos, "exchange '%s' goes from a domain to itself", e->name),
			errors++;
	if (!strcmp(e->guard, e->from) || !strcmp(e->guard, e->to))
		bh_pos_error(err, &e->pos, "the guard of exchange '%s' must be neither FROM nor TO",
			     e->name), errors++;
	/* Host reaches every domain: a guard there would check nothing it could not bypass. */
	if (!strcmp(e->guard, BULKHEAD_HOST_DOMAIN))
		bh_pos_error(err, &e->pos, "host cannot be the guard of exchange '%s'", e->name),
			errors++;
	return errors;
}

/* The guard's checks: within the limits, and each deny pattern one the guard can compile. */
static int check_exchange_checks(const struct bh_exchange *e, FILE *err)
{
	char why[256];
	regex_t re;
	size_t i;
	int errors = 0, rc;

	if (e->n_types > BULKHEAD_MAX_EXCHANGE_TYPES)
		bh_pos_error(err, &e->pos, "exchange '%s' has more than %d types", e->name,
			     BULKHEAD_MAX_EXCHANGE_TYPES), errors++;
	if (e->n_deny > BULKHEAD_MAX_EXCHANGE_PATTERNS)
		bh_pos_error(err, &e->pos, "exchange '%s' has more than %d deny patterns", e->name,
			     BULKHEAD_MAX_EXCHANGE_PATTERNS), errors++;
	/* The guard compiles them so (guard_inspect.c); the kernel cannot check them. */
	for (i = 0; i < e->n_deny; i++) {
		rc = regcomp(&re, e->deny[i], REG_EXTENDED | REG_NOSUB);
		if (!rc) {
			regfree(&re);
			continue;
		}
		regerror(rc, &re, why, sizeof(why));
		bh_pos_error(err, &e->pos, "deny-pattern '%s' of exchange '%s' does not compile: %s",
			     e->deny[i], e->name, why), errors++;
	}
	if (e->burst && !e->rate)
		bh_pos_error(err, &e->pos, "exchange '%s' has a burst without a rate", e->name),
			errors++;
	return errors;
}

/* Whether flow @f joins domains @a and @b, either way. */
static bool flow_joins(const struct bh_flow *f, const char *a, const char *b)
{
	return (!strcmp(f->from, a) && !strcmp(f->to, b)) ||
	       (!strcmp(f->from, b) && !strcmp(f->to, a));
}

/*
 * The exchange is the only path between its domains: a flow of their own between FROM and TO,
 * or from the guard to either, would carry what the guard never sees.
 */
static int check_exchange_flows(const struct bh_policy *p, const struct bh_exchange *e,
				FILE *err)
{
	const char *why;
	size_t i;
	int errors = 0;

	for (i = 0; i < p->n_flows; i++) {
		const struct bh_flow *f = &p->flows[i];

		if (flow_joins(f, e->from, e->to))
			why = "FROM and TO of an exchange may not have a flow of their own: it would bypass the guard";
		else if (flow_joins(f, e->guard, e->from))
			why = "the exchange's guard reaches FROM only through the outbox";
		else if (flow_joins(f, e->guard, e->to))
			why = "the exchange's guard reaches TO only through the inbox";
		else
			continue;
		bh_pos_error(err, &f->pos, "flow %s -> %s: %s (exchange '%s')", f->from, f->to, why,
			     e->name);
		errors++;
	}
	return errors;
}

static int validate_exchanges(const struct bh_policy *p, FILE *err)
{
	const uint32_t shared = BULKHEAD_EXCHANGE_F_SHARED_GUARD;
	size_t i, j;
	int errors = 0;

	for (i = 0; i < p->n_exchanges; i++) {
		const struct bh_exchange *e = &p->exchanges[i];

		errors += check_name(err, &e->pos, "exchange", e->name, sizeof(e->name));
		for (j = 0; j < i; j++)
			if (!strcmp(p->exchanges[j].name, e->name))
				bh_pos_error(err, &e->pos, "exchange '%s' declared twice", e->name),
					errors++;
		/* A guard serving two exchanges could carry files from one to the other. */
		for (j = 0; j < i; j++) {
			const struct bh_exchange *other = &p->exchanges[j];

			if (!strcmp(other->guard, e->guard) &&
			    !(other->flags & e->flags & shared)) {
				bh_pos_error(err, &e->pos,
					     "guard domain '%s' serves exchange '%s' already (both must say shared-guard)",
					     e->guard, other->name), errors++;
				break;
			}
		}
		errors += check_exchange_domains(p, e, err);
		errors += check_box(err, e, "outbox", e->outbox) + check_box(err, e, "inbox", e->inbox);
		if (dirs_overlap(e->outbox, e->inbox))
			bh_pos_error(err, &e->pos,
				     "the outbox and the inbox of exchange '%s' must be two directories, neither inside the other",
				     e->name), errors++;
		/* Each box is a domain of its own: one directory cannot hold two. */
		for (j = 0; j < i; j++)
			if (boxes_overlap(e, p->exchanges[j].outbox) ||
			    boxes_overlap(e, p->exchanges[j].inbox))
				bh_pos_error(err, &e->pos,
					     "the outbox or inbox of exchange '%s' overlaps those of exchange '%s'",
					     e->name, p->exchanges[j].name), errors++;
		errors += check_box_bindings(p, e, err);
		errors += check_exchange_checks(e, err) + check_exchange_flows(p, e, err);
	}
	if (p->n_exchanges > BULKHEAD_MAX_EXCHANGES)
		bh_pos_error(err, &p->exchanges[BULKHEAD_MAX_EXCHANGES].pos,
			     "more than %d exchanges", BULKHEAD_MAX_EXCHANGES), errors++;
	return errors;
}

int bh_policy_validate(const struct bh_policy *p, FILE *err)
{
	return validate_domains(p, err) + validate_domain_count(p, err) +
	       validate_flows(p, err) + validate_grants(p, err) + validate_groups(p, err) +
	       validate_exchanges(p, err);
}
