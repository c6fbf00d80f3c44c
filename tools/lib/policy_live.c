// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: "policy check --live". The kernel resolves every binding when a policy is applied
 * and refuses the whole transaction at the first that does not resolve, naming only that one;
 * this finds all of them beforehand, on the host the policy is meant for, as the parser finds
 * all the syntax errors.
 */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy_live.h"

/* The object a binding names, once resolved: what the kernel compares bindings by. */
struct resolved {
	const struct bh_binding *b;
	size_t order;		/* in the policy's order: the first of two is the one kept */
	dev_t dev;
	ino_t ino;		/* the inode, or the interface index */
};

/* A cgroup: a directory under @root holding cgroup.procs (which a plain directory lacks). */
static int stat_cgroup(const char *root, const char *target, struct stat *st)
{
	char path[8192];

	snprintf(path, sizeof(path), "%s%s%s/cgroup.procs", root, target[0] == '/' ? "" : "/",
		 target);
	if (access(path, F_OK))
		return -1;
	*strrchr(path, '/') = '\0';
	return stat(path, st);
}

/* Resolve @b into @r; prints why not and returns 1 when the kernel would refuse it. */
static int resolve(const struct bh_binding *b, const char *cgroup_root, struct resolved *r,
		   FILE *err)
{
	struct stat st;

	r->b = b;
	switch (b->kind) {
	case BULKHEAD_BIND_PATH:
		/* Not absolute: the offline check says so already. */
		if (b->target[0] != '/')
			return -1;
		if (stat(b->target, &st)) {
			bh_pos_error(err, &b->pos, "path %s does not resolve: %s", b->target,
				     strerror(errno));
			return 1;
		}
		break;
	case BULKHEAD_BIND_CGROUP:
		if (stat_cgroup(cgroup_root, "/", &st)) {
			bh_pos_error(err, &b->pos, "cgroup %s: no cgroup v2 hierarchy is mounted at %s",
				     b->target, cgroup_root);
			return 1;
		}
		if (stat_cgroup(cgroup_root, b->target, &st)) {
			bh_pos_error(err, &b->pos, "no cgroup %s under %s (cgroup paths are relative to the cgroup v2 root)",
				     b->target, cgroup_root);
			return 1;
		}
		break;
	default:
		st.st_dev = 0;
		st.st_ino = if_nametoindex(b->target);
		if (!st.st_ino) {
			bh_pos_error(err, &b->pos, "no network interface %s in this network namespace",
				     b->target);
			return 1;
		}
		break;
	}
	r->dev = st.st_dev;
	r->ino = st.st_ino;
	return 0;
}

static bool same_object(const struct resolved *x, const struct resolved *y)
{
	return x->b->kind == y->b->kind && x->dev == y->dev && x->ino == y->ino;
}

/* By object, then in the policy's order. */
static int cmp_resolved(const void *a, const void *b)
{
	const struct resolved *x = a, *y = b;

	if (x->b->kind != y->b->kind)
		return x->b->kind < y->b->kind ? -1 : 1;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/*
 * Two bindings naming one object by different words (the same words are the offline check's
 * "already bound"): the kernel refuses the later one as bound already.
 */
static int same_objects(struct resolved *r, size_t n, FILE *err)
{
	const struct resolved *first = NULL;
	int problems = 0;
	size_t i;

	qsort(r, n, sizeof(*r), cmp_resolved);
	for (i = 0; i < n; i++) {
		if (!first || !same_object(first, &r[i])) {
			first = &r[i];
			continue;
		}
		if (!strcmp(first->b->target, r[i].b->target))
			continue;
		bh_pos_error(err, &r[i].b->pos, "%s %s is %s, bound already at %s:%d",
			     bh_binding_kind_name(r[i].b->kind), r[i].b->target, first->b->target,
			     first->b->pos.file ? first->b->pos.file : "?", first->b->pos.line);
		problems++;
	}
	return problems;
}

int bh_policy_check_live(const struct bh_policy *p, const char *cgroup_root, FILE *err)
{
	struct resolved *r;
	size_t i, j, n = 0;
	int problems = 0, bad;

	for (i = 0; i < p->n_domains; i++)
		n += p->domains[i].n_bindings;
	r = calloc(n + 1, sizeof(*r));
	if (!r)
		abort();
	n = 0;
	for (i = 0; i < p->n_domains; i++) {
		for (j = 0; j < p->domains[i].n_bindings; j++) {
			bad = resolve(&p->domains[i].bindings[j], cgroup_root, &r[n], err);
			r[n].order = n;
			problems += bad > 0;
			n += !bad;
		}
	}
	problems += same_objects(r, n, err);
	free(r);
	return problems;
}
