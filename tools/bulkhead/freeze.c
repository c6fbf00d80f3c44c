// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead CLI: the cgroup v2 freezer behind exclusive groups. The kernel switches the active
 * member atomically and from then on denies everything the inactive members do; freezing their
 * tasks follows here, through each bound cgroup's cgroup.freeze, since the kernel offers no
 * freezer call to modules. Inactive members are frozen before the active one is thawed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "policy.h"
#include "policy_live.h"
#include "policy_nl.h"

static int write_freeze(const char *cgroup, bool freeze)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), BH_CGROUP_ROOT "%s/cgroup.freeze", cgroup);
	f = fopen(path, "w");
	/* A bound cgroup removed since holds no task to freeze or thaw. */
	if (!f && errno == ENOENT)
		return 0;
	if (!f || fputs(freeze ? "1" : "0", f) == EOF || fclose(f)) {
		cli_error("cannot %s cgroup %s: %s", freeze ? "freeze" : "thaw", cgroup,
			  strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	return 0;
}

/* Freeze or thaw every cgroup bound to domain @name in @p; a missing domain has none. */
static int set_domain(const struct bh_policy *p, const char *name, bool freeze)
{
	const struct bh_domain *d = bh_policy_domain(p, name);
	int ret = 0;
	size_t k;

	for (k = 0; d && k < d->n_bindings; k++)
		if (d->bindings[k].kind == BULKHEAD_BIND_CGROUP)
			ret |= write_freeze(d->bindings[k].target, freeze);
	return ret;
}

static bool inactive_member(const struct bh_policy *p, const char *name)
{
	size_t i, k;

	for (i = 0; i < p->n_groups; i++)
		for (k = 0; k < p->groups[i].n_members; k++)
			if (!strcmp(p->groups[i].members[k], name))
				return strcmp(p->groups[i].active, name);
	return false;
}

int cli_freeze_sync(const struct bh_policy *before, const struct bh_policy *now)
{
	int ret = 0;
	size_t i, k;

	for (i = 0; i < now->n_groups; i++)
		for (k = 0; k < now->groups[i].n_members; k++)
			if (inactive_member(now, now->groups[i].members[k]))
				ret |= set_domain(now, now->groups[i].members[k], true);
	for (i = 0; i < now->n_groups; i++)
		ret |= set_domain(now, now->groups[i].active, false);
	/* Members that left their group, or whose cgroup binding moved, run again. */
	for (i = 0; before && i < before->n_groups; i++)
		for (k = 0; k < before->groups[i].n_members; k++)
			if (!inactive_member(now, before->groups[i].members[k]))
				ret |= set_domain(before, before->groups[i].members[k], false);
	return ret ? -1 : 0;
}

const char *cli_frozen_state(const struct bh_policy *p, const char *name)
{
	const struct bh_domain *d = bh_policy_domain(p, name);
	unsigned int frozen = 0, cgroups = 0;
	char path[4096], line[64];
	size_t k;
	FILE *f;

	for (k = 0; d && k < d->n_bindings; k++) {
		if (d->bindings[k].kind != BULKHEAD_BIND_CGROUP)
			continue;
		cgroups++;
		snprintf(path, sizeof(path), BH_CGROUP_ROOT "%s/cgroup.events",
			 d->bindings[k].target);
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f))
			if (!strcmp(line, "frozen 1\n"))
				frozen++;
		if (f)
			fclose(f);
	}
	if (!cgroups)
		return "no-cgroup";
	return frozen == cgroups ? "frozen" : frozen ? "partly-frozen" : "running";
}

int cli_freeze_follow(struct bh_genl *g, const struct bh_policy *before)
{
	struct bh_policy_id id;
	struct bh_policy now;
	int ret;

	ret = cli_fetch_policy(g, &now, &id);
	if (ret)
		return ret;
	ret = cli_freeze_sync(before, &now) ? EXIT_FAIL : EXIT_OK;
	bh_policy_free(&now);
	return ret;
}
